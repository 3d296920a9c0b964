// Notifications and preferences. A patient hears of a message from their
// clinician in the navigation (a count in the calm colour, not the red of
// risk), opens the list (unread said in words) and opens the notification (it
// is marked read and the conversation opens); a clinician hears of a risky
// message and the alert it raised, opens the alert from the list and marks the
// rest read with the keyboard; more than a page of notifications comes a page
// at a time, newest first, and the patient marks them all read on a phone. In
// Settings a person chooses which notifications also come by email and when
// appointment reminders come (refused in words when the hours are not a whole
// number in range, or when the save cannot reach the server), saved with a
// confirmation and shown again after a reload; the colours they choose are
// saved on their account and follow them to another device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, signIn, expectHeading, enrol, tabTo, showScreen, expectFocus, pageApi as api } from '../lib/harness.mjs';
import { linkAndShare } from '../lib/care-link.mjs';

const RISKY = "I've saved my tablets and I'm taking them tonight";

const suite = journeySuite({ 'dr.adeyemi': 'clinician' });

const nav = (page) => page.getByRole('navigation', { name: 'Main' });
const notificationsLink = (page) => nav(page).getByRole('link', { name: /^Notifications/ });
const list = (page) => page.getByRole('list', { name: /^Notifications \d+ to \d+ of \d+/ });

