// Boots the page: reads the link, starts the training worker, wires the
// controls and redraws the views when new data arrives.
import init, * as wasm from '../pkg/inn_playground.js';
import { Link } from './link.js';
import { showNotice, hideNotice, wireNotice } from './notice.js';
import { buildSettings } from './controls.js';
import { drawData } from './views/data.js';
import { drawForward } from './views/forward.js';
import { drawLatent } from './views/latent.js';
import { drawPosterior, describeModes, buildPicker } from './views/posterior.js';
import { COLOUR_NAMES } from './views/plot2d.js';
import { drawLosses } from './views/losses.js';
import { installApi } from './api.js';

const $ = (id) => document.getElementById(id);
// What each value of a loss row is, and how many there are: from the wasm
// module once it has loaded.
let LOSS_ROW_NAMES = [];
let FIELDS = 0;
const VIEW_SAMPLES = 2000;
const ABC_SAMPLES = 1000;
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

window.innPanic = (message) => showNotice(`Internal error: ${message}\nReloading keeps your settings: they are in the link.`, { reload: true });

const app = {
  link: null, worker: null, running: false, step: 0, label: 0, labels: 'some', nLabels: 4, noise: 1,
  history: new Float64Array(0), rows: 0,
  rateMark: null, stepsPerS: null, cores: 1, transport: null, helperReady: false,
  snapshot: null, evaluation: null, abc: null, exactScore: null, testPoints: null, testLabels: null, bar: null,
  pauseClickedAt: 0, pauseLatencyMs: null, dirty: new Set(), lastDraw: 0, lastLossDraw: -Infinity, requests: new Map(), nextId: 1,
};

function pushRows(rows) {
  const need = (app.rows + rows.length / FIELDS) * FIELDS;
  if (need > app.history.length) {
    const grown = new Float64Array(Math.max(need, app.history.length * 2));
    grown.set(app.history.subarray(0, app.rows * FIELDS));
    app.history = grown;
  }
  app.history.set(rows, app.rows * FIELDS);
  app.rows += rows.length / FIELDS;
  app.step = rows[rows.length - FIELDS];
  app.dirty.add('losses');
  measureRate(performance.now());
}

/** Training speed as the page sees it (snapshots included), over ~2 s. */
function measureRate(now) {
  if (!app.rateMark) {
    app.rateMark = { t: now, step: app.step };
  } else if (now - app.rateMark.t >= 2000) {
    app.stepsPerS = ((app.step - app.rateMark.step) * 1000) / (now - app.rateMark.t);
    app.rateMark = { t: now, step: app.step };
  }
}

function setRunning(on) {
  app.running = on;
  app.rateMark = null;
  app.stepsPerS = null;
  $('train').textContent = on ? 'Pause' : 'Train';
  $('train').setAttribute('aria-pressed', String(on));
  $('step').disabled = on;
}

function statusLine() {
  const s = app.snapshot ? `, ${VIEW_SAMPLES} INN samples in ${app.snapshot.sampleMs.toFixed(1)} ms` : '';
  const rate = app.stepsPerS === null ? '' : `, ${app.stepsPerS.toFixed(0)} steps/s`;
  const cores = app.cores === 2 ? ' on 2 cores' : '';
  $('status').textContent = `step ${app.step}${app.running ? ` (training${cores}${rate})` : ''}${s}`;
}

function request(type, payload) {
  const id = app.nextId++;
  return new Promise((resolve) => {
    app.requests.set(id, resolve);
    app.worker.postMessage({ type, id, ...payload });
  });
}

function runAbc() {
  const { abcEps, abcBudget } = app.link.state;
  const label = app.label;
  request('abc', { label, n: ABC_SAMPLES, eps: abcEps, budget: abcBudget }).then((r) => {
    if (r.label !== app.label) return;
    const score = r.accepted > 0 ? JSON.parse(wasm.scoreSamples(app.labels, label, r.samples, 3)) : null;
    app.abc = { ...r, score };
    app.dirty.add('references');
  });
}

function exactPanelScore() {
  const exact = wasm.exactSamples(app.labels, app.label, VIEW_SAMPLES, 17);
  app.exact = exact;
  app.exactScore = JSON.parse(wasm.scoreSamples(app.labels, app.label, exact, 5));
}

