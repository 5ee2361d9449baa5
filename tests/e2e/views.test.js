// What the views ask of the core: the problem's drawing description, the
// counts behind the posterior captions and the latent moments, checked in
// headless Chromium against numbers computed here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

/** Opens the page at `hash` with the wasm module loaded as `window.m`. */
async function withWasm(hash) {
  const opened = await openPage(browser, hash, { wait: false });
  await opened.page.evaluate(async () => {
    window.m = await import('./pkg/inn_playground.js');
    await window.m.default();
  });
  return opened;
}

test('the problem description has every label map\'s modes, and an extent that holds them', async () => {
  const { page, context } = await withWasm('#preset=fast&labels=some&seed=1');
  const r = await page.evaluate(() => {
    const { m } = window;
    const views = Object.fromEntries(['some', 'all', 'none'].map((l) => [l, JSON.parse(m.problemView(l))]));
    return { maps: JSON.parse(m.labelMaps()), views };
  });
  assert.deepEqual(r.maps.map((x) => [x.name, x.nLabels]), [['some', 4], ['all', 8], ['none', 1]]);
  for (const [name, v] of Object.entries(r.views)) {
    assert.equal(v.modes.length, 8, name);
    assert.equal(new Set(v.modes.map((x) => x.label)).size, v.nLabels, `${name}: every label has a mode`);
    const [lo, hi] = v.extent;
    for (const x of v.modes) {
      for (const c of x.centre) assert.ok(lo <= c - x.inModeRadius && c + x.inModeRadius <= hi, `${name}: mode at ${x.centre} within ${v.extent}`);
    }
  }
  assert.deepEqual(r.views.some.modes.map((x) => x.label), [0, 0, 0, 0, 1, 1, 2, 3], 'the paper\'s label map');
  // The page offers the core's label maps, and a drawn mixture's entry
  // that cannot be chosen (a drawn mixture is made in the data panel).
  await page.waitForFunction(() => document.querySelectorAll('#labels option').length > 0);
  const options = await page.locator('#labels option').evaluateAll((os) => os.map((o) => [o.value, o.disabled]));
  assert.deepEqual(options, [['', true], ['some', false], ['all', false], ['none', false]]);
  await context.close();
});

test('the description\'s in-mode radius is the one the scores count by', async () => {
  const { page, context } = await withWasm('#preset=fast&labels=all&seed=1');
  // Exact samples of one mode, spread 1.2 times too wide: some fall
  // outside the radius, so the radius decides the share.
  const r = await page.evaluate(() => {
    const { m } = window;
    const v = JSON.parse(m.problemView('all'));
    const mode = v.modes.find((x) => x.label === 2);
    const s = m.exactSamples('all', 2, 4000, 21);
    for (let i = 0; i < s.length; i++) s[i] = mode.centre[i % 2] + 1.2 * (s[i] - mode.centre[i % 2]);
    const inside = s.filter((_, i) => i % 2 === 0 && Math.hypot(s[i] - mode.centre[0], s[i + 1] - mode.centre[1]) <= mode.inModeRadius).length;
    return { inside, score: JSON.parse(m.scoreSamples('all', 2, s, 3)), counts: JSON.parse(m.modeCounts('all', 2, s)) };
  });
  assert.ok(r.inside < 4000 * 0.97, `the widened samples leave the radius: ${r.inside} of 4000 inside`);
  assert.equal(r.score.in_correct, r.inside / 4000, 'the scores count inside the description\'s radius');
  assert.equal(r.counts.inside, r.inside, 'the caption counts inside it too');
  await context.close();
});

test('the posterior captions count each of the label\'s modes', async () => {
  const { page, context } = await withWasm('#preset=fast&labels=some&seed=1');
  // Points on circles around each blue mode, alternately just inside and
  // just outside its in-mode radius (40 around the first, 80 around the
  // second), and two far from any mode.
  const r = await page.evaluate(() => {
    const { m } = window;
    const blue = JSON.parse(m.problemView('some')).modes.filter((x) => x.label === 1);
    const pts = [];
    blue.forEach((x, k) => {
      for (let i = 0; i < 40 * (k + 1); i++) {
        const a = (2 * Math.PI * i) / 40, rad = x.inModeRadius * (i % 2 ? 0.98 : 1.02);
        pts.push(x.centre[0] + rad * Math.cos(a), x.centre[1] + rad * Math.sin(a));
      }
    });
    pts.push(0, 0, 0.1, -0.2);
    return { blue, counts: JSON.parse(m.modeCounts('some', 1, new Float32Array(pts))) };
  });
  assert.equal(r.counts.n, 40 + 80 + 2);
  assert.deepEqual(r.counts.modes.map((x) => x.centre), r.blue.map((x) => x.centre));
  assert.deepEqual(r.counts.modes.map((x) => x.count), [20, 40]);
  assert.equal(r.counts.inside, 60);
  await context.close();
});

test('the latent moments are the mean and the standard deviation of each dimension', async () => {
  const { page, context } = await withWasm('#preset=fast');
  const r = await page.evaluate(() => {
    const { m } = window;
    let bad = null;
    try { m.latentMoments(new Float32Array(3), 2); } catch (e) { bad = String(e.message); }
    return {
      moments: Array.from(m.latentMoments(new Float32Array([1, 10, 3, 10, 5, 13]), 2)),
      target: Array.from(m.latentTargetDensity(new Float64Array([0, 1, -2]))),
      bad,
    };
  });
  const [mean0, mean1, std0, std1] = r.moments;
  assert.equal(mean0, 3);
  assert.equal(mean1, 11);
  assert.ok(Math.abs(std0 - 2) < 1e-12, `std ${std0}`);
  assert.ok(Math.abs(std1 - Math.sqrt(3)) < 1e-12, `std ${std1}`);
  const pdf = (x) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  r.target.forEach((d, i) => assert.ok(Math.abs(d - pdf([0, 1, -2][i])) < 1e-15));
  assert.match(r.bad, /3 latent values do not make rows of 2/);
  await context.close();
});
