// Browser test of the Schedule page: the front desk opens Schedule from the navigation, moves
// to a free day with the date field, books a new patient on a chair with a clinician (patient
// found by MRN), sees the appointment in the day view by chair, is told in words when a second
// booking collides with it, opens the appointment with the keyboard, cannot reschedule without
// a reason, reschedules and then cancels with reasons (both in its history), steps through the
// week view, and records a reminder from the reminders list. The therapist sees the calendar
// without booking controls.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { apiSession } from '../support/api.mjs';

const ZONE = 'America/Chicago';

const ui = browserSuite();

const localNow = () => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date())
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
};
const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
function mondayAhead(days) {
  let day = addDays(localNow().slice(0, 10), days);
  while (new Date(`${day}T00:00:00Z`).getUTCDay() !== 1) day = addDays(day, 1);
  return day;
}

async function newPatient(desk, family) {
  const created = await desk.send('POST', '/api/v1/patients', { family_name: family, given_names: 'Rosalind', birth_date: '1979-05-02', sex: 'female' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

test('the front desk books, sees a conflict, reschedules and cancels with reasons, and sends a reminder', async () => {
  const desk = await apiSession(ui.server.baseUrl, 'demo.frontdesk');
  const admin = await apiSession(ui.server.baseUrl, 'demo.admin');
  const patient = await newPatient(desk, 'Quillfeather');
  const other = await newPatient(desk, 'Brackenridge');
  const monday = mondayAhead(21);

  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.frontdesk');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedule' }).click();
  await page.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
  await page.getByLabel('Date', { exact: true }).fill(monday);
  await page.locator('caption', { hasText: 'by chair' }).waitFor();

  const book = async (who, time) => {
    const form = page.getByRole('form', { name: 'Book an appointment' });
    await form.getByLabel('Patient').fill(who.mrn);
    await form.getByRole('list', { name: 'Matching patients' }).getByRole('button', { name: new RegExp(who.mrn) }).click();
    await form.getByLabel('Chair').selectOption({ label: 'Chair 1 (Infusion room A)' });
    await form.getByLabel('Clinician').selectOption({ label: 'Dr. Samuel Osei (prescriber)' });
    await form.getByLabel('Kind').selectOption({ label: 'Assessment' });
    await form.getByLabel('Appointment date').fill(monday);
    await form.getByLabel('Start time').fill(time);
    await form.getByLabel('Duration (minutes)').fill('60');
    await form.getByRole('button', { name: 'Book' }).click();
  };
  await book(patient, '10:00');
  await page.getByText(`Booked Quillfeather, Rosalind on Chair 1, ${monday} 10:00.`).waitFor();
  const slot = page.getByRole('button', { name: `10:00–11:00 Assessment: Quillfeather, Rosalind (${patient.mrn}) with Dr. Samuel Osei` });
  await slot.waitFor();
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Chair 1/ }) });
  assert.match(await row.innerText(), new RegExp(patient.mrn));
  assert.deepEqual(await axeViolations(page), [], 'the day view passes axe WCAG A/AA');

  watch.allowStatus(409, '/api/v1/appointments'); // the refused booking below
  await book(other, '10:30');
  await page.getByText(`Not booked: Chair 1 is booked ${monday} 10:00-11:00 for another appointment`, { exact: false }).first().waitFor();

  await slot.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('region', { name: /Assessment · Quillfeather, Rosalind/ });
  await panel.waitFor();
  const move = panel.getByRole('form', { name: 'Reschedule appointment' });
  await move.getByLabel('New start time').fill('13:00');
  await move.getByRole('button', { name: 'Reschedule' }).click();
  await move.getByText('Enter a reason.').waitFor();
  await move.getByLabel('Reason for the change').fill('patient asked for the afternoon');
  await move.getByRole('button', { name: 'Reschedule' }).click();
  await page.getByText(`Appointment for Quillfeather, Rosalind moved to ${monday} 13:00.`).waitFor();

  await page.getByRole('button', { name: /^13:00–14:00 Assessment: Quillfeather/ }).click();
  const cancel = page.getByRole('form', { name: 'Cancel appointment' });
  await cancel.getByLabel('Reason for cancelling').fill('patient unwell');
  await cancel.getByRole('button', { name: 'Cancel appointment' }).click();
  await page.getByText(`Appointment for Quillfeather, Rosalind on ${monday} 13:00 cancelled.`).waitFor();
  await page.getByRole('button', { name: /^13:00–14:00 Assessment: Quillfeather.*, cancelled$/ }).click();
  const history = page.getByRole('list', { name: 'Appointment history' });
  await history.waitFor();
  const lines = await history.getByRole('listitem').allInnerTexts();
  assert.equal(lines.length, 3, lines.join('\n'));
  assert.match(lines[1], /^Rescheduled .* reason: patient asked for the afternoon$/);
  assert.match(lines[2], /^Cancelled .* reason: patient unwell$/);
  await page.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'Week' }).click();
  await page.locator('caption', { hasText: 'in the week of' }).waitFor();
  assert.equal(await page.getByRole('columnheader').count(), 8, 'chair + 7 days');
  assert.deepEqual(await axeViolations(page), [], 'the week view passes axe WCAG A/AA');
  await page.getByRole('button', { name: 'Next week' }).click();
  await page.getByRole('button', { name: 'Previous week' }).click();
  await page.getByRole('button', { name: /^13:00–14:00 Assessment: Quillfeather.*cancelled$/ }).waitFor();

  // A reminder due soon: a fresh chair and a therapist on call every day, so a free slot
  // within 48 hours exists whenever the test runs.
  const chair = await admin.send('POST', '/api/v1/chairs', { name: 'Chair R', room: 'Recovery' });
  const staff = await desk.get('/api/v1/schedule/staff');
  const therapist = staff.body.items.find((s) => s.username === 'demo.therapist');
  const allDay = [{ start: '00:00', end: '24:00' }];
  const hours = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, allDay]));
  assert.equal((await admin.send('POST', `/api/v1/staff/${therapist.id}/working-hours`, { hours })).status, 200);
  const soon = await newPatient(desk, 'Thistlewood');
  let booked = null;
  for (let step = 2; step < 40 && !booked; step += 1) {
    const [date, time] = localNow().split('T');
    const minutes = (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)) + step * 30) - ((Number(time.slice(3, 5)) % 30));
    const day = addDays(date, Math.floor(minutes / 1440));
    const m = minutes % 1440;
    const start = `${day}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const answer = await desk.send('POST', '/api/v1/appointments', {
      patient_id: soon.id, kind: 'integration', chair_id: chair.body.id, staff_user_id: therapist.id, start, duration_minutes: 30,
    });
    if (answer.status === 201) booked = answer.body;
  }
  assert.ok(booked, 'a slot within 48 hours was bookable');
  await page.reload();
  const reminders = page.getByRole('list', { name: 'Reminders to send' });
  await reminders.waitFor();
  const item = reminders.getByRole('listitem').filter({ hasText: `Thistlewood, Rosalind (${soon.mrn})` });
  await item.waitFor();
  await item.getByRole('button', { name: 'Mark reminder sent' }).click();
  await item.getByText('Say how the reminder was sent.').waitFor();
  await item.getByLabel('How it was sent').fill('phoned; confirmed');
  await item.getByRole('button', { name: 'Mark reminder sent' }).click();
  await page.getByText(`Reminder recorded for Thistlewood, Rosalind (${soon.mrn}).`).waitFor();
  const after = await desk.get(`/api/v1/appointments/${booked.id}`);
  assert.equal(after.body.reminders[0].channel_note, 'phoned; confirmed');
  assert.deepEqual(watch.problems(), []);
});

test('the therapist reads the calendar without booking controls', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.therapist', undefined, '#/schedule');
  await page.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
  await page.locator('caption', { hasText: 'by chair' }).waitFor();
  assert.equal(await page.getByRole('form', { name: 'Book an appointment' }).count(), 0);
  await page.getByRole('heading', { name: 'Reminders to send (next 48 hours)' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Mark reminder sent' }).count(), 0);
  assert.deepEqual(watch.problems(), []);
});
