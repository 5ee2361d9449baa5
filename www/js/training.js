// The training worker's client: starts the worker, sends it commands, and
// keeps what its messages say of the run (step, speed, helper, losses).
// What the views show (snapshots, scores) and what the user must read
// (notices) go to the callbacks in `on`; this file knows no DOM.
import { LossHistory } from './history.js';

/** Training speed as the page sees it (snapshots included), over ~2 s. */
class SpeedMeter {
  constructor() { this.mark = null; this.stepsPerS = null; }

  note(step, now) {
    if (!this.mark) {
      this.mark = { t: now, step };
    } else if (now - this.mark.t >= 2000) {
      this.stepsPerS = ((step - this.mark.step) * 1000) / (now - this.mark.t);
      this.mark = { t: now, step };
    }
  }
}

export class Training {
  /** `lossNames`: the wasm module's names of a loss row's values. `on`:
   * `running(on)`, `ready(m)`, `losses()`, `snapshot(m)`, `scores(m)`,
   * `loaded(m)`, `model(m)`, `notice(text, options)`, `panic(message)`. */
  constructor(lossNames, on) {
    this.on = on;
    this.losses = new LossHistory(lossNames);
    this.worker = null;
    this.running = false;
    this.step = 0;
    /** 2 while steps are split with the helper worker, else 1. */
    this.cores = 1;
    /** How split steps reach the helper: 'shared memory', 'messages' or null. */
    this.transport = null;
    this.helperReady = false;
    this.speed = new SpeedMeter();
    /** When Pause was clicked (0: not waiting), and how long the worker took to confirm it. */
    this.pauseClickedAt = 0;
    this.pauseLatencyMs = null;
    this.requests = new Map();
    this.nextId = 1;
  }

  get stepsPerS() { return this.speed.stepsPerS; }

  setRunning(on) {
    this.running = on;
    this.speed = new SpeedMeter();
    this.on.running(on);
  }

  /** A fresh worker for the link `hash`, with the test points of the forward pass. */
  start(hash, testPoints) {
    this.losses.clear();
    this.step = 0;
    this.setRunning(false);
    if (this.worker) this.worker.terminate();
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e) => { if (Object.hasOwn(HANDLERS, e.data.type)) HANDLERS[e.data.type].call(this, e.data); };
    this.worker.onerror = (e) => this.on.notice(`The training worker failed: ${e.message}`, { reload: true });
    this.worker.postMessage({ type: 'init', hash, testPoints });
  }

  post(message) { this.worker.postMessage(message); }

  /** Which posterior samples the snapshots carry: `n` of `label` with sampling `noise`. */
  view({ label, n, noise }) { this.post({ type: 'view', label, n, noise }); }

  play() { this.setRunning(true); this.post({ type: 'play' }); }

  pause() {
    this.pauseClickedAt = performance.now();
    this.pauseLatencyMs = null;  // until the worker confirms this pause
    this.post({ type: 'pause' });
    this.setRunning(false);
  }

  /** Replaces the network with a model file's (`text`). */
  load(text) {
    this.setRunning(false);
    this.post({ type: 'load', text });
  }

  /** Posts `type` with `payload`; resolves with the worker's answer. */
  request(type, payload) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.requests.set(id, resolve);
      this.post({ type, id, ...payload });
    });
  }

  answer(m) {
    this.requests.get(m.id)?.(m);
    this.requests.delete(m.id);
  }
}

// The worker's messages, called with `this` the client.
const HANDLERS = {
  ready(m) { this.step = m.step; this.on.ready(m); },
  losses(m) {
    this.step = this.losses.push(m.rows);
    this.speed.note(this.step, performance.now());
    this.cores = m.split ? 2 : 1;
    this.transport = m.transport;
    this.on.losses();
  },
  helper(m) { this.helperReady = m.ready; },
  snapshot(m) { this.step = Math.max(this.step, m.step); this.on.snapshot(m); },
  scores(m) { this.nextScores = m.next; this.on.scores(m); },
  paused(m) {
    if (this.pauseClickedAt) { this.pauseLatencyMs = performance.now() - this.pauseClickedAt; this.pauseClickedAt = 0; }
    this.step = m.step;
    this.setRunning(false);
  },
  diverged(m) {
    this.setRunning(false);
    this.on.notice(`Training stopped: ${m.message}. The views show the last finite state. Lower the learning rate, or reset.`, { reset: true });
  },
  panic(m) { this.setRunning(false); this.on.panic(m.message); },
  loadError(m) { this.on.notice(`The model file was not loaded: ${m.message}. The current model is kept.`); },
  loaded(m) {
    this.losses.clear();
    this.step = m.step;
    this.on.loaded(m);
  },
  model(m) { this.on.model(m); },
  samples(m) { this.answer(m); },
  abc(m) { this.answer(m); },
  coupling(m) { this.answer(m); },
  couplingBlock(m) { this.answer(m); },
  error(m) { this.on.notice(`Error: ${m.message}`); },
};
