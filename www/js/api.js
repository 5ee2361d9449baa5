// window.innPlayground: hooks for tests and for people at the console.
export function installApi(app, { request, FIELDS }) {
  const row = (r) => {
    if (r < 0 || r >= app.rows) return null;
    const h = app.history;
    const o = r * FIELDS;
    return { step: h[o], total: h[o + 1], y: h[o + 2], z: h[o + 3], x: h[o + 4], rec: h[o + 5], ml: h[o + 6] };
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
    /** Makes the helper's next share throw (the step finishes in the
     * training worker, and training goes on there, with the same results). */
    failHelperShare() { app.worker.postMessage({ type: 'failHelperShare' }); },
    /** Posterior samples: a Float32Array of x0, x1 pairs. */
    async samples(label, n) { return (await request('samples', { label, n })).data; },
  };
}
