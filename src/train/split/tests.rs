//! Split steps against whole steps, bit for bit, and the orders of
//! packets the two sides refuse.

use super::*;
use crate::config::{LossTerm, Preset};
use crate::problem::LabelMap;

type P = VecPacket<f32>;

fn fresh() -> impl FnMut(PacketKind, PacketSize) -> Result<P, Error> {
    |_, size| Ok(VecPacket::new(size))
}

fn bits(t: &Trainer) -> Vec<u32> {
    t.optimiser_weights().iter().map(|v| v.to_bits()).collect()
}

/// Configurations whose steps split differently: L_x at full weight
/// within the run, eight labels, no reconstruction (no z rows), and the
/// maximum-likelihood term.
fn configs() -> Vec<TrainConfig> {
    let mut v = Vec::new();
    for labels in [LabelMap::Some, LabelMap::All] {
        v.push(TrainConfig {
            ramp_steps: 20,
            batch: 64,
            ..Preset::Fast.config(labels, 3)
        });
    }
    let mut c = Preset::Fast.config(LabelMap::Some, 4);
    c.batch = 48;
    c.losses.rec.on = false;
    v.push(c);
    let mut c = Preset::Fast.config(LabelMap::Some, 5);
    c.batch = 40;
    c.losses.ml = LossTerm {
        on: true,
        weight: 0.5,
    };
    v.push(c);
    v
}

#[test]
fn split_steps_give_the_bits_of_whole_steps_with_a_helper_made_from_the_opening() {
    for c in configs() {
        let mut whole: Trainer = Trainer::new(&c).unwrap();
        let mut worker: Trainer = Trainer::new(&c).unwrap();
        let mut helper: Trainer = Trainer::helper_from_opening(&worker.helper_opening()).unwrap();
        assert_ne!(
            bits(&helper),
            bits(&worker),
            "the weights come with the packets"
        );
        for _ in 0..30 {
            let expected = whole.step().unwrap();
            let got = worker.step_with_helper(&mut helper).unwrap();
            assert_eq!(got.losses.total.to_bits(), expected.losses.total.to_bits());
            assert_eq!(got, expected);
        }
        assert_eq!(bits(&whole), bits(&worker));
        assert_eq!(whole.sampling_weights(), worker.sampling_weights());
    }
}

#[test]
fn a_step_finished_without_the_helper_from_any_point_gives_the_same_bits() {
    let c = &configs()[0];
    let mut whole: Trainer = Trainer::new(c).unwrap();
    let mut worker: Trainer = Trainer::new(c).unwrap();
    let mut helper: Trainer = Trainer::helper_from_opening(&worker.helper_opening()).unwrap();
    let mut side = ForwardSide::default();
    // Steps whose helper goes away after 0 to 3 calls of the worker's
    // side, between steps that split whole.
    for sends in 0..4 {
        for _ in 0..2 {
            let e = whole.step().unwrap();
            assert_eq!(worker.step_with_helper(&mut helper).unwrap(), e);
        }
        for _ in 0..sends {
            side.next(&mut worker, None, &mut fresh()).unwrap();
        }
        assert_eq!(side.under_way(), sends > 0);
        let e = whole.step().unwrap();
        assert_eq!(side.finish_alone(&mut worker).unwrap(), e, "after {sends}");
        assert!(!side.under_way());
    }
    assert_eq!(bits(&whole), bits(&worker));
}

