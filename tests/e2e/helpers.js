// Shared set-up of the browser tests: one headless Chromium per test file,
// pages that record console errors and CSP violations.
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8000';

export const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: FLAGS,
  });
}

/** Opens the page at `hash` and waits until the worker reported in.
 * `isolated: false` strips the server's cross-origin isolation headers, as
 * a static host without them would serve the page. */
export async function openPage(browser, hash = '', { wait = true, isolated = true } = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1800 } });
  const page = await context.newPage();
  if (!isolated) {
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
  }
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${BASE_URL}/${hash}`);
  if (wait) await page.waitForFunction(() => window.innPlayground && window.innPlayground.status().scoresStep !== undefined, null, { timeout: 30000 });
  return { page, errors, context };
}

export const status = (page) => page.evaluate(() => window.innPlayground.status());

/** Waits for `pred(status)` to hold, polling; returns the status. `read`
 * reads it (the page's `status` unless given). */
export async function until(page, pred, timeoutMs, what, read = status) {
  const end = Date.now() + timeoutMs;
  let s;
  while (Date.now() < end) {
    s = await read(page);
    if (pred(s)) return s;
    await page.waitForTimeout(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last status ${JSON.stringify(s)}`);
}

/** The text of `selector` once it matches `re` (waiting up to `timeoutMs`):
 * the page redraws its views and captions on the animation frame after
 * its status changes, so a caption can lag the status by a frame. */
export async function textMatching(page, selector, re, timeoutMs = 5000) {
  await page.waitForFunction(
    ({ selector, source, flags }) => new RegExp(source, flags).test(document.querySelector(selector)?.textContent ?? ''),
    { selector, source: re.source, flags: re.flags },
    { timeout: timeoutMs },
  );
  return page.locator(selector).innerText();
}

/** Each canvas of `ids`: its role, its name and its description (the
 * texts its aria-labelledby and aria-describedby point at). */
export const described = (page, ids) => page.evaluate((ids) => ids.map((id) => {
  const c = document.getElementById(id);
  const text = (refs) => (refs || '').split(' ').map((d) => document.getElementById(d)?.textContent ?? '').join(' ');
  return { id, role: c.getAttribute('role'), name: c.getAttribute('aria-label') || text(c.getAttribute('aria-labelledby')), description: text(c.getAttribute('aria-describedby')) };
}), ids);

const AXE = new URL('./node_modules/axe-core/axe.min.js', import.meta.url);

/** The axe-core scan of the page as it stands (WCAG 2 A and AA rules):
 * its violations of impact serious or critical, each as one line, and all
 * of them for the log. */
export async function axeScan(page) {
  const { readFileSync } = await import('node:fs');
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const line = (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.join('; ')})`;
  return {
    serious: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(line),
    all: violations.map(line),
  };
}
