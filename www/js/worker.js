// The training worker: owns the wasm trainer and runs it in short slices so
// that a pause from the page takes effect within one slice. It posts loss
// rows, snapshots for the views and scores; it never touches the DOM.
import init, { WasmTrainer } from '../pkg/inn_playground.js';
import { C, allocate, bump, leave, waitForChange } from './shared-steps.js';

const SLICE_MS = 15;        // training time between checks for messages
const SNAPSHOT_MS = 200;    // how often the views get fresh samples, at most
const SNAPSHOT_SHARE = 0.08; // and at most this share of the time
const SCORE_MS = 1500;      // how often scores are computed while training
// ...and how often while the network is close to the fidelity bar and has
// not cleared it yet (every label with NEAR_BAR_IN_CORRECT of its samples
// in a correct mode; the bar asks for 0.93): the step at which the page
// says the bar was first cleared is then within about 100 steps of the
// bench's check, where every 1.5 s it lagged it by up to 300. Then the
// scores take at most SCORE_NEAR_SHARE of the worker's time, so that a
// slow machine, or eight colours (label map `all`, whose rounds cost
// twice those of `some`), spaces them out rather than train less.
const SCORE_NEAR_MS = 500;
const SCORE_NEAR_SHARE = 0.25;
const NEAR_BAR_IN_CORRECT = 0.9;
// As many samples per label as the core's tests and the bench score with:
// with 1000, chance alone often put one of a label's four mode shares
// more than 0.03 off, and the page said "not cleared" for hundreds of
// steps after the bench's check had passed (`some`, seed 3: first cleared
// on the page at step 1497, in the bench at 650; with 2000, at 726).
const SCORE_SAMPLES = 2000;
// The seed of every score the page shows: each label draws from it and its
// own number, the same draws whether the network trains or is paused.
const SCORE_SEED = 7;
const FIDELITY_CHECK_EVERY = 50; // steps between checks of the bar in the bench's time to it

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

/** Milliseconds `t` has spent in training steps in this worker (and its
 * helper): the page says how long the network took to clear the bar. */
const trainedMs = (t) => t.trainedMs ?? 0;

/** Samples per label for the O(n^2) MMD^2: 2000 took 290 ms in a worker,
 * which a step clicked meanwhile would wait for; 1000 take 70 ms. */
const MMD_SAMPLES = 1000;

/** Scores every label at once when paused: the bar's numbers from
 * SCORE_SAMPLES samples, as while training, and each label's MMD^2 (and
 * its noise floor) from the first MMD_SAMPLES of them. */
function scores() {
  const evaluation = JSON.parse(trainer.evaluate(SCORE_SAMPLES, SCORE_SEED, MMD_SAMPLES));
  postScores(trainer.step(), trainedMs(trainer), evaluation);
}

/** Posts scores with the verdict on the fidelity bar (every label scored,
 * none with a miss), which the page's bar line takes rather than judging
 * again, and notes where the network stands: the scores that first clear
 * the bar, paused or training, end the closer scoring near it. */
function postScores(step, trained, evaluation) {
  const { labels } = evaluation;
  const clearsBar = labels.length === trainer.nLabels() && labels.every((l) => l.bar_misses.length === 0);
  if (clearsBar) trainer.barCleared = true;
  trainer.nearBar = !trainer.barCleared && labels.every((l) => l.in_correct >= NEAR_BAR_IN_CORRECT);
  postMessage({ type: 'scores', step, trainedMs: trained, evaluation, clearsBar });
}

/** While training, scores come a piece at a time (one label, then the
 * latent space), each followed by a yield, so that a pause never waits
 * for all of them. The scores carry the step their first piece saw. */
