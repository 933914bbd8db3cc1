// HTTP API on PostgreSQL: the core patient flow against `serve --database URL --demo` on a fresh
// database of the cluster in $KETACHART_TEST_PG_URL: health reports postgresql, log-in, register
// (generated MRN), read, versioned edit with stale-version 409, versions and old versions,
// search (name prefix, birth date, MRN) with pagination, a measurement, clinic isolation, the
// audit trail, and `ketachart audit verify --database URL` after the server stops; concurrent
// edits of one version and concurrent registrations; lock-out, CSRF and log-out.
// Without $KETACHART_TEST_PG_URL the tests fail, unless KETACHART_SKIP_PG=1 (then they skip).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client,
  DOCUMENT_FIELDS,
  HMC,
  allPages,
  assertError,
  createPgDatabase,
  letters,
  loggedIn,
  pgClusterUrl,
  psql,
  runCli,
  samplePatient,
  serverFor,
  sleep,
} from '../support/ketachart.mjs';

async function pgServer(t) {
  const cluster = pgClusterUrl(t);
  if (!cluster) return null;
  const database = await createPgDatabase(cluster, 'kc_api');
  t.after(() => database.drop());
  const server = await serverFor(t, { database: database.url });
  return { server, database };
}

test('PostgreSQL: register, read, edit with versions, stale 409, search, measurement, audit verify', async (t) => {
  const setup = await pgServer(t);
  if (!setup) return;
  const { server, database } = setup;

  const health = await (await fetch(`${server.baseUrl}/healthz`)).json();
  assert.equal(health.database, 'postgresql');
  assert.equal(health.status, 'ok');

  const admin = await loggedIn(server, 'demo.admin');
  const nurse = await loggedIn(server, 'demo.nurse');
  assert.equal((await allPages(admin, '/api/v1/patients')).length, 60, 'the demo clinic has 60 patients');

  const family = `Pg${letters(8)}`;
  const patient = samplePatient({ family_name: family, given_names: 'Johanna Lee', birth_date: '1907-05-06' });
  const created = await admin.post('/api/v1/patients', patient);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.mrn, 'NRK-000061');
  assert.equal(created.json.version, 1);
  const id = created.json.id;
  for (const key of Object.keys(patient)) assert.deepEqual(created.json[key], patient[key], key);

  const read = await nurse.get(`/api/v1/patients/${id}`);
  assert.equal(read.status, 200, read.text);
  assert.equal(read.json.family_name, family);

  // Edit, then a stale edit.
  const doc = {};
  for (const key of DOCUMENT_FIELDS) if (read.json[key] !== undefined) doc[key] = read.json[key];
  const updated = await nurse.put(`/api/v1/patients/${id}`, { ...doc, phone: '+1 555 0199 0000', version: 1, change_reason: 'new phone' });
  assert.equal(updated.status, 200, updated.text);
  assert.equal(updated.json.version, 2);
  const stale = await admin.put(`/api/v1/patients/${id}`, { ...doc, address: 'Elsewhere 1', version: 1, change_reason: 'stale' });
  assertError(assert, stale, 409, 'conflict', 'version');
  const current = await admin.get(`/api/v1/patients/${id}`);
  assert.equal(current.json.version, 2);
  assert.equal(current.json.phone, '+1 555 0199 0000');
  assert.equal(current.json.address, patient.address);

  const versions = await admin.get(`/api/v1/patients/${id}/versions`);
  assert.deepEqual(
    versions.json.items.map((v) => [v.version, v.recorded_by]),
    [
      [2, 'demo.nurse'],
      [1, 'demo.admin'],
    ],
  );
  assert.equal(versions.json.items[0].change_reason, 'new phone');
  const v1 = await admin.get(`/api/v1/patients/${id}/versions/1`);
  assert.equal(v1.json.phone, patient.phone);

  // Search: name prefix (both orders, case-insensitive), birth date, MRN; pagination.
  const search = async (q) => (await admin.get(`/api/v1/patients?q=${encodeURIComponent(q)}`)).json.items.map((p) => p.id);
  assert.deepEqual(await search(family.toLowerCase()), [id]);
  assert.deepEqual(await search(`${family.toUpperCase()} jo`), [id]);
  assert.deepEqual(await search(`johanna lee ${family.slice(0, 3)}`), [id]);
  assert.deepEqual(await search('1907-05-06'), [id]);
  assert.deepEqual(await search('NRK-000061'), [id]);
  const paged = await allPages(admin, '/api/v1/patients', { limit: 7 });
  assert.equal(paged.length, 61);
  assert.equal(new Set(paged.map((p) => p.id)).size, 61);
  assertError(assert, await admin.get('/api/v1/patients?limit=201'), 400, 'invalid_input', 'limit');

  // Measurement and exact grams.
  const weight = await nurse.post(`/api/v1/patients/${id}/measurements`, { kind: 'weight', weight_kg: 72.5, measured_on: '2024-02-02' });
  assert.equal(weight.status, 201, weight.text);
  assert.deepEqual(weight.json.latest_weight, { weight_kg: 72.5, measured_on: '2024-02-02' });
  assertError(
    assert,
    await nurse.post(`/api/v1/patients/${id}/measurements`, { kind: 'weight', weight_kg: 72.12345, measured_on: '2024-02-02' }),
    400,
    'invalid_input',
    'weight_kg',
  );

  // Bad input writes nothing; duplicate MRN is 409.
  assertError(assert, await admin.post('/api/v1/patients', { ...patient, birth_date: '1990-02-30' }), 400, 'invalid_input', 'birth_date');
  assertError(assert, await admin.post('/api/v1/patients', { ...patient, mrn: 'NRK-000001' }), 409, 'conflict', 'mrn');
  assert.deepEqual(await search(family), [id]);

  // Clinic isolation.
  const hmc = await loggedIn(server, 'demo.nurse2');
  assert.equal(hmc.session.active_clinic_id, HMC);
  assertError(assert, await hmc.get(`/api/v1/patients/${id}`), 404, 'not_found');

  // Audit: the reads and the edit are there; search text is not.
  const auditor = await loggedIn(server, 'demo.auditor');
  const trail = await allPages(auditor, `/api/v1/audit?patient=${id}`);
  const actions = trail.map((e) => `${e.username}:${e.action}`);
  for (const expected of ['demo.admin:patient.create', 'demo.nurse:patient.read', 'demo.nurse:patient.update', 'demo.nurse:patient.measurement']) {
    assert.ok(actions.includes(expected), `${expected} in ${actions.join(', ')}`);
  }
  const all = JSON.stringify(await allPages(auditor, '/api/v1/audit')).toLowerCase();
  assert.ok(!all.includes(family.toLowerCase()), 'search text in the audit trail');

  // The by-patient lookup catches up in the background (every second) and the list is unchanged.
  const newest = trail[0].id;
  let mark = 0;
  for (let i = 0; i < 100; i++) {
    mark = Number(await psql(database.url, 'SELECT indexed_through FROM audit_patient_index_mark WHERE id = 1'));
    if (mark >= newest) break;
    await sleep(50);
  }
  assert.ok(mark >= newest, `the patient index reached event ${newest} (mark ${mark})`);
  const indexed = (await psql(database.url, `SELECT event_id FROM audit_patient_index WHERE patient_id = ${id} AND event_id <= ${mark} ORDER BY event_id DESC`))
    .trim()
    .split('\n')
    .map(Number);
  // (Querying the patient's trail is itself an event naming the patient, so the list grows.)
  const later = (await allPages(auditor, `/api/v1/audit?patient=${id}`)).map((e) => e.id);
  assert.deepEqual(indexed, later.filter((e) => e <= mark), 'one index row per event of the patient up to the mark');
  assert.deepEqual(later.filter((e) => e <= newest), trail.map((e) => e.id), 'the same events as before');

  await server.stop({ removeData: false });
  const verify = await runCli(['audit', 'verify', '--database', database.url]);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /intact/i);
});

