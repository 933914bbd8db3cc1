// HTTP API: clinic-configured alert rules (issue 3). An admin creates "GAD-7 total ≥ 15 →
// urgent"; a nurse enters a GAD-7 of 16 and the rule's alert is on the clinic's list and
// acknowledgeable like the instruments' own; a GAD-7 of 14 raises none; a "PHQ-9 rise ≥ 5
// points" rule fires on the second measure only; retiring a rule stops it (and is a new row,
// listed with status=all); bad rules (unknown item, N out of range, unknown condition) are 400
// naming the field and store nothing; a nurse cannot create or retire rules (403); every write
// is in the audit trail. The whole flow runs on PostgreSQL too (needs $KETACHART_TEST_PG_URL, or
// KETACHART_SKIP_PG=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createPgDatabase, loggedIn, pgClusterUrl, samplePatient, serverFor } from '../support/ketachart.mjs';

async function newPatient(server) {
  const desk = await loggedIn(server, 'demo.frontdesk');
  const created = await desk.post('/api/v1/patients', samplePatient());
  assert.equal(created.status, 201, created.text);
  return created.json.id;
}

async function ruleFlow(server) {
  const patientId = await newPatient(server);
  const admin = await loggedIn(server, 'demo.admin');
  const nurse = await loggedIn(server, 'demo.nurse');
  const therapist = await loggedIn(server, 'demo.therapist');

  const gadRule = { instrument: 'gad7', condition: 'total_at_least', threshold: 15, severity: 'urgent', display: 'GAD-7 ≥ 15: call the patient today' };
  assertError(assert, await nurse.post('/api/v1/alert-rules', gadRule), 403, 'forbidden');
  const created = await admin.post('/api/v1/alert-rules', gadRule);
  assert.equal(created.status, 201, created.text);
  const rule = created.json;
  assert.equal(rule.status, 'active');
  assert.equal(rule.code, `clinic_rule_${rule.id}`);
  assert.equal(rule.item, null);
  const listed = await nurse.get('/api/v1/alert-rules');
  assert.equal(listed.status, 200, listed.text);
  assert.ok(listed.json.items.some((r) => r.id === rule.id), 'staff who read measures see the rules');

  const sixteen = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'gad7', answers: [3, 3, 3, 3, 3, 1, 0] });
  assert.equal(sixteen.status, 201, sixteen.text);
  assert.equal(sixteen.json.total, 16);
  assert.equal(sixteen.json.alerts.length, 1);
  const alert = sixteen.json.alerts[0];
  assert.equal(alert.code, rule.code);
  assert.equal(alert.severity, 'urgent');
  assert.equal(alert.display, gadRule.display);
  const open = await therapist.get('/api/v1/measure-alerts');
  assert.ok(open.json.items.some((a) => a.id === alert.id && a.patient.id === patientId), 'the alert is on the clinic list');
  const acked = await therapist.post(`/api/v1/measure-alerts/${alert.id}/acknowledge`, { action_note: 'Phoned; seen tomorrow.' });
  assert.equal(acked.status, 200, acked.text);
  assert.equal(acked.json.acknowledged.by, 'demo.therapist');

  const fourteen = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'gad7', answers: [3, 3, 3, 3, 2, 0, 0] });
  assert.equal(fourteen.status, 201, fourteen.text);
  assert.equal(fourteen.json.total, 14);
  assert.deepEqual(fourteen.json.alerts, []);

  // A rise of at least 5 points from the previous PHQ-9.
  const rise = await admin.post('/api/v1/alert-rules', { instrument: 'phq9', condition: 'rise_at_least', threshold: 5, severity: 'advisory', display: 'PHQ-9 rose by 5 or more' });
  assert.equal(rise.status, 201, rise.text);
  const first = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'phq9', answers: [1, 1, 1, 0, 0, 0, 0, 0, 0] });
  assert.equal(first.status, 201, first.text);
  assert.deepEqual(first.json.alerts, [], 'no previous measure: no rise');
  const second = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'phq9', answers: [2, 2, 1, 1, 1, 1, 0, 0, 0] });
  assert.equal(second.status, 201, second.text);
  assert.equal(second.json.total, 8);
  assert.deepEqual(second.json.alerts.map((a) => a.code), [`clinic_rule_${rise.json.id}`]);

  // Retiring stops the rule; the rule is kept, retired.
  assertError(assert, await nurse.post(`/api/v1/alert-rules/${rise.json.id}/retire`, { reason: 'x' }), 403, 'forbidden');
  assertError(assert, await admin.post(`/api/v1/alert-rules/${rise.json.id}/retire`, {}), 400, 'invalid_input', 'reason');
  const retired = await admin.post(`/api/v1/alert-rules/${rise.json.id}/retire`, { reason: 'replaced by the reliable-change review' });
  assert.equal(retired.status, 200, retired.text);
  assert.equal(retired.json.status, 'retired');
  assertError(assert, await admin.post(`/api/v1/alert-rules/${rise.json.id}/retire`, { reason: 'again' }), 409, 'conflict');
  const third = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'phq9', answers: [3, 3, 2, 2, 2, 2, 1, 0, 0] });
  assert.equal(third.status, 201, third.text);
  assert.equal(third.json.total, 15);
  assert.deepEqual(third.json.alerts, [], 'a retired rule raises nothing');
  const active = await admin.get('/api/v1/alert-rules');
  assert.ok(!active.json.items.some((r) => r.id === rise.json.id));
  const all = await admin.get('/api/v1/alert-rules?status=all');
  assert.equal(all.json.items.find((r) => r.id === rise.json.id).retired.reason, 'replaced by the reliable-change review');
  assertError(assert, await admin.get('/api/v1/alert-rules?status=some'), 400, 'invalid_input', 'status');

  // Bad rules: 400 naming the field, nothing stored.
  const before = all.json.items.length;
  const bad = { instrument: 'phq9', condition: 'item_at_least', item: '10', threshold: 1, severity: 'urgent', display: 'x' };
  assertError(assert, await admin.post('/api/v1/alert-rules', bad), 400, 'invalid_input', 'item');
  assertError(assert, await admin.post('/api/v1/alert-rules', { ...bad, item: '9', threshold: 4 }), 400, 'invalid_input', 'threshold');
  assertError(assert, await admin.post('/api/v1/alert-rules', { ...gadRule, threshold: 22 }), 400, 'invalid_input', 'threshold');
  assertError(assert, await admin.post('/api/v1/alert-rules', { ...gadRule, condition: 'total_above' }), 400, 'invalid_input', 'condition');
  assertError(assert, await admin.post('/api/v1/alert-rules', { ...gadRule, instrument: 'gad8' }), 400, 'invalid_input', 'instrument');
  assertError(assert, await admin.post('/api/v1/alert-rules', { ...gadRule, severity: 'critical' }), 400, 'invalid_input', 'severity');
  assertError(assert, await admin.post('/api/v1/alert-rules', { ...gadRule, instrument: 'cssrs' }), 400, 'invalid_input', 'condition');
  assert.equal((await admin.get('/api/v1/alert-rules?status=all')).json.items.length, before);

  // An item rule by item number.
  const item = await admin.post('/api/v1/alert-rules', { ...bad, item: 9, threshold: 2, display: 'PHQ-9 item 9 at 2 or more' });
  assert.equal(item.status, 201, item.text);
  assert.equal(item.json.item, '9');

  const auditor = await loggedIn(server, 'demo.auditor');
  const byAdmin = await auditor.get('/api/v1/audit?user=demo.admin&limit=200');
  assert.equal(byAdmin.status, 200, byAdmin.text);
  const adminActions = byAdmin.json.items.map((e) => e.action);
  assert.ok(adminActions.includes('alert_rule.create') && adminActions.includes('alert_rule.retire'));
  const byPatient = await auditor.get(`/api/v1/audit?patient=${patientId}&limit=200`);
  assert.equal(byPatient.json.items.filter((e) => e.action === 'measure_alert.raise').length, 2, 'one event per rule alert');
}

test('clinic alert rules: create, fire with the measure, acknowledge, rise, retire, bad rules, roles', async (t) => {
  await ruleFlow(await serverFor(t));
});

test('PostgreSQL: the same clinic alert rule flow (0011_clinic_alert_rules on PostgreSQL)', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_alert_rules');
  t.after(() => database.drop());
  await ruleFlow(await serverFor(t, { database: database.url }));
});
