// HTTP API: the clinic's schedule. Booking in clinic local time; each conflict rule (chair,
// clinician, patient, working hours, chair out of service) is 409 naming the rule and what
// collides, and books nothing; a six-infusion series for an IV course from its protocol (and a
// seventh refused naming the protocol quantity), all or nothing; reschedule and cancel need
// reasons and keep the history; reminders for the current slot; the calendar by chair with
// patient name and MRN, audited; permissions (auditor refused, front desk books, therapist
// reads only); bad input is 400 naming the field. Bookings go three weeks ahead so they never
// meet the demo's own week of appointments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createPgDatabase, loggedIn, pgClusterUrl, samplePatient, serverFor, unique } from '../support/ketachart.mjs';

const ZONE = 'America/Chicago'; // the NRK demo clinic

/** Today's date in the clinic's zone, as a day number (days since 1970-01-01). */
function todayInClinic() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
  return Math.round(Date.parse(`${parts}T00:00:00Z`) / 86400000);
}
const dateOf = (day) => new Date(day * 86400000).toISOString().slice(0, 10);
const weekdayOf = (day) => (new Date(day * 86400000).getUTCDay() + 6) % 7; // 0 = Monday
/** The first Monday at least `days` ahead. */
function mondayAfter(days) {
  let day = todayInClinic() + days;
  while (weekdayOf(day) !== 0) day += 1;
  return day;
}
/** The next weekday after today (for something due within the reminder window). */
function nextWeekday() {
  let day = todayInClinic() + 1;
  while (weekdayOf(day) >= 5) day += 1;
  return day;
}

async function setUp(server) {
  const admin = await loggedIn(server, 'demo.admin');
  const desk = await loggedIn(server, 'demo.frontdesk');
  const chair = await admin.post('/api/v1/chairs', { name: `Test chair ${unique()}`, room: 'Room T' });
  assert.equal(chair.status, 201, chair.text);
  const chair2 = await admin.post('/api/v1/chairs', { name: `Test chair ${unique()}`, room: 'Room T' });
  const staff = await desk.get('/api/v1/schedule/staff');
  assert.equal(staff.status, 200, staff.text);
  const id = (username) => staff.json.items.find((s) => s.username === username).id;
  const patient = async () => {
    const created = await desk.post('/api/v1/patients', samplePatient({ family_name: `Sched${unique().replace(/\d/g, 'x')}` }));
    assert.equal(created.status, 201, created.text);
    return created.json;
  };
  return {
    admin, desk, chairId: chair.json.id, chair2Id: chair2.json.id,
    nurseId: id('demo.nurse'), prescriberId: id('demo.prescriber'), therapistId: id('demo.therapist'),
    patient,
  };
}

const booking = (patientId, chairId, staffId, start, minutes = 60, kind = 'dosing') =>
  ({ patient_id: patientId, kind, chair_id: chairId, staff_user_id: staffId, start, duration_minutes: minutes });

