// The safety plan: a patient starts from a plan with the crisis services
// filled in, is told plainly about a mistake, saves the plan, changes and saves
// it again, and reads the earlier version. Their linked clinician reads the
// plan on the patient's page and suggests a change; the patient sees what it
// changes, accepts it, and it becomes the next version. When the crisis view
// takes over later, the patient's own plan is part of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, expectHeading, enrol, showScreen } from '../lib/harness.mjs';
import { linkAndShare } from '../lib/care-link.mjs';

const RISKY = "I've saved my tablets and I'm taking them tonight";

const suite = journeySuite({ 'dr.okafor': 'clinician' });

test('a patient saves their safety plan twice and reads the earlier version; a clinician suggests a change the patient accepts', async () => {
  const patient = await suite.open('safety-plan-patient');
  const { page } = patient;
  await registerPatient(page, 'kit', 'Kit');

  await page.getByRole('navigation').getByRole('link', { name: 'Safety plan' }).click();
  await expectHeading(page, /Your safety plan/);
  await page.getByText('You have not saved a plan yet.').waitFor();
  // The crisis services come from the server, already in step 5.
  const services = page.locator('input[id^="plan-professionals_and_services-"]:not([id$="-contact"])');
  assert.ok(await services.count() >= 3, 'crisis services are prefilled');
  const names = await services.evaluateAll((inputs) => inputs.map((input) => input.value));
  assert.ok(names.some((name) => /Samaritans/.test(name)), names.join(', '));
  await page.getByText('There are no earlier versions yet.').waitFor();
  await patient.check('safety-plan-new');

  // A phone number with no name: said in plain words, at the top and by the field.
  await page.locator('#plan-people_to_ask_for_help-0-contact').fill('07700 900123');
  await page.getByRole('button', { name: 'Save my safety plan' }).click();
  const summary = page.locator('.error-summary');
  await summary.getByText('Enter a name for entry 1 in Step 4: People I can ask for help').waitFor();
  await page.waitForFunction(() => document.activeElement.classList.contains('error-summary'));
  await summary.getByRole('link').click();
  await page.waitForFunction(() => document.activeElement.id === 'plan-people_to_ask_for_help-0');
  await patient.check('safety-plan-error');

  await page.keyboard.type('My sister Jo');
  await page.getByLabel('Warning sign 1').fill('Not sleeping and staying in my room');
  await page.getByRole('button', { name: 'Add another warning sign' }).click();
  await page.waitForFunction(() => document.activeElement.id === 'plan-warning_signs-1');
  await page.keyboard.type('Skipping meals');
  await page.getByLabel('Thing I can do 1').fill('A walk round the park with music on');
  await page.getByLabel('Reason 1').fill('My cat, Miso');
  await page.getByRole('button', { name: 'Save my safety plan' }).click();
  await page.getByText('Your safety plan has been saved. This is version 1.').waitFor().catch(showScreen(page));
  await page.getByText(/^Version 1, saved /).waitFor();

  // A second save: a new version; the first stays readable as it was.
  await page.getByRole('button', { name: 'Add another reason' }).click();
  await page.getByLabel('Reason 2').fill('Seeing the sea again');
  await page.getByRole('button', { name: 'Remove Warning sign 2' }).click();
  await page.getByRole('button', { name: 'Save my safety plan' }).click();
  await page.getByText('Your safety plan has been saved. This is version 2.').waitFor();
  assert.equal(await page.getByLabel('Reason 2').inputValue(), 'Seeing the sea again');
  assert.equal(await page.getByLabel('Warning sign 2').count(), 0);
  const versions = page.locator('section', { has: page.getByRole('heading', { name: 'Earlier versions' }) });
  const first = versions.locator('details', { hasText: 'Version 1, saved' });
  await first.waitFor();
  assert.equal(await versions.locator('details').count(), 1);
  await first.locator('summary').click();
  await first.getByText('My cat, Miso').waitFor();
  await first.getByText('Skipping meals').waitFor();
  assert.equal(await first.getByText('Seeing the sea again').count(), 0);
  assert.equal(await first.getByRole('link', { name: '07700 900123' }).getAttribute('href'), 'tel:07700900123');
  await patient.check('safety-plan-versions');

  // The clinician links, reads the plan on the patient's page and suggests a change.
  const clinician = await suite.open('safety-plan-clinician');
  await enrol(clinician, 'dr.okafor', 'safety-plan-clinician');
  await expectHeading(clinician.page, /Your patients/);
  await linkAndShare(clinician, patient, 'kit');
  await clinician.page.goto('/clinician');
  await clinician.page.locator('table.caseload').getByRole('link', { name: 'Kit' }).click();
  await expectHeading(clinician.page, /^Kit$/);
  const section = clinician.page.locator('section', { has: clinician.page.getByRole('heading', { name: 'Safety plan', exact: true }) });
  await section.getByText(/^Version 2, saved /).waitFor().catch(showScreen(clinician.page));
  await section.getByText('Seeing the sea again').waitFor();
  await section.getByText('Suggest a change to this plan').click();
  await section.getByLabel('Thing I can do 1').fill('A walk round the park with music on');
  await section.getByRole('button', { name: 'Add another thing I can do' }).click();
  await section.getByLabel('Thing I can do 2').fill('Cold water on my face and slow breathing');
  await section.getByRole('button', { name: 'Send the suggestion' }).click();
  await section.getByText('Your suggestion has been sent. Kit can accept or decline it.').waitFor();
  await section.getByText(/waiting for the patient to decide/).waitFor();
  await clinician.check('safety-plan-clinician');

  // The patient sees what the suggestion changes, and accepts it.
  await page.getByRole('navigation').getByRole('link', { name: 'Safety plan' }).click();
  await expectHeading(page, /Your safety plan/);
  const proposals = page.locator('section', { has: page.getByRole('heading', { name: 'Changes your clinician suggested' }) });
  await proposals.getByText('This changes: Step 2: Things I can do on my own.').waitFor();
  await patient.check('safety-plan-proposal');
  await proposals.getByRole('button', { name: 'Accept these changes' }).click();
  await page.getByText('You accepted the suggested changes. They are now your plan.').waitFor();
  assert.equal(await page.getByLabel('Thing I can do 2').inputValue(), 'Cold water on my face and slow breathing');
  await page.getByText(/^Version 3, saved /).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Changes your clinician suggested' }).count(), 0);
  await versions.locator('details', { hasText: 'Version 2, saved' }).waitFor();

  // In a crisis, the crisis view shows the plan the patient wrote.
  await page.getByRole('navigation').getByRole('link', { name: 'Journal' }).click();
  await expectHeading(page, /Journal/);
  await page.getByLabel('Write an entry').fill(RISKY);
  await page.getByRole('button', { name: 'Save entry' }).click();
  await expectHeading(page, /You do not have to go through this alone/);
  const own = page.locator('section', { has: page.getByRole('heading', { name: 'Your safety plan' }) });
  await own.getByText('My sister Jo').waitFor();
  await own.getByText('Cold water on my face and slow breathing').waitFor();
  await patient.check('safety-plan-in-crisis');

  await page.getByRole('button', { name: 'Go back to what I was doing' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Safety plan' }).click();
  await expectHeading(page, /Your safety plan/);
  await page.setViewportSize({ width: 360, height: 800 });
  await patient.check('safety-plan-phone');
  await patient.context.close();
  await clinician.context.close();
});
