// The cost of many questions on the arm: K random targets (the arm's
// observations of prior draws) answered by each method at its page
// settings, timed, and scaled to 100. The INN's training is paid once; ABC
// and MCMC pay for every target. Each method's re-simulation error is
// stated beside its time, so that what the time bought is seen.
const K = 10;
const QUESTIONS = 100;
const TARGET_SEED = 7;

const $ = (id) => document.getElementById(id);
const secs = (ms) => (ms / 1000).toFixed(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wires the button; `ctx()` gives `{ wasm, runs, noise, eps, n, seed,
 * sampler, innStatus }` at the time of the click. */
export function wireMany(ctx) {
  const result = { inn: null, abc: null, mcmc: null };
  let id = 1e9;
  const show = () => {
    const scale = QUESTIONS / K;
    const lines = [`${QUESTIONS} random targets, measured on ${K} and scaled by ${scale}:`];
    const i = result.inn;
    lines.push(i
      ? `INN: ${secs(i.trainMs)} s of training, paid once, then ${(i.ms / K).toFixed(1)} ms per target: ${secs(i.trainMs + scale * i.ms)} s in all; re-simulation error median ${median(i.resim).toFixed(3)}.`
      : 'INN: waiting for its training to finish.');
    for (const m of ['abc', 'mcmc']) {
      const r = result[m];
      const name = m === 'abc' ? `ABC within ${ctx().eps.toFixed(2)}` : 'MCMC';
      if (!r) { lines.push(`${name}: not run.`); continue; }
      const what = m === 'abc' ? 'simulations' : 'density evaluations';
      lines.push(`${name}: ${secs(scale * r.ms * K / r.targets)} s${r.targets < r.of ? ` (so far, ${r.targets} of ${r.of} targets)` : ''}; ${Math.round(r.simulations / r.targets).toLocaleString('en-US')} ${what} per target; re-simulation error median ${median(r.resimMedians).toFixed(3)}.`);
    }
    $('arm-many-text').textContent = lines.join('\n');
  };
  for (const m of ['abc', 'mcmc']) {
    ctx().runs[m].addEventListener('message', ({ data }) => {
      if (data.type === 'many' && data.id === id) { result[m] = data; show(); }
    });
  }
  $('arm-many').addEventListener('click', () => {
    const c = ctx();
    const targets = c.wasm.armTargets(K, BigInt(TARGET_SEED), c.noise);
    id += 1;
    Object.assign(result, { inn: null, abc: null, mcmc: null });
    for (const m of ['abc', 'mcmc']) {
      c.runs[m].postMessage({ type: 'many', id, method: m, targets, eps: c.eps, n: c.n, seed: c.seed, noise: c.noise });
    }
    if (c.sampler && c.innStatus?.done) {
      const resim = [];
      let ms = 0;
      for (let k = 0; k < K; k += 1) {
        const y = targets.slice(2 * k, 2 * k + 2);
        const t0 = performance.now();
        const s = c.sampler.samplesFor(y, c.n, c.seed);
        ms += performance.now() - t0;
        resim.push(c.wasm.armResimulation(s, y[0], y[1])[0]);
      }
      result.inn = { ms, trainMs: c.innStatus.ms, resim };
    }
    show();
  });
}
