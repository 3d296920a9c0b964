// Admin: installed plugins. The hostile risk rule and CBT tool fixtures are
// installed with `healing-server plugin install` before the server starts; an
// admin sees them working, a patient's writing makes both fail until the
// server disables them, the admin sees that in words (a disabled risk rule
// screens everything as high risk), a failed request is said in plain words,
// and "Enable again" (confirmed) puts the rule back: the patient's next note
// reads as it should. A server with no plugin says none is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { journeySuite, binary, repoRoot, registerPatient, expectHeading, expectFocus, enrol } from '../lib/harness.mjs';

const fixtures = path.join(repoRoot, 'plugins/healing-plugins/tests/fixtures');

/** Installs the hostile fixtures into a folder of their own; the server's plugin variables. */
function installHostilePlugins() {
  const dir = mkdtempSync(path.join(tmpdir(), 'healing-web-plugins-'));
  const env = {
    PATH: process.env.PATH,
    HEALING_DATA_DIR: path.join(dir, 'data'),
    HEALING_PLUGIN_DIR: path.join(dir, 'plugins'),
    HEALING_PLUGIN_KEY_FILE: path.join(dir, 'plugin-artifact.key'),
    HEALING_LOG: 'warn',
  };
  for (const name of ['hostile_rule', 'hostile_tool']) {
    execFileSync(binary, ['plugin', 'install', path.join(fixtures, `${name}.wasm`)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return { HEALING_PLUGIN_DIR: env.HEALING_PLUGIN_DIR, HEALING_PLUGIN_KEY_FILE: env.HEALING_PLUGIN_KEY_FILE };
}

const suite = journeySuite({ root: 'admin' }, { env: installHostilePlugins });
const bare = journeySuite({ keeper: 'admin' });

/**
 * What the patient's own app would send: each request from the signed-in
 * page with its CSRF token. Returns each answer's JSON.
 */
async function asPatient(page, requests) {
  return page.evaluate(async (list) => {
    const session = await (await fetch('/api/auth/check-session')).json();
    const headers = { 'content-type': 'application/json', 'x-csrf-token': session.data.csrf_token };
    const answers = [];
    for (const [url, body] of list) {
      const response = await fetch(url.replace('{me}', session.data.user.id), { method: 'POST', headers, body: JSON.stringify(body) });
      answers.push({ status: response.status, json: await response.json() });
    }
    return answers;
  }, requests);
}

test('an admin sees a failing risk rule disabled, in words, and enables it again', async () => {
  const admin = await suite.open('plugins-admin');
  const { page } = admin;
  await enrol(admin, 'root', 'plugins-admin');
  await expectHeading(page, /Users/);
  await page.getByRole('navigation').getByRole('link', { name: 'Plugins' }).click();
  await expectHeading(page, /^Plugins$/);
  const table = page.getByRole('table', { name: 'Installed plugins' });
  await table.getByText('Hostile rule (test fixture)').waitFor();
  assert.equal(await table.getByText('Working', { exact: true }).count(), 2);
  assert.match(await page.locator('main').innerText(), /Each server process runs its own copy/);
  const rulesVersion = await page.locator('dd code').innerText();
  assert.match(rulesVersion, /\+plugin\/hostile-rule@0\.1\.0$/);
  assert.equal(await page.getByRole('button', { name: /Enable again/ }).count(), 0);
  await admin.check('plugins-working');

  // A patient writes three notes the rule traps on, and tries the tool three
  // times with input it traps on: the server disables both.
  const patient = await suite.open('plugins-patient');
  await registerPatient(patient.page, 'quinn', 'Quinn');
  const failures = await asPatient(patient.page, [
    ...Array(3).fill(['/api/patients/{me}/moods', { mood: 5, note: 'trap' }]),
    ...Array(3).fill(['/api/patients/{me}/tools/hostile-tool/runs', { input: { do: 'trap' } }]),
  ]);
  assert.deepEqual(failures.map((answer) => answer.status), [201, 201, 201, 502, 502, 502]);
  assert.deepEqual(failures.slice(0, 3).map((answer) => answer.json.data.safety.level), ['high', 'high', 'high']);

  await page.reload();
  await expectHeading(page, /^Plugins$/);
  const warning = page.getByRole('alert');
  await warning.getByText(/A risk rule is disabled/).waitFor();
  assert.equal(await table.getByText('Disabled after failing repeatedly').count(), 2);
  await table.getByText('Screens every message as high risk until re-enabled.').waitFor();
  await table.getByText('Patients cannot use this tool until it is enabled again.').waitFor();
  // Each says why in the host's own words (never what the plugin returned).
  const reasons = table.getByText(/disabled after 3 consecutive failures; the last was: it trapped/);
  await reasons.first().waitFor();
  assert.equal(await reasons.count(), 2);
  await admin.check('plugins-disabled');

  // The confirmation says what enabling does, and that it is this process only.
  await page.getByRole('button', { name: 'Enable again “Hostile rule (test fixture)”' }).click();
  const dialog = page.getByRole('dialog', { name: 'Enable “Hostile rule (test fixture)” again?' });
  await dialog.getByText(/in the server process that answers only/).waitFor();
  await admin.check('plugins-confirm');

  // The request fails on the way: said in plain words, nothing changed.
  await page.route('**/api/admin/plugins/*/enable', (route) => route.abort());
  await dialog.getByRole('button', { name: 'Enable again' }).click();
  await dialog.getByText(/We could not reach Healing/).waitFor();
  await expectFocus(page, () => document.activeElement.classList.contains('error-summary'), 'the error summary');
  await page.unroute('**/api/admin/plugins/*/enable');
  admin.problems.length = 0;
  await admin.check('plugins-enable-failed');

  await dialog.getByRole('button', { name: 'Enable again' }).click();
  await page.getByText('“Hostile rule (test fixture)” is enabled again in this server process.').waitFor();
  await expectFocus(page, () => document.activeElement.classList.contains('notice'), 'the notice');
  await page.getByRole('alert').waitFor({ state: 'detached' });
  assert.equal(await table.getByText('Disabled after failing repeatedly').count(), 1, 'the tool is still disabled');
  await admin.check('plugins-enabled-again');

  // The rule screens again: an ordinary note reads low, not high.
  const [calm] = await asPatient(patient.page, [['/api/patients/{me}/moods', { mood: 6, note: 'a quiet walk by the river' }]]);
  assert.equal(calm.status, 201);
  assert.equal(calm.json.data.safety.level, 'low');

  // On a 360-pixel phone the page (with a long rules version and reason) does not scroll sideways.
  await page.setViewportSize({ width: 360, height: 780 });
  await admin.check('plugins-phone');

  for (const app of [admin, patient]) await app.context.close();
});

test('with no plugin installed the page says so', async () => {
  const admin = await bare.open('plugins-none');
  const { page } = admin;
  await enrol(admin, 'keeper', 'plugins-none');
  await expectHeading(page, /Users/);
  await page.goto('/admin/plugins');
  await expectHeading(page, /^Plugins$/);
  await page.getByText(/No plugins are installed/).waitFor();
  assert.equal(await page.getByRole('table').count(), 0);
  assert.doesNotMatch(await page.locator('dd code').innerText(), /plugin\//);
  await admin.check('plugins-none');
  await admin.context.close();
});
