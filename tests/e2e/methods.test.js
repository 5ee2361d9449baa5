// The line-up beside the INN: on the default link every method of the
// methods worker answers the observed colour with its scores and cost,
// and the chains control changes the number of MCMC chains drawn; every
// cell's canvas, and the cGAN's loss chart, is described in numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { described, launch, openPage, textMatching } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const KEYS = ['mcmc', 'mean-variance', 'variational', 'cgan'];
const methods = (page) => page.evaluate(() => window.innPlayground.methods());

/** Waits until every method in `keys` has answered (`pred` holding of
 * its answer), polling; returns the line-up's status. */
async function answered(page, keys, pred = () => true, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  let s;
  while (Date.now() < end) {
    s = await methods(page);
    if (keys.every((k) => s.answers[k] && pred(s.answers[k]))) return s;
    await page.waitForTimeout(200);
  }
  throw new Error(`timed out waiting for ${keys.join(', ')}; last ${JSON.stringify(s)}`);
}

test('each method answers on the default link with its scores and its cost', async () => {
  const { page, errors, context } = await openPage(browser, '');
  const s = await answered(page, KEYS);
  for (const k of KEYS) {
    const a = s.answers[k];
    assert.equal(a.label, 0, k);
    assert.equal(a.samples, 2000, `${k}: 2000 samples`);
    for (const v of [a.score.in_correct, a.score.in_wrong, a.score.max_mass_error, a.score.mmd2, a.score.mmd2_floor]) assert.ok(Number.isFinite(v), `${k}: scores finite`);
    assert.ok(Number.isFinite(a.cost.seconds_per_query) && a.cost.seconds_per_query >= 0, k);
    const text = await textMatching(page, `#score-${k}`, /in a correct mode/);
    assert.match(text, /in a wrong one; mass error [\d.]+%; MMD² \S+ \(floor \S+\)/, k);
    assert.match(text, /ms for this query/, k);
    assert.ok((await page.locator(`#caption-${k}`).innerText()).length > 40, `${k}: a caption`);
  }
  // Per-query methods pay in evaluations and train nothing; the networks
  // trained their planned steps once.
  assert.equal(s.answers.mcmc.cost.paid_once, false);
  assert.ok(s.answers.mcmc.cost.density_evaluations > 0);
  for (const k of ['mean-variance', 'variational', 'cgan']) {
    const c = s.answers[k].cost;
    assert.ok(c.paid_once && c.training_steps > 0 && c.training_seconds > 0, `${k}: ${JSON.stringify(c)}`);
    assert.equal(c.training_steps, s.progress[k].planned, k);
  }
  // The cost chart's summary says where the lines cross (or that they do not).
  await textMatching(page, '#sum-cost', /K = 1 and 1000|cheaper than/);
  // Another colour: every method answers it.
  await page.locator('#label-picker [data-label="2"]').click();
  const s2 = await answered(page, KEYS, (a) => a.label === 2);
  assert.equal(s2.answers.mcmc.label, 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the chains control changes the number of chains drawn, and the link', async () => {
  const { page, errors, context } = await openPage(browser, '#preset=fast&labels=some&seed=1&mcmc_chains=8');
  const eight = await answered(page, ['mcmc'], (a) => a.chains.chains === 8);
  await page.waitForFunction(() => document.getElementById('cv-mcmc').dataset.chains === '8');
  await page.locator('#mcmc-chains').fill('1');
  await page.locator('#mcmc-chains').dispatchEvent('change');
  const s = await answered(page, ['mcmc'], (a) => a.chains.chains === 1);
  await page.waitForFunction(() => document.getElementById('cv-mcmc').dataset.chains === '1');
  assert.match(await page.evaluate(() => window.innPlayground.status().hash), /mcmc_chains=1/);
  // One chain visits fewer of the red colour's four modes than eight do,
  // and gives them very unequal shares.
  const reached = (a) => a.score.modes.filter((m) => m.mass >= 0.25 * m.expected_mass).length;
  assert.ok(reached(s.answers.mcmc) < reached(eight.answers.mcmc), `${reached(s.answers.mcmc)} modes with one chain, ${reached(eight.answers.mcmc)} with eight`);
  assert.match(s.answers.mcmc.caption, new RegExp(`the one chain visits ${reached(s.answers.mcmc)} of them`));
  assert.ok(s.answers.mcmc.score.max_mass_error > 0.3, JSON.stringify(s.answers.mcmc.score));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the checkboxes choose the cells shown', async () => {
  const { page, context } = await openPage(browser, '');
  await answered(page, ['mcmc']);
  await page.locator('#method-picker input[data-method="variational"]').uncheck();
  assert.equal(await page.locator('#cell-variational').isHidden(), true);
  assert.equal(await page.locator('#cell-mcmc').isVisible(), true);
  await context.close();
});

test('every cell\'s canvas is described in numbers, and the cGAN\'s loss chart in words that follow its training', async () => {
  const { page, errors, context } = await openPage(browser, '');
  // Every text the loss chart's summary shows, from before the cGAN trains.
  await page.waitForSelector('#sum-cgan-losses', { state: 'attached' });
  await page.evaluate(() => {
    const el = document.getElementById('sum-cgan-losses');
    window.seenGan = [el.textContent];
    new MutationObserver(() => window.seenGan.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
  });
  const s = await answered(page, KEYS);
  for (const d of await described(page, [...KEYS.map((k) => `cv-${k}`), 'cv-cgan-losses'])) {
    assert.equal(d.role, 'img', d.id);
    assert.ok(d.name.trim().length > 3, `${d.id} is named`);
    assert.match(d.description, /\d\.\d/, `${d.id} is described in numbers`);
  }
  const p = s.progress.cgan;
  const final = await textMatching(page, '#sum-cgan-losses', /^Trained: /);
  const re = /^(Training|Trained): step (\d+) of (\d+) in ([\d.]+) s; the last step's losses: generator ([\d.]+), discriminator ([\d.]+)\./;
  const m = final.match(re);
  assert.ok(m, final);
  assert.deepEqual([+m[2], +m[3]], [p.planned, p.planned], final);
  assert.ok(Math.abs(+m[4] - p.seconds) <= 0.051, `${p.seconds} s: ${final}`);
  for (const v of [m[5], m[6]].map(Number)) assert.ok(v > 0 && v < 20, `a loss of ${v}: ${final}`);
  // While it trained, the summary followed the steps, each text its own.
  const seen = [...new Set(await page.evaluate(() => window.seenGan))].filter(Boolean);
  assert.equal(seen[0], 'No training steps yet.');
  const steps = seen.map((t) => t.match(re)).filter(Boolean).filter((x) => x[1] === 'Training').map((x) => +x[2]);
  assert.ok(steps.length >= 2, `${steps.length} texts while training: ${seen.join(' | ')}`);
  assert.ok(steps.every((v, i) => i === 0 || v > steps[i - 1]) && steps.at(-1) <= p.planned, `${steps}`);
  assert.deepEqual(errors, []);
  await context.close();
});
