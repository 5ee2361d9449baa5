// The views' refresh: what the panels show of the run (the worker's latest
// snapshot and scores, the ABC and exact references, the bar), which of
// them changed, and the animation frame that redraws those.
import { drawData } from './views/data.js';
import { drawForward } from './views/forward.js';
import { drawLatent } from './views/latent.js';
import { drawPosterior, describeModes, scoreText, buildPicker } from './views/posterior.js';
import { drawLosses } from './views/losses.js';
import { BarStatus } from './bar.js';

const $ = (id) => document.getElementById(id);

/** Posterior samples per panel. */
export const VIEW_SAMPLES = 2000;

// The loss curve redraws the whole history: four times a second looks live
// and leaves the CPU to training.
const LOSS_REDRAW_MS = 250;

const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

export class Views {
  constructor(wasm, state, training) {
    this.wasm = wasm;
    this.state = state;
    this.training = training;
    this.clear();
    this.dirty = new Set();
    this.lastDraw = 0;
    this.lastLossDraw = -Infinity;
  }

  /** A new run: nothing to show of it yet. `loaded`: the network came from a model file. */
  clear({ loaded = false } = {}) {
    /** The worker's latest samples and forward pass of the test points. */
    this.snapshot = null;
    /** The worker's latest scores. */
    this.evaluation = null;
    /** The latest ABC run for the observed label, with its score. */
    this.abc = null;
    /** Exact samples of the observed label, with their score. */
    this.exact = null;
    this.bar = new BarStatus({ loaded });
  }

  /** Marks panels to redraw at the next frame: 'forward', 'latent',
   * 'posterior', 'references', 'losses', 'bar'. */
  mark(...panels) { for (const p of panels) this.dirty.add(p); }

  markAll() { this.mark('forward', 'latent', 'posterior', 'references', 'losses', 'bar'); }

  /** The data panel and the colour picker: they change with the label map and the label. */
  showProblem(onPick) {
    drawData($('cv-data'), this.wasm, this.state, $('sum-data'));
    this.showPicker(onPick);
  }

  showPicker(onPick) { buildPicker($('label-picker'), this.state.nLabels, this.state.label, onPick); }

  /** The caption that defines the fidelity bar and says how often the
   * worker checks it (from its `ready` message). */
  describeBar(m) {
    $('bar-definition').textContent = `The fidelity bar is the one the core's tests hold the network to, for every colour: ${this.wasm.fidelityBarText()}. `
      + `While training, the page checks it every ${m.scoreMs / 1000} s on ${m.scoreSamples} samples per colour`
      + ` (once every colour has ${100 * m.nearBarInCorrect}% of its samples in a correct mode, and until it first clears the bar, every ${m.scoreNearMs / 1000} s,`
      + ` or as often as ${100 * m.scoreNearFraction}% of the worker's time allows where a check takes longer than ${m.scoreNearMs * m.scoreNearFraction} ms);`
      + ' the time counts training steps only.';
  }

  /** The line under the toolbar: step, whether training, speed, sampling time. */
  statusLine() {
    const t = this.training;
    const s = this.snapshot ? `, ${VIEW_SAMPLES} INN samples in ${this.snapshot.sampleMs.toFixed(1)} ms` : '';
    const rate = t.stepsPerS === null ? '' : `, ${t.stepsPerS.toFixed(0)} steps/s`;
    const cores = t.cores === 2 ? ' on 2 cores' : '';
    $('status').textContent = `step ${t.step}${t.running ? ` (training${cores}${rate})` : ''}${s}`;
  }

  /** Redraws each view every animation frame in which something changed. */
  start() {
    const frame = (now) => {
      // With reduced motion, views refresh once a second instead of every frame.
      const interval = reducedMotion.matches ? 1000 : 0;
      // New losses alone, before their turn, are no reason to redraw anything.
      const lossesOnlyWaiting = this.dirty.size === 1 && this.dirty.has('losses') && !this.lossesDue(now);
      if (this.dirty.size && !lossesOnlyWaiting && now - this.lastDraw >= interval) {
        this.lastDraw = now;
        this.draw();
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  lossesDue(now) { return now - this.lastLossDraw >= LOSS_REDRAW_MS; }

  draw() {
    const { wasm, state, snapshot: snap } = this;
    if (this.dirty.has('forward') && snap) {
      drawForward($('cv-forward'), state.problem.extent, state.testSet.points, snap.y, snap.nLabels, $('sum-forward'));
    }
    if (this.dirty.has('latent') && snap) {
      drawLatent($('cv-latent'), wasm, snap.z, snap.nz, state.testSet.labels, $('sum-latent'), this.evaluation?.latent?.roles);
    }
    if (this.dirty.has('posterior')) this.drawInn();
    // The ABC and exact panels change with the label and the ABC run, not
    // with training: redrawing them with every snapshot took main-thread
    // time from the two training workers.
    if (this.dirty.has('references')) this.drawReferences();
    if (this.dirty.has('bar')) {
      $('bar-status').textContent = this.bar.text();
      $('bar-status').classList.toggle('met', this.bar.first !== null);
    }
    const lossesWait = this.dirty.has('losses') && !this.lossesDue(performance.now());
    if (this.dirty.has('losses') && !lossesWait) {
      this.lastLossDraw = performance.now();
      const { losses } = this.training;
      drawLosses($('cv-losses'), wasm, losses.filled(), losses.names, $('sum-losses'), this.bar.first?.step);
    }
    this.dirty.clear();
    if (lossesWait) this.dirty.add('losses');
    this.statusLine();
  }

  drawInn() {
    const { wasm, state, snapshot: snap } = this;
    const inn = snap && snap.label === state.label ? snap.samples : null;
    drawPosterior($('cv-inn'), wasm, state, inn);
    const evalScore = this.evaluation?.labels?.[state.label];
    $('score-inn').textContent = inn
      ? scoreText(evalScore, `${VIEW_SAMPLES} samples in ${snap.sampleMs.toFixed(1)} ms. ${describeModes(wasm, state, inn)}.`
        + (state.noise === 1 ? '' : ' Drawn sharpened; the scores are for the training noise.'))
      : 'waiting for the network...';
  }

  drawReferences() {
    const { wasm, state, abc, exact } = this;
    drawPosterior($('cv-abc'), wasm, state, abc?.samples);
    $('score-abc').textContent = abc
      ? scoreText(abc.score, `${abc.simulations} simulations, acceptance ${(100 * abc.accepted / Math.max(1, abc.simulations)).toFixed(2)}%, ${abc.ms.toFixed(1)} ms, ${abc.accepted} samples. ${describeModes(wasm, state, abc.samples)}.`)
      : 'running ABC...';
    drawPosterior($('cv-exact'), wasm, state, exact?.samples);
    $('score-exact').textContent = exact ? scoreText(exact.score, `${describeModes(wasm, state, exact.samples)}.`) : '';
  }
}
