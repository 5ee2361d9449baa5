// The training worker's helper, on a second core: for each step it runs
// the inverse share of the loss (L_x and half of the reconstruction, both
// through f^-1) on the weights and batch the worker sends, and returns its
// gradient. It starts on L_x at once; the reconstruction waits for the z
// rows of the worker's forward pass, which arrive meanwhile.
// It keeps no training state of its own, so it can never drift from the
// worker: a step split this way gives the same bits as one worker alone.
import init, { WasmTrainer } from '../pkg/inn_playground.js';

let trainer = null;
const ready = init();

self.onmessage = async (e) => {
  const { memory } = await ready;
  const m = e.data;
  try {
    if (m.type === 'memory') {
      e.ports[0].postMessage(memory.buffer.byteLength);
    } else if (m.type === 'init') {
      if (trainer) trainer.free();
      trainer = WasmTrainer.fromModel(m.model);
      postMessage({ type: 'ready', generation: m.generation });
    } else if (m.type === 'share') {
      trainer.generatedShare(m.step, m.packet);
    } else if (m.type === 'rows') {
      const grads = trainer.reconstructedShare(m.z);
      postMessage({ type: 'share', generation: m.generation, grads, losses: trainer.inverseLosses() }, [grads.buffer]);
    }
  } catch (err) {
    postMessage({ type: 'failed', generation: m.generation, message: String(err.message || err) });
  }
};
