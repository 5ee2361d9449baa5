// Every screen and every user: the keyboard alone drives the page, a phone's
// width holds every page without sideways scrolling, and `ui=min` shows the
// views alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage, status, until } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

/** The label the posterior panel shows, as its picker marks it. */
const picked = (page) => page.evaluate(() => Number(document.querySelector('#label-picker [aria-checked="true"]').dataset.label));

test('the keyboard trains, pauses, steps, resets and picks the colour', async () => {
  const { page, errors, context } = await openPage(browser, '#preset=fast&labels=all&seed=4');
  assert.equal((await status(page)).step, 0);
  await page.keyboard.press('s');
  await until(page, (s) => s.step === 1 && !s.running, 5000, 'S to take one step');
  await page.keyboard.press(' ');
  await until(page, (s) => s.running && s.step > 20, 20000, 'Space to start training');
  await page.keyboard.press(' ');
  await until(page, (s) => !s.running && s.pauseLatencyMs !== null, 5000, 'Space to pause, as the worker confirms');
  const paused = await status(page);
  await page.waitForTimeout(400);
  assert.equal((await status(page)).step, paused.step, 'no steps after the pause');
  await page.keyboard.press('5');
  assert.equal(await picked(page), 4, '5 picks the fifth colour');
  await until(page, (s) => s.abc?.label === 4, 10000, 'ABC to answer the fifth colour');
  await page.keyboard.press('8');
  assert.equal(await picked(page), 7);
  await page.keyboard.press('r');
  await until(page, (s) => s.step === 0 && !s.running, 5000, 'R to reset');
  // Neither a field taking typing nor Ctrl, Alt or Meta lets a shortcut fire.
  await page.focus('#seed');
  await page.keyboard.press('s');
  await page.keyboard.press('2');
  await page.locator('#seed').blur();
  for (const k of ['Control+s', 'Alt+s', 'Meta+s', 'Alt+3']) await page.keyboard.press(k);
  await page.waitForTimeout(400);
  assert.equal((await status(page)).step, 0, 'no step from typing or a modified key');
  assert.equal(await picked(page), 7, 'no colour from typing or a modified key');
  // Space on a focused button is that button's: Step, not Train.
  await page.focus('[data-testid=step]');
  await page.keyboard.press(' ');
  await until(page, (s) => s.step === 1 && !s.running, 5000, 'Space on the Step button to step');
  assert.deepEqual(errors, []);
  await context.close();
});

test('? lists the shortcuts in a dialog that holds the focus and closes with Esc', async () => {
  const { page, errors, context } = await openPage(browser, '#preset=fast&labels=some&seed=1');
  await page.focus('[data-testid=reset]');
  await page.keyboard.press('?');
  assert.ok(await page.locator('#keys').isVisible(), 'the list is shown');
  assert.equal(await page.evaluate(() => document.getElementById('keys').contains(document.activeElement)), true, 'the focus is in the list');
  assert.match(await page.locator('#keys').innerText(), /Space[\s\S]*train or pause/);
  // Keys pressed while it is open do not reach the page.
  await page.keyboard.press('s');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#keys').isVisible(), false, 'Esc closes it');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'reset', 'the focus is back where it was');
  assert.equal((await status(page)).step, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Elements whose box reaches past the viewport's width (at most 20). */
const overflowing = (page) => page.evaluate(() => {
  const w = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if ((r.width || r.height) && (r.right > w + 0.5 || r.left < -0.5)) out.push(`${e.tagName.toLowerCase()}#${e.id}.${e.className} ${r.left.toFixed(0)}..${r.right.toFixed(0)}`);
  }
  return { scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 20) };
});

test('at 360 x 740 the mixture page, its line-up and its notices fit the width', async () => {
  const { page, errors, context } = await openPage(browser, '#preset=fast&labels=some&seed=1');
  await page.setViewportSize({ width: 360, height: 740 });
  // A long notice (the copied link) and trained views with their captions.
  await page.click('[data-testid=share]');
  await page.click('[data-testid=train]');
  await until(page, (s) => s.scoresStep > 0, 30000, 'scores');
  await page.click('[data-testid=train]');
  // The line-up's cells, with their scores and captions.
  await page.waitForFunction(() => Object.keys(window.innPlayground.methods().answers).length >= 2, null, { timeout: 60000 });
  const o = await overflowing(page);
  assert.ok(o.scrollWidth <= 360, `page is ${o.scrollWidth} px wide`);
  assert.deepEqual(o.out, [], 'no element past the width');
  // The views stack: one column.
  const lefts = await page.evaluate(() => [...document.querySelectorAll('main.grid > .panel')].map((p) => Math.round(p.getBoundingClientRect().left)));
  assert.equal(new Set(lefts).size, 1, `panels at ${lefts}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('at 360 x 740 the arm page fits the width and its target follows a touch', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE_URL}/#preset=arm`);
  await page.waitForFunction(() => window.innArm && window.innArm.status().exact?.atRest, null, { timeout: 30000 });
  const o = await overflowing(page);
  assert.ok(o.scrollWidth <= 360, `page is ${o.scrollWidth} px wide`);
  assert.deepEqual(o.out, [], 'no element past the width');
  const before = (await page.evaluate(() => window.innArm.status())).target;
  await page.locator('#cv-arm').scrollIntoViewIfNeeded();
  const box = await page.locator('#cv-arm').boundingBox();
  await page.touchscreen.tap(box.x + 0.8 * box.width, box.y + 0.3 * box.height);
  await until(page, (s) => s.target.join() !== before.join(), 5000, 'a tap to move the target', () => page.evaluate(() => window.innArm.status()));
  assert.deepEqual(errors, []);
  await context.close();
});

test('ui=min shows the views alone, with a link to the full page and no notice', async () => {
  for (const [hash, views] of [['#ui=min&preset=fast&labels=some&seed=1', ['cv-data', 'cv-latent', 'cv-inn', 'cv-losses']], ['#preset=arm&ui=min', ['cv-arm', 'cv-arm-abc', 'cv-arm-marginals']]]) {
    const { page, errors, context } = await openPage(browser, hash, { wait: false });
    await page.waitForFunction(() => window.innPlayground?.status().scoresStep !== undefined || window.innArm?.status().exact?.atRest, null, { timeout: 30000 });
    for (const id of views) assert.ok(await page.locator(`#${id}`).isVisible(), `${hash}: ${id} shown`);
    const shown = await page.evaluate(() => [...document.querySelectorAll('button, select, input, label, fieldset, .caption, .more, .lead, .settings, header, .score')]
      .filter((e) => e.checkVisibility()).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`));
    assert.deepEqual(shown, [], `${hash}: no controls or text`);
    assert.equal(await page.locator('#notice').isVisible(), false, `${hash}: no notice`);
    const link = page.locator('#full-link');
    assert.ok(await link.isVisible());
    await link.focus();
    const href = await link.getAttribute('href');
    assert.ok(!href.includes('ui=min') && href.includes('preset='), `full link ${href}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
  // Without it, the link is not shown and the controls are.
  const { page, context } = await openPage(browser, '#preset=fast');
  assert.equal(await page.locator('#full-link').isVisible(), false);
  assert.ok(await page.locator('[data-testid=train]').isVisible());
  await context.close();
});
