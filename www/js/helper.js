// The training worker's helper, on a second core: for each step it runs
// the inverse share of the loss (L_x and half of the reconstruction, both
// through f^-1) on the weights and batch the worker sends, and returns its
// gradient. It starts on L_x at once; the reconstruction waits for the z
// rows of the worker's forward pass, which arrive meanwhile.
// It keeps no training state of its own, so it can never drift from the
// worker: a step split this way gives the same bits as one worker alone.
// Steps come as messages, or through shared memory (shared-steps.js) when
// the page is isolated across origins.
import init, { WasmTrainer } from '../pkg/inn_playground.js';
import { C, views, bump, waitForChange } from './shared-steps.js';

/** Time without a step after which the helper stops waiting on shared
 * memory and goes back to its messages (a paused page, a new network). */
const IDLE_MS = 50;
/** The z rows follow a packet within one forward pass; this long without
 * them means the worker has gone. */
const ROWS_PATIENCE_MS = 10000;

let trainer = null;
let generation = -1;  // of the network `trainer` holds
let shared = null;  // views of the buffer steps come through, and its id
let failNextShare = false;  // set by a test: the next share throws
const ready = init();

/** Throws if a test asked the next share to fail: the worker must then
 * finish the step itself, with the same bits. */
function failIfAsked() {
  if (!failNextShare) return;
  failNextShare = false;
  throw new Error('the helper failed a share on request');
}

/** Runs the shares that come through `s` until none has come for IDLE_MS
 * or the worker drops the buffer. */
function serve(s) {
  const { ctl } = s;
  Atomics.store(ctl, C.SERVING, 1);
  for (;;) {
    const share = waitForChange(ctl, C.SHARE, s.seenShare, performance.now() + IDLE_MS);
    if (share === null) {
      if (Atomics.load(ctl, C.LEAVE)) break;
      // Back to messages, unless a packet came meanwhile: the worker reads
      // SERVING after it bumps SHARE, and sends a message to wake this
      // side if it reads 0, so that one of the two sees the other.
      Atomics.store(ctl, C.SERVING, 0);
      if (Atomics.load(ctl, C.SHARE) === s.seenShare) return;
      Atomics.store(ctl, C.SERVING, 1);
      continue;
    }
    s.seenShare = share;
    const started = performance.now();
    try {
      failIfAsked();
      trainer.generatedShare(Atomics.load(ctl, C.STEP), s.packet);
      const rows = waitForChange(ctl, C.ROWS, s.seenRows, performance.now() + ROWS_PATIENCE_MS);
      if (rows === null) break;
      s.seenRows = rows;
      trainer.reconstructedShare(s.z, s.grads);
      s.losses.set(trainer.inverseLosses());
      s.losses[2] = performance.now() - started;
    } catch (err) {
      Atomics.store(ctl, C.FAILED, 1);
      bump(ctl, C.REPLY);
      Atomics.store(ctl, C.SERVING, 0);
      throw err;
    }
    bump(ctl, C.REPLY);
  }
  Atomics.store(ctl, C.SERVING, 0);
}

self.onmessage = async (e) => {
  const { memory } = await ready;
  const m = e.data;
  try {
    if (m.type === 'memory') {
      e.ports[0].postMessage(memory.buffer.byteLength);
    } else if (m.type === 'init') {
      if (trainer) trainer.free();
      trainer = WasmTrainer.fromModel(m.model);
      generation = m.generation;
      shared = null;
      postMessage({ type: 'ready', generation: m.generation });
    } else if (m.type === 'serve') {
      if (m.generation !== generation) return;
      if (!shared || shared.id !== m.id) {
        shared = { ...views(m.sab, ...m.sizes), id: m.id, seenShare: 0, seenRows: 0 };
      }
      serve(shared);
    } else if (m.type === 'failNextShare') {
      failNextShare = true;
    } else if (m.type === 'share') {
      failIfAsked();
      trainer.generatedShare(m.step, m.packet);
    } else if (m.type === 'rows') {
      const grads = trainer.reconstructedShare(m.z, null);
      postMessage({ type: 'share', generation: m.generation, grads, losses: trainer.inverseLosses() }, [grads.buffer]);
    }
  } catch (err) {
    postMessage({ type: 'failed', generation: m.generation, message: String(err.message || err) });
  }
};