const handlers = {
  ready(m) {
    app.step = m.step; app.nLabels = m.nLabels; statusLine();
    $('bar-definition').textContent = `The fidelity bar is the one the core's tests hold the network to, for every colour: ${wasm.fidelityBarText()}. `
      + `While training, the page checks it every ${m.scoreMs / 1000} s on ${m.scoreSamples} samples per colour`
      + ` (every ${m.scoreNearMs / 1000} s or so once every colour has ${100 * m.nearBarInCorrect}% of its samples in a correct mode, until it first clears the bar);`
      + ' the time counts training steps only.';
  },
  losses(m) { pushRows(m.rows); app.cores = m.split ? 2 : 1; app.transport = m.transport; },
  helper(m) { app.helperReady = m.ready; },
  snapshot(m) { app.snapshot = m; app.step = Math.max(app.step, m.step); app.dirty.add('forward').add('latent').add('posterior'); },
  scores(m) { app.evaluation = m.evaluation; noteBar(m); app.dirty.add('posterior').add('bar'); },
  paused(m) {
    if (app.pauseClickedAt) { app.pauseLatencyMs = performance.now() - app.pauseClickedAt; app.pauseClickedAt = 0; }
    app.step = m.step;
    setRunning(false);
    statusLine();
  },
  diverged(m) {
    setRunning(false);
    showNotice(`Training stopped: ${m.message}. The views show the last finite state. Lower the learning rate, or reset.`, { reset: true });
  },
  panic(m) { setRunning(false); window.innPanic(m.message); },
  loadError(m) { showNotice(`The model file was not loaded: ${m.message}. The current model is kept.`); },
  loaded(m) {
    app.history = new Float64Array(FIELDS * 1024); app.rows = 0; app.step = m.step; app.dirty.add('losses');
    app.bar = freshBar({ loaded: true }); app.dirty.add('bar');
    showNotice(`Model loaded (trained for ${m.step} steps). Training continues from it; the link still holds your settings.`);
  },
  model(m) { download(new Blob([m.text], { type: 'application/json' }), 'inn-model.json'); },
  samples(m) { app.requests.get(m.id)?.(m); app.requests.delete(m.id); },
  abc(m) { app.requests.get(m.id)?.(m); app.requests.delete(m.id); },
  error(m) { showNotice(`Error: ${m.message}`); },
};

function startWorker() {
  if (app.worker) app.worker.terminate();
  app.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  app.worker.onmessage = (e) => handlers[e.data.type]?.(e.data);
  app.worker.onerror = (e) => showNotice(`The training worker failed: ${e.message}`, { reload: true });
}

/** (Re)starts training from the link's configuration. */
function reset() {
  setRunning(false);
  const s = app.link.state;
  app.labels = s.config.labels;
  app.nLabels = s.nLabels;
  app.label = Math.min(app.label, app.nLabels - 1);
  app.history = new Float64Array(FIELDS * 1024);
  app.rows = 0; app.step = 0; app.snapshot = null; app.evaluation = null; app.abc = null; app.bar = freshBar();
  const prior = wasm.priorSamples(app.labels, 800, 11);
  const pts = new Float32Array(1600), labels = new Uint8Array(800);
  for (let i = 0; i < 800; i++) { pts[2 * i] = prior[3 * i]; pts[2 * i + 1] = prior[3 * i + 1]; labels[i] = prior[3 * i + 2]; }
  app.testPoints = pts; app.testLabels = labels;
  startWorker();
  app.worker.postMessage({ type: 'init', hash: s.hash, testPoints: pts });
  app.worker.postMessage({ type: 'view', label: app.label, n: VIEW_SAMPLES, noise: app.noise });
  drawData($('cv-data'), wasm, app.labels, $('sum-data'));
  buildPicker($('label-picker'), app.nLabels, app.label, pickLabel);
  exactPanelScore();
  runAbc();
  showControls();
  for (const k of ['forward', 'latent', 'posterior', 'references', 'losses', 'bar']) app.dirty.add(k);
}

/** Where the network stands against the fidelity bar: the first scores in
 * which every colour cleared it (step and training time), and what
 * misses it in the latest scores. `loaded`: the network came from a model
 * file, whose training time is not known. */
const freshBar = ({ loaded = false } = {}) => ({ loaded, first: null, step: null, misses: null, summary: null });

function noteBar(m) {
  const labels = m.evaluation.labels;
  const bar = app.bar;
  bar.step = m.step;
  bar.misses = labels.flatMap((l) => l.bar_misses.map((miss) => `${COLOUR_NAMES[l.label]}: ${miss}`));
  // Per colour, its first miss and how many more: the line stays short.
  bar.summary = labels.filter((l) => l.bar_misses.length).map((l) => {
    const more = l.bar_misses.length - 1;
    return `${COLOUR_NAMES[l.label]}: ${l.bar_misses[0]}${more ? ` (+${more} more)` : ''}`;
  });
  if (m.clearsBar && !bar.first) {
    bar.first = { step: m.step, seconds: m.trainedMs / 1000 };
    app.dirty.add('losses');
  }
}

