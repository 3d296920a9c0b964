// The crisis page opens with the network switched off (service worker), and so
// does a screen that is imported only when first opened. Without the service
// worker, a screen that cannot be fetched says so in plain words and opens
// when "Try again" is pressed back online.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, expectHeading } from '../lib/harness.mjs';

const suite = journeySuite();

test('the crisis page opens offline, with the numbers as tel: and sms: links', async () => {
  const app = await suite.open('offline');
  const { page, context } = app;
  await page.goto('/sign-in');
  await expectHeading(page, /Sign in/);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => caches.keys().then((keys) => keys.length > 0));
  // Let the install finish caching the shell.
  await page.waitForFunction(async () => {
    const cache = await caches.open((await caches.keys())[0]);
    return Boolean(await cache.match('/api/crisis-resources')) && Boolean(await cache.match('/js/screens/crisis.js'));
  });

  await context.setOffline(true);
  // A screen not yet opened comes from the worker's copy of every module.
  await page.getByRole('link', { name: 'I have forgotten my password' }).click();
  await expectHeading(page, /Reset your password/);
  await page.goto('/crisis');
  await expectHeading(page, /Get help now/);
  for (const href of ['tel:999', 'tel:111', 'tel:116123', 'sms:85258?body=SHOUT']) {
    await page.locator(`a[href="${href}"]`).first().waitFor();
  }
  assert.match(await page.locator('main').textContent(), /Samaritans/);
  // Offline, the page came from the cache, so the "failed to load" of
  // check-session is expected; nothing else may go wrong.
  app.problems.length = 0;
  await app.check('crisis-offline');
  await context.setOffline(false);
  await context.close();
});

async function focusOnHeading(page, pattern) {
  await page.waitForFunction((source) => document.activeElement.tagName === 'H1' && new RegExp(source).test(document.activeElement.textContent), pattern.source);
}

test('a screen that cannot be fetched says so in plain words, and opens on "Try again"', async () => {
  const app = await suite.open('screen-offline', { serviceWorkers: 'block' });
  const { page, context } = app;
  await page.goto('/sign-in');
  await expectHeading(page, /Sign in/);
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expectHeading(page, /This page did not open/);
  assert.match(await page.locator('.error-summary').textContent(), /We could not load this page\. Check your internet connection/);
  // Focus is on the new heading, as on any new screen.
  await focusOnHeading(page, /did not open/);
  app.problems.length = 0;
  await app.check('screen-failed');
  // Still offline: it fails again and says so again, with focus on its heading.
  await page.getByRole('button', { name: 'Try again' }).click();
  await focusOnHeading(page, /did not open/);
  await page.locator('.error-summary').waitFor();
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Try again' }).click();
  await expectHeading(page, /Create an account/);
  await focusOnHeading(page, /Create an account/);
  app.problems.length = 0;
  await context.close();
});