test('a patient and a clinician hear of what happened, open it, and mark everything read', async () => {
  const patient = await suite.open('notifications-patient');
  await registerPatient(patient.page, 'mo.ali', 'Mo');
  const clinician = await suite.open('notifications-clinician');
  await enrol(clinician, 'dr.adeyemi', 'notifications-clinician');
  await expectHeading(clinician.page, /Your patients/);
  await linkAndShare(clinician, patient, 'mo.ali');

  // Nothing yet: the list says so, with nothing to mark.
  const { page } = patient;
  await notificationsLink(page).click();
  await expectHeading(page, /^Notifications$/);
  await page.getByText(/^You have no notifications\./).waitFor();
  await page.getByText('You have no unread notifications.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Mark all as read' }).count(), 0);
  await patient.check('empty');

  // The clinician writes to Mo: Mo's navigation counts it, in the calm colour.
  const doctor = clinician.page;
  const moId = (await api(page, 'GET', '/api/auth/check-session')).user;
  const sent = await api(doctor, 'POST', '/api/messages', { to: moId, body: 'How did the walk go this week?' });
  assert.equal(sent.status, 201);
  const threadId = sent.data.thread_id;
  // (A count is read again at most every 30 seconds while moving between screens; opening the app reads it.)
  await page.goto('/today');
  await expectHeading(page, /Hello, Mo/);
  await nav(page).getByRole('link', { name: 'Notifications (1 unread)' }).waitFor().catch(showScreen(page));
  const badge = page.locator('.notification-count');
  assert.equal(await badge.textContent(), '1');
  const colours = await badge.evaluate((element) => {
    const style = getComputedStyle(document.documentElement);
    return { badge: getComputedStyle(element).backgroundColor, probe: style.getPropertyValue('--risk-critical').trim() };
  });
  const risk = await page.evaluate((value) => {
    const probe = document.createElement('span');
    probe.style.backgroundColor = value;
    document.body.append(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  }, colours.probe);
  assert.notEqual(colours.badge, risk, 'the notification count is not in the colour of risk');

  // The list: the message, unread in words; opening it reads it and opens the conversation.
  await notificationsLink(page).click();
  await expectHeading(page, /^Notifications$/);
  await page.getByText('You have 1 unread notification.').waitFor();
  const item = list(page).getByRole('listitem').first();
  await item.getByText('Not read yet').waitFor();
  await item.getByRole('heading', { name: 'A new message' }).waitFor();
  await patient.check('unread');
  await item.getByRole('link', { name: 'A new message' }).click();
  await expectHeading(page, /^Messages with /);
  assert.equal(new URL(page.url()).pathname, `/messages/${threadId}`);
  await nav(page).getByRole('link', { name: 'Notifications', exact: true }).waitFor().catch(showScreen(page));
  await notificationsLink(page).click();
  await expectHeading(page, /^Notifications$/);
  await page.getByText('You have no unread notifications.').waitFor();
  await list(page).getByRole('listitem').first().getByText('Read', { exact: true }).waitFor();
  assert.equal(await list(page).getByText('Not read yet').count(), 0);

  // Mo writes something that screening reads as high risk: the crisis view takes over.
  await list(page).getByRole('link', { name: 'A new message' }).click();
  await expectHeading(page, /^Messages with /);
  await page.getByLabel(/^Your reply to/).fill(RISKY);
  await page.getByRole('button', { name: 'Send message' }).click();
  await expectHeading(page, /You do not have to go through this alone/);
  await page.getByRole('button', { name: 'Go back to what I was doing' }).click();

  // The clinician hears of the message and of the alert it raised: two unread.
  await doctor.goto('/clinician');
  await expectHeading(doctor, /Your patients/);
  await nav(doctor).getByRole('link', { name: 'Notifications (2 unread)' }).waitFor().catch(showScreen(doctor));
  await notificationsLink(doctor).click();
  await expectHeading(doctor, /^Notifications$/);
  await doctor.getByText('You have 2 unread notifications.').waitFor();
  assert.equal(await list(doctor).getByText('Not read yet').count(), 2);
  await list(doctor).getByRole('heading', { name: 'A new message' }).waitFor();
  await clinician.check('clinician-unread');
  await list(doctor).getByRole('link', { name: 'A new safety alert' }).click();
  await expectHeading(doctor, /^Alert for Mo$/).catch(showScreen(doctor));
  assert.ok(!(await doctor.locator('main').textContent()).includes('tablets'));
  await nav(doctor).getByRole('link', { name: 'Notifications (1 unread)' }).waitFor().catch(showScreen(doctor));
  await notificationsLink(doctor).click();
  await expectHeading(doctor, /^Notifications$/);
  await doctor.getByText('You have 1 unread notification.').waitFor();

  // "Mark all as read" with the keyboard: the count goes, focus goes to what happened.
  await tabTo(doctor, /^\|Mark all as read\|/);
  await doctor.keyboard.press('Enter');
  const done = doctor.locator('.notice', { hasText: '1 notification has been marked as read.' });
  await done.waitFor();
  await expectFocus(doctor, () => document.activeElement && document.activeElement.classList.contains('notice'), 'the confirmation');
  await doctor.getByText('You have no unread notifications.').waitFor();
  assert.equal(await list(doctor).getByText('Not read yet').count(), 0);
  await nav(doctor).getByRole('link', { name: 'Notifications', exact: true }).waitFor();
  assert.equal(await doctor.locator('.notification-count').count(), 0);
  await clinician.check('clinician-all-read');

  // More than a page: each message after Mo has read the last one is a new
  // notification. The list pages by 20, newest first.
  for (let index = 1; index <= 21; index += 1) {
    // Times are kept to the second, and notifications of one second come in any
    // order: the last, still unread, comes a second after the others.
    if (index === 21) await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await api(doctor, 'POST', `/api/messages/threads/${threadId}`, { body: `Checking in, day ${index}.` })).status, 201);
    if (index < 21) assert.equal((await api(page, 'POST', '/api/notifications/read-all', {})).status, 200);
  }
  await page.goto('/notifications');
  await expectHeading(page, /^Notifications$/);
  await page.getByText('You have 1 unread notification.').waitFor();
  await page.getByRole('list', { name: 'Notifications 1 to 20 of 22, newest first' }).waitFor().catch(showScreen(page));
  assert.equal(await list(page).getByRole('listitem').count(), 20);
  assert.match(await list(page).getByRole('listitem').first().textContent(), /Not read yet/);
  const times = await list(page).locator('time').evaluateAll((elements) => elements.map((element) => Date.parse(element.getAttribute('datetime'))));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
  await page.getByText('Showing 1 to 20 of 22').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Previous page' }).count(), 0);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByRole('list', { name: 'Notifications 21 to 22 of 22, newest first' }).waitFor();
  await page.getByText('Showing 21 to 22 of 22').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next page' }).count(), 0);
  await expectFocus(page, () => document.activeElement && document.activeElement.tagName === 'H1', 'the heading');
  await patient.check('second-page');

  // Mark all as read with a click, on a phone.
  await page.setViewportSize({ width: 360, height: 800 });
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.getByRole('list', { name: 'Notifications 1 to 20 of 22, newest first' }).waitFor();
  await patient.check('phone');
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await page.locator('.notice', { hasText: '1 notification has been marked as read.' }).waitFor();
  await page.getByText('You have no unread notifications.').waitFor();
  assert.equal(await page.locator('.notification-count').count(), 0);
  await patient.check('phone-all-read');
  await patient.context.close();
  await clinician.context.close();
});

