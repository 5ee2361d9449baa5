// Data panel: prior samples coloured by label over the exact density, and
// the modes (with the editor of a mixture drawn by hand, when the page has one).
import { frame, axes, scatter, shade, COLOUR_NAMES } from './plot2d.js';

const GRID = 120;
const POINTS = 1600;
const SEED = 5;

/** What draws the modes over the samples and edits them (mix-editor.js). */
let editor = null;

/** Registers the editor that draws the modes after each redraw. */
export function setDataEditor(e) { editor = e; }

/** `state`: the page's state (label map or drawn mixture, and the core's description of its problem). */
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
  editor?.paint(f);
  const counts = [...byLabel.keys()].sort().map((l) => `${COLOUR_NAMES[l]}: ${byLabel.get(l).length / 2} points`);
  const drawn = editor?.drawn ? ' drawn by hand' : '';
  const modes = state.problem.modes.map((m) => `(${m.centre[0].toFixed(2)}, ${m.centre[1].toFixed(2)}) ${COLOUR_NAMES[m.label]} std ${m.std}`);
  summaryEl.textContent = `Prior samples of the ${state.problem.modes.length}-mode mixture${drawn} with ${byLabel.size} labels (${counts.join(', ')}). Modes: ${modes.join('; ')}.`;
}
