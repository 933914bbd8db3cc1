// Browser test of Schedule set-up (schedule.setup, admins): the admin opens it from the
// Schedule page, adds a chair (a duplicate name is refused next to the field, in the server's
// words), takes it out of service with the keyboard (a reason is required) and sees it out of
// service in the list and on the calendar; chooses a nurse, is refused an end before the start
// client-side, sets Monday–Friday 08:00–16:00 with a reason and sees the hours after a reload.
// The view passes axe and fits a 768 px tablet. A nurse sees neither the link nor the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { apiSession } from '../support/api.mjs';

const ui = browserSuite();

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

test('the admin adds a chair, takes it out of service and sets a nurse’s working hours', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.admin', undefined, '#/schedule');
  await page.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
  await page.getByRole('link', { name: /Schedule set-up/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Schedule set-up' }).waitFor();
  await page.locator('caption', { hasText: 'Chairs in Infusion room A' }).waitFor();

  // Add a chair; the same name again is refused next to the name field, verbatim.
  const add = page.getByRole('form', { name: 'Add a chair' });
  await add.getByRole('button', { name: 'Add chair' }).click();
  await add.locator('#f-name-error', { hasText: 'Enter the chair name.' }).waitFor();
  await add.getByLabel('Chair name').fill('Chair S1');
  await add.getByLabel('Room').fill('Set-up room');
  await add.getByRole('button', { name: 'Add chair' }).click();
  await page.getByText('Added Chair S1 in Set-up room.').waitFor();
  const table = page.getByRole('table', { name: 'Chairs in Set-up room' });
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Chair S1' }) });
  await row.getByText('In service').waitFor();

  watch.allowStatus(409, '/api/v1/chairs');
  await add.getByLabel('Chair name').fill('Chair S1');
  await add.getByLabel('Room').fill('Set-up room');
  await add.getByRole('button', { name: 'Add chair' }).click();
  await add.locator('#f-name-error', { hasText: "a chair named 'Chair S1' already exists in this clinic" }).waitFor();
  assert.equal(await add.getByLabel('Chair name').getAttribute('aria-invalid'), 'true');

  // Out of service with the keyboard; a reason is required.
  await row.getByRole('button', { name: 'Take out of service (Chair S1)' }).focus();
  await page.keyboard.press('Enter');
  const service = page.getByRole('form', { name: 'Take Chair S1 out of service' });
  await service.waitFor();
  // Focus moves into the form once it has rendered.
  await page.waitForFunction(() => document.activeElement?.labels?.[0]?.textContent === 'Reason (required)', null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => document.activeElement?.labels?.[0]?.textContent), 'Reason (required)', 'focus moves into the form');
  await service.getByRole('button', { name: 'Take out of service' }).click();
  await service.getByText('Enter a reason.').waitFor();
  await service.getByLabel('Reason').fill('pump fault, awaiting repair');
  await service.getByRole('button', { name: 'Take out of service' }).click();
  await page.getByText('Chair S1 is out of service: pump fault, awaiting repair.').waitFor();
  await row.getByText('Out of service').waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === 'Put back into service (Chair S1)');
  assert.match(await row.innerText(), /pump fault, awaiting repair/);

  // Someone else puts it back meanwhile: the 409 is shown in the server's words.
  const admin = await apiSession(ui.server.baseUrl, 'demo.admin');
  await row.getByRole('button', { name: 'Put back into service (Chair S1)' }).click();
  const back = page.getByRole('form', { name: 'Put Chair S1 back into service' });
  await back.getByLabel('Reason').fill('repaired');
  const chairs = await admin.get('/api/v1/chairs');
  const s1 = chairs.body.items.find((c) => c.name === 'Chair S1');
  assert.equal((await admin.send('POST', `/api/v1/chairs/${s1.id}/service`, { in_service: true, reason: 'fixed by biomed' })).status, 200);
  await back.getByRole('button', { name: 'Put back into service' }).click();
  await page.getByRole('alert').filter({ hasText: 'Not changed: Chair S1 is already in service' }).waitFor();
  await row.getByText('In service').waitFor();
  await row.getByRole('button', { name: 'Take out of service (Chair S1)' }).click();
  await page.getByRole('form', { name: 'Take Chair S1 out of service' }).getByLabel('Reason').fill('pump fault again');
  await page.getByRole('form', { name: 'Take Chair S1 out of service' }).getByRole('button', { name: 'Take out of service' }).click();
  await page.getByText('Chair S1 is out of service: pump fault again.').waitFor();

  // Working hours of a nurse.
  const hours = page.getByRole('region', { name: 'Working hours' });
  await hours.getByLabel('Staff member').selectOption({ label: 'Maria Lindqvist, RN (Nurse)' });
  const editor = page.getByRole('form', { name: 'Edit the hours of Maria Lindqvist, RN' });
  await editor.waitFor();
  for (const day of WEEKDAYS) {
    if ((await editor.getByLabel(`${day} start`, { exact: true }).count()) === 0) {
      await editor.getByRole('button', { name: `Add range on ${day}` }).click();
    }
    await editor.getByLabel(`${day} start`, { exact: true }).fill('08:00');
    await editor.getByLabel(`${day} end`, { exact: true }).fill('16:00');
  }
  for (const day of ['Saturday', 'Sunday']) {
    while ((await editor.getByRole('button', { name: new RegExp(`^Remove ${day} range`) }).count()) > 0) {
      await editor.getByRole('button', { name: new RegExp(`^Remove ${day} range`) }).first().click();
    }
  }
  // End before start: refused before anything is sent, next to the field and in the summary.
  await editor.getByLabel('Monday end', { exact: true }).fill('07:00');
  await editor.getByRole('button', { name: 'Save working hours' }).click();
  await editor.locator('#f-hours-monday-0-end-error', { hasText: 'Monday end: must be after the start (08:00).' }).waitFor();
  await editor.getByRole('alert').getByRole('button', { name: 'Monday end: must be after the start (08:00).' }).waitFor();
  await editor.getByLabel('Monday end', { exact: true }).fill('16:00');

  // A rule only the server knows (at most 4 ranges a day): its error sits at the day it names.
  watch.allowStatus(400, '/api/v1/staff/');
  for (let i = 1; i <= 5; i += 1) {
    await editor.getByRole('button', { name: 'Add range on Sunday' }).click();
    await editor.getByLabel(i === 1 ? 'Sunday start' : `Sunday start ${i}`, { exact: true }).fill(`0${i}:00`);
    await editor.getByLabel(i === 1 ? 'Sunday end' : `Sunday end ${i}`, { exact: true }).fill(`0${i}:30`);
  }
  await editor.getByRole('button', { name: 'Save working hours' }).click();
  await editor.locator('#f-hours-sunday-error', { hasText: 'has more than 4 intervals' }).waitFor();
  assert.equal(await editor.locator('#f-hours-sunday').getAttribute('aria-describedby'), 'f-hours-sunday-error');
  while ((await editor.getByRole('button', { name: /^Remove Sunday range/ }).count()) > 0) {
    await editor.getByRole('button', { name: /^Remove Sunday range/ }).first().click();
  }
  await editor.getByLabel('Reason for the change').fill('new rota from January');
  assert.deepEqual(await axeViolations(page), [], 'the set-up view passes axe WCAG A/AA');
  await editor.getByRole('button', { name: 'Save working hours' }).click();
  await page.getByText(/Working hours of Maria Lindqvist, RN saved as version \d+\./).waitFor();

  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Schedule set-up' }).waitFor();
  await page.getByRole('region', { name: 'Working hours' }).getByLabel('Staff member').selectOption({ label: 'Maria Lindqvist, RN (Nurse)' });
  const week = page.getByRole('definition');
  await page.getByText(/set .* by demo\.admin \(new rota from January\)\./).waitFor();
  assert.deepEqual(await week.allInnerTexts(), [...WEEKDAYS.map(() => '08:00–16:00'), 'Day off', 'Day off']);
  assert.equal(await page.getByLabel('Friday end', { exact: true }).inputValue(), '16:00');

  // Tablet width: nothing wider than the screen.
  await page.setViewportSize({ width: 768, height: 1024 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the set-up view fits 768 px (overflow ${overflow}px)`);
  assert.deepEqual(await axeViolations(page), [], 'the set-up view passes axe at tablet width');
  await page.setViewportSize({ width: 1280, height: 800 });

  // The calendar shows the chair out of service.
  await page.getByRole('link', { name: 'Back to the schedule' }).click();
  await page.locator('caption', { hasText: 'by chair' }).waitFor();
  await page.getByRole('rowheader', { name: /Chair S1 Set-up room \(out of service\)/ }).waitFor();

  const staff = await admin.get('/api/v1/schedule/staff');
  const nurse = staff.body.items.find((s) => s.username === 'demo.nurse');
  assert.deepEqual(nurse.hours.monday, [{ start: '08:00', end: '16:00' }]);
  assert.deepEqual(nurse.hours.saturday, []);
  assert.deepEqual(watch.problems(), []);
});

test('a nurse sees neither the set-up link nor the set-up page', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, '#/schedule');
  await page.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
  await page.locator('caption', { hasText: 'by chair' }).waitFor();
  assert.equal(await page.getByRole('link', { name: /Schedule set-up/ }).count(), 0);
  await page.goto(`${ui.server.baseUrl}/#/schedule/setup`);
  await page.getByRole('heading', { level: 1, name: 'Not permitted' }).waitFor();
  assert.equal(await page.getByRole('form', { name: 'Add a chair' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /out of service/ }).count(), 0);
  assert.equal(await page.getByLabel('Staff member').count(), 0);
  assert.deepEqual(watch.problems(), []);
});
