// Appointments: a clinician sets the weekly times patients can book and a day
// off (mistakes said next to the field); a patient with no clinician is told
// how to get one, and one who has not agreed to sharing how to agree; the
// patient books a time (the day off is not offered), the clinician sees it by
// day with the patient's name and adds a video call link, the patient sees the
// link, moves the appointment and then cancels it (a dialog asks first). Inside
// the notice period the server refuses a patient's cancellation and the screen
// says to contact the clinician; the clinician, who may, moves it with the
// keyboard alone and cancels another. Attendance is recorded only once an
// appointment has started: the server's clock cannot be moved from a browser
// test, so the browser's clock is moved instead and the server's refusal is
// said in words. A second journey: a time someone else booked first is said in
// plain words and the list of times is read again. A third: the private
// calendar link is made (shown once, copied), serves an iCalendar file with the
// appointment, and stops working (404) once stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, expectHeading, enrol, tabTo, showScreen } from '../lib/harness.mjs';
import { requestLink, acceptLink, agreeToSharing, linkAndShare } from '../lib/care-link.mjs';

// 72 hours' notice: a time tomorrow is always inside it, one four days ahead never.
const NOTICE_HOURS = 72;
const suite = journeySuite({ 'dr.ade': 'clinician', 'dr.bell': 'clinician', 'dr.cole': 'clinician' }, {
  env: () => ({ HEALING_APPOINTMENT_NOTICE_HOURS: String(NOTICE_HOURS) }),
});

const ZONE = 'Europe/London';
/** The UK date `days` from today, `YYYY-MM-DD`. */
function ukDate(days) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date()).map((part) => [part.type, part.value]));
  const today = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
  return new Date(today + days * 86400000).toISOString().slice(0, 10);
}
/** "Monday 12 May 2027": how the app names the UK day `days` from today. */
function ukDay(days) {
  const date = new Date(`${ukDate(days)}T12:00:00Z`);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}

const nav = (page) => page.getByRole('navigation');
const summary = (page) => page.locator('main .error-summary:visible').first();
const said = (page) => page.locator('main .said');

/** A request from the signed-in page, with its CSRF header: `{status, body}`. */
async function api(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const session = await (await fetch('/api/auth/check-session')).json();
    const response = await fetch(path, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.data.csrf_token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  }, { method, path, body });
}

/** Every day of the week at 09:00 and 09:50 for 50 minutes, through the API (the first journey does it on screen). */
async function everyDay(page) {
  const weekly = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
    { weekday, start: '09:00', length_minutes: 50 }, { weekday, start: '09:50', length_minutes: 50 },
  ]);
  const answer = await api(page, 'PUT', '/api/me/availability', { weekly, closures: [] });
  assert.equal(answer.status, 200);
}

/** On "Choose a time": the radio for `time` on the UK day `days` from today. */
function slot(page, days, time) {
  return page.getByRole('group', { name: ukDay(days), exact: true }).getByRole('radio', { name: time, exact: true });
}

