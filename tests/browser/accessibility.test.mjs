// Accessibility checks with axe-core (WCAG 2.x A and AA rules, including colour contrast
// and labels) on every page of the UI, at a 768px tablet width, plus keyboard-only sign-in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession } from '../support/api.mjs';
import { axeViolations, browserSuite, fitsViewport, freshPage, signIn, TABLET, watchConsole } from '../support/browser.mjs';
import { DEMO_PASSWORD } from '../support/server.mjs';

const ui = browserSuite({ browsers: { browser: TABLET } });

test('every page passes axe WCAG A/AA checks and fits a 768px tablet', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  watch.allowStatus(400, '/api/v1/patients');
  const found = {};
  const check = async (name) => {
    found[name] = await axeViolations(page);
    assert.ok(await fitsViewport(page), `${name} scrolls sideways at 768px`);
  };

  await page.goto(`${ui.server.baseUrl}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await check('sign-in');

  await signIn(page, ui.server.baseUrl, 'demo.admin');
  await page.locator('tbody a').first().waitFor();
  await check('patients');

  await page.locator('tbody a').first().click();
  await page.getByRole('heading', { name: 'Version history' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0);
  await check('chart');

  await page.getByRole('link', { name: 'Edit demographics' }).click();
  await page.getByLabel('Reason for change').waitFor();
  await check('edit');

  await page.goto(`${ui.server.baseUrl}/#/patients/new`);
  await page.getByRole('button', { name: 'Add allergy' }).click();
  await page.getByRole('button', { name: 'Create patient' }).click();
  await page.locator('.error-summary').waitFor();
  await check('new patient with errors');

  await page.goto(`${ui.server.baseUrl}/#/users`);
  await page.getByRole('cell', { name: 'demo.nurse', exact: true }).waitFor();
  await check('users');

  await page.goto(`${ui.server.baseUrl}/#/audit`);
  await page.getByRole('table').waitFor();
  await check('audit');

  await page.goto(`${ui.server.baseUrl}/#/protocols`);
  await page.getByRole('button', { name: /^Versions of IV racemic ketamine/ }).click();
  await page.getByRole('heading', { name: 'Publish version 2' }).waitFor();
  await check('protocols');

  await page.goto(`${ui.server.baseUrl}/#/consent-documents`);
  await page.getByRole('button', { name: 'Publish document' }).click();
  await page.locator('.error-summary').waitFor();
  await check('consent documents with errors');

  // The safety alerts page with one open alert (read-only for the admin).
  const nurse = await apiSession(ui.server.baseUrl, 'demo.nurse');
  const someone = (await nurse.get('/api/v1/patients?limit=1')).body.items[0];
  await nurse.send('POST', `/api/v1/patients/${someone.id}/measures`, { instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 1] });
  await page.goto(`${ui.server.baseUrl}/#/alerts`);
  await page.getByRole('list', { name: 'Open safety alerts' }).waitFor();
  await check('safety alerts');

  // The chair board and the monitor pages (no monitor has sent anything on this server).
  // Without the server's event stream (404) the board polls and says so.
  watch.allowStatus(404, '/api/v1/events');
  await page.goto(`${ui.server.baseUrl}/#/chairs`);
  await page.getByRole('list', { name: 'Chairs' }).or(page.locator('.empty-state')).waitFor();
  await check('chair board');

  await page.goto(`${ui.server.baseUrl}/#/monitor/unassigned`);
  await page.getByRole('table').or(page.getByText('No unassigned readings.')).waitFor();
  await check('unassigned vitals');

  await page.goto(`${ui.server.baseUrl}/#/monitor/devices`);
  await page.getByRole('table').or(page.getByText(/^No monitor has sent anything yet/)).waitFor();
  await check('monitor devices');

  await page.goto(`${ui.server.baseUrl}/#/nowhere`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await check('not found');

  const failing = Object.entries(found).filter(([, list]) => list.length);
  assert.deepEqual(failing, [], JSON.stringify(Object.fromEntries(failing), null, 2));
  assert.deepEqual(watch.problems(), []);
});

test('signing in works with the keyboard alone, and focus is visible', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await page.goto(`${ui.server.baseUrl}/`);
  await page.getByLabel('Username').waitFor();
  // The username field has focus on arrival.
  await page.keyboard.type('demo.nurse');
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused button shows an outline');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  assert.deepEqual(watch.problems(), []);
});
