// Latent panel: z of the test points against the N(0, I) target, with
// marginal histograms. The target's density and the moments of z are the
// core's; this file only draws them.
import { frame, scatter } from './plot2d.js';

/** The square shown: the target's +-4 std. */
const EXTENT = [-4, 4];
const BINS = 40;
/** Points along each target curve. */
const CURVE = 101;

function histogram(values, lo, hi, bins) {
  const h = new Array(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const b = Math.floor((v - lo) / (hi - lo) * bins);
    if (b >= 0 && b < bins) h[b]++;
  }
  return h;
}

/** `roles`: the core's sentence on what each latent dimension carries
 * (from the latest scores), if there is one yet. */
export function drawLatent(canvas, wasm, z, nz, trueLabels, summaryEl, roles) {
  const f = frame(canvas, EXTENT);
  const [lo, hi] = EXTENT;
  f.clear();
  const { ctx } = f;
  ctx.strokeStyle = '#888';
  ctx.setLineDash([4, 4]);
  // The target's circles at 1 and 2 standard deviations.
  for (const r of [1, 2]) {
    ctx.beginPath();
    ctx.arc(f.px(0), f.py(0), f.px(r) - f.px(0), 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  const n = trueLabels.length;
  const groups = new Map();
  const z0 = [], z1 = [];
  for (let i = 0; i < n; i++) {
    const a = z[i * nz], b = z[i * nz + 1];
    z0.push(a); z1.push(b);
    if (!groups.has(trueLabels[i])) groups.set(trueLabels[i], []);
    groups.get(trueLabels[i]).push(a, b);
  }
  for (const [l, p] of groups) scatter(f, p, l, { alpha: 0.45, r: 2 });
  // Marginals along the bottom and the left edge, with the target's curve
  // scaled to the counts a bin would hold.
  const xs = Float64Array.from({ length: CURVE }, (_, i) => lo + (hi - lo) * i / (CURVE - 1));
  const target = wasm.latentTargetDensity(xs);
  const binWidth = (hi - lo) / BINS;
  const scale = (0.14 * f.h) / Math.max(1, n * binWidth * Math.max(...target));
  for (const [vals, horizontal] of [[z0, true], [z1, false]]) {
    const h = histogram(vals, lo, hi, BINS);
    ctx.fillStyle = 'rgba(80,80,80,0.35)';
    h.forEach((c, b) => {
      const len = c * scale, pos = b * f.w / BINS, width = f.w / BINS;
      if (horizontal) ctx.fillRect(pos, f.h - len, width, len);
      else ctx.fillRect(0, f.h - pos - width, len, width);
    });
    ctx.strokeStyle = '#000';
    ctx.beginPath();
    xs.forEach((x, i) => {
      const len = n * binWidth * target[i] * scale;
      const p = f.px(x);
      if (horizontal) ctx.lineTo(p, f.h - len); else ctx.lineTo(len, f.h - p);
    });
    ctx.stroke();
  }
  const moments = wasm.latentMoments(z.subarray(0, n * nz), nz);
  const [m0, m1, s0, s1] = [moments[0], moments[1], moments[nz], moments[nz + 1]].map((v) => v.toFixed(2));
  const dims = nz > 2 ? ` (the first 2 of ${nz} latent dimensions)` : '';
  summaryEl.textContent = `z${dims} of ${n} test points: mean (${m0}, ${m1}), std (${s0}, ${s1}); the target is mean 0 and std 1 in each direction.${roles ? ` ${roles}` : ''}`;
}
