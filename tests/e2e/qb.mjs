import { launch, BASE_URL } from './helpers.js';
const browser = await launch();
const page = await (await browser.newContext()).newPage();
await page.goto(`${BASE_URL}/#preset=fast`);
const run = (hash, steps, toFidelity, alone = false) => page.evaluate(({ hash, steps, toFidelity, alone }) => new Promise((resolve) => {
  const w = new Worker('./js/bench-worker.js', { type: 'module' });
  w.onmessage = (e) => { if (['bench', 'error', 'panic'].includes(e.data.type)) { w.terminate(); resolve(e.data); } };
  w.postMessage({ type: 'bench', id: 1, hash, steps, toFidelity, alone });
}), { hash, steps, toFidelity, alone });
const cfgs = [['fast','preset=fast&labels=some&seed=SEED',300],['4x64x256','preset=paper&labels=some&seed=SEED&blocks=4&hidden=64&batch=256',300]];
for (const [n,h,s] of cfgs) { const split=[],alone=[];
for (const seed of [1,2,3,1,2]) { split.push((await run(h.replace('SEED',seed),s,false)).stepsPerS.toFixed(1)); alone.push((await run(h.replace('SEED',seed),s,false,true)).stepsPerS.toFixed(1)); }
console.log(n,'split',split.join(' '),'alone',alone.join(' ')); }
await browser.close();
