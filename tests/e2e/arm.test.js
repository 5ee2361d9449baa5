// The arm view: a link restores the target, and dragging the target with
// the mouse or moving it with the arrow keys moves the fans: the drawn
// tips of the exact fan (and then of ABC's and MCMC's) follow the target;
// each canvas is described in numbers that follow it too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { described, launch, openPage, until } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const armStatus = (page) => page.evaluate(() => window.innArm.status());

async function openArm(hash) {
  const opened = await openPage(browser, hash, { wait: false });
  await opened.page.waitForFunction(() => window.innArm && window.innArm.status().exact?.atRest, null, { timeout: 30000 });
  return opened;
}

/** The client pixel of the arm's point `p` on the exact fan's canvas. */
async function clientOf(page, [x, y]) {
  return page.evaluate(([x, y]) => {
    const c = document.getElementById('cv-arm');
    const v = JSON.parse(c.dataset.frame);
    const r = c.getBoundingClientRect();
    const k = r.width / c.width;
    return [r.left + k * (v.ox + (x - v.x0) * v.scale), r.top + k * (v.oy + (v.y1 - y) * v.scale)];
  }, [x, y]);
}

const near = (a, b, tol) => Math.hypot(a[0] - b[0], a[1] - b[1]) <= tol;

/** Waits for `pred(status)` of the arm view; returns the status. */
const waitFor = (page, pred, what, timeoutMs = 20000) => until(page, pred, timeoutMs, what, armStatus);

