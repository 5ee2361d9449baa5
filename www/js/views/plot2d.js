// Canvas helpers shared by the scatter views: the world-to-pixel mapping,
// the colour-blind-safe label palette with a shape per label as a second
// cue, and a guard that never draws a non-finite point.

/** Okabe-Ito colours; with label map "some" the first four follow the paper's red, blue, green, purple roles. */
export const PALETTE = ['#D55E00', '#0072B2', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
export const COLOUR_NAMES = ['red', 'blue', 'green', 'purple', 'orange', 'sky blue', 'black', 'yellow'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'plus', 'cross', 'star', 'ring'];

/** A square view of [lo, hi]^2 on a canvas. */
export function frame(canvas, [lo, hi]) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height;
  const sx = w / (hi - lo), sy = h / (hi - lo);
  return {
    ctx, w, h, lo, hi,
    px: (x) => (x - lo) * sx,
    py: (y) => (hi - y) * sy,
    clear() { ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h); },
  };
}

/** Light axes through the origin. */
export function axes(f) {
  const { ctx } = f;
  ctx.strokeStyle = '#ddd';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(f.px(f.lo), f.py(0)); ctx.lineTo(f.px(f.hi), f.py(0));
  ctx.moveTo(f.px(0), f.py(f.lo)); ctx.lineTo(f.px(0), f.py(f.hi));
  ctx.stroke();
}

/** One marker of a label's shape at pixel (x, y). */
export function marker(ctx, label, x, y, r) {
  const shape = SHAPES[label % SHAPES.length];
  ctx.beginPath();
  switch (shape) {
    case 'square': ctx.rect(x - r, y - r, 2 * r, 2 * r); break;
    case 'triangle': ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.1, y + r); ctx.lineTo(x - r * 1.1, y + r); ctx.closePath(); break;
    case 'diamond': ctx.moveTo(x, y - r * 1.3); ctx.lineTo(x + r * 1.1, y); ctx.lineTo(x, y + r * 1.3); ctx.lineTo(x - r * 1.1, y); ctx.closePath(); break;
    case 'plus': ctx.rect(x - r * 1.2, y - r * 0.4, r * 2.4, r * 0.8); ctx.rect(x - r * 0.4, y - r * 1.2, r * 0.8, r * 2.4); break;
    case 'cross': ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r); ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r); break;
    case 'star': for (let i = 0; i < 5; i++) { const a = -Math.PI / 2 + i * 4 * Math.PI / 5; ctx.lineTo(x + r * 1.3 * Math.cos(a), y + r * 1.3 * Math.sin(a)); } ctx.closePath(); break;
    case 'ring': ctx.arc(x, y, r, 0, 2 * Math.PI); break;
    default: ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
  if (shape === 'cross' || shape === 'ring') { ctx.stroke(); } else { ctx.fill(); }
}

/** Scatters `pts` (x0, x1 pairs) in one label's colour and shape; returns how many were drawn. */
export function scatter(f, pts, label, { alpha = 0.55, r = 2.2, alphas = null } = {}) {
  const { ctx } = f;
  ctx.fillStyle = PALETTE[label % PALETTE.length];
  ctx.strokeStyle = PALETTE[label % PALETTE.length];
  ctx.lineWidth = 1.2;
  let drawn = 0;
  for (let i = 0; i + 1 < pts.length; i += 2) {
    const x = pts[i], y = pts[i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    ctx.globalAlpha = alphas ? alphas[i / 2] : alpha;
    marker(ctx, label, f.px(x), f.py(y), r);
    drawn++;
  }
  ctx.globalAlpha = 1;
  return drawn;
}

/** Draws a density grid (row-major from the top) as grey shading. */
export function shade(f, grid, gw, gh) {
  const img = f.ctx.createImageData(gw, gh);
  let max = 0;
  for (const v of grid) if (Number.isFinite(v) && v > max) max = v;
  for (let i = 0; i < grid.length; i++) {
    const t = max > 0 && Number.isFinite(grid[i]) ? Math.sqrt(grid[i] / max) : 0;
    const g = Math.round(255 - 70 * t);
    img.data.set([g, g, g, 255], 4 * i);
  }
  const off = new OffscreenCanvas(gw, gh);
  off.getContext('2d').putImageData(img, 0, 0);
  f.ctx.imageSmoothingEnabled = true;
  f.ctx.drawImage(off, 0, 0, f.w, f.h);
}
