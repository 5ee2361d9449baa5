// Forward panel: each test point in the colour of the network's predicted
// label, faint where the prediction is unsure.
import { frame, axes, scatter, COLOUR_NAMES } from './plot2d.js';

/** `extent`: the `[lo, hi]` of the square of x the problem is drawn in. */
export function drawForward(canvas, extent, points, y, nLabels, summaryEl) {
  const f = frame(canvas, extent);
  f.clear();
  axes(f);
  const n = points.length / 2;
  const groups = Array.from({ length: nLabels }, () => ({ pts: [], alphas: [] }));
  let confident = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < nLabels; k++) if (y[i * nLabels + k] > y[i * nLabels + best]) best = k;
    const v = y[i * nLabels + best];
    if (!Number.isFinite(v)) continue;
    const conf = Math.min(1, Math.max(0.08, v));
    if (conf > 0.8) confident++;
    groups[best].pts.push(points[2 * i], points[2 * i + 1]);
    groups[best].alphas.push(conf * 0.8);
  }
  groups.forEach((g, l) => scatter(f, g.pts, l, { alphas: g.alphas }));
  const shares = groups.map((g, l) => `${COLOUR_NAMES[l]} ${Math.round(100 * g.pts.length / 2 / n)}%`);
  summaryEl.textContent = `Predicted labels of ${n} test points: ${shares.join(', ')}; ${Math.round(100 * confident / n)}% predicted with confidence above 0.8.`;
}
