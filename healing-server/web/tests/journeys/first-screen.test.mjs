// Measures the first screen (a new visitor opening /sign-in, cold cache) on
// loopback: bytes transferred and time until the app is interactive. Prints
// the figures for BENCHMARKS.md and holds JS+CSS under 100 KB compressed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite } from '../lib/harness.mjs';

const suite = journeySuite();

async function measure() {
  const context = await suite.browser.newContext({ baseURL: suite.server.base, serviceWorkers: 'block' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const requests = new Map();
  cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
    requests.set(requestId, { url: response.url, type, encoding: response.headers['content-encoding'] || response.headers['Content-Encoding'] || 'identity', bytes: 0 });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const entry = requests.get(requestId);
    if (entry) entry.bytes = encodedDataLength;
  });
  await page.goto('/sign-in');
  await page.waitForSelector('html[data-ready="true"]');
  const interactive = await page.evaluate(() => performance.getEntriesByName('healing-interactive')[0].startTime);
  await page.waitForLoadState('networkidle');
  const list = [...requests.values()];
  await context.close();
  const sum = (filter) => list.filter(filter).reduce((total, entry) => total + entry.bytes, 0);
  return {
    interactive,
    total: sum(() => true),
    jsCss: sum((entry) => entry.type === 'Script' || entry.type === 'Stylesheet'),
    requests: list.length,
    encodings: [...new Set(list.filter((entry) => entry.type === 'Script').map((entry) => entry.encoding))],
  };
}

test('first screen: bytes and time to interactive on loopback', async () => {
  await measure(); // warm the server
  const runs = [];
  for (let run = 0; run < 5; run += 1) runs.push(await measure());
  const median = (key) => runs.map((run) => run[key]).sort((a, b) => a - b)[2];
  const figures = {
    interactive: median('interactive'),
    total: median('total'),
    jsCss: median('jsCss'),
  };
  const kb = (bytes) => (bytes / 1024).toFixed(1);
  console.log(`FIRST-SCREEN /sign-in cold cache, loopback, median of 5: ${kb(figures.total)} KB transferred in ${runs[0].requests} requests `
    + `(JS+CSS ${kb(figures.jsCss)} KB, script encoding ${runs[0].encodings.join('/')}), interactive at ${figures.interactive.toFixed(0)} ms`);
  assert.ok(figures.jsCss < 100 * 1024, `JS+CSS ${figures.jsCss} bytes`);
});
