// Data panel: prior samples coloured by label over the exact density.
import { frame, axes, scatter, shade, COLOUR_NAMES } from './plot2d.js';

export function drawData(canvas, wasm, labels, summaryEl) {
  const f = frame(canvas);
  const gw = 120;
  shade(f, wasm.densityGrid(labels, -1, gw, gw, f.lo, f.hi), gw, gw);
  axes(f);
  const pts = wasm.priorSamples(labels, 1600, 5);
  const byLabel = new Map();
  for (let i = 0; i < pts.length; i += 3) {
    const l = pts[i + 2];
    if (!byLabel.has(l)) byLabel.set(l, []);
    byLabel.get(l).push(pts[i], pts[i + 1]);
  }
  for (const [l, p] of byLabel) scatter(f, p, l, { alpha: 0.6 });
  const counts = [...byLabel.keys()].sort().map((l) => `${COLOUR_NAMES[l]}: ${byLabel.get(l).length / 2} points`);
  summaryEl.textContent = `Prior samples of the 8-mode mixture with ${byLabel.size} labels (${counts.join(', ')}).`;
}