test('a link with problem=arm and a target restores the target, and every fan ends on it', async () => {
  const { page, errors, context } = await openArm('#problem=arm&target=1.2,0.3');
  let s = await armStatus(page);
  assert.deepEqual(s.target, [1.2, 0.3]);
  assert.ok(near(s.exact.tip, [1.2, 0.3], 0.02), `exact tips at ${s.exact.tip}`);
  assert.equal(s.exact.n, 2000);
  assert.match(page.url(), /preset=arm&.*target=1\.2,0\.3(&|$)/);
  s = await waitFor(page, (x) => x.abc?.price?.done && x.mcmc?.price?.done, 'ABC and MCMC to finish', 60000);
  assert.ok(near(s.abc.tip, [1.2, 0.3], 0.1), `ABC tips at ${s.abc.tip}`);
  assert.ok(s.abc.price.simulations > s.abc.price.kept && s.abc.price.resimP90 < 0.15, JSON.stringify(s.abc.price));
  assert.ok(near(s.mcmc.tip, [1.2, 0.3], 0.05), `MCMC tips at ${s.mcmc.tip}`);
  const price = await page.locator('#arm-abc-price').innerText();
  assert.match(price, /simulations run, 500 of 500 kept within 0\.10: acceptance/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('dragging the target with the mouse moves the exact fan frame by frame, and the runs follow on release', async () => {
  const { page, errors, context } = await openArm('#problem=arm&target=1.0,0.6');
  const path = [[1.0, 0.6], [0.9, 0.2], [0.8, -0.2], [0.7, -0.5]];
  const [u0, v0] = await clientOf(page, path[0]);
  await page.mouse.move(u0, v0);
  await page.mouse.down();
  for (const p of path.slice(1)) {
    const [u, v] = await clientOf(page, p);
    await page.mouse.move(u, v, { steps: 4 });
    const s = await waitFor(page, (x) => near(x.target, p, 0.01) && x.exact.tip && near(x.exact.tip, p, 0.03), `the exact fan at ${p}`);
    assert.equal(s.exact.atRest, false, 'while dragging, the fan comes from the dragging pool');
    assert.equal(s.abc, null, 'the runs of the old target are stopped');
  }
  await page.mouse.up();
  const s = await waitFor(page, (x) => x.exact.atRest && x.abc?.tip && x.mcmc?.price?.done, 'the runs at the new target', 60000);
  assert.ok(near(s.exact.tip, [0.7, -0.5], 0.03), `exact tips at ${s.exact.tip}`);
  assert.ok(near(s.abc.tip, [0.7, -0.5], 0.12), `ABC tips at ${s.abc.tip}`);
  assert.ok(near(s.mcmc.tip, [0.7, -0.5], 0.05), `MCMC tips at ${s.mcmc.tip}`);
  assert.match(page.url(), /target=0\.7\d*,-0\.[45]\d*(&|$)/);
  const frames = await page.evaluate(() => window.innArm.frameMs());
  assert.ok(frames.length > 3, `${frames.length} frames measured`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the arrow keys move the focused target, and the fan follows', async () => {
  const { page, errors, context } = await openArm('#problem=arm&target=1.0,0.6');
  await page.focus('#cv-arm');
  const label = await page.locator('#cv-arm').getAttribute('aria-label');
  assert.match(label, /Target at \(1\.00, 0\.60\).*arrow keys/);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+ArrowLeft');
  const s = await waitFor(page, (x) => x.exact.atRest && near(x.target, [0.9, 0.5], 1e-9), 'the target at rest at (0.9, 0.5)');
  assert.ok(near(s.exact.tip, [0.9, 0.5], 0.02), `exact tips at ${s.exact.tip}`);
  const tip = (await page.locator('#cv-arm').getAttribute('data-tip')).split(',').map(Number);
  assert.ok(near(tip, [0.9, 0.5], 0.02), `drawn tips at ${tip}`);
  assert.match(page.url(), /target=0\.9,0\.5(&|$)/);
  // Stop halts ABC where it is, with the price paid so far.
  await page.locator('#arm-eps').fill('0.02');
  await page.locator('#arm-eps').dispatchEvent('change');
  await waitFor(page, (x) => x.abc?.running && x.abc.price?.simulations > 0, 'ABC at tolerance 0.02 to start');
  await page.click('#arm-abc-stop');
  const stopped = await waitFor(page, (x) => x.abc && !x.abc.running, 'ABC to stop');
  assert.ok(stopped.abc.stopped && !stopped.abc.price.done, JSON.stringify(stopped.abc));
  assert.match(await page.locator('#arm-abc-price').innerText(), /Stopped\./);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a target out of reach is brought within it, and a malformed one gives the default', async () => {
  let { page, errors, context } = await openArm('#problem=arm&target=9,0');
  let s = await armStatus(page);
  assert.ok(s.target[0] < 2 && s.target[0] > 1.9 && s.target[1] === 0, `${s.target}`);
  assert.ok(near(s.exact.tip, s.target, 0.03), `exact tips at ${s.exact.tip}`);
  assert.deepEqual(errors, []);
  await context.close();
  ({ page, errors, context } = await openArm('#problem=arm&target=one,two'));
  s = await armStatus(page);
  assert.deepEqual(s.target, JSON.parse(await page.evaluate(() => import('./pkg/inn_playground.js').then((m) => m.armView(0.01)))).defaultTarget);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the INN trains on the arm in the page, and its fan follows the target', async () => {
  const { page, errors, context } = await openArm('#preset=arm&steps=2000&target=1.5,0.2');
  let s = await waitFor(page, (x) => x.inn?.done && x.inn?.score, 'the INN to train and be scored', 120000);
  assert.equal(s.inn.step, 2000);
  assert.ok(near(s.inn.tip, [1.5, 0.2], 0.3), `INN tips at ${s.inn.tip}`);
  for (const key of ['mmd2', 'mmd2_floor']) assert.ok(Number.isFinite(s.inn.score[key]), JSON.stringify(s.inn.score));
  assert.equal(s.inn.score.coordinates.length, 4);
  assert.match(await page.locator('#arm-inn-score').innerText(), /INN trained: 2000 steps in [\d.]+ s[\s\S]*re-simulation error median/);
  // Moving the target moves the INN's fan with it.
  const before = s.inn.tip;
  await page.locator('#cv-arm').focus();
  for (let i = 0; i < 10; i += 1) await page.keyboard.press('Shift+ArrowDown');
  s = await waitFor(page, (x) => x.target[1] < -0.7 && x.inn?.score, 'the target to rest lower', 20000);
  assert.ok(s.inn.tip[1] < before[1] - 0.3, `INN tips from ${before} to ${s.inn.tip}`);
  console.log(`INN fan of 2000 arms: ${s.inn.ms_fan.toFixed(1)} ms`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('answering many targets is measured for each method, the INN paying once and the others per target', async () => {
  const { page, errors, context } = await openArm('#preset=arm&steps=100&target=1.5,0.2');
  await waitFor(page, (x) => x.inn?.done, 'the INN to train', 120000);
  await page.locator('#arm-many').click();
  await page.waitForFunction(() => {
    const t = document.querySelector('#arm-many-text').textContent;
    return /ABC within 0\.10: [\d.]+ s;/.test(t) && /MCMC: [\d.]+ s;/.test(t);
  }, null, { timeout: 180000 });
  const text = await page.locator('#arm-many-text').innerText();
  console.log(text);
  assert.match(text, /INN: [\d.]+ s of training, paid once, then [\d.]+ ms per target: [\d.]+ s in all; re-simulation error median [\d.]+/);
  assert.match(text, /ABC within 0\.10: [\d.]+ s; [\d,]+ simulations per target; re-simulation error median 0\.0\d\d/);
  assert.deepEqual(errors, []);
  await context.close();
});

const ARM_CANVASES = ['cv-arm', 'cv-arm-abc', 'cv-arm-mcmc', 'cv-arm-marginals'];

const numbers = (re, text) => { const m = text.match(re); assert.ok(m, `${re} in ${text}`); return m.slice(1).map(Number); };

/** The fan summary's numbers: arms, the base heights' and first angles' middle 80%, the tips' mean. */
const fan = (name, text) => numbers(new RegExp(`${name}: (\\d+) arms; the middle 80% of their bases sit at heights (-?[\\d.]+) to (-?[\\d.]+) on the rail, and the middle 80% of their first segments leave it at (-?[\\d.]+) to (-?[\\d.]+) rad from the horizontal; their tips' mean is \\((-?[\\d.]+), (-?[\\d.]+)\\)`), text);

test('each arm canvas is described in numbers, and the descriptions follow the target', async () => {
  const { page, errors, context } = await openArm('#problem=arm&target=1.2,0.3');
  const views = async (target) => {
    const s = await waitFor(page, (x) => x.exact.atRest && near(x.target, target, 1e-9) && x.abc?.price?.done && x.mcmc?.price?.done, `ABC and MCMC to finish at ${target}`, 60000);
    for (const d of await described(page, ARM_CANVASES)) {
      assert.equal(d.role, 'img', d.id);
      assert.ok(d.name.trim().length > 5, `${d.id} is named`);
      assert.match(d.description, /\d\.\d\d/, `${d.id} is described in numbers`);
    }
    const text = (id) => page.locator(`#${id}`).innerText();
    const main = await text('sum-arm');
    assert.match(await page.locator('#cv-arm').getAttribute('aria-label'), new RegExp(`^Target at \\(${target[0].toFixed(2)}, ${target[1].toFixed(2)}\\)`));
    // The tips' means are those of the fans drawn: on the target.
    const exact = fan('Exact posterior \\(grey\\)', main);
    assert.equal(exact[0], s.exact.n);
    assert.ok(near(exact.slice(5), target, 0.02), main);
    const abc = fan('ABC \\(orange\\)', await text('sum-arm-abc'));
    assert.equal(abc[0], s.abc.price.kept);
    assert.ok(near(abc.slice(5), target, 0.1), `ABC tips at ${abc.slice(5)}`);
    const mcmc = fan('MCMC \\(pink\\)', await text('sum-arm-mcmc'));
    assert.equal(mcmc[0], s.mcmc.price.kept);
    // The marginals: each coordinate's exact mean and spread, then ABC's
    // and MCMC's; the exact means of x1 and x2 lie within the middle 80%
    // of the same draws' bases and first angles.
    const marginals = await text('sum-arm-marginals');
    assert.ok(marginals.includes(`the exact posterior's (${s.exact.n} draws) against each method's.`), marginals);
    const [m1, s1] = numbers(/x1 rail height: exact (-?[\d.]+) ± ([\d.]+)(?:, INN -?[\d.]+ ± [\d.]+)?, ABC -?[\d.]+ ± [\d.]+, MCMC -?[\d.]+ ± [\d.]+\./, marginals);
    const [m2, s2] = numbers(/x2 joint 1: exact (-?[\d.]+) ± ([\d.]+)(?:, INN -?[\d.]+ ± [\d.]+)?, ABC -?[\d.]+ ± [\d.]+, MCMC -?[\d.]+ ± [\d.]+\./, marginals);
    assert.ok(exact[1] <= m1 && m1 <= exact[2] && s1 > 0, `x1 mean ${m1} within ${exact.slice(1, 3)}`);
    assert.ok(exact[3] <= m2 && m2 <= exact[4] && s2 > 0, `x2 mean ${m2} within ${exact.slice(3, 5)}`);
    return { main, marginals, abc: await text('sum-arm-abc'), mcmc: await text('sum-arm-mcmc') };
  };
  const first = await views([1.2, 0.3]);
  await page.evaluate(() => { location.hash = location.hash.replace(/target=[^&]*/, 'target=0.7,-0.5'); });
  const second = await views([0.7, -0.5]);
  for (const k of Object.keys(first)) assert.notEqual(second[k], first[k], `${k} changes with the target`);
  assert.deepEqual(errors, []);
  await context.close();
});
