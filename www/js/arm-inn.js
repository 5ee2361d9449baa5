// The arm's INN on the page: a worker trains it from the link's settings
// (arm-inn-worker.js), and the page keeps a copy of its latest model to
// sample from on the main thread, so that the fan follows a drag frame by
// frame without waiting on the training. Numbers come from the core.

/** Starts training; `on.model(sampler)` gets a sampler (a WasmTrainer) for
 * each new model, `on.status(s)` the progress `{ step, planned, ms, done,
 * error }`. Returns `stop()`. */
export function startInn(wasm, hash, on) {
  const worker = new Worker(new URL('./arm-inn-worker.js', import.meta.url), { type: 'module' });
  const id = 1;
  let sampler = null;
  const status = { step: 0, planned: 0, ms: 0, done: false, error: null };
  worker.onmessage = ({ data }) => {
    if (data.type === 'panic') { window.innPanic?.(data.message); return; }
    if (data.id !== id) return;
    if (data.type === 'progress') Object.assign(status, { step: data.step, planned: data.planned, ms: data.ms });
    if (data.type === 'error') status.error = data.message;
    if (data.type === 'objective') status.objective = data.text;
    if (data.type === 'model') {
      Object.assign(status, { step: data.step, ms: data.ms, done: data.done });
      sampler?.free();
      sampler = wasm.WasmTrainer.fromModel(data.text);
      on.model(sampler, status);
    }
    on.status(status);
  };
  worker.postMessage({ type: 'start', id, hash });
  return () => worker.postMessage({ type: 'stop' });
}

/** The INN's progress and, once trained, its scores for the target, in words. */
export function innText(status, score) {
  if (status.error) return `The INN stopped: ${status.error}`;
  const secs = (status.ms / 1000).toFixed(1);
  const what = `the paper's invertible network, trained by ${status.objective}`;
  if (!status.done) return `INN (${what}) training: step ${status.step} of ${status.planned} (${secs} s); its fan is drawn from the latest weights.`;
  const lines = [`INN trained: ${status.step} steps in ${secs} s, paid once (${what}); each new target costs one inverse pass per arm.`];
  if (score) {
    const s = score;
    const r = s.resimulation;
    const spreads = s.coordinates.map((c, j) => `x${j + 1} ${c.spread_ratio.toFixed(2)}`).join(', ');
    lines.push(`Against the exact posterior here: MMD² ${s.mmd2.toFixed(4)} (floor ${s.mmd2_floor.toFixed(4)}); re-simulation error median ${r.median.toFixed(3)}, 90th percentile ${r.p90.toFixed(3)}; spread ratios ${spreads}.`);
    lines.push(score.misses.length ? `Misses the bar here: ${score.misses.join('; ')}.` : 'Clears the bar here.');
  }
  return lines.join('\n');
}
