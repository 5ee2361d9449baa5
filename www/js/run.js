// Training steps as the worker runs them: split across this worker and
// its helper where the helper is ready, else here alone (the same bits
// either way), one call at a time per worker.
import { helper } from './helper-link.js';

/** A trainer and what the worker keeps about it: the wasm object holds
 * the training, this the page's bookkeeping. */
export class Run {
  constructor(trainer) {
    this.trainer = trainer;
    this.trainedMs = 0;      // time in training steps, in this worker and its helper
    this.freed = false;      // set when the trainer is freed: a step waiting for the helper drops its result
    this.barCleared = false; // whether scores of this run have cleared the fidelity bar
    this.nearBar = false;    // near the bar and not cleared yet: scored more often
  }

  free() {
    this.freed = true;
    this.trainer.free();
  }
}

/** Step `i`'s loss row put into `rows` (made at the first of `count`
 * steps), laid out as `train` lays them. */
function collectRow(rows, row, i, count) {
  rows ??= new Float32Array(count * row.length);
  rows.set(row, i * row.length);
  return rows;
}

/** Up to `count` steps of `run`, split across both workers where the
 * helper is ready: the loss rows as `train` gives them, whether they were
 * split and how the packets went; null if the run was freed meanwhile.
 * Throws on divergence. */
async function trainSteps(run, count) {
  const t = run.trainer;
  if (!helper.canSplit(run)) return { rows: t.train(count), split: false, transport: null };
  const transport = helper.sharesMemory ? 'shared memory' : 'messages';
  let rows = null;
  for (let i = 0; i < count; i++) {
    const row = helper.ready ? await helper.step(run) : t.train(1);
    if (row === null) return null;
    rows = collectRow(rows, row, i, count);
  }
  return { rows, split: true, transport };
}

/** One call of `trainSteps` at a time: a step from the step button and
 * one of the training loop never interleave on the same trainer. */
let queue = Promise.resolve();
export function trainExclusive(run, count) {
  const r = queue.then(() => trainSteps(run, count));
  queue = r.catch(() => {});
  return r;
}

/** Waits (up to 5 s) until the helper holds `run`'s network, as it does
 * on the page by the time a user presses train. */
export async function helperReady(run) {
  const until = performance.now() + 5000;
  while (helper.worker && !helper.canSplit(run) && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
