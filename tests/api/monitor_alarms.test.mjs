// HTTP API + MLLP: monitors at the chairs and their alarms. A monitor's first vitals wait in the
// unassigned queue; bound to a chair (monitor.setup), its vitals go to the session active on that
// chair. A systolic over the Spravato-label advisory level raises an advisory alarm, over the
// protocol's limit it becomes a warning; the chair board shows the session, latest vitals, trend and
// open alarm; acknowledging needs a note; back inside the limit by the hysteresis the alarm clears
// and leaves the board. Queued vitals are assigned to a session or discarded with a reason, once.
// A low SpO2 alarms only after it has persisted, at the critical tier below 90 %; an alarm nobody
// acknowledges escalates on the clinic's policy (versioned, admin-only). Everything is audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allPages, assertError, createPgDatabase, freePort, loggedIn, pgClusterUrl, serverFor, sleep } from '../support/ketachart.mjs';
import { ackCode, mllpExchange, oruMessage } from '../support/mllp.mjs';
import { READY, readyPatient } from '../support/session_setup.mjs';

async function monitorServer(t, options = {}) {
  const mllpPort = await freePort();
  const server = await serverFor(t, { ...options, args: ['--mllp-port', String(mllpPort), '--mllp-clinic', 'NRK'] });
  return { server, mllpPort };
}

async function send(mllpPort, device, vitals, at) {
  const acks = await mllpExchange(mllpPort, [oruMessage(device, vitals, { at })]);
  assert.equal(ackCode(acks[0]), 'AA', acks[0]);
}

/** A patient checked in on `chairName` whose readiness passed (baseline systolic 126). */
async function sessionOnChair(server, chairName) {
  const { patientId, courseId, nurse } = await readyPatient(server);
  const checkIn = await nurse.post('/api/v1/sessions', { course_id: courseId, chair: chairName });
  assert.equal(checkIn.status, 201, checkIn.text);
  const ready = await nurse.post(`/api/v1/sessions/${checkIn.json.id}/readiness`, READY);
  assert.equal(ready.json.readiness.passed, true, ready.text);
  return { patientId, sessionId: checkIn.json.id, nurse };
}

async function chairNamed(client, name) {
  const chairs = await client.get('/api/v1/chairs');
  assert.equal(chairs.status, 200, chairs.text);
  const chair = chairs.json.items.find((c) => c.name === name);
  assert.ok(chair, `demo chair ${name}`);
  return chair;
}

