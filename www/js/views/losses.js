// Loss panel: the history, thinned to at most MAX_POINTS rows, drawn by the
// wasm module with plotters.
const MAX_POINTS = 600;

/** `rowNames`: what each value of a history row is (`step` first), as
 * the wasm module names them; `barStep` the step at which every colour
 * first cleared the fidelity bar (marked on the chart), or null. */
export function drawLosses(canvas, wasm, history, rowNames, summaryEl, barStep = null) {
  const names = rowNames.slice(1);
  const FIELDS = rowNames.length;
  const rows = history.length / FIELDS;
  const stride = Math.max(1, Math.ceil(rows / MAX_POINTS));
  const thin = [];
  for (let r = 0; r < rows; r += stride) {
    for (let k = 0; k < FIELDS; k++) thin.push(history[r * FIELDS + k]);
  }
  wasm.drawLosses(canvas, new Float32Array(thin), names.join(','), barStep ?? undefined);
  if (rows > 0) {
    const last = history.slice((rows - 1) * FIELDS, rows * FIELDS);
    const parts = names.map((n, i) => `${n} ${Number(last[i + 1]).toPrecision(3)}`).filter((_, i) => last[i + 1] !== 0);
    summaryEl.textContent = `After step ${last[0]}: ${parts.join(', ')}.`;
  } else {
    summaryEl.textContent = 'No training steps yet.';
  }
}