function barText(bar) {
  if (bar.step === null) return 'Fidelity bar: not scored yet.';
  const now = bar.misses.length
    ? `at step ${bar.step} it misses: ${bar.summary.join('; ')}.`
    : `every colour clears it at step ${bar.step}.`;
  if (!bar.first) return `Fidelity bar: not cleared yet; ${now}`;
  const when = bar.loaded ? `at step ${bar.first.step} (of the loaded model)` : `at step ${bar.first.step}, after ${bar.first.seconds.toFixed(1)} s of training`;
  return `Fidelity bar: every colour first cleared it ${when}${bar.misses.length ? `; ${now}` : '.'}`;
}

function pickLabel(l) {
  app.label = l;
  buildPicker($('label-picker'), app.nLabels, l, pickLabel);
  app.worker.postMessage({ type: 'view', label: l, n: VIEW_SAMPLES, noise: app.noise });
  app.abc = null;
  exactPanelScore();
  runAbc();
  app.dirty.add('posterior').add('references');
}

function scoreText(score, extra) {
  if (!score) return extra;
  const inMode = `${(100 * score.in_correct).toFixed(1)}% in a correct mode`;
  const mmd = score.mmd2 === null ? 'MMD² is computed when training pauses' : `MMD² ${score.mmd2.toExponential(1)} (floor ${score.mmd2_floor.toExponential(1)})`;
  return `${inMode}; ${mmd}.\n${extra}`;
}

function drawViews() {
  const snap = app.snapshot;
  const modes = Array.from(wasm.modeCentres(app.labels, app.label));
  const centres = [];
  for (let i = 0; i < modes.length; i += 2) centres.push([modes[i], modes[i + 1]]);
  if (app.dirty.has('forward') && snap) {
    drawForward($('cv-forward'), app.testPoints, snap.y, snap.nLabels, $('sum-forward'));
  }
  if (app.dirty.has('latent') && snap) {
    drawLatent($('cv-latent'), snap.z, snap.nz, app.testLabels, $('sum-latent'));
  }
  if (app.dirty.has('posterior')) {
    const inn = snap && snap.label === app.label ? snap.samples : null;
    drawPosterior($('cv-inn'), wasm, app.labels, app.label, inn);
    const evalScore = app.evaluation?.labels?.[app.label];
    $('score-inn').textContent = inn
      ? scoreText(evalScore, `${VIEW_SAMPLES} samples in ${snap.sampleMs.toFixed(1)} ms. ${describeModes(centres, inn)}.`
        + (app.noise === 1 ? '' : ' Drawn sharpened; the scores are for the training noise.'))
      : 'waiting for the network...';
  }
  // The ABC and exact panels change with the label and the ABC run, not
  // with training: redrawing them with every snapshot took main-thread
  // time from the two training workers.
  if (app.dirty.has('references')) {
    drawPosterior($('cv-abc'), wasm, app.labels, app.label, app.abc?.samples);
    $('score-abc').textContent = app.abc
      ? scoreText(app.abc.score, `${app.abc.simulations} simulations, acceptance ${(100 * app.abc.accepted / Math.max(1, app.abc.simulations)).toFixed(2)}%, ${app.abc.ms.toFixed(1)} ms, ${app.abc.accepted} samples. ${describeModes(centres, app.abc.samples)}.`)
      : 'running ABC...';
    drawPosterior($('cv-exact'), wasm, app.labels, app.label, app.exact);
    $('score-exact').textContent = scoreText(app.exactScore, `${describeModes(centres, app.exact)}.`);
  }
  if (app.dirty.has('bar')) {
    $('bar-status').textContent = barText(app.bar);
    $('bar-status').classList.toggle('met', app.bar.first !== null);
  }
  const lossesWait = app.dirty.has('losses') && !lossesDue(performance.now());
  if (app.dirty.has('losses') && !lossesWait) {
    app.lastLossDraw = performance.now();
    drawLosses($('cv-losses'), wasm, app.history.subarray(0, app.rows * FIELDS), LOSS_ROW_NAMES, $('sum-losses'), app.bar?.first?.step);
  }
  app.dirty.clear();
  if (lossesWait) app.dirty.add('losses');
  statusLine();
}