test('vitals follow the chair into its session; tiered alarms are shown, acknowledged with a note and cleared', async (t) => {
  const { server, mllpPort } = await monitorServer(t);
  const admin = await loggedIn(server, 'demo.admin');
  const nurse = await loggedIn(server, 'demo.nurse');
  const therapist = await loggedIn(server, 'demo.therapist');
  const DEVICE = '0012340000AB0001';

  assertError(assert, await admin.put(`/api/v1/monitor/devices/${DEVICE}/chair`, { chair_id: 1 }), 404, 'not_found');
  await send(mllpPort, DEVICE, { spo2: 98, pulse_rate: 70 });
  const queued = (await allPages(nurse, '/api/v1/monitor/unassigned')).filter((o) => o.device === DEVICE);
  assert.equal(queued.length, 2, 'an unbound monitor waits in the queue');

  const chair = await chairNamed(admin, 'Chair 3');
  assertError(assert, await therapist.put(`/api/v1/monitor/devices/${DEVICE}/chair`, { chair_id: chair.id }), 403, 'forbidden');
  assertError(assert, await nurse.put(`/api/v1/monitor/devices/${DEVICE}/chair`, { chair_id: 'three' }), 400, 'invalid_input', 'chair_id');
  assertError(assert, await nurse.put(`/api/v1/monitor/devices/${DEVICE}/chair`, { chair_id: 999999 }), 400, 'invalid_input', 'chair_id');
  assertError(assert, await nurse.put('/api/v1/monitor/devices/bad%20id/chair', { chair_id: chair.id }), 400, 'invalid_input', 'device');
  const bound = await nurse.put(`/api/v1/monitor/devices/${DEVICE}/chair`, { chair_id: chair.id });
  assert.equal(bound.status, 200, bound.text);
  assert.equal(bound.json.chair.name, 'Chair 3');
  assert.equal(bound.json.bound_by, 'demo.nurse');
  const devices = await nurse.get('/api/v1/monitor/devices');
  assert.equal(devices.json.items.find((d) => d.device_id === DEVICE).chair.id, chair.id);

  const { patientId, sessionId } = await sessionOnChair(server, 'Chair 3');
  // 150 mmHg: above the advisory 140 (and 24 over the baseline of 126): advisory.
  await send(mllpPort, DEVICE, { systolic: 150, diastolic: 85 });
  let monitor = await nurse.get(`/api/v1/sessions/${sessionId}/monitor`);
  assert.equal(monitor.status, 200, monitor.text);
  assert.equal(monitor.json.baseline.systolic, 126);
  assert.deepEqual(monitor.json.vitals.systolic.map((p) => p[1]), [150]);
  assert.equal(monitor.json.alarms.length, 1, JSON.stringify(monitor.json.alarms));
  assert.deepEqual(
    [monitor.json.alarms[0].tier, monitor.json.alarms[0].rule, monitor.json.alarms[0].value, monitor.json.alarms[0].limit],
    ['advisory', 'systolic_elevated', '150', '140'],
  );
  assert.ok(monitor.json.rules.some((r) => r.id === 'systolic_max' && r.origin === 'protocol' && r.unconfirmed));

  // 185 mmHg: over the protocol's 180: the same alarm becomes a warning.
  await send(mllpPort, DEVICE, { systolic: 185, diastolic: 88, spo2: 97 });
  const board = await nurse.get('/api/v1/monitor/board');
  assert.equal(board.status, 200, board.text);
  const tile = board.json.chairs.find((c) => c.chair.name === 'Chair 3');
  assert.equal(tile.session.id, sessionId);
  assert.equal(tile.session.patient.id, patientId);
  assert.equal(tile.session.phase, 'checked_in');
  assert.deepEqual(tile.devices, [DEVICE]);
  assert.equal(tile.latest.systolic.value, '185');
  assert.equal(tile.latest.systolic.unit, 'mm[Hg]');
  assert.equal(tile.latest.spo2.value, '97');
  assert.deepEqual(tile.trend.systolic.map((p) => p[1]), [150, 185]);
  assert.equal(tile.alarms.length, 1);
  const alarm = tile.alarms[0];
  assert.deepEqual([alarm.tier, alarm.rule, alarm.limit, alarm.acknowledged, alarm.state], ['warning', 'systolic_max', '180', false, 'active']);
  const other = board.json.chairs.find((c) => c.chair.name === 'Chair 1');
  assert.equal(other.session, null);

  assertError(assert, await nurse.post(`/api/v1/monitor/alarms/${alarm.id}/acknowledge`, {}), 400, 'invalid_input', 'note');
  assertError(assert, await therapist.post(`/api/v1/monitor/alarms/${alarm.id}/acknowledge`, { note: 'seen' }), 403, 'forbidden');
  assertError(assert, await nurse.post('/api/v1/monitor/alarms/999999/acknowledge', { note: 'seen' }), 404, 'not_found');
  const acked = await nurse.post(`/api/v1/monitor/alarms/${alarm.id}/acknowledge`, { note: 'Infusion paused, prescriber informed' });
  assert.equal(acked.status, 200, acked.text);
  assert.deepEqual([acked.json.acknowledged, acked.json.open, acked.json.note], [true, true, 'Infusion paused, prescriber informed']);
  assertError(assert, await nurse.post(`/api/v1/monitor/alarms/${alarm.id}/acknowledge`, { note: 'again' }), 409, 'conflict');

  // 136 mmHg is within the 5 mmHg hysteresis of 140: still advisory; 120 clears it.
  await send(mllpPort, DEVICE, { systolic: 136 });
  monitor = await nurse.get(`/api/v1/sessions/${sessionId}/monitor`);
  assert.equal(monitor.json.alarms[0].state, 'active');
  assert.equal(monitor.json.alarms[0].tier, 'advisory');
  const lastBpAt = new Date();
  await send(mllpPort, DEVICE, { systolic: 120 }, lastBpAt);
  const session = await nurse.get(`/api/v1/sessions/${sessionId}`);
  assert.equal(session.json.last_monitor_bp_at, lastBpAt.toISOString(), 'a monitor blood pressure counts as vitals taken');
  monitor = await nurse.get(`/api/v1/sessions/${sessionId}/monitor`);
  assert.deepEqual(monitor.json.alarms[0].events.map((e) => e.kind), ['raised', 'tier_changed', 'acknowledged', 'tier_changed', 'cleared']);
  assert.equal(monitor.json.alarms[0].open, false);
  const after = await nurse.get('/api/v1/monitor/board');
  assert.deepEqual(after.json.chairs.find((c) => c.chair.name === 'Chair 3').alarms, []);
  assert.ok(!(await nurse.get('/api/v1/monitor/alarms')).json.items.some((a) => a.id === alarm.id));

  // The vitals queued before the binding: assigned or discarded, once.
  const [first, second] = queued.map((o) => o.id);
  assertError(assert, await nurse.post('/api/v1/monitor/unassigned/assign', { observation_ids: [first], session_id: 999999 }), 400, 'invalid_input', 'session_id');
  assertError(assert, await therapist.post('/api/v1/monitor/unassigned/assign', { observation_ids: [first], session_id: sessionId }), 403, 'forbidden');
  const assigned = await nurse.post('/api/v1/monitor/unassigned/assign', { observation_ids: [first], session_id: sessionId });
  assert.equal(assigned.status, 200, assigned.text);
  assert.equal(assigned.json.assigned, 1);
  assertError(assert, await nurse.post('/api/v1/monitor/unassigned/assign', { observation_ids: [second, first], session_id: sessionId }), 409, 'conflict', 'observation_ids[1]');
  assertError(assert, await nurse.post('/api/v1/monitor/unassigned/discard', { observation_ids: [second] }), 400, 'invalid_input', 'reason');
  assertError(assert, await nurse.post('/api/v1/monitor/unassigned/discard', { observation_ids: [] , reason: 'x' }), 400, 'invalid_input', 'observation_ids');
  const discarded = await nurse.post('/api/v1/monitor/unassigned/discard', { observation_ids: [second], reason: 'monitor tested before the patient arrived' });
  assert.equal(discarded.json.discarded, 1, discarded.text);
  assert.ok(!(await allPages(nurse, '/api/v1/monitor/unassigned')).some((o) => o.device === DEVICE));
  monitor = await nurse.get(`/api/v1/sessions/${sessionId}/monitor`);
  assert.deepEqual(monitor.json.vitals.spo2.map((p) => p[1]), [98, 97], 'the assigned SpO2 joined the session');

  const trail = await allPages(admin, '/api/v1/audit');
  const raised = trail.find((e) => e.action === 'monitor.alarm.raised');
  assert.equal(raised.patient_id, patientId);
  assert.ok(trail.some((e) => e.action === 'monitor.alarm.acknowledged' && e.username === 'demo.nurse' && e.patient_id === patientId));
  assert.ok(trail.some((e) => e.action === 'monitor.device.bind' && e.resource_id === DEVICE));
  assert.ok(trail.some((e) => e.action === 'monitor.observations.assign' && e.patient_id === patientId));
  assert.ok(trail.some((e) => e.action === 'monitor.observations.discard'));
  assert.ok(!JSON.stringify(trail).includes('prescriber informed'), 'acknowledgement notes stay out of the audit trail');
});

