// HTTP API: rating-scale measures and safety alerts. A nurse enters a PHQ-9 with item 9 positive
// (201, scored, the alert raised with it); the alert is on the clinic's open list until a
// therapist acknowledges it with an action note (once: 409 after); the trajectory lists measures
// in administration order with change against the baseline; bad input (unknown instrument, wrong
// answer count, out-of-range value, skip-logic violation) is 400 naming the field and stores
// nothing; front desk cannot read or enter measures, admins cannot acknowledge, another clinic
// gets 404; every step is in the audit trail; GET /api/v1/instruments lists the ten instruments.
// The alert flow runs on PostgreSQL too (needs $KETACHART_TEST_PG_URL, or KETACHART_SKIP_PG=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createPgDatabase, loggedIn, pgClusterUrl, samplePatient, serverFor } from '../support/ketachart.mjs';

async function newPatient(server) {
  const desk = await loggedIn(server, 'demo.frontdesk');
  const created = await desk.post('/api/v1/patients', samplePatient());
  assert.equal(created.status, 201, created.text);
  return created.json.id;
}

async function alertFlow(server) {
  const patientId = await newPatient(server);
  const nurse = await loggedIn(server, 'demo.nurse');
  const entered = await nurse.post(`/api/v1/patients/${patientId}/measures`, {
    instrument: 'phq9',
    answers: [2, 2, 1, 1, 1, 1, 0, 0, 1],
    note: 'entered from the paper form',
  });
  assert.equal(entered.status, 201, entered.text);
  assert.equal(entered.json.total, 9);
  assert.equal(entered.json.band, 'mild');
  assert.equal(entered.json.score.cutoffs.major_depression_screen, false);
  assert.equal(entered.json.instrument, 'phq9');
  assert.equal(entered.json.alerts.length, 1);
  const alert = entered.json.alerts[0];
  assert.equal(alert.code, 'phq9_item9_positive');
  assert.equal(alert.severity, 'urgent');
  assert.equal(alert.acknowledged, null);

  const therapist = await loggedIn(server, 'demo.therapist');
  const open = await therapist.get('/api/v1/measure-alerts');
  assert.equal(open.status, 200, open.text);
  const listed = open.json.items.find((a) => a.id === alert.id);
  assert.ok(listed, 'the alert is on the open list');
  assert.equal(listed.patient.id, patientId);
  assert.equal(listed.patient.family_name, 'Testperson');

  assertError(assert, await therapist.post(`/api/v1/measure-alerts/${alert.id}/acknowledge`, {}), 400, 'invalid_input', 'action_note');
  const admin = await loggedIn(server, 'demo.admin');
  assertError(assert, await admin.post(`/api/v1/measure-alerts/${alert.id}/acknowledge`, { action_note: 'x' }), 403, 'forbidden');
  const acked = await therapist.post(`/api/v1/measure-alerts/${alert.id}/acknowledge`, {
    action_note: 'Phoned the patient within the hour; safety plan reviewed, no intent.',
  });
  assert.equal(acked.status, 200, acked.text);
  assert.equal(acked.json.acknowledged.by, 'demo.therapist');
  assertError(assert, await nurse.post(`/api/v1/measure-alerts/${alert.id}/acknowledge`, { action_note: 'again' }), 409, 'conflict');

  const after = await therapist.get('/api/v1/measure-alerts');
  assert.ok(!after.json.items.some((a) => a.id === alert.id), 'acknowledged alerts leave the open list');
  const all = await therapist.get('/api/v1/measure-alerts?status=all');
  assert.equal(all.json.items.find((a) => a.id === alert.id).acknowledged.action_note.startsWith('Phoned'), true);

  const auditor = await loggedIn(server, 'demo.auditor');
  const actions = (await auditor.get(`/api/v1/audit?patient=${patientId}&limit=200`)).json.items.map((e) => e.action);
  for (const action of ['measure.record', 'measure_alert.raise', 'measure_alert.acknowledge']) {
    assert.ok(actions.includes(action), `${action} in ${actions.join()}`);
  }
}

test('PHQ-9 with item 9 positive: scored, alert raised, acknowledged once with an action note', async (t) => {
  await alertFlow(await serverFor(t));
});

