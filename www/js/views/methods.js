// The line-up's cells in the posterior grid: one per method of the
// methods worker, with its samples over the exact density (MCMC: each
// chain's path too), a line of scores, a line of cost and the core's
// caption; and the checkboxes that choose which cells are shown.
import { drawPosterior } from './posterior.js';

const $ = (id) => document.getElementById(id);

/** Colours of the chains' paths (distinct from the label palette's fills). */
const CHAIN_COLOURS = ['#222', '#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7f7f7f'];

function element(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
}

/** One cell and one checkbox per method of `lineup`. `on.chains(v)`: the
 * chains control changed; `on.shown()`: a cell was shown or hidden. */
export function buildCells(grid, picker, lineup, on) {
  for (const m of lineup) {
    const canvas = element('canvas', { id: `cv-${m.key}`, width: 300, height: 300 });
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-labelledby', `cap-${m.key}`);
    canvas.setAttribute('aria-describedby', `score-${m.key}`);
    const score = element('p', { className: 'score', id: `score-${m.key}`, textContent: m.trains ? 'training...' : 'running...' });
    score.dataset.testid = `score-${m.key}`;
    const cell = element('figure', { id: `cell-${m.key}`, className: 'method-cell' }, element('figcaption', { id: `cap-${m.key}`, textContent: m.name }), canvas, score);
    if (m.key === 'mcmc') {
      const input = element('input', { type: 'number', id: 'mcmc-chains', min: 1, max: 64, step: 1 });
      input.addEventListener('change', () => on.chains(input.value));
      cell.append(element('label', { className: 'chains' }, 'Chains ', input));
    }
    if (m.key === 'cgan') {
      const losses = element('canvas', { id: 'cv-cgan-losses', width: 300, height: 150 });
      losses.setAttribute('role', 'img');
      losses.setAttribute('aria-label', 'The cGAN\'s generator and discriminator losses against the training step');
      losses.setAttribute('aria-describedby', 'sum-cgan-losses');
      cell.append(losses, element('p', { className: 'summary', id: 'sum-cgan-losses' }));
    }
    cell.append(element('p', { className: 'caption method-caption', id: `caption-${m.key}` }));
    grid.append(cell);
    const box = element('input', { type: 'checkbox', checked: true });
    box.dataset.method = m.key;
    box.addEventListener('change', () => { cell.hidden = !box.checked; on.shown(); });
    picker.append(element('label', {}, box, ` ${m.name}`));
  }
}

const pct = (v) => `${(100 * v).toFixed(1)}%`;

/** The line of scores: shares in a correct and a wrong mode, the largest
 * mode-mass error, MMD² with its floor. */
export function scoreLine(s) {
  const mmd = s.mmd2 === null ? '' : `; MMD² ${s.mmd2.toExponential(1)} (floor ${s.mmd2_floor.toExponential(1)})`;
  return `${pct(s.in_correct)} in a correct mode, ${pct(s.in_wrong)} in a wrong one; mass error ${pct(s.max_mass_error)}${mmd}.`;
}

/** The line of cost: what the answer spent, and the training behind it. */
export function costLine(a) {
  const c = a.cost;
  const query = `${(1000 * c.seconds_per_query).toFixed(1)} ms for this query`;
  if (c.paid_once) {
    return `Trained once: ${c.training_steps} steps in ${c.training_seconds.toFixed(2)} s; ${query} (${c.network_evaluations} network pass${c.network_evaluations === 1 ? '' : 'es'}).`;
  }
  const spent = c.density_evaluations ? `${c.density_evaluations} density evaluations` : `${c.simulations} simulations`;
  return `No training; ${spent} and ${query}.`;
}

/** The MCMC line: acceptance, R-hat and ESS of each coordinate. */
function chainLine(ch) {
  const two = (v) => v.map((x) => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(x > 10 ? 0 : 2))).join(', ');
  return `${ch.chains} chain${ch.chains === 1 ? '' : 's'} of ${ch.per_chain} draws after burn-in; acceptance ${pct(ch.acceptance_rate)}; R-hat ${two(ch.r_hat)}; ESS ${two(ch.ess)}.`;
}

/** Each chain's path, chain after chain (`perChain` draws each), as lines. */
function drawPaths(canvas, state, samples, perChain) {
  const ctx = canvas.getContext('2d');
  const [lo, hi] = state.problem.extent;
  const px = (x) => (x - lo) / (hi - lo) * canvas.width;
  const py = (y) => (hi - y) / (hi - lo) * canvas.height;
  ctx.lineWidth = 0.8;
  ctx.globalAlpha = 0.55;
  const chains = Math.round(samples.length / 2 / perChain);
  for (let c = 0; c < chains; c++) {
    ctx.strokeStyle = CHAIN_COLOURS[c % CHAIN_COLOURS.length];
    ctx.beginPath();
    for (let i = 0; i < perChain; i++) {
      const o = 2 * (c * perChain + i);
      if (i === 0) ctx.moveTo(px(samples[o]), py(samples[o + 1])); else ctx.lineTo(px(samples[o]), py(samples[o + 1]));
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  canvas.dataset.chains = String(chains);
}

/** Redraws a method's cell from its latest answer (none yet: the density alone). */
export function drawCell(m, answer, wasm, state, values) {
  const canvas = $(`cv-${m.key}`);
  drawPosterior(canvas, wasm, state, answer?.samples);
  if (m.key === 'mcmc') {
    const input = $('mcmc-chains');
    if (document.activeElement !== input) input.value = values.mcmc_chains;
    if (answer) drawPaths(canvas, state, answer.samples, answer.chains.per_chain);
  }
  if (!answer) {
    $(`score-${m.key}`).textContent = m.trains ? 'training...' : 'running...';
    $(`caption-${m.key}`).textContent = '';
    return;
  }
  const chains = answer.chains ? `\n${chainLine(answer.chains)}` : '';
  $(`score-${m.key}`).textContent = `${scoreLine(answer.score)}\n${costLine(answer)}${chains}`;
  $(`caption-${m.key}`).textContent = answer.caption;
}

/** The training line of a method that trains, until it answers. */
export function drawProgress(m, p, done) {
  if (!p) return;
  $(`score-${m.key}`).textContent = done
    ? `trained: ${p.steps} steps in ${p.seconds.toFixed(2)} s; answering...`
    : `training: step ${p.steps} of ${p.planned}, ${p.seconds.toFixed(1)} s so far...`;
}
