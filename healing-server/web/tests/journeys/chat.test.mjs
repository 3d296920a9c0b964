// The companion chat: a patient without the ai_chat consent is told the
// offline companion answers and where to change that; they write with the
// keyboard and the reply streams in, labelled as the offline companion (not
// AI) with the reason; a risky message brings up the crisis view and, back
// from it, the safety response is in the conversation; a long conversation
// loads its earlier messages on request; and it all fits a 360-pixel phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, expectHeading, tabTo, showScreen } from '../lib/harness.mjs';

const RISKY = "I've saved my tablets and I'm taking them tonight";

const suite = journeySuite();

test('a patient talks to the offline companion, is shown crisis help for a risky message, and reads earlier messages', async () => {
  const app = await suite.open('chat');
  const { page } = app;
  await registerPatient(page, 'robin', 'Robin');

  await page.getByRole('navigation').getByRole('link', { name: 'Companion' }).click();
  await expectHeading(page, /^Companion$/);
  await page.getByText('Nothing here yet.').waitFor();
  // No ai_chat consent: said before anything is written, with the way to change it.
  await page.getByText('You have not agreed to AI chat, so the offline companion will answer.').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Change your choice about AI chat' }).getAttribute('href'), '/settings#consent-ai_chat');
  await app.check('chat-empty');

  // An empty message is refused in plain words, by the field.
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('.error-summary').getByText('Write a message to send').waitFor();
  await page.waitForFunction(() => document.activeElement.classList.contains('error-summary'));

  // Written and sent with the keyboard alone; the reply is a streamed answer
  // (the request asks for server-sent events) from the offline companion.
  const sent = page.waitForRequest((request) => request.url().endsWith('/chat') && request.method() === 'POST');
  await tabTo(page, /^message\|/);
  await page.keyboard.type('I have been feeling anxious about work all week.');
  await tabTo(page, /^\|Send\|/);
  await page.keyboard.press('Enter');
  const request = await sent;
  assert.equal(request.headers().accept, 'text/event-stream');
  assert.ok(request.headers()['x-csrf-token'], 'the CSRF header is sent');
  const log = page.getByRole('list', { name: 'Messages, oldest first' });
  const reply = log.locator('li.chat-message--offline');
  await reply.waitFor().catch(showScreen(page));
  assert.match(await reply.locator('.chat-message__who').textContent(), /Offline companion\s*Built-in replies, not AI/);
  assert.match(await reply.locator('.chat-message__body').textContent(), /not AI/);
  await log.locator('li.chat-message--mine', { hasText: 'I have been feeling anxious about work all week.' }).waitFor();
  // Why the offline companion answered (this server has no AI model configured).
  await page.getByText('The AI companion is not set up on this service, so the offline companion answered.').waitFor();
  await page.getByRole('status').filter({ hasText: 'Offline companion replied.' }).waitFor();
  assert.equal(await page.getByLabel('Your message').inputValue(), '', 'the box is cleared once the message is stored');
  await app.check('chat-reply');

  // A risky message: the crisis view takes over at once, with the numbers.
  await page.getByLabel('Your message').fill(RISKY);
  await page.getByRole('button', { name: 'Send' }).click();
  await expectHeading(page, /You do not have to go through this alone/);
  assert.ok(await page.locator('a[href="tel:999"]').count() >= 1);
  await app.check('chat-crisis');
  await page.getByRole('button', { name: 'Go back to what I was doing' }).click();
  await expectHeading(page, /^Companion$/);
  const safety = log.locator('li.chat-message--crisis');
  await safety.waitFor();
  assert.match(await safety.textContent(), /Safety response/);
  assert.match(await safety.textContent(), /has not been sent to the AI companion/);
  await safety.getByRole('link', { name: 'See who you can contact now' }).waitFor();
  assert.equal(await log.locator('li').count(), 4);

  // A long conversation (more messages through the API): the newest 20 first,
  // the earlier ones when asked for.
  const statuses = await page.evaluate(async () => {
    const session = await (await fetch('/api/auth/check-session')).json();
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.data.csrf_token };
    const path = `/api/patients/${encodeURIComponent(session.data.user.id)}/chat`;
    const codes = [];
    for (let index = 1; index <= 10; index += 1) {
      codes.push((await fetch(path, { method: 'POST', headers, body: JSON.stringify({ message: `Note to self number ${index}.` }) })).status);
    }
    return codes;
  });
  assert.deepEqual([...new Set(statuses)], [201]);
  await page.reload();
  await expectHeading(page, /^Companion$/);
  await log.locator('li', { hasText: 'Note to self number 10.' }).first().waitFor();
  assert.equal(await log.locator('li').count(), 20);
  assert.equal(await log.locator('li', { hasText: 'I have been feeling anxious about work all week.' }).count(), 0);
  await page.getByRole('button', { name: 'Show earlier messages' }).click();
  await log.locator('li.chat-message--mine', { hasText: 'I have been feeling anxious about work all week.' }).waitFor();
  assert.equal(await log.locator('li').count(), 24);
  assert.equal(await page.getByRole('button', { name: 'Show earlier messages' }).count(), 0);
  // Oldest first: the first message written is at the top.
  assert.match(await log.locator('li').first().textContent(), /anxious about work/);

  // The link to the consent choice opens Settings at AI chat.
  await page.getByRole('link', { name: 'Change your choice about AI chat' }).click();
  await expectHeading(page, /Settings/);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'consent-ai_chat-title');
  await page.getByRole('button', { name: 'Agree to AI chat' }).click();
  await page.getByText('Saved: you have agreed to AI chat.').waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'Companion' }).click();
  await expectHeading(page, /^Companion$/);
  await log.waitFor();
  assert.equal(await page.getByText('You have not agreed to AI chat').count(), 0);

  await page.setViewportSize({ width: 360, height: 800 });
  await app.check('chat-phone');
  await app.context.close();
});
