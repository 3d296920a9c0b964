// The clinician's workspace: a clinician links to a patient who shares their
// records, opens the patient's page from the caseload (mood trend, scores
// against their bands, alerts, consent), opens a course of care, records
// sessions with PHQ-9 and GAD-7 totals, closes the course and reads its NHS
// Talking Therapies outcome, writes a note about risk (shown as information,
// no crisis view), amends it and reads the old version, downloads the FHIR
// record, reads their outcomes and downloads the CSV, and discharges the
// patient through a confirmation dialog. An admin reads the service's
// outcomes. The dialog and the new controls work with the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { journeySuite, registerPatient, expectHeading, enrol, tabTo, showScreen } from '../lib/harness.mjs';
import { linkAndShare } from '../lib/care-link.mjs';

const RISKY_NOTE = 'Jo told me they have been thinking about killing themselves and have saved tablets.';
const FIRST_NOTE = 'First session went well. Jo would like to work on getting out more.';
const AMENDED_NOTE = 'First session went well. Jo would like to work on getting out more, starting with short walks.';

const suite = journeySuite({ 'dr.ahmed': 'clinician', lead: 'admin' });

/** A datetime-local value `days` ago at 10:00, in the browser's time zone. */
function daysAgo(days) {
  const date = new Date(Date.now() - days * 86400000);
  const pad = (value) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T10:00`;
}

test('a clinician works with a linked patient: summary, course, sessions, outcome, notes, FHIR, outcomes, discharge', async () => {
  const patient = await suite.open('workspace-patient');
  await registerPatient(patient.page, 'jo.patel', 'Jo');
  // Twelve days of mood, the last a sharp fall, and two PHQ-9s (through the API).
  const written = await patient.page.evaluate(async () => {
    const session = await (await fetch('/api/auth/check-session')).json();
    const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': session.data.csrf_token };
    const base = `/api/patients/${encodeURIComponent(session.data.user.id)}`;
    const statuses = [];
    const moods = [6, 7, 6, 7, 6, 7, 6, 7, 6, 7, 6, 2];
    for (let index = 0; index < moods.length; index += 1) {
      const day = new Date(Date.now() - (moods.length - 1 - index) * 86400000).toISOString().slice(0, 10);
      statuses.push((await fetch(`${base}/moods`, { method: 'POST', headers, body: JSON.stringify({ day, mood: moods[index], sleep: 5 }) })).status);
    }
    for (const answers of [[2, 2, 2, 2, 2, 1, 1, 1, 0], [1, 1, 1, 1, 0, 0, 0, 0, 0]]) {
      // A second apart, so the two are in a known order.
      await new Promise((resolve) => { setTimeout(resolve, 1100); });
      statuses.push((await fetch(`${base}/assessments`, { method: 'POST', headers, body: JSON.stringify({ instrument_id: 'phq9', answers }) })).status);
    }
    return statuses;
  });
  assert.deepEqual([...new Set(written)], [201]);

  const clinician = await suite.open('workspace-clinician');
  const { page } = clinician;
  await enrol(clinician, 'dr.ahmed', 'workspace-clinician');
  await expectHeading(page, /Your patients/);
  await linkAndShare(clinician, patient, 'jo.patel');

  // The caseload on a phone: each patient a block of labelled lines, nothing sideways.
  await page.goto('/clinician');
  await expectHeading(page, /Your patients/);
  await page.locator('table.caseload').getByRole('link', { name: 'Jo' }).waitFor();
  await page.setViewportSize({ width: 360, height: 800 });
  assert.equal(await page.evaluate(() => document.querySelector('.table-wrap').scrollWidth <= document.querySelector('.table-wrap').clientWidth), true,
    'the caseload table scrolls sideways at 360 px');
  await clinician.check('caseload-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // The patient's page, from the caseload row.
  await page.locator('table.caseload').getByRole('link', { name: 'Jo' }).click();
  await expectHeading(page, /^Jo$/);
  const mood = page.locator('section', { has: page.getByRole('heading', { name: 'Mood', exact: true }) });
  await mood.getByText(/Mood is (improving|steady|worsening): [+−]?[\d.]+ points a week, (low|moderate|high) certainty\./).first().waitFor().catch(showScreen(page));
  await mood.locator('figcaption', { hasText: 'Mood logged on 12 of the last 28 days.' }).waitFor();
  // The last day's fall stands out: in the list, in the table and circled on the chart.
  await mood.getByRole('heading', { name: 'Days that stand out' }).waitFor();
  assert.match(await mood.locator('table').textContent(), /A fall of 4(\.\d)? points from 6/);
  assert.ok(await mood.locator('.chart circle.dot--marked').count() >= 1);
  assert.equal(await mood.locator('.chart circle').count(), 12);
  const scores = page.locator('section', { has: page.getByRole('heading', { name: 'PHQ-9', exact: false, level: 3 }) }).last();
  await scores.locator('figcaption', { hasText: /2 results\. The latest is 4 out of 27/ }).waitFor().catch(showScreen(page));
  assert.ok(await scores.locator('.chart rect.band--0').count() >= 2, 'the PHQ-9 chart shades its bands');
  assert.match(await page.locator('section:has(#patient-consent) dl').first().textContent(), /Sharing with their clinicians\s*Given since/);
  await page.getByText('No alerts are open.').waitFor();
  await clinician.check('patient-page');

  // A shorter window reads the summary again.
  await page.getByLabel('Period').selectOption('7');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await mood.locator('figcaption', { hasText: 'Mood logged on 7 of the last 7 days.' }).waitFor();

  // Open a course: the main problem is required, then decides the paired measure.
  const courses = page.locator('section', { has: page.getByRole('heading', { name: 'Courses of care', level: 2 }) });
  await courses.getByText('No course of care yet.').waitFor();
  await courses.getByRole('button', { name: 'Open the course' }).click();
  await courses.locator('.error-summary', { hasText: "Choose the patient's main problem" }).waitFor();
  await courses.getByLabel("The patient's main problem").selectOption('depression');
  await courses.getByRole('button', { name: 'Open the course' }).click();
  await courses.getByText('The course of care is open.').waitFor();
  await page.waitForFunction(() => document.activeElement.matches('.course h3'));
  const course = courses.locator('article.course').first();
  assert.match(await course.locator('h3').textContent(), /Course of care for depression/);

  // Sessions with PHQ-9 and GAD-7 totals, oldest first.
  for (const [days, phq9, gad7] of [[21, '18', '15'], [14, '12', '10'], [7, '6', '5']]) {
    await course.getByLabel('When was it? (optional)').fill(daysAgo(days));
    await course.getByLabel('PHQ-9 total').fill(phq9);
    await course.getByLabel('GAD-7 total').fill(gad7);
    await course.getByRole('button', { name: 'Record the session' }).click();
    await course.locator('table').getByText(`PHQ-9 ${phq9}, GAD-7 ${gad7}`).waitFor().catch(showScreen(page));
  }
  await course.getByText('The session has been recorded and the outcome updated.').waitFor();
  // A total out of range: the server's refusal, in words, at the top of the form.
  await course.getByLabel('PHQ-9 total').fill('30');
  await course.getByRole('button', { name: 'Record the session' }).click();
  const problem = page.locator('.error-summary', { hasText: 'There is a problem' });
  await problem.waitFor();
  assert.match(await problem.textContent(), /27/);
  await clinician.check('course-sessions');
  await course.getByLabel('PHQ-9 total').fill('');
  await course.getByRole('heading', { name: 'Talking Therapies outcome so far' }).waitFor();
  assert.match(await course.locator('.outcome').textContent(), /Reliably recovered/);

  // Close the course: its outcome is final, with each finding's reasoning.
  await course.getByLabel('How the course ended').selectOption('finished_treatment');
  await course.getByRole('button', { name: 'Close the course' }).click();
  await course.getByText('The course of care has been closed.').waitFor();
  await course.getByRole('heading', { name: 'Talking Therapies outcome', exact: true }).waitFor();
  const outcome = await course.locator('.outcome').textContent();
  assert.match(outcome, /Measured/);
  assert.match(outcome, /RecoveryRecovered\. \S/);
  assert.match(outcome, /Reliable changeReliable improvement\. \S/);
  assert.match(outcome, /first 18, last 6 \(change -12\)/);
  assert.match(await course.textContent(), /closed .*: finished treatment/);
  assert.equal(await course.getByRole('button', { name: 'Record the session' }).count(), 0);
  await clinician.check('course-closed');

  // A note about risk: screening's finding is information for the clinician, not a crisis view.
  const notes = page.locator('section', { has: page.getByRole('heading', { name: 'Clinical notes', level: 2 }) });
  const writeNote = notes.locator('form').first();
  await notes.getByRole('button', { name: 'Save the note' }).click();
  await notes.locator('.error-summary', { hasText: 'Write the note before you save it' }).waitFor();
  await writeNote.getByLabel('Note', { exact: true }).fill(RISKY_NOTE);
  await notes.getByRole('button', { name: 'Save the note' }).click();
  await notes.getByText('The note has been saved.').waitFor();
  await notes.getByText(/Screening found (high|critical) risk in this note\. No alert was raised, because you did not ask for one\./).waitFor();
  await expectHeading(page, /^Jo$/);
  assert.equal(await page.getByRole('heading', { name: 'You do not have to go through this alone' }).count(), 0);
  // The same note with "raise an alert" ticked raises one.
  await writeNote.getByLabel('Note', { exact: true }).fill(RISKY_NOTE);
  await writeNote.getByLabel('Raise an alert if this note records risk').check();
  await notes.getByRole('button', { name: 'Save the note' }).click();
  await notes.getByText("An alert has been raised for the patient's care team.").waitFor();
  // The page's own alerts and the navigation's count show it at once.
  await page.locator('.nav-count').waitFor();
  await page.getByText('1 alert is not yet resolved.').waitFor();
  // A plain note about the first session, then amended: the old version is kept.
  await writeNote.getByLabel('About a session (optional)').selectOption({ index: 3 });
  await writeNote.getByLabel('Note', { exact: true }).fill(FIRST_NOTE);
  await notes.getByRole('button', { name: 'Save the note' }).click();
  await notes.getByText('The note has been saved.').waitFor();
  // Notes written in the same second have no order between them: find this one by its words.
  const note = notes.locator('article.note', { has: page.locator('p.note-body', { hasText: FIRST_NOTE }) });
  await note.waitFor();
  assert.match(await note.textContent(), /About: Session of .* \(Treatment\)/);
  await clinician.check('notes');
  // The amendment form opens from its <details> with the keyboard.
  await note.locator('h3').focus();
  await tabTo(page, /^\|Amend this note\|/);
  await page.keyboard.press('Enter');
  await note.getByLabel('Amended note').fill(AMENDED_NOTE);
  await note.getByRole('button', { name: 'Save the amendment' }).click();
  const amended = notes.locator('article.note', { has: page.locator('p.note-body', { hasText: AMENDED_NOTE }) });
  await amended.getByText('The amendment has been saved as a new version.').waitFor();
  await page.waitForFunction(() => document.activeElement.matches('article.note h3'));
  assert.match(await amended.textContent(), /Version 2, amended by you/);
  assert.equal(await amended.locator('.note-body').first().textContent(), AMENDED_NOTE);
  await amended.getByText('See the earlier version').click();
  await amended.locator('details .note-body', { hasText: FIRST_NOTE }).waitFor();
  assert.match(await amended.locator('details').first().textContent(), /Version 1: Written by you/);
  await clinician.check('note-amended');

  // The FHIR record for the EHR, saved as a file.
  const fhirDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the FHIR record for the health record' }).click();
  const fhir = JSON.parse(readFileSync(await (await fhirDownload).path(), 'utf8'));
  assert.equal(fhir.resourceType, 'Bundle');
  assert.ok(fhir.entry.some((entry) => entry.resource.resourceType === 'Patient'));
  await page.getByText('The FHIR record has started downloading.').waitFor();

  // The whole page on a phone.
  await page.setViewportSize({ width: 360, height: 800 });
  await clinician.check('patient-page-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Their own outcomes: the closed course counts, and the CSV says the same.
  await page.getByRole('navigation').getByRole('link', { name: 'Outcomes' }).click();
  await expectHeading(page, /Your outcomes/);
  const recovery = page.getByRole('row', { name: /^Recovery/ });
  await recovery.waitFor().catch(showScreen(page));
  assert.match(await recovery.textContent(), /11100%/);
  await clinician.check('outcomes');
  const csvDownload = page.waitForEvent('download');
  await page.locator('main h1').focus();
  await tabTo(page, /^\|Download as CSV\|/);
  await page.keyboard.press('Enter');
  const csv = readFileSync(await (await csvDownload).path(), 'utf8');
  assert.match(csv, /^measure,count,denominator,percent\n/);
  assert.match(csv, /\nrecovery,1,1,100\.0\n/);
  await page.getByText('The CSV file has started downloading.').waitFor();

  // Back to Jo: a second course is open when they are discharged, by keyboard.
  await page.goBack();
  await expectHeading(page, /^Jo$/);
  await courses.getByLabel("The patient's main problem").selectOption('social_anxiety');
  await courses.getByRole('button', { name: 'Open the course' }).click();
  await courses.getByText('The course of care is open.').waitFor();
  // The anxiety measure this problem pairs with the PHQ-9 has its own field.
  await courses.locator('article.course').first().getByLabel('SPIN total').waitFor();
  await page.locator('main h1').focus();
  await tabTo(page, /^\|Discharge\|/);
  await page.keyboard.press('Enter');
  const dialog = page.locator('dialog[open]');
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'discharge_reason');
  await clinician.check('discharge-dialog');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog[open]'));
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Discharge');
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await tabTo(page, /Discharge the patient/);
  await page.keyboard.press('Enter');
  await dialog.locator('.error-summary', { hasText: 'Enter the reason for discharge' }).waitFor();
  await dialog.getByLabel('Reason for discharge').fill('Jo has moved to another area and is registered with a new service.');
  await dialog.getByLabel('How the course of care ended').selectOption('referred_on');
  await dialog.getByRole('button', { name: 'Discharge the patient' }).click();
  await expectHeading(page, /Jo has been discharged/);
  await page.getByText('Your course of care with them has been closed: referred on.').waitFor();
  await clinician.check('discharged');
  await page.getByRole('link', { name: 'Back to your patients' }).click();
  await expectHeading(page, /Your patients/);
  await page.getByText(/No patients are on your caseload yet/).waitFor();

  for (const app of [patient, clinician]) await app.context.close();
});

test('an admin reads the service outcomes and downloads the CSV', async () => {
  const admin = await suite.open('workspace-admin');
  const { page } = admin;
  await enrol(admin, 'lead', 'workspace-admin');
  await expectHeading(page, /Users/);
  await page.getByRole('navigation').getByRole('link', { name: 'Outcomes' }).click();
  await expectHeading(page, /Service outcomes/);
  const recovery = page.getByRole('row', { name: /^Recovery/ });
  await recovery.waitFor();
  assert.match(await recovery.textContent(), /11100%/);
  // The course closed at discharge had no sessions: it is left out, with the reason.
  await page.getByRole('cell', { name: /Of every rate: not a finished course of treatment/ }).waitFor();
  await admin.check('service-outcomes');
  // A period that ends before it starts is refused in plain words.
  await page.getByLabel('From', { exact: true }).fill('2026-06-01');
  await page.getByLabel('To', { exact: true }).fill('2026-01-01');
  await page.getByRole('button', { name: 'Show outcomes' }).click();
  await page.locator('.error-summary', { hasText: 'The first day must be on or before the last day' }).waitFor();
  await page.getByLabel('From', { exact: true }).fill('2020-01-01');
  await page.getByLabel('To', { exact: true }).fill('2020-12-31');
  await page.getByRole('button', { name: 'Show outcomes' }).click();
  await page.getByText('No course was left out.').waitFor();
  assert.match(await page.getByRole('row', { name: /^Recovery/ }).textContent(), /No courses to count/);
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download as CSV' }).click();
  const download = await csvDownload;
  assert.equal(download.suggestedFilename(), 'outcomes-2020-01-01-to-2020-12-31.csv');
  assert.match(readFileSync(await download.path(), 'utf8'), /\ncourses_ended,0,,\n/);
  await page.setViewportSize({ width: 360, height: 800 });
  await admin.check('service-outcomes-phone');
  await admin.context.close();
});
