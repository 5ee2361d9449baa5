// The arm view: the target is dragged (mouse, touch or arrow keys) and the
// exact posterior's fan follows it frame by frame; when the target rests,
// ABC and MCMC run for it in workers, each with its price as it is paid,
// and each coordinate's marginal is drawn against the exact one. The core
// computes every number shown (armView, the fans, the prices, the
// marginals, the summaries); this file moves them to the canvases and the
// captions.
import { armLink, withArmTarget } from './arm-link.js';
import { ARM_COLOURS, armFrame, drawRail, drawFan, drawTarget, drawMarginals } from './views/arm-draw.js';
import { priceText, exactText, fansText, marginalsText, BINS } from './views/arm-text.js';
import { startInn, innText } from './arm-inn.js';
import { wireMany } from './arm-many.js';

const $ = (id) => document.getElementById(id);
const EXACT_SEED = 1;
const RUN_SEED = 1;
const DRAG_DRAWS = 500;     // exact draws per frame while the target moves
const REST_DRAWS = 2000;    // exact draws for a target at rest: the marginals' reference
const ABC_SAMPLES = 500;
const KEY_STEP = 0.02, KEY_STEP_LARGE = 0.1;
const REST_AFTER_KEY_MS = 350;
const INN_DRAWS = 2000;     // the INN's draws per frame, moving or at rest
const INN_SEED = 3;
/** Each method's name in the summaries, with its colour on the canvases. */
const NAMES = { exact: 'Exact posterior (grey)', inn: 'INN (blue)', abc: 'ABC (orange)', mcmc: 'MCMC (pink)' };
/** The methods whose marginals are drawn against the exact one, in the core's order. */
const RUNS = ['inn', 'abc', 'mcmc'];

let wasm, view, exact, frames, runs, frameId;
const frameMs = [];  // the latest drag frames' milliseconds (fan and drawing)
const state = { target: [1, 0.6], moving: false, pending: false, exact: null, inn: null, abc: null, mcmc: null, eps: 0.1, jobs: 0, sampler: null, innStatus: null, innScore: null };

/** A fan's record: samples, their joints, and what was drawn. */
function fanOf(samples) { return { samples, joints: wasm.armJoints(samples), tip: null }; }

function exactFan(atRest) {
  const t0 = performance.now();
  const [y1, y2] = state.target;
  try {
    const samples = exact.fan(y1, y2, atRest ? REST_DRAWS : DRAG_DRAWS, atRest);
    state.exact = { ...fanOf(samples), ess: exact.ess(), pool: exact.pool(), atRest, ms: 0, error: null };
  } catch (e) {
    state.exact = { ...(state.exact || {}), error: String(e.message || e) };
  }
  return t0;
}

/** The INN's fan for the target from the latest model, if there is one. */
function innFan() {
  if (!state.sampler) return;
  const t0 = performance.now();
  const samples = state.sampler.samplesFor(new Float64Array(state.target), INN_DRAWS, INN_SEED);
  state.inn = { ...fanOf(samples), ms: performance.now() - t0 };
}

function showInn() {
  const el = $('arm-inn-score');
  if (el && state.innStatus) el.textContent = innText(state.innStatus, state.innScore);
}

function drawMain() {
  const f = frames.main;
  drawRail(f, view.extent, view.reach);
  const e = state.exact;
  if (e?.joints) e.tip = drawFan(f, e.joints, ARM_COLOURS.exact, { max: 300, alpha: 0.15 }).tip;
  if (state.inn) state.inn.tip = drawFan(f, state.inn.joints, ARM_COLOURS.inn, { max: 300, alpha: 0.15 }).tip;
  drawTarget(f, state.target, { focused: document.activeElement === $('cv-arm') });
  const c = $('cv-arm');
  c.dataset.target = state.target.map((v) => v.toFixed(3)).join(',');
  c.dataset.tip = e?.tip ? e.tip.map((v) => v.toFixed(3)).join(',') : '';
  c.setAttribute('aria-label', `Target at (${state.target[0].toFixed(2)}, ${state.target[1].toFixed(2)}): drag it, or move it with the arrow keys (Shift for larger steps)`);
  $('sum-arm').textContent = fansText(wasm, [[NAMES.exact, e?.samples], [NAMES.inn, state.inn?.samples]]);
}