async function bookingFlow(server) {
  const s = await setUp(server);
  const p1 = await s.patient();
  const p2 = await s.patient();
  const monday = dateOf(mondayAfter(21));
  const booked = await s.desk.post('/api/v1/appointments', booking(p1.id, s.chairId, s.prescriberId, `${monday}T10:00`, 90));
  assert.equal(booked.status, 201, booked.text);
  assert.equal(booked.json.start, `${monday}T10:00`);
  assert.equal(booked.json.end, `${monday}T11:30`);
  assert.match(booked.json.starts_at, /^\d{4}-\d\d-\d\dT1[56]:00:00\.000Z$/); // 10:00 Chicago is 15:00 or 16:00 UTC
  assert.equal(booked.json.patient.mrn, p1.mrn);
  assert.equal(booked.json.booked_by, 'demo.frontdesk');

  const chair = await s.desk.post('/api/v1/appointments', booking(p2.id, s.chairId, s.therapistId, `${monday}T11:00`));
  assertError(assert, chair, 409, 'conflict', 'chair_id');
  assert.match(chair.json.error.message, new RegExp(`^\\[chair_double_booked\\] Test chair \\w+ is booked ${monday} 10:00-11:30`));
  const staff = await s.desk.post('/api/v1/appointments', booking(p2.id, s.chair2Id, s.prescriberId, `${monday}T09:30`));
  assertError(assert, staff, 409, 'conflict', 'staff_user_id');
  assert.match(staff.json.error.message, /staff_double_booked/);
  const patient = await s.desk.post('/api/v1/appointments', booking(p1.id, s.chair2Id, s.therapistId, `${monday}T11:00`));
  assertError(assert, patient, 409, 'conflict', 'patient_id');
  const sunday = dateOf(mondayAfter(21) + 6);
  const hours = await s.desk.post('/api/v1/appointments', booking(p2.id, s.chair2Id, s.therapistId, `${sunday}T10:00`));
  assertError(assert, hours, 409, 'conflict', 'start');
  assert.match(hours.json.error.message, /\[outside_working_hours\] .* does not work on sundays/);
  const late = await s.desk.post('/api/v1/appointments', booking(p2.id, s.chair2Id, s.therapistId, `${monday}T17:30`));
  assertError(assert, late, 409, 'conflict', 'start');

  const backToBack = await s.desk.post('/api/v1/appointments', booking(p2.id, s.chairId, s.prescriberId, `${monday}T11:30`));
  assert.equal(backToBack.status, 201, backToBack.text);

  const out = await s.admin.post(`/api/v1/chairs/${s.chair2Id}/service`, { in_service: false, reason: 'recliner motor broken' });
  assert.equal(out.status, 200, out.text);
  assert.equal(out.json.in_service, false);
  const refused = await s.desk.post('/api/v1/appointments', booking(p2.id, s.chair2Id, s.therapistId, `${monday}T14:00`));
  assertError(assert, refused, 409, 'conflict', 'chair_id');
  assert.match(refused.json.error.message, /chair_out_of_service/);
  assertError(assert, await s.desk.post(`/api/v1/chairs/${s.chair2Id}/service`, { in_service: true, reason: 'x' }), 403, 'forbidden');

  const day = await s.desk.get(`/api/v1/calendar?date=${monday}&days=1`);
  assert.equal(day.status, 200, day.text);
  assert.equal(day.json.timezone, ZONE);
  const column = day.json.chairs.find((c) => c.id === s.chairId);
  assert.deepEqual(column.appointments.map((a) => [a.start, a.patient.mrn, a.status]),
    [[`${monday}T10:00`, p1.mrn, 'booked'], [`${monday}T11:30`, p2.mrn, 'booked']]);
  assert.equal(column.appointments[0].patient.family_name, p1.family_name);
  assert.equal(day.json.chairs.find((c) => c.id === s.chair2Id).in_service, false);
  const week = await s.desk.get(`/api/v1/calendar?date=${monday}&days=7`);
  assert.equal(week.json.dates.length, 7);

  const auditor = await loggedIn(server, 'demo.auditor');
  const reads = await auditor.get('/api/v1/audit?user=demo.frontdesk&limit=20');
  assert.equal(reads.status, 200, reads.text);
  assert.ok(reads.json.items.some((e) => e.action === 'schedule.calendar'), 'the calendar read is audited');
  const trail = await auditor.get(`/api/v1/audit?patient=${p1.id}&limit=50`);
  assert.ok(trail.json.items.some((e) => e.action === 'appointment.book' && e.outcome === 'success'), trail.text);
  assert.ok(!JSON.stringify(reads.json).includes(p1.family_name), 'no patient names in the audit trail');
}

test('booking, each conflict rule, back-to-back and out-of-service chairs', async (t) => {
  await bookingFlow(await serverFor(t));
});

async function seriesFlow(t, server) {
  const s = await setUp(server);
  const p = await s.patient();
  const prescriber = await loggedIn(server, 'demo.prescriber');
  const course = await prescriber.post(`/api/v1/patients/${p.id}/courses`, { protocol_id: 'iv-racemic-ketamine', goal: 'remission of TRD' });
  assert.equal(course.status, 201, course.text);
  const monday = mondayAfter(21);
  const series = (body) => s.desk.post(`/api/v1/courses/${course.json.id}/appointment-series`, {
    first_start: `${dateOf(monday)}T08:00`, sessions: 6, per_week: 3, duration_minutes: 120,
    chair_id: s.chairId, staff_user_id: s.prescriberId, ...body,
  });
  const seven = await series({ sessions: 7 });
  assertError(assert, seven, 400, 'invalid_input', 'sessions');
  assert.match(seven.json.error.message, /induction_sessions of protocol iv-racemic-ketamine v\d+ is 6/);
  const fast = await series({ per_week: 4 });
  assertError(assert, fast, 400, 'invalid_input', 'per_week');
  assert.match(fast.json.error.message, /induction_per_week of protocol iv-racemic-ketamine v\d+ is 3/);

  // One session's slot is taken: nothing is booked, and the error lists the collision.
  const other = await s.patient();
  const blocker = await s.desk.post('/api/v1/appointments', booking(other.id, s.chairId, s.therapistId, `${dateOf(monday + 2)}T09:00`));
  assert.equal(blocker.status, 201, blocker.text);
  const refused = await series({});
  assertError(assert, refused, 409, 'conflict', 'chair_id');
  assert.match(refused.json.error.message, new RegExp(`session 2 \\(${dateOf(monday + 2)}T08:00\\): \\[chair_double_booked\\]`));
  const before = await s.desk.get(`/api/v1/calendar?date=${dateOf(monday)}&days=7`);
  assert.equal(before.json.chairs.find((c) => c.id === s.chairId).appointments.length, 1, 'all or nothing');
  assert.equal((await s.desk.post(`/api/v1/appointments/${blocker.json.id}/cancel`, { reason: 'moved for the series' })).status, 200);

  const booked = await series({});
  assert.equal(booked.status, 201, booked.text);
  assert.deepEqual(booked.json.items.map((a) => a.start.slice(0, 10)),
    [0, 2, 4, 7, 9, 11].map((d) => dateOf(monday + d)));
  assert.ok(booked.json.items.every((a) => a.kind === 'dosing' && a.course_id === course.json.id));
}

