// The training worker: owns the wasm trainer and runs it in short slices so
// that a pause from the page takes effect within one slice. It posts loss
// rows, snapshots for the views and scores; it never touches the DOM.
import init, { WasmTrainer } from '../pkg/inn_playground.js';

const SLICE_MS = 15;        // training time between checks for messages
const SNAPSHOT_MS = 200;    // how often the views get fresh samples, at most
const SNAPSHOT_SHARE = 0.08; // and at most this share of the time
const SCORE_MS = 1500;      // how often scores are computed while training
const SCORE_SAMPLES = 1000;

let trainer = null;
let running = false;
let points = new Float32Array(0);
let view = { label: 0, n: 1000, noise: 1 };
let lastSnapshot = 0, lastScore = 0, stepsPerCall = 1, snapshotGap = SNAPSHOT_MS;
let broken = false;

self.innPanic = (message) => {
  broken = true;
  running = false;
  postMessage({ type: 'panic', message });
};

const ready = init();  // resolves to the wasm exports (memory included)

/** Lets queued messages (a pause) run before the next slice. */
const yieldToEvents = () => new Promise((resolve) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => resolve();
  ch.port2.postMessage(null);
});

/** Posts fresh samples and the forward pass of the test points. While
 * training (`between` given) it yields between the two, so that a pause
 * waits for one of them at most; it returns the time spent working. */
async function snapshot(between = null) {
  const t0 = performance.now();
  const samples = trainer.samples(view.label, view.n, 1234, view.noise);
  const sampleMs = performance.now() - t0;
  if (between) {
    await between();
    if (!running) return sampleMs;
  }
  const t1 = performance.now();
  const fwd = trainer.forward(points);
  const forwardMs = performance.now() - t1;
  const nz = trainer.nZ();
  const n = points.length / 2;
  postMessage({
    type: 'snapshot', step: trainer.step(), label: view.label, samples, sampleMs,
    z: fwd.slice(0, n * nz), y: fwd.slice(n * nz), nz, nLabels: trainer.nLabels(),
  });
  return sampleMs + forwardMs;
}

/** Scores every label at once, with the O(n^2) MMD: when paused. */
function scores() {
  const evaluation = JSON.parse(trainer.evaluate(SCORE_SAMPLES, 7, true));
  postMessage({ type: 'scores', step: trainer.step(), evaluation });
}

/** While training, scores come a piece at a time (one label, then the
 * latent space), each followed by a yield, so that a pause never waits
 * for all of them. The scores carry the step their first piece saw. */
let scoreJob = null;
function scorePiece() {
  const job = scoreJob;
  if (job.labels.length < job.nLabels) {
    const label = job.labels.length;
    job.labels.push(JSON.parse(trainer.evaluateLabel(label, SCORE_SAMPLES, 7 + label)));
    return;
  }
  const latent = JSON.parse(trainer.evaluateLatent(SCORE_SAMPLES, 7));
  postMessage({ type: 'scores', step: job.step, evaluation: { step: job.step, labels: job.labels, latent } });
  scoreJob = null;
  lastScore = performance.now();
}

function runSteps(count) {
  try {
    const rows = trainer.train(count);
    postMessage({ type: 'losses', rows }, [rows.buffer]);
    return true;
  } catch (e) {
    running = false;
    if (!broken) postMessage({ type: 'diverged', message: String(e.message || e), step: trainer.step() });
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
      if (!runSteps(stepsPerCall)) break;
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
      snapshotGap = Math.max(SNAPSHOT_MS, busyMs / SNAPSHOT_SHARE);
      await yieldToEvents();
    }
    if (running && !scoreJob && performance.now() - lastScore > SCORE_MS) {
      scoreJob = { step: trainer.step(), nLabels: trainer.nLabels(), labels: [] };
    }
    if (running && scoreJob) {
      scorePiece();
      await yieldToEvents();
    }
  }
  scoreJob = null;
  if (trainer && !broken) {
    postMessage({ type: 'paused', step: trainer.step() });
    snapshot();
    scoreSoon();
  }
}

let scoreTimer = 0;
/** Full scores (with MMD) once the user stops stepping for a moment. */
function scoreSoon() {
  clearTimeout(scoreTimer);
  scoreTimer = setTimeout(() => { if (!running && trainer && !broken) scores(); }, 300);
}