test('PostgreSQL: the same alert flow (0003_measures on PostgreSQL)', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_measures');
  t.after(() => database.drop());
  await alertFlow(await serverFor(t, { database: database.url }));
});

test('trajectory: administration order, baseline, response and remission', async (t) => {
  const server = await serverFor(t);
  const patientId = await newPatient(server);
  const nurse = await loggedIn(server, 'demo.nurse');
  const enter = async (answers, at) => {
    const r = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'phq9', answers, administered_at: at });
    assert.equal(r.status, 201, r.text);
  };
  await enter([3, 3, 2, 2, 2, 2, 2, 2, 0], '2026-01-05T10:00:00.000Z');
  await enter([1, 1, 1, 0, 0, 0, 0, 0, 0], '2026-02-20T10:00:00.000Z');
  await enter([2, 2, 2, 2, 1, 1, 1, 1, 0], '2026-01-20T10:00:00.000Z');
  const madrs = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'madrs', answers: [28] });
  assert.equal(madrs.status, 201, madrs.text);

  const page = await nurse.get(`/api/v1/patients/${patientId}/measures?instrument=phq9`);
  assert.equal(page.status, 200, page.text);
  assert.deepEqual(page.json.items.map((m) => m.total), [18, 12, 3]);
  assert.equal(page.json.items[0].baseline, true);
  assert.equal(page.json.items[2].change.response, true);
  assert.equal(page.json.items[2].change.remission, true);
  assert.equal(page.json.items[1].change.response, false);

  const first = await nurse.get(`/api/v1/patients/${patientId}/measures?limit=2`);
  assert.equal(first.json.items.length, 2);
  assert.equal(typeof first.json.next_cursor, 'string');
  const rest = await nurse.get(`/api/v1/patients/${patientId}/measures?limit=2&cursor=${encodeURIComponent(first.json.next_cursor)}`);
  assert.deepEqual([...first.json.items, ...rest.json.items].map((m) => m.instrument), ['phq9', 'phq9', 'phq9', 'madrs']);
  assertError(assert, await nurse.get(`/api/v1/patients/${patientId}/measures?limit=501`), 400, 'invalid_input', 'limit');
});

test('bad input is 400 naming the field and stores nothing', async (t) => {
  const server = await serverFor(t);
  const patientId = await newPatient(server);
  const nurse = await loggedIn(server, 'demo.nurse');
  const path = `/api/v1/patients/${patientId}/measures`;
  assertError(assert, await nurse.post(path, { instrument: 'phq10', answers: [0] }), 400, 'invalid_input', 'instrument');
  assertError(assert, await nurse.post(path, { instrument: 'phq9', answers: [0, 0, 0] }), 400, 'invalid_input', 'answers');
  assertError(assert, await nurse.post(path, { instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 4] }), 400, 'invalid_input', 'answers[8]');
  assertError(assert, await nurse.post(path, { instrument: 'phq9', answers: [0, 0, 0, null, 0, 0, 0, 0, 0] }), 400, 'invalid_input', 'answers[3]');
  assertError(assert, await nurse.post(path, { instrument: 'cssrs', answers: [0, 0, 1, null, null, 0, null] }), 400, 'invalid_input', 'answers[2]');
  assertError(assert, await nurse.post(path, { instrument: 'madrs', answers: [61] }), 400, 'invalid_input', 'answers[0]');
  assertError(assert, await nurse.post(path, { instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 0], administered_at: '2999-01-01T00:00:00.000Z' }), 400, 'invalid_input', 'administered_at');
  const list = await nurse.get(path);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items, []);
  const alerts = await nurse.get('/api/v1/measure-alerts?status=all');
  assert.ok(!alerts.json.items.some((a) => a.patient.id === patientId));
});

