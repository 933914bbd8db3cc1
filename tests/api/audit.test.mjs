// HTTP API: the audit trail. Reading a chart writes a patient.read event (patient id, user,
// outcome) that an auditor finds with GET /api/v1/audit?patient=ID; roles without audit.read get
// 403; refusals (403 for a missing permission or CSRF token, 401 without a session, failed
// log-ins) are audited as denied/failed and visible to the clinic's auditor; search terms never
// appear in any audit item; pagination of the trail; and the chain still verifies afterwards.
// Each test starts its own demo server on a fresh data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client,
  allPages,
  assertError,
  letters,
  loggedIn,
  pythonSqlite,
  runCli,
  samplePatient,
  serverFor,
} from '../support/ketachart.mjs';

test('reading a chart is audited as patient.read with patient id and user; the auditor sees it', async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse');
  const read = await nurse.get('/api/v1/patients/5');
  assert.equal(read.status, 200, read.text);

  const auditor = await loggedIn(server, 'demo.auditor');
  const trail = await auditor.get('/api/v1/audit?patient=5');
  assert.equal(trail.status, 200, trail.text);
  const event = trail.json.items.find((e) => e.action === 'patient.read' && e.username === 'demo.nurse');
  assert.ok(event, `no patient.read by demo.nurse in ${trail.text}`);
  assert.equal(event.patient_id, 5);
  assert.equal(event.resource_type, 'patient');
  assert.equal(event.resource_id, '5');
  assert.equal(event.outcome, 'success');
  assert.equal(event.clinic_id, 1);
  assert.equal(event.client_address, '127.0.0.1');
  assert.match(event.occurred_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
  assert.equal(typeof event.id, 'number');
  assert.ok(trail.json.items.every((e) => e.patient_id === 5), 'the patient filter applies');

  // Newest first; filters by user; an admin may read it too.
  const ids = trail.json.items.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  const byUser = await auditor.get('/api/v1/audit?user=demo.nurse');
  assert.ok(byUser.json.items.length > 0);
  assert.ok(byUser.json.items.every((e) => e.username === 'demo.nurse'));
  const admin = await loggedIn(server, 'demo.admin');
  const adminView = await admin.get('/api/v1/audit?patient=5');
  assert.equal(adminView.status, 200);
  assert.ok(adminView.json.items.some((e) => e.id === event.id));

  // Reading the trail is itself audited.
  const again = await auditor.get('/api/v1/audit?user=demo.auditor&limit=200');
  assert.ok(again.json.items.some((e) => e.action === 'audit.query'), 'audit.query events');

  // Edits and measurements are audited with the patient id too.
  const chart = read.json;
  const doc = {};
  for (const k of ['mrn', 'family_name', 'given_names', 'birth_date', 'sex']) doc[k] = chart[k];
  assert.equal((await nurse.put('/api/v1/patients/5', { ...doc, version: chart.version, change_reason: 'audit test' })).status, 200);
  assert.equal(
    (await nurse.post('/api/v1/patients/5/measurements', { kind: 'weight', weight_kg: 70, measured_on: '2024-01-01' })).status,
    201,
  );
  const actions = (await auditor.get('/api/v1/audit?patient=5&user=demo.nurse')).json.items.map((e) => e.action);
  assert.ok(actions.includes('patient.update'), actions.join());
  assert.ok(actions.includes('patient.measurement'), actions.join());
});

test('roles without audit.read get 403 from GET /api/v1/audit', async (t) => {
  const server = await serverFor(t);
  for (const username of ['demo.frontdesk', 'demo.nurse', 'demo.therapist', 'demo.prescriber']) {
    const client = await loggedIn(server, username);
    assertError(assert, await client.get('/api/v1/audit'), 403, 'forbidden');
    assertError(assert, await client.get('/api/v1/audit?patient=1'), 403, 'forbidden');
  }
  const auditor = await loggedIn(server, 'demo.auditor');
  const denied = await auditor.get('/api/v1/audit?user=demo.frontdesk');
  assert.ok(
    denied.json.items.some((e) => e.action === 'audit.query' && e.outcome === 'denied'),
    'the refused audit reads are audited as denied',
  );
  assertError(assert, await auditor.get('/api/v1/audit?limit=0'), 400, 'invalid_input', 'limit');
  assertError(assert, await auditor.get('/api/v1/audit?patient=abc'), 400, 'invalid_input', 'patient');
  assertError(assert, await auditor.get('/api/v1/audit?from=yesterday'), 400, 'invalid_input', 'from');
});

