// The patient journey with the keyboard alone (Tab, Shift+Tab, Enter, Space):
// skip link, then "Get help now" first; register, log a mood, sign out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, expectHeading, PASSWORD, tabTo } from '../lib/harness.mjs';

const suite = journeySuite();

test('the patient journey works with the keyboard alone', async () => {
  const app = await suite.open('keyboard');
  const { page } = app;
  await page.goto('/register');
  await expectHeading(page, /Create an account/);

  // First stop: the skip link; second: "Get help now".
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to main content');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Get help now');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');

  await tabTo(page, /^display_name\|/);
  await page.keyboard.type('Kim');
  await page.keyboard.press('Tab');
  await page.keyboard.type('kim');
  await page.keyboard.press('Tab');
  await page.keyboard.type('kim@example.org');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expectHeading(page, /Hello, Kim/);
  // Focus moves to the new screen's heading.
  await page.waitForFunction(() => document.activeElement.tagName === 'H1');

  // Today's mood prompt: Tab into the scale, Space to choose, Enter on Save.
  await tabTo(page, /^mood\|/);
  await page.keyboard.press('Space');
  assert.equal(await page.evaluate(() => document.querySelector('#mood').checked), true);
  await tabTo(page, /Save my mood/);
  await page.keyboard.press('Enter');
  await page.getByText('You have recorded your mood today. Thank you.').waitFor();
  await app.check('today-after-mood');

  // The visible focus style is there on links.
  await tabTo(page, /See your mood/);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, 'solid');
  await page.keyboard.press('Enter');
  await expectHeading(page, /^Mood$/);

  // "Get help now" from a signed-in screen: Shift+Tab back to the top.
  await tabTo(page, /^\|Get help now\|/, { key: 'Shift+Tab' });
  await page.keyboard.press('Enter');
  await expectHeading(page, /Get help now/);
  await page.locator('a[href="tel:116123"]').waitFor();

  await tabTo(page, /^\|Sign out\|/);
  await page.keyboard.press('Enter');
  await expectHeading(page, /Sign in/);
  await app.context.close();
});