let scoreJob = null;
let nearScoreGap = SCORE_NEAR_MS;
function scorePiece() {
  const job = scoreJob;
  const started = performance.now();
  if (job.labels.length < job.nLabels) {
    const label = job.labels.length;
    job.labels.push(JSON.parse(trainer.evaluateLabel(label, SCORE_SAMPLES, SCORE_SEED)));
    job.busyMs += performance.now() - started;
    return;
  }
  const latent = JSON.parse(trainer.evaluateLatent(SCORE_SAMPLES, SCORE_SEED));
  job.busyMs += performance.now() - started;
  nearScoreGap = Math.max(SCORE_NEAR_MS, job.busyMs / SCORE_NEAR_SHARE);
  postScores(job.step, job.trainedMs, { step: job.step, labels: job.labels, latent });
  scoreJob = null;
  lastScore = performance.now();
}

/** The helper worker on a second core (helper.js): it runs the inverse
 * share of each step while this worker runs the forward share: in the
 * bench's same minutes, 13.4 -> 11.4 ms a step on `fast` and 4.3 -> 3.0 ms
 * at 4 blocks x 64 x batch 256. The helper gets a trainer's network once
 * (`canSplit`), then the weights and batch with every step (`share`), and
 * the z rows of this worker's forward pass (`rows`) while it works on L_x:
 * it needs no forward pass of its own, which cut this worker's wait for
 * it from 0.16 to 0.08 of its own share's time on `fast`. Until it has
 * answered, and for good if it fails, steps run here alone, which gives
 * the same bits. */
