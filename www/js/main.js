// Boots the page and holds its actions together: the link (configuration),
// the page state (what is observed), the worker client (training), the
// views' refresh and the controls. Each of those owns its own state; this
// file only says what an action does to each.
import init, * as wasm from '../pkg/inn_playground.js';
import { Link } from './link.js';
import { showNotice, hideNotice } from './notice.js';
import { PageState } from './state.js';
import { Training } from './training.js';
import { Views, VIEW_SAMPLES } from './refresh.js';
import { BarStatus } from './bar.js';
import { MixEditor } from './mix-editor.js';
import { wire, showRunning, download } from './wiring.js';
import { installApi } from './api.js';
import { isArmLink, startArm } from './arm.js';
import { MethodsPanel } from './methods-panel.js';
import { embedMode } from './embed.js';
import { CouplingPanel } from './views/coupling.js';
import { showPage } from './lesson.js';
import { wireMaker } from './lesson-link.js';

const ABC_SAMPLES = 1000;
// Seeds of the reference panels: the exact samples and the exact sets
// their scores are measured against.
const EXACT_SEED = 17;
const EXACT_SCORE_SEED = 5;
const ABC_SCORE_SEED = 3;

window.innPanic = (message) => showNotice(`Internal error: ${message}\nReloading keeps your settings: they are in the link.`, { reload: true });

let link = null;
let state = null;
let training = null;
let views = null;
/** The line-up beside the INN (MCMC and the networks of the methods worker). */
let methods = null;
/** The coupling layers opened up. */
let coupling = null;
/** Training seconds behind the INN's latest scores. */
let innTrainedS = 0;
/** Sets the controls from the link. */
let showControls = null;

/** Asks the worker for posterior samples of what is observed. */
function observe() {
  training.view({ label: state.label, n: VIEW_SAMPLES, noise: state.noise });
  coupling.refresh();
}

/** Runs ABC for the observed label; its result shows if the label is still observed. */
function runAbc() {
  const { abcEps, abcBudget } = link.state;
  const label = state.label;
  training.request('abc', { label, n: ABC_SAMPLES, eps: abcEps, budget: abcBudget }).then((r) => {
    if (r.label !== state.label) return;
    const score = r.accepted > 0 ? JSON.parse(wasm.scoreSamples(state.labels, label, r.samples, ABC_SCORE_SEED)) : null;
    views.abc = { ...r, score };
    views.mark('references');
    methods.redraw();
  });
}

/** Exact samples of the observed label, with their score. */
function exactReference() {
  const samples = wasm.exactSamples(state.labels, state.label, VIEW_SAMPLES, EXACT_SEED);
  views.exact = { samples, score: JSON.parse(wasm.scoreSamples(state.labels, state.label, samples, EXACT_SCORE_SEED)) };
}

/** (Re)starts training from the link's configuration. */
function reset() {
  // A drawn mixture (its link text) replaces the label map's modes.
  state.setLabels(link.state.values.mix || link.state.config.labels);
  views.clear();
  coupling.clear();
  training.start(link.state.hash, state.testSet.points);
  observe();
  views.showProblem(pickLabel);
  exactReference();
  runAbc();
  innTrainedS = 0;
  methods.start();
  showControls(link.state);
  views.markAll();
}

function pickLabel(l) {
  state.label = l;
  views.showPicker(pickLabel);
  observe();
  views.abc = null;
  exactReference();
  runAbc();
  methods.observe();
  views.mark('posterior', 'references');
}

/** Reruns the baseline whose setting `key` changed. */
function rerunBaseline(key) {
  if (key.startsWith('abc_')) runAbc();
  else if (key.startsWith('mcmc_')) methods.ask('mcmc');
  else methods.start();
}

/** A setting changed: update the link, say what was adjusted, restart if it changes training. */
function change(key, value) {
  const notices = link.set(key, value);
  // The arm has a view of its own: the page opens it from the new link.
  if (isArmLink(wasm)) { location.reload(); return; }
  if (notices.length) showNotice(notices.join('\n')); else hideNotice();
  // A baseline's setting (the core says which settings train the INN)
  // reruns that baseline alone.
  if (!wasm.settingTrains(key)) { showControls(link.state); rerunBaseline(key); return; }
  reset();
}

