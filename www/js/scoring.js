// The worker's scoring schedule: scores of every label against the exact
// posterior, a piece at a time while training (so that a pause never
// waits for all of them), all at once when paused. The verdict on the
// fidelity bar comes from the wasm (`barVerdict`); this file only decides
// when to score.
import { fidelitySamples, nearBarInCorrect } from '../pkg/inn_playground.js';

/** How often scores are computed while training. */
export const SCORE_MS = 1500;
// ...and how often while the network is near the fidelity bar and has not
// cleared it yet (the wasm's verdict says when), so that the step at which
// the page says the bar was first cleared is close to where it was. Then
// the scores take at most SCORE_NEAR_FRACTION of the worker's time, so that a
// slow machine, or eight colours, spaces them out rather than train less.
export const SCORE_NEAR_MS = 500;
export const SCORE_NEAR_FRACTION = 0.25;

/** What the page needs to describe the schedule (after the wasm is
 * ready). The samples per label are the core's one verdict's: the wasm
 * draws them from the core's seed rule, the same draws whether the network
 * trains or is paused, and the same as the tests, the bench and `inn eval`. */
export const schedule = () => ({
  scoreMs: SCORE_MS, scoreNearMs: SCORE_NEAR_MS, scoreNearFraction: SCORE_NEAR_FRACTION, nearBarInCorrect: nearBarInCorrect(), scoreSamples: fidelitySamples(),
});

let job = null;
let lastScore = 0;
let nearGap = SCORE_NEAR_MS;

/** Posts scores with the wasm's verdict on the fidelity bar, which the
 * page's bar line takes rather than judging again, and notes where the
 * run stands: the scores that first clear the bar, paused or training,
 * end the closer scoring near it. `next` says when scores come next while
 * training, and why: near the bar or not, and the last round's cost. */
function postScores(run, step, trainedMs, evaluation, busyMs = null) {
  const verdict = JSON.parse(run.trainer.barVerdict());
  if (verdict.clears) run.barCleared = true;
  run.nearBar = !run.barCleared && verdict.near;
  const next = { near: run.nearBar, ms: run.nearBar ? nearGap : SCORE_MS, busyMs };
  postMessage({ type: 'scores', step, trainedMs, evaluation, clearsBar: verdict.clears, next });
}

/** Scores every label at once (paused), with each label's MMD^2. */
export function scoreAll(run) {
  const evaluation = JSON.parse(run.trainer.evaluate());
  postScores(run, run.trainer.step(), run.trainedMs, evaluation);
}

/** Restarts the schedule (training starts): the first scores come after
 * one interval. */
export function restartScoring() {
  job = null;
  lastScore = performance.now();
}

/** Drops scores half done (a pause: the paused scores follow). */
export function cancelScoring() {
  job = null;
}

/** While training: the next piece of scores if one is due (one label,
 * or the latent space, which completes a round and posts it); returns
 * whether it did one. The scores carry the step their first piece saw. */
export function scorePiece(run) {
  const t = run.trainer;
  if (!job && performance.now() - lastScore > (run.nearBar ? nearGap : SCORE_MS)) {
    job = { step: t.step(), trainedMs: run.trainedMs, nLabels: t.nLabels(), labels: [], busyMs: 0 };
  }
  if (!job) return false;
  const started = performance.now();
  if (job.labels.length < job.nLabels) {
    job.labels.push(JSON.parse(t.evaluateLabel(job.labels.length)));
    job.busyMs += performance.now() - started;
    return true;
  }
  const latent = JSON.parse(t.evaluateLatent());
  job.busyMs += performance.now() - started;
  nearGap = Math.max(SCORE_NEAR_MS, job.busyMs / SCORE_NEAR_FRACTION);
  postScores(run, job.step, job.trainedMs, { step: job.step, labels: job.labels, latent }, job.busyMs);
  job = null;
  lastScore = performance.now();
  return true;
}
