// The training worker's helper, on a second core: for each step it runs
// the inverse half of the loss (L_x and part of the reconstruction, both
// through f^-1) on the weights and batch the worker sends, and returns its
// gradient. The wasm (`WasmHelper`) says which packet it needs next and
// refuses one out of order; this file only carries packets, by message or
// through shared memory (shared-steps.js) when the page is isolated
// across origins. The helper is made from the worker's opening (the
// network's structure) and keeps no training state of its own, so a step
// split this way gives the same bits as one worker alone.
import init, { WasmHelper } from '../pkg/inn_playground.js';
import { views, serve } from './shared-steps.js';

/** Time without a step after which the helper stops waiting on shared
 * memory and goes back to its messages (a paused page, a new network). */
const IDLE_MS = 50;
/** The packets of a step follow each other within one forward pass; this
 * long without the next one means the worker has gone. */
const PATIENCE_MS = 10000;

let helper = null;
let generation = -1;  // of the network `helper` holds
let shared = null;  // views of the buffer steps come through, and its id
let failNextPacket = false;  // set by a test: the next packet throws
const ready = init();

/** Throws if a test asked the next packet to fail: the worker must then
 * finish the step itself, with the same bits. */
function failIfAsked() {
  if (!failNextPacket) return;
  failNextPacket = false;
  throw new Error('the helper failed a packet on request');
}

const handlers = {
  memory(m, { memory }, ports) { ports[0].postMessage(memory.buffer.byteLength); },
  open(m) {
    if (helper) helper.free();
    helper = new WasmHelper(m.opening);
    generation = m.generation;
    shared = null;
    postMessage({ type: 'ready', generation });
  },
  serve(m) {
    if (m.generation !== generation) return;
    if (!shared || shared.id !== m.id) shared = { ...views(m.sab, m.packetBytes), id: m.id };
    serve(helper, shared, { idleMs: IDLE_MS, patienceMs: PATIENCE_MS, check: failIfAsked });
  },
  failNextPacket() { failNextPacket = true; },
  packet(m) {
    if (m.generation !== generation) return;
    failIfAsked();
    const a = helper.next(m.packet, null);
    if (a.send !== undefined) postMessage({ type: 'packet', generation, packet: a.packet }, [a.packet.buffer]);
  },
};

self.onmessage = async (e) => {
  const wasm = await ready;
  const m = e.data;
  try {
    handlers[m.type]?.(m, wasm, e.ports);
  } catch (err) {
    postMessage({ type: 'failed', generation: m.generation, message: String(err.message || err) });
  }
};
