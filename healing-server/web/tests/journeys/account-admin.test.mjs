// An admin's account actions. The users list is filtered by role, state and
// name. Disabling a patient's account asks for a reason in a dialog that says
// what happens (too short a reason is refused in words; Escape closes it and
// gives focus back); once done, the row says so, the patient's open session is
// signed out at once and their sign-in is refused. Enabling lets them sign in
// again. Erasing another patient needs their username typed again (a wrong
// one is refused), says what is deleted and what is kept, and takes the row
// away; their sign-in is refused. The admin cannot act on their own account.
// Each action is in the audit log. It all fits a 360-pixel phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journeySuite, registerPatient, signIn, expectHeading, enrol, tabTo, showScreen, expectFocus } from '../lib/harness.mjs';

const REASON = 'Reported lost phone; locking the account until identity is checked';
const ERASE_REASON = 'Erasure request by email from the patient, received 3 March';

const suite = journeySuite({ chief: 'admin', 'dr.wu': 'clinician' });

const rows = (page) => page.locator('main table tbody tr');
const rowOf = (page, username) => rows(page).filter({ has: page.getByRole('cell', { name: username, exact: true }) });

test('an admin finds accounts, disables and enables a patient, and erases another', async () => {
  const lee = await suite.open('account-admin-patient');
  await registerPatient(lee.page, 'lee.f', 'Lee');
  const sol = await suite.open('account-admin-erased');
  await registerPatient(sol.page, 'sol.k', 'Sol');
  await sol.page.locator('label[for="mood-6"]').click();
  await sol.page.getByRole('button', { name: 'Save my mood' }).click();
  await sol.page.getByText('You have recorded your mood today. Thank you.').waitFor();
  await sol.context.close();

  const admin = await suite.open('account-admin');
  const { page } = admin;
  await enrol(admin, 'chief', 'account-admin');
  await expectHeading(page, /^Users$/);
  await rowOf(page, 'lee.f').waitFor();
  assert.equal(await rows(page).count(), 4);
  // Their own row offers no account actions.
  await rowOf(page, 'chief').getByText('This is your account').waitFor();
  assert.equal(await rowOf(page, 'chief').getByRole('button', { name: /^(Disable|Erase)/ }).count(), 0);
  await admin.check('users');

  // Filters: the role, words in the name, the state; Clear shows everyone again.
  await page.getByLabel('Role', { exact: true }).selectOption('patient');
  await page.getByRole('button', { name: 'Show users' }).click();
  await page.waitForFunction(() => document.querySelectorAll('main table tbody tr').length === 2);
  assert.equal(await rowOf(page, 'dr.wu').count(), 0);
  await page.getByLabel('Name or username contains').fill('SOL');
  await page.getByRole('button', { name: 'Show users' }).click();
  await page.waitForFunction(() => document.querySelectorAll('main table tbody tr').length === 1);
  await rowOf(page, 'sol.k').waitFor();
  // The search takes no more than the server's 100 characters.
  await page.getByLabel('Name or username contains').fill('x'.repeat(101));
  assert.equal((await page.getByLabel('Name or username contains').inputValue()).length, 100);
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.waitForFunction(() => document.querySelectorAll('main table tbody tr').length === 4);
  assert.equal(await page.getByLabel('Name or username contains').inputValue(), '');
  await page.getByLabel('Account', { exact: true }).selectOption('disabled');
  await page.getByRole('button', { name: 'Show users' }).click();
  await page.getByText('No users match. Try fewer words or another role.').waitFor();
  await admin.check('users-none-disabled');
  await page.getByLabel('Account', { exact: true }).selectOption('');
  await page.getByRole('button', { name: 'Show users' }).click();
  await rowOf(page, 'lee.f').waitFor();

  // Disable Lee: the dialog says what happens; too short a reason is refused.
  const disable = page.getByRole('button', { name: 'Disable for Lee' });
  await disable.click();
  const disableDialog = page.getByRole('dialog', { name: "Disable Lee's account?" });
  await disableDialog.waitFor();
  const words = await disableDialog.textContent();
  assert.match(words, /signed out at once/);
  assert.match(words, /cannot sign in until an admin enables the account again/);
  await disableDialog.getByLabel('Why?').fill('lost');
  await disableDialog.getByRole('button', { name: 'Disable the account' }).click();
  await disableDialog.locator('.error-summary', { hasText: 'Your reason is too short. Write at least 10 characters' }).waitFor();
  await admin.check('disable-refused');
  // Escape closes it and gives focus back; it opens again with the keyboard.
  await page.keyboard.press('Escape');
  await disableDialog.waitFor({ state: 'hidden' });
  await expectFocus(page, () => document.activeElement && /^Disable for Lee/.test(document.activeElement.textContent.trim()), 'the Disable button');
  await page.keyboard.press('Enter');
  await disableDialog.waitFor();
  await expectFocus(page, () => document.activeElement && document.activeElement.id === 'account_reason', 'the reason');
  assert.equal(await disableDialog.getByLabel('Why?').inputValue(), '', 'a new opening starts afresh');
  await page.keyboard.type(REASON);
  await tabTo(page, /^\|Disable the account\|/);
  await page.keyboard.press('Enter');
  const disabled = page.locator('.notice', { hasText: "Lee's account is disabled. They have been signed out and cannot sign in." });
  await disabled.waitFor().catch(showScreen(page));
  await expectFocus(page, () => document.activeElement && document.activeElement.classList.contains('notice'), 'the confirmation');
  await rowOf(page, 'lee.f').getByText(/^Disabled since /).waitFor();
  await rowOf(page, 'lee.f').getByRole('button', { name: 'Enable for Lee' }).waitFor();
  await admin.check('disabled');

  // Lee's open session has ended: the next screen says so, and signing in is refused.
  await lee.page.getByRole('navigation').getByRole('link', { name: 'Mood' }).click();
  await lee.page.getByText('You have been signed out. Sign in again to continue.').waitFor().catch(showScreen(lee.page));
  await lee.check('signed-out');
  await signIn(lee.page, 'lee.f');
  await lee.page.locator('.error-summary', { hasText: 'The username or password is not right' }).waitFor().catch(showScreen(lee.page));
  await expectHeading(lee.page, /^Sign in$/);
  lee.problems.length = 0;

  // The list of disabled accounts has Lee.
  await page.getByLabel('Account', { exact: true }).selectOption('disabled');
  await page.getByRole('button', { name: 'Show users' }).click();
  await page.waitForFunction(() => document.querySelectorAll('main table tbody tr').length === 1);
  await rowOf(page, 'lee.f').waitFor();

  // Enable Lee again: the row says so, and Lee signs in.
  await rowOf(page, 'lee.f').getByRole('button', { name: 'Enable for Lee' }).click();
  const enableDialog = page.getByRole('dialog', { name: "Enable Lee's account?" });
  await enableDialog.waitFor();
  assert.match(await enableDialog.textContent(), /able to sign in again/);
  await enableDialog.getByLabel('Why?').fill('Identity checked by phone with the patient');
  await enableDialog.getByRole('button', { name: 'Enable the account' }).click();
  await page.locator('.notice', { hasText: "Lee's account is enabled. They can sign in again." }).waitFor();
  await rowOf(page, 'lee.f').getByText('Can sign in').waitFor();
  await rowOf(page, 'lee.f').getByRole('button', { name: 'Disable for Lee' }).waitFor();
  await signIn(lee.page, 'lee.f');
  await expectHeading(lee.page, /Hello, Lee/);
  await lee.context.close();

  // Erase Sol: what is deleted and kept is said; a wrong username is refused.
  await page.getByRole('button', { name: 'Clear' }).click();
  await rowOf(page, 'sol.k').waitFor();
  await rowOf(page, 'sol.k').getByRole('button', { name: 'Erase for Sol' }).click();
  const eraseDialog = page.getByRole('dialog', { name: "Erase Sol's account and everything in it?" });
  await eraseDialog.waitFor();
  await eraseDialog.getByRole('heading', { name: 'What is deleted' }).waitFor();
  await eraseDialog.getByRole('heading', { name: 'What is kept' }).waitFor();
  assert.match(await eraseDialog.textContent(), /cannot be undone/);
  assert.match(await eraseDialog.textContent(), /audit log/);
  await eraseDialog.getByLabel('Why?').fill(ERASE_REASON);
  await eraseDialog.getByRole('button', { name: 'Erase the account and data' }).click();
  await eraseDialog.locator('.error-summary', { hasText: 'Type the username to confirm' }).waitFor();
  await eraseDialog.getByLabel('To confirm, type their username: sol.k').fill('lee.f');
  await eraseDialog.getByRole('button', { name: 'Erase the account and data' }).click();
  await eraseDialog.locator('#confirm_username-error', { hasText: 'That is not sol.k. Type the username exactly as it is shown' }).waitFor();
  await admin.check('erase-refused');
  // The server checks the username too.
  const refused = await page.evaluate(async (username) => {
    const session = await (await fetch('/api/auth/check-session')).json();
    const users = await (await fetch(`/api/admin/users?q=${username}`)).json();
    const response = await fetch(`/api/admin/users/${users.data[0].id}/erase`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.data.csrf_token },
      body: JSON.stringify({ reason: 'Checking the confirmation is needed', confirm_username: 'lee.f' }),
    });
    return (await response.json()).code;
  }, 'sol.k');
  assert.equal(refused, 'CONFIRMATION_MISMATCH');
  await eraseDialog.getByLabel('To confirm, type their username: sol.k').fill('sol.k');
  await eraseDialog.getByRole('button', { name: 'Erase the account and data' }).click();
  await page.locator('.notice', { hasText: /^Sol's account and data have been erased: \d+ records deleted\.$/ }).waitFor().catch(showScreen(page));
  await eraseDialog.waitFor({ state: 'hidden' });
  assert.equal(await rowOf(page, 'sol.k').count(), 0);
  await page.reload();
  await expectHeading(page, /^Users$/);
  await rowOf(page, 'lee.f').waitFor();
  assert.equal(await rowOf(page, 'sol.k').count(), 0);
  assert.equal(await rows(page).count(), 3);

  const gone = await suite.open('account-admin-erased-sign-in');
  await signIn(gone.page, 'sol.k');
  await gone.page.locator('.error-summary', { hasText: 'The username or password is not right' }).waitFor();
  await gone.context.close();

  // The audit log has each action.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expectHeading(page, /Audit log/);
  for (const action of ['account_disabled', 'account_enabled', 'account_erased']) {
    await page.getByRole('cell', { name: action, exact: true }).first().waitFor().catch(showScreen(page));
  }

  // On a phone, with the erase dialog open.
  await page.setViewportSize({ width: 360, height: 800 });
  await page.getByRole('link', { name: 'Users' }).click();
  await expectHeading(page, /^Users$/);
  await rowOf(page, 'lee.f').waitFor();
  await admin.check('users-phone');
  await rowOf(page, 'lee.f').getByRole('button', { name: 'Erase for Lee' }).click();
  await page.getByRole('dialog', { name: "Erase Lee's account and everything in it?" }).waitFor();
  await admin.check('erase-dialog-phone');
  await page.keyboard.press('Escape');
  await admin.context.close();
});
