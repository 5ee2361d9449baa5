import { launch } from './helpers.js';
const browser = await launch();
const res = { o3: [], wo: [] };
for (let round = 0; round < 3; round++) {
  for (const [name, port] of [['o3', 8201], ['wo', 8203]]) {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(0);
    await page.goto(`http://127.0.0.1:${port}/#preset=fast`);
    const r = await page.evaluate(() => new Promise((resolve) => {
      const w = new Worker('./js/bench-worker.js', { type: 'module' });
      w.onmessage = (e) => { if (['bench', 'error', 'panic'].includes(e.data.type)) { w.terminate(); resolve(e.data); } };
      w.postMessage({ type: 'bench', id: 1, hash: 'preset=fast&labels=some&seed=1', steps: 300, toFidelity: false, alone: true });
    }));
    res[name].push(r.stepsPerS ?? r.message);
    await page.context().close();
  }
}
console.log(JSON.stringify(res));
await browser.close();
