// Drawing the arm to scale: the rail, a fan of arms with their tips, the
// target. The joints come from the core (armJoints); this file maps the
// arm's plane to pixels with one scale for both axes.

/** Colours of the fans (Okabe-Ito): exact, INN, ABC, MCMC, and the target. */
export const ARM_COLOURS = { exact: '#333333', inn: '#0072B2', abc: '#D55E00', mcmc: '#CC79A7', target: '#E69F00' };

/** The canvas's view of the arm's box `extent` ([[y1 lo, hi], [y2 lo, hi]]):
 * one pixel scale for both axes, the box centred. */
export function armFrame(canvas, extent) {
  const ctx = canvas.getContext('2d');
  const [[x0, x1], [y0, y1]] = extent;
  const s = Math.min(canvas.width / (x1 - x0), canvas.height / (y1 - y0));
  const ox = (canvas.width - s * (x1 - x0)) / 2, oy = (canvas.height - s * (y1 - y0)) / 2;
  // The mapping, for tests that point at an arm's point.
  canvas.dataset.frame = JSON.stringify({ x0, y1, ox, oy, scale: s });
  return {
    ctx, scale: s,
    px: (x) => ox + (x - x0) * s,
    py: (y) => oy + (y1 - y) * s,
    /** The arm's point under pixel (u, v) of the canvas as shown (CSS pixels). */
    fromClient(u, v) {
      const r = canvas.getBoundingClientRect();
      const k = canvas.width / r.width;
      return [x0 + ((u - r.left) * k - ox) / s, y1 - ((v - r.top) * k - oy) / s];
    },
  };
}

/** The background: the rail (the vertical line at 0) and the reach. */
export function drawRail(f, extent, reach) {
  const { ctx } = f;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.strokeStyle = '#eee';
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  for (const x of [-reach, reach]) { ctx.moveTo(f.px(x), f.py(extent[1][0])); ctx.lineTo(f.px(x), f.py(extent[1][1])); }
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.strokeStyle = '#999';
  ctx.lineWidth = 4;
  ctx.beginPath();
  ctx.moveTo(f.px(0), f.py(extent[1][0])); ctx.lineTo(f.px(0), f.py(extent[1][1]));
  ctx.stroke();
}

/** Draws the arms of `joints` (8 numbers per arm: base, two joints, tip)
 * as translucent lines with their tips marked, at most `max` of them taken
 * evenly through the list (a Markov chain's draws come chain after chain);
 * returns the number drawn and the mean of their tips. */
export function drawFan(f, joints, colour, { max = 300, alpha = 0.15 } = {}) {
  const { ctx } = f;
  const total = Math.floor(joints.length / 8);
  const stride = Math.max(1, Math.floor(total / max));
  const n = Math.min(max, Math.floor(total / stride));
  ctx.strokeStyle = colour;
  ctx.globalAlpha = alpha;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let a = 0; a < n; a++) {
    const o = 8 * a * stride;
    ctx.moveTo(f.px(joints[o]), f.py(joints[o + 1]));
    for (let p = 1; p < 4; p++) ctx.lineTo(f.px(joints[o + 2 * p]), f.py(joints[o + 2 * p + 1]));
  }
  ctx.stroke();
  ctx.globalAlpha = Math.min(1, alpha * 4);
  ctx.fillStyle = colour;
  let tx = 0, ty = 0;
  for (let a = 0; a < n; a++) {
    const x = joints[8 * a * stride + 6], y = joints[8 * a * stride + 7];
    tx += x; ty += y;
    ctx.fillRect(f.px(x) - 1.5, f.py(y) - 1.5, 3, 3);
  }
  ctx.globalAlpha = 1;
  return { drawn: n, tip: n ? [tx / n, ty / n] : null };
}

/** The target: a ring with a cross; with `radius` (arm units) also the
 * tolerance circle around it. */
export function drawTarget(f, [x, y], { radius = 0, focused = false } = {}) {
  const { ctx } = f;
  const u = f.px(x), v = f.py(y);
  if (radius > 0) {
    ctx.strokeStyle = ARM_COLOURS.abc;
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.arc(u, v, radius * f.scale, 0, 2 * Math.PI); ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.strokeStyle = ARM_COLOURS.target;
  ctx.lineWidth = focused ? 3.5 : 2.5;
  ctx.beginPath(); ctx.arc(u, v, 9, 0, 2 * Math.PI); ctx.stroke();
  ctx.beginPath(); ctx.moveTo(u - 13, v); ctx.lineTo(u + 13, v); ctx.moveTo(u, v - 13); ctx.lineTo(u, v + 13); ctx.stroke();
}

/** Each coordinate's histogram, side by side: the exact one filled grey,
 * each method's (`series`: [{ colour, marginals }]) as a step line. */
export function drawMarginals(canvas, exact, series) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height, k = exact.length;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const pw = W / k, top = 18, bottom = H - 18;
  ctx.font = '12px system-ui, sans-serif';
  for (let i = 0; i < k; i++) {
    const m = exact[i];
    const x0 = i * pw + 6, w = pw - 12, bins = m.exact.length;
    const peak = Math.max(...m.exact, ...series.flatMap((s) => s.marginals[i].density)) || 1;
    const y = (d) => bottom - (d / peak) * (bottom - top);
    ctx.fillStyle = '#ccc';
    for (let b = 0; b < bins; b++) ctx.fillRect(x0 + (b * w) / bins, y(m.exact[b]), w / bins, bottom - y(m.exact[b]));
    for (const s of series) {
      const d = s.marginals[i].density;
      ctx.strokeStyle = s.colour;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x0, bottom);
      for (let b = 0; b < bins; b++) { ctx.lineTo(x0 + (b * w) / bins, y(d[b])); ctx.lineTo(x0 + ((b + 1) * w) / bins, y(d[b])); }
      ctx.lineTo(x0 + w, bottom);
      ctx.stroke();
    }
    ctx.fillStyle = '#1a1a1a';
    ctx.fillText(m.name, x0, 13);
    ctx.fillStyle = '#555';
    ctx.fillText(m.lo.toFixed(2), x0, H - 4);
    const hi = m.hi.toFixed(2);
    ctx.fillText(hi, x0 + w - ctx.measureText(hi).width, H - 4);
  }
}
