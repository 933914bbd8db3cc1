// HTTP API: measure schedules, due and overdue measures, session starts and the responsible
// clinician. A PHQ-9 every 7 days started 30 days ago (an explicit start date, so the test does
// not depend on the server's clock) is overdue since the 28th day and on the clinic's overdue list
// with the patient's MRN and name; entering the PHQ-9 clears it. A patient dosed today has a GAD-7
// due before the session (today), a PHQ-9 due 1 day after it, and an every-14-days schedule reset
// to the session; the session's start is listed for the chart. Stopping appends (409 the second
// time); bad input is 400 naming the field and writes nothing; front desk is refused (clinic
// isolation is in measure_schedule_service_test.cpp). Alerts of a patient reach the responsible clinician's "mine" list. The main flow
// runs on PostgreSQL too (needs $KETACHART_TEST_PG_URL, or KETACHART_SKIP_PG=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createPgDatabase, loggedIn, pgClusterUrl, samplePatient, serverFor } from '../support/ketachart.mjs';

const IV = 'iv-racemic-ketamine';
const SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const DAY_MS = 24 * 60 * 60 * 1000;

function addDays(date, days) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

async function newPatient(server) {
  const desk = await loggedIn(server, 'demo.frontdesk');
  const created = await desk.post('/api/v1/patients', samplePatient());
  assert.equal(created.status, 201, created.text);
  return created.json.id;
}

/** A patient whose IV dosing began a moment ago (intake, eligibility, consent, course, readiness, order, start). */
async function dosedPatient(server) {
  const nurse = await loggedIn(server, 'demo.nurse');
  const prescriber = await loggedIn(server, 'demo.prescriber');
  const id = await newPatient(server);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal((await nurse.post(`/api/v1/patients/${id}/measurements`, { kind: 'weight', weight_kg: 70, measured_on: today })).status, 201);
  const intake = { age_years: 40, weight_kg: 70, vitals: { systolic_mmhg: 122, diastolic_mmhg: 78 } };
  assert.equal((await nurse.post(`/api/v1/patients/${id}/intakes`, { intake })).status, 201);
  assert.equal((await nurse.post(`/api/v1/patients/${id}/eligibility`, { protocol_id: IV })).json.cleared, true);
  const documents = await nurse.get(`/api/v1/consent-documents?protocol=${IV}`);
  const signed = await nurse.post(`/api/v1/patients/${id}/consents`, {
    document_id: documents.json.items[0].id, signed_name: 'Alexandra Testperson', signature_png: SIGNATURE,
    signed_on: today, witness_name: 'Maria Lindqvist, RN',
  });
  assert.equal(signed.status, 201, signed.text);
  const course = await prescriber.post(`/api/v1/patients/${id}/courses`, { protocol_id: IV, goal: 'remission' });
  assert.equal(course.status, 201, course.text);
  assert.equal((await prescriber.post(`/api/v1/courses/${course.json.id}/transitions`, { to: 'induction' })).status, 200);
  const checkIn = await nurse.post('/api/v1/sessions', { course_id: course.json.id, chair: 'Chair 2' });
  assert.equal(checkIn.status, 201, checkIn.text);
  const session = checkIn.json.id;
  const ready = await nurse.post(`/api/v1/sessions/${session}/readiness`, {
    fasting_confirmed: true, escort_name: 'Sam Testperson (sibling)', held_medications_confirmed: true,
    pregnancy_test: 'negative', vitals: { systolic_mmhg: 126, diastolic_mmhg: 80, heart_rate_bpm: 72, spo2_percent: 98 },
  });
  assert.equal(ready.json.readiness.passed, true, ready.text);
  const ordered = await prescriber.post(`/api/v1/sessions/${session}/dose-order`, { dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 10, duration_min: 40 });
  assert.equal(ordered.status, 201, ordered.text);
  const started = await nurse.post(`/api/v1/sessions/${session}/events`, { kind: 'start' });
  assert.equal(started.status, 201, started.text);
  return { patientId: id, sessionId: session };
}

