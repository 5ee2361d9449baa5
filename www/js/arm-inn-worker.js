// The arm's INN, trained in a worker of its own from the link's settings:
// steps in chunks of about CHUNK_MS, the losses after each chunk, and the
// model (as a model file's text) every MODEL_MS and at the end, from which
// the page samples while the target is dragged. The core trains; this file
// times the chunks and moves the bytes.
import init, { WasmTrainer } from '../pkg/inn_playground.js';
import { yieldToEvents } from './yield.js';

const CHUNK_MS = 50;
const MODEL_MS = 700;

self.innPanic = (message) => postMessage({ type: 'panic', message });
const ready = init();

let run = 0;  // the run that may go on; a new start supersedes it

async function train(id, hash) {
  const t = new WasmTrainer(hash);
  const planned = JSON.parse(t.configJson()).steps;
  postMessage({ type: 'objective', id, text: t.objectiveText() });
  let size = 5, ms = 0, lastModel = 0;
  const model = (done) => postMessage({ type: 'model', id, step: t.step(), ms, done, text: t.modelJson() });
  try {
    while (t.step() < planned) {
      if (id !== run) { t.free(); return; }
      const t0 = performance.now();
      const rows = t.train(Math.min(size, planned - t.step()));
      const dt = performance.now() - t0;
      ms += dt;
      size = Math.max(1, Math.round(size * Math.min(2, Math.max(0.5, CHUNK_MS / Math.max(dt, 1)))));
      postMessage({ type: 'progress', id, step: t.step(), planned, ms, total: rows[rows.length - 6] });
      if (ms - lastModel > MODEL_MS) { lastModel = ms; model(false); }
      await yieldToEvents();
    }
    model(true);
  } catch (e) {
    postMessage({ type: 'error', id, message: String(e.message || e) });
  }
  t.free();
}

self.onmessage = async ({ data }) => {
  await ready;
  if (data.type === 'start') { run = data.id; train(data.id, data.hash); }
  if (data.type === 'stop') run = 0;
};
