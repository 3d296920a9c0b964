// Alerts: a linked patient writes a risky mood note; their clinician sees the
// alert on their home, at the top of their caseload and counted in the navigation, acknowledges it (by
// keyboard), is told plainly to say what they did before resolving, resolves
// it, and the list shows each new state. A second tab that acts on a stale
// list is told in plain words; more than 20 alerts page. A patient has no
// Alerts screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, expectHeading, enrol } from '../lib/harness.mjs';
import { linkAndShare } from '../lib/care-link.mjs';

const RISKY = "I've saved my tablets and I'm taking them tonight";
const ACTION = 'Phoned Ash, who is safe at home with their sister. Agreed the safety plan and a visit tomorrow.';

const suite = journeySuite({ 'dr.shah': 'clinician' });

/** The navigation's Alerts link (its name carries the open count). */
const alertsLink = (page) => page.getByRole('navigation').getByRole('link', { name: /^Alerts/ });

test('a clinician acknowledges and resolves a linked patient\'s alert; a patient has no Alerts screen', async () => {
  const patient = await suite.open('alerts-patient');
  await registerPatient(patient.page, 'ash', 'Ash');

  const clinician = await suite.open('alerts-clinician');
  const { page } = clinician;
  await enrol(clinician, 'dr.shah', 'alerts-clinician');
  await expectHeading(page, /Your patients/);
  // No alerts yet: no count, no summary on the home, and the empty state says so.
  assert.equal(await page.locator('.nav-count').count(), 0);
  assert.equal(await page.getByRole('heading', { name: 'Open alerts' }).count(), 0);
  await alertsLink(page).click();
  await expectHeading(page, /^Alerts$/);
  await page.getByText('There are no alerts.').waitFor();
  await clinician.check('empty');

  // The clinician asks to link; the patient accepts and agrees to share their
  // records, so they are on the clinician's caseload.
  await page.getByRole('link', { name: 'Patients' }).click();
  await expectHeading(page, /Your patients/);
  await linkAndShare(clinician, patient, 'ash');

  // The patient writes a risky mood note: the crisis view takes over.
  await patient.page.getByRole('link', { name: 'Mood', exact: true }).click();
  await expectHeading(patient.page, /^Mood$/).catch(async (error) => {
    throw new Error(`${error.message}\nscreen: ${await patient.page.locator('body').innerText()}`);
  });
  await patient.page.locator('label[for="mood-1"]').click();
  await patient.page.getByLabel('Anything you want to note? (optional)').fill(RISKY);
  await patient.page.getByRole('button', { name: 'Save my mood' }).click();
  await expectHeading(patient.page, /You do not have to go through this alone/);

  // The clinician opens the app: their home shows the open alert at the top,
  // and the navigation counts it.
  await page.goto('/clinician');
  await expectHeading(page, /Your patients/);
  const summary = page.locator('section', { has: page.getByRole('heading', { name: 'Open alerts' }) });
  await summary.getByText('1 alert is open.').waitFor().catch(async (error) => {
    throw new Error(`${error.message}\nscreen: ${await page.locator('body').innerText()}`);
  });
  assert.match(await summary.textContent(), /The most serious is (critical|high) risk\./);
  await page.locator('.nav-count', { hasText: '1' }).waitFor();
  await page.getByRole('link', { name: 'Alerts (1 open)' }).waitFor();
  // The caseload puts Ash first, with the open alert as the reason.
  const first = page.locator('table.caseload tbody tr').first();
  await first.getByRole('link', { name: 'Ash' }).waitFor();
  assert.match(await first.textContent(), /1 (critical|high)/);
  await clinician.check('home-open-alert');

  // A second tab holds the list as it is now, to act on it once it is stale.
  const stale = await clinician.context.newPage();
  await stale.goto('/alerts');
  await expectHeading(stale, /^Alerts$/);
  await stale.getByRole('button', { name: 'Acknowledge for Ash' }).waitFor();

  await summary.getByRole('link', { name: 'See your alerts' }).click();
  await expectHeading(page, /^Alerts$/);
  const card = page.locator('article.alert-card').first();
  await card.getByText('Open: nobody has acknowledged it yet').waitFor();
  const cardText = await card.textContent();
  assert.match(cardText, /^Ash/);
  assert.match(cardText, /(Critical|High) risk/);
  assert.match(cardText, /A mood note/);
  assert.match(cardText, /Suicide|Self-harm/);
  assert.match(cardText, /(now|ago) \(\w+day,? \d+ \w+ \d{4}/);
  // The patient's words are never on the clinician's list.
  assert.ok(!cardText.includes('tablets'));
  await page.getByText('1 alert is open.').waitFor();
  await clinician.check('open');

  // Resolving needs words: the problem is summarised at the top and focused.
  await card.getByRole('button', { name: 'Resolve for Ash' }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').textContent(), /Enter what you did about this alert/);
  await page.waitForFunction(() => document.activeElement.classList.contains('error-summary'));
  assert.match(await card.locator('.error-message').textContent(), /Enter what you did about this alert/);
  await clinician.check('resolve-missing');

  // Acknowledge with the keyboard: the card changes in place, focus stays on it.
  await card.getByRole('button', { name: 'Acknowledge for Ash' }).focus();
  await page.keyboard.press('Enter');
  await card.getByText('You have acknowledged the alert for Ash.').waitFor();
  await card.getByText('Acknowledged: someone has taken it').waitFor();
  assert.match(await card.textContent(), /AcknowledgedBy you, (now|\d+ seconds? ago)/);
  assert.equal(await card.getByRole('button', { name: /^Acknowledge/ }).count(), 0);
  await page.waitForFunction(() => document.activeElement.matches('article.alert-card h3'));
  await page.getByText('No alerts are open.').waitFor();
  assert.equal(await page.locator('.nav-count').count(), 0);
  await clinician.check('acknowledged');

  // The stale tab acknowledges too: told plainly, and its list catches up.
  await stale.getByRole('button', { name: 'Acknowledge for Ash' }).click();
  await stale.locator('.error-summary', { hasText: 'Someone else has acted on this alert' }).waitFor();
  await stale.getByText('Acknowledged: someone has taken it').waitFor();
  await stale.close();

  await card.getByLabel(/^What did you do\?/).fill(ACTION);
  await card.getByRole('button', { name: 'Resolve for Ash' }).click();
  await card.getByText('You have resolved the alert for Ash.').waitFor();
  const resolved = await card.textContent();
  assert.match(resolved, /Resolved/);
  assert.match(resolved, /What was done/);
  assert.ok(resolved.includes(ACTION));
  assert.equal(await card.locator('form').count(), 0);
  assert.equal(await page.locator('.error-summary').count(), 0);
  await page.waitForFunction(() => document.activeElement.matches('article.alert-card h3'));
  await clinician.check('resolved');
  // On a phone: the same list, nothing scrolls sideways.
  await page.setViewportSize({ width: 360, height: 800 });
  await clinician.check('resolved-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // A reload reads the same states back from the server.
  await page.reload();
  await expectHeading(page, /^Alerts$/);
  await page.locator('article.alert-card').first().getByText(ACTION).waitFor();
  await page.getByRole('link', { name: 'Patients' }).click();
  await expectHeading(page, /Your patients/);
  assert.equal(await page.getByRole('heading', { name: 'Open alerts' }).count(), 0);

  // Twenty-one more risky notes (through the API): the list pages by 20.
  const written = await patient.page.evaluate(async (note) => {
    const session = await (await fetch('/api/auth/check-session')).json();
    const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': session.data.csrf_token };
    const path = `/api/patients/${encodeURIComponent(session.data.user.id)}/moods`;
    const statuses = [];
    for (let index = 0; index < 21; index += 1) {
      statuses.push((await fetch(path, { method: 'POST', headers, body: JSON.stringify({ mood: 1, note }) })).status);
    }
    return statuses;
  }, RISKY);
  assert.deepEqual([...new Set(written)], [201]);
  await page.getByRole('link', { name: /^Alerts/ }).click();
  await expectHeading(page, /^Alerts$/);
  await page.getByText('21 alerts are open.').waitFor();
  await page.getByRole('heading', { name: 'Alerts 1 to 20, open first' }).waitFor();
  assert.equal(await page.locator('article.alert-card').count(), 20);
  assert.equal(await page.locator('.nav-count').textContent(), '21');
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByRole('heading', { name: 'Alerts 21 to 22, open first' }).waitFor();
  await page.getByText('Page 2').waitFor();
  assert.equal(await page.locator('article.alert-card').count(), 2);
  // Resolved last: the alert resolved above ends the list.
  await page.locator('article.alert-card').last().getByText(ACTION).waitFor();
  await clinician.check('page-two');
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.getByRole('heading', { name: 'Alerts 1 to 20, open first' }).waitFor();

  // The patient has no Alerts link, and the URL shows the "not for your account" screen.
  await patient.page.getByRole('button', { name: 'Go back to what I was doing' }).click();
  assert.equal(await patient.page.getByRole('navigation').getByRole('link', { name: /Alerts/ }).count(), 0);
  await patient.page.goto('/alerts');
  await expectHeading(patient.page, /This page is not for your account/);
  await patient.check('alerts-not-for-patients');

  for (const app of [patient, clinician]) await app.context.close();
});