#[test]
fn packets_out_of_order_are_refused_and_the_step_goes_on() {
    let c = &configs()[0];
    let mut whole: Trainer = Trainer::new(c).unwrap();
    let mut worker: Trainer = Trainer::new(c).unwrap();
    let mut helper: Trainer = Trainer::helper_from_opening(&worker.helper_opening()).unwrap();
    let (mut ws, mut hs) = (ForwardSide::default(), InverseSide::default());
    let f = &mut fresh();
    let plan = worker.split_step();
    let stray = VecPacket::new(plan.size(PacketKind::Reply));
    // A reply the worker has not asked for.
    assert!(ws.next(&mut worker, Some(&stray), f).is_err());
    assert!(!ws.under_way());
    let Next::Send(step_packet) = ws.next(&mut worker, None, f).unwrap() else {
        panic!("the step packet first")
    };
    let Next::Send(rows) = ws.next(&mut worker, None, f).unwrap() else {
        panic!("then the z rows")
    };
    // The rows before the step packet, and a packet of another step.
    assert!(hs.between_steps());
    assert!(hs.next(&mut helper, Some(&rows), f).is_err());
    assert!(hs.next(&mut helper, Some(&stray), f).is_err());
    assert!(matches!(
        hs.next(&mut helper, Some(&step_packet), f).unwrap(),
        Next::Receive(PacketKind::Rows)
    ));
    assert!(!hs.between_steps());
    let mut late = rows.clone();
    late.write_header(&[PacketKind::Rows as u8 as f64, 7.0, 0.0, 0.0]);
    assert!(hs.next(&mut helper, Some(&late), f).is_err());
    let Next::Send(reply) = hs.next(&mut helper, Some(&rows), f).unwrap() else {
        panic!("the reply")
    };
    assert!(hs.between_steps());
    assert!(matches!(
        ws.next(&mut worker, None, f).unwrap(),
        Next::Receive(PacketKind::Reply)
    ));
    // A reply of another size (another network) is refused too.
    let mut short = VecPacket::<f32>::new(PacketSize { values: 3 });
    short.write_header(&reply.read_header());
    assert!(ws.next(&mut worker, Some(&short), f).is_err());
    let Next::Done(r) = ws.next(&mut worker, Some(&reply), f).unwrap() else {
        panic!("done")
    };
    assert_eq!(r, whole.step().unwrap());
}

#[test]
fn a_step_packet_lays_its_parts_end_to_end_and_the_rows_cover_the_batch() {
    for c in configs() {
        let t: Trainer = Trainer::new(&c).unwrap();
        let plan = t.split_step();
        let seg = plan.step_segments();
        assert_eq!(seg[0], 0..t.optimiser_weights().len());
        assert!(seg.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(plan.size(PacketKind::Step).values, seg[4].end);
        assert_eq!(
            plan.size(PacketKind::Reply).values,
            t.optimiser_weights().len()
        );
        let (f, i) = (plan.forward_rows(), plan.inverse_rows());
        if c.losses.rec.on {
            assert!(!f.is_empty() && !i.is_empty(), "both halves reconstruct");
            assert_eq!((f.start, f.end, i.end), (0, i.start, c.batch));
        } else {
            assert!(f.is_empty() && i.is_empty());
        }
        assert_eq!(plan.size(PacketKind::Rows).values, i.len() * c.ndim_z);
    }
}

#[test]
fn an_opening_that_does_not_fit_is_refused() {
    let t: Trainer = Trainer::new(&configs()[0]).unwrap();
    assert!(Trainer::<f32>::helper_from_opening(&t.helper_opening()).is_ok());
    assert!(Trainer::<f32>::helper_from_opening(b"not json").is_err());
    let mut o: serde_json::Value = serde_json::from_slice(&t.helper_opening()).unwrap();
    o["permutations"].as_array_mut().unwrap().pop();
    let e = Trainer::<f32>::helper_from_opening(&serde_json::to_vec(&o).unwrap()).unwrap_err();
    assert!(e.to_string().contains("does not fit"), "{e}");
    let mut o: serde_json::Value = serde_json::from_slice(&t.helper_opening()).unwrap();
    o["config"]["hidden"] = "wide".into();
    let e = Trainer::<f32>::helper_from_opening(&serde_json::to_vec(&o).unwrap()).unwrap_err();
    assert!(
        e.to_string().ends_with("a helper's opening has a bad configuration: hidden: \"wide\" where a value of kind int was expected"),
        "{e}"
    );
    let mut o: serde_json::Value = serde_json::from_slice(&t.helper_opening()).unwrap();
    o.as_object_mut().unwrap().remove("permutations");
    let e = Trainer::<f32>::helper_from_opening(&serde_json::to_vec(&o).unwrap()).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("a helper's opening has no \"permutations\""),
        "{e}"
    );
}
