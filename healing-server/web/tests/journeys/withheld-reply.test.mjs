// A withheld AI reply: the server talks to an AI model (a real loopback
// server speaking the chat-completions API) whose reply screening reads as
// critical, so the patient never sees it and an alert is raised. The linked
// clinician opens the alert from the list and reads the reply on the alert's
// own page, marked plainly as the AI model's words withheld from the patient;
// the list itself never shows it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { journeySuite, registerPatient, expectHeading, enrol, showScreen } from '../lib/harness.mjs';
import { linkAndShare } from '../lib/care-link.mjs';

// What the model answers, every time: screening withholds it.
const MODEL_REPLY = "I've saved up my pills and I'm taking them tonight";

/** An OpenAI-compatible chat-completions server on loopback that always gives MODEL_REPLY. */
function startModel() {
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => { text += chunk; });
    request.on('end', () => {
      let body = {};
      try {
        body = JSON.parse(text);
      } catch {
        body = {};
      }
      if (request.method !== 'POST' || !request.url.endsWith('/chat/completions')) {
        response.writeHead(404).end();
        return;
      }
      if (body.stream) {
        response.writeHead(200, { 'Content-Type': 'text/event-stream' });
        response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { role: 'assistant' } }] })}\n\n`);
        response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: MODEL_REPLY } }] })}\n\n`);
        response.end('data: [DONE]\n\n');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: MODEL_REPLY }, finish_reason: 'stop' }] }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Started just before the server, which is told where it is.
let model;
const suite = journeySuite({ 'dr.ames': 'clinician' }, {
  env: async () => {
    model = await startModel();
    return {
      HEALING_LLM_BASE_URL: `http://127.0.0.1:${model.address().port}/v1`,
      HEALING_LLM_API_KEY: 'loopback-test-key',
      HEALING_LLM_MODEL: 'test-model',
    };
  },
});
after(() => new Promise((resolve) => (model ? model.close(resolve) : resolve())));

test('a clinician opens an alert and reads the AI reply that was withheld from the patient', async () => {
  const patient = await suite.open('withheld-patient');
  await registerPatient(patient.page, 'bea', 'Bea');
  const clinician = await suite.open('withheld-clinician');
  await enrol(clinician, 'dr.ames', 'withheld-clinician');
  await expectHeading(clinician.page, /Your patients/);
  await linkAndShare(clinician, patient, 'bea');

  // The patient agrees to AI chat and writes; the model's reply is withheld.
  const { page } = patient;
  await page.getByRole('button', { name: 'Agree to AI chat' }).click();
  await page.getByText('Saved: you have agreed to AI chat.').waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'Companion' }).click();
  await expectHeading(page, /^Companion$/);
  await page.getByLabel('Your message').fill('What should I do tonight?');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('li.chat-message--offline').waitFor().catch(showScreen(page));
  assert.ok(!(await page.locator('body').textContent()).includes('saved up my pills'), 'the patient never sees the withheld reply');

  // The clinician's list names the alert without the reply, and links to it.
  const doctor = clinician.page;
  await doctor.goto('/alerts');
  await expectHeading(doctor, /^Alerts$/);
  const card = doctor.locator('article.alert-card').first();
  await card.getByText('An AI companion reply that was withheld').waitFor().catch(showScreen(doctor));
  assert.ok(!(await doctor.locator('main').textContent()).includes('saved up my pills'), 'the list never shows the reply');
  await card.getByRole('link', { name: 'Open this alert for Bea and read the withheld AI reply' }).click();
  await expectHeading(doctor, /^Alert for Bea$/);
  const withheld = doctor.locator('section.withheld-reply');
  await withheld.getByRole('heading', { name: 'AI reply withheld from the patient' }).waitFor();
  assert.match(await withheld.textContent(), /These are the AI model's words, not the patient's\./);
  assert.equal((await withheld.locator('blockquote').textContent()).trim(), MODEL_REPLY);
  await clinician.check('alert-withheld');

  // Resolving on the alert's page keeps the reply on screen.
  await doctor.getByLabel(/^What did you do\?/).fill('Read the withheld reply; called Bea, who is safe.');
  await doctor.getByRole('button', { name: 'Resolve for Bea' }).click();
  await doctor.getByText('You have resolved the alert for Bea.').waitFor();
  assert.equal((await withheld.locator('blockquote').textContent()).trim(), MODEL_REPLY);
  await doctor.setViewportSize({ width: 360, height: 800 });
  await clinician.check('alert-withheld-phone');
  await patient.context.close();
  await clinician.context.close();
});
