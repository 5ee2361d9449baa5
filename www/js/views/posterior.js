// Posterior panel: INN samples, ABC samples and exact samples for the chosen
// observed label, each over the exact posterior density, with scores.
import { frame, axes, scatter, shade, PALETTE, COLOUR_NAMES } from './plot2d.js';

const GRID = 90;
// The exact density depends only on the label map and the label: computed
// once per pair, not on every redraw of the three canvases.
const grids = new Map();

/** Draws one posterior canvas; returns how many finite samples were drawn. */
export function drawPosterior(canvas, wasm, labels, label, samples) {
  const f = frame(canvas);
  const key = `${labels}:${label}`;
  if (!grids.has(key)) grids.set(key, wasm.densityGrid(labels, label, GRID, GRID, f.lo, f.hi));
  shade(f, grids.get(key), GRID, GRID);
  axes(f);
  return samples ? scatter(f, samples, label, { alpha: 0.4, r: 1.8 }) : 0;
}

/** Text summary of where samples fall: modes of the label hit and the share in each. */
export function describeModes(modes, samples) {
  if (!samples || samples.length === 0) return 'no samples yet';
  const counts = modes.map(() => 0);
  let inside = 0;
  for (let i = 0; i + 1 < samples.length; i += 2) {
    modes.forEach((m, k) => {
      if (Math.hypot(samples[i] - m[0], samples[i + 1] - m[1]) <= 0.6) { counts[k]++; inside++; }
    });
  }
  const n = samples.length / 2;
  const parts = modes.map((m, k) => `(${m[0].toFixed(1)}, ${m[1].toFixed(1)}): ${Math.round(100 * counts[k] / n)}%`);
  return `${modes.length} mode${modes.length > 1 ? 's' : ''} at ${parts.join(', ')}; ${Math.round(100 * inside / n)}% of samples inside a mode`;
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