async function overdueFlow(server) {
  const nurse = await loggedIn(server, 'demo.nurse');
  const patientId = await newPatient(server);
  const empty = await nurse.get(`/api/v1/patients/${patientId}/measure-due`);
  assert.equal(empty.status, 200, empty.text);
  assert.deepEqual(empty.json.items, []);
  const today = empty.json.today;  // the clinic's local day
  const start = addDays(today, -30);

  const created = await nurse.post(`/api/v1/patients/${patientId}/measure-schedules`, {
    instrument: 'phq9', kind: 'every_n_days', interval_days: 7, start_date: start, note: 'weekly during induction',
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.status, 'active');
  assert.equal(created.json.due[0].due_on, addDays(start, 28));
  assert.equal(created.json.due[0].status, 'overdue');
  assert.equal(created.json.due[0].days_overdue, 2);
  assert.equal(created.json.due[0].rule, `every 7 days from ${start}`);
  assert.equal(created.json.due[1].due_on, addDays(start, 35));
  assert.equal(created.json.due[1].status, 'due');

  const overdue = await nurse.get('/api/v1/measure-overdue?limit=200');
  assert.equal(overdue.status, 200, overdue.text);
  const item = overdue.json.items.find((i) => i.patient.id === patientId);
  assert.ok(item, JSON.stringify(overdue.json));
  assert.equal(item.instrument, 'phq9');
  assert.equal(item.days_overdue, 2);
  assert.equal(item.due_on, addDays(start, 28));
  assert.equal(item.patient.family_name, 'Testperson');
  assert.match(item.patient.mrn, /\S/);
  assert.equal(item.schedule_id, created.json.id);

  // Entering the PHQ-9 clears it.
  const entered = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'phq9', answers: [1, 1, 1, 1, 1, 1, 0, 0, 0] });
  assert.equal(entered.status, 201, entered.text);
  const due = await nurse.get(`/api/v1/patients/${patientId}/measure-due`);
  assert.equal(due.json.items[0].status, 'completed');
  assert.ok(!(await nurse.get('/api/v1/measure-overdue?limit=200')).json.items.some((i) => i.patient.id === patientId));

  // Stop: appended, 409 the second time, kept in the list.
  assertError(assert, await nurse.post(`/api/v1/measure-schedules/${created.json.id}/stop`, {}), 400, 'invalid_input', 'reason');
  const stopped = await nurse.post(`/api/v1/measure-schedules/${created.json.id}/stop`, { reason: 'induction finished' });
  assert.equal(stopped.status, 200, stopped.text);
  assert.equal(stopped.json.status, 'stopped');
  assert.equal(stopped.json.stopped.reason, 'induction finished');
  assertError(assert, await nurse.post(`/api/v1/measure-schedules/${created.json.id}/stop`, { reason: 'again' }), 409, 'conflict');
  const list = await nurse.get(`/api/v1/patients/${patientId}/measure-schedules`);
  assert.equal(list.json.items.length, 1);
  assert.equal(list.json.items[0].status, 'stopped');
  assert.deepEqual((await nurse.get(`/api/v1/patients/${patientId}/measure-due`)).json.items, []);

  const auditor = await loggedIn(server, 'demo.auditor');
  const actions = (await auditor.get(`/api/v1/audit?patient=${patientId}&limit=200`)).json.items.map((e) => e.action);
  for (const action of ['measure_schedule.create', 'measure_schedule.stop', 'measure_due.read', 'measure_schedule.list']) {
    assert.ok(actions.includes(action), `${action} in ${actions.join()}`);
  }
  return patientId;
}

test('every 7 days from 30 days ago: overdue on the clinic list until the PHQ-9 is entered; stop appends', async (t) => {
  await overdueFlow(await serverFor(t));
});

