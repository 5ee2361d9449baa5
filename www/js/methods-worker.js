// The methods worker: owns the line-up of the wasm module (WasmMethods),
// trains the networks that train in short chunks, posting their progress
// and losses between them, and answers queries. It never touches the DOM,
// and it runs beside the training worker, so the INN trains meanwhile.
import init, { WasmMethods } from '../pkg/inn_playground.js';
import { yieldToEvents } from './yield.js';

const CHUNK_MS = 25;  // training time between checks for messages

let methods = null;   // the WasmMethods of the current link
let generation = 0;   // bumped by each init: a training loop of an older link stops
let broken = false;

self.innPanic = (message) => {
  broken = true;
  postMessage({ type: 'panic', message });
};

const ready = init();

/** Trains each method that trains, in turn, in chunks of about CHUNK_MS. */
async function trainAll(keys, mine) {
  for (const method of keys) {
    let steps = 10;
    for (;;) {
      if (mine !== generation || broken) return;
      const t0 = performance.now();
      const rows = methods.train(method, steps);
      const dt = performance.now() - t0;
      steps = Math.max(1, Math.min(2000, Math.round(steps * (dt > 0 ? CHUNK_MS / dt : 2))));
      const progress = JSON.parse(methods.progressJson(method));
      postMessage({ type: 'progress', method, ...progress, rows }, [rows.buffer]);
      if (progress.steps >= progress.planned) break;
      await yieldToEvents();
    }
    postMessage({ type: 'trained', method });
    await yieldToEvents();
  }
}

const handlers = {
  init({ hash }) {
    generation++;
    if (methods) methods.free();
    methods = new WasmMethods(hash);
    const lineup = JSON.parse(WasmMethods.lineup());
    postMessage({ type: 'ready', lineup });
    trainAll(lineup.filter((m) => m.trains).map((m) => m.key), generation);
  },
  query({ id, method, label, n, hash }) {
    const answer = JSON.parse(methods.query(method, label, n, hash));
    const samples = methods.samples();
    postMessage({ type: 'answer', id, ...answer, samples }, [samples.buffer]);
  },
};

self.onmessage = async (e) => {
  await ready;
  const h = handlers[e.data.type];
  if (!h || broken) return;
  try {
    await h(e.data);
  } catch (err) {
    postMessage({ type: 'error', id: e.data.id, message: String(err.message || err) });
  }
};
