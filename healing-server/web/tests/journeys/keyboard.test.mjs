// The patient journey with the keyboard alone (Tab, Shift+Tab, Enter, Space):
// skip link, then "Get help now" first; register, log a mood, sign out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, expectHeading, PASSWORD } from '../lib/harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Presses Tab until the focused element matches `test` (by its text, label or id). */
async function tabTo(page, wanted, { limit = 60, key = 'Tab' } = {}) {
  for (let step = 0; step < limit; step += 1) {
    await page.keyboard.press(key);
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return '';
      const label = element.id ? document.querySelector(`label[for="${element.id}"]`) : null;
      return `${element.id}|${element.textContent.trim()}|${label ? label.textContent.trim() : ''}`;
    });
    if (wanted.test(focused)) return focused;
  }
  throw new Error(`could not reach ${wanted} with Tab`);
}

test('the patient journey works with the keyboard alone', async () => {
  const app = await openPage(browser, server, 'keyboard');
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
