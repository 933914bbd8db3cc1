// Browser tests of user administration: add a user with roles, change roles,
// reset the password, disable; checked by signing in as that user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';

const FORBIDDEN = 'You do not have permission to view this page';
const FIRST_PASSWORD = 'first-password-for-ward';
const SECOND_PASSWORD = 'second-password-for-ward';

const ui = browserSuite();

async function openUsers(page) {
  await signIn(page, ui.server.baseUrl, 'demo.admin', undefined, '#/users');
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  await page.getByRole('cell', { name: 'demo.nurse', exact: true }).waitFor();
}

function rowOf(page, username) {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });
}

test('an administrator adds a user, changes their roles, resets the password and disables them', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await openUsers(page);

  await page.getByLabel('Username').fill('test.ward');
  await page.getByLabel('Display name').fill('Wren Ward');
  await page.getByLabel('Initial password').fill(FIRST_PASSWORD);
  await page.getByRole('group', { name: 'Roles in this clinic' }).getByLabel('Front desk').check();
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByText('test.ward was added.').waitFor();
  assert.match(await rowOf(page, 'test.ward').innerText(), /Front desk/);

  await rowOf(page, 'test.ward').getByRole('button', { name: 'Change roles' }).click();
  const roles = page.getByRole('group', { name: 'Roles of test.ward' });
  await roles.getByLabel('Front desk').uncheck();
  await roles.getByLabel('Auditor').check();
  await page.getByRole('button', { name: 'Save roles', exact: true }).click();
  await page.getByText('Roles of test.ward were changed.').waitFor();
  // The list reloads after the message: wait for the row to show the new role.
  await rowOf(page, 'test.ward').getByText(/Auditor/).waitFor();
  assert.match(await rowOf(page, 'test.ward').innerText(), /Auditor/);
  assert.doesNotMatch(await rowOf(page, 'test.ward').innerText(), /Front desk/);

  await rowOf(page, 'test.ward').getByRole('button', { name: 'Reset password' }).click();
  await page.getByLabel('New password for test.ward').fill(SECOND_PASSWORD);
  await page.getByRole('button', { name: 'Set password', exact: true }).click();
  await page.getByText('The password of test.ward was reset.').waitFor();

  assert.deepEqual(watch.problems(), []);

  // The new user signs in with the reset password and sees only what an auditor may see.
  const other = await freshPage(ui.browser.context);
  const otherWatch = watchConsole(other);
  await signIn(other, ui.server.baseUrl, 'test.ward', SECOND_PASSWORD, '#/patients');
  await other.getByText(FORBIDDEN).waitFor();
  assert.deepEqual(await other.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts(), ['Audit', 'Controlled substances']);
  assert.deepEqual(otherWatch.problems(), []);

  const admin = await freshPage(ui.browser.context);
  const adminWatch = watchConsole(admin);
  await openUsers(admin);
  await rowOf(admin, 'test.ward').getByRole('button', { name: 'Disable' }).click();
  await admin.getByRole('button', { name: 'Disable user', exact: true }).click();
  await admin.getByText('test.ward was disabled and signed out.').waitFor();
  // The list reloads after the notice; wait for it rather than race it.
  await rowOf(admin, 'test.ward').getByText('Disabled', { exact: true }).waitFor();
  assert.match(await rowOf(admin, 'test.ward').innerText(), /Disabled/);
  assert.deepEqual(adminWatch.problems(), []);
});

test('a server rule on the new user is shown next to its field', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  watch.allowStatus(400, '/api/v1/users');
  watch.allowStatus(409, '/api/v1/users');
  await openUsers(page);
  await page.getByLabel('Username').fill('demo.nurse');
  await page.getByLabel('Display name').fill('Second Nurse');
  await page.getByLabel('Initial password').fill(FIRST_PASSWORD);
  await page.getByRole('group', { name: 'Roles in this clinic' }).getByLabel('Nurse').check();
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByText('The user was not added').waitFor();
  const username = page.getByLabel('Username');
  assert.equal(await username.getAttribute('aria-invalid'), 'true');
  const errorId = (await username.getAttribute('aria-describedby')) ?? '';
  assert.notEqual((await page.locator(`[id="${errorId}"]`).innerText()).trim(), '');
  assert.deepEqual(watch.problems(), []);
});
