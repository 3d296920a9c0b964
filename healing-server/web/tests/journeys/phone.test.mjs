// A 360 px phone in dark theme: no sideways scrolling on any screen, and the
// PHQ-9 asks one question at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, expectHeading } from '../lib/harness.mjs';

const suite = journeySuite();

test('on a 360 px phone in dark theme every screen fits and questions come one at a time', async () => {
  const app = await suite.open('phone-dark', { width: 360, height: 740, colorScheme: 'dark' });
  const { page } = app;
  await page.goto('/crisis');
  await expectHeading(page, /Get help now/);
  await app.check('crisis');
  await page.goto('/sign-in');
  await expectHeading(page, /Sign in/);
  // With the system in dark mode, the app is dark.
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(17, 23, 25)');
  await app.check('sign-in');
  await registerPatient(page, 'ash', 'Ash');
  await app.check('today');

  await page.goto('/settings');
  await expectHeading(page, /Settings/);
  await page.getByLabel('Light').check();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await page.getByLabel('Dark').check();
  assert.equal(await page.evaluate(() => localStorage.getItem('healing-theme')), 'dark');
  await page.reload();
  await expectHeading(page, /Settings/);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await app.check('settings');

  await page.goto('/questionnaires/phq9');
  await expectHeading(page, /PHQ-9/);
  await page.getByText('Question 1 of 9').waitFor();
  assert.equal(await page.locator('form fieldset').count(), 1);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').textContent(), /Select an answer to this question/);
  await app.check('phq9-question-error');
  for (let question = 1; question <= 9; question += 1) {
    await page.getByText(`Question ${question} of 9`).waitFor();
    await page.locator('form fieldset').getByLabel('Several days', { exact: true }).check();
    if (question === 1) await app.check('phq9-question');
    await page.getByRole('button', { name: question < 9 ? 'Continue' : 'Submit my answers' }).click();
  }
  // Nine answers of "several days" is 9 (mild), and item 9 above 0 asks for care:
  // the server raises an alert and its answer brings up the crisis view at once.
  await expectHeading(page, /You do not have to go through this alone/);
  await page.locator('a[href="tel:116123"]').waitFor();
  await app.check('phq9-crisis-takeover');
  await page.getByRole('button', { name: 'Go back to what I was doing' }).click();
  await page.getByText('Your score is 9 out of 27.').waitFor();
  await page.locator('.result-band', { hasText: 'Mild depression' }).waitFor();
  await page.getByText('Thank you for telling us').waitFor();
  await app.check('phq9-result');

  for (const path of ['/mood', '/journal', '/pet', '/links', '/questionnaires']) {
    await page.goto(path);
    await page.waitForSelector('main h1');
    await page.waitForFunction(() => !document.querySelector('main [role="status"]') || !/Loading/.test(document.querySelector('main').textContent));
    await app.check(path.slice(1));
  }
  await app.context.close();
});