function drawRun(method) {
  const f = frames[method], r = state[method];
  drawRail(f, view.extent, view.reach);
  if (r?.joints) r.tip = drawFan(f, r.joints, ARM_COLOURS[method], { max: 300, alpha: 0.15 }).tip;
  drawTarget(f, state.target, { radius: method === 'abc' ? state.eps : 0 });
  $(`cv-arm-${method}`).dataset.tip = r?.tip ? r.tip.map((v) => v.toFixed(3)).join(',') : '';
  $(`arm-${method}-price`).textContent = priceText(method, r, state, view);
  $(`sum-arm-${method}`).textContent = fansText(wasm, [[NAMES[method], r?.samples]]);
  $(`arm-${method}-progress`).value = r?.price ? r.price.kept / r.price.wanted : 0;
  $(`arm-${method}-stop`).disabled = !r?.running;
}

function drawAllMarginals() {
  const e = state.exact;
  if (!e?.atRest || !e.samples) return;
  const runs = RUNS.map((m) => (state[m]?.samples?.length >= 8 ? state[m].samples : null));
  const series = RUNS.filter((m, i) => runs[i]).map((m) => ({ colour: ARM_COLOURS[m], marginals: JSON.parse(wasm.armMarginals(state[m].samples, e.samples, BINS)) }));
  drawMarginals($('cv-arm-marginals'), JSON.parse(wasm.armMarginals(e.samples, e.samples, BINS)), series);
  $('sum-arm-marginals').textContent = marginalsText(wasm, e.samples, runs);
}

/** One animation frame: the exact fan for a moving target. */
function frame() {
  state.pending = false;
  innFan();
  state.innScore = null;
  showInn();
  const t0 = exactFan(false);
  drawMain();
  state.exact.ms = performance.now() - t0;
  frameMs.push(state.exact.ms);
  if (frameMs.length > 100) frameMs.shift();
  $('arm-exact-score').textContent = exactText(state.exact, state, wasm);
}

function schedule() {
  if (!state.pending) { state.pending = true; frameId = requestAnimationFrame(frame); }
}

/** Moves the target (clamped by the core) while it is being dragged: the
 * runs of the old target stop, the link follows. */
function moveTo(t) {
  state.target = Array.from(wasm.armClampTarget(t[0], t[1]));
  history.replaceState(null, '', `#${withArmTarget(wasm, location.hash, state.target)}`);
  for (const m of ['abc', 'mcmc']) {
    runs[m].postMessage({ type: 'stop' });
    state[m] = null;
    drawRun(m);
  }
  schedule();
}

/** The target rests: the full exact fan, its marginals, and the runs. A
 * drag's frame still pending would redraw the dragging fan over it. */
function rest() {
  if (state.pending) { cancelAnimationFrame(frameId); state.pending = false; }
  innFan();
  if (state.innStatus?.done) state.innScore = JSON.parse(state.sampler.scoreTarget(new Float64Array(state.target)));
  showInn();
  const t0 = exactFan(true);
  drawMain();
  state.exact.ms = performance.now() - t0;
  $('arm-exact-score').textContent = exactText(state.exact, state, wasm);
  for (const m of ['abc', 'mcmc']) startRun(m);
  drawAllMarginals();
}

function startRun(method) {
  const id = ++state.jobs;
  state[method] = { id, running: true, price: null, samples: null, joints: null, ms: 0 };
  runs[method].postMessage({ type: method, id, target: state.target, eps: state.eps, n: ABC_SAMPLES, seed: RUN_SEED, noise: view.noise });
  drawRun(method);
}

function onRun({ data }) {
  const r = state[data.method];
  if (data.type === 'panic') { window.innPanic?.(data.message); return; }
  if (!r || r.id !== data.id) return;
  if (data.type === 'error') { Object.assign(r, { running: false, error: data.message }); drawRun(data.method); return; }
  Object.assign(r, { price: data.price, ms: data.ms, running: !data.final, stopped: data.stopped, samples: data.samples, joints: wasm.armJoints(data.samples) });
  drawRun(data.method);
  if (data.final) drawAllMarginals();
}

function wireTarget() {
  const c = $('cv-arm');
  c.addEventListener('pointerdown', (e) => {
    c.setPointerCapture(e.pointerId);
    c.focus();
    state.moving = true;
    moveTo(frames.main.fromClient(e.clientX, e.clientY));
  });
  c.addEventListener('pointermove', (e) => { if (state.moving) moveTo(frames.main.fromClient(e.clientX, e.clientY)); });
  const release = () => { if (state.moving) { state.moving = false; rest(); } };
  c.addEventListener('pointerup', release);
  c.addEventListener('pointercancel', release);
  let timer = null;
  c.addEventListener('keydown', (e) => {
    const d = e.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
    const step = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] }[e.key];
    if (!step) return;
    e.preventDefault();
    moveTo([state.target[0] + step[0], state.target[1] + step[1]]);
    clearTimeout(timer);
    timer = setTimeout(rest, REST_AFTER_KEY_MS);
  });
  c.addEventListener('focus', drawMain);
  c.addEventListener('blur', drawMain);
}

