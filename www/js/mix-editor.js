// The data panel's editor of a mixture drawn by hand: click the plot to add
// a mode, drag a mode to move it, and set the chosen mode's position, width
// and colour in small controls under the plot. Every change rewrites the
// link's `mix=` (the form people write by hand: `x,y,std,label[,weight]`
// separated by `;`) and restarts training like any training setting. The
// modes drawn are the core's (problemView), and the core reads and checks
// what is written: a mode it does not allow is dropped with a notice.
import { PALETTE, COLOUR_NAMES, marker } from './views/plot2d.js';
import { setDataEditor } from './views/data.js';

/** Width of a mode added by a click. */
const NEW_STD = 0.3;
/** How close (in canvas pixels) a press must be to a mode's centre to take it. */
const HIT_PX = 12;
/** A press that moves less than this (pixels) selects without moving. */
const DRAG_PX = 3;

const round = (v) => Math.round(v * 100) / 100;

/** The link text of `modes` (`{centre, std, weight, label}`). */
export function mixText(modes) {
  return modes.map((m) => {
    const f = [m.centre[0], m.centre[1], m.std, m.label];
    if (m.weight !== 1) f.push(m.weight);
    return f.join(',');
  }).join(';');
}

function control(labelText, el) {
  const label = document.createElement('label');
  label.className = 'mix-control';
  label.append(document.createTextNode(`${labelText} `), el);
  return label;
}

function numberInput(min, max, step) {
  const el = document.createElement('input');
  el.type = 'number';
  Object.assign(el, { min: String(min), max: String(max), step: String(step) });
  el.style.width = '5rem';
  return el;
}

