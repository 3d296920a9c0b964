// The care link through the screens: a clinician asks to link to a patient,
// the patient accepts and agrees to sharing, after which the patient is on
// the clinician's caseload. Each step takes the page helpers of `openPage`.
import { expectHeading, showScreen } from './harness.mjs';

/** On "Your patients", the clinician asks to link to `username`; `checkAs` runs the screen checks once sent. */
export async function requestLink(clinician, username, { checkAs } = {}) {
  const { page } = clinician;
  await page.getByLabel("Patient's username").fill(username);
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.getByText('Request sent.').waitFor().catch(showScreen(page));
  if (checkAs) await clinician.check(checkAs);
}

/** The patient opens "Your clinicians" and accepts; `checkAs` runs the screen checks on the request first. */
export async function acceptLink(patient, { checkAs } = {}) {
  const { page } = patient;
  await page.getByRole('link', { name: 'Clinicians' }).click();
  await expectHeading(page, /Your clinicians/);
  if (checkAs) await patient.check(checkAs);
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByText('The link has been accepted.').waitFor();
}

/** The patient agrees in Settings to sharing with their clinician: a linked clinician reads the record only while it is in force. */
export async function agreeToSharing(patient) {
  const { page } = patient;
  await page.getByRole('link', { name: 'Settings' }).click();
  await expectHeading(page, /Settings/);
  await page.getByRole('button', { name: 'Agree to sharing with your clinician' }).click();
  await page.getByText('Saved: you have agreed to sharing with your clinician.').waitFor();
}

/** The whole link: the clinician (on "Your patients") asks, the patient accepts and agrees to sharing. */
export async function linkAndShare(clinician, patient, username) {
  await requestLink(clinician, username);
  await acceptLink(patient);
  await agreeToSharing(patient);
}