const helper = {
  worker: null,
  owner: null,      // the trainer whose network the helper holds
  ready: false,
  generation: 0,    // replies of an older network or a failed request are ignored
  waiting: null,
  shared: null,     // the memory steps go through, for the network the helper holds
  sharedCount: 0,
  // Milliseconds of the shared steps: this worker's own share, its wait
  // for the helper, and the helper's share (for the bench's breakdown).
  timing: null,

  resetTiming() {
    this.timing = { steps: 0, own: 0, wait: 0, helper: 0 };
  },

  /** Whether steps go through shared memory: only a page isolated across
   * origins may share it (the server sends the headers for it). */
  get sharesMemory() {
    return self.crossOriginIsolated === true;
  },

  start() {
    if ((self.navigator.hardwareConcurrency || 1) < 2) return;
    try {
      this.worker = new Worker(new URL('./helper.js', import.meta.url), { type: 'module' });
    } catch {
      return;
    }
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = () => this.fail();
  },

  /** Whether the next step of `t` can be split; if the helper holds
   * another network, it is given this one for the steps after. */
  canSplit(t) {
    if (!this.worker) return false;
    if (this.owner !== t) {
      // A step of the previous network still waiting for its share (a
      // model loaded while training) goes on without it: its answer will
      // carry the old generation and be dropped.
      this.abandonWaiting();
      this.dropShared();
      this.owner = t;
      if (this.ready) postMessage({ type: 'helper', ready: false });
      this.ready = false;
      this.generation += 1;
      this.worker.postMessage({ type: 'init', generation: this.generation, model: t.modelJson() });
    }
    return this.ready;
  },

  /** The inverse share of step `step` from a `beginStep` packet. A helper
   * that has not answered within `patienceMs` (a crashed or starved
   * worker sends nothing) counts as failed, and the step goes on here. */
  share(step, packet, patienceMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(), patienceMs);
      this.waiting = { resolve, reject, timer };
      // Moved, not copied: cloning ~300 KB per step cost ~1 ms.
      this.worker.postMessage({ type: 'share', generation: this.generation, step, packet }, [packet.buffer]);
    });
  },

  /** One step of `t` split through shared memory; returns its loss row.
   * Synchronous, like `train`: the helper is told by a counter, not a
   * message, and each side spins briefly where it waits for the other.
   * A helper that fails or does not answer within `patienceMs` is
   * stopped, and the step finishes here. */
  sharedStep(t, patienceMs) {
    const step = t.step();
    const s = this.sharedFor(t);
    t.beginStep(s.packet);
    Atomics.store(s.ctl, C.STEP, step);
    const started = performance.now();
    bump(s.ctl, C.SHARE);
    if (Atomics.load(s.ctl, C.SERVING) === 0) {
      this.worker.postMessage({ type: 'serve', generation: this.generation, id: s.id, sab: s.sab, sizes: [s.packetLen, s.zLen, s.gradLen] });
    }
    s.z.set(t.forwardPass());
    bump(s.ctl, C.ROWS);
    t.forwardLosses();
    t.prefetchBatch();
    const ownDone = performance.now();
    const reply = waitForChange(s.ctl, C.REPLY, s.seenReply, started + patienceMs);
    if (reply === null || Atomics.load(s.ctl, C.FAILED)) {
      this.fail();
      const share = inverseShareHere(t, step);
      return t.finishStep(share.grads, share.losses[0], share.losses[1]);
    }
    s.seenReply = reply;
    const now = performance.now();
    slowestShareMs = Math.max(slowestShareMs, now - started);
    const tm = this.timing;
    tm.steps += 1;
    tm.own += ownDone - started;
    tm.wait += now - ownDone;
    tm.helper += s.losses[2];
    return t.finishStep(s.grads, s.losses[0], s.losses[1]);
  },

  /** The shared memory for `t`'s steps, made on its first split step. */
  sharedFor(t) {
    if (!this.shared) {
      const [packetLen, zLen, gradLen] = t.shareSizes();
      this.sharedCount += 1;
      this.shared = { ...allocate(packetLen, zLen, gradLen), id: this.sharedCount, seenReply: 0 };
    }
    return this.shared;
  },

  /** Lets go of the shared memory (the network changed or the helper
   * failed): a helper waiting on it goes back to its messages. */
  dropShared() {
    if (this.shared) leave(this.shared);
    this.shared = null;
  },

  /** The z rows of the step `share` began, which the helper's
   * reconstruction waits for (if the helper is still there). */
  rows(z) {
    if (this.waiting) this.worker.postMessage({ type: 'rows', generation: this.generation, z }, [z.buffer]);
  },

  receive(m) {
    if (m.generation !== this.generation) return;
    if (m.type === 'ready') {
      this.ready = true;
      if (this.owner === trainer) postMessage({ type: 'helper', ready: true });
    } else if (m.type === 'share' && this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      clearTimeout(w.timer);
      w.resolve(m);
    } else if (m.type === 'failed') {
      this.fail();
    }
  },

  /** The helper's wasm memory in bytes (null without a helper). */
  memory() {
    if (!this.worker) return Promise.resolve(null);
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = (e) => resolve(e.data);
      this.worker.postMessage({ type: 'memory' }, [ch.port2]);
    });
  },

  /** Stops the helper for good; a step waiting for it goes on here. */
  fail() {
    if (this.worker) {
      this.worker.terminate();
      postMessage({ type: 'helper', ready: false });
    }
    this.worker = null;
    this.ready = false;
    this.owner = null;
    this.dropShared();
    this.abandonWaiting();
  },

  /** The step waiting for a share stops waiting and runs it itself. */
  abandonWaiting() {
    const w = this.waiting;
    this.waiting = null;
    if (w) {
      clearTimeout(w.timer);
      w.reject(new Error('the helper worker stopped'));
    }
  },
};
helper.resetTiming();
helper.start();

// How long a step waits for the helper before going on alone: this plus
// 20 times the slowest answer so far (the paper preset's take ~0.3 s).
const HELPER_PATIENCE_MS = 2000;
let slowestShareMs = 0;

/** Up to `count` steps of `t`, split across both workers where the helper
 * is ready: the loss rows as `train` gives them, and whether they were
 * split; null if `t` was replaced meanwhile. Throws on divergence. */
