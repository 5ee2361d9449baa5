// Posterior panel: INN samples, ABC samples and exact samples for the chosen
// observed label, each over the exact posterior density, with scores.
import { frame, axes, scatter, shade, PALETTE, COLOUR_NAMES } from './plot2d.js';

const GRID = 90;
// The exact density depends only on the label map and the label: computed
// once per pair, not on every redraw of the three canvases.
const grids = new Map();

/** Draws one posterior canvas for the state's label map and observed
 * label; returns how many finite samples were drawn. */
export function drawPosterior(canvas, wasm, state, samples) {
  const f = frame(canvas, state.problem.extent);
  const key = `${state.labels}:${state.label}`;
  if (!grids.has(key)) grids.set(key, wasm.densityGrid(state.labels, state.label, GRID, GRID, f.lo, f.hi));
  shade(f, grids.get(key), GRID, GRID);
  axes(f);
  return samples ? scatter(f, samples, state.label, { alpha: 0.4, r: 1.8 }) : 0;
}

/** Text summary of where samples of the observed label fall: its modes and
 * the share in each, counted by the core as the scores count them. */
export function describeModes(wasm, state, samples) {
  if (!samples || samples.length === 0) return 'no samples yet';
  const { n, modes, inside } = JSON.parse(wasm.modeCounts(state.labels, state.label, samples));
  const percent = (count) => Math.round(100 * count / n);
  const parts = modes.map((m) => `(${m.centre[0].toFixed(1)}, ${m.centre[1].toFixed(1)}): ${percent(m.count)}%`);
  return `${modes.length} mode${modes.length > 1 ? 's' : ''} at ${parts.join(', ')}; ${percent(inside)}% of samples inside a mode`;
}

/** A panel's score against the exact posterior, then `extra`. */
export function scoreText(score, extra) {
  if (!score) return extra;
  const inMode = `${(100 * score.in_correct).toFixed(1)}% in a correct mode, ${(100 * score.in_wrong).toFixed(1)}% in a wrong one; mass error ${score.max_mass_error.toFixed(3)}`;
  const mmd = score.mmd2 === null ? 'MMD² is computed when training pauses' : `MMD² ${score.mmd2.toExponential(1)} (floor ${score.mmd2_floor.toExponential(1)})`;
  return `${inMode}; ${mmd}.\n${extra}`;
}

/** The label chooser: one radio button per colour, keyboard operable. */
export function buildPicker(el, nLabels, current, onPick) {
  el.textContent = '';
  const buttons = [];
  for (let l = 0; l < nLabels; l++) {
    const b = document.createElement('button');
    b.type = 'button';
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', String(l === current));
    b.tabIndex = l === current ? 0 : -1;
    b.dataset.label = String(l);
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = PALETTE[l];
    b.append(sw, document.createTextNode(COLOUR_NAMES[l]));
    b.addEventListener('click', () => onPick(l));
    b.addEventListener('keydown', (e) => {
      const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
      if (d) { e.preventDefault(); const n = (l + d + nLabels) % nLabels; onPick(n); buttons[n].focus(); }
    });
    buttons.push(b);
    el.append(b);
  }
}
