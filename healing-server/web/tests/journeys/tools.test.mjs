// CBT tools: the catalogue from GET /api/tools; a thought record drawn from
// its JSON Schema (text boxes, a row of emotions with a slider, a number field
// for the optional re-rating), mistakes said in plain words, the run saved
// with its result shown and listed in the tool's history; a breathing session
// (radios and sliders) the same way; today's tasks mark the exercise done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, expectHeading, showScreen } from '../lib/harness.mjs';

const suite = journeySuite();

test('a patient saves a thought record and a breathing session and finds them in the history', async () => {
  const app = await suite.open('tools');
  const { page } = app;
  await registerPatient(page, 'ari', 'Ari');
  const tasks = page.locator('section', { has: page.getByRole('heading', { name: 'Things to try today' }) });
  await tasks.getByRole('link', { name: 'Try a coping tool' }).waitFor();

  await page.getByRole('navigation').getByRole('link', { name: 'Coping tools' }).click();
  await expectHeading(page, /Coping tools/);
  for (const title of ['Thought record', 'Activity planning', 'Breathing and grounding', 'Three good things']) {
    await page.getByRole('heading', { name: title }).getByRole('link').waitFor();
  }
  await app.check('tools-catalogue');

  await page.getByRole('link', { name: 'Thought record', exact: true }).click();
  await expectHeading(page, /^Thought record$/);
  await page.getByText('You have not used this tool yet.').waitFor();
  assert.equal(await page.locator('#tool-situation').evaluate((element) => element.tagName), 'TEXTAREA');
  assert.equal(await page.locator('#tool-emotions-0-before').getAttribute('type'), 'range');
  assert.equal(await page.locator('#tool-emotions-0-after').getAttribute('type'), 'number');
  // In the order the schema names (the server's JSON sorts keys alphabetically).
  const order = await page.locator('form.schema-form').locator('input, textarea').evaluateAll((fields) => fields.map((field) => field.id));
  assert.deepEqual(order, ['tool-situation', 'tool-automatic_thought', 'tool-emotions-0-emotion', 'tool-emotions-0-before', 'tool-emotions-0-after',
    'tool-evidence_for', 'tool-evidence_against', 'tool-balanced_thought']);

  // Nothing filled in: each required answer named, with focus on the summary.
  await page.getByRole('button', { name: 'Save' }).click();
  const summary = page.locator('.error-summary');
  await summary.getByText('Fill in “What happened? Where, when, who with?”').waitFor();
  await summary.getByText('Fill in “What went through your mind?”').waitFor();
  await summary.getByText('Add at least 1 to “Emotions”').waitFor();
  await page.waitForFunction(() => document.activeElement.classList.contains('error-summary'));
  await app.check('tool-errors');

  await page.getByLabel('What happened? Where, when, who with?').fill('Monday meeting. My manager did not reply to my email.');
  await page.getByLabel('What went through your mind?').fill('She thinks my work is useless.');
  await page.getByLabel('Emotion', { exact: true }).fill('Anxious');
  await page.getByLabel('How strong (0–100) at the time').fill('80');
  await page.getByRole('button', { name: 'Add another to Emotions' }).click();
  await page.waitForFunction(() => document.activeElement.id === 'tool-emotions-1-emotion');
  await page.keyboard.type('Embarrassed');
  // The second row's slider, moved with the keyboard (Home is 0, each arrow one step).
  await page.locator('#tool-emotions-1-before').focus();
  await page.keyboard.press('Home');
  for (let step = 0; step < 3; step += 1) await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#tool-emotions-1-before').inputValue(), '3');
  await page.locator('#tool-emotions-0-after').fill('40');
  await page.getByLabel('Evidence that supports the thought').fill('No reply for two days.');
  await page.getByLabel('Evidence that does not support it').fill('She praised the last report. She is on leave this week.');
  await page.getByLabel('A more balanced thought').fill('She is probably busy; the silence is not about my work.');
  await app.check('tool-filled');
  await page.getByRole('button', { name: 'Save' }).click();

  // The result, then the run in the history.
  const result = page.locator('section', { has: page.getByRole('heading', { name: 'Saved. Here is how it went' }) });
  await result.waitFor().catch(showScreen(page));
  await page.waitForFunction(() => document.activeElement.id === 'tool-result-title');
  const row = result.locator('tr', { hasText: 'Anxious' });
  assert.deepEqual(await row.locator('td').allTextContents(), ['Anxious', '80', '40', '-40']);
  assert.deepEqual(await result.locator('tr', { hasText: 'Embarrassed' }).locator('td').allTextContents(), ['Embarrassed', '3', '–', '–']);
  // The form starts afresh for the next time.
  assert.equal(await page.locator('#tool-situation').inputValue(), '');
  const history = page.getByRole('list', { name: 'Your history with Thought record, newest first' });
  await history.locator('li').first().waitFor();
  assert.equal(await history.locator('li').count(), 1);
  await history.locator('summary').first().click();
  await history.getByText('She thinks my work is useless.').waitFor();
  await history.getByText('She is probably busy; the silence is not about my work.').waitFor();
  await app.check('tool-saved');

  // A breathing session: radios for the exercise, sliders for mood, a number of minutes.
  await page.getByRole('link', { name: 'Back to all coping tools' }).click();
  await expectHeading(page, /Coping tools/);
  await page.getByRole('link', { name: 'Breathing and grounding', exact: true }).click();
  await expectHeading(page, /^Breathing and grounding$/);
  await page.getByLabel('Box breathing').check();
  await page.getByLabel('Minutes').fill('75');
  await page.getByLabel('Mood before (0–10)').fill('3');
  await page.getByLabel('Mood after (0–10)').fill('6');
  await page.getByRole('button', { name: 'Save' }).click();
  await summary.getByText('“Minutes” must be a whole number from 1 to 60').waitFor();
  await page.getByLabel('Minutes').fill('5');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Saved. Here is how it went' }).waitFor();
  await page.getByText('Change in mood (after minus before)').first().waitFor();
  const breathing = page.getByRole('list', { name: 'Your history with Breathing and grounding, newest first' });
  await breathing.locator('summary').first().click();
  await breathing.getByText('Box breathing').waitFor();
  await app.check('tool-breathing');

  // Today's tasks count the exercise as done.
  await page.getByRole('navigation').getByRole('link', { name: 'Today' }).click();
  await expectHeading(page, /Hello, Ari/);
  await tasks.locator('li', { hasText: 'Try a coping tool' }).getByText('Done today').waitFor();
  await app.check('today-tasks');

  await page.goto('/tools/thought_record');
  await expectHeading(page, /^Thought record$/);
  await page.setViewportSize({ width: 360, height: 800 });
  await app.check('tool-phone');
  await app.context.close();
});