export class MixEditor {
  /** `link()`: the link's state; `change(key, value)`: the page's action. */
  constructor(canvas, wasm, state, { link, change }) {
    this.canvas = canvas;
    this.state = state;
    this.link = link;
    this.change = change;
    this.limits = JSON.parse(wasm.settingsTable()).settings.find((s) => s.key === 'mix').limits;
    this.selected = -1;
    this.newLabel = 0;
    this.drag = null;
    this.frame = null;
    this.background = null;
    this.build();
    canvas.addEventListener('pointerdown', (e) => this.press(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.release(e));
    canvas.addEventListener('pointercancel', () => { this.drag = null; this.repaint(); });
    canvas.style.touchAction = 'none';
    canvas.style.cursor = 'crosshair';
    setDataEditor(this);
  }

  /** Whether the link's mixture is drawn by hand (not a label map's). */
  get drawn() { return Boolean(this.link().values.mix); }

  get modes() { return this.state.problem.modes; }

  build() {
    const box = document.createElement('fieldset');
    box.className = 'mix-editor';
    box.dataset.testid = 'mix-editor';
    box.style.cssText = 'min-width:0;margin:0.4rem 0;';
    // The layout is on an inner box, so that the page's stylesheet may still
    // hide the fieldset (the views alone, `ui=min`).
    const row = document.createElement('div');
    row.style.cssText = 'display:flex;flex-wrap:wrap;gap:0.3rem 0.8rem;align-items:center;';
    const legend = document.createElement('legend');
    legend.textContent = 'Draw your own mixture';
    const hint = document.createElement('p');
    hint.className = 'caption';
    hint.style.flexBasis = '100%';
    hint.textContent = 'Click the plot to add a mode, drag a mode to move it; choose a mode to set its place, width and colour. The exact posterior stays exact: it is still a Gaussian mixture.';
    this.pick = document.createElement('select');
    this.x = numberInput(-this.limits.coordMax, this.limits.coordMax, 0.1);
    this.y = numberInput(-this.limits.coordMax, this.limits.coordMax, 0.1);
    this.std = numberInput(this.limits.stdMin, this.limits.stdMax, 0.05);
    this.colour = document.createElement('select');
    this.remove = document.createElement('button');
    this.remove.type = 'button';
    this.remove.textContent = 'Remove mode';
    this.back = document.createElement('button');
    this.back.type = 'button';
    this.back.textContent = 'Back to the label map';
    row.append(hint, control('Mode', this.pick), control('x', this.x), control('y', this.y),
      control('Width (std)', this.std), control('Colour', this.colour), this.remove, this.back);
    box.append(legend, row);
    this.canvas.after(box);
    this.pick.addEventListener('change', () => { this.selected = Number(this.pick.value); this.sync(); this.repaint(); });
    const edit = (f) => () => { if (this.selected >= 0) this.commit(this.modes.map((m, i) => (i === this.selected ? f(m) : m))); };
    this.x.addEventListener('change', edit((m) => ({ ...m, centre: [this.clampCoord(Number(this.x.value)), m.centre[1]] })));
    this.y.addEventListener('change', edit((m) => ({ ...m, centre: [m.centre[0], this.clampCoord(Number(this.y.value))] })));
    this.std.addEventListener('change', edit((m) => ({ ...m, std: Number(this.std.value) })));
    this.colour.addEventListener('change', () => {
      this.newLabel = Number(this.colour.value);
      edit((m) => ({ ...m, label: this.newLabel }))();
    });
    this.remove.addEventListener('click', () => {
      if (this.selected < 0) return;
      const rest = this.modes.filter((_, i) => i !== this.selected);
      this.selected = -1;
      this.commit(rest);
    });
    this.back.addEventListener('click', () => { this.selected = -1; this.change('mix', ''); });
  }

  clampCoord(v) { return Math.max(-this.limits.coordMax, Math.min(this.limits.coordMax, round(v))); }

  /** Writes `modes` to the link (which restarts training). */
  commit(modes) { this.change('mix', mixText(modes)); }

  /** The controls, from the core's modes. */
  sync() {
    const modes = this.modes;
    if (this.selected >= modes.length) this.selected = -1;
    this.pick.textContent = '';
    const none = new Option('none chosen', '-1');
    this.pick.append(none);
    modes.forEach((m, i) => {
      this.pick.append(new Option(`${i + 1}: (${m.centre[0].toFixed(2)}, ${m.centre[1].toFixed(2)}) ${COLOUR_NAMES[m.label]}`, String(i)));
    });
    this.pick.value = String(this.selected);
    const m = modes[this.selected];
    // A new colour is offered after the ones in use, while there are colours left.
    const n = Math.min(this.state.nLabels + 1, this.limits.labelMax + 1);
    this.colour.textContent = '';
    for (let l = 0; l < n; l++) this.colour.append(new Option(l < this.state.nLabels ? COLOUR_NAMES[l] : `${COLOUR_NAMES[l]} (new)`, String(l)));
    this.newLabel = Math.min(m ? m.label : this.newLabel, n - 1);
    this.colour.value = String(this.newLabel);
    for (const el of [this.x, this.y, this.std, this.remove]) el.disabled = !m;
    this.x.value = m ? String(m.centre[0]) : '';
    this.y.value = m ? String(m.centre[1]) : '';
    this.std.value = m ? String(m.std) : '';
    this.back.hidden = !this.drawn;
  }

  /** Called by the data view once it drew the samples and the density on `f`. */
  paint(f) {
    this.frame = f;
    this.background = f.ctx.getImageData(0, 0, f.w, f.h);
    this.sync();
    this.drawModes();
  }

  repaint() {
    if (!this.background) return;
    this.frame.ctx.putImageData(this.background, 0, 0);
    this.drawModes();
  }

  /** Each mode's in-mode disc (the core's radius) and a handle at its centre. */
  drawModes() {
    const f = this.frame, { ctx } = f;
    this.modes.forEach((m, i) => {
      const c = this.drag?.index === i ? this.drag.at : m.centre;
      const x = f.px(c[0]), y = f.py(c[1]);
      const r = f.px(c[0] + m.inModeRadius) - x;
      ctx.strokeStyle = PALETTE[m.label];
      ctx.fillStyle = PALETTE[m.label];
      ctx.lineWidth = i === this.selected ? 3 : 1.5;
      ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.stroke();
      marker(ctx, m.label, x, y, 5);
      if (i === this.selected) {
        ctx.strokeStyle = '#000'; ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.arc(x, y, 9, 0, 2 * Math.PI); ctx.stroke();
      }
    });
  }

  /** The canvas pixel and the point of the plane under a pointer event. */
  where(e) {
    const rect = this.canvas.getBoundingClientRect(), f = this.frame;
    const px = (e.clientX - rect.left) * f.w / rect.width, py = (e.clientY - rect.top) * f.h / rect.height;
    return { px, py, at: [f.lo + px * (f.hi - f.lo) / f.w, f.hi - py * (f.hi - f.lo) / f.h] };
  }

  press(e) {
    if (!this.frame || e.button !== 0) return;
    const p = this.where(e), f = this.frame;
    let best = -1, bestD = HIT_PX;
    this.modes.forEach((m, i) => {
      const d = Math.hypot(f.px(m.centre[0]) - p.px, f.py(m.centre[1]) - p.py);
      if (d <= bestD) { best = i; bestD = d; }
    });
    this.drag = { index: best, from: [p.px, p.py], at: p.at, moved: false };
    this.canvas.setPointerCapture(e.pointerId);
    if (best >= 0) { this.selected = best; this.sync(); this.repaint(); }
  }

  move(e) {
    if (!this.drag) return;
    const p = this.where(e);
    this.drag.moved ||= Math.hypot(p.px - this.drag.from[0], p.py - this.drag.from[1]) >= DRAG_PX;
    this.drag.at = p.at;
    if (this.drag.index >= 0 && this.drag.moved) this.repaint();
  }

  release(e) {
    const drag = this.drag;
    this.drag = null;
    if (!drag || !this.frame) return;
    const at = this.where(e).at.map((v) => this.clampCoord(v));
    if (drag.index < 0) {
      // A click on empty plane: a new mode there, in the colour chosen last.
      const added = { centre: at, std: NEW_STD, weight: 1, label: this.newLabel };
      this.selected = this.modes.length;
      this.commit([...this.modes, added]);
    } else if (drag.moved) {
      this.commit(this.modes.map((m, i) => (i === drag.index ? { ...m, centre: at } : m)));
    }
  }
}