test('403 refusals (missing permission, missing CSRF token) are audited as denied', async (t) => {
  const server = await serverFor(t);
  const therapist = await loggedIn(server, 'demo.therapist');
  assertError(assert, await therapist.post('/api/v1/patients', samplePatient()), 403, 'forbidden');
  const admin = await loggedIn(server, 'demo.admin');
  assertError(assert, await admin.post('/api/v1/patients', samplePatient(), { csrf: false }), 403, 'forbidden');
  const auditorForbidden = await loggedIn(server, 'demo.auditor');
  assertError(assert, await auditorForbidden.get('/api/v1/patients/7'), 403, 'forbidden');

  const auditor = await loggedIn(server, 'demo.auditor');
  const items = await allPages(auditor, '/api/v1/audit');
  const therapistDenied = items.find((e) => e.username === 'demo.therapist' && e.outcome === 'denied');
  assert.ok(therapistDenied, 'the therapist\'s refused registration is in the trail');
  assert.equal(therapistDenied.action, 'patient.create');
  const csrfDenied = items.find((e) => e.username === 'demo.admin' && e.outcome === 'denied');
  assert.ok(csrfDenied, 'the admin\'s request without a CSRF token is in the trail');
  assert.match(csrfDenied.action, /POST/);
  const chartDenied = items.find((e) => e.username === 'demo.auditor' && e.outcome === 'denied' && e.patient_id === 7);
  assert.ok(chartDenied, 'the auditor\'s refused chart read is in the trail with the patient id');
});

test('401 responses are written to the audit trail (database) as denied', async (t) => {
  const server = await serverFor(t);
  const anonymous = new Client(server.baseUrl);
  assertError(assert, await anonymous.get('/api/v1/patients/3'), 401, 'unauthenticated');
  await server.stop({ removeData: false });
  const rows = JSON.parse(
    await pythonSqlite(
      `import json
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT username, outcome, action, clinic_id FROM audit_events WHERE outcome = 'denied'").fetchall()
print(json.dumps(rows))`,
      [`${server.dataDir}/ketachart.db`],
    ),
  );
  assert.ok(
    rows.some(([username, outcome, action]) => username === 'anonymous' && outcome === 'denied' && action.includes('/api/v1/patients')),
    JSON.stringify(rows),
  );
});

test('an auditor can see 401 refusals and failed log-ins in GET /api/v1/audit', async (t) => {
  // The refusals are recorded (previous test) but with clinic_id NULL, and GET /api/v1/audit
  // returns only events of the active clinic (docs/api.md), so no auditor can ever review
  // unauthenticated requests or failed log-ins. This test asserts that they can (delete it if
  // that limitation is intended).
  const server = await serverFor(t);
  const anonymous = new Client(server.baseUrl);
  assertError(assert, await anonymous.get('/api/v1/patients/3'), 401, 'unauthenticated');
  assertError(assert, await anonymous.login('demo.nurse', 'wrong-password'), 401, 'unauthenticated');

  const auditor = await loggedIn(server, 'demo.auditor');
  const items = await allPages(auditor, '/api/v1/audit');
  const unauthenticated = items.find((e) => e.outcome === 'denied' && e.username === 'anonymous');
  assert.ok(
    unauthenticated,
    'GET /api/v1/audit as demo.auditor should list the 401 for GET /api/v1/patients/3 (outcome denied); ' +
      `it lists only: ${[...new Set(items.map((e) => `${e.username}:${e.action}:${e.outcome}`))].join(', ')}`,
  );
  const failedLogin = items.find((e) => e.action === 'session.login' && e.username === 'demo.nurse' && e.outcome !== 'success');
  assert.ok(failedLogin, 'the failed log-in of demo.nurse (a member of this clinic) should be visible to its auditor');
});

test('search terms never appear in the audit trail', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const family = `Secret${letters(10)}`;
  const given = `Hidden${letters(8)}`;
  const created = await admin.post('/api/v1/patients', samplePatient({ family_name: family, given_names: given, birth_date: '1911-11-11' }));
  assert.equal(created.status, 201, created.text);
  const missing = `Absent${letters(10)}`;
  const terms = [family, family.slice(0, 9).toLowerCase(), `${family} ${given.slice(0, 8)}`, given, missing, '1911-11-11'];
  for (const q of terms) {
    const result = await admin.get(`/api/v1/patients?q=${encodeURIComponent(q)}`);
    assert.equal(result.status, 200, result.text);
  }
  const nurse = await loggedIn(server, 'demo.nurse');
  assert.equal((await nurse.get(`/api/v1/patients?q=${family}`)).json.items.length, 1);

  const auditor = await loggedIn(server, 'demo.auditor');
  const items = await allPages(auditor, '/api/v1/audit');
  const searches = items.filter((e) => e.action === 'patient.search');
  assert.ok(searches.length >= terms.length + 1, 'each search is audited');
  assert.ok(searches.some((e) => /results=1/.test(e.detail ?? '')), 'the result count is recorded');
  const everything = JSON.stringify(items).toLowerCase();
  for (const secret of [family, given, missing, given.slice(6), family.slice(6)]) {
    assert.ok(!everything.includes(secret.toLowerCase()), `the audit trail contains the search text "${secret}"`);
  }
  assert.ok(!everything.includes('1911-11-11'), 'the audit trail contains the searched birth date');
});

