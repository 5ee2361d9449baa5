// The guided lesson and lesson links: every step from its link, with its
// controls hidden and its text shown; moving by the buttons and the arrow
// keys through the link; a link from the maker that hides what was ticked
// and shows its prompt; notices for bad page keys. Every step, before and
// after its Reveal, passes an axe-core scan without serious or critical
// violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage, axeScan, textMatching } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

/** What each step shows, by control name (src/hash/lesson.rs), and what
 * of it waits for Reveal. */
const STEPS = [
  { show: ['data', 'picker', 'exact'], reveal: ['exact'] },
  { show: ['picker', 'mcmc', 'exact', 'mcmc_chains'], reveal: ['mcmc'] },
  { show: ['picker', 'abc', 'exact', 'abc_eps'], reveal: [] },
  { show: ['picker', 'mean-variance', 'variational', 'cgan', 'exact'], reveal: ['mean-variance', 'variational', 'cgan'] },
  { show: ['train', 'reset', 'data', 'forward', 'latent'], reveal: ['latent'] },
  { show: ['train', 'reset', 'coupling', 'latent', 'blocks', 'hidden', 'clamp'], reveal: [] },
  { show: ['train', 'reset', 'preset', 'picker', 'inn', 'exact', 'losses'], reveal: [] },
  { show: ['train', 'reset', 'picker', 'bar', 'inn', 'exact', 'sharpen'], reveal: ['inn'] },
  { show: ['arm-abc', 'arm-mcmc', 'arm-many'], reveal: [], arm: true },
  { show: ['train', 'reset', 'seed', 'picker', 'latent', 'inn', 'exact', 'ndim_z', 'blocks'], reveal: [] },
];

/** Opens `hash` and waits for the page keys to be shown (and, on the
 * mixture page, the line-up's cells to be built). */
async function open(hash, { arm = false } = {}) {
  const o = await openPage(browser, hash, { wait: false });
  await o.page.waitForFunction((arm) => window.innLesson?.page() && (arm ? window.innArm : document.getElementById('cell-mcmc')), arm, { timeout: 30000 });
  return o;
}

const count = (page, name) => page.evaluate((n) => window.innLesson.count(n), name);
const lesson = (page) => page.evaluate(() => window.innLesson.page().lesson);
const hash = (page) => page.evaluate(() => location.hash);

/** Fails on serious or critical axe-core violations; prints any others. */
async function scan(page, what) {
  const r = await axeScan(page);
  if (r.all.length) console.log(`${what}: ${r.all.length} violations\n  ${r.all.join('\n  ')}`);
  assert.deepEqual(r.serious, [], `${what}: serious or critical violations`);
}