test('a six-infusion IV series from the protocol, all or nothing', async (t) => {
  await seriesFlow(t, await serverFor(t));
});

test('PostgreSQL: the same booking, conflict and series flows (migration 0006 on PostgreSQL)', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_schedule');
  t.after(() => database.drop());
  const server = await serverFor(t, { database: database.url });
  await bookingFlow(server);
  await seriesFlow(t, server);
});

test('reschedule and cancel need reasons and keep the history; reminders follow the slot', async (t) => {
  const server = await serverFor(t);
  const s = await setUp(server);
  const p = await s.patient();
  const soon = dateOf(nextWeekday());
  const made = await s.desk.post('/api/v1/appointments', booking(p.id, s.chairId, s.prescriberId, `${soon}T12:00`, 30, 'assessment'));
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  assertError(assert, await s.desk.post(`/api/v1/appointments/${id}/reschedule`, { start: `${soon}T12:30` }), 400, 'invalid_input', 'reason');

  const due = await s.desk.get('/api/v1/reminders?within_hours=168');
  assert.equal(due.status, 200, due.text);
  assert.ok(due.json.items.some((a) => a.id === id), 'due for a reminder');
  assertError(assert, await s.desk.post(`/api/v1/appointments/${id}/reminder-sent`, {}), 400, 'invalid_input', 'channel_note');
  const sent = await s.desk.post(`/api/v1/appointments/${id}/reminder-sent`, { channel_note: 'SMS sent' });
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.json.reminder_sent, true);
  assertError(assert, await s.desk.post(`/api/v1/appointments/${id}/reminder-sent`, { channel_note: 'again' }), 409, 'conflict');
  assert.ok(!(await s.desk.get('/api/v1/reminders?within_hours=168')).json.items.some((a) => a.id === id));

  const moved = await s.desk.post(`/api/v1/appointments/${id}/reschedule`, { start: `${soon}T12:15`, reason: 'patient asked for later' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.start, `${soon}T12:15`);
  assert.equal(moved.json.end, `${soon}T12:45`);
  assert.equal(moved.json.reminder_sent, false, 'a new slot needs a new reminder');
  assert.ok((await s.desk.get('/api/v1/reminders?within_hours=168')).json.items.some((a) => a.id === id));

  assertError(assert, await s.desk.post(`/api/v1/appointments/${id}/cancel`, {}), 400, 'invalid_input', 'reason');
  const cancelled = await s.desk.post(`/api/v1/appointments/${id}/cancel`, { reason: 'patient unwell' });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(cancelled.json.status, 'cancelled');
  assertError(assert, await s.desk.post(`/api/v1/appointments/${id}/cancel`, { reason: 'twice' }), 409, 'conflict');
  const history = await s.desk.get(`/api/v1/appointments/${id}`);
  assert.equal(history.status, 200, history.text);
  assert.deepEqual(history.json.history.map((h) => [h.action, h.start, h.reason]), [
    ['book', `${soon}T12:00`, ''], ['reschedule', `${soon}T12:15`, 'patient asked for later'], ['cancel', `${soon}T12:15`, 'patient unwell'],
  ]);
  assert.equal(history.json.reminders.length, 1);
  assert.ok(!(await s.desk.get('/api/v1/reminders?within_hours=168')).json.items.some((a) => a.id === id), 'cancelled: no reminder due');
  // The cancelled slot no longer blocks the chair.
  const again = await s.desk.post('/api/v1/appointments', booking(p.id, s.chairId, s.prescriberId, `${soon}T12:15`, 30));
  assert.equal(again.status, 201, again.text);
});

