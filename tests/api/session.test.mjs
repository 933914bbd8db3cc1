// HTTP API: sessions. Log-in (HttpOnly + SameSite=Strict cookie, csrf_token, permissions),
// wrong password (401 unauthenticated), lock-out after 5 wrong passwords (423 account_locked),
// log-out ending the session, CSRF protection of mutations (403 and nothing written),
// switching to a clinic without a role (403), and unauthenticated access (401).
// Each test starts its own demo server on a fresh data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD, HMC, NRK, assertError, letters, loggedIn, samplePatient, serverFor } from '../support/ketachart.mjs';

// What an admin may do (every permission but ledger.record, which only prescribers and nurses hold, and
// measure.alert.acknowledge, which only clinicians hold).
const ALL_PERMISSIONS = ['patient.read', 'patient.write', 'user.read', 'user.admin', 'audit.read', 'monitor.read',
  'ledger.read', 'ledger.setup', 'measure.read', 'measure.write', 'course.read', 'protocol.admin', 'schedule.read',
  'schedule.write', 'schedule.setup', 'session.read', 'monitor.setup'];

test('log-in sets an HttpOnly SameSite=Strict session cookie and returns csrf_token and permissions', async (t) => {
  const server = await serverFor(t);
  const client = new Client(server.baseUrl);
  const result = await client.login('demo.admin');
  assert.equal(result.status, 200, result.text);

  const cookies = result.headers.getSetCookie();
  const session = cookies.find((c) => c.startsWith('ketachart_session='));
  assert.ok(session, `no ketachart_session cookie in ${JSON.stringify(cookies)}`);
  const attributes = session.split(';').map((a) => a.trim().toLowerCase());
  assert.ok(attributes[0].length > 'ketachart_session='.length + 20, 'the session token looks too short');
  assert.ok(attributes.includes('httponly'), session);
  assert.ok(attributes.includes('samesite=strict'), session);
  assert.ok(attributes.includes('path=/'), session);
  assert.ok(!attributes.includes('secure'), 'Secure is only set over TLS');

  const body = result.json;
  assert.match(body.csrf_token, /^[0-9a-f]{32,}$/);
  assert.ok(!session.includes(body.csrf_token), 'the CSRF token must not be the session token');
  assert.equal(body.user.username, 'demo.admin');
  assert.equal(typeof body.user.id, 'number');
  assert.equal(typeof body.user.display_name, 'string');
  assert.equal(body.active_clinic_id, NRK);
  assert.deepEqual(body.clinics.map((c) => c.code).sort(), ['HMC', 'NRK']);
  for (const clinic of body.clinics) assert.deepEqual(clinic.roles, ['admin']);
  assert.deepEqual([...body.permissions].sort(), [...ALL_PERMISSIONS].sort());

  // GET /session describes the same session and returns the same CSRF token.
  const again = await client.get('/api/v1/session');
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.csrf_token, body.csrf_token);
  assert.equal(again.json.user.username, 'demo.admin');
  assert.deepEqual(again.json.permissions, body.permissions);

  // A less privileged role gets only its permissions.
  const therapist = await loggedIn(server, 'demo.therapist');
  assert.deepEqual([...therapist.session.permissions].sort(), [
    'course.read',
    'intake.write',
    'integration.write',
    'measure.alert.acknowledge',
    'measure.read',
    'measure.write',
    'patient.read',
    'schedule.read',
    'session.read',
    'user.read',
  ]);
});

test('a wrong password or unknown user is 401 unauthenticated without a session cookie', async (t) => {
  const server = await serverFor(t);
  const client = new Client(server.baseUrl);
  const wrong = await client.login('demo.nurse', 'not-the-password');
  assertError(assert, wrong, 401, 'unauthenticated');
  assert.equal(wrong.headers.getSetCookie().length, 0);
  assert.equal(client.cookie, null);

  const unknown = await client.login('no.such.user', DEMO_PASSWORD);
  assertError(assert, unknown, 401, 'unauthenticated');
  assert.equal(unknown.json.error.message, wrong.json.error.message, 'unknown user and wrong password must look alike');

  const noSession = await client.get('/api/v1/session');
  assertError(assert, noSession, 401, 'unauthenticated');
});

test('5 wrong passwords lock the account: the right password then gets 423 account_locked', async (t) => {
  const server = await serverFor(t);
  const client = new Client(server.baseUrl);
  for (let i = 0; i < 5; i++) {
    const wrong = await client.login('demo.nurse', `wrong-password-${i}`);
    assertError(assert, wrong, 401, 'unauthenticated');
  }
  const locked = await client.login('demo.nurse', DEMO_PASSWORD);
  assertError(assert, locked, 423, 'account_locked');
  assert.equal(locked.headers.getSetCookie().length, 0, 'a locked account gets no session');
  const stillLocked = await client.login('demo.nurse', DEMO_PASSWORD);
  assertError(assert, stillLocked, 423, 'account_locked');

  // Other accounts are unaffected.
  const other = await new Client(server.baseUrl).login('demo.prescriber');
  assert.equal(other.status, 200, other.text);
});

test('4 wrong passwords then the right one log in and reset the failure count', async (t) => {
  const server = await serverFor(t);
  const client = new Client(server.baseUrl);
  for (let i = 0; i < 4; i++) assertError(assert, await client.login('demo.nurse', 'wrong-password'), 401, 'unauthenticated');
  assert.equal((await client.login('demo.nurse')).status, 200);
  for (let i = 0; i < 4; i++) assertError(assert, await client.login('demo.nurse', 'wrong-password'), 401, 'unauthenticated');
  assert.equal((await client.login('demo.nurse')).status, 200, 'the count restarts after a successful log-in');
});

