// The arm view's worker: runs one ABC or MCMC job at a time, in chunks of
// about CHUNK_MS, and posts the price paid so far after each, so that the
// page shows a progress bar and a Stop (or a new job) takes effect within
// a chunk. The core decides what a chunk does and what the price is; this
// file only times the chunks and moves the bytes.
import init, { WasmArmAbc, WasmArmMcmc } from '../pkg/inn_playground.js';
import { yieldToEvents } from './yield.js';

const CHUNK_MS = 40;      // work between checks for messages
const REPORT_MS = 120;    // how often the page hears of progress, at most

self.innPanic = (message) => postMessage({ type: 'panic', message });
const ready = init();

let job = 0;  // id of the job that may run; a new message supersedes it

/** Runs `run` (one chunk of `size`; returns whether done) until done or
 * superseded, resizing chunks toward CHUNK_MS, and reports. */
async function drive(id, method, runner, size, grow) {
  let ms = 0, lastReport = 0, done = false;
  const report = (final) => {
    postMessage({ type: 'progress', id, method, ms, final, stopped: final && !done, price: JSON.parse(runner.price()), samples: runner.samples() });
  };
  while (!done) {
    if (id !== job) { report(true); runner.free(); return; }
    const t0 = performance.now();
    done = runner.run(size);
    const dt = performance.now() - t0;
    ms += dt;
    if (grow) size = Math.max(1000, Math.min(size * 4, size * CHUNK_MS / Math.max(dt, 1)));
    if (!done && performance.now() - lastReport > REPORT_MS) { lastReport = performance.now(); report(false); }
    await yieldToEvents();
  }
  report(true);
  runner.free();
}

/** The runner of `method` for target (y1, y2), and its first chunk's size
 * and whether chunks grow. */
function runner(method, [y1, y2], data) {
  if (method === 'abc') {
    const abc = new WasmArmAbc(y1, y2, data.eps, data.n, BigInt(data.seed), data.noise);
    return [{ run: (s) => abc.run(s), price: () => abc.price(), samples: () => abc.samples(), free: () => abc.free() }, 20000, true];
  }
  const mcmc = new WasmArmMcmc(y1, y2, BigInt(data.seed), data.noise);
  return [{ run: () => mcmc.runChain(), price: () => mcmc.price(), samples: () => mcmc.samples(), free: () => mcmc.free() }, 1, false];
}

/** Answers every target of `data.targets` (y1, y2 pairs) with `data.method`,
 * one after the other, posting the total price after each. */
async function many(id, data) {
  const t = data.targets;
  const done = { targets: 0, of: t.length / 2, ms: 0, simulations: 0, resimMedians: [] };
  for (let i = 0; i < t.length; i += 2) {
    const [r, size, grow] = runner(data.method, [t[i], t[i + 1]], data);
    let chunk = size, finished = false;
    while (!finished) {
      if (id !== job) { r.free(); return; }
      const t0 = performance.now();
      finished = r.run(chunk);
      const dt = performance.now() - t0;
      done.ms += dt;
      if (grow) chunk = Math.max(1000, Math.min(chunk * 4, chunk * CHUNK_MS / Math.max(dt, 1)));
      await yieldToEvents();
    }
    const price = JSON.parse(r.price());
    r.free();
    done.targets += 1;
    done.simulations += price.simulations;
    done.resimMedians.push(price.resimMedian);
    postMessage({ type: 'many', id, method: data.method, ...done });
  }
}

onmessage = async ({ data }) => {
  await ready;
  if (data.type === 'stop') { job = -1; return; }
  job = data.id;
  if (data.type === 'many') {
    try { await many(data.id, data); } catch (e) { postMessage({ type: 'error', id: data.id, method: data.method, message: String(e.message || e) }); }
    return;
  }
  const [y1, y2] = data.target;
  try {
    const [r, size, grow] = runner(data.type, [y1, y2], data);
    await drive(data.id, data.type, r, size, grow);
  } catch (e) {
    postMessage({ type: 'error', id: data.id, method: data.type, message: String(e.message || e) });
  }
};
