// Data panel: prior samples coloured by label over the exact density.
import { frame, axes, scatter, shade, COLOUR_NAMES } from './plot2d.js';

const GRID = 120;
const POINTS = 1600;
const SEED = 5;

/** `state`: the page's state (label map and the core's description of its problem). */
export function drawData(canvas, wasm, state, summaryEl) {
  const f = frame(canvas, state.problem.extent);
  shade(f, wasm.densityGrid(state.labels, -1, GRID, GRID, f.lo, f.hi), GRID, GRID);
  axes(f);
  const pts = wasm.priorSamples(state.labels, POINTS, SEED);
  const byLabel = new Map();
  for (let i = 0; i < pts.length; i += 3) {
    const l = pts[i + 2];
    if (!byLabel.has(l)) byLabel.set(l, []);
    byLabel.get(l).push(pts[i], pts[i + 1]);
  }
  for (const [l, p] of byLabel) scatter(f, p, l, { alpha: 0.6 });
  const counts = [...byLabel.keys()].sort().map((l) => `${COLOUR_NAMES[l]}: ${byLabel.get(l).length / 2} points`);
  summaryEl.textContent = `Prior samples of the ${state.problem.modes.length}-mode mixture with ${byLabel.size} labels (${counts.join(', ')}).`;
}
