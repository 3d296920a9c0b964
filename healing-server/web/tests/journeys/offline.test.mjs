// The crisis page opens with the network switched off (service worker).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, expectHeading } from '../lib/harness.mjs';

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

test('the crisis page opens offline, with the numbers as tel: and sms: links', async () => {
  const app = await openPage(browser, server, 'offline');
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