test('PostgreSQL: concurrent edits of one version: one wins, the rest 409; concurrent MRNs stay unique', async (t) => {
  const setup = await pgServer(t);
  if (!setup) return;
  const { server } = setup;
  const clients = await Promise.all(['demo.admin', 'demo.nurse', 'demo.prescriber', 'demo.frontdesk'].map((u) => loggedIn(server, u)));
  const created = (await clients[0].post('/api/v1/patients', samplePatient({ family_name: 'Contended' }))).json;
  const doc = {};
  for (const key of DOCUMENT_FIELDS) if (created[key] !== undefined) doc[key] = created[key];
  const edits = await Promise.all(
    clients.flatMap((c, i) =>
      [0, 1].map((j) => c.put(`/api/v1/patients/${created.id}`, { ...doc, address: `Street ${i}${j}`, version: 1, change_reason: `edit ${i}${j}` })),
    ),
  );
  assert.deepEqual(
    edits.map((r) => r.status).sort(),
    [200, 409, 409, 409, 409, 409, 409, 409],
    edits.map((r) => r.text).join('\n'),
  );
  const versions = (await clients[0].get(`/api/v1/patients/${created.id}/versions`)).json.items;
  assert.deepEqual(
    versions.map((v) => v.version),
    [2, 1],
  );
  const sameMrn = await Promise.all(clients.flatMap((c) => [0, 1].map(() => c.post('/api/v1/patients', samplePatient({ mrn: 'SAME-0001' })))));
  assert.deepEqual(
    sameMrn.map((r) => r.status).sort(),
    [201, 409, 409, 409, 409, 409, 409, 409],
    sameMrn.map((r) => r.text).join('\n'),
  );
  const generated = await Promise.all(clients.flatMap((c) => [0, 1, 2].map(() => c.post('/api/v1/patients', samplePatient()))));
  assert.ok(generated.every((r) => r.status === 201), generated.map((r) => r.status).join());
  assert.equal(new Set(generated.map((r) => r.json.mrn)).size, generated.length, 'generated MRNs are unique');
});