function wireRuns() {
  runs = {};
  for (const m of ['abc', 'mcmc']) {
    runs[m] = new Worker(new URL('./arm-worker.js', import.meta.url), { type: 'module' });
    runs[m].onmessage = onRun;
    $(`arm-${m}-stop`).addEventListener('click', () => runs[m].postMessage({ type: 'stop' }));
    $(`arm-${m}-run`).addEventListener('click', () => startRun(m));
  }
  const eps = $('arm-eps');
  eps.value = String(state.eps);
  const showEps = () => { $('arm-eps-value').textContent = state.eps.toFixed(2); };
  showEps();
  eps.addEventListener('input', () => { state.eps = Number(eps.value); showEps(); drawRun('abc'); });
  eps.addEventListener('change', () => startRun('abc'));
}

/** The INN's fan on the exact one's canvas, and its marginal: the slot the
 * trainer fills once it trains on the arm (`samples`: 4 numbers per arm;
 * null removes it). */
export function drawInnFan(samples) {
  state.inn = samples ? fanOf(samples) : null;
  drawMain();
  drawAllMarginals();
}

/** Whether the page's link asks for the arm. */
export const isArmLink = (wasmModule) => armLink(wasmModule, location.hash) !== null;

/** Shows the arm view in place of the mixture's panels and starts it. */
export function startArm(wasmModule) {
  wasm = wasmModule;
  const link = armLink(wasm, location.hash);
  view = JSON.parse(wasm.armView(link.noise));
  document.body.dataset.problem = 'arm';
  $('arm').hidden = false;
  exact = new wasm.WasmArmExact(BigInt(EXACT_SEED), link.noise);
  $('arm-noise').textContent = String(view.noise);
  frames = { main: armFrame($('cv-arm'), view.extent), abc: armFrame($('cv-arm-abc'), view.extent), mcmc: armFrame($('cv-arm-mcmc'), view.extent) };
  if (link.notices.length) window.innShowNotice?.(`The link was adjusted:\n${link.notices.join('\n')}`);
  state.target = Array.from(wasm.armClampTarget(...(link.target || view.defaultTarget)));
  history.replaceState(null, '', `#${withArmTarget(wasm, location.hash, state.target)}`);
  wireTarget();
  wireRuns();
  wireMany(() => ({ wasm, runs, noise: view.noise, eps: state.eps, n: ABC_SAMPLES, seed: RUN_SEED, sampler: state.sampler, innStatus: state.innStatus }));
  startInn(wasm, location.hash, {
    model(sampler, status) {
      state.sampler = sampler;
      state.innStatus = status;
      if (state.moving) return;
      innFan();
      if (status.done) state.innScore = JSON.parse(sampler.scoreTarget(new Float64Array(state.target)));
      showInn();
      drawMain();
      drawAllMarginals();
    },
    status(status) { state.innStatus = status; showInn(); },
  });
  window.addEventListener('hashchange', () => {
    const l = armLink(wasm, location.hash);
    if (!l) { location.reload(); return; }
    if (l.target && l.target.join() !== state.target.join()) { moveTo(l.target); rest(); }
  });
  window.innArm = {
    status: () => ({
      target: state.target,
      inn: state.innStatus && { ...state.innStatus, tip: state.inn?.tip, ms_fan: state.inn?.ms, score: state.innScore },
      exact: state.exact && { n: state.exact.samples.length / 4, tip: state.exact.tip, ess: state.exact.ess, pool: state.exact.pool, atRest: state.exact.atRest, ms: state.exact.ms },
      abc: state.abc && { price: state.abc.price, ms: state.abc.ms, running: state.abc.running, stopped: !!state.abc.stopped, tip: state.abc.tip },
      mcmc: state.mcmc && { price: state.mcmc.price, ms: state.mcmc.ms, running: state.mcmc.running, tip: state.mcmc.tip },
    }),
    /** Milliseconds of the latest frames of a drag. */
    frameMs: () => frameMs.slice(),
    drawInnFan,
  };
  rest();
}
