// Coupling panel: the network opened up. The core computes every stage (the
// test points, grid lines of the x plane, a colour's posterior samples), picks
// the two columns shown of each, the block shown at each stage and its live
// values in either direction, and log|det J|; this file asks the training
// worker for them and draws.
import { frame, scatter, COLOUR_NAMES } from './plot2d.js';

const HEAT = 48;       // log|det J| cells per side
const SAMPLES = 500;   // posterior samples followed from z to x
const GAP_MS = 1000;   // fresh numbers at most once a second while training
const $ = (id) => document.getElementById(id);
/** Two decimals, a figure space for the sign of a positive value; a
 * value that rounds to zero is 0.00, never -0.00. */
const fmt = (v) => {
  const t = v.toFixed(2);
  return /^-0\.00$/.test(t) ? '\u20070.00' : (v < 0 ? '' : '\u2007') + t;
};

export class CouplingPanel {
  /** `request(type, payload)`: the worker's answer; `state`: the page state. */
  constructor(request, state) {
    Object.assign(this, { request, state, timer: 0, seen: false });
    this.clear();
    this.range = $('cp-stage');
    this.range.oninput = () => { this.draw(); this.fetchBlock(); };
    $('cp-reverse').onchange = () => { if (this.view) { this.draw(); this.drawHeat(); this.fetchBlock(); } };
    // A tap (touch or pen) picks a point as hovering does.
    $('cv-coupling').onpointermove = $('cv-coupling').onpointerdown = (e) => this.pick(e);
    new IntersectionObserver((es) => { this.seen = es.some((e) => e.isIntersecting); if (this.seen) this.refresh(); }).observe($('coupling'));
  }

  /** A new run: answers still on their way belong to the old one. */
  clear() { Object.assign(this, { view: null, rows: [0, 0], busy: false, last: 0, gen: (this.gen || 0) + 1 }); }

  /** Asks for fresh numbers (new weights, colour or noise), at most once a second. */
  refresh() {
    clearTimeout(this.timer);
    const wait = this.last + GAP_MS - performance.now();
    if (!this.seen || this.busy) { this.stale = true; return; }
    if (wait > 0) { this.timer = setTimeout(() => this.refresh(), wait); return; }
    this.busy = true; this.stale = false;
    const [lo, hi] = this.state.problem.extent;
    const { label, noise } = this.state;
    const gen = this.gen;
    this.request('coupling', { label, n: SAMPLES, noise, lo, hi, res: HEAT }).then((m) => {
      if (gen !== this.gen) return;
      this.busy = false; this.last = performance.now();
      this.view = { ...m, meta: JSON.parse(m.meta), label, noise };
      const stages = this.view.meta.stages.length;
      if (+this.range.max !== stages - 1) { this.range.max = stages - 1; this.range.value = 0; }
      this.draw(); this.drawHeat(); this.fetchBlock();
      if (this.stale) this.refresh();
    });
  }

  /** The stage shown: the scrubber runs from x forward, or from the output back. */
  stage() {
    const s = +this.range.value;
    return this.reverse() ? +this.range.max - s : s;
  }

  reverse() { return $('cp-reverse').checked; }

  /** The point whose values are shown: a test point forward, a posterior sample in reverse. */
  get row() { return this.rows[+this.reverse()]; }
  set row(r) { this.rows[+this.reverse()] = r; }

  /** The shown set at stage `k`: the test points forward, the posterior samples in reverse. */
  shownAt(k) { return this.slice(this.reverse() ? this.view.samples : this.view.points, k); }

  /** Where the chosen point is in the x plane. */
  chosenX() { const c = this.shownAt(0); return [c[2 * this.row], c[2 * this.row + 1]]; }

  /** The chosen point in words. */
  chosenName() { return this.reverse() ? `posterior sample ${this.row} of ${COLOUR_NAMES[this.view.label]}` : `test point ${this.row}`; }

  /** The shown set's pairs at stage `k`. */
  slice(arr, k) { const per = arr.length / this.view.meta.stages.length; return arr.subarray(k * per, (k + 1) * per); }