test('PostgreSQL: session basics (lock-out, log-out, CSRF)', async (t) => {
  const setup = await pgServer(t);
  if (!setup) return;
  const { server } = setup;
  const client = new Client(server.baseUrl);
  for (let i = 0; i < 5; i++) assertError(assert, await client.login('demo.therapist', 'wrong-password'), 401, 'unauthenticated');
  assertError(assert, await client.login('demo.therapist'), 423, 'account_locked');

  const admin = await loggedIn(server, 'demo.admin');
  assertError(assert, await admin.post('/api/v1/patients', samplePatient(), { csrf: false }), 403, 'forbidden');
  assert.equal((await allPages(admin, '/api/v1/patients')).length, 60);
  assert.equal((await admin.delete('/api/v1/session')).status, 204);
  assertError(assert, await admin.get('/api/v1/session'), 401, 'unauthenticated');
});

test('PostgreSQL: two servers share one database: writes on either are seen by both, the audit chain stays whole', async (t) => {
  const setup = await pgServer(t);
  if (!setup) return;
  const { server: first, database } = setup;
  // A second instance on the same database, started after the first seeded the demo.
  const second = await serverFor(t, { database: database.url, demo: false });
  const [a, b] = await Promise.all([loggedIn(first, 'demo.frontdesk'), loggedIn(second, 'demo.nurse')]);
  const family = `Twoserver${letters(6)}`;
  // Both instances register patients at the same time (sessions are shared too:
  // each client only ever talks to its own instance here).
  const results = await Promise.all(
    Array.from({ length: 16 }, (_, i) =>
      (i % 2 ? b : a).post('/api/v1/patients', samplePatient({ family_name: family, given_names: `P${letters(4)}` })),
    ),
  );
  assert.ok(results.every((r) => r.status === 201), results.map((r) => `${r.status} ${r.text}`).join('\n'));
  const ids = results.map((r) => r.json.id).sort((x, y) => x - y);
  assert.equal(new Set(results.map((r) => r.json.mrn)).size, 16, 'MRNs unique across instances');
  for (const client of [a, b]) {
    const found = (await client.get(`/api/v1/patients?q=${family}&limit=50`)).json.items.map((p) => p.id).sort((x, y) => x - y);
    assert.deepEqual(found, ids, 'each instance sees every patient');
  }
  // A session created on one instance is valid on the other (sessions live in the database).
  const viaSecond = new Client(second.baseUrl);
  viaSecond.cookie = a.cookie;
  const chart = await viaSecond.get(`/api/v1/patients/${ids[0]}`);
  assert.equal(chart.status, 200, chart.text);

  await first.stop({ removeData: false });
  await second.stop({ removeData: false });
  const verify = await runCli(['audit', 'verify', '--database', database.url]);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /intact/i);
});
