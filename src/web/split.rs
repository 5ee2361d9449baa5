//! Split steps as the page's two workers run them: the packets of
//! [`crate::train::split`] as bytes in JS (a buffer a message carries, or
//! an area of memory both workers share), and the two sides' `next`, which
//! a transport calls in a loop: each call does the work that comes next
//! and says what to send or what to wait for. Transports know nothing of
//! the order of a step; the sides refuse a packet out of order.

use super::js_err;
use super::trainer::{loss_row, WasmTrainer};
use crate::train::split::{InverseSide, Next, Packet, PacketKind, PacketSize, HEADER};
use crate::train::Trainer;
use js_sys::{Array, Float32Array, Float64Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

/// A packet in JS bytes: the f64 header, then f32 values.
struct JsPacket {
    bytes: Uint8Array,
    header: Float64Array,
    values: Float32Array,
}

impl JsPacket {
    /// Views of `bytes`, which must start 8-byte aligned in their buffer.
    fn new(bytes: Uint8Array) -> Result<Self, JsError> {
        let (at, len) = (bytes.byte_offset(), bytes.byte_length());
        if at % 8 != 0 || len < 8 * HEADER as u32 || len % 4 != 0 {
            return Err(JsError::new(&format!(
                "a packet of {len} bytes at byte {at} is not laid out as a packet"
            )));
        }
        let buffer: JsValue = bytes.buffer().into();
        let header = Float64Array::new_with_byte_offset_and_length(&buffer, at, HEADER as u32);
        let head = 8 * HEADER as u32;
        let values =
            Float32Array::new_with_byte_offset_and_length(&buffer, at + head, (len - head) / 4);
        Ok(JsPacket {
            bytes,
            header,
            values,
        })
    }
}

impl Packet<f32> for JsPacket {
    fn has_size(&self, size: PacketSize) -> bool {
        self.bytes.byte_length() as usize == size.bytes(4)
    }
    fn write_header(&mut self, header: &[f64; HEADER]) {
        self.header.copy_from(header);
    }
    fn read_header(&self) -> [f64; HEADER] {
        let mut h = [0.0; HEADER];
        self.header.copy_to(&mut h);
        h
    }
    fn write(&mut self, at: usize, values: &[f32]) {
        let end = at + values.len();
        self.values
            .subarray(at as u32, end as u32)
            .copy_from(values);
    }
    fn read(&self, at: usize, into: &mut [f32]) {
        let end = at + into.len();
        self.values.subarray(at as u32, end as u32).copy_to(into);
    }
}

/// The packet a side writes: the area `areas[kind]` (memory both workers
/// share, sized by `packetBytes`), or a new buffer without `areas`.
fn fresh_packet(
    areas: &Option<Array>,
    kind: PacketKind,
    size: PacketSize,
) -> Result<JsPacket, crate::Error> {
    let bytes = match areas {
        Some(a) => Uint8Array::from(a.get(kind as u32)),
        None => Uint8Array::new_with_length(size.bytes(4) as u32),
    };
    let bad = |why: String| crate::Error::InvalidArgument(why);
    let p = JsPacket::new(bytes).map_err(|_| bad(format!("the {kind:?} area is misaligned")))?;
    if !p.has_size(size) {
        return Err(bad(format!(
            "the {kind:?} area has {} bytes, the packet {}",
            p.bytes.byte_length(),
            size.bytes(4)
        )));
    }
    Ok(p)
}

/// What `next` asks of the transport, as a JS object: `send` (a packet
/// kind) with `packet` (its bytes), or `receive` (the kind to wait for),
/// or `row` (the loss row of the finished step); `betweenSteps` is true
/// while the helper waits for the first packet of a step (its wait may
/// end without harm).
fn action(next: Next<JsPacket>, between_steps: bool) -> Result<JsValue, JsError> {
    let o = Object::new();
    let set = |k: &str, v: JsValue| Reflect::set(&o, &k.into(), &v).map(|_| ());
    let r = match next {
        Next::Send(p) => set("send", (p.kind_number()).into()).and(set("packet", p.bytes.into())),
        Next::Receive(kind) => set("receive", (kind as u8).into()),
        Next::Done(report) => set("row", Float32Array::from(&loss_row(&report)[..]).into()),
    };
    r.and(set("betweenSteps", between_steps.into()))
        .map_err(|_| JsError::new("cannot build an action"))?;
    Ok(o.into())
}

impl JsPacket {
    fn kind_number(&self) -> u8 {
        self.read_header()[0] as u8
    }
}

/// A packet that came in, as the core reads it.
fn incoming(packet: Option<Uint8Array>) -> Result<Option<JsPacket>, JsError> {
    packet.map(JsPacket::new).transpose()
}

#[wasm_bindgen]
impl WasmTrainer {
    /// The bytes a helper is made from (`new WasmHelper(opening)`): the
    /// network's structure; the weights travel with every step.
    #[wasm_bindgen(js_name = helperOpening)]
    pub fn helper_opening(&self) -> Uint8Array {
        Uint8Array::from(&self.inner.helper_opening()[..])
    }

    /// Bytes of each packet of a split step, by kind number: the areas of
    /// the memory the two workers share.
    #[wasm_bindgen(js_name = packetBytes)]
    pub fn packet_bytes(&self) -> Vec<u32> {
        let plan = self.inner.split_step();
        PacketKind::ALL
            .map(|k| plan.size(k).bytes(4) as u32)
            .to_vec()
    }

    /// The worker's side of a split step: does what comes next and returns
    /// what to do (see `action`). `packet`: the one it asked for;
    /// `areas`: the shared areas by kind, or null to get new buffers.
    #[wasm_bindgen(js_name = splitNext)]
    pub fn split_next(
        &mut self,
        packet: Option<Uint8Array>,
        areas: Option<Array>,
    ) -> Result<JsValue, JsError> {
        let packet = incoming(packet)?;
        let mut fresh = |kind, size| fresh_packet(&areas, kind, size);
        let next = self
            .split
            .next(&mut self.inner, packet.as_ref(), &mut fresh)
            .map_err(js_err)?;
        action(next, false)
    }

    /// Completes the split step under way here, without the helper (gone
    /// or failed): the same bits. Returns its loss row.
    #[wasm_bindgen(js_name = splitAlone)]
    pub fn split_alone(&mut self) -> Result<Float32Array, JsError> {
        let r = self.split.finish_alone(&mut self.inner).map_err(js_err)?;
        Ok(Float32Array::from(&loss_row(&r)[..]))
    }
}

/// The helper: the inverse half of each step, on a second core. It holds
/// the network's structure and nothing of the training's state.
#[wasm_bindgen]
pub struct WasmHelper {
    trainer: Trainer<f32>,
    side: InverseSide<f32>,
}

#[wasm_bindgen]
impl WasmHelper {
    /// The helper of a worker's trainer, from its `helperOpening`.
    #[wasm_bindgen(constructor)]
    pub fn new(opening: &Uint8Array) -> Result<WasmHelper, JsError> {
        Ok(WasmHelper {
            trainer: Trainer::helper_from_opening(&opening.to_vec()).map_err(js_err)?,
            side: InverseSide::default(),
        })
    }

    /// The helper's side: takes the packet it asked for (or none, to be
    /// told what to wait for), does the work, and returns what to do (see
    /// `WasmTrainer.splitNext`).
    pub fn next(
        &mut self,
        packet: Option<Uint8Array>,
        areas: Option<Array>,
    ) -> Result<JsValue, JsError> {
        let packet = incoming(packet)?;
        let mut fresh = |kind, size| fresh_packet(&areas, kind, size);
        let next = self
            .side
            .next(&mut self.trainer, packet.as_ref(), &mut fresh);
        // A refused or failed packet ends the step it belonged to.
        let next = next.inspect_err(|_| self.side = InverseSide::default());
        action(next.map_err(js_err)?, self.side.between_steps())
    }
}
