// A patient registers, logs a mood, takes a PHQ-9 and sees the band explained,
// keeps a journal, adopts a pet, downloads their data and deletes the account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { journeySuite, registerPatient, signIn, expectHeading, PASSWORD } from '../lib/harness.mjs';

const suite = journeySuite();

test('a patient registers, logs a mood, takes a PHQ-9, downloads their data and deletes the account', async () => {
  const app = await suite.open('patient');
  const { page } = app;

  await page.goto('/sign-in');
  await expectHeading(page, /Sign in/);
  await app.check('sign-in');

  // A mistake is shown in plain words, at the top and by the field, with focus on the summary.
  await page.goto('/register');
  await expectHeading(page, /Create an account/);
  await app.check('register');
  await page.getByLabel('Username', { exact: true }).fill('sam');
  await page.getByLabel('Email address').fill('sam@example.org');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.match(await summary.textContent(), /There is a problem/);
  assert.match(await summary.textContent(), /Password has 5 characters/);
  await page.waitForFunction(() => document.activeElement.classList.contains('error-summary'));
  assert.match(await page.locator('#password-error').textContent(), /Password has 5 characters/);
  await app.check('register-error');

  await registerPatient(page, 'sam');
  await app.check('today');

  // Mood: log one and see it in the chart's table.
  await page.getByRole('link', { name: 'Mood', exact: true }).click();
  await expectHeading(page, /^Mood$/);
  await page.getByRole('button', { name: 'Save my mood' }).click();
  await summary.waitFor();
  assert.match(await summary.textContent(), /Select how your mood is today/);
  await page.locator('label[for="mood-6"]').click();
  await page.getByLabel('How well did you sleep? (optional)').selectOption('6');
  await page.getByLabel('How anxious do you feel? (optional)').selectOption('3');
  await page.getByLabel('Anything you want to note? (optional)').fill('A walk by the river helped.');
  await page.getByRole('button', { name: 'Save my mood' }).click();
  await page.getByText('Your mood has been saved.').waitFor();
  await page.locator('table').getByText('A walk by the river helped.').waitFor();
  assert.equal(await page.locator('.chart svg circle').count(), 1);
  await app.check('mood');

  // PHQ-9 from /api/instruments, all questions on one page on a desktop.
  await page.getByRole('link', { name: 'Questionnaires' }).click();
  await expectHeading(page, /Questionnaires/);
  await app.check('questionnaires');
  await page.getByRole('link', { name: /PHQ-9/ }).click();
  await expectHeading(page, /PHQ-9/);
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await summary.waitFor();
  assert.match(await summary.textContent(), /Select an answer to question 1/);
  await app.check('phq9-errors');
  const answers = [2, 2, 1, 1, 1, 1, 1, 1, 0];
  const labels = ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'];
  const groups = page.locator('form fieldset');
  assert.equal(await groups.count(), 9);
  for (const [index, answer] of answers.entries()) {
    await groups.nth(index).getByLabel(labels[answer], { exact: true }).check();
  }
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await page.getByText('Your score is 10 out of 27.').waitFor();
  await page.locator('.result-band', { hasText: 'Moderate depression' }).waitFor();
  await page.getByText(/affecting your daily life. It is a good idea to talk this through/).waitFor();
  await page.getByText('Scores from 10 to 14 are described as moderate depression.').waitFor();
  await app.check('phq9-result');

  // Journal.
  await page.getByRole('link', { name: 'Journal' }).click();
  await expectHeading(page, /Journal/);
  await page.getByLabel('Write an entry').fill('Slept better. Called my sister.');
  await page.getByRole('button', { name: 'Save entry' }).click();
  await page.getByText('Your entry has been saved.').waitFor();
  await page.locator('article').getByText('Slept better. Called my sister.').waitFor();
  await app.check('journal');

  // Pet: adopt, then play.
  await page.getByRole('link', { name: 'Pet' }).click();
  await expectHeading(page, /Choose a pet/);
  await page.getByLabel("Pet's name").fill('Pip');
  await page.getByLabel(/Hedgehog/).check();
  await page.getByRole('button', { name: 'Adopt' }).click();
  await expectHeading(page, /^Pip$/);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByText('Done. Pip enjoyed that.').waitFor();
  await app.check('pet');

  await page.getByRole('link', { name: 'Clinicians' }).click();
  await expectHeading(page, /Your clinicians/);
  await app.check('links');

  // Settings: consent, download, delete.
  await page.getByRole('link', { name: 'Settings' }).click();
  await expectHeading(page, /Settings/);
  await page.getByRole('button', { name: 'Agree to research' }).click();
  await page.getByText('Saved: you have agreed to research.').waitFor();
  await page.getByRole('button', { name: 'Withdraw from research' }).waitFor();
  await app.check('settings');
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my data' }).click();
  const download = await downloadPromise;
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(exported.success, true);
  assert.match(JSON.stringify(exported), /A walk by the river helped/);
  await page.getByText('Your download has started.').waitFor();

  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.locator('#delete_password-error').waitFor();
  await page.getByLabel('Enter your password to confirm').fill(PASSWORD);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expectHeading(page, /Your account has been deleted/);
  await app.check('account-deleted');

  await signIn(page, 'sam');
  await summary.waitFor();
  assert.match(await summary.textContent(), /The username or password is not right/);
  await app.context.close();
});