  draw() {
    const v = this.view;
    if (!v) return;
    const k = this.stage(), st = v.meta.stages[k], rev = this.reverse();
    const shown = this.shownAt(k);
    // A square around the origin holding 98% of the shown points.
    const abs = Array.from(shown, Math.abs).filter(Number.isFinite).sort((a, b) => a - b);
    const m = Math.max(1, 1.15 * (abs[Math.floor(0.98 * (abs.length - 1))] || 1));
    const f = this.f = frame($('cv-coupling'), [-m, m]);
    f.clear();
    const { ctx } = f, g = this.slice(v.grid, k), P = v.meta.gridPoints;
    ctx.strokeStyle = '#bbb'; ctx.lineWidth = 1;
    for (let l = 0; l < 2 * v.meta.gridLines; l++) {
      ctx.beginPath();
      for (let p = 0; p < P; p++) { const i = 2 * (l * P + p); if (Number.isFinite(g[i] + g[i + 1])) ctx.lineTo(f.px(g[i]), f.py(g[i + 1])); }
      ctx.stroke();
    }
    if (rev) scatter(f, shown, v.label, { alpha: 0.5, r: 2 });
    else {
      const groups = new Map(), labels = this.state.testSet.labels;
      labels.forEach((l, i) => { if (!groups.has(l)) groups.set(l, []); groups.get(l).push(shown[2 * i], shown[2 * i + 1]); });
      for (const [l, p] of groups) scatter(f, p, l, { alpha: 0.5, r: 2 });
    }
    ctx.strokeStyle = '#000'; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(f.px(shown[2 * this.row]), f.py(shown[2 * this.row + 1]), 6, 0, 7); ctx.stroke();
    ctx.fillStyle = '#333'; ctx.font = '12px system-ui';
    ctx.fillText(`\u2192 ${st.columns[0]}`, 6, f.h - 6);
    ctx.save(); ctx.translate(14, f.h - 24); ctx.rotate(-Math.PI / 2); ctx.fillText(`\u2192 ${st.columns[1]}`, 0, 0); ctx.restore();
    $('cp-stage-name').textContent = `stage ${k} of ${v.meta.stages.length - 1}: ${st.name}`;
    const mean = (j) => (shown.filter((_, i) => i % 2 === j).reduce((a, b) => a + b, 0) / (shown.length / 2)).toFixed(2);
    $('sum-coupling').textContent = `Stage ${k}, ${st.name}: ${rev ? `${shown.length / 2} posterior samples of ${COLOUR_NAMES[v.label]}, followed from [z, pad, y*] back to x` : `${shown.length / 2} test points, followed from x to [z, pad, y]`},`
      + ` shown by ${st.columns.join(' and ')}, mean (${mean(0)}, ${mean(1)}); circled: ${this.chosenName()}, whose values fill the equations of the ${rev ? 'inverse of the ' : ''}block beside the view;`
      + ` grey: grid lines of the x plane, padding at zero, carried forward to this stage. Step ${v.step}.`;
  }

  /** The nearest shown point to the cursor gets the block's equations. */
  pick(e) {
    if (!this.view) return;
    const r = e.target.getBoundingClientRect(), f = this.f;
    const px = (e.clientX - r.left) * f.w / r.width, py = (e.clientY - r.top) * f.h / r.height;
    const c = this.shownAt(this.stage());
    let best = 0, bd = Infinity;
    for (let i = 0; i < c.length / 2; i++) { const d = (f.px(c[2 * i]) - px) ** 2 + (f.py(c[2 * i + 1]) - py) ** 2; if (d < bd) { bd = d; best = i; } }
    if (best !== this.row) { this.row = best; this.draw(); this.drawHeat(); this.fetchBlock(); }
  }

