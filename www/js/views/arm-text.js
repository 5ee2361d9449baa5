// The arm view's captions: the exact fan's provenance and each run's price,
// in words, from the numbers the core computed; and the core's summaries
// of what the canvases show.

/** Bins per coordinate of the marginals. */
export const BINS = 30;

const int = (v) => Math.round(v).toLocaleString('en-US');
const num = (v, d = 3) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));
const rate = (a) => (a > 0 ? `${(100 * a).toPrecision(2)}% (1 in ${int(1 / a)})` : '0');

/** What the exact fan shows and what it cost. */
export function exactText(e, state, wasm) {
  if (!e) return '';
  if (e.error && !e.samples) return e.error;
  const n = e.samples.length / 4;
  const [med, p90] = wasm.armResimulation(e.samples, state.target[0], state.target[1]);
  const lines = [
    `${int(n)} exact draws (${Math.min(n, 300)} drawn) from a kept pool of ${int(e.pool)} candidates, effective sample size ${int(e.ess)}${e.atRest ? '' : ' (the larger pool when the target rests)'}; ${num(e.ms, 1)} ms.`,
    `Re-simulation error: median ${num(med)}, 90th percentile ${num(p90)} (the observation noise's scale).`,
  ];
  if (e.error) lines.push(`Not redrawn: ${e.error}`);
  return lines.join('\n');
}

/** A run's price as paid so far. */
export function priceText(method, r, state, view) {
  if (!r) return 'Runs when the target rests.';
  if (r.error) return r.error;
  const p = r.price;
  if (!p) return 'Starting...';
  const status = r.stopped ? ' Stopped.' : r.running ? ' Running...' : '';
  const resim = `Re-simulation error: median ${num(p.resimMedian)}, 90th percentile ${num(p.resimP90)}.`;
  if (method === 'abc') {
    return [
      `${int(p.simulations)} simulations run, ${int(p.kept)} of ${int(p.wanted)} kept within ${num(state.eps, 2)}: acceptance ${rate(p.acceptance)}; ${int(r.ms)} ms.${status}`,
      resim,
    ].join('\n');
  }
  const m = view.mcmc;
  const chains = Math.round(p.kept / m.perChain);
  return [
    `${int(p.simulations)} density evaluations (one simulation each) in ${chains} of ${m.chains} chains: ${int(m.burnIn)} adapting steps each, then a kept draw every ${m.thin} steps; acceptance ${num(100 * p.acceptance, 0)}%; ${int(r.ms)} ms.${status}`,
    `${resim} R-hat ${num(p.rHat, 2)} (about 1 when the chains agree).`,
  ].join('\n');
}

const NONE = new Float32Array(0);

/** The core's words for the fans `[name, samples or null]`, one after another. */
export const fansText = (wasm, fans) => fans.map(([name, s]) => wasm.armFanText(name, s || NONE)).join(' ');

/** The core's words for each coordinate's marginal: the exact draws'
 * against those of `runs` (each run's samples, or null when not drawn). */
export const marginalsText = (wasm, exact, runs) => wasm.armMarginalsText(exact, ...runs.map((s) => s || NONE));
