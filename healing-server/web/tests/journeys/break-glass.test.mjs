// An admin reads one patient's record with break-glass: from the users screen
// they give a reason in a dialog that says it is recorded and reviewed (a
// reason too short is refused in plain words, by the screen and by the
// server), then read the patient's page with nothing on it that writes, the
// reason sent with every request of that page and nowhere stored. The audit
// log shows each read; leaving the page means giving a reason again. The
// dialog works with the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, expectHeading, enrol, showScreen, expectFocus, pageApi as api } from '../lib/harness.mjs';
import { linkAndShare } from '../lib/care-link.mjs';

const REASON = 'Duty cover: overnight risk alert, no clinician available';
const NOTE = 'Second session. Jo is sleeping better and has started short walks.';

const suite = journeySuite({ 'dr.ahmed': 'clinician', duty: 'admin' });

test('an admin reads a patient\'s record with break-glass: a reason is asked for, sent with every read, recorded, and nothing can be changed', async () => {
  // Jo logs a week of mood and has a linked clinician who opened a course and wrote a note.
  const patient = await suite.open('break-glass-patient');
  await registerPatient(patient.page, 'jo.patel', 'Jo');
  const patientId = (await api(patient.page, 'GET', '/api/auth/check-session')).user;
  for (let back = 6; back >= 0; back -= 1) {
    const day = new Date(Date.now() - back * 86400000).toISOString().slice(0, 10);
    const written = await api(patient.page, 'POST', `/api/patients/${patientId}/moods`, { day, mood: back % 2 ? 6 : 5 });
    assert.equal(written.status, 201);
  }
  const clinician = await suite.open('break-glass-clinician');
  await enrol(clinician, 'dr.ahmed', 'break-glass-clinician');
  await expectHeading(clinician.page, /Your patients/);
  await linkAndShare(clinician, patient, 'jo.patel');
  const base = `/api/clinician/patients/${patientId}`;
  assert.equal((await api(clinician.page, 'POST', `${base}/courses`, { problem_descriptor: 'depression' })).status, 201);
  assert.equal((await api(clinician.page, 'POST', `${base}/notes`, { body: NOTE, raise_alert: false })).status, 201);
  await clinician.context.close();
  await patient.context.close();

  const admin = await suite.open('break-glass');
  const { page } = admin;
  await enrol(admin, 'duty', 'break-glass');
  await expectHeading(page, /Users/);
  // Only patients' rows offer it.
  const open = page.getByRole('button', { name: "Read this patient's record (break-glass) for Jo" });
  await open.waitFor();
  assert.equal(await page.getByRole('button', { name: /Read this patient's record/ }).count(), 1);
  await admin.check('users-break-glass');
  // On a phone the table scrolls inside its frame, not the page.
  await page.setViewportSize({ width: 360, height: 800 });
  await admin.check('users-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // The server alone: no reason, or one too short, is refused.
  for (const headers of [{}, { 'X-Break-Glass-Reason': 'checking' }]) {
    const status = await page.evaluate(async ({ path, headers }) => (await fetch(path, { headers })).status, { path: `${base}/summary`, headers });
    assert.equal(status, 403, `summary with ${JSON.stringify(headers)}`);
  }

  // The dialog, by keyboard: it opens on the reason, Escape closes it and focus returns.
  // Every read of the page has answered first: a late answer re-renders the page,
  // which under a loaded run took focus out of the open dialog.
  await page.waitForLoadState('networkidle');
  await open.focus();
  await page.keyboard.press('Enter');
  const dialog = page.locator('dialog[open]');
  await dialog.waitFor();
  await dialog.getByText('Your reason is recorded in the audit log with your name and the time').waitFor();
  await expectFocus(page, () => document.activeElement.id === 'break_glass_reason', 'the reason field');
  await admin.check('break-glass-dialog');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog[open]'));
  await expectFocus(page, () => /Read this patient's record/.test(document.activeElement.textContent), 'the button that opened the dialog');

  // A reason too short is refused in plain words, by the field and in the summary.
  await page.keyboard.press('Space');
  await dialog.waitFor();
  // Type only once the dialog has put focus in its field (slow under load).
  await expectFocus(page, () => document.activeElement?.closest('dialog[open]') && /^(TEXTAREA|INPUT)$/.test(document.activeElement.tagName), 'the reason field');
  await page.keyboard.type('checking');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await dialog.locator('.error-summary', { hasText: 'Your reason is too short. Write at least 15 characters' }).waitFor();
  assert.match(await dialog.locator('.error-message').textContent(), /too short/);
  // The summary takes focus once it has been drawn (a frame later under load).
  await expectFocus(page, () => document.activeElement?.classList.contains('error-summary'), 'the error summary');
  await admin.check('break-glass-too-short');
  await page.setViewportSize({ width: 360, height: 800 });
  await admin.check('break-glass-too-short-phone');
  await page.setViewportSize({ width: 1280, height: 900 });
  // A character a header cannot carry is named too.
  await dialog.getByLabel('Why do you need to read this record?').fill('Revue médicale urgente du dossier');
  await dialog.getByRole('button', { name: 'Read the record' }).click();
  await dialog.locator('.error-summary', { hasText: 'such as an accented letter' }).waitFor();

  // The record, read-only, with the reason on every request.
  const sent = [];
  page.on('request', (request) => {
    if (/\/api\/(clinician\/)?patients\//.test(request.url())) sent.push({ url: request.url(), reason: request.headers()['x-break-glass-reason'] });
  });
  await dialog.getByLabel('Why do you need to read this record?').fill(REASON);
  await dialog.getByRole('button', { name: 'Read the record' }).click();
  await expectHeading(page, /^Jo$/);
  await page.locator('main .notice q', { hasText: REASON }).waitFor();
  const mood = page.locator('section', { has: page.getByRole('heading', { name: 'Mood', exact: true }) });
  await mood.locator('figcaption', { hasText: 'Mood logged on 7 of the last 28 days.' }).waitFor().catch(showScreen(page));
  await page.getByText(NOTE).waitFor();
  // The note's writer by name.
  await page.locator('article.note', { hasText: NOTE }).getByText(/Written by dr\.ahmed, /).waitFor().catch(showScreen(page));
  await page.getByRole('heading', { name: 'Course of care for depression' }).waitFor().catch(showScreen(page));
  for (const absent of ['Write a note', 'Open a course of care']) assert.equal(await page.getByRole('heading', { name: absent }).count(), 0, absent);
  for (const absent of [/Discharge/, /Download the FHIR record/, /Open the course/, /Record the session/, /Close the course/]) {
    assert.equal(await page.getByRole('button', { name: absent }).count(), 0, String(absent));
  }
  assert.equal(await page.getByText('Amend this note').count(), 0);
  assert.equal(await page.locator('main textarea').count(), 0);
  await admin.check('break-glass-record');
  // Another window is another read, with the reason again.
  await page.getByLabel('Period').selectOption('7');
  // The caption can change before the new window's read goes out: wait for the read.
  const reread = page.waitForRequest((request) => request.url().includes('/summary?days=7'));
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await reread;
  await mood.locator('figcaption', { hasText: 'Mood logged on 7 of the last 7 days.' }).waitFor();
  assert.ok(sent.length >= 4, `requests of the page: ${JSON.stringify(sent)}`);
  for (const request of sent) assert.equal(request.reason, REASON, request.url);
  await page.setViewportSize({ width: 360, height: 800 });
  await admin.check('break-glass-record-phone');
  await page.setViewportSize({ width: 1280, height: 900 });
  // Kept in memory only.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
  assert.ok(!stored.includes('overnight risk alert'), 'the reason is stored in the browser');

  // Each read is in the audit log.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expectHeading(page, /Audit log/);
  await page.locator('main table').waitFor();
  while (await page.getByRole('button', { name: 'Show more entries' }).count()) {
    const rows = await page.locator('main tbody tr').count();
    await page.getByRole('button', { name: 'Show more entries' }).click();
    await page.waitForFunction((before) => document.querySelectorAll('main tbody tr').length > before, rows);
  }
  // One entry for each read the page made; the refused ones are not reads.
  assert.equal(await page.locator('main td', { hasText: /^break_glass$/ }).count(), sent.length);

  // Back to the record: the reason is gone, so it is asked for again.
  await page.goBack();
  await expectHeading(page, /Give a reason to read this record/);
  await admin.check('break-glass-no-reason');
  await page.getByRole('link', { name: 'Back to users' }).click();
  await expectHeading(page, /Users/);
  await admin.context.close();
});