test('session kinds: before each session, N days after, reset on treatment; session starts for the chart', async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse');
  const { patientId, sessionId } = await dosedPatient(server);
  const today = (await nurse.get(`/api/v1/patients/${patientId}/measure-due`)).json.today;
  const start = addDays(today, -3);
  const before = await nurse.post(`/api/v1/patients/${patientId}/measure-schedules`, { instrument: 'gad7', kind: 'before_each_session', start_date: start });
  assert.equal(before.status, 201, before.text);
  assert.equal(before.json.due.length, 1);
  assert.equal(before.json.due[0].due_on, today);
  assert.equal(before.json.due[0].status, 'due');
  assert.equal(before.json.due[0].rule, `before the session on ${today}`);
  const after = await nurse.post(`/api/v1/patients/${patientId}/measure-schedules`, {
    instrument: 'phq9', kind: 'n_days_after_each_session', interval_days: 1, start_date: start,
  });
  assert.equal(after.status, 201, after.text);
  assert.equal(after.json.due[0].due_on, addDays(today, 1));
  assert.equal(after.json.due[0].rule, `1 day after the session on ${today}`);
  const reset = await nurse.post(`/api/v1/patients/${patientId}/measure-schedules`, {
    instrument: 'qids_sr16', kind: 'every_n_days', interval_days: 14, reset_on_treatment: true, start_date: addDays(today, -20),
  });
  assert.equal(reset.status, 201, reset.text);
  assert.equal(reset.json.due.length, 1, JSON.stringify(reset.json.due));
  assert.equal(reset.json.due[0].due_on, addDays(today, 14));
  assert.equal(reset.json.due[0].rule, `every 14 days since the session on ${today}`);

  const instruments = (await nurse.get('/api/v1/instruments')).json.items;
  assert.deepEqual(instruments.find((i) => i.instrument === 'phq9').bands.map((b) => [b.min, b.max]), [[0, 4], [5, 9], [10, 14], [15, 19], [20, 27]]);
  assert.deepEqual(instruments.find((i) => i.instrument === 'cssrs').bands, []);

  const starts = await nurse.get(`/api/v1/patients/${patientId}/session-starts`);
  assert.equal(starts.status, 200, starts.text);
  assert.equal(starts.json.items.length, 1);
  assert.equal(starts.json.items[0].session_id, sessionId);
  assert.match(starts.json.items[0].started_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('bad input is 400 naming the field and writes nothing; front desk refused; a duplicate is 409', async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse');
  const patientId = await newPatient(server);
  const url = `/api/v1/patients/${patientId}/measure-schedules`;
  const cases = [
    [{ instrument: 'phq10', kind: 'every_n_days', interval_days: 7 }, 'instrument'],
    [{ instrument: 'phq9', kind: 'weekly' }, 'kind'],
    [{ instrument: 'phq9', kind: 'every_n_days' }, 'interval_days'],
    [{ instrument: 'phq9', kind: 'every_n_days', interval_days: 400 }, 'interval_days'],
    [{ instrument: 'phq9', kind: 'every_n_days', interval_days: '7' }, 'interval_days'],
    [{ instrument: 'phq9', kind: 'before_each_session', interval_days: 7 }, 'interval_days'],
    [{ instrument: 'phq9', kind: 'n_days_after_each_session', interval_days: 7, reset_on_treatment: true }, 'reset_on_treatment'],
    [{ instrument: 'phq9', kind: 'every_n_days', interval_days: 7, start_date: '2026-02-30' }, 'start_date'],
    [{ instrument: 'phq9', kind: 'every_n_days', interval_days: 7, start_date: '2001-01-01' }, 'start_date'],
    [{ instrument: 'phq9', kind: 'every_n_days', interval_days: 7, extra: 1 }, 'extra'],
  ];
  for (const [body, field] of cases) assertError(assert, await nurse.post(url, body), 400, 'invalid_input', field);
  assert.deepEqual((await nurse.get(url)).json.items, []);
  assertError(assert, await nurse.get('/api/v1/measure-overdue?limit=0'), 400, 'invalid_input', 'limit');
  assertError(assert, await nurse.get('/api/v1/measure-alerts?mine=yes'), 400, 'invalid_input', 'mine');

  const desk = await loggedIn(server, 'demo.frontdesk');
  assertError(assert, await desk.post(url, { instrument: 'phq9', kind: 'every_n_days', interval_days: 7 }), 403, 'forbidden');
  assertError(assert, await desk.get('/api/v1/measure-overdue'), 403, 'forbidden');
  assertError(assert, await desk.get(`/api/v1/patients/${patientId}/measure-due`), 403, 'forbidden');
  const created = await nurse.post(url, { instrument: 'phq9', kind: 'every_n_days', interval_days: 7 });
  assert.equal(created.status, 201, created.text);
  assertError(assert, await nurse.post(url, { instrument: 'phq9', kind: 'every_n_days', interval_days: 28 }), 409, 'conflict');
});

test('alerts reach the responsible clinician: mine=1 lists only their patients', async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse');
  const prescriber = await loggedIn(server, 'demo.prescriber');
  const mine = await newPatient(server);
  const other = await newPatient(server);
  const candidates = (await nurse.get('/api/v1/responsible-clinician-candidates')).json.items;
  const prescriberId = candidates.find((c) => c.username === 'demo.prescriber')?.id;
  assert.ok(prescriberId, JSON.stringify(candidates));
  assert.ok(!candidates.some((c) => c.username === 'demo.frontdesk'));
  const desk = (await loggedIn(server, 'demo.admin')).get('/api/v1/users?limit=200');
  const deskId = (await desk).json.items.find((u) => u.username === 'demo.frontdesk').id;
  assertError(assert, await nurse.post(`/api/v1/patients/${mine}/responsible-clinician`, { clinician_id: deskId }), 400, 'invalid_input', 'clinician_id');
  const assigned = await nurse.post(`/api/v1/patients/${mine}/responsible-clinician`, { clinician_id: prescriberId, reason: 'admitting prescriber' });
  assert.equal(assigned.status, 200, assigned.text);
  assert.equal(assigned.json.clinician.username, 'demo.prescriber');
  assertError(assert, await nurse.post(`/api/v1/patients/${mine}/responsible-clinician`, { clinician_id: prescriberId }), 409, 'conflict');
  assert.equal((await nurse.get(`/api/v1/patients/${mine}/responsible-clinician`)).json.clinician.id, prescriberId);

  for (const patient of [mine, other]) {
    const entered = await nurse.post(`/api/v1/patients/${patient}/measures`, { instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 2] });
    assert.equal(entered.json.alerts.length, 1, entered.text);
  }
  const minePage = await prescriber.get('/api/v1/measure-alerts?mine=1');
  assert.equal(minePage.status, 200, minePage.text);
  const patients = new Set(minePage.json.items.map((a) => a.patient.id));
  assert.ok(patients.has(mine));
  assert.ok(!patients.has(other));
  assert.equal(minePage.json.items.find((a) => a.patient.id === mine).responsible_clinician.username, 'demo.prescriber');
  const all = new Set((await prescriber.get('/api/v1/measure-alerts')).json.items.map((a) => a.patient.id));
  assert.ok(all.has(mine) && all.has(other), 'the clinic-wide list still has both');
});

test('PostgreSQL: schedules, overdue and stop (0008_measure_schedules on PostgreSQL)', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_measure_schedules');
  t.after(() => database.drop());
  const server = await serverFor(t, { database: database.url });
  await overdueFlow(server);
  const { patientId } = await dosedPatient(server);
  const nurse = await loggedIn(server, 'demo.nurse');
  const before = await nurse.post(`/api/v1/patients/${patientId}/measure-schedules`, { instrument: 'gad7', kind: 'before_each_session' });
  assert.equal(before.status, 201, before.text);
  assert.equal(before.json.due[0].status, 'due');
  assert.equal((await nurse.get(`/api/v1/patients/${patientId}/session-starts`)).json.items.length, 1);
});
