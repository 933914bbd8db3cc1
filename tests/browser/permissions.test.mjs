// Browser tests of what each role may see: navigation, the forbidden view,
// the audit log and user pages, and the clinic switcher.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSuite, freshPage, signIn, TABLET, watchConsole } from '../support/browser.mjs';
import { apiSession } from '../support/api.mjs';
import { FIRST_CLINIC, SECOND_CLINIC } from '../support/server.mjs';

const FORBIDDEN = 'You do not have permission to view this page';

const ui = browserSuite({ browsers: { browser: TABLET } });

async function navLinks(page) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
}

test('front desk opening the audit page sees the permission message', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.frontdesk');
  assert.ok(!(await navLinks(page)).includes('Audit'));
  await page.goto(`${ui.server.baseUrl}/#/audit`);
  await page.getByText(FORBIDDEN).waitFor();
  assert.equal(await page.getByRole('table').count(), 0);
  assert.deepEqual(watch.problems(), []);
});

test('front desk opening the users page sees the permission message', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.frontdesk', undefined, '#/users');
  await page.getByText(FORBIDDEN).waitFor();
  assert.deepEqual(watch.problems(), []);
});

/** Opens one patient's chart through the API as `username`; returns the patient id. */
async function openSomeChartViaApi(username) {
  const api = await apiSession(ui.server.baseUrl, username);
  const list = await api.get('/api/v1/patients?limit=1');
  const id = list.body.items[0].id;
  assert.equal((await api.get(`/api/v1/patients/${id}`)).status, 200);
  return String(id);
}

test('the auditor finds who opened a chart, and has no patient or user pages', async () => {
  const patientId = await openSomeChartViaApi('demo.nurse');
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.auditor');
  assert.deepEqual(await navLinks(page), ['Audit', 'Controlled substances']);
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  await page.getByLabel('Patient id').fill(patientId);
  await page.getByLabel('Username').fill('demo.nurse');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  // The unfiltered table is on the page until the filtered rows arrive: wait for the one that
  // names the filter (its caption), not for any table.
  await page.getByRole('table', { name: `Audit events of patient ${patientId} by demo.nurse, newest first` }).waitFor();
  const users = await page.locator('tbody tr td:nth-child(2)').allInnerTexts();
  const patients = await page.locator('tbody tr td:nth-child(5)').allInnerTexts();
  assert.ok(users.length >= 1, 'the chart view is in the audit log');
  assert.ok(users.every((u) => u.trim() === 'demo.nurse'), users.join(','));
  assert.ok(patients.every((p) => p.trim() === patientId), patients.join(','));
  await page.goto(`${ui.server.baseUrl}/#/patients`);
  await page.getByText(FORBIDDEN).waitFor();
  assert.deepEqual(watch.problems(), []);
});

test('the admin sees every page without console errors and can switch clinic', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.admin');
  assert.deepEqual(await navLinks(page), ['Patients', 'Today', 'Chairs', 'REMS tracker', 'Alerts', 'Overdue measures', 'Schedule', 'Users', 'Audit', 'Controlled substances', 'Protocols', 'Consent documents', 'Alert rules', 'Instrument settings']);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
  await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
  await page.getByRole('list', { name: 'Sessions by chair' }).or(page.getByText('No sessions on this day.')).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Check in for a session' }).count(), 0, 'the admin does not record on sessions');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Protocols' }).click();
  await page.getByRole('heading', { level: 1, name: 'Protocols' }).waitFor();
  await page.getByRole('cell', { name: /iv-racemic-ketamine/ }).waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consent documents' }).click();
  await page.getByRole('heading', { level: 1, name: 'Consent documents' }).waitFor();
  await page.getByRole('table').waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alert rules' }).click();
  await page.getByRole('heading', { level: 1, name: 'Alert rules' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'New rule' }).waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instrument settings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Instrument settings' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'PTSD Checklist for DSM-5 (PCL-5)' }).waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  await page.getByRole('cell', { name: 'demo.nurse', exact: true }).waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  await page.getByRole('table').or(page.getByText('No audit events match')).waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('heading', { level: 1, name: 'Patients' }).waitFor();
  await page.locator('tbody a').first().click();
  await page.getByRole('heading', { name: 'Version history' }).waitFor();
  await page.getByRole('link', { name: 'Edit demographics' }).click();
  await page.getByLabel('Reason for change').waitFor();
  await page.getByRole('link', { name: 'Cancel' }).click();
  await page.getByRole('heading', { name: 'Version history' }).waitFor();

  const switcher = page.getByLabel('Clinic', { exact: true });
  const header = page.locator('header');
  const before = (await header.innerText()).includes(FIRST_CLINIC) ? FIRST_CLINIC : SECOND_CLINIC;
  const other = before === FIRST_CLINIC ? SECOND_CLINIC : FIRST_CLINIC;
  await switcher.selectOption({ label: other });
  await header.locator('.app-header__clinic-name', { hasText: other }).waitFor();
  await page.getByRole('heading', { level: 1, name: 'Patients' }).waitFor();
  await page.locator('tbody a').first().waitFor();
  assert.deepEqual(watch.problems(), []);
});

test('a user in one clinic has no clinic switcher', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.frontdesk');
  await page.locator('header').getByText(FIRST_CLINIC).waitFor();
  assert.equal(await page.getByLabel('Clinic', { exact: true }).count(), 0);
  assert.deepEqual(watch.problems(), []);
});
