// Messages with the care team: a patient and their linked clinician write to
// each other both ways; the unread count in the navigation goes up when a
// message arrives and down when it is opened; the patient is told where they
// write that messages are not read around the clock; a risky message brings up
// the crisis view and raises an alert the clinician opens on its own page;
// deleting a conversation (confirmed in a dialog, which Escape closes) hides
// it for the patient only, until the clinician writes again from the
// patient's page; a long conversation loads its earlier messages on request;
// it all fits a 360-pixel phone; and once the link ends the conversation is
// closed and a new message is refused in plain words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, expectHeading, enrol, tabTo, showScreen } from '../lib/harness.mjs';
import { linkAndShare } from '../lib/care-link.mjs';

const RISKY = "I've saved my tablets and I'm taking them tonight";
const FIRST = 'Could we talk about my sleep at the next session?';
const REPLY = 'Yes, of course. Keep a note of how you sleep this week.';

const suite = journeySuite({ 'dr.okafor': 'clinician' });

const nav = (page) => page.getByRole('navigation');
const messagesLink = (page) => nav(page).getByRole('link', { name: /^Messages/ });
const log = (page) => page.getByRole('list', { name: 'Messages, oldest first' });

test('a patient and their clinician write to each other; unread counts, crisis help and delete for oneself', async () => {
  const patient = await suite.open('messages-patient');
  await registerPatient(patient.page, 'kit', 'Kit');
  const clinician = await suite.open('messages-clinician');
  await enrol(clinician, 'dr.okafor', 'messages-clinician');
  await expectHeading(clinician.page, /Your patients/);
  await linkAndShare(clinician, patient, 'kit');

  // The patient's inbox is empty; the notice says messages are not watched all day and night.
  const { page } = patient;
  await messagesLink(page).click();
  await expectHeading(page, /^Messages$/);
  await page.getByText('You have no messages yet.').waitFor();
  await page.getByText(/Messages are not monitored around the clock/).waitFor();
  await patient.check('inbox-empty');

  // A new message: both questions are answered in plain words when left out.
  await page.getByRole('link', { name: 'Write a new message' }).click();
  await expectHeading(page, /^New message$/);
  await page.getByText(/Messages are not monitored around the clock/).waitFor();
  await page.getByRole('button', { name: 'Send message' }).click();
  const summary = page.locator('.error-summary');
  await summary.getByText('Choose who to write to').waitFor();
  await summary.getByText('Write a message to send').waitFor();
  await page.waitForFunction(() => document.activeElement.classList.contains('error-summary'));
  await patient.check('new-missing');
  await page.locator('label[for="to"]').click();
  await page.getByLabel('Your message').fill(FIRST);
  await page.getByRole('button', { name: 'Send message' }).click();
  await expectHeading(page, /^Messages with /).catch(showScreen(page));
  await log(page).locator('li.chat-message--mine', { hasText: FIRST }).waitFor();
  assert.match(await log(page).locator('li').first().textContent(), /Not read yet/);
  await page.getByText(/Messages are not monitored around the clock/).waitFor();
  await patient.check('thread-sent');

  // The clinician's navigation counts the new message; opening it reads it.
  const doctor = clinician.page;
  await doctor.goto('/clinician');
  await expectHeading(doctor, /Your patients/);
  await nav(doctor).getByRole('link', { name: 'Messages (1 unread)' }).waitFor().catch(showScreen(doctor));
  assert.equal(await doctor.locator('.nav-count--calm').textContent(), '1');
  await messagesLink(doctor).click();
  await expectHeading(doctor, /^Messages$/);
  await doctor.getByText('You have 1 unread message.').waitFor();
  // No notice about office hours for a clinician: it is for the patient.
  assert.equal(await doctor.getByText(/not monitored around the clock/).count(), 0);
  const item = doctor.locator('.thread-list li').first();
  await item.getByText('1 unread message').waitFor();
  await clinician.check('inbox-unread');
  await item.getByRole('link', { name: 'Kit' }).click();
  await expectHeading(doctor, /^Messages with Kit$/);
  await log(doctor).locator('li.chat-message--theirs', { hasText: FIRST }).waitFor();
  await doctor.waitForFunction(() => !document.querySelector('.nav-count--calm'));
  await nav(doctor).getByRole('link', { name: 'Messages', exact: true }).waitFor();

  // The clinician replies with the keyboard alone.
  await tabTo(doctor, /^message\|/);
  await doctor.keyboard.type(REPLY);
  await tabTo(doctor, /^\|Send message\|/);
  await doctor.keyboard.press('Enter');
  await log(doctor).locator('li.chat-message--mine', { hasText: REPLY }).waitFor();
  await doctor.getByRole('status').filter({ hasText: 'Message sent.' }).waitFor();
  assert.equal(await doctor.getByLabel('Your reply to Kit').inputValue(), '');
  await clinician.check('thread-replied');

  // The patient sees the reply counted, reads it, and sees their own was read.
  await page.goto('/today');
  await nav(page).getByRole('link', { name: 'Messages (1 unread)' }).waitFor().catch(showScreen(page));
  await messagesLink(page).click();
  await expectHeading(page, /^Messages$/);
  await page.locator('.thread-list li').first().getByText('1 unread message').waitFor();
  await page.locator('.thread-list li').first().getByRole('link').click();
  await expectHeading(page, /^Messages with /);
  await log(page).locator('li.chat-message--theirs', { hasText: REPLY }).waitFor();
  assert.match(await log(page).locator('li.chat-message--mine').textContent(), /Read/);
  assert.doesNotMatch(await log(page).locator('li.chat-message--mine').textContent(), /Not read yet/);
  await page.waitForFunction(() => !document.querySelector('.nav-count--calm'));

  // A risky message: the crisis view takes over at once; back, the message is in the conversation.
  await page.getByLabel(/^Your reply to/).fill(RISKY);
  await page.getByRole('button', { name: 'Send message' }).click();
  await expectHeading(page, /You do not have to go through this alone/);
  assert.ok(await page.locator('a[href="tel:999"]').count() >= 1);
  await patient.check('crisis');
  await page.getByRole('button', { name: 'Go back to what I was doing' }).click();
  await expectHeading(page, /^Messages with /);
  await log(page).locator('li.chat-message--mine', { hasText: RISKY }).waitFor();
  assert.equal(await log(page).locator('li').count(), 3);

  // The clinician has an alert from the message; its own page shows it without the patient's words.
  await doctor.goto('/alerts');
  await expectHeading(doctor, /^Alerts$/);
  const card = doctor.locator('article.alert-card').first();
  await card.getByText('A message to the care team').waitFor().catch(showScreen(doctor));
  await card.getByRole('link', { name: 'Open this alert for Kit' }).click();
  await expectHeading(doctor, /^Alert for Kit$/);
  await doctor.getByRole('link', { name: 'Back to all alerts' }).waitFor();
  assert.ok(!(await doctor.locator('main').textContent()).includes('tablets'));
  assert.equal(await doctor.getByRole('heading', { name: 'AI reply withheld from the patient' }).count(), 0);
  await doctor.getByRole('button', { name: 'Acknowledge for Kit' }).click();
  await doctor.getByText('You have acknowledged the alert for Kit.').waitFor();
  await clinician.check('alert-detail');

  // The patient deletes the conversation for themself: a dialog asks first,
  // Escape closes it and gives focus back, then they confirm.
  const remove = page.getByRole('button', { name: 'Delete this conversation for me' });
  await remove.click();
  const dialog = page.getByRole('dialog', { name: 'Delete this conversation for you?' });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /will still see every message/);
  await patient.check('delete-dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await page.waitForFunction(() => document.activeElement && document.activeElement.textContent.trim() === 'Delete this conversation for me');
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Yes, delete it for me' }).click();
  await expectHeading(page, /^Messages$/);
  await page.getByText(/has been deleted for you\./).waitFor();
  await page.getByText('You have no messages yet.').waitFor();
  await patient.check('inbox-after-delete');

  // The clinician still has every message.
  await doctor.goto('/messages');
  await expectHeading(doctor, /^Messages$/);
  await doctor.locator('.thread-list li').first().getByRole('link', { name: 'Kit' }).click();
  await expectHeading(doctor, /^Messages with Kit$/);
  await log(doctor).locator('li', { hasText: RISKY }).waitFor();
  assert.equal(await log(doctor).locator('li').count(), 3);
  await nav(doctor).getByRole('link', { name: 'Messages', exact: true }).waitFor();

  // The clinician writes again from Kit's page (Kit is chosen already); the
  // message joins the same conversation, which comes back for the patient with
  // only the new message.
  await doctor.goto('/clinician');
  await expectHeading(doctor, /Your patients/);
  await doctor.locator('table.caseload').getByRole('link', { name: 'Kit' }).click();
  await expectHeading(doctor, /^Kit$/);
  await doctor.getByRole('link', { name: 'Send Kit a message' }).click();
  await expectHeading(doctor, /^New message$/);
  assert.equal(await doctor.locator('#to').isChecked(), true);
  await doctor.getByLabel('Your message').fill('I have seen your message and will call you this afternoon.');
  await doctor.getByRole('button', { name: 'Send message' }).click();
  await expectHeading(doctor, /^Messages with Kit$/);
  await log(doctor).locator('li', { hasText: 'call you this afternoon' }).waitFor();
  assert.equal(await log(doctor).locator('li').count(), 4);
  await page.reload();
  await expectHeading(page, /^Messages$/);
  await nav(page).getByRole('link', { name: 'Messages (1 unread)' }).waitFor();
  await page.locator('.thread-list li').first().getByRole('link').click();
  await log(page).locator('li', { hasText: 'call you this afternoon' }).waitFor();
  assert.equal(await log(page).locator('li').count(), 1);

  // A long conversation (more messages through the API): the newest 20 first, the earlier one when asked for.
  const statuses = await page.evaluate(async (thread) => {
    const session = await (await fetch('/api/auth/check-session')).json();
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.data.csrf_token };
    const codes = [];
    for (let index = 1; index <= 20; index += 1) {
      codes.push((await fetch(`/api/messages/threads/${thread}`, { method: 'POST', headers, body: JSON.stringify({ body: `Sleep diary, night ${index}.` }) })).status);
    }
    return codes;
  }, page.url().split('/').pop());
  assert.deepEqual([...new Set(statuses)], [201]);
  await page.reload();
  await expectHeading(page, /^Messages with /);
  await log(page).locator('li', { hasText: 'Sleep diary, night 20.' }).waitFor();
  assert.equal(await log(page).locator('li').count(), 20);
  await page.getByRole('button', { name: 'Show earlier messages' }).click();
  await log(page).locator('li', { hasText: 'call you this afternoon' }).waitFor();
  assert.equal(await log(page).locator('li').count(), 21);
  assert.match(await log(page).locator('li').first().textContent(), /call you this afternoon/);
  assert.equal(await page.getByRole('button', { name: 'Show earlier messages' }).count(), 0);

  // On a phone: the conversation and a new message fit, nothing scrolls sideways.
  await page.setViewportSize({ width: 360, height: 800 });
  await patient.check('thread-phone');
  await page.getByRole('link', { name: 'Back to all messages' }).click();
  await page.getByRole('link', { name: 'Write a new message' }).click();
  await expectHeading(page, /^New message$/);
  await patient.check('new-phone');

  // The patient ends the link: the conversation stays readable, is marked
  // closed, and a new message is refused in plain words.
  await page.setViewportSize({ width: 1280, height: 900 });
  await nav(page).getByRole('link', { name: 'Clinicians' }).click();
  await expectHeading(page, /Your clinicians/);
  await page.getByRole('button', { name: 'End this link' }).click();
  await page.getByText('The link has ended.').waitFor();
  await messagesLink(page).click();
  await expectHeading(page, /^Messages$/);
  await page.getByText('This conversation is closed: you can read it, but not reply.').waitFor();
  await page.locator('.thread-list li').first().getByRole('link').click();
  await expectHeading(page, /^Messages with /);
  await page.getByLabel(/^Your reply to/).fill('Thank you for everything.');
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.locator('.error-summary', { hasText: 'You cannot send messages in this conversation any more.' }).waitFor().catch(showScreen(page));
  assert.equal(await page.getByLabel(/^Your reply to/).inputValue(), 'Thank you for everything.', 'a refused message is not lost');
  await patient.check('thread-closed');
  await patient.context.close();
  await clinician.context.close();
});

test('an admin has no Messages screen', async () => {
  suite.server.createUser('admin.lee', 'admin');
  const admin = await suite.open('messages-admin');
  await enrol(admin, 'admin.lee', 'messages-admin');
  assert.equal(await messagesLink(admin.page).count(), 0);
  await admin.page.goto('/messages');
  await expectHeading(admin.page, /.+/);
  assert.doesNotMatch(await admin.heading(), /^Messages$/);
  await admin.context.close();
});