async function trainSteps(t, count) {
  if (!helper.canSplit(t)) return { rows: t.train(count), split: false };
  if (helper.sharesMemory) return { rows: sharedSteps(t, count), split: true, transport: 'shared memory' };
  let rows = null;
  for (let i = 0; i < count; i++) {
    const step = t.step();
    const packet = t.beginStep(null);
    const started = performance.now();
    const reply = helper.share(step, packet, HELPER_PATIENCE_MS + 20 * slowestShareMs);
    helper.rows(t.forwardPass());
    t.forwardLosses();
    t.prefetchBatch();
    let share = null;
    try {
      share = await reply;
    } catch {
      // The helper is gone: its share runs here, below.
    }
    if (t.freed) return null;  // replaced (reset, load) while waiting
    if (share) slowestShareMs = Math.max(slowestShareMs, performance.now() - started);
    else share = inverseShareHere(t, step);
    rows = collectRow(rows, t.finishStep(share.grads, share.losses[0], share.losses[1]), i, count);
  }
  return { rows, split: true, transport: 'messages' };
}

/** Step `i`'s loss row put into `rows` (made at the first of `count`
 * steps), laid out as `train` lays them. */
function collectRow(rows, row, i, count) {
  rows ??= new Float32Array(count * row.length);
  rows.set(row, i * row.length);
  return rows;
}

/** The inverse share of step `step` run here, when the helper is gone: its
 * gradient and losses, as the helper would have sent them. */
function inverseShareHere(t, step) {
  return { grads: t.inverseShareHere(step), losses: t.inverseLosses() };
}

/** `count` steps of `t` split through shared memory (the rest here alone
 * if the helper fails on the way), laid out as `train` lays them. */
function sharedSteps(t, count) {
  let rows = null;
  for (let i = 0; i < count; i++) {
    const row = helper.ready ? helper.sharedStep(t, HELPER_PATIENCE_MS + 20 * slowestShareMs) : t.train(1);
    rows = collectRow(rows, row, i, count);
  }
  return rows;
}

/** Waits (up to 5 s) until the helper holds `t`'s network, as it does on
 * the page by the time a user presses train. */
