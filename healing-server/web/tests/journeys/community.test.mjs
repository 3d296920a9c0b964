// The community: an admin creates a channel (and archives another); a patient
// chooses a community name (told why, and not their username) and posts; a
// medium post is published with a signpost; another patient replies, reacts
// (by keyboard too) and reports a post, and never sees the first patient's
// real name or username; a risky reply is held: the crisis view takes over and
// says it is not visible yet, and the other patient cannot see it; a clinician
// approves it from the moderation queue and the other patient then reads it;
// an admin removes the reported post, which is gone for the reporter and marked
// removed, with the reason, for its author. Muting an author hides their posts
// until undone; writing too much in a few minutes is refused in plain words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, expectHeading, enrol, tabTo, showScreen } from '../lib/harness.mjs';

const QUESTION = 'Does anyone else wake at 4am and cannot get back to sleep?';
const MEDIUM = 'Some days I feel nobody would miss me';
const SPAM = 'Selling my old bike, cheap, message me for details';
const REPLY = 'Yes, me too. A warm drink and a boring podcast help me.';
const RISKY = "I've saved up my pills and I'm taking them tonight";

const suite = journeySuite({ 'admin.ash': 'admin', 'dr.mensah': 'clinician' });

const nav = (page) => page.getByRole('navigation');
const postList = (page) => page.getByRole('list', { name: 'Posts, newest first' });
const replies = (page) => page.getByRole('list', { name: 'Replies, oldest first' });

/** A patient's first visit to the community: the name, explained, then the channels. */
async function chooseName(app, name, label) {
  const { page } = app;
  await nav(page).getByRole('link', { name: 'Community' }).click();
  await expectHeading(page, /^Community$/);
  await page.getByRole('heading', { name: 'Choose a community name' }).waitFor();
  await page.getByText(/see only this name next to what you write/).waitFor();
  if (label) await app.check(label);
  await page.getByLabel('Your community name').fill(name);
  await page.getByRole('button', { name: 'Save my community name' }).click();
  await page.getByText(`Your community name is ${name}.`, { exact: false }).waitFor().catch(showScreen(page));
  await page.getByText(`You take part as ${name}.`).waitFor();
}

/** Posts through the channel page; resolves to the outcome's text. */
async function writePost(page, text) {
  await page.getByLabel('What would you like to post?').fill(text);
  await page.getByRole('button', { name: 'Post it' }).click();
  const outcome = page.locator('#community-outcome');
  await outcome.waitFor().catch(showScreen(page));
  await postList(page).locator('article', { hasText: text }).waitFor();
  return outcome.innerText();
}

