// Browser tests of signing in and out against the real server (demo clinic).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { DEMO_PASSWORD, FIRST_CLINIC } from '../support/server.mjs';

const ui = browserSuite();

test('signing in shows the clinic name, the user and the permitted pages', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.nurse');
  await page.locator('header').getByText(FIRST_CLINIC).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert.equal(await nav.getByRole('link', { name: 'Patients' }).count(), 1);
  assert.equal(await page.getByRole('heading', { level: 1, name: 'Patients' }).count(), 1);
  assert.deepEqual(watch.problems(), []);
});

test('a wrong password shows the error and stays on the sign-in page', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await page.goto(`${ui.server.baseUrl}/`);
  await page.getByLabel('Username').fill('demo.nurse');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.notEqual((await alert.innerText()).trim(), '');
  assert.equal(await page.getByRole('heading', { name: 'Sign in' }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
  assert.equal(await page.getByLabel('Password').inputValue(), '');
  assert.deepEqual(watch.problems(), []);
});

test('the session survives a reload, and signing out returns to the sign-in page', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.therapist');
  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.deepEqual(watch.problems(), []);
});

test('a locked account shows the server\'s message and stays on the sign-in page', async () => {
  // Fail sign-in through the API until the server locks the account (it answers 423).
  let locked = null;
  for (let attempt = 0; attempt < 20 && !locked; attempt++) {
    const response = await fetch(`${ui.server.baseUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'demo.prescriber', password: `wrong-${attempt}` }),
    });
    const body = await response.json();
    if (response.status === 423) locked = body.error.message;
  }
  assert.ok(locked, 'the server locked the account after repeated failures');

  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  watch.allowStatus(423, '/api/v1/session');
  await page.goto(`${ui.server.baseUrl}/`);
  await page.getByLabel('Username').fill('demo.prescriber');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal((await page.getByRole('alert').innerText()).trim(), locked);
  assert.equal(await page.getByRole('heading', { name: 'Sign in' }).count(), 1);
  assert.deepEqual(watch.problems(), []);
});