// The loss curve redraws the whole history: four times a second looks live
// and leaves the CPU to training (two cores, headless Chromium: 535 and 622
// steps in the first 15 s, against 502 and 568 when it was redrawn every
// frame).
const LOSS_REDRAW_MS = 250;
const lossesDue = (now) => now - app.lastLossDraw >= LOSS_REDRAW_MS;

function frame(now) {
  // With reduced motion, views refresh once a second instead of every frame.
  const interval = reducedMotion.matches ? 1000 : 0;
  // New losses alone, before their turn, are no reason to redraw anything.
  const lossesOnlyWaiting = app.dirty.size === 1 && app.dirty.has('losses') && !lossesDue(now);
  if (app.dirty.size && !lossesOnlyWaiting && now - app.lastDraw >= interval) {
    app.lastDraw = now;
    drawViews();
  }
  requestAnimationFrame(frame);
}

function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

let settings = null;
function showControls() {
  const s = app.link.state;
  $('preset').value = s.preset;
  $('labels').value = s.config.labels;
  $('seed').value = String(s.config.seed);
  $('preset-help').textContent = s.explanation;
  settings?.show(s);
}

/** A setting changed: update the link, say what was adjusted, restart if it changes training. */
function change(key, value) {
  const notices = app.link.set(key, value);
  if (notices.length) showNotice(notices.join('\n')); else hideNotice();
  if (key === 'abc_eps' || key === 'abc_budget') { showControls(); runAbc(); return; }
  reset();
}

function wire() {
  $('train').addEventListener('click', () => {
    if (app.running) {
      app.pauseClickedAt = performance.now();
      app.worker.postMessage({ type: 'pause' });
      setRunning(false);
    } else {
      setRunning(true);
      app.worker.postMessage({ type: 'play' });
    }
  });
  $('step').addEventListener('click', () => app.worker.postMessage({ type: 'step' }));
  $('reset').addEventListener('click', () => { hideNotice(); reset(); });
  $('share').addEventListener('click', async () => {
    const url = app.link.url();
    try { await navigator.clipboard.writeText(url); showNotice(`Link copied: ${url}`); } catch { showNotice(`Copy this link: ${url}`); }
  });
  const presets = JSON.parse(wasm.settingsTable());
  for (const p of presets.presets) {
    const o = document.createElement('option');
    o.value = p.name; o.textContent = p.name; o.title = p.explanation;
    $('preset').append(o);
  }
  settings = buildSettings($('settings-grid'), presets, change);
  $('preset').addEventListener('change', (e) => change('preset', e.target.value));
  $('labels').addEventListener('change', (e) => change('labels', e.target.value));
  $('seed').addEventListener('change', (e) => change('seed', e.target.value));
  for (const b of document.querySelectorAll('button.png')) {
    b.addEventListener('click', () => $(b.dataset.canvas).toBlob((blob) => download(blob, `${b.dataset.canvas.slice(3)}.png`)));
  }
  $('sharpen').addEventListener('input', (e) => {
    app.noise = Number(e.target.value);
    $('sharpen-value').textContent = app.noise === 1 ? '1 (as trained)' : `${app.noise.toFixed(2)} (sharpened)`;
    app.worker.postMessage({ type: 'view', label: app.label, n: VIEW_SAMPLES, noise: app.noise });
  });
  $('export-model').addEventListener('click', () => app.worker.postMessage({ type: 'exportModel' }));
  $('load-model').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > 32 * 1024 * 1024) {
      showNotice(`The model file was not loaded: ${file.name} is ${(file.size / 2 ** 20).toFixed(0)} MB; model files are at most 32 MB. The current model is kept.`);
      return;
    }
    setRunning(false);
    app.worker.postMessage({ type: 'load', text: await file.text() });
  });
  wireNotice({ onReset: reset });
  window.addEventListener('hashchange', () => {
    app.link = new Link(wasm);
    if (app.link.notices.length) showNotice(app.link.notices.join('\n'));
    app.link.write();
    reset();
  });
}

async function main() {
  await init();
  LOSS_ROW_NAMES = wasm.lossRowNames().split(',');
  FIELDS = LOSS_ROW_NAMES.length;
  app.link = new Link(wasm);
  if (app.link.notices.length) showNotice(`The link was adjusted:\n${app.link.notices.join('\n')}`);
  app.link.write();
  wire();
  installApi(app, { request, FIELDS });
  reset();
  requestAnimationFrame(frame);
}

main().catch((e) => showNotice(`The page could not start: ${e.message || e}`, { reload: true }));