test('a channel, names, posts, replies, reactions, a report, a held reply and its moderation', async () => {
  // The admin creates a channel, checks a missing name is said plainly, and archives a second one.
  const admin = await suite.open('community-admin');
  const boss = admin.page;
  await enrol(admin, 'admin.ash', 'community-admin');
  await expectHeading(boss, /Users/);
  await nav(boss).getByRole('link', { name: 'Channels' }).click();
  await expectHeading(boss, /^Community channels$/);
  await boss.getByText('There are no channels yet.').waitFor();
  await boss.getByRole('button', { name: 'Create channel' }).click();
  await boss.locator('.error-summary').getByText('Enter a channel name').waitFor();
  await admin.check('channels-empty-name');
  await boss.getByLabel('Channel name').fill('Sleep');
  await boss.getByLabel('What the channel is for (optional)').fill('Nights, naps and getting rest.');
  await boss.getByRole('button', { name: 'Create channel' }).click();
  await boss.getByText('The channel “Sleep” has been created.').waitFor();
  await boss.getByLabel('Channel name').fill('Old topic');
  await boss.getByRole('button', { name: 'Create channel' }).click();
  await boss.getByText('The channel “Old topic” has been created.').waitFor();
  // The same name again is refused in words.
  await boss.getByLabel('Channel name').fill('sleep');
  await boss.getByRole('button', { name: 'Create channel' }).click();
  await boss.locator('.error-summary').getByText('A channel already has this name. Choose a different one.').waitFor();
  // Archive "Old topic", confirmed in a dialog.
  await boss.getByRole('button', { name: 'Archive of “Old topic”' }).click();
  const archive = boss.getByRole('dialog', { name: 'Archive “Old topic”?' });
  await archive.getByText(/Members can still read it/).waitFor();
  await admin.check('channels-archive-dialog');
  await archive.getByRole('button', { name: 'Yes, archive it' }).click();
  await boss.getByText('“Old topic” is archived. Members can read it but not write in it.').waitFor();
  await boss.getByRole('button', { name: 'Open again of “Old topic”' }).waitFor();
  // Describe "Sleep" better.
  await boss.getByRole('button', { name: 'Change name or description of “Sleep”' }).click();
  const edit = boss.getByRole('dialog', { name: 'Change “Sleep”' });
  await edit.getByLabel('Channel name').fill('Old topic');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await edit.locator('.error-summary').getByText('A channel already has this name. Choose a different one.').waitFor();
  assert.equal(await edit.getByLabel('Channel name').inputValue(), 'Old topic', 'what was typed stays');
  await edit.getByLabel('Channel name').fill('Sleep');
  await edit.getByLabel('What the channel is for (optional)').fill('Nights, naps, early waking and getting rest.');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await boss.getByText('The channel “Sleep” has been changed.').waitFor();
  await boss.getByText('Nights, naps, early waking and getting rest.').waitFor();
  await admin.check('channels-list');

  // Robin chooses a name: their username is refused, then "Quiet Owl".
  const robin = await suite.open('community-robin');
  const page = robin.page;
  await registerPatient(page, 'robin', 'Robin Hale');
  await nav(page).getByRole('link', { name: 'Community' }).click();
  await expectHeading(page, /^Community$/);
  await page.getByRole('heading', { name: 'Choose a community name' }).waitFor();
  await robin.check('community-first-visit');
  await page.getByLabel('Your community name').fill('Robin');
  await page.getByRole('button', { name: 'Save my community name' }).click();
  await page.locator('.error-summary').getByText(/must not be your username/).waitFor().catch(showScreen(page));
  assert.equal(await page.getByLabel('Your community name').inputValue(), 'Robin');
  await robin.check('community-name-error');
  await page.getByLabel('Your community name').fill('Quiet Owl');
  await page.getByRole('button', { name: 'Save my community name' }).click();
  await page.getByText('You take part as Quiet Owl.').waitFor();
  // The open channel with its description; not the archived one.
  await page.getByRole('link', { name: 'Sleep' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Old topic' }).count(), 0);
  await robin.check('community-channels');

  // Posts: an empty one is said plainly; a medium one is published with a signpost.
  await page.getByRole('link', { name: 'Sleep' }).click();
  await expectHeading(page, /^Sleep$/);
  await page.getByText('There are no posts here yet. You could write the first one.').waitFor();
  await page.getByRole('button', { name: 'Post it' }).click();
  await page.locator('.error-summary').getByText('Write something to post').waitFor();
  const medium = await writePost(page, MEDIUM);
  assert.match(medium, /can now be seen by everyone/);
  assert.match(medium, /See who you can contact now/, 'a signpost to support');
  await page.getByRole('heading', { name: 'You do not have to go through this alone' }).waitFor({ state: 'detached' });
  assert.match(await writePost(page, QUESTION), /can now be seen by everyone/);
  assert.match(await writePost(page, SPAM), /can now be seen by everyone/);
  assert.equal(await page.getByLabel('What would you like to post?').inputValue(), '', 'the box is cleared once stored');
  assert.match(await postList(page).locator('article').first().innerText(), /Selling my old bike/, 'newest first');
  await robin.check('channel-posted');

  // Sky chooses a name, replies to Robin's question, reacts and reports the bike post.
  const sky = await suite.open('community-sky');
  const other = sky.page;
  await registerPatient(other, 'sky', 'Sky');
  await chooseName(sky, 'Night Heron');
  await other.getByRole('link', { name: 'Sleep' }).click();
  await expectHeading(other, /^Sleep$/);
  const question = postList(other).locator('article', { hasText: QUESTION });
  await question.getByRole('link', { name: 'Post by Quiet Owl' }).click();
  await expectHeading(other, /^Post by Quiet Owl$/);
  await other.getByText('There are no replies yet.').waitFor();
  await sky.check('post-no-replies');
  await other.getByLabel('What would you like to say in reply?').fill(REPLY);
  await other.getByRole('button', { name: 'Send reply' }).click();
  await other.locator('#community-outcome').getByText('Your reply can now be seen by everyone in this channel.').waitFor().catch(showScreen(other));
  await replies(other).locator('article', { hasText: REPLY }).getByRole('heading', { name: 'Your reply' }).waitFor();
  // A heart by mouse, a hug by keyboard alone; both pressed, each counted once.
  const mainPost = other.locator('article').first();
  await mainPost.getByRole('button', { name: /^Heart/ }).click();
  await other.waitForFunction(() => document.querySelector('main article .reaction[aria-pressed="true"]'));
  await tabTo(other, /^\|Hug\s*0\|/);
  await other.keyboard.press('Space');
  await other.waitForFunction(() => document.querySelectorAll('main .measure > article .reaction[aria-pressed="true"]').length === 2);
  assert.match(await mainPost.getByRole('button', { name: /^Heart/ }).innerText(), /Heart\s*1/);
  assert.match(await mainPost.getByRole('button', { name: /^Hug/ }).innerText(), /Hug\s*1/);
  await sky.check('post-replied-reacted');
  // Neither Robin's real name nor their username is shown to Sky.
  assert.doesNotMatch(await other.locator('main').innerText(), /Robin|robin/);

  // The bike post is reported: a reason is needed; Escape closes the dialog and gives focus back.
  await other.getByRole('link', { name: 'Back to Sleep' }).click();
  await expectHeading(other, /^Sleep$/);
  assert.match(await postList(other).locator('article', { hasText: QUESTION }).innerText(), /1 reply/);
  await postList(other).locator('article', { hasText: SPAM }).getByRole('link', { name: 'Post by Quiet Owl' }).click();
  await expectHeading(other, /^Post by Quiet Owl$/);
  const report = other.getByRole('button', { name: 'Report (post by Quiet Owl)' });
  await report.click();
  const dialog = other.getByRole('dialog', { name: 'Report this post' });
  await dialog.waitFor();
  await other.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await other.waitForFunction(() => document.activeElement && /^Report/.test(document.activeElement.textContent.trim()));
  await report.click();
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await dialog.locator('.error-summary').getByText('Choose why you are reporting it').waitFor();
  await sky.check('report-dialog');
  await dialog.getByLabel('It is advertising or spam').check();
  await dialog.getByLabel('Anything else you want to tell the moderators (optional)').fill('Not about sleep at all.');
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await other.getByText('Thank you. You reported the post by Quiet Owl. A moderator will look at it.').waitFor();
  await dialog.waitFor({ state: 'hidden' });
  // Reporting twice is said plainly.
  await report.click();
  await dialog.getByLabel('Something else').check();
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await dialog.locator('.error-summary').getByText('You have reported this already. A moderator will read your report.').waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Robin replies with something risky: held, the crisis view takes over and says so.
  await page.goto('/community');
  await page.getByRole('link', { name: 'Sleep' }).click();
  await postList(page).locator('article', { hasText: QUESTION }).getByRole('link', { name: 'Your post' }).click();
  await expectHeading(page, /^Your post$/);
  await replies(page).locator('article', { hasText: REPLY }).getByRole('heading', { name: 'Reply by Night Heron' }).waitFor();
  await page.getByLabel('What would you like to say in reply?').fill(RISKY);
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expectHeading(page, /You do not have to go through this alone/).catch(showScreen(page));
  await page.getByText('Your reply cannot be seen by others yet. A moderator will read it first', { exact: false }).waitFor();
  assert.ok(await page.locator('a[href="tel:999"]').count() >= 1);
  await robin.check('held-takeover');
  await page.getByRole('button', { name: 'Go back to what I was doing' }).click();
  await expectHeading(page, /^Your post$/);
  const held = replies(page).locator('article', { hasText: RISKY });
  await held.getByText('Waiting for a moderator').waitFor();
  await held.getByText(/only you can see this for now/).waitFor();
  await page.locator('#community-outcome').getByText('Your reply cannot be seen by others yet').waitFor();
  assert.equal(await held.getByRole('button', { name: /^Heart/ }).count(), 0, 'a held reply takes no reactions');
  await robin.check('held-reply');

  // Sky does not see the held reply.
  await other.goto('/community');
  await other.getByRole('link', { name: 'Sleep' }).click();
  await postList(other).locator('article', { hasText: QUESTION }).getByRole('link', { name: 'Post by Quiet Owl' }).click();
  await expectHeading(other, /^Post by Quiet Owl$/);
  await replies(other).locator('article', { hasText: REPLY }).waitFor();
  assert.equal(await replies(other).locator('article').count(), 1);
  assert.doesNotMatch(await other.locator('main').innerText(), /pills/);

  // The clinician's queue: the reported post and the held reply, each saying why, no usernames.
  const clinician = await suite.open('community-clinician');
  const doctor = clinician.page;
  await enrol(clinician, 'dr.mensah', 'community-clinician');
  await expectHeading(doctor, /Your patients/);
  await nav(doctor).getByRole('link', { name: 'Moderation' }).click();
  await expectHeading(doctor, /^Moderation$/);
  const queue = doctor.getByRole('list', { name: 'Items waiting for a moderator, oldest first' });
  const spamItem = queue.locator('article', { hasText: SPAM });
  const heldItem = queue.locator('article', { hasText: RISKY });
  await spamItem.getByText('Reported by 1 member.').waitFor().catch(showScreen(doctor));
  await heldItem.getByText(/^Held by screening, which read it as (high|critical) risk/).waitFor();
  await heldItem.getByRole('heading', { name: 'Reply by Quiet Owl in Sleep' }).waitFor();
  assert.doesNotMatch(await doctor.locator('main').innerText(), /Robin|robin|sky\b/);
  await clinician.check('moderation-queue');

  // The held reply is approved after a confirmation; the queue says so.
  await heldItem.getByRole('link', { name: /^Review/ }).click();
  await expectHeading(doctor, /^Reply by Quiet Owl in Sleep$/);
  await doctor.getByText('Nobody has reported it.').waitFor();
  await doctor.getByText('The post it replies to, by Quiet Owl').click();
  await doctor.getByText(QUESTION).waitFor();
  await clinician.check('moderation-item');
  await doctor.getByRole('button', { name: 'Approve' }).click();
  const approve = doctor.getByRole('dialog', { name: 'Approve this reply?' });
  await approve.getByText(/Everyone in the channel will be able to read it/).waitFor();
  await clinician.check('moderation-approve-dialog');
  await approve.getByRole('button', { name: 'Yes, approve it' }).click();
  await expectHeading(doctor, /^Moderation$/);
  await doctor.getByText('You approved the reply by Quiet Owl. Everyone in the channel can read it.').waitFor();
  assert.equal(await queue.locator('article', { hasText: RISKY }).count(), 0);

  // Sky now reads the reply.
  await other.reload();
  await expectHeading(other, /^Post by Quiet Owl$/);
  await replies(other).locator('article', { hasText: RISKY }).getByRole('heading', { name: 'Reply by Quiet Owl' }).waitFor().catch(showScreen(other));

  // The admin removes the reported post with a reason; the report's reason and note are on its page.
  await nav(boss).getByRole('link', { name: 'Moderation' }).click();
  await expectHeading(boss, /^Moderation$/);
  await boss.getByRole('list', { name: 'Items waiting for a moderator, oldest first' }).locator('article', { hasText: SPAM }).getByRole('link', { name: /^Review/ }).click();
  await expectHeading(boss, /^Post by Quiet Owl in Sleep$/);
  await boss.getByText('It is advertising or spam').waitFor();
  await boss.getByText('Not about sleep at all.').waitFor();
  await boss.getByRole('button', { name: 'Remove' }).click();
  const remove = boss.getByRole('dialog', { name: 'Remove this post?' });
  await remove.getByRole('button', { name: 'Yes, remove it' }).click();
  await remove.locator('.error-summary').getByText('Choose a reason').waitFor();
  await admin.check('moderation-remove-dialog');
  await remove.getByLabel('It is advertising or spam').check();
  await remove.getByRole('button', { name: 'Yes, remove it' }).click();
  await expectHeading(boss, /^Moderation$/);
  await boss.getByText('You removed the post by Quiet Owl. Reason: It is advertising or spam.').waitFor();
  await boss.getByText('Nothing is waiting for a moderator.').waitFor();
  await admin.check('moderation-empty');

  // A clinician takes part too, marked as one. Their worrying post is held
  // without the crisis view, which is for the patient who writes.
  await chooseName(clinician, 'Sleep Clinic');
  await doctor.getByRole('link', { name: 'Sleep' }).click();
  await expectHeading(doctor, /^Sleep$/);
  await doctor.getByLabel('What would you like to post?').fill(`A patient once told me: ${RISKY}`);
  await doctor.getByRole('button', { name: 'Post it' }).click();
  const clinicianOutcome = doctor.locator('#community-outcome');
  await clinicianOutcome.getByText('Your post cannot be seen by others yet').waitFor().catch(showScreen(doctor));
  await clinicianOutcome.getByText(/then decide whether others can see it/).waitFor();
  assert.equal(await doctor.getByRole('heading', { name: 'You do not have to go through this alone' }).count(), 0);
  await clinician.check('clinician-held');

  // Gone for Sky; for Robin, marked removed with the reason, the words withheld.
  await other.goto('/community');
  await other.getByRole('link', { name: 'Sleep' }).click();
  await postList(other).locator('article', { hasText: QUESTION }).waitFor();
  assert.equal(await postList(other).locator('article', { hasText: SPAM }).count(), 0);
  await page.goto('/community');
  await page.getByRole('link', { name: 'Sleep' }).click();
  const removed = postList(page).locator('article', { hasText: 'Removed by a moderator' });
  await removed.getByText('Reason: It is advertising or spam.').waitFor().catch(showScreen(page));
  await removed.getByText(/its words are taken down and nobody else can see it/).waitFor();
  assert.equal(await postList(page).locator('article', { hasText: SPAM }).count(), 0);
  await robin.check('channel-removed');

  // Sky mutes Quiet Owl from their post: back on the channel, their posts are gone, until undone.
  await postList(other).locator('article', { hasText: QUESTION }).getByRole('link', { name: 'Post by Quiet Owl' }).click();
  await expectHeading(other, /^Post by Quiet Owl$/);
  await other.locator('article').first().getByRole('button', { name: 'Mute or block Quiet Owl' }).click();
  const apart = other.getByRole('dialog', { name: 'Mute or block Quiet Owl?' });
  await apart.getByLabel(/^Mute:/).check();
  await sky.check('mute-dialog');
  await apart.getByRole('button', { name: 'Confirm' }).click();
  await expectHeading(other, /^Sleep$/);
  await other.getByText('You have muted Quiet Owl. You will not see their posts or replies.').waitFor();
  await other.getByText('There are no posts here yet. You could write the first one.').waitFor();
  await sky.check('channel-muted');
  await other.getByRole('button', { name: 'Undo for Quiet Owl' }).click();
  await other.getByText('You will see posts and replies from Quiet Owl again.').waitFor();
  await postList(other).locator('article', { hasText: QUESTION }).waitFor();

  // On a 360-pixel phone the channel and a post fit.
  await other.setViewportSize({ width: 360, height: 800 });
  await sky.check('channel-phone');
  await postList(other).locator('article', { hasText: QUESTION }).getByRole('link', { name: 'Post by Quiet Owl' }).click();
  await expectHeading(other, /^Post by Quiet Owl$/);
  await sky.check('post-phone');

  // Writing too much in a few minutes is refused in words; what was written stays.
  const statuses = await page.evaluate(async () => {
    const session = await (await fetch('/api/auth/check-session')).json();
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.data.csrf_token };
    const channels = await (await fetch('/api/community/channels')).json();
    const sleep = channels.data.channels.find((channel) => channel.name === 'Sleep');
    const codes = [];
    for (let index = 1; index <= 10; index += 1) {
      const answer = await fetch(`/api/community/channels/${sleep.id}/posts`, { method: 'POST', headers, body: JSON.stringify({ body: `Night ${index}: slept a little better.` }) });
      codes.push(answer.status);
      if (answer.status === 429) break;
    }
    return codes;
  });
  assert.equal(statuses[statuses.length - 1], 429, statuses.join(','));
  await page.reload();
  await expectHeading(page, /^Sleep$/);
  await page.getByLabel('What would you like to post?').fill('One more thought about tonight.');
  await page.getByRole('button', { name: 'Post it' }).click();
  await page.locator('.error-summary').getByText(/You have written a lot in the last few minutes/).waitFor().catch(showScreen(page));
  assert.equal(await page.getByLabel('What would you like to post?').inputValue(), 'One more thought about tonight.');
  await robin.check('rate-limited');

  // A long channel: 20 posts at first, the older ones on request. Sky and the
  // clinician (marked as such) write as much as the posting limit lets them, through the API.
  await other.evaluate(async () => {
    const session = await (await fetch('/api/auth/check-session')).json();
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.data.csrf_token };
    const channels = await (await fetch('/api/community/channels')).json();
    const sleep = channels.data.channels.find((channel) => channel.name === 'Sleep');
    for (let index = 1; index <= 10; index += 1) {
      await fetch(`/api/community/channels/${sleep.id}/posts`, { method: 'POST', headers, body: JSON.stringify({ body: `Sleep tip ${index}: keep the room cool.` }) });
    }
  });
  await doctor.evaluate(async () => {
    const session = await (await fetch('/api/auth/check-session')).json();
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.data.csrf_token };
    const channels = await (await fetch('/api/community/channels')).json();
    const sleep = channels.data.channels.find((channel) => channel.name === 'Sleep');
    for (let index = 1; index <= 10; index += 1) {
      await fetch(`/api/community/channels/${sleep.id}/posts`, { method: 'POST', headers, body: JSON.stringify({ body: `Clinic note ${index}: a regular wake-up time helps.` }) });
    }
  });
  await other.setViewportSize({ width: 1280, height: 900 });
  await other.goto('/community');
  await other.getByRole('link', { name: 'Sleep' }).click();
  await expectHeading(other, /^Sleep$/);
  await postList(other).locator('article', { hasText: /Clinic note \d+:/ }).first().getByText('Clinician', { exact: true }).waitFor();
  assert.equal(await postList(other).locator('article').count(), 20);
  assert.equal(await postList(other).locator('article', { hasText: MEDIUM }).count(), 0, 'the oldest post is on the next page');
  await other.getByRole('button', { name: 'Show older posts' }).click();
  await postList(other).locator('article', { hasText: MEDIUM }).waitFor();
  assert.ok(await postList(other).locator('article').count() > 20);
  await other.getByRole('button', { name: 'Show older posts' }).waitFor({ state: 'detached' });

  // The admin reads a channel but has no box to write in; an archived channel says it is closed.
  await nav(boss).getByRole('link', { name: 'Channels' }).click();
  await expectHeading(boss, /^Community channels$/);
  await boss.getByRole('link', { name: 'Sleep' }).click();
  await expectHeading(boss, /^Sleep$/);
  await postList(boss).locator('article', { hasText: /Clinic note \d+:/ }).first().waitFor();
  await boss.getByText('Administrators can read the community but do not write in it.').waitFor();
  assert.equal(await boss.getByLabel('What would you like to post?').count(), 0);
  await boss.goBack();
  await expectHeading(boss, /^Community channels$/);
  await boss.getByRole('link', { name: 'Old topic' }).click();
  await expectHeading(boss, /^Old topic$/);
  await boss.getByText('This channel is closed. You can read it, but you cannot write in it.').waitFor();
  await admin.check('channel-archived');

  // Robin changes their community name: one in use is refused; their posts then show the new one.
  await nav(page).getByRole('link', { name: 'Community' }).click();
  await expectHeading(page, /^Community$/);
  await page.getByRole('link', { name: 'Change your community name' }).click();
  await expectHeading(page, /^Change your community name$/);
  assert.equal(await page.getByLabel('Your community name').inputValue(), 'Quiet Owl');
  await page.getByLabel('Your community name').fill('night heron');
  await page.getByRole('button', { name: 'Save my new name' }).click();
  await page.locator('.error-summary').getByText('Someone else already uses this name. Choose a different one.').waitFor().catch(showScreen(page));
  assert.equal(await page.getByLabel('Your community name').inputValue(), 'night heron', 'what was typed stays');
  await robin.check('name-taken');
  await page.getByLabel('Your community name').fill('Calm Owl');
  await page.getByRole('button', { name: 'Save my new name' }).click();
  await expectHeading(page, /^Community$/);
  await page.getByText('Your community name is now Calm Owl.').waitFor();
  await page.getByText('You take part as Calm Owl.').waitFor();
  await other.goto('/community');
  await other.getByRole('link', { name: 'Sleep' }).click();
  await postList(other).locator('article', { hasText: /Night \d+:/ }).first().getByRole('link', { name: 'Post by Calm Owl' }).waitFor();

  for (const app of [admin, robin, sky, clinician]) await app.context.close();
});
