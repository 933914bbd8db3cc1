// HTTP API: a bedside event charted after the fact carries the time it happened (occurred_at).
// A backdated vitals record and a backdated stop are stored with their time (the stop sets the
// session's stopped_at); vitals entered late with a time before the stop do not count as recovery
// vitals. A time in the future, before the check-in, or — for a change of phase — before the
// phase it ends began is refused with occurred_at named and the rule in the message, and nothing
// is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertError, serverFor } from '../support/ketachart.mjs';
import { READY, readyPatient } from '../support/session_setup.mjs';

const iso = (ms) => new Date(ms).toISOString();

test('backdated vitals and stop are stored with their time; future or out-of-order times are refused on occurred_at', async (t) => {
  const server = await serverFor(t);
  const { courseId, nurse, prescriber } = await readyPatient(server);
  const checkIn = await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Chair 2' });
  assert.equal(checkIn.status, 201, checkIn.text);
  const id = checkIn.json.id;
  const checkedIn = Date.parse(checkIn.json.checked_in_at);
  const events = `/api/v1/sessions/${id}/events`;
  assert.equal((await nurse.post(`/api/v1/sessions/${id}/readiness`, READY)).json.readiness.passed, true);
  await prescriber.post(`/api/v1/sessions/${id}/dose-order`, { dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 10, duration_min: 40 });
  await sleep(30);
  const started = await nurse.post(events, { kind: 'start' });
  assert.equal(started.status, 201, started.text);
  const startedAt = Date.parse(started.json.started_at);
  assert.ok(startedAt > checkedIn + 20, `${started.json.started_at} after ${checkIn.json.checked_in_at}`);
  await sleep(60);

  // Vitals taken between check-in and start, charted now.
  const vitalsAt = iso(checkedIn + 10);
  const vitals = await nurse.post(events, { kind: 'vitals', heart_rate_bpm: 84, occurred_at: vitalsAt });
  assert.equal(vitals.status, 201, vitals.text);
  const stored = vitals.json.events.at(-1);
  assert.equal(stored.kind, 'vitals');
  assert.equal(stored.occurred_at, vitalsAt);
  assert.ok(Date.parse(stored.recorded_at) > Date.parse(vitalsAt), 'recorded after it happened');
  const count = vitals.json.events.length;

  const future = await nurse.post(events, { kind: 'vitals', heart_rate_bpm: 90, occurred_at: iso(Date.now() + 10 * 60_000) });
  assertError(assert, future, 400, 'invalid_input', 'occurred_at');
  assert.equal(future.json.error.message, 'must not be in the future');
  const beforeCheckIn = await nurse.post(events, { kind: 'vitals', heart_rate_bpm: 90, occurred_at: iso(checkedIn - 60_000) });
  assertError(assert, beforeCheckIn, 400, 'invalid_input', 'occurred_at');
  assert.equal(beforeCheckIn.json.error.message, `must not be before the check-in (${checkIn.json.checked_in_at})`);
  const stopBeforeStart = await nurse.post(events, { kind: 'stop', occurred_at: iso(startedAt - 5) });
  assertError(assert, stopBeforeStart, 400, 'invalid_input', 'occurred_at');
  assert.equal(stopBeforeStart.json.error.message, `must not be before the session became dosing (${started.json.started_at})`);
  const futureStop = await nurse.post(events, { kind: 'stop', occurred_at: iso(Date.now() + 5 * 60_000) });
  assertError(assert, futureStop, 400, 'invalid_input', 'occurred_at');
  assert.equal(futureStop.json.error.message, 'must not be in the future');
  assertError(assert, await nurse.post(events, { kind: 'stop', occurred_at: '14:05' }), 400, 'invalid_input', 'occurred_at');
  assertError(assert, await nurse.post(events, { kind: 'stop', occurred_at: 1405 }), 400, 'invalid_input', 'occurred_at');
  const unchanged = await nurse.get(`/api/v1/sessions/${id}`);
  assert.equal(unchanged.json.events.length, count, 'a refused time writes nothing');
  assert.equal(unchanged.json.phase, 'dosing');

  // The infusion stopped shortly after it started; the nurse charts it now.
  const stopAt = iso(startedAt + 20);
  const stop = await nurse.post(events, { kind: 'stop', occurred_at: stopAt });
  assert.equal(stop.status, 201, stop.text);
  assert.equal(stop.json.phase, 'recovery');
  assert.equal(stop.json.stopped_at, stopAt);
  assert.equal(stop.json.phase_started_at, stopAt);
  assert.equal(stop.json.events.at(-1).occurred_at, stopAt);

  // Vitals from before the stop, charted late, are dosing vitals, not recovery vitals.
  const late = await nurse.post(events, { kind: 'vitals', systolic_mmhg: 130, occurred_at: iso(startedAt + 10) });
  assert.equal(late.status, 201, late.text);
  await nurse.post(events, { kind: 'score', instrument: 'aldrete', answers: [2, 2, 2, 2, 2], occurred_at: stopAt });
  const notYet = await nurse.post(events, { kind: 'ready_for_discharge' });
  assertError(assert, notYet, 409, 'conflict', 'kind');
  assert.equal(notYet.json.error.message, 'no vitals have been recorded in recovery');
  assert.equal((await nurse.post(events, { kind: 'vitals', systolic_mmhg: 126 })).status, 201);
  assert.equal((await nurse.post(events, { kind: 'ready_for_discharge' })).json.phase, 'ready_for_discharge');
});
