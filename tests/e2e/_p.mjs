import { launch, openPage } from './helpers.js';
const browser = await launch();
const { page, errors } = await openPage(browser, '');
page.on('console', (m) => console.log('console', m.type(), m.text()));
await page.waitForTimeout(5000);
console.log(await page.evaluate(() => JSON.stringify(window.innPlayground.methods())));
console.log(await page.locator('#score-mcmc').innerText().catch(e => 'no cell'));
console.log(errors);
await browser.close();
