// window.innPlayground: hooks for tests and for people at the console.
import { lossRowKeys } from '../pkg/inn_playground.js';

export function installApi(app, { request }) {
  // A loss row's layout is the wasm's: its keys, in order.
  const keys = lossRowKeys().split(',');
  const row = (r) => {
    if (r < 0 || r >= app.rows) return null;
    const o = r * keys.length;
    return Object.fromEntries(keys.map((k, i) => [k, app.history[o + i]]));
  };
  window.innPlayground = {
    /** Step, configuration, latest losses and per-label scores. */
    status() {
      const s = app.link.state;
      return {
        step: app.step,
        running: app.running,
        preset: s.preset,
        hash: s.hash,
        config: s.config,
        losses: row(app.rows - 1),
        scoresStep: app.evaluation ? app.evaluation.step : null,
        scores: app.evaluation ? app.evaluation.labels.map((l) => ({
          label: l.label, inCorrect: l.in_correct, inWrong: l.in_wrong, maxMassError: l.max_mass_error, mmd2: l.mmd2,
        })) : [],
        abc: app.abc ? { label: app.abc.label, simulations: app.abc.simulations, accepted: app.abc.accepted, ms: app.abc.ms, inCorrect: app.abc.score?.in_correct ?? null } : null,
        sampleMs: app.snapshot ? app.snapshot.sampleMs : null,
        pauseLatencyMs: app.pauseLatencyMs,
        // When the worker scores next while training: { near, ms, busyMs },
        // near the bar or not, the wait, and the last round's cost.
        nextScores: app.nextScores ?? null,
        cores: app.cores,
        // How split steps reached the helper: 'shared memory' (a page
        // isolated across origins), 'messages', or null (one worker).
        transport: app.transport,
        helperReady: app.helperReady,
        // The fidelity bar: `first` is { step, seconds } of the first scores
        // in which every label cleared it (null before); `misses` what
        // misses it in the latest scores.
        bar: app.bar ? { first: app.bar.first, misses: app.bar.misses } : null,
      };
    },
    /** The losses of one step (1-based), or null. */
    lossAt(step) { return row(step - 1); },
    /** Stops the training worker's helper as if it had crashed (training
     * goes on in one worker, with the same results). */
    stopHelper() { app.worker.postMessage({ type: 'stopHelper' }); },
    /** Makes the helper's next packet throw (the step finishes in the
     * training worker, and training goes on there, with the same results). */
    failHelperStep() { app.worker.postMessage({ type: 'failHelperStep' }); },
    /** Posterior samples: a Float32Array of x0, x1 pairs. */
    async samples(label, n) { return (await request('samples', { label, n })).data; },
  };
}
