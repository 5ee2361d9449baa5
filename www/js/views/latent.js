// Latent panel: z of the test points against the N(0, I) target, with
// marginal histograms.
import { frame, scatter } from './plot2d.js';

function histogram(values, lo, hi, bins) {
  const h = new Array(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const b = Math.floor((v - lo) / (hi - lo) * bins);
    if (b >= 0 && b < bins) h[b]++;
  }
  return h;
}

export function drawLatent(canvas, z, nz, trueLabels, summaryEl) {
  const f = frame(canvas, -4, 4);
  f.clear();
  const { ctx } = f;
  ctx.strokeStyle = '#888';
  ctx.setLineDash([4, 4]);
  for (const r of [1, 2]) {
    ctx.beginPath();
    ctx.arc(f.px(0), f.py(0), r * (f.w / 8), 0, 2 * Math.PI);
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
  // Marginals along the bottom and the left edge, with the N(0, 1) curve.
  const bins = 40, hmax = 0.14 * f.h;
  const gauss = (x) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  for (const [vals, horizontal] of [[z0, true], [z1, false]]) {
    const h = histogram(vals, -4, 4, bins);
    const scale = hmax / Math.max(1, n * (8 / bins) * gauss(0));
    ctx.fillStyle = 'rgba(80,80,80,0.35)';
    h.forEach((c, b) => {
      const len = c * scale, pos = b * f.w / bins, width = f.w / bins;
      if (horizontal) ctx.fillRect(pos, f.h - len, width, len);
      else ctx.fillRect(0, f.h - pos - width, len, width);
    });
    ctx.strokeStyle = '#000';
    ctx.beginPath();
    for (let i = 0; i <= 100; i++) {
      const x = -4 + 8 * i / 100, len = n * (8 / bins) * gauss(x) * scale;
      const p = (x + 4) / 8 * f.w;
      if (horizontal) ctx.lineTo(p, f.h - len); else ctx.lineTo(len, f.h - p);
    }
    ctx.stroke();
  }
  const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
  const m0 = mean(z0), m1 = mean(z1);
  const sd = (v, m) => Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
  const dims = nz > 2 ? ` (the first 2 of ${nz} latent dimensions)` : '';
  summaryEl.textContent = `z${dims} of ${n} test points: mean (${m0.toFixed(2)}, ${m1.toFixed(2)}), std (${sd(z0, m0).toFixed(2)}, ${sd(z1, m1).toFixed(2)}); the target is mean 0 and std 1 in each direction.`;
}
