// The line-up's client: starts the methods worker for the link, asks it
// for each shown method's answer to the observed label, and keeps what it
// says (answers, training progress, the cGAN's losses) for the views of
// views/methods.js and views/cost-chart.js. The numbers, scores and
// captions are the core's; this file moves them and draws.
import { buildCells, drawCell, drawProgress } from './views/methods.js';
import { drawCostChart } from './views/cost-chart.js';
import { LossHistory } from './history.js';

const $ = (id) => document.getElementById(id);

/** Samples per answer: as many as the INN and exact panels draw. */
export const METHOD_SAMPLES = 2000;

export class MethodsPanel {
  /** `state`: the page state (label map, label); `link()`: the current
   * link; `change(key, value)`: a setting changed; `otherCosts()`: the
   * measured costs of the methods of the training worker (INN, ABC). */
  constructor(wasm, state, { link, change, otherCosts }) {
    this.wasm = wasm;
    this.state = state;
    this.link = link;
    this.change = change;
    this.otherCosts = otherCosts;
    this.worker = null;
    this.lineup = [];
    this.requests = new Map();
    this.nextId = 1;
    this.drawPending = false;
    this.clear();
  }

  clear() {
    /** Latest answer per method key, for the observed label. */
    this.answers = {};
    /** Training progress per method key: `{steps, planned, seconds}`. */
    this.progress = {};
    /** Methods whose training is done. */
    this.trained = new Set();
    this.ganLosses = new LossHistory(['step', 'generator', 'discriminator']);
  }

  /** A fresh worker for the current link: the networks train anew. */
  start() {
    this.clear();
    if (this.worker) this.worker.terminate();
    this.worker = new Worker(new URL('./methods-worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => this.showError(`The methods worker failed: ${e.message}`);
    this.worker.postMessage({ type: 'init', hash: this.link().hash });
  }

  receive(m) {
    if (m.type === 'ready') {
      if (!this.lineup.length) {
        this.lineup = m.lineup;
        buildCells($('posterior-grid'), $('method-picker'), this.lineup, {
          chains: (v) => this.change('mcmc_chains', v),
          shown: () => this.observe(),
        });
      }
      this.observe();
    } else if (m.type === 'progress') {
      this.progress[m.method] = m;
      if (m.method === 'cgan') this.ganLosses.push(m.rows);
      this.redraw();
    } else if (m.type === 'trained') {
      this.trained.add(m.method);
      this.ask(m.method);
    } else if (m.type === 'error' && !this.requests.has(m.id)) {
      this.showError(m.message);
    } else if (m.type === 'answer' || m.type === 'error') {
      const resolve = this.requests.get(m.id);
      this.requests.delete(m.id);
      if (resolve) resolve(m);
    } else if (m.type === 'panic') {
      window.innPanic(m.message);
    }
  }

  showError(text) { for (const m of this.lineup) $(`score-${m.key}`).textContent = text; }

  /** Whether the cell of `key` is built and shown. */
  shown(key) { const c = $(`cell-${key}`); return !!c && !c.hidden; }

  /** Asks `key` for the observed label, if it is shown and ready. */
  async ask(key) {
    const method = this.lineup.find((m) => m.key === key);
    if (!method || !this.shown(key) || (method.trains && !this.trained.has(key))) return;
    const label = this.state.label, labels = this.state.labels;
    const id = this.nextId++;
    const worker = this.worker;
    const r = await new Promise((resolve) => {
      this.requests.set(id, resolve);
      worker.postMessage({ type: 'query', id, method: key, label, n: METHOD_SAMPLES, hash: this.link().hash });
    });
    if (worker !== this.worker || label !== this.state.label || labels !== this.state.labels) return;
    if (r.type === 'error') { $(`score-${key}`).textContent = r.message; return; }
    this.answers[key] = r;
    this.redraw();
  }

  /** The observed label changed (or the set shown): every shown method answers it. */
  observe() {
    for (const k of Object.keys(this.answers)) if (this.answers[k].label !== this.state.label) delete this.answers[k];
    this.redraw();
    for (const m of this.lineup) this.ask(m.key);
  }

  /** Redraws the cells and the cost chart at the next frame. */
  redraw() {
    if (this.drawPending) return;
    this.drawPending = true;
    requestAnimationFrame(() => {
      this.drawPending = false;
      for (const m of this.lineup) {
        if (!this.shown(m.key)) continue;
        drawCell(m, this.answers[m.key], this.wasm, this.state, this.link().values);
        if (m.trains && !this.answers[m.key]) drawProgress(m, this.progress[m.key], this.trained.has(m.key));
      }
      if (this.shown('cgan')) {
        const rows = new Float32Array(this.ganLosses.filled()), p = this.progress.cgan;
        if (rows.length) this.wasm.drawLosses($('cv-cgan-losses'), rows, 'generator,discriminator', undefined);
        $('sum-cgan-losses').textContent = this.wasm.ganLossesText(rows, p?.planned ?? 0, p?.seconds ?? 0, this.trained.has('cgan'));
      }
      drawCostChart($('cv-cost'), this.wasm, this.costs(), $('sum-cost'));
    });
  }

  /** Every method's measured cost: `{name, training_seconds, seconds_per_query}`. */
  costs() {
    const mine = this.lineup.filter((m) => this.answers[m.key]).map((m) => {
      const c = this.answers[m.key].cost;
      return { name: m.short, training_seconds: c.paid_once ? c.training_seconds : 0, seconds_per_query: c.seconds_per_query };
    });
    return [...this.otherCosts(), ...mine];
  }

  /** What the tests read: each method's answer (without samples) and progress. */
  status() {
    const answers = Object.fromEntries(Object.entries(this.answers).map(([k, a]) => [k, { ...a, samples: a.samples.length / 2 }]));
    return { answers, progress: this.progress, trained: [...this.trained] };
  }
}
