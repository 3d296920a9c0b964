// Test harness: the real server binary on a free loopback port with a fresh
// SQLite data folder, Debian's chromium through playwright-core, axe-core on
// every screen in both themes, screenshots under target/web-screenshots/.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../../..');
const targetDir = process.env.CARGO_TARGET_DIR || path.join(repoRoot, 'target');
export const binary = process.env.HEALING_SERVER_BIN || path.join(targetDir, 'debug', 'healing-server');
export const screenshotRoot = path.join(targetDir, 'web-screenshots');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const axeSource = readFileSync(path.join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export const PASSWORD = 'plum orbit ladder seven';

/** Starts `healing-server serve` (with `extraEnv` added, e.g. a loopback AI model); resolves when it prints its address. */
export async function startServer(extraEnv = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'healing-web-'));
  const env = {
    PATH: process.env.PATH,
    HEALING_BIND: '127.0.0.1:0',
    HEALING_DATA_DIR: path.join(dataDir, 'data'),
    HEALING_LOG: 'warn',
    ...extraEnv,
  };
  // While developing, serve the app from disk instead of the embedded copy.
  if (process.env.HEALING_WEB_DIR) env.HEALING_WEB_DIR = process.env.HEALING_WEB_DIR;
  const child = spawn(binary, ['serve'], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 60 s')), 60000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('listening on ')) {
        clearTimeout(timer);
        resolve(line.slice('listening on '.length).trim());
      }
    });
  });
  return {
    base,
    dataDir,
    env,
    /** Creates a staff account with the operator command. */
    createUser(username, role) {
      execFileSync(binary, ['create-user', '--username', username, '--email', `${username}@example.org`, '--role', role], {
        cwd: dataDir,
        env: { ...env, HEALING_NEW_USER_PASSWORD: PASSWORD },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', resolve);
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One server and one browser for a journey file: started before its tests
 * (with the staff accounts `users` names, username to role, and the server
 * variables `env` returns or resolves to, read when the server starts) and stopped after
 * them. `open(journey, options)` is `openPage` on the two.
 */
export function journeySuite(users = {}, { env = () => ({}) } = {}) {
  const suite = {
    server: undefined,
    browser: undefined,
    open: (journey, options) => openPage(suite.browser, suite.server, journey, options),
  };
  before(async () => {
    suite.server = await startServer(await env());
    suite.browser = await launch();
    for (const [username, role] of Object.entries(users)) suite.server.createUser(username, role);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A page that fails the test on a script error, a CSP violation or a
 * console error, and records screenshots under `journey`.
 */
export async function openPage(browser, server, journey, { width = 1280, height = 900, colorScheme = 'light', reducedMotion = 'reduce', serviceWorkers = 'allow' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, reducedMotion, baseURL: server.base, serviceWorkers });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  // The last focus moves and dialog closes, for a failed wait to report (expectFocus).
  await page.addInitScript(() => {
    const trail = [];
    globalThis.__healingFocusTrail = trail;
    const note = (what) => {
      trail.push(`${Math.round(performance.now())} ms ${what}`);
      if (trail.length > 30) trail.shift();
    };
    const describe = (element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''}`;
    document.addEventListener('focusin', (event) => note(`focus ${describe(event.target)}`), true);
    document.addEventListener('close', (event) => note(`close ${describe(event.target)}`), true);
  });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // A failed request answers an error the app shows on screen; those are
    // expected in some journeys (wrong password, forbidden patient).
    if (message.type() === 'error' && !/Failed to load resource/.test(text)) problems.push(`console error: ${text}`);
    if (/Content Security Policy/i.test(text)) problems.push(`CSP: ${text}`);
  });
  const dir = path.join(screenshotRoot, journey);
  mkdirSync(dir, { recursive: true });
  let shot = 0;
  const helpers = {
    page,
    context,
    problems,
    /** axe-core in light and dark theme (no serious or critical violations), screenshots of both. */
    async check(label) {
      await page.waitForSelector('html[data-ready="true"]');
      await page.waitForFunction(() => !document.querySelector('main [role="status"]:only-child') || true);
      const missing = await page.evaluate(() => globalThis.__healingMissingText || []);
      assert.deepEqual(missing, [], `text missing from the catalogue on ${label}`);
      const original = await page.evaluate(() => document.documentElement.dataset.theme || null);
      for (const theme of ['light', 'dark']) {
        await page.evaluate((value) => { document.documentElement.dataset.theme = value; }, theme);
        const hasAxe = await page.evaluate(() => typeof globalThis.axe !== 'undefined');
        if (!hasAxe) await page.evaluate(axeSource);
        const result = await page.evaluate(() => globalThis.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
          resultTypes: ['violations'],
        }));
        const serious = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
        assert.deepEqual(
          serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')})`),
          [],
          `axe on ${label} (${theme})`,
        );
        shot += 1;
        await page.screenshot({ path: path.join(dir, `${String(shot).padStart(2, '0')}-${label}-${theme}.png`), fullPage: true });
      }
      await page.evaluate((value) => {
        if (value) document.documentElement.dataset.theme = value;
        else delete document.documentElement.dataset.theme;
      }, original);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${label}: page scrolls sideways by ${overflow}px`);
      assert.deepEqual(problems, [], `${label}: browser reported problems`);
    },
    async heading() {
      return (await page.locator('main h1').first().textContent()).trim();
    },
  };
  return helpers;
}

/** Waits for the screen whose heading matches. */
export async function expectHeading(page, pattern) {
  await page.waitForFunction((source) => {
    const heading = document.querySelector('main h1');
    return heading && new RegExp(source).test(heading.textContent);
  }, pattern.source, { timeout: 15000 });
}

/** What a failed wait saw on screen: `wait.catch(showScreen(page))`. */
export function showScreen(page) {
  return async (error) => {
    throw new Error(`${error.message}\nscreen: ${await page.locator('main').innerText()}`);
  };
}

/**
 * Waits until `predicate` (run in the page) holds for the focused element; a
 * timeout reports what has focus and the page's last focus moves.
 */
export async function expectFocus(page, predicate, what) {
  await page.waitForFunction(predicate).catch(async (error) => {
    const seen = await page.evaluate(() => ({
      focused: document.activeElement ? document.activeElement.outerHTML.slice(0, 160) : 'nothing',
      trail: globalThis.__healingFocusTrail || [],
    }));
    throw new Error(`${error.message}\nwaiting for focus on ${what}; focused: ${seen.focused}\nfocus moves:\n${seen.trail.join('\n')}`);
  });
}

/** Presses `key` (Tab by default) until the focused element's id, text or label matches. */
export async function tabTo(page, wanted, { limit = 80, key = 'Tab' } = {}) {
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
  throw new Error(`could not reach ${wanted} with ${key}`);
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) for a base32 secret. */
export function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0xf;
  const value = (digest.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(value).padStart(6, '0');
}

/** Registers a patient through the screens; ends on Today. */
export async function registerPatient(page, username, name = 'Sam') {
  await page.goto('/register');
  await page.getByLabel('Your name (optional)').fill(name);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Email address').fill(`${username}@example.org`);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectHeading(page, new RegExp(`Hello, ${name}`));
}

export async function signIn(page, username, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Username or email address').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * A staff member signs in for the first time and enrols two-factor (a wrong
 * code first, then the right one); ends past the recovery codes. Returns the secret.
 */
export async function enrol(app, username, journeyLabel) {
  const { page } = app;
  await signIn(page, username);
  await expectHeading(page, /Set up two-factor sign-in/);
  await page.locator('.qr svg path').waitFor();
  const secret = (await page.locator('#totp-secret').textContent()).trim();
  await app.check(`${journeyLabel}-enrol`);
  await page.getByLabel('Enter the code your app now shows').fill('000000');
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').textContent(), /That code did not work/);
  await page.getByLabel('Enter the code your app now shows').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expectHeading(page, /Save your recovery codes/);
  assert.equal(await page.locator('.recovery-codes li').count(), 10);
  await app.check(`${journeyLabel}-recovery-codes`);
  await page.getByRole('button', { name: 'I have saved my codes' }).click();
  return secret;
}

/** A fetch from inside the signed-in page, with its CSRF token: resolves to the status and data. */
export async function pageApi(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const session = await (await fetch('/api/auth/check-session')).json();
    const response = await fetch(path, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.data.csrf_token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => null);
    return { status: response.status, data: json && json.data, user: session.data.user.id };
  }, { method, path, body });
}
