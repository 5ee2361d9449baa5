// Where the network stands against the fidelity bar, as the worker's
// scores say it: the first scores in which every colour cleared it, and
// what misses it in the latest ones. The verdict is the core's
// (`clearsBar`, `bar_misses`); this only keeps and words it.
import { COLOUR_NAMES } from './views/plot2d.js';

export class BarStatus {
  /** `loaded`: the network came from a model file, whose training time is
   * not known. */
  constructor({ loaded = false } = {}) {
    this.loaded = loaded;
    /** `{step, seconds}` of the first scores that cleared it, or null. */
    this.first = null;
    /** The step of the latest scores, or null before any. */
    this.step = null;
    /** Every miss of the latest scores, each named by its colour. */
    this.misses = null;
    /** Per colour, its first miss and how many more: the line stays short. */
    this.summary = null;
  }

  /** Takes a `scores` message; returns whether it is the first to clear the bar. */
  note(m) {
    const labels = m.evaluation.labels;
    this.step = m.step;
    this.misses = labels.flatMap((l) => l.bar_misses.map((miss) => `${COLOUR_NAMES[l.label]}: ${miss}`));
    this.summary = labels.filter((l) => l.bar_misses.length).map((l) => {
      const more = l.bar_misses.length - 1;
      return `${COLOUR_NAMES[l.label]}: ${l.bar_misses[0]}${more ? ` (+${more} more)` : ''}`;
    });
    if (!m.clearsBar || this.first) return false;
    this.first = { step: m.step, seconds: m.trainedMs / 1000 };
    return true;
  }

  /** The line above the posterior panel. */
  text() {
    if (this.step === null) return 'Fidelity bar: not scored yet.';
    const now = this.misses.length
      ? `at step ${this.step} it misses: ${this.summary.join('; ')}.`
      : `every colour clears it at step ${this.step}.`;
    if (!this.first) return `Fidelity bar: not cleared yet; ${now}`;
    const when = this.loaded
      ? `at step ${this.first.step} (of the loaded model)`
      : `at step ${this.first.step}, after ${this.first.seconds.toFixed(1)} s of training`;
    return `Fidelity bar: every colour first cleared it ${when}${this.misses.length ? `; ${now}` : '.'}`;
  }
}
