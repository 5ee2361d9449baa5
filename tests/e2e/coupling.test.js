// The coupling panel in headless Chromium: the scrubber walks every stage
// from x to [z, pad, y] and back, the block's equations (forward, and its
// inverse in reverse) carry numbers, the log|det J| map draws.
// COUPLING_SHOT=path saves the panel, scrubbed half-way, as a screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, status, until } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const text = (page, id) => page.locator(`#${id}`).innerText();
/** The panel's canvas as a data URL: equal exactly when the pixels are. */
const pixels = (page, id) => page.evaluate((id) => document.getElementById(id).toDataURL(), id);

test('the scrubber walks every stage, the equations carry numbers and the log|det J| map draws', async () => {
  const { page, errors, context } = await openPage(browser, '#preset=fast&labels=all&seed=3');
  await page.click('[data-testid=train]');
  await until(page, (s) => s.step >= 300, 60000, '300 steps');
  await page.click('[data-testid=train]');
  await until(page, (s) => !s.running, 10000, 'the pause');
  await page.locator('#coupling').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => +document.getElementById('cp-stage').max > 0 && /Step \d+/.test(document.getElementById('sum-coupling').textContent));
  const last = +(await page.locator('#cp-stage').getAttribute('max'));
  const blocks = (await status(page)).config.blocks;
  assert.equal(last, 2 * blocks, 'a stage after each block and after each permutation');
  await page.waitForFunction((step) => document.getElementById('sum-coupling').textContent.includes(`Step ${step}.`), (await status(page)).step);

  // Forward, by keyboard: x, then each block and permutation, to the output.
  await page.focus('#cp-stage');
  const seen = [];
  for (let k = 0; k <= last; k++) {
    if (k > 0) await page.keyboard.press('ArrowRight');
    await page.waitForFunction((k) => document.getElementById('cp-stage-name').textContent.startsWith(`stage ${k} of`), k);
    seen.push({ name: await text(page, 'cp-stage-name'), sum: await text(page, 'sum-coupling'), img: await pixels(page, 'cv-coupling') });
  }
  assert.match(seen[0].name, /x, padded/);
  assert.match(seen[0].sum, /shown by x1 and x2/);
  assert.match(seen[last].name, /output \[z, pad, y\]/);
  assert.match(seen[last].sum, /shown by (z|pad|y)\d+ and (z|pad|y)\d+/, 'the output names its parts');
  const mean = (s) => s.match(/mean \(([-\d.]+), ([-\d.]+)\)/).slice(1).join(',');
  for (let k = 1; k <= last; k++) {
    assert.notEqual(seen[k].img, seen[k - 1].img, `stage ${k} draws something else than stage ${k - 1}`);
    // A block moves the points; a permutation moves the coordinates, so the
    // two shown carry the same values under new names.
    if (k % 2 === 1) assert.notEqual(mean(seen[k].sum), mean(seen[k - 1].sum), `block stage ${k} moves the points`);
    else assert.equal(mean(seen[k].sum), mean(seen[k - 1].sum), `permutation stage ${k} keeps the values`);
  }

  // The block's equations, with the live values of the point under the cursor.
  const numbers = (s) => (s.match(/-?\d+\.\d\d/g) || []).length;
  await page.waitForFunction(() => /Block \d+ on test point \d+/.test(document.getElementById('cp-eq').textContent));
  const eq = await text(page, 'cp-eq');
  assert.match(eq, /v1 = u1 ⊙ exp\(s2\) \+ t2/);
  assert.doesNotMatch(eq, /NaN|Infinity/, 'every value is finite');
  assert.match(eq, /log\|det J\| = Σ s2 \+ Σ s1 = -?\d+\.\d{3}/);
  const dim = (await status(page)).config.ndim_tot;
  assert.ok(numbers(eq) >= 10 * dim / 2, `ten rows of ${dim / 2} values: ${numbers(eq)} numbers`);
  const before = eq.match(/test point (\d+)/)[1];
  const box = await page.locator('#cv-coupling').boundingBox();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.8);
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.2);
  await page.waitForFunction((b) => { const m = document.getElementById('cp-eq').textContent.match(/test point (\d+)/); return m && m[1] !== b; }, before);

  // log|det J| over the x plane: a map of many shades, with its scale.
  const shades = await page.evaluate(() => {
    const c = document.getElementById('cv-logdet');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.width).data;
    const s = new Set();
    for (let i = 0; i < d.length; i += 4) s.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
    return s.size;
  });
  assert.ok(shades > 20, `the map has ${shades} shades`);
  assert.match(await text(page, 'sum-logdet'), /from -?\d+\.\d\d \(lightest\) to -?\d+\.\d\d \(darkest\), mean -?\d+\.\d\d/);

  // Reverse: the chosen colour's posterior samples from the output back to x.
  await page.check('#cp-reverse');
  await page.locator('#cp-stage').fill('0');
  await page.waitForFunction((l) => document.getElementById('cp-stage-name').textContent.startsWith(`stage ${l} of`), last);
  assert.match(await text(page, 'sum-coupling'), /500 posterior samples of \w+/);
  await page.locator('#cp-stage').fill(String(last));
  await page.waitForFunction(() => document.getElementById('cp-stage-name').textContent.startsWith('stage 0 of'));
  assert.match(await text(page, 'sum-coupling'), /shown by x1 and x2/);
  assert.match(await text(page, 'sum-coupling'), /circled: posterior sample \d+ of \w+, whose values fill the equations of the inverse of the block/);

  // Reverse, the equations are the block's inverse, on the posterior sample under the cursor.
  // Resolves with the sample the equations are of, once it is the circled one and not `n`.
  const inverseEq = (n) => page.waitForFunction((n) => {
    const m = document.getElementById('cp-eq').textContent.match(/inverse of block \d+ on posterior sample (\d+)/);
    const c = document.getElementById('sum-coupling').textContent.match(/circled: posterior sample (\d+)/);
    return m && c && m[1] === c[1] && m[1] !== n && m[1];
  }, n).then((h) => h.jsonValue());
  const first = await inverseEq(null);
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.8);
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.2);
  const hovered = await inverseEq(first);
  const rev = await text(page, 'cp-eq');
  assert.match(rev, new RegExp(`on posterior sample ${hovered} of \\w+, which reaches x = \\(-?\\d+\\.\\d\\d, -?\\d+\\.\\d\\d\\)`));
  assert.match(rev, /The inverse of block 1 on .* at stage 1, undone in the opposite order to u = \[u1, u2\] at stage 0/, 'at x, the block last passed back is the first');
  assert.match(rev, /u2 = \(v2 - t1\) ⊙ exp\(-s1\)/);
  assert.match(rev, /u1 = \(v1 - t2\) ⊙ exp\(-s2\)/);
  assert.match(rev, /log\|det J⁻¹\| = -Σ s1 - Σ s2 = -?\d+\.\d{3}/);
  assert.ok(numbers(rev) >= 10 * dim / 2, `ten rows of ${dim / 2} values: ${numbers(rev)} numbers`);
  assert.doesNotMatch(rev, /NaN|Infinity/, 'every value is finite');
  // At the output nothing is undone yet: the last block is the first the inverse meets.
  await page.locator('#cp-stage').fill('0');
  await page.waitForFunction((b) => new RegExp(`inverse of block ${b} on posterior sample`).test(document.getElementById('cp-eq').textContent), blocks);

  if (process.env.COUPLING_SHOT) {
    await page.uncheck('#cp-reverse');
    await page.locator('#cp-stage').fill(String(Math.floor(last / 2)));
    await page.waitForTimeout(300);
    await page.locator('#coupling').screenshot({ path: process.env.COUPLING_SHOT });
  }
  // On a phone's width the panel, its equations included, fits.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.locator('#cp-eq').scrollIntoViewIfNeeded();
  const past = await page.evaluate(() => [...document.querySelectorAll('#coupling, #coupling *')]
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map((e) => `${e.tagName}#${e.id}`));
  assert.deepEqual(past, [], 'nothing of the panel past 360 px');
  assert.deepEqual(errors, []);
  await context.close();
});
