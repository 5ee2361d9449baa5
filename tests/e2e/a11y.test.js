// The pages pass an axe-core scan (WCAG 2.1 A and AA rules) with no
// serious or critical violations: the mixture page while it trains, with
// the line-up shown, and the arm page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, axeScan } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

async function scan(page, what) {
  const r = await axeScan(page);
  console.log(`${what}: ${r.all.length} violations${r.all.length ? `\n  ${r.all.join('\n  ')}` : ''}`);
  assert.deepEqual(r.serious, [], `${what}: serious or critical violations`);
}

test('the mixture page and its line-up pass an accessibility scan', async () => {
  const { page, context } = await openPage(browser, '#preset=fast&labels=some&seed=1');
  await page.click('#train');
  await page.waitForTimeout(3000);
  await scan(page, 'mixture page, training');
  await context.close();
});

test('the arm page passes an accessibility scan', async () => {
  const { page, context } = await openPage(browser, '#preset=arm&seed=1', { wait: false });
  await page.waitForFunction(() => window.innArm?.status().inn, null, { timeout: 30000 });
  await page.waitForTimeout(2000);
  await scan(page, 'arm page');
  await context.close();
});
