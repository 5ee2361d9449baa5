// The bench's worker (cargo xtask bench, tests/e2e/bench.mjs): trains as
// the page's worker does, with the same pieces (run.js and its
// helper), and measures steps/s, the time to the fidelity bar, the time
// to draw posterior samples, ABC's time per query, and the wasm memory
// over a long run. The page never loads it: the build adds it only to
// the tests' and the bench's copy of the page (add_selftest in
// xtask/src/build.rs).
import init, { WasmTrainer } from '../pkg/inn_playground.js';
import { helper } from './helper-link.js';
import { Run, trainExclusive, helperReady } from './run.js';

const FIDELITY_CHECK_EVERY = 50; // steps between checks of the bar in the bench's time to it (the core's CHECK_EVERY)

self.innPanic = (message) => postMessage({ type: 'panic', message });
const ready = init();  // resolves to the wasm exports (memory included)
helper.start();

/** Steps/s of a configuration, and the training time until the fidelity
 * bar holds (checked every `checkEvery` steps, not timed), in this worker
 * and its helper as the page trains; `alone`: without the helper, as the
 * arm's page trains (its verdict is then on the arm's targets). */
async function bench({ id, hash, steps, toFidelity, alone, checkEvery = FIDELITY_CHECK_EVERY }) {
  const run = new Run(new WasmTrainer(hash));
  const train = alone ? async (n) => run.trainer.train(n) : (n) => trainExclusive(run, n);
  if (!alone) await helperReady(run);
  await train(3);
  helper.resetTiming();
  const t0 = performance.now();
  await train(steps);
  const stepsPerS = steps / ((performance.now() - t0) / 1000);
  const tm = helper.timing;
  const perStep = tm.steps ? { own: tm.own / tm.steps, wait: tm.wait / tm.steps, helper: tm.helper / tm.steps } : null;
  let timeToFidelity = null, stepsToFidelity = null;
  if (toFidelity) {
    const f = new Run(new WasmTrainer(hash));
    if (!alone) await helperReady(f);
    const cfg = JSON.parse(f.trainer.configJson());
    let trained = 0;
    for (let s = checkEvery; s <= cfg.steps; s += checkEvery) {
      const a = performance.now();
      if (alone) f.trainer.train(checkEvery); else await trainExclusive(f, checkEvery);
      trained += performance.now() - a;
      // The bench's verdict on the bar.
      if (f.trainer.fidelityFailures() === 0) { timeToFidelity = trained / 1000; stepsToFidelity = s; break; }
    }
    f.free();
  }
  // The posterior panel redraws its 2000 samples at every snapshot: the
  // first draw also sizes the sampling buffers, so it is reported apart
  // from the median of the draws after it.
  const drawMs = [];
  for (let i = 0; i < (run.trainer.nLabels() > 0 ? 6 : 0); i++) {
    const s0 = performance.now();
    run.trainer.samples(0, 2000, 1 + i, 1);
    drawMs.push(performance.now() - s0);
  }
  const firstSampleMs = drawMs[0] ?? null;
  const sampleMs = drawMs.length ? drawMs.slice(1).sort((a, b) => a - b)[2] : null;
  run.free();
  const transport = alone ? 'one worker' : helper.sharesMemory ? 'shared memory' : 'messages';
  postMessage({ type: 'bench', id, transport, perStep, stepsPerS, timeToFidelity, stepsToFidelity, checkEvery, sampleMs, firstSampleMs });
}

/** Soak (cargo xtask bench --soak N): trains up to N steps, or for at most
 * `maxSeconds`, and reports the wasm memory at the start, along the way
 * and at the end. */
async function soak({ id, hash, steps, maxSeconds }) {
  const { memory } = await ready;
  const run = new Run(new WasmTrainer(hash));
  await helperReady(run);
  await trainExclusive(run, 10);
  const start = memory.buffer.byteLength;
  const helperStart = await helper.memory();
  const marks = [];
  const t0 = performance.now();
  let done = 0;
  while (done < steps && performance.now() - t0 < maxSeconds * 1000) {
    await trainExclusive(run, Math.min(100, steps - done));
    done += Math.min(100, steps - done);
    if (done % 2000 === 0) marks.push([done, memory.buffer.byteLength]);
  }
  const end = memory.buffer.byteLength;
  const helperEnd = await helper.memory();
  run.free();
  postMessage({ type: 'soak', id, steps: done, seconds: (performance.now() - t0) / 1000, startBytes: start, endBytes: end, marks, helperStart, helperEnd });
}

/** ABC's seconds per query for each label of `hash`'s label map, as the
 * page's training worker runs it (its tolerance and budget). */
async function abc({ id, hash, n, eps, budget }) {
  const t = new WasmTrainer(hash);
  const perLabel = [];
  for (let label = 0; label < t.nLabels(); label++) {
    const t0 = performance.now();
    const r = t.abc(label, n, eps, budget, 99);
    perLabel.push({ label, ms: performance.now() - t0, simulations: r[0], accepted: r[1] });
  }
  t.free();
  postMessage({ type: 'abc', id, perLabel });
}

const handlers = { bench, soak, abc };

self.onmessage = async (e) => {
  await ready;
  try {
    await handlers[e.data.type]?.(e.data);
  } catch (err) {
    postMessage({ type: 'error', message: String(err.message || err) });
  }
};