function replace(t) {
  if (trainer) trainer.free();
  trainer = t;
  postMessage({ type: 'ready', step: trainer.step(), config: JSON.parse(trainer.configJson()), nLabels: trainer.nLabels() });
  snapshot();
}

const handlers = {
  init({ hash, testPoints }) { points = testPoints; running = false; replace(new WasmTrainer(hash)); },
  play() { if (!running && trainer && !broken) { running = true; lastScore = performance.now(); loop(); } },
  pause() { running = false; },
  step() {
    if (running || !trainer) return;
    if (runSteps(1)) { snapshot(); scoreSoon(); }
  },
  view({ label, n, noise }) {
    view = { label, n, noise };
    if (trainer && !running) snapshot();
  },
  samples({ id, label, n }) {
    const t0 = performance.now();
    const data = trainer.samples(label, n, 4321, 1);
    postMessage({ type: 'samples', id, data, ms: performance.now() - t0 });
  },
  abc({ id, label, n, eps, budget }) {
    const t0 = performance.now();
    const r = trainer.abc(label, n, eps, budget, 99);
    postMessage({ type: 'abc', id, label, simulations: r[0], accepted: r[1], samples: r.slice(2), ms: performance.now() - t0 });
  },
  load({ text }) {
    try {
      const t = WasmTrainer.fromModel(text);
      running = false;
      replace(t);
      postMessage({ type: 'loaded', step: t.step() });
    } catch (e) {
      postMessage({ type: 'loadError', message: String(e.message || e) });
    }
  },
  exportModel() { postMessage({ type: 'model', text: trainer.modelJson() }); },
  /** Benchmark (cargo xtask bench): steps/s of a configuration, and the
   * training time until the fidelity bar holds (checks every 100 steps, not
   * timed), in this worker as the page trains. */
  /** Soak (cargo xtask bench --soak N): trains up to N steps, or for at
   * most `maxSeconds`, and reports the wasm memory at the start, along the
   * way and at the end. */
  async soak({ id, hash, steps, maxSeconds }) {
    const { memory } = await ready;
    const t = new WasmTrainer(hash);
    t.train(10);
    const start = memory.buffer.byteLength;
    const marks = [];
    const t0 = performance.now();
    let done = 0;
    while (done < steps && performance.now() - t0 < maxSeconds * 1000) {
      t.train(Math.min(100, steps - done));
      done += Math.min(100, steps - done);
      if (done % 2000 === 0) marks.push([done, memory.buffer.byteLength]);
    }
    const end = memory.buffer.byteLength;
    t.free();
    postMessage({ type: 'soak', id, steps: done, seconds: (performance.now() - t0) / 1000, startBytes: start, endBytes: end, marks });
  },
  bench({ id, hash, steps, toFidelity }) {
    const t = new WasmTrainer(hash);
    t.train(3);
    const t0 = performance.now();
    t.train(steps);
    const stepsPerS = steps / ((performance.now() - t0) / 1000);
    let timeToFidelity = null;
    if (toFidelity) {
      const f = new WasmTrainer(hash);
      const cfg = JSON.parse(f.configJson());
      let trained = 0;
      for (let s = 100; s <= cfg.steps; s += 100) {
        const a = performance.now();
        f.train(100);
        trained += performance.now() - a;
        if (f.fidelityFailures(2000, 77) === 0) { timeToFidelity = trained / 1000; break; }
      }
      f.free();
    }
    // The posterior panel redraws its 2000 samples at every snapshot: the
    // first draw also sizes the sampling buffers, so it is reported apart
    // from the median of the draws after it.
    const drawMs = [];
    for (let i = 0; i < 6; i++) {
      const s0 = performance.now();
      t.samples(0, 2000, 1 + i, 1);
      drawMs.push(performance.now() - s0);
    }
    const firstSampleMs = drawMs[0];
    const sampleMs = drawMs.slice(1).sort((a, b) => a - b)[2];
    t.free();
    postMessage({ type: 'bench', id, stepsPerS, timeToFidelity, sampleMs, firstSampleMs });
  },
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
