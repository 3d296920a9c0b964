// Staff: a clinician enrols TOTP (QR drawn locally), signs in with a code and
// sees a linked patient's moods; an unlinked clinician is told plainly they
// cannot open that patient; an admin sees users, the audit chain, health and
// the (empty) alerts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, signIn, expectHeading, totp, enrol } from '../lib/harness.mjs';
import { requestLink, acceptLink, agreeToSharing } from '../lib/care-link.mjs';

const suite = journeySuite({ 'dr.lee': 'clinician', 'dr.other': 'clinician', root: 'admin' });

test('a clinician signs in with TOTP and sees a linked patient; an unlinked one cannot', async () => {
  const patient = await suite.open('staff-patient');
  await registerPatient(patient.page, 'robin', 'Robin');
  await patient.page.locator('label[for="mood-6"]').click();
  await patient.page.getByRole('button', { name: 'Save my mood' }).click();
  await patient.page.getByText('You have recorded your mood today. Thank you.').waitFor();

  const clinician = await suite.open('staff-clinician');
  const { page } = clinician;
  const secret = await enrol(clinician, 'dr.lee', 'clinician');
  await expectHeading(page, /Your patients/);
  await requestLink(clinician, 'robin', { checkAs: 'patients-waiting' });

  await acceptLink(patient, { checkAs: 'link-request' });
  // A linked clinician reads the record only while the patient's consent to
  // sharing is in force.
  await agreeToSharing(patient);

  // Sign out and in again with a code from the app (the next 30 s step: the
  // enrolment code was used once already).
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectHeading(page, /Sign in/);
  await signIn(page, 'dr.lee');
  await expectHeading(page, /Enter your sign-in code/);
  await clinician.check('code-entry');
  await page.getByLabel('Code', { exact: true }).fill(totp(secret, Date.now() + 30000));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectHeading(page, /Your patients/);
  const record = page.locator('table a').first();
  const href = await record.getAttribute('href');
  await record.click();
  await expectHeading(page, /^Robin$/);
  await page.locator('table').getByText('7', { exact: true }).first().waitFor();
  await clinician.check('patient-record');

  const other = await suite.open('staff-unlinked');
  await enrol(other, 'dr.other', 'unlinked');
  await expectHeading(other.page, /Your patients/);
  await other.page.goto(href);
  await expectHeading(other.page, /You cannot see this patient/);
  assert.match(await other.page.locator('main').textContent(), /accepted your link request/);
  other.problems.length = 0;
  await other.check('patient-denied');

  for (const app of [patient, clinician, other]) await app.context.close();
});

test('an admin sees users, changes a role, checks the audit chain, health and alerts', async () => {
  const admin = await suite.open('staff-admin');
  const { page } = admin;
  await enrol(admin, 'root', 'admin');
  await expectHeading(page, /Users/);
  await page.getByRole('cell', { name: 'dr.other', exact: true }).first().waitFor();
  await admin.check('users');
  await page.getByLabel('Role for dr.other').selectOption('patient');
  await page.getByRole('button', { name: 'Change role for dr.other' }).click();
  await page.getByText('dr.other is now: Patient.').waitFor();
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expectHeading(page, /Audit log/);
  await page.getByRole('button', { name: 'Check the chain' }).click();
  await page.getByText(/The chain is intact: \d+ entries checked/).waitFor();
  await admin.check('audit');
  await page.getByRole('link', { name: 'Health' }).click();
  await expectHeading(page, /Health/);
  await page.locator('dd', { hasText: 'sqlite' }).waitFor();
  await admin.check('health');
  // The admin is the duty contact: they have the Alerts screen too.
  await page.getByRole('link', { name: /^Alerts/ }).click();
  await expectHeading(page, /^Alerts$/);
  await page.getByText('There are no alerts.').waitFor();
  assert.match(await page.locator('main').textContent(), /come to you as the duty contact/);
  await admin.check('alerts');
  await admin.context.close();
});