/** What the worker client reports, to the views and the notice bar. */
const fromTraining = {
  running(on) { showRunning(on); views.statusLine(); },
  ready(m) { views.statusLine(); views.describeBar(m); },
  losses() { views.mark('losses'); },
  snapshot(m) { views.snapshot = m; views.mark('forward', 'latent', 'posterior'); coupling.refresh(); },
  scores(m) {
    views.evaluation = m.evaluation;
    innTrainedS = m.trainedMs / 1000;
    methods.redraw();
    if (views.bar.note(m)) views.mark('losses');
    views.mark('posterior', 'bar', 'latent');
  },
  loaded(m) {
    views.bar = new BarStatus({ loaded: true });
    views.mark('losses', 'bar');
    const engine = m.engineNotice ? ` Note: ${m.engineNotice}.` : '';
    showNotice(`Model loaded (trained for ${m.step} steps). Training continues from it; the link still holds your settings.${engine}`);
  },
  model(m) { download(new Blob([m.text], { type: 'application/json' }), 'inn-model.json'); },
  notice: showNotice,
  panic(message) { window.innPanic(message); },
};

const actions = {
  toggleTraining() { if (training.running) training.pause(); else training.play(); },
  step() { training.post({ type: 'step' }); },
  reset,
  async copyLink(url = link.url()) {
    try { await navigator.clipboard.writeText(url); showNotice(`Link copied: ${url}`); } catch { showNotice(`Copy this link: ${url}`); }
  },
  change,
  sharpen(noise) { state.noise = noise; observe(); },
  exportModel() { training.post({ type: 'exportModel' }); },
  loadModel(text) { training.load(text); },
  notice: showNotice,
  linkChanged() {
    if (isArmLink(wasm)) { location.reload(); return; }
    const before = link.state;
    link = new Link(wasm);
    if (link.notices.length) showNotice(link.notices.join('\n'));
    link.write();
    const { page } = link.state;
    showPage(page);
    // Lesson steps with the same settings keep the run.
    if (before.page.lesson && page.lesson && JSON.stringify(before.values) === JSON.stringify(link.state.values)) {
      if (page.colour !== null && page.colour !== state.label) pickLabel(page.colour);
      return;
    }
    if (page.colour !== null) state.label = page.colour;
    reset();
  },
};

/** The measured costs of the INN (once it has trained) and of ABC, for
 * the cost chart: training seconds and seconds per query. */
function otherCosts() {
  const out = [];
  const snap = views.snapshot;
  if (innTrainedS > 0 && snap) out.push({ name: 'INN', training_seconds: innTrainedS, seconds_per_query: snap.sampleMs / 1000 });
  if (views.abc) out.push({ name: 'ABC', training_seconds: 0, seconds_per_query: views.abc.ms / 1000 });
  return out;
}

/** What the console and the tests read (`window.innPlayground`), in the
 * names api.js reads them by. */
function apiView() {
  return {
    get link() { return link; },
    get worker() { return training.worker; },
    get step() { return training.step; },
    get running() { return training.running; },
    get history() { return training.losses.data; },
    get rows() { return training.losses.rows; },
    get cores() { return training.cores; },
    get transport() { return training.transport; },
    get helperReady() { return training.helperReady; },
    get pauseLatencyMs() { return training.pauseLatencyMs; },
    get nextScores() { return training.nextScores; },
    get evaluation() { return views.evaluation; },
    get abc() { return views.abc; },
    get snapshot() { return views.snapshot; },
    get bar() { return views.bar; },
  };
}

async function main() {
  await init();
  const { page } = JSON.parse(wasm.parseLink(location.hash));
  embedMode(page);
  if (isArmLink(wasm)) { window.innShowNotice = showNotice; startArm(wasm); showPage(page); return; }
  const lossNames = wasm.lossRowNames().split(',');
  link = new Link(wasm);
  if (link.notices.length) showNotice(`The link was adjusted:\n${link.notices.join('\n')}`);
  link.write();
  state = new PageState(wasm);
  training = new Training(lossNames, fromTraining);
  views = new Views(wasm, state, training);
  coupling = new CouplingPanel((type, payload) => training.request(type, payload), state);
  methods = new MethodsPanel(wasm, state, { link: () => link.state, change, otherCosts });
  new MixEditor(document.getElementById('cv-data'), wasm, state, { link: () => link.state, change });
  showControls = wire(wasm, actions);
  installApi(apiView(), { request: (type, payload) => training.request(type, payload), FIELDS: lossNames.length });
  window.innPlayground.methods = () => methods.status();
  const maker = wireMaker(wasm, () => link.state, (url) => actions.copyLink(url));
  if (link.state.page.colour !== null) state.label = link.state.page.colour;
  reset();
  showPage(link.state.page, () => methods.observe());
  maker();
  views.start();
}

main().catch((e) => showNotice(`The page could not start: ${e.message || e}`, { reload: true }));
