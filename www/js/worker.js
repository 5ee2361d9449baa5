// The training worker: owns the wasm trainer and runs it in short slices so
// that a pause from the page takes effect within one slice. It posts loss
// rows, snapshots for the views and scores; it never touches the DOM.
// Its pieces: run.js (steps, split with the helper of
// helper-link.js), scoring.js (when to score); this file holds the
// training loop and the page's messages.
import init, { WasmTrainer } from '../pkg/inn_playground.js';
import { helper } from './helper-link.js';
import { Run, trainExclusive } from './run.js';
import { schedule, scoreAll, scorePiece, restartScoring, cancelScoring } from './scoring.js';
import { yieldToEvents } from './yield.js';

const SLICE_MS = 15;        // training time between checks for messages
const SNAPSHOT_MS = 200;    // how often the views get fresh samples, at most
const SNAPSHOT_FRACTION = 0.08; // and at most this fraction of the time

let run = null;  // the Run being trained
let running = false;
let points = new Float32Array(0);
let view = { label: 0, n: 1000, noise: 1 };
let lastSnapshot = 0, stepsPerCall = 1, snapshotGap = SNAPSHOT_MS;
let broken = false;

self.innPanic = (message) => {
  broken = true;
  running = false;
  postMessage({ type: 'panic', message });
};

const ready = init();

/** Posts fresh samples and the forward pass of the test points. While
 * training (`between` given) it yields between the two, so that a pause
 * waits for one of them at most; it returns the time spent working. */
async function snapshot(between = null) {
  const t = run.trainer;
  const t0 = performance.now();
  const samples = t.samples(view.label, view.n, 1234, view.noise);
  const sampleMs = performance.now() - t0;
  if (between) {
    await between();
    if (!running) return sampleMs;
  }
  const t1 = performance.now();
  const fwd = t.forward(points);
  const forwardMs = performance.now() - t1;
  const nz = t.nZ();
  const n = points.length / 2;
  postMessage({
    type: 'snapshot', step: t.step(), label: view.label, samples, sampleMs,
    z: fwd.slice(0, n * nz), y: fwd.slice(n * nz), nz, nLabels: t.nLabels(),
  });
  return sampleMs + forwardMs;
}

async function runSteps(count) {
  const r = run;
  try {
    const started = performance.now();
    const done = await trainExclusive(r, count);
    if (!done || r !== run) return false;
    r.trainedMs += performance.now() - started;
    postMessage({ type: 'losses', rows: done.rows, split: done.split, transport: done.transport }, [done.rows.buffer]);
    return true;
  } catch (e) {
    running = false;
    if (!broken && r === run) postMessage({ type: 'diverged', message: String(e.message || e), step: r.trainer.step() });
    return false;
  }
}

let looping = false;
async function loop() {
  // One loop at a time: a play that comes while a paused loop is still
  // finishing its last yield lets that loop carry on.
  if (looping) return;
  looping = true;
  try {
    await trainWhileRunning();
  } finally {
    looping = false;
  }
}

async function trainWhileRunning() {
  while (running) {
    const start = performance.now();
    while (running && performance.now() - start < SLICE_MS) {
      const t0 = performance.now();
      if (!(await runSteps(stepsPerCall))) break;
      const dt = performance.now() - t0;
      // Aim for calls of ~4 ms so that slices end on time.
      stepsPerCall = Math.max(1, Math.min(64, Math.round(stepsPerCall * (dt > 0 ? 4 / dt : 2))));
    }
    // Every piece of work is followed by a yield, so a pause waits for at
    // most one of them.
    await yieldToEvents();
    if (running && performance.now() - lastSnapshot > snapshotGap) {
      // Fresh pictures cost inverse passes that training would otherwise
      // use: a slow snapshot (many samples, a big network) spaces them out.
      const busyMs = await snapshot(yieldToEvents);
      lastSnapshot = performance.now();
      snapshotGap = Math.max(SNAPSHOT_MS, busyMs / SNAPSHOT_FRACTION);
      await yieldToEvents();
    }
    if (running && scorePiece(run)) await yieldToEvents();
  }
  cancelScoring();
  if (run && !broken) {
    postMessage({ type: 'paused', step: run.trainer.step() });
    snapshot();
    scoreSoon();
  }
}

let scoreTimer = 0;
/** Full scores (with MMD) once the user stops stepping for a moment. */
function scoreSoon() {
  clearTimeout(scoreTimer);
  scoreTimer = setTimeout(() => { if (!running && run && !broken) scoreAll(run); }, 300);
}

function replace(trainer) {
  if (run) run.free();
  run = new Run(trainer);
  helper.canSplit(run);  // the helper gets the network before training starts
  postMessage({ type: 'ready', step: trainer.step(), config: JSON.parse(trainer.configJson()), nLabels: trainer.nLabels(), ...schedule() });
  snapshot();
}

helper.onReady = (isReady, owner) => {
  if (!isReady || owner === run) postMessage({ type: 'helper', ready: isReady });
};
helper.start();

const handlers = {
  init({ hash, testPoints }) { points = testPoints; running = false; replace(new WasmTrainer(hash)); },
  play() { if (!running && run && !broken) { running = true; restartScoring(); loop(); } },
  pause() { running = false; },
  async step() {
    if (running || !run) return;
    if (await runSteps(1)) { snapshot(); scoreSoon(); }
  },
  view({ label, n, noise }) {
    view = { label, n, noise };
    if (run && !running) snapshot();
  },
  samples({ id, label, n }) {
    const t0 = performance.now();
    const data = run.trainer.samples(label, n, 4321, 1);
    postMessage({ type: 'samples', id, data, ms: performance.now() - t0 });
  },
  abc({ id, label, n, eps, budget }) {
    const t0 = performance.now();
    const r = run.trainer.abc(label, n, eps, budget, 99);
    postMessage({ type: 'abc', id, label, simulations: r[0], accepted: r[1], samples: r.slice(2), ms: performance.now() - t0 });
  },
  load({ text }) {
    try {
      const t = WasmTrainer.fromModel(text);
      running = false;
      replace(t);
      postMessage({ type: 'loaded', step: t.step(), engineNotice: WasmTrainer.modelEngineNotice(text) });
    } catch (e) {
      postMessage({ type: 'loadError', message: String(e.message || e) });
    }
  },
  coupling({ id, label, n, noise, lo, hi, res }) {
    postMessage({ type: 'coupling', id, step: run.trainer.step(), ...run.trainer.couplingView(points, label, n, noise, lo, hi, res) });
  },
  couplingBlock({ id, label, n, noise, reverse, stage, row }) {
    postMessage({ type: 'couplingBlock', id, json: run.trainer.couplingBlock(points, label, n, noise, reverse, stage, row) });
  },
  exportModel() { postMessage({ type: 'model', text: run.trainer.modelJson() }); },
  /** Stops the helper worker as if it had crashed: training goes on here. */
  stopHelper() { helper.fail(); },
  /** Makes the helper's next packet throw, as a bug in it would: that step
   * finishes here, and training goes on in this worker. */
  failHelperStep() { helper.failNextPacket(); },
};

self.onmessage = async (e) => {
  await ready;
  const h = handlers[e.data.type];
  if (!h || broken) return;
  try {
    await h(e.data);
  } catch (err) {
    postMessage({ type: 'error', message: String(err.message || err) });
  }
};