async function helperReady(t) {
  const until = performance.now() + 5000;
  while (helper.worker && !helper.canSplit(t) && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One call of `trainSteps` at a time: a step from the step button and
 * one of the training loop never interleave on the same trainer. */
let stepQueue = Promise.resolve();
function trainExclusive(t, count) {
  const run = stepQueue.then(() => trainSteps(t, count));
  stepQueue = run.catch(() => {});
  return run;
}

async function runSteps(count) {
  const t = trainer;
  try {
    const started = performance.now();
    const done = await trainExclusive(t, count);
    if (!done || t !== trainer) return false;
    t.trainedMs = trainedMs(t) + performance.now() - started;
    postMessage({ type: 'losses', rows: done.rows, split: done.split, transport: done.transport ?? null }, [done.rows.buffer]);
    return true;
  } catch (e) {
    running = false;
    if (!broken && t === trainer) postMessage({ type: 'diverged', message: String(e.message || e), step: trainer.step() });
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
      snapshotGap = Math.max(SNAPSHOT_MS, busyMs / SNAPSHOT_SHARE);
      await yieldToEvents();
    }
    if (running && !scoreJob && performance.now() - lastScore > (trainer.nearBar ? nearScoreGap : SCORE_MS)) {
      scoreJob = { step: trainer.step(), trainedMs: trainedMs(trainer), nLabels: trainer.nLabels(), labels: [], busyMs: 0 };
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

/** Frees a trainer, marking it so that a step still waiting for the
 * helper drops its result. */
function release(t) {
  t.freed = true;
  t.free();
}

function replace(t) {
  if (trainer) release(trainer);
  trainer = t;
  helper.canSplit(t);  // the helper gets the network before training starts
  postMessage({ type: 'ready', step: trainer.step(), config: JSON.parse(trainer.configJson()), nLabels: trainer.nLabels(), scoreMs: SCORE_MS, scoreNearMs: SCORE_NEAR_MS, nearBarInCorrect: NEAR_BAR_IN_CORRECT, scoreSamples: SCORE_SAMPLES });
  snapshot();
}

const handlers = {
  init({ hash, testPoints }) { points = testPoints; running = false; replace(new WasmTrainer(hash)); },
  play() { if (!running && trainer && !broken) { running = true; lastScore = performance.now(); loop(); } },
  pause() { running = false; },
  async step() {
    if (running || !trainer) return;
    if (await runSteps(1)) { snapshot(); scoreSoon(); }
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
  /** Stops the helper worker as if it had crashed: training goes on here. */
  stopHelper() { helper.fail(); },
  /** Makes the helper's next share throw, as a bug in it would: that step
   * finishes here, and training goes on in this worker. */
  failHelperShare() { helper.worker?.postMessage({ type: 'failNextShare' }); },
  /** Soak (cargo xtask bench --soak N): trains up to N steps, or for at
   * most `maxSeconds`, and reports the wasm memory at the start, along the
   * way and at the end. */
  async soak({ id, hash, steps, maxSeconds }) {
    const { memory } = await ready;
    const t = new WasmTrainer(hash);
    await helperReady(t);
    await trainExclusive(t, 10);
    const start = memory.buffer.byteLength;
    const helperStart = await helper.memory();
    const marks = [];
    const t0 = performance.now();
    let done = 0;
    while (done < steps && performance.now() - t0 < maxSeconds * 1000) {
      await trainExclusive(t, Math.min(100, steps - done));
      done += Math.min(100, steps - done);
      if (done % 2000 === 0) marks.push([done, memory.buffer.byteLength]);
    }
    const end = memory.buffer.byteLength;
    const helperEnd = await helper.memory();
    release(t);
    postMessage({ type: 'soak', id, steps: done, seconds: (performance.now() - t0) / 1000, startBytes: start, endBytes: end, marks, helperStart, helperEnd });
  },
  /** Benchmark (cargo xtask bench): steps/s of a configuration, and the
   * training time until the fidelity bar holds (checks every FIDELITY_CHECK_EVERY
   * steps, not timed), in this worker and its helper as the page trains. */
  async bench({ id, hash, steps, toFidelity, alone }) {
    const t = new WasmTrainer(hash);
    // `alone`: this worker without its helper, for comparison.
    const train = alone ? async (n) => t.train(n) : (n) => trainExclusive(t, n);
    if (!alone) await helperReady(t);
    await train(3);
    helper.resetTiming();
    const t0 = performance.now();
    await train(steps);
    const stepsPerS = steps / ((performance.now() - t0) / 1000);
    const tm = helper.timing;
    const perStep = tm.steps ? { own: tm.own / tm.steps, wait: tm.wait / tm.steps, helper: tm.helper / tm.steps } : null;
    let timeToFidelity = null, stepsToFidelity = null;
    if (toFidelity) {
      const f = new WasmTrainer(hash);
      await helperReady(f);
      const cfg = JSON.parse(f.configJson());
      let trained = 0;
      for (let s = FIDELITY_CHECK_EVERY; s <= cfg.steps; s += FIDELITY_CHECK_EVERY) {
        const a = performance.now();
        await trainExclusive(f, FIDELITY_CHECK_EVERY);
        trained += performance.now() - a;
        if (f.fidelityFailures(2000, 77) === 0) { timeToFidelity = trained / 1000; stepsToFidelity = s; break; }
      }
      release(f);
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
    release(t);
    const transport = alone ? 'one worker' : helper.sharesMemory ? 'shared memory' : 'messages';
    postMessage({ type: 'bench', id, transport, perStep, stepsPerS, timeToFidelity, stepsToFidelity, checkEvery: FIDELITY_CHECK_EVERY, sampleMs, firstSampleMs });
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
