// A mixture drawn by hand, in the page: a `mix=` link loads with its modes
// drawn, trains to the fidelity bar (judged against its exact posterior, in
// the page's verdict), and the data panel's editor rewrites the link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, status, textMatching, until } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

// The example, three modes and two colours, on a seed the preset
// was not tuned on (tests/mix.rs trains the same run natively).
const LINK = '#mix=-2,0,0.3,0;2,0,0.3,0;0,2,0.2,1&seed=21';
const FIDELITY_LIMIT_MS = 120000;

/** The link's modes, `[x, y, std, label(, weight)]` each, from the configuration's text. */
const modesOf = (st) => (st.config.mix ?? '').split(';').filter(Boolean).map((m) => m.split(',').map(Number));

/** Canvas pixels near (`x`, `y`) of the plane (extent [lo, hi]^2) in `rgb`. */
const inkNear = (page, [lo, hi], [x, y], rgb) => page.evaluate(({ lo, hi, x, y, rgb }) => {
  const c = document.getElementById('cv-data');
  const px = Math.round((x - lo) / (hi - lo) * c.width), py = Math.round((hi - y) / (hi - lo) * c.height);
  const d = c.getContext('2d').getImageData(px - 3, py - 3, 7, 7).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - rgb[0]) < 30 && Math.abs(d[i + 1] - rgb[1]) < 30 && Math.abs(d[i + 2] - rgb[2]) < 30) n++;
  return n;
}, { lo, hi, x, y, rgb });

test('a drawn mixture loads from its link, is drawn, and trains to the fidelity bar', async () => {
  const { page, errors, context } = await openPage(browser, LINK);
  let s = await status(page);
  assert.equal(modesOf(s).length, 3);
  assert.ok(s.hash.endsWith('&mix=-2,0,0.3,0;2,0,0.3,0;0,2,0.2,1'), s.hash);
  assert.equal(await page.locator('[data-testid=notice]').isVisible(), false, 'no notice');
  // The modes are drawn (the core's view) and listed, in their colours.
  await textMatching(page, '#sum-data', /3-mode mixture drawn by hand with 2 labels/);
  const options = await page.locator('[data-testid=mix-editor] select').first().locator('option').allInnerTexts();
  assert.deepEqual(options.slice(1), ['1: (-2.00, 0.00) red', '2: (2.00, 0.00) red', '3: (0.00, 2.00) blue']);
  // The core shows this mixture on [-4, 4]^2 (every mode out to 5 stds, in whole numbers).
  const [lo, hi] = [-4, 4];
  const red = [0xd5, 0x5e, 0x00], blue = [0x00, 0x72, 0xb2];
  for (const [at, rgb] of [[[-2, 0], red], [[2, 0], red], [[0, 2], blue]]) {
    assert.ok(await inkNear(page, [lo, hi], at, rgb) >= 10, `a ${rgb} handle at ${at}`);
  }
  // The label map's menu says the modes are drawn, not the map's.
  assert.equal(await page.locator('#labels').evaluate((e) => e.selectedOptions[0].textContent), 'drawn by hand');
  // Two colours to pick from, and training to the bar for both.
  assert.equal(await page.locator('#label-picker button').count(), 2);
  await page.click('[data-testid=train]');
  const started = Date.now();
  s = await until(page, (st) => st.bar?.first, FIDELITY_LIMIT_MS, 'both colours of the drawn mixture to clear the fidelity bar');
  console.log(`drawn mixture: fidelity bar cleared after ${((Date.now() - started) / 1000).toFixed(1)} s at step ${s.bar.first.step}:`,
    s.scores.map((l) => l.inCorrect.toFixed(3)).join(' '));
  assert.equal(s.scores.length, 2);
  assert.ok(s.scores.every((l) => l.inCorrect >= 0.93));
  await textMatching(page, '[data-testid=bar-status]', /first cleared it at step/);
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violations');
  await context.close();
});

test('the editor adds, moves and changes modes through the link, and restarts training', async () => {
  const { page, errors, context } = await openPage(browser, LINK);
  // The canvas shows [-4, 4]^2 for this mixture: (x, y) to page pixels,
  // measured when the page has its first samples of the run (the status
  // line above the canvas changes length until then).
  const at = async (x, y) => {
    await until(page, (st) => st.sampleMs !== null, 10000, 'the run\'s first samples');
    const box = await page.locator('#cv-data').boundingBox();
    return { x: box.x + (x + 4) / 8 * box.width, y: box.y + (4 - y) / 8 * box.height };
  };
  // A click on empty plane adds a mode there.
  let p = await at(-2, -2);
  await page.mouse.click(p.x, p.y);
  let s = await until(page, (st) => modesOf(st).length === 4, 5000, 'a fourth mode');
  assert.ok(/&mix=-2,0,0.3,0;2,0,0.3,0;0,2,0.2,1;-2,-2,0.3,0$/.test(s.hash), s.hash);
  assert.equal(s.step, 0, 'training restarted');
  // Dragging the blue mode moves it.
  p = await at(0, 2);
  const q = await at(1, 3);
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  await page.mouse.move((p.x + q.x) / 2, (p.y + q.y) / 2);
  await page.mouse.move(q.x, q.y);
  await page.mouse.up();
  s = await until(page, (st) => modesOf(st)[2][0] !== 0, 5000, 'the blue mode to move');
  const [x, y] = modesOf(s)[2];
  assert.ok(Math.abs(x - 1) < 0.1 && Math.abs(y - 3) < 0.1, `moved to ${x}, ${y}`);
  // The chosen mode's width and colour.
  const editor = page.locator('[data-testid=mix-editor]');
  await editor.getByLabel('Width (std)').fill('0.5');
  await editor.getByLabel('Width (std)').press('Tab');
  s = await until(page, (st) => modesOf(st)[2][2] === 0.5, 5000, 'the width to change');
  await editor.getByLabel('Mode').selectOption({ index: 4 });
  await editor.getByLabel('Colour').selectOption({ label: 'green (new)' });
  s = await until(page, (st) => modesOf(st)[3][3] === 2, 5000, 'a third colour');
  assert.equal(await page.locator('#label-picker button').count(), 3);
  // A width out of range is refused by the core, and said.
  await editor.getByLabel('Width (std)').fill('9');
  await editor.getByLabel('Width (std)').press('Tab');
  await textMatching(page, '[data-testid=notice]', /std must be in \[0\.05, 1\.5\]/);
  // Choosing a label map replaces the drawn mixture.
  await page.locator('#labels').selectOption('all');
  s = await until(page, (st) => modesOf(st).length === 0, 5000, 'the label map\'s modes');
  assert.equal(s.config.labels, 'all');
  assert.equal(await page.locator('#label-picker button').count(), 8);
  assert.deepEqual(errors, []);
  await context.close();
});