test('a low SpO2 alarms once it persists, critical below 90 %; unacknowledged, it escalates on the clinic policy', async (t) => {
  const { server, mllpPort } = await monitorServer(t);
  const admin = await loggedIn(server, 'demo.admin');
  const nurse = await loggedIn(server, 'demo.nurse');

  const policy = await nurse.get('/api/v1/monitor/alarm-policy');
  assert.equal(policy.status, 200, policy.text);
  assert.deepEqual([policy.json.version, policy.json.origin], [0, 'default']);
  assert.equal(policy.json.policy.timing_unconfirmed, true);
  assert.ok(policy.json.protocol_thresholds.some((p) => p.thresholds.some((q) => q.id === 'spo2_min' && q.value === 92)));
  const faster = { ...policy.json.policy, escalation_seconds: 10 };
  assertError(assert, await nurse.put('/api/v1/monitor/alarm-policy', { version: 1, policy: faster }), 403, 'forbidden');
  assertError(assert, await admin.put('/api/v1/monitor/alarm-policy', { version: 2, policy: faster }), 409, 'conflict', 'version');
  const badTier = structuredClone(faster);
  badTier.rules[0].tier = 'urgent';
  assertError(assert, await admin.put('/api/v1/monitor/alarm-policy', { version: 1, policy: badTier }), 400, 'invalid_input', 'policy.rules[0].tier');
  const saved = await admin.put('/api/v1/monitor/alarm-policy', { version: 1, policy: faster });
  assert.equal(saved.status, 200, saved.text);
  assert.equal((await nurse.get('/api/v1/monitor/alarm-policy')).json.policy.escalation_seconds, 10);

  const DEVICE = '0012340000AB0002';
  await send(mllpPort, DEVICE, { spo2: 98 });
  const chair = await chairNamed(admin, 'Chair 4');
  assert.equal((await admin.put(`/api/v1/monitor/devices/${DEVICE}/chair`, { chair_id: chair.id })).status, 200);
  const { sessionId } = await sessionOnChair(server, 'Chair 4');

  // SpO2 must stay low for 5 readings or 15 s (default policy): three readings 5 s apart are not enough.
  const base = Date.now() - 60_000;
  for (let i = 0; i < 3; i++) await send(mllpPort, DEVICE, { spo2: 88 }, new Date(base + i * 5000));
  let monitor = await nurse.get(`/api/v1/sessions/${sessionId}/monitor`);
  assert.deepEqual(monitor.json.alarms, [], 'not yet persisted');
  await send(mllpPort, DEVICE, { spo2: 88 }, new Date(base + 15000));
  monitor = await nurse.get(`/api/v1/sessions/${sessionId}/monitor`);
  assert.equal(monitor.json.alarms.length, 1);
  const alarm = monitor.json.alarms[0];
  assert.deepEqual([alarm.parameter, alarm.tier, alarm.rule, alarm.escalated], ['spo2', 'critical', 'spo2_below_90', false]);

  let escalated = null;
  for (let waited = 0; waited < 30_000 && !escalated; waited += 500) {
    await sleep(500);
    const open = await nurse.get('/api/v1/monitor/alarms');
    escalated = open.json.items.find((a) => a.id === alarm.id && a.escalated);
  }
  assert.ok(escalated, 'an unacknowledged alarm escalates');
  assert.equal(escalated.chair, 'Chair 4');
  assert.ok(escalated.events.some((e) => e.kind === 'escalated' && e.note === 'not acknowledged within 10 s'));
  const trail = await allPages(admin, '/api/v1/audit');
  assert.ok(trail.some((e) => e.action === 'monitor.alarm.escalated' && e.username === 'system:alarm-escalation'));
  assert.ok(trail.some((e) => e.action === 'monitor.alarm_policy.save' && e.username === 'demo.admin'));
});

test('on PostgreSQL: a bound monitor feeds its session and raises the alarm', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_alarms');
  t.after(() => database.drop());
  const { server, mllpPort } = await monitorServer(t, { database: database.url });
  const admin = await loggedIn(server, 'demo.admin');
  const DEVICE = '0012340000AB0003';
  await send(mllpPort, DEVICE, { spo2: 98 });
  const chair = await chairNamed(admin, 'Chair 2');
  assert.equal((await admin.put(`/api/v1/monitor/devices/${DEVICE}/chair`, { chair_id: chair.id })).status, 200);
  const { sessionId, nurse } = await sessionOnChair(server, 'Chair 2');
  await send(mllpPort, DEVICE, { systolic: 190, diastolic: 101 });
  const monitor = await nurse.get(`/api/v1/sessions/${sessionId}/monitor`);
  assert.equal(monitor.status, 200, monitor.text);
  const tiers = Object.fromEntries(monitor.json.alarms.map((a) => [a.parameter, a.tier]));
  assert.deepEqual(tiers, { systolic: 'warning', diastolic: 'warning' });
  const board = await nurse.get('/api/v1/monitor/board');
  assert.equal(board.json.chairs.find((c) => c.chair.name === 'Chair 2').alarms.length, 2);
});
