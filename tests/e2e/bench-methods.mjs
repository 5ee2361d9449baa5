// The line-up's browser figures for `cargo xtask bench` (called by
// bench.mjs): each trained baseline's training time in the methods worker,
// and each method's time per query (every label of the default link),
// against the budgets: a per-query method answers within 200 ms,
// a trained baseline trains within 10 s.
import { appendFileSync } from 'node:fs';

const PER_QUERY_BUDGET_MS = 200;
const TRAINING_BUDGET_S = 10;
const SAMPLES = 2000;
const HASH = 'preset=fast&labels=some&seed=1';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Trains the line-up in a fresh methods worker and asks every method
 * about every label; returns `{lineup, progress, answers}`. */
function lineUp(page) {
  return page.evaluate(async ({ hash, n, labels }) => {
    const wasm = await import('./pkg/inn_playground.js');
    await wasm.default();
    const nLabels = JSON.parse(wasm.problemView(labels)).nLabels;
    return new Promise((resolve, reject) => {
      const w = new Worker('./js/methods-worker.js', { type: 'module' });
      const progress = {}, answers = [];
      let lineup = null, trained = 0, asked = 0, id = 1;
      const askAll = () => {
        for (const m of lineup) for (let label = 0; label < nLabels; label++) {
          asked++;
          w.postMessage({ type: 'query', id: id++, method: m.key, label, n, hash });
        }
      };
      w.onmessage = (e) => {
        const m = e.data;
        if (m.type === 'ready') lineup = m.lineup;
        else if (m.type === 'progress') progress[m.method] = { steps: m.steps, seconds: m.seconds };
        else if (m.type === 'trained' && ++trained === lineup.filter((x) => x.trains).length) askAll();
        else if (m.type === 'answer') {
          answers.push({ method: m.method, label: m.label, cost: m.cost, inCorrect: m.score.in_correct });
          if (answers.length === asked) { w.terminate(); resolve({ lineup, progress, answers }); }
        } else if (m.type === 'error' || m.type === 'panic') { w.terminate(); reject(new Error(m.message)); }
      };
      w.postMessage({ type: 'init', hash });
    });
  }, { hash: `#${HASH}`, n: SAMPLES, labels: 'some' });
}

/** ABC's time per query on every label, in the bench worker. */
function abc(page) {
  return page.evaluate(({ hash }) => new Promise((resolve) => {
    const w = new Worker('./js/bench-worker.js', { type: 'module' });
    w.onmessage = (e) => { if (['abc', 'error', 'panic'].includes(e.data.type)) { w.terminate(); resolve(e.data); } };
    w.postMessage({ type: 'abc', id: 1, hash, n: 1000, eps: 0.5, budget: 200000 });
  }), { hash: HASH });
}

export async function benchMethods(page, out) {
  // The page trains its own line-up when it opens: the figures wait for it.
  await page.waitForFunction(() => window.innPlayground?.methods?.().trained.length === 3, null, { timeout: 120000 });
  const r = await lineUp(page);
  const a = await abc(page);
  if (a.type !== 'abc') throw new Error(`the bench worker failed: ${a.message}`);
  console.log(`the line-up in a Web Worker (headless Chromium), ${HASH}, ${SAMPLES} samples per query (ABC 1000), median over the labels:`);
  console.log('method          train s   query ms   budget');
  const rows = [['abc', 0, median(a.perLabel.map((x) => x.ms))]];
  for (const m of r.lineup) {
    const mine = r.answers.filter((x) => x.method === m.key);
    rows.push([m.key, m.trains ? r.progress[m.key].seconds : 0, median(mine.map((x) => 1000 * x.cost.seconds_per_query))]);
  }
  for (const [method, trainS, queryMs] of rows) {
    const trains = trainS > 0;
    const within = trains ? trainS <= TRAINING_BUDGET_S : queryMs <= PER_QUERY_BUDGET_MS;
    const budget = trains ? `trains within ${TRAINING_BUDGET_S} s: ${within ? 'yes' : 'NO'}` : `answers within ${PER_QUERY_BUDGET_MS} ms: ${within ? 'yes' : 'NO'}`;
    console.log(`${method.padEnd(14)} ${trainS.toFixed(2).padStart(8)} ${queryMs.toFixed(2).padStart(10)}   ${budget}`);
    appendFileSync(out, `${JSON.stringify({ method, target: 'wasm', labels: 'some', train_s: Number(trainS.toFixed(3)), query_ms: Number(queryMs.toFixed(3)), within_budget: within })}\n`);
  }
}