test('notification and reminder choices are saved, refused in words, and kept; colours follow the person', async () => {
  const app = await suite.open('preferences', { colorScheme: 'light' });
  const { page } = app;
  await registerPatient(page, 'ren.h', 'Ren');
  await nav(page).getByRole('link', { name: 'Settings' }).click();
  await expectHeading(page, /^Settings$/);

  // The defaults: appointment emails on, message emails off, reminders a day before.
  const message = page.getByLabel('I get a new message');
  const changed = page.getByLabel('An appointment is booked, moved or cancelled');
  const coming = page.getByLabel('An appointment is coming up');
  const reply = page.getByLabel('Someone replies to something I posted');
  const hours = page.getByLabel('How many hours before an appointment should we remind you?');
  await hours.waitFor();
  assert.deepEqual([await message.isChecked(), await changed.isChecked(), await coming.isChecked(), await reply.isChecked()], [false, true, true, false]);
  assert.equal(await hours.inputValue(), '24');
  await page.getByText('Healing is in English (United Kingdom). Other languages are not available yet.').waitFor();
  const save = page.getByRole('button', { name: 'Save notifications and reminders' });

  // Hours that are not a number in range are refused in words, by the field, and kept.
  await hours.fill('0');
  await save.click();
  const summary = page.locator('.error-summary', { hasText: 'Enter a number of hours from 1 to 168' });
  await summary.waitFor();
  await page.locator('#reminder_lead_hours-error').getByText('Enter a number of hours from 1 to 168').waitFor();
  await expectFocus(page, () => document.activeElement && document.activeElement.classList.contains('error-summary'), 'the error summary');
  assert.equal(await hours.inputValue(), '0', 'what was typed is not lost');
  await app.check('preferences-error');
  await hours.fill('soon');
  await save.click();
  await page.locator('.error-summary', { hasText: 'Enter the hours as a whole number, like 24' }).waitFor();

  // A save that cannot reach the server says so, and nothing is lost.
  await message.check();
  await coming.uncheck();
  await hours.fill('48');
  await page.route('**/api/me/preferences', (route) => (route.request().method() === 'PUT' ? route.abort() : route.continue()));
  await save.click();
  await page.locator('.error-summary', { hasText: 'We could not reach Healing' }).waitFor();
  assert.equal(await hours.inputValue(), '48');
  assert.equal(await message.isChecked(), true);
  await page.unroute('**/api/me/preferences');
  app.problems.length = 0;

  // Saved, with a confirmation.
  await save.click();
  await page.getByRole('status').filter({ hasText: 'Your choices for notifications and reminders have been saved.' }).waitFor();
  assert.equal(await page.locator('.error-summary').count(), 0);
  const stored = await api(page, 'GET', '/api/me/preferences');
  assert.deepEqual(stored.data.email, ['message', 'appointment_changed']);
  assert.equal(stored.data.reminder_lead_hours, 48);

  // The colours: dark at once, and saved to the account.
  await page.getByLabel('Dark').check();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.getByRole('status').filter({ hasText: 'Saved. Every device you sign in on will use these colours.' }).waitFor();
  assert.equal((await api(page, 'GET', '/api/me/preferences')).data.theme, 'dark');
  await app.check('preferences-saved');

  // After a reload every choice is as saved.
  await page.reload();
  await expectHeading(page, /^Settings$/);
  await hours.waitFor();
  assert.deepEqual([await message.isChecked(), await changed.isChecked(), await coming.isChecked(), await reply.isChecked()], [true, true, false, false]);
  assert.equal(await hours.inputValue(), '48');
  assert.equal(await page.getByLabel('Dark').isChecked(), true);
  await page.setViewportSize({ width: 360, height: 800 });
  await app.check('preferences-phone');

  // Another device, set to light: signing in brings Ren's dark colours.
  const other = await suite.open('preferences-other-device', { colorScheme: 'light' });
  await signIn(other.page, 'ren.h');
  await expectHeading(other.page, /Hello, Ren/);
  await other.page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await nav(other.page).getByRole('link', { name: 'Settings' }).click();
  await expectHeading(other.page, /^Settings$/);
  await other.page.getByLabel('Dark').waitFor();
  assert.equal(await other.page.getByLabel('Dark').isChecked(), true);

  // Choosing light there is saved too: the first device follows on its next start.
  await other.page.getByLabel('Light').check();
  await other.page.getByRole('status').filter({ hasText: 'Saved. Every device you sign in on will use these colours.' }).waitFor();
  await page.reload();
  await expectHeading(page, /^Settings$/);
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  await other.context.close();
  await app.context.close();
});