test('the audit trail paginates newest first without gaps or duplicates', async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse');
  for (let id = 1; id <= 12; id++) assert.equal((await nurse.get(`/api/v1/patients/${id}`)).status, 200);
  const auditor = await loggedIn(server, 'demo.auditor');
  const whole = await allPages(auditor, '/api/v1/audit?user=demo.nurse', { limit: 200 });
  const paged = await allPages(auditor, '/api/v1/audit?user=demo.nurse', { limit: 5 });
  assert.deepEqual(
    paged.map((e) => e.id),
    whole.map((e) => e.id),
  );
  assert.equal(new Set(paged.map((e) => e.id)).size, paged.length);
  assert.ok(whole.filter((e) => e.action === 'patient.read').length >= 12);

  // Time filters: everything so far is before "to=tomorrow" and nothing is after "from=tomorrow".
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  assert.equal((await auditor.get(`/api/v1/audit?from=${tomorrow}`)).json.items.length, 0);
  assert.ok((await auditor.get(`/api/v1/audit?to=${tomorrow}&user=demo.nurse`)).json.items.length > 0);

  await server.stop({ removeData: false });
  const verify = await runCli(['audit', 'verify', '--data-dir', server.dataDir]);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /intact/i);
});

test('a read the patient index has not reached yet is listed by patient; after a restart it is indexed and listed once', async (t) => {
  // An interval of an hour: after the catch-up at start, nothing new is indexed while this runs.
  const env = { KETACHART_AUDIT_PATIENT_INDEX_INTERVAL_SECONDS: '3600' };
  const first = await serverFor(t, { env, keepData: true });
  const db = `${first.dataDir}/ketachart.db`;
  const indexState = async (patient) =>
    JSON.parse(
      await pythonSqlite(
        `c = sqlite3.connect(sys.argv[1])
mark = c.execute("SELECT indexed_through FROM audit_patient_index_mark").fetchone()[0]
rows = [r[0] for r in c.execute("SELECT event_id FROM audit_patient_index WHERE patient_id = ?", (int(sys.argv[2]),))]
import json; print(json.dumps({"mark": mark, "rows": rows}))`,
        [db, String(patient)],
      ),
    );
  const nurse = await loggedIn(first, 'demo.nurse');
  const auditor = await loggedIn(first, 'demo.auditor');
  const byNurse = async (client) =>
    (await allPages(client, '/api/v1/audit?patient=7')).filter((e) => e.action === 'patient.read' && e.username === 'demo.nurse');
  const before = await byNurse(auditor);
  assert.equal((await nurse.get('/api/v1/patients/7')).status, 200);
  const after = await byNurse(auditor);
  assert.equal(after.length, before.length + 1, 'the new read is listed');
  const read = after[0];
  const state = await indexState(7);
  assert.ok(state.mark < read.id, `the read (event ${read.id}) is past the index mark ${state.mark}`);
  assert.ok(!state.rows.includes(read.id), 'and not in the patient index');

  await first.stop({ removeData: false });
  const second = await serverFor(t, { env, dataDir: first.dataDir });
  t.after(() => second.stop({ removeData: true }));
  for (let i = 0; i < 100 && (await indexState(7)).mark < read.id; i++) await new Promise((r) => setTimeout(r, 50));
  const indexed = await indexState(7);
  assert.ok(indexed.mark >= read.id, `the restarted server indexes it (mark ${indexed.mark})`);
  assert.equal(indexed.rows.filter((id) => id === read.id).length, 1, 'exactly one index row');
  const listed = await byNurse(await loggedIn(second, 'demo.auditor'));
  assert.equal(listed.filter((e) => e.id === read.id).length, 1, 'listed once through the index');
  assert.deepEqual(listed.map((e) => e.id), after.map((e) => e.id));

  await second.stop({ removeData: false });
  const verify = await runCli(['audit', 'verify', '--data-dir', first.dataDir]);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /intact: \d+ events verified; patient index agrees \(\d+ rows\)/);
});