test('log-out ends the session: the old cookie is 401 afterwards', async (t) => {
  const server = await serverFor(t);
  const client = await loggedIn(server, 'demo.nurse');
  const oldCookie = client.cookie;
  assert.equal((await client.get('/api/v1/patients?limit=1')).status, 200);

  const logout = await client.delete('/api/v1/session');
  assert.equal(logout.status, 204, logout.text);
  const cleared = logout.headers.getSetCookie().find((c) => c.startsWith('ketachart_session='));
  assert.ok(cleared && /max-age=0/i.test(cleared), `the cookie should be cleared, got ${cleared}`);

  // Replay the old cookie explicitly: the server must have ended the session itself.
  const replay = new Client(server.baseUrl);
  replay.cookie = oldCookie;
  replay.csrf = client.csrf;
  assertError(assert, await replay.get('/api/v1/session'), 401, 'unauthenticated');
  assertError(assert, await replay.get('/api/v1/patients'), 401, 'unauthenticated');
  assertError(assert, await replay.post('/api/v1/patients', samplePatient()), 401, 'unauthenticated');
});

test('a mutation without or with a wrong X-CSRF-Token is 403 and writes nothing', async (t) => {
  const server = await serverFor(t);
  const client = await loggedIn(server, 'demo.admin');
  const family = `Csrf${letters(8)}`;
  const patient = samplePatient({ family_name: family });
  const count = async () => {
    const result = await client.get(`/api/v1/patients?q=${family}`);
    assert.equal(result.status, 200, result.text);
    return result.json.items.length;
  };

  assertError(assert, await client.post('/api/v1/patients', patient, { csrf: false }), 403, 'forbidden');
  assertError(assert, await client.post('/api/v1/patients', patient, { csrf: 'f'.repeat(64) }), 403, 'forbidden');
  assertError(assert, await client.post('/api/v1/patients', patient, { csrf: '' }), 403, 'forbidden');
  // The token of another session does not fit this one.
  const other = await loggedIn(server, 'demo.prescriber');
  assertError(assert, await client.post('/api/v1/patients', patient, { csrf: other.csrf }), 403, 'forbidden');
  assert.equal(await count(), 0, 'a refused mutation must not write');

  // Other mutations are guarded too.
  const before = (await client.get('/api/v1/patients/1')).json;
  const edit = { ...before, version: before.version, change_reason: 'csrf test', family_name: 'Changed' };
  for (const key of ['id', 'clinic_id', 'created_at', 'updated_at', 'measurements', 'latest_weight', 'latest_height']) {
    delete edit[key];
  }
  assertError(assert, await client.put('/api/v1/patients/1', edit, { csrf: false }), 403, 'forbidden');
  assertError(
    assert,
    await client.post('/api/v1/patients/1/measurements', { kind: 'weight', weight_kg: 70, measured_on: '2024-01-02' }, { csrf: false }),
    403,
    'forbidden',
  );
  assertError(assert, await client.put('/api/v1/session/clinic', { clinic_id: HMC }, { csrf: false }), 403, 'forbidden');
  assertError(assert, await client.delete('/api/v1/session', { csrf: false }), 403, 'forbidden');
  const after = (await client.get('/api/v1/patients/1')).json;
  assert.equal(after.version, before.version);
  assert.equal(after.family_name, before.family_name);
  assert.equal(after.measurements.length, before.measurements.length);
  const session = await client.get('/api/v1/session');
  assert.equal(session.status, 200, 'DELETE without CSRF must not log out');
  assert.equal(session.json.active_clinic_id, NRK, 'PUT without CSRF must not switch clinic');

  // With the right token the same request works.
  const created = await client.post('/api/v1/patients', patient);
  assert.equal(created.status, 201, created.text);
  assert.equal(await count(), 1);
});

test('switching to a clinic where the user has no role is 403; one with a role works', async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse'); // NRK only
  assertError(assert, await nurse.switchClinic(HMC), 403, 'forbidden');
  const session = await nurse.get('/api/v1/session');
  assert.equal(session.json.active_clinic_id, NRK, 'a refused switch keeps the active clinic');
  assertError(assert, await nurse.switchClinic(999), 403, 'forbidden');
  assertError(assert, await nurse.put('/api/v1/session/clinic', { clinic_id: 'two' }), 400, 'invalid_input', 'clinic_id');

  const admin = await loggedIn(server, 'demo.admin');
  const switched = await admin.switchClinic(HMC);
  assert.equal(switched.status, 200, switched.text);
  assert.equal(switched.json.active_clinic_id, HMC);
  assert.equal((await admin.get('/api/v1/session')).json.active_clinic_id, HMC);
  const list = await admin.get('/api/v1/patients?limit=200');
  assert.equal(list.status, 200);
  assert.ok(list.json.items.length > 0);
  assert.ok(list.json.items.every((p) => p.mrn.startsWith('HMC-')), 'only HMC patients in HMC');
});

test('unauthenticated requests to the API are 401 unauthenticated', async (t) => {
  const server = await serverFor(t);
  const anonymous = new Client(server.baseUrl);
  assertError(assert, await anonymous.get('/api/v1/patients'), 401, 'unauthenticated');
  assertError(assert, await anonymous.get('/api/v1/patients/1'), 401, 'unauthenticated');
  assertError(assert, await anonymous.get('/api/v1/users'), 401, 'unauthenticated');
  assertError(assert, await anonymous.get('/api/v1/audit'), 401, 'unauthenticated');
  assertError(assert, await anonymous.post('/api/v1/patients', samplePatient()), 401, 'unauthenticated');
  // A forged cookie is no better.
  anonymous.cookie = 'ketachart_session=' + 'A'.repeat(43);
  assertError(assert, await anonymous.get('/api/v1/patients'), 401, 'unauthenticated');
});