test('a clinician sets their times, a patient books, moves and cancels, and the clinician manages the appointments', async () => {
  const clinician = await suite.open('appointments-clinician');
  const doctor = clinician.page;
  await enrol(clinician, 'dr.ade', 'appointments-clinician');
  await expectHeading(doctor, /Your patients/);

  // Availability: empty at first.
  await nav(doctor).getByRole('link', { name: 'Availability' }).click();
  await expectHeading(doctor, /^Your availability$/);
  await doctor.getByText('You have no weekly times yet, so patients cannot book with you.').waitFor();
  await clinician.check('availability-empty');

  // An end before the start is said next to the end time, and the summary takes focus.
  await doctor.getByLabel('Start time').fill('10:00');
  await doctor.getByLabel('End time').fill('09:00');
  await doctor.getByRole('button', { name: 'Add these times' }).click();
  await summary(doctor).getByText('The end time must be after the start time').waitFor();
  await doctor.locator('#end-error').getByText('The end time must be after the start time').waitFor();
  await doctor.waitForFunction(() => document.activeElement.classList.contains('error-summary'));
  await clinician.check('availability-end-before-start');

  // Every day of the week, 09:00 to 10:40 in 50-minute appointments: two a day.
  await doctor.getByLabel('Start time').fill('09:00');
  await doctor.getByLabel('End time').fill('10:40');
  await doctor.getByLabel('Length of each appointment, in minutes').fill('50');
  for (const [index, day] of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].entries()) {
    await doctor.getByLabel('Day', { exact: true }).selectOption(String(index + 1));
    await doctor.getByRole('button', { name: 'Add these times' }).click();
    await said(doctor).getByText(`Added 2 appointments on ${day} at 09:00 and 09:50, 50 minutes each, every week.`).waitFor().catch(showScreen(doctor));
  }
  const weeklyRows = doctor.getByRole('region', { name: 'Weekly times' }).locator('.time-list li');
  assert.equal(await weeklyRows.count(), 14);
  assert.match(await doctor.getByRole('list', { name: 'Monday' }).locator('li').first().textContent(), /^\s*09:00 to 09:50 \(50 minutes\)/);

  // The same times again overlap: said next to the start time.
  await doctor.getByRole('button', { name: 'Add these times' }).click();
  await doctor.locator('#start-error').getByText(/overlap times you already have on Sunday \(09:00 and 09:50\)/).waitFor();

  // One more time, then removed; a day off (in six days' time) is added; a last day before the first is refused.
  await doctor.getByLabel('Day', { exact: true }).selectOption('5');
  await doctor.getByLabel('Start time').fill('16:00');
  await doctor.getByLabel('End time').fill('16:30');
  await doctor.getByLabel('Length of each appointment, in minutes').fill('30');
  await doctor.getByRole('button', { name: 'Add these times' }).click();
  await said(doctor).getByText('Added: Friday at 16:00, 30 minutes, every week.').waitFor();
  assert.equal(await weeklyRows.count(), 15);
  await doctor.getByRole('button', { name: 'Remove Friday 16:00 to 16:30' }).click();
  await said(doctor).getByText('Removed: Friday 16:00 to 16:30.').waitFor();
  assert.equal(await weeklyRows.count(), 14);
  await doctor.getByLabel('First day off').fill(ukDate(6));
  await doctor.getByLabel('Last day off').fill(ukDate(5));
  await doctor.getByRole('button', { name: 'Add these days off' }).click();
  await doctor.locator('#last_day-error').getByText('The last day off must be the same as or after the first day off').waitFor();
  await doctor.getByLabel('Last day off').fill('');
  await doctor.getByRole('button', { name: 'Add these days off' }).click();
  await said(doctor).getByText(`Added a day off: ${ukDay(6)}.`).waitFor();
  assert.equal(await doctor.getByRole('list', { name: 'Days off' }).locator('li').count(), 1);
  await clinician.check('availability');
  // What was saved is what the server holds.
  const stored = await api(doctor, 'GET', '/api/me/availability');
  assert.equal(stored.body.data.weekly.length, 14);
  assert.deepEqual(stored.body.data.closures, [{ first_day: ukDate(6), last_day: ukDate(6) }]);
  await doctor.setViewportSize({ width: 360, height: 800 });
  await clinician.check('availability-phone');
  await doctor.setViewportSize({ width: 1280, height: 900 });

  // A patient with no clinician is told how to get one.
  const patient = await suite.open('appointments-patient');
  const { page } = patient;
  await registerPatient(page, 'kit', 'Kit');
  await nav(page).getByRole('link', { name: 'Appointments' }).click();
  await expectHeading(page, /^Your appointments$/);
  await page.getByText(/You are not linked to a clinician yet/).waitFor();
  await page.getByRole('link', { name: 'Go to your clinicians' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Book an appointment' }).count(), 0);
  await page.getByText('You have no upcoming appointments.').waitFor();
  await patient.check('patient-no-clinician');

  // Linked, but not yet sharing: told where to agree.
  await nav(doctor).getByRole('link', { name: 'Patients' }).click();
  await expectHeading(doctor, /Your patients/);
  await requestLink(clinician, 'kit');
  await page.goto('/today');
  await expectHeading(page, /Hello, Kit/);
  await acceptLink(patient);
  await page.goto('/appointments');
  await page.getByRole('link', { name: 'Book an appointment' }).click();
  await expectHeading(page, /^Book an appointment$/);
  await page.getByText(/you need to agree to sharing with your clinician/).waitFor();
  await patient.check('book-no-sharing');
  await page.getByRole('link', { name: 'Go to sharing with your clinician in Settings' }).click();
  await expectHeading(page, /^Settings$/);
  await agreeToSharing(patient);

  // Booking: with one clinician the choice is skipped; the day off is not offered; no time chosen is said.
  await nav(page).getByRole('link', { name: 'Appointments' }).click();
  await expectHeading(page, /^Your appointments$/);
  await page.getByRole('link', { name: 'Book an appointment' }).click();
  await expectHeading(page, /^Choose a time$/).catch(showScreen(page));
  await page.getByText(/^Free times with .+\. All times are UK time\.$/).waitFor();
  await slot(page, 4, '09:00').waitFor();
  assert.equal(await page.getByRole('group', { name: ukDay(6), exact: true }).count(), 0, 'no times on the day off');
  await slot(page, 5, '09:00').waitFor();
  await slot(page, 5, '09:50').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await summary(page).getByText('Choose a time').waitFor();
  await patient.check('slots-missing');
  await page.setViewportSize({ width: 360, height: 800 });
  await patient.check('slots-phone');
  await page.setViewportSize({ width: 1280, height: 900 });
  await slot(page, 4, '09:00').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectHeading(page, /^Check and book your appointment$/);
  const checkList = page.locator('.summary-list');
  assert.match(await checkList.textContent(), new RegExp(`${ukDay(4)} at 09:00`));
  assert.match(await checkList.textContent(), /50 minutes/);
  await patient.check('book-confirm');
  await page.getByRole('button', { name: 'Book this appointment' }).click();
  await expectHeading(page, /^Your appointments$/);
  await said(page).getByText(new RegExp(`Your appointment on ${ukDay(4)} at 09:00 with .+ is booked\\.`)).waitFor();
  const upcoming = page.getByRole('region', { name: 'Upcoming' });
  await upcoming.getByRole('heading', { name: `${ukDay(4)} at 09:00` }).waitFor();
  await upcoming.getByText('Booked.').waitFor();
  await patient.check('booked');

  // The clinician sees it under its day with the patient's name, and adds a video call link.
  await nav(doctor).getByRole('link', { name: 'Appointments' }).click();
  await expectHeading(doctor, /^Appointments$/);
  const doctorUpcoming = doctor.getByRole('region', { name: 'Upcoming' });
  await doctorUpcoming.getByRole('heading', { name: ukDay(4), exact: true }).waitFor().catch(showScreen(doctor));
  await doctorUpcoming.getByRole('heading', { name: '09:00: Kit' }).waitFor();
  await clinician.check('clinician-list');
  await doctor.getByRole('button', { name: `Add a video call link for Kit on ${ukDay(4)} at 09:00` }).click();
  const video = doctor.getByRole('dialog', { name: `Add a video call link for Kit on ${ukDay(4)} at 09:00` });
  await video.waitFor();
  await video.getByLabel('Video call link').fill('http://meet.example.org/kit');
  await video.getByRole('button', { name: 'Save the link' }).click();
  await video.locator('.error-summary').getByText(/Enter a link that starts with https:\/\//).waitFor();
  await clinician.check('video-invalid');
  await video.getByLabel('Video call link').fill('https://meet.example.org/kit-room');
  await video.getByRole('button', { name: 'Save the link' }).click();
  await video.waitFor({ state: 'hidden' });
  await said(doctor).getByText(`The video call link for Kit on ${ukDay(4)} at 09:00 has been saved.`).waitFor();
  await doctorUpcoming.getByText('Video call link set.').waitFor();
  await doctor.getByRole('button', { name: `Change the video call link for Kit on ${ukDay(4)} at 09:00` }).waitFor();
  await clinician.check('video-set');

  // The patient sees the link, then moves the appointment to the next day at 09:50.
  await page.reload();
  await expectHeading(page, /^Your appointments$/);
  const join = upcoming.getByRole('link', { name: `Join the video call on ${ukDay(4)} at 09:00` });
  assert.equal(await join.getAttribute('href'), 'https://meet.example.org/kit-room');
  await upcoming.getByRole('link', { name: `Move on ${ukDay(4)} at 09:00` }).click();
  await expectHeading(page, /^Choose a new time$/);
  await page.getByText(new RegExp(`Your appointment with .+ is on ${ukDay(4)} at 09:00\\.`)).waitFor();
  await slot(page, 5, '09:50').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectHeading(page, /^Check and move the appointment$/);
  assert.match(await page.locator('.summary-list').textContent(), new RegExp(`${ukDay(4)} at 09:00[\\s\\S]*${ukDay(5)} at 09:50`));
  await patient.check('move-confirm');
  await page.getByRole('button', { name: 'Move the appointment' }).click();
  await expectHeading(page, /^Your appointments$/);
  await said(page).getByText(`Your appointment has been moved from ${ukDay(4)} at 09:00 to ${ukDay(5)} at 09:50.`).waitFor();
  await upcoming.getByRole('heading', { name: `${ukDay(5)} at 09:50` }).waitFor();
  const past = page.getByRole('region', { name: 'Past and cancelled' });
  await past.getByText(`Moved to ${ukDay(5)} at 09:50.`).waitFor();

  // Cancelling asks first: Escape closes the dialog and gives focus back; then it is cancelled.
  const cancelButton = upcoming.getByRole('button', { name: `Cancel on ${ukDay(5)} at 09:50` });
  await cancelButton.click();
  const cancelDialog = page.getByRole('dialog', { name: `Cancel your appointment on ${ukDay(5)} at 09:50?` });
  await cancelDialog.waitFor();
  await patient.check('cancel-dialog');
  await page.keyboard.press('Escape');
  await cancelDialog.waitFor({ state: 'hidden' });
  await page.waitForFunction(() => /^Cancel/.test(document.activeElement.textContent.trim()));
  await page.keyboard.press('Enter');
  await cancelDialog.waitFor();
  await cancelDialog.getByRole('button', { name: 'Yes, cancel it' }).click();
  await said(page).getByText(new RegExp(`Your appointment on ${ukDay(5)} at 09:50 with .+ has been cancelled\\.`)).waitFor();
  await page.getByText('You have no upcoming appointments.').waitFor();
  await past.getByText('You cancelled this appointment.').waitFor();
  await patient.check('cancelled');

  // Tomorrow is inside the notice period: the server refuses the patient's cancellation, in words.
  await page.getByRole('link', { name: 'Book an appointment' }).click();
  await expectHeading(page, /^Choose a time$/);
  await slot(page, 1, '09:00').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectHeading(page, /^Check and book your appointment$/);
  await page.getByRole('button', { name: 'Book this appointment' }).click();
  await expectHeading(page, /^Your appointments$/);
  await upcoming.getByRole('button', { name: `Cancel on ${ukDay(1)} at 09:00` }).click();
  const tomorrowDialog = page.getByRole('dialog', { name: `Cancel your appointment on ${ukDay(1)} at 09:00?` });
  await tomorrowDialog.waitFor();
  await tomorrowDialog.getByRole('button', { name: 'Yes, cancel it' }).click();
  await tomorrowDialog.locator('.error-summary').getByText(`You can only cancel or move an appointment here up to ${NOTICE_HOURS} hours before it starts. To change this appointment now, contact your clinician.`).waitFor();
  await tomorrowDialog.getByRole('link', { name: /^Send .+ a message$/ }).waitFor();
  await patient.check('cancel-refused');
  await tomorrowDialog.getByRole('button', { name: 'No, keep it' }).click();
  await upcoming.getByText('Booked.').waitFor();

  // The clinician, who may change it at any time, moves it with the keyboard alone.
  await doctor.goto('/appointments');
  await expectHeading(doctor, /^Appointments$/);
  await tabTo(doctor, new RegExp(`^\\|Move for Kit on ${ukDay(1)} at 09:00\\|`));
  await doctor.keyboard.press('Enter');
  await expectHeading(doctor, /^Choose a new time$/);
  await doctor.getByText(new RegExp(`^Kit's appointment is on ${ukDay(1)} at 09:00\\.`)).waitFor();
  // Worked out from the clinician's own times: the day off is not offered, nor the booked time itself.
  assert.equal(await doctor.getByRole('group', { name: ukDay(6), exact: true }).count(), 0);
  assert.equal(await slot(doctor, 1, '09:00').count(), 0);
  await slot(doctor, 2, '09:00').waitFor();
  await clinician.check('clinician-move');
  await tabTo(doctor, /^slot\|/);
  // Arrow keys move through the times; the choice is read from the page.
  await doctor.keyboard.press('Space');
  const chosen = await doctor.evaluate(() => {
    const radio = document.activeElement;
    return { day: radio.closest('fieldset').querySelector('legend').textContent.trim(), time: radio.parentElement.textContent.trim() };
  });
  await tabTo(doctor, /^\|Continue\|/);
  await doctor.keyboard.press('Enter');
  await expectHeading(doctor, /^Check and move the appointment$/);
  await tabTo(doctor, /^\|Move the appointment\|/);
  await doctor.keyboard.press('Enter');
  await expectHeading(doctor, /^Appointments$/);
  await said(doctor).getByText(`Kit's appointment has been moved from ${ukDay(1)} at 09:00 to ${chosen.day} at ${chosen.time}.`).waitFor().catch(showScreen(doctor));
  await doctor.getByRole('region', { name: 'Earlier and cancelled' }).getByText(`Moved to ${chosen.day} at ${chosen.time}.`).waitFor();

  // The clinician cancels it.
  await doctor.getByRole('button', { name: `Cancel for Kit on ${chosen.day} at ${chosen.time}` }).click();
  const doctorCancel = doctor.getByRole('dialog', { name: `Cancel Kit's appointment on ${chosen.day} at ${chosen.time}?` });
  await doctorCancel.waitFor();
  await clinician.check('clinician-cancel-dialog');
  await doctorCancel.getByRole('button', { name: 'Yes, cancel it' }).click();
  await said(doctor).getByText(`Kit's appointment on ${chosen.day} at ${chosen.time} has been cancelled.`).waitFor();
  await doctor.getByText(/^You have no upcoming appointments\./).waitFor();
  await page.reload();
  await expectHeading(page, /^Your appointments$/);
  await past.getByText('Your clinician cancelled this appointment.').first().waitFor();

  // Attendance once the start has passed. The patient books again; the
  // clinician's browser is moved a week on (the server's clock stays), so the
  // screen asks whether Kit came and the server says it has not started yet.
  await page.getByRole('link', { name: 'Book an appointment' }).click();
  await expectHeading(page, /^Choose a time$/);
  await slot(page, 4, '09:50').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Book this appointment' }).click();
  await expectHeading(page, /^Your appointments$/);
  await doctor.clock.setFixedTime(new Date(Date.now() + 8 * 86400000));
  await doctor.reload();
  await expectHeading(doctor, /^Appointments$/);
  const record = doctor.getByRole('region', { name: 'Record attendance' });
  await record.getByRole('heading', { name: '09:50: Kit' }).waitFor().catch(showScreen(doctor));
  await record.getByRole('button', { name: 'Record attendance for Kit' }).click();
  await record.locator('.error-summary').getByText('Choose whether Kit came to the appointment').waitFor();
  await record.getByRole('radio', { name: 'Yes, they came' }).check();
  await record.getByRole('button', { name: 'Record attendance for Kit' }).click();
  await record.locator('.error-summary').getByText('You can record attendance once the appointment has started. Try again after the start time.').waitFor();
  await clinician.check('attendance-not-started');
  await doctor.setViewportSize({ width: 360, height: 800 });
  await clinician.check('clinician-list-phone');

  await patient.context.close();
  await clinician.context.close();
});

test('a time someone else booked first is said in plain words, and the times are read again', async () => {
  const clinician = await suite.open('appointments-taken-clinician');
  await enrol(clinician, 'dr.bell', 'appointments-taken-clinician');
  await expectHeading(clinician.page, /Your patients/);
  await everyDay(clinician.page);
  const first = await suite.open('appointments-taken-first');
  await registerPatient(first.page, 'ola', 'Ola');
  await linkAndShare(clinician, first, 'ola');
  const second = await suite.open('appointments-taken-second');
  await registerPatient(second.page, 'rui', 'Rui');
  await linkAndShare(clinician, second, 'rui');

  // Rui chooses a time and is about to book it…
  const { page } = second;
  await page.goto('/appointments/book');
  await expectHeading(page, /^Choose a time$/);
  await slot(page, 7, '09:00').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectHeading(page, /^Check and book your appointment$/);
  const startsAt = decodeURIComponent(page.url().split('/').pop());

  // …when Ola books the same time.
  const clinicianId = page.url().split('/').slice(-2)[0];
  const booked = await api(first.page, 'POST', `/api/clinicians/${clinicianId}/appointments`, { starts_at: startsAt });
  assert.equal(booked.status, 201);

  await page.getByRole('button', { name: 'Book this appointment' }).click();
  await expectHeading(page, /^Choose a time$/);
  await summary(page).getByText('Someone else booked that time just before you. The list of free times has been updated. Choose another time.').waitFor().catch(showScreen(page));
  await page.waitForFunction(() => document.activeElement.classList.contains('error-summary'));
  await slot(page, 7, '09:50').waitFor();
  assert.equal(await slot(page, 7, '09:00').count(), 0, 'the taken time is gone from the list');
  await second.check('slot-taken');
  // Another time books.
  await slot(page, 7, '09:50').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Book this appointment' }).click();
  await expectHeading(page, /^Your appointments$/);
  await said(page).getByText(new RegExp(`Your appointment on ${ukDay(7)} at 09:50 with .+ is booked\\.`)).waitFor();
  for (const app of [first, second, clinician]) await app.context.close();
});

test('a private calendar link shows the appointments in a calendar app until it is stopped', async () => {
  const clinician = await suite.open('appointments-feed-clinician');
  await enrol(clinician, 'dr.cole', 'appointments-feed-clinician');
  await expectHeading(clinician.page, /Your patients/);
  await everyDay(clinician.page);
  const patient = await suite.open('appointments-feed-patient');
  const { page } = patient;
  await registerPatient(page, 'ines', 'Ines');
  await linkAndShare(clinician, patient, 'ines');
  await page.goto('/appointments/book');
  await slot(page, 3, '09:00').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Book this appointment' }).click();
  await expectHeading(page, /^Your appointments$/);

  // What the link is and who can see what, before it is made.
  await page.getByRole('heading', { name: 'Add to your calendar' }).waitFor();
  await page.getByText(/Anyone who has the link can see the times of your appointments, but not who they are with, notes or anything you have written\./).waitFor();
  await patient.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.base });
  await page.getByRole('button', { name: 'Create a calendar link' }).click();
  const field = page.getByLabel('Your private calendar link');
  await field.waitFor();
  const url = await field.inputValue();
  assert.match(url, /\/api\/calendar\/[A-Za-z0-9_-]{43}$/);
  await page.getByRole('button', { name: 'Copy the link' }).click();
  await page.getByText('The link has been copied.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
  await patient.check('feed-created');

  // The calendar app's view: text/calendar with the appointment as a VEVENT, and nothing clinical.
  const feedPath = new URL(url).pathname;
  const feed = await fetch(`${suite.server.base}${feedPath}`);
  assert.equal(feed.status, 200);
  assert.match(feed.headers.get('content-type'), /^text\/calendar/);
  const calendar = await feed.text();
  assert.match(calendar, /BEGIN:VCALENDAR/);
  assert.equal(calendar.match(/BEGIN:VEVENT/g).length, 1);
  assert.doesNotMatch(calendar, /Ines|cole/i);

  // Stopping asks first; then the link answers 404.
  await page.getByRole('button', { name: 'Stop my calendar link' }).click();
  const stop = page.getByRole('dialog', { name: 'Stop your calendar link?' });
  await stop.waitFor();
  await patient.check('feed-stop-dialog');
  await stop.getByRole('button', { name: 'Yes, stop the link' }).click();
  await page.getByText('Your calendar link has been stopped. It no longer shows your appointments anywhere.').waitFor();
  assert.equal(await field.count(), 0, 'the link is no longer shown');
  assert.equal((await fetch(`${suite.server.base}${feedPath}`)).status, 404);
  // Stopping again: there is nothing to stop, said so.
  await page.getByRole('button', { name: 'Stop my calendar link' }).click();
  await stop.getByRole('button', { name: 'Yes, stop the link' }).click();
  await page.getByText('You did not have a calendar link, so there was nothing to stop.').waitFor();
  await patient.check('feed-stopped');

  // The clinician has the same calendar link.
  const doctor = clinician.page;
  await doctor.goto('/appointments');
  await expectHeading(doctor, /^Appointments$/);
  await doctor.getByRole('button', { name: 'Create a calendar link' }).click();
  const doctorUrl = await doctor.getByLabel('Your private calendar link').inputValue();
  const doctorFeed = await (await fetch(`${suite.server.base}${new URL(doctorUrl).pathname}`)).text();
  assert.equal(doctorFeed.match(/BEGIN:VEVENT/g).length, 1);
  await clinician.check('feed-clinician');
  await patient.context.close();
  await clinician.context.close();
});