test('permissions: auditor refused, front desk books, therapist reads only, admin sets up', async (t) => {
  const server = await serverFor(t);
  const s = await setUp(server);
  const p = await s.patient();
  const monday = dateOf(mondayAfter(21));
  const auditor = await loggedIn(server, 'demo.auditor');
  assertError(assert, await auditor.get(`/api/v1/calendar?date=${monday}`), 403, 'forbidden');
  assertError(assert, await auditor.get('/api/v1/reminders'), 403, 'forbidden');
  assertError(assert, await auditor.post('/api/v1/appointments', booking(p.id, s.chairId, s.prescriberId, `${monday}T10:00`)), 403, 'forbidden');
  const therapist = await loggedIn(server, 'demo.therapist');
  assert.equal((await therapist.get(`/api/v1/calendar?date=${monday}`)).status, 200);
  assertError(assert, await therapist.post('/api/v1/appointments', booking(p.id, s.chairId, s.prescriberId, `${monday}T10:00`)), 403, 'forbidden');
  assertError(assert, await s.desk.post('/api/v1/chairs', { name: 'Desk chair', room: 'Lobby' }), 403, 'forbidden');
  assertError(assert, await s.desk.post(`/api/v1/staff/${s.nurseId}/working-hours`, { hours: {} }), 403, 'forbidden');
  const hours = await s.admin.post(`/api/v1/staff/${s.therapistId}/working-hours`, {
    hours: { tuesday: [{ start: '09:00', end: '13:00' }, { start: '14:00', end: '19:00' }] }, reason: 'new rota',
  });
  assert.equal(hours.status, 200, hours.text);
  assert.equal(hours.json.version, 2);
  assert.deepEqual(hours.json.hours.monday, []);
  const read = await s.desk.get(`/api/v1/staff/${s.therapistId}/working-hours`);
  assert.equal(read.json.hours.tuesday[1].end, '19:00');
  const booked = await s.desk.post('/api/v1/appointments', booking(p.id, s.chairId, s.prescriberId, `${monday}T10:00`));
  assert.equal(booked.status, 201, booked.text);
});

test('bad input is 400 naming the field and books nothing', async (t) => {
  const server = await serverFor(t);
  const s = await setUp(server);
  const p = await s.patient();
  const monday = dateOf(mondayAfter(21));
  const ok = booking(p.id, s.chairId, s.prescriberId, `${monday}T10:00`);
  const cases = [
    [{ ...ok, start: `${monday} 10:00` }, 'start'],
    [{ ...ok, start: '2020-01-06T10:00' }, 'start'],
    [{ ...ok, kind: 'massage' }, 'kind'],
    [{ ...ok, duration_minutes: 0 }, 'duration_minutes'],
    [{ ...ok, duration_minutes: 721 }, 'duration_minutes'],
    [{ ...ok, chair_id: 999999 }, 'chair_id'],
    [{ ...ok, staff_user_id: 999999 }, 'staff_user_id'],
    [{ ...ok, patient_id: 999999 }, 'patient_id'],
    [{ ...ok, colour: 'blue' }, 'colour'],
  ];
  for (const [body, field] of cases) {
    assertError(assert, await s.desk.post('/api/v1/appointments', body), 400, 'invalid_input', field);
  }
  assertError(assert, await s.desk.get(`/api/v1/calendar?date=${monday}&days=3`), 400, 'invalid_input', 'days');
  assertError(assert, await s.desk.get('/api/v1/calendar?date=2026-02-30'), 400, 'invalid_input', 'date');
  assertError(assert, await s.desk.get('/api/v1/calendar'), 400, 'invalid_input', 'date');
  assertError(assert, await s.desk.get('/api/v1/reminders?within_hours=0'), 400, 'invalid_input', 'within_hours');
  assertError(assert, await s.admin.post(`/api/v1/staff/${s.nurseId}/working-hours`, {
    hours: { monday: [{ start: '09:00', end: '08:00' }] },
  }), 400, 'invalid_input', 'hours.monday[0].end');
  const day = await s.desk.get(`/api/v1/calendar?date=${monday}`);
  assert.equal(day.json.chairs.find((c) => c.id === s.chairId).appointments.length, 0, 'nothing was booked');
});