test('roles and clinics: front desk cannot, another clinic gets 404, instruments for any session', async (t) => {
  const server = await serverFor(t);
  const patientId = await newPatient(server);
  const desk = await loggedIn(server, 'demo.frontdesk');
  const body = { instrument: 'gad7', answers: [1, 1, 1, 1, 1, 1, 1] };
  assertError(assert, await desk.post(`/api/v1/patients/${patientId}/measures`, body), 403, 'forbidden');
  assertError(assert, await desk.get(`/api/v1/patients/${patientId}/measures`), 403, 'forbidden');
  assertError(assert, await desk.get('/api/v1/measure-alerts'), 403, 'forbidden');
  const harbor = await loggedIn(server, 'demo.nurse2');
  assertError(assert, await harbor.post(`/api/v1/patients/${patientId}/measures`, body), 404, 'not_found');
  assertError(assert, await harbor.get(`/api/v1/patients/${patientId}/measures`), 404, 'not_found');

  const instruments = await desk.get('/api/v1/instruments');
  assert.equal(instruments.status, 200, instruments.text);
  assert.equal(instruments.json.items.length, 10);
  const phq9 = instruments.json.items.find((i) => i.instrument === 'phq9');
  assert.equal(phq9.loinc, '44261-6');
  assert.equal(phq9.questionnaire.resourceType, 'Questionnaire');
});

async function linkFlow(server) {
  const patientId = await newPatient(server);
  const nurse = await loggedIn(server, 'demo.nurse');
  const created = await nurse.post(`/api/v1/patients/${patientId}/self-report-links`, { instrument: 'phq9' });
  assert.equal(created.status, 201, created.text);
  const { token } = created.json;
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assertError(assert, await nurse.post(`/api/v1/patients/${patientId}/self-report-links`, { instrument: 'madrs' }), 400, 'invalid_input', 'instrument');

  const publicPost = async (path, body) => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, json: text ? JSON.parse(text) : null };
  };
  const form = await publicPost('/api/v1/self-report/form', { token });
  assert.equal(form.status, 200, form.text);
  assert.equal(form.json.instrument, 'phq9');
  assert.ok(!form.text.includes('Testperson'), 'no patient data in the public form');

  assertError(assert, await publicPost('/api/v1/self-report/submit', { token, answers: [0, 0, 0] }), 400, 'invalid_input', 'answers');
  const sent = await publicPost('/api/v1/self-report/submit', { token, answers: [2, 2, 1, 1, 0, 0, 0, 0, 1] });
  assert.equal(sent.status, 200, sent.text);
  assert.deepEqual(sent.json, { received: true });
  assertError(assert, await publicPost('/api/v1/self-report/submit', { token, answers: [0, 0, 0, 0, 0, 0, 0, 0, 0] }), 409, 'conflict');
  assertError(assert, await publicPost('/api/v1/self-report/form', { token }), 409, 'conflict');
  assertError(assert, await publicPost('/api/v1/self-report/form', { token: 'x'.repeat(43) }), 404, 'not_found');

  const measures = await nurse.get(`/api/v1/patients/${patientId}/measures`);
  assert.equal(measures.json.items.length, 1);
  assert.equal(measures.json.items[0].total, 7);
  assert.equal(measures.json.items[0].alerts[0].code, 'phq9_item9_positive');
  const auditor = await loggedIn(server, 'demo.auditor');
  const actions = (await auditor.get(`/api/v1/audit?patient=${patientId}&limit=200`)).json.items.map((e) => e.action);
  for (const action of ['self_report.create_link', 'self_report.open', 'self_report.submit', 'measure_alert.raise']) {
    assert.ok(actions.includes(action), `${action} in ${actions.join()}`);
  }
  // Reusing the link leaves failed attempts naming the link and the patient, never the token.
  const trail = (await auditor.get(`/api/v1/audit?patient=${patientId}&limit=200`)).json.items;
  const reused = trail.filter((e) => e.outcome === 'failed' && e.resource_type === 'self_report_link');
  assert.deepEqual(reused.map((e) => [e.action, e.detail]).sort(), [
    ['self_report.open', 'this link was already used'],
    ['self_report.submit', 'this link was already used'],
  ]);
  assert.ok(!JSON.stringify(trail).includes(token), 'the token never reaches the audit trail');
}

test('self-report link: no account, token only in the body, single use, nothing stored when refused', async (t) => {
  await linkFlow(await serverFor(t));
});

test('PostgreSQL: the same self-report link flow (a link changes once, by trigger)', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_links');
  t.after(() => database.drop());
  await linkFlow(await serverFor(t, { database: database.url }));
});
