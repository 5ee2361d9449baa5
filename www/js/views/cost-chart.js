// The cost chart: total seconds of answering K different observations,
// K = 1..1000, on log scales, one line per method, with the points where a
// method that pays once (training) meets one that pays per query. The
// lines and crossings are the core's (costChart); this file draws them.
const K_MAX = 1000;
const COLOURS = ['#000000', '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9'];
const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3], [], [4, 4], [1, 3]];
const PAD = { l: 52, r: 120, t: 12, b: 34 };

const log10 = Math.log10;

/** Draws `costs` (`[{name, training_seconds, seconds_per_query}]`) on
 * `canvas` and says the crossings in `summary`. */
export function drawCostChart(canvas, wasm, costs, summary) {
  const ctx = canvas.getContext('2d');
  const { width: w, height: h } = canvas;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  if (!costs.length) { summary.textContent = 'Waiting for the methods\' first answers...'; return; }
  const { lines, crossings } = JSON.parse(wasm.costChart(costs.map((c) => c.name).join('\n'), Float64Array.from(costs, (c) => c.training_seconds), Float64Array.from(costs, (c) => c.seconds_per_query), K_MAX));
  const ys = lines.flatMap((l) => l.points.map((p) => p[1])).filter((v) => v > 0);
  const yLo = Math.floor(log10(Math.min(...ys))), yHi = Math.ceil(log10(Math.max(...ys)));
  const px = (k) => PAD.l + (log10(k) / log10(K_MAX)) * (w - PAD.l - PAD.r);
  const py = (s) => h - PAD.b - ((log10(s) - yLo) / Math.max(1, yHi - yLo)) * (h - PAD.t - PAD.b);
  ctx.strokeStyle = '#ccc';
  ctx.fillStyle = '#333';
  ctx.font = '11px sans-serif';
  ctx.lineWidth = 1;
  for (let e = yLo; e <= yHi; e++) {
    ctx.beginPath(); ctx.moveTo(PAD.l, py(10 ** e)); ctx.lineTo(w - PAD.r, py(10 ** e)); ctx.stroke();
    ctx.fillText(`${10 ** e >= 1 ? 10 ** e : `1e${e}`} s`, 4, py(10 ** e) + 4);
  }
  for (let e = 0; e <= log10(K_MAX); e++) {
    ctx.beginPath(); ctx.moveTo(px(10 ** e), PAD.t); ctx.lineTo(px(10 ** e), h - PAD.b); ctx.stroke();
    ctx.fillText(String(10 ** e), px(10 ** e) - 8, h - PAD.b + 14);
  }
  ctx.fillText('K, the number of different observations asked', PAD.l + 60, h - 6);
  lines.forEach((l, i) => {
    ctx.strokeStyle = COLOURS[i % COLOURS.length];
    ctx.setLineDash(DASHES[i % DASHES.length]);
    ctx.lineWidth = 2;
    ctx.beginPath();
    l.points.filter((p) => p[1] > 0).forEach(([k, s], j) => (j ? ctx.lineTo(px(k), py(s)) : ctx.moveTo(px(k), py(s))));
    ctx.stroke();
    ctx.beginPath(); ctx.moveTo(w - PAD.r + 8, PAD.t + 8 + 16 * i); ctx.lineTo(w - PAD.r + 30, PAD.t + 8 + 16 * i); ctx.stroke();
    ctx.fillStyle = '#333';
    ctx.fillText(l.name, w - PAD.r + 34, PAD.t + 12 + 16 * i);
  });
  ctx.setLineDash([]);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#000';
  for (const c of crossings) {
    ctx.beginPath(); ctx.arc(px(c.k), py(c.seconds), 4, 0, 2 * Math.PI); ctx.stroke();
    ctx.fillText(`K ≈ ${Math.ceil(c.k)}`, px(c.k) + 6, py(c.seconds) + 14);
  }
  const said = crossings.map((c) => `${c.paid_once} becomes cheaper than ${c.per_query} from K ≈ ${Math.ceil(c.k)}`);
  summary.textContent = said.length ? `Circles: ${said.join('; ')}.` : 'No line that pays once crosses a line that pays per query between K = 1 and 1000.';
}