test('every step loads from its link with its controls hidden and its text shown', async () => {
  for (const [i, want] of STEPS.entries()) {
    const step = i + 1;
    const { page, errors, context } = await open(`#lesson=tour&step=${step}`, want);
    const l = await lesson(page);
    assert.equal(l.step, step);
    assert.equal(await page.locator('#lesson-count').innerText(), `Lesson, step ${step} of ${STEPS.length}`);
    assert.equal(await page.locator('#lesson-title').innerText(), l.title);
    assert.equal(await page.locator('#lesson-text').innerText(), l.text);
    assert.ok(l.text.length > 100, `step ${step} has its sentences`);
    assert.equal(await page.locator('#notice').isVisible(), false, `step ${step}: no notice`);
    assert.match(await hash(page), new RegExp(`[#&]lesson=tour&step=${step}(&|$)`), 'the step stays in the link');
    const { hide } = await page.evaluate(() => window.innLesson.page());
    assert.ok(hide.includes(want.arm ? 'arm-marginals' : 'intro') && hide.length >= 5, `step ${step} hides the rest: ${hide}`);
    for (const n of hide) {
      const c = await count(page, n);
      if (!want.arm) assert.ok(c.all > 0, `step ${step}: ${n} stands for something on the page`);
      assert.equal(c.visible, 0, `step ${step}: ${n} is hidden`);
    }
    for (const n of want.show) {
      const c = await count(page, n);
      assert.equal(c.visible > 0, !want.reveal.includes(n), `step ${step}: ${n} ${want.reveal.includes(n) ? 'waits for Reveal' : 'is shown'}`);
    }
    assert.equal(await page.locator('#lesson-reveal').isVisible(), want.reveal.length > 0);
    await scan(page, `step ${step}`);
    if (want.reveal.length) {
      assert.ok(await page.locator('#lesson-question').isVisible());
      await page.click('#lesson-reveal');
      for (const n of want.reveal) assert.ok((await count(page, n)).visible > 0, `step ${step}: ${n} revealed`);
      assert.equal(await page.locator('#lesson-reveal').isVisible(), false);
      await scan(page, `step ${step}, revealed`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('Previous, Next and the arrow keys move through the lesson and the link follows', async () => {
  const { page, errors, context } = await open('#lesson=tour&step=1');
  assert.ok(await page.locator('#lesson-prev').isDisabled(), 'no step before the first');
  const at = async (step) => {
    await page.waitForFunction((s) => window.innLesson.page().lesson.step === s, step, { timeout: 10000 });
    assert.match(await hash(page), new RegExp(`[#&]lesson=tour&step=${step}(&|$)`));
    const l = await lesson(page);
    assert.equal(await page.locator('#lesson-title').innerText(), l.title);
  };
  await page.click('#lesson-next');
  await at(2);
  assert.ok((await count(page, 'mcmc_chains')).visible > 0, 'the step\'s own controls come with it');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await at(3);
  await page.keyboard.press('ArrowRight');
  await at(4);
  await page.keyboard.press('ArrowLeft');
  await at(3);
  // An arrow in a field is the field's.
  await page.focus('#set-abc_eps');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await page.waitForTimeout(300);
  assert.equal((await lesson(page)).step, 3);
  await page.click('#lesson-prev');
  await at(2);
  // The browser's Back goes to the step before.
  await page.goBack();
  await at(3);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the last step does not go past the end, and the arm step leads back to the mixture', async () => {
  const { page, errors, context } = await open('#lesson=tour&step=9', { arm: true });
  assert.ok(await page.locator('#cv-arm').isVisible());
  // The arm's link, as its target is written into it, keeps the step's preset.
  assert.match(await hash(page), /preset=arm&.*lesson=tour&step=9/);
  await page.click('#lesson-next');
  await page.waitForFunction(() => window.innLesson?.page()?.lesson?.step === 10 && document.getElementById('cell-mcmc'), null, { timeout: 30000 });
  assert.ok(await page.locator('#lesson-next').isDisabled(), 'no step after the last');
  assert.ok((await count(page, 'ndim_z')).visible > 0);
  assert.equal(await page.locator('#arm').isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the lesson-link maker writes a link that hides what was ticked and shows the prompt as text', async () => {
  const { page, errors, context } = await open('#preset=fast&labels=some&seed=1');
  assert.equal(await page.locator('#lesson').isVisible(), false, 'no lesson bar without a lesson');
  await page.click('#maker summary');
  for (const n of ['data', 'losses']) await page.check(`#maker-hide input[value="${n}"]`);
  await page.click('#maker-hide details summary');
  await page.check('#maker-hide input[value="lr"]');
  await page.selectOption('#maker-colour', '2');
  const prompt = 'Where will <b>green</b> land? & why';
  await page.fill('#maker-prompt', prompt);
  assert.deepEqual(errors, [], 'no page error while the link is made');
  // The link as written by the maker's last input (read as text: the
  // maker writes it on each input and change event).
  await page.waitForFunction(() => /hide=data,losses,lr/.test(document.getElementById('maker-link').textContent), null, { timeout: 5000 })
    .catch(async () => assert.fail(`the maker's link: '${await page.locator('[data-testid=maker-link]').textContent()}', page errors: ${errors}`));
  const url = await page.locator('[data-testid=maker-link]').textContent();
  assert.ok(url.startsWith(BASE_URL.replace(/\/$/, '')), url);
  assert.match(url, /hide=data,losses,lr/);
  await page.click('#maker-copy');
  // The notice follows the clipboard's answer, which comes asynchronously.
  assert.match(await textMatching(page, '#notice-text', /hide=data,losses,lr/), /^(Link copied|Copy this link): .*hide=data,losses,lr/);
  const opened = await open(url.slice(url.indexOf('#')));
  const p = opened.page;
  assert.equal(await p.locator('[data-testid=prompt]').innerText(), prompt);
  assert.equal(await p.locator('[data-testid=prompt] b').count(), 0, 'the prompt is text, never HTML');
  for (const n of ['data', 'losses', 'lr']) assert.equal((await count(p, n)).visible, 0, `${n} hidden`);
  for (const n of ['forward', 'latent', 'posterior', 'batch', 'train']) assert.ok((await count(p, n)).visible > 0, `${n} shown`);
  assert.equal(await p.evaluate(() => document.querySelector('#label-picker [aria-checked="true"]').dataset.label), '2', 'the pinned colour is observed');
  assert.equal(await p.locator('#notice').isVisible(), false);
  assert.deepEqual([...errors, ...opened.errors], []);
  await opened.context.close();
  await context.close();
});

test('a bad lesson, step or control name gives a notice and the rest of the link still loads', async () => {
  const cases = [
    ['#lesson=tour&step=42', /step must be 1 to 10; 42 was set to 10/, 10],
    ['#lesson=nope&step=2', /lesson 'nope' is unknown/, null],
    ['#lesson=tour&step=two', /step 'two' is not a step number/, 1],
    ['#preset=fast&hide=data,bogus', /hide: 'bogus' names no control/, null],
  ];
  for (const [h, notice, step] of cases) {
    const { page, errors, context } = await open(h);
    assert.match(await page.locator('#notice-text').innerText(), notice, h);
    assert.equal((await lesson(page))?.step ?? null, step, h);
    assert.equal(await page.locator('#lesson').isVisible(), step !== null, h);
    assert.doesNotMatch(await page.locator('#notice-text').innerText(), /unknown setting/, h);
    if (h.includes('hide')) assert.equal((await count(page, 'data')).visible, 0);
    assert.deepEqual(errors, [], h);
    await context.close();
  }
});

test('at 360 x 740 a lesson step and the open lesson-link maker fit the width', async () => {
  for (const [h, open_] of [['#lesson=tour&step=8', false], ['#preset=fast&labels=some&seed=1', true]]) {
    const { page, errors, context } = await open(h);
    await page.setViewportSize({ width: 360, height: 740 });
    if (open_) {
      await page.click('#maker summary');
      await page.click('#maker-hide details summary');
      await page.fill('#maker-prompt', 'A long line of prompt for the class, to see that it wraps on a phone');
    }
    const o = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      const out = [];
      for (const e of document.querySelectorAll('body *')) {
        const r = e.getBoundingClientRect();
        if ((r.width || r.height) && (r.right > w + 0.5 || r.left < -0.5)) out.push(`${e.tagName.toLowerCase()}#${e.id}.${e.className}`);
      }
      return { scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 20) };
    });
    assert.ok(o.scrollWidth <= 360, `${h}: page is ${o.scrollWidth} px wide`);
    assert.deepEqual(o.out, [], `${h}: no element past the width`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});