  /** The live values of the block shown at this stage (the core picks it) on the chosen point. */
  async fetchBlock() {
    const v = this.view;
    if (!v) return;
    const reverse = this.reverse(), row = this.row, key = (this.blockKey || 0) + 1;
    this.blockKey = key;
    const m = await this.request('couplingBlock', { label: v.label, n: SAMPLES, noise: v.noise, reverse, stage: this.stage(), row });
    if (key !== this.blockKey || v !== this.view) return;
    const b = JSON.parse(m.json), [x1, x2] = this.chosenX();
    const tr = (name, vals, note) => `<tr><th>${name}</th>${vals.map((v) => `<td>${fmt(v)}</td>`).join('')}<td>${note}</td></tr>`;
    const a = `a(s) = ${b.clamp} \u00b7 0.636 \u00b7 atan(s / ${b.clamp}), so |s| &lt; ${b.clamp}`;
    const at = `x = (${x1.toFixed(2)}, ${x2.toFixed(2)})`;
    const rows = b.inverse
      ? [['v1', b.v1, 'input'], ['v2', b.v2, 'input'], ['\u015d1', b.s1_raw, 'net1(v1)'], ['s1', b.s1, 'a(\u015d1)'], ['t1', b.t1, 'net1(v1)'], ['u2', b.u2, '(v2 - t1) \u2299 exp(-s1)'],
        ['\u015d2', b.s2_raw, 'net2(u2)'], ['s2', b.s2, 'a(\u015d2)'], ['t2', b.t2, 'net2(u2)'], ['u1', b.u1, '(v1 - t2) \u2299 exp(-s2)']]
      : [['u1', b.u1, 'input'], ['u2', b.u2, 'input'], ['\u015d2', b.s2_raw, 'net2(u2)'], ['s2', b.s2, 'a(\u015d2)'], ['t2', b.t2, 'net2(u2)'], ['v1', b.v1, 'u1 \u2299 exp(s2) + t2'],
        ['\u015d1', b.s1_raw, 'net1(v1)'], ['s1', b.s1, 'a(\u015d1)'], ['t1', b.t1, 'net1(v1)'], ['v2', b.v2, 'u2 \u2299 exp(s1) + t1']];
    const head = b.inverse
      ? `<p>The inverse of block ${b.block + 1} on ${this.chosenName()}, which reaches ${at}: its input v = [v1, v2] at stage ${b.from}, undone in the opposite order to u = [u1, u2] at stage ${b.to}:</p>`
        + `<p class="eqs">[\u015d1, t1] = net1(v1); s1 = a(\u015d1); u2 = (v2 - t1) \u2299 exp(-s1)<br>[\u015d2, t2] = net2(u2); s2 = a(\u015d2); u1 = (v1 - t2) \u2299 exp(-s2)<br>`
        + `${a}; log|det J\u207b\u00b9| = -\u03a3 s1 - \u03a3 s2 = ${b.logdet.toFixed(3)}</p>`
      : `<p>Block ${b.block + 1} on ${this.chosenName()} at ${at}: its input u = [u1, u2] at stage ${b.from}, its output v = [v1, v2] at stage ${b.to}:</p>`
        + `<p class="eqs">[\u015d2, t2] = net2(u2); s2 = a(\u015d2); v1 = u1 \u2299 exp(s2) + t2<br>[\u015d1, t1] = net1(v1); s1 = a(\u015d1); v2 = u2 \u2299 exp(s1) + t1<br>`
        + `${a}; log|det J| = \u03a3 s2 + \u03a3 s1 = ${b.logdet.toFixed(3)}</p>`;
    $('cp-eq').innerHTML = `${head}<div class="eq-table" tabindex="0" role="region" aria-label="The block's values"><table><tbody>${rows.map((r) => tr(...r)).join('')}</tbody></table></div>`;
  }

  /** log|det J| over the x plane, light to dark from its least to its greatest value, with the scale under it. */
  drawHeat() {
    const cv = $('cv-logdet'), ctx = cv.getContext('2d'), d = this.view.logdet, w = cv.width;
    const vals = Array.from(d).filter(Number.isFinite);
    const lo = Math.min(...vals), hi = Math.max(...vals), span = Math.max(1e-6, hi - lo);
    const STOPS = [[255, 247, 188], [236, 112, 20], [102, 37, 6]];
    const col = (t) => { const u = Math.min(1.999, Math.max(0, 2 * t)), i = Math.floor(u), f = u - i; return STOPS[i].map((a, j) => Math.round(a + f * (STOPS[i + 1][j] - a))); };
    const img = new ImageData(HEAT, HEAT);
    d.forEach((v, i) => img.data.set(Number.isFinite(v) ? [...col((v - lo) / span), 255] : [255, 255, 255, 255], 4 * i));
    const off = new OffscreenCanvas(HEAT, HEAT);
    off.getContext('2d').putImageData(img, 0, 0);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, cv.height);
    ctx.imageSmoothingEnabled = false; ctx.drawImage(off, 0, 0, w, w);
    for (let i = 0; i < w; i++) { ctx.fillStyle = `rgb(${col(i / (w - 1))})`; ctx.fillRect(i, w + 4, 1, 12); }
    ctx.fillStyle = '#333'; ctx.font = '12px system-ui';
    [[lo, 'left', 0], [(lo + hi) / 2, 'center', w / 2], [hi, 'right', w]].forEach(([v, a, at]) => { ctx.textAlign = a; ctx.fillText(v.toFixed(2), at, w + 30); });
    ctx.textAlign = 'start';
    // The axes of the x plane, and where the chosen point is in it.
    const [xlo, xhi] = this.state.problem.extent, px = (x) => (x - xlo) / (xhi - xlo) * w, p = this.chosenX();
    ctx.strokeStyle = 'rgba(0,0,0,0.35)'; ctx.lineWidth = 1; ctx.beginPath();
    ctx.moveTo(px(0), 0); ctx.lineTo(px(0), w); ctx.moveTo(0, w - px(0)); ctx.lineTo(w, w - px(0)); ctx.stroke();
    ctx.strokeStyle = '#000'; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(px(p[0]), w - px(p[1]), 6, 0, 7); ctx.stroke();
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    $('sum-logdet').textContent = `log|det J| of the whole forward map over the x plane (padding at zero), ${HEAT} by ${HEAT} cells: from ${lo.toFixed(2)} (lightest) to ${hi.toFixed(2)} (darkest), mean ${mean.toFixed(2)}`
      + `; above 0 the map expands volume there, below 0 it shrinks it.`;
  }
}
