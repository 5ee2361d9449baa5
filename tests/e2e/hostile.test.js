// Hostile input: links from strangers, blow-ups, bad files, panics. The
// page must stay usable, say what happened, and run no foreign script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openPage, status, textMatching, until } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('a learning rate of 10 pauses training with a notice offering reset; nothing non-finite is drawn', async () => {
  const { page, errors, context } = await openPage(browser, '#preset=fast&labels=some&seed=1&lr=10');
  await page.click('[data-testid=train]');
  await page.getByRole('button', { name: 'Reset training' }).waitFor({ state: 'visible', timeout: 30000 });
  const text = await page.getByTestId('notice').innerText();
  assert.match(text, /diverged/);
  const s = await status(page);
  assert.equal(s.running, false);
  assert.ok(Number.isFinite(s.losses.total), 'the last recorded loss is finite');
  const stepAtStop = s.step;
  await page.waitForTimeout(500);
  assert.equal((await status(page)).step, stepAtStop, 'training stays paused');
  await page.getByRole('button', { name: 'Reset training' }).click();
  await until(page, (t) => t.step === 0, 10000, 'the reset');
  assert.deepEqual(errors, []);
  await context.close();
});

test('bad model files are refused with a specific message and the current model is kept', async () => {
  const { page, context } = await openPage(browser, '#preset=fast&labels=some&seed=1');
  for (let i = 0; i < 3; i++) await page.click('[data-testid=step]');
  await until(page, (s) => s.step === 3, 10000, 'three steps');
  const good = JSON.stringify({ format: 'inn-playground-model', version: 1 });
  const cases = [
    ['not-json.json', 'hello, I am not JSON', /not JSON/],
    ['truncated.json', '{"format": "inn-playground-model", "version": 1, "config": {', /truncated/],
    ['version.json', good.replace('"version":1', '"version":99'), /version 99 is not supported/],
    ['foreign.json', '{"format": "something-else"}', /format is "something-else"/],
  ];
  for (const [name, body, want] of cases) {
    await page.setInputFiles('#load-model', { name, mimeType: 'application/json', buffer: Buffer.from(body) });
    await page.waitForFunction((w) => document.getElementById('notice-text').textContent.includes('was not loaded'), null, { timeout: 10000 });
    const text = await page.locator('#notice-text').innerText();
    assert.match(text, want, `${name}: ${text}`);
    assert.equal((await status(page)).step, 3, 'the current model is kept');
    await page.click('#notice-close');
  }
  await context.close();
});

test('a model exported from the page loads back; broken copies of it are refused', async () => {
  const { page, context } = await openPage(browser, '#preset=fast&labels=all&seed=4');
  for (let i = 0; i < 5; i++) await page.click('[data-testid=step]');
  await until(page, (s) => s.step === 5, 10000, 'five steps');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
  const path = await download.path();
  // Broken copies of a real model are refused, and the trained one stays.
  const good = readFileSync(path, 'utf8');
  const hidden = JSON.parse(good).config.hidden;
  const broken = [
    ['dims.json', good.replace(`"hidden":${hidden}`, `"hidden":${hidden + 1}`), /weights/],
    ['nonfinite.json', good.replace('"params":[', '"params":[null,'), /weight 0 is null/],
    ['huge.json', ' '.repeat(100 * 1024 * 1024), /100 MB; model files are at most 32 MB/],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'inn-models-'));
  for (const [name, body, want] of broken) {
    // As files on disk: the browser reads them as a user's pick would.
    writeFileSync(join(dir, name), body);
    await page.setInputFiles('#load-model', join(dir, name));
    await page.waitForFunction(() => document.getElementById('notice-text').textContent.includes('was not loaded'), null, { timeout: 20000 });
    assert.match(await page.locator('#notice-text').innerText(), want, name);
    assert.equal((await status(page)).step, 5, `${name}: the current model is kept`);
    await page.click('#notice-close');
  }
  rmSync(dir, { recursive: true });
  await page.click('[data-testid=reset]');
  await until(page, (s) => s.step === 0, 10000, 'the reset');
  await page.setInputFiles('#load-model', path);
  await page.waitForFunction(() => document.getElementById('notice-text').textContent.includes('Model loaded'), null, { timeout: 10000 });
  assert.equal((await status(page)).step, 5);
  // The loaded network starts with no verdict on the fidelity bar; a step
  // scores it afresh.
  await textMatching(page, '[data-testid=bar-status]', /^Fidelity bar: not scored yet\.$/);
  await page.click('[data-testid=step]');
  await page.waitForFunction(() => document.getElementById('bar-status').textContent.includes('at step 6 it misses'), null, { timeout: 10000 });
  await context.close();
});

test('a model loaded while training runs takes over, and both workers train it', async () => {
  const { page, errors, context } = await openPage(browser, '#preset=fast&labels=some&seed=5');
  for (let i = 0; i < 5; i++) await page.click('[data-testid=step]');
  await until(page, (s) => s.step === 5, 10000, 'five steps');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
  const path = await download.path();
  await page.click('[data-testid=train]');
  await until(page, (s) => s.running && s.step > 60 && s.cores === 2, 30000, 'training on two workers');
  await page.setInputFiles('#load-model', path);
  await page.waitForFunction(() => document.getElementById('notice-text').textContent.includes('Model loaded'), null, { timeout: 10000 });
  const loaded = await until(page, (s) => !s.running, 10000, 'training paused by the load');
  await page.click('[data-testid=train]');
  // The step that was waiting for the helper when the model came must not
  // hold up the helper: the loaded model trains on both workers at once.
  await until(page, (s) => s.step >= loaded.step + 30 && s.cores === 2, 15000, 'the loaded model training on both workers');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 1 MB hash full of junk loads with defaults and a notice', async () => {
  const junk = '#' + Array.from({ length: 20000 }, (_, i) => `k${i}=%3Cscript%3Ealert(${i})%3C/script%3E`).join('&').slice(0, 1 << 20);
  const { page, errors, context } = await openPage(browser, junk);
  const s = await status(page);
  assert.equal(s.preset, 'fast');
  assert.equal(s.config.seed, 1);
  const text = await page.getByTestId('notice').innerText();
  assert.match(text, /more than 64 settings/);
  assert.equal(await page.locator('script:not([src])').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a link from a newer version of the page loads its settings with a notice', async () => {
  const { page, errors, context } = await openPage(browser, '#v=99&preset=fast&labels=all&seed=3&lr=0.01');
  const s = await status(page);
  assert.equal(s.preset, 'fast');
  assert.equal(s.config.labels, 'all');
  assert.equal(s.config.seed, 3);
  assert.equal(s.config.lr, 0.01);
  const text = await page.getByTestId('notice').innerText();
  assert.match(text, /made by a newer version of the page \(link version 99/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a panic in wasm shows its message and offers a reload that keeps the settings', async () => {
  const { page, context } = await openPage(browser, '#preset=fast&labels=all&seed=12');
  await page.evaluate(async () => {
    const m = await import('./pkg/inn_playground.js');
    try { m.raisePanic('deliberate test panic'); } catch { /* the hook has run */ }
  });
  const text = await page.getByTestId('notice').innerText();
  assert.match(text, /deliberate test panic/);
  const reload = page.getByRole('button', { name: /Reload page/ });
  assert.ok(await reload.isVisible());
  await reload.click();
  await page.waitForFunction(() => window.innPlayground && window.innPlayground.status().config.seed === 12, null, { timeout: 20000 });
  assert.equal((await status(page)).config.labels, 'all');
  await context.close();
});
