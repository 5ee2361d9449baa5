// What the page is looking at: the problem of the link's label map, as the
// core describes it for drawing, the fixed test points of the forward and
// latent panels, the observed label y* and the sampling noise. main.js
// changes it through these methods; the views and the worker client read it.

/** Test points drawn once per label map, with their labels. */
const TEST_POINTS = 800;
const TEST_SEED = 11;

export class PageState {
  constructor(wasm) {
    this.wasm = wasm;
    /** The label map's name (`some`, `all`, `none`), or the drawn mixture's link text. */
    this.labels = null;
    /** The core's description: `{nLabels, modes: [{centre, std, label, inModeRadius}], extent}`. */
    this.problem = null;
    /** `{points: Float32Array of x0, x1 pairs, labels: Uint8Array}`. */
    this.testSet = null;
    /** The observed label y* of the posterior panel. */
    this.label = 0;
    /** The sampling noise of the posterior samples (1: as trained). */
    this.noise = 1;
  }

  get nLabels() { return this.problem.nLabels; }

  /** A label map from the link: its problem and test points; the observed
   * label is kept where the map has it. */
  setLabels(labels) {
    this.labels = labels;
    this.problem = JSON.parse(this.wasm.problemView(labels));
    this.label = Math.min(this.label, this.nLabels - 1);
    const prior = this.wasm.priorSamples(labels, TEST_POINTS, TEST_SEED);
    const points = new Float32Array(2 * TEST_POINTS), pointLabels = new Uint8Array(TEST_POINTS);
    for (let i = 0; i < TEST_POINTS; i++) {
      points[2 * i] = prior[3 * i]; points[2 * i + 1] = prior[3 * i + 1]; pointLabels[i] = prior[3 * i + 2];
    }
    this.testSet = { points, labels: pointLabels };
  }
}
