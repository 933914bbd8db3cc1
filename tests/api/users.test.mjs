// HTTP API: staff accounts (admin only). Creating a user with roles, listing, changing roles
// (taking effect on live sessions), disabling (the user's session stops working and log-in
// fails), resetting a password (old one stops working, a lock-out is cleared), 403 for
// non-admins, 400 field password for a weak password, and 409 when a change would leave a
// clinic without an active administrator (by role change, or by disabling the last admin of
// another clinic).
// Each test starts its own demo server on a fresh data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, HMC, NRK, assertError, loggedIn, runCli, samplePatient, serverFor, unique } from '../support/ketachart.mjs';

const PASSWORD = 'a-long-enough-password-1';

async function listUsers(admin) {
  const list = await admin.get('/api/v1/users');
  assert.equal(list.status, 200, list.text);
  return list.json.items;
}

async function createUser(admin, roles, username = `staff.${unique()}`, password = PASSWORD) {
  const created = await admin.post('/api/v1/users', { username, display_name: `Staff ${username}`, password, roles });
  assert.equal(created.status, 201, created.text);
  return created.json;
}

test('an admin creates a user with roles, lists users and changes roles', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const username = `new.nurse.${unique()}`;
  const created = await admin.post('/api/v1/users', {
    username,
    display_name: 'New Nurse',
    password: PASSWORD,
    roles: ['nurse', 'therapist'],
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(typeof created.json.id, 'number');
  assert.equal(created.json.username, username);
  assert.equal(created.json.display_name, 'New Nurse');
  assert.equal(created.json.disabled, false);
  assert.deepEqual([...created.json.roles].sort(), ['nurse', 'therapist']);
  assert.ok(!('password' in created.json) && !('password_hash' in created.json), 'no password in the answer');

  const users = await listUsers(admin);
  const listed = users.find((u) => u.username === username);
  assert.ok(listed, 'the new user is listed');
  assert.deepEqual([...listed.roles].sort(), ['nurse', 'therapist']);
  const demoAdmin = users.find((u) => u.username === 'demo.admin');
  assert.deepEqual(demoAdmin.roles, ['admin']);
  assert.ok(!JSON.stringify(users).includes('argon2'), 'no password hashes in the list');

  const user = await loggedIn(server, username, PASSWORD);
  assert.equal(user.session.active_clinic_id, NRK);
  assert.ok(user.session.permissions.includes('patient.write'));
  assert.equal((await user.post('/api/v1/patients', samplePatient())).status, 201);

  // Roles are replaced, and the change applies to the live session at once.
  const changed = await admin.put(`/api/v1/users/${created.json.id}/roles`, { roles: ['therapist'] });
  assert.equal(changed.status, 200, changed.text);
  assert.deepEqual(changed.json.roles, ['therapist']);
  assert.deepEqual((await listUsers(admin)).find((u) => u.username === username).roles, ['therapist']);
  assertError(assert, await user.post('/api/v1/patients', samplePatient()), 403, 'forbidden');
  const session = await user.get('/api/v1/session');
  assert.deepEqual([...session.json.permissions].sort(), [
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

  assertError(assert, await admin.put(`/api/v1/users/${created.json.id}/roles`, { roles: ['wizard'] }), 400, 'invalid_input', 'roles');
  assertError(assert, await admin.put(`/api/v1/users/${created.json.id}/roles`, {}), 400, 'invalid_input', 'roles');
  assertError(assert, await admin.put('/api/v1/users/99999/roles', { roles: ['nurse'] }), 404, 'not_found');
  assertError(
    assert,
    await admin.post('/api/v1/users', { username, display_name: 'Again', password: PASSWORD, roles: ['nurse'] }),
    409,
    'conflict',
    'username',
  );
  assertError(
    assert,
    await admin.post('/api/v1/users', { username: 'Bad Name!', display_name: 'x', password: PASSWORD, roles: [] }),
    400,
    'invalid_input',
    'username',
  );
});

test('disabling a user ends their session and stops log-in', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const created = await createUser(admin, ['nurse']);
  const user = await loggedIn(server, created.username, PASSWORD);
  assert.equal((await user.get('/api/v1/patients?limit=1')).status, 200);

  const disabled = await admin.post(`/api/v1/users/${created.id}/disable`);
  assert.equal(disabled.status, 204, disabled.text);
  assertError(assert, await user.get('/api/v1/patients?limit=1'), 401, 'unauthenticated');
  assertError(assert, await user.get('/api/v1/session'), 401, 'unauthenticated');
  assertError(assert, await new Client(server.baseUrl).login(created.username, PASSWORD), 401, 'unauthenticated');
  assert.equal((await listUsers(admin)).find((u) => u.id === created.id).disabled, true);

  // Disabling a demo account works the same way.
  const nurse = await loggedIn(server, 'demo.nurse');
  const nurseId = nurse.session.user.id;
  assert.equal((await admin.post(`/api/v1/users/${nurseId}/disable`)).status, 204);
  assertError(assert, await nurse.get('/api/v1/patients/1'), 401, 'unauthenticated');
  // An admin cannot disable themselves.
  assertError(assert, await admin.post(`/api/v1/users/${admin.session.user.id}/disable`), 409, 'conflict');
  assert.equal((await admin.get('/api/v1/session')).status, 200);
});

test('resetting a password: the new one works, the old one not, sessions end, a lock-out is cleared', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const created = await createUser(admin, ['prescriber']);
  const user = await loggedIn(server, created.username, PASSWORD);
  const newPassword = 'another-long-password-2';
  const reset = await admin.post(`/api/v1/users/${created.id}/password`, { password: newPassword });
  assert.equal(reset.status, 204, reset.text);
  assertError(assert, await user.get('/api/v1/session'), 401, 'unauthenticated');
  assertError(assert, await new Client(server.baseUrl).login(created.username, PASSWORD), 401, 'unauthenticated');
  assert.equal((await new Client(server.baseUrl).login(created.username, newPassword)).status, 200);

  // A locked account is unlocked by a reset.
  const client = new Client(server.baseUrl);
  for (let i = 0; i < 5; i++) await client.login('demo.frontdesk', 'wrong-password');
  assertError(assert, await client.login('demo.frontdesk'), 423, 'account_locked');
  const frontdesk = (await listUsers(admin)).find((u) => u.username === 'demo.frontdesk');
  assert.equal(frontdesk.locked, true);
  assert.equal((await admin.post(`/api/v1/users/${frontdesk.id}/password`, { password: newPassword })).status, 204);
  assert.equal((await client.login('demo.frontdesk', newPassword)).status, 200);
});

test('non-admins get 403 for every account change', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const target = await createUser(admin, ['nurse']);
  const body = { username: `x.${unique()}`, display_name: 'X', password: PASSWORD, roles: ['admin'] };
  for (const username of ['demo.prescriber', 'demo.nurse', 'demo.therapist', 'demo.frontdesk', 'demo.auditor']) {
    const client = await loggedIn(server, username);
    assertError(assert, await client.post('/api/v1/users', body), 403, 'forbidden');
    assertError(assert, await client.put(`/api/v1/users/${target.id}/roles`, { roles: ['admin'] }), 403, 'forbidden');
    assertError(assert, await client.post(`/api/v1/users/${target.id}/disable`), 403, 'forbidden');
    assertError(assert, await client.post(`/api/v1/users/${target.id}/password`, { password: 'hijacked-password-123' }), 403, 'forbidden');
  }
  // Listing needs user.read: front desk has none.
  assertError(assert, await (await loggedIn(server, 'demo.frontdesk')).get('/api/v1/users'), 403, 'forbidden');
  assert.equal((await (await loggedIn(server, 'demo.prescriber')).get('/api/v1/users')).status, 200);

  const users = await listUsers(admin);
  assert.ok(!users.some((u) => u.username === body.username), 'no account was created');
  const after = users.find((u) => u.id === target.id);
  assert.deepEqual(after.roles, ['nurse']);
  assert.equal(after.disabled, false);
  assert.equal((await new Client(server.baseUrl).login(target.username, PASSWORD)).status, 200);
});

test('a weak password is 400 field password (create and reset) and changes nothing', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const username = `weak.${unique()}`;
  for (const password of ['short', '12345678901']) {
    assertError(
      assert,
      await admin.post('/api/v1/users', { username, display_name: 'Weak', password, roles: ['nurse'] }),
      400,
      'invalid_input',
      'password',
    );
  }
  assert.ok(!(await listUsers(admin)).some((u) => u.username === username));
  const target = await createUser(admin, ['nurse']);
  assertError(assert, await admin.post(`/api/v1/users/${target.id}/password`, { password: 'short' }), 400, 'invalid_input', 'password');
  assert.equal((await new Client(server.baseUrl).login(target.username, PASSWORD)).status, 200, 'the old password still works');
});

test('removing the last admin of the clinic is 409 and changes nothing', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const adminId = admin.session.user.id;
  const onlyAdmins = (await listUsers(admin)).filter((u) => u.roles.includes('admin') && !u.disabled);
  assert.deepEqual(
    onlyAdmins.map((u) => u.username),
    ['demo.admin'],
  );
  assertError(assert, await admin.put(`/api/v1/users/${adminId}/roles`, { roles: ['prescriber'] }), 409, 'conflict', 'roles');
  assertError(assert, await admin.put(`/api/v1/users/${adminId}/roles`, { roles: [] }), 409, 'conflict', 'roles');
  const session = await admin.get('/api/v1/session');
  assert.ok(session.json.permissions.includes('user.admin'), 'still an admin');
  assert.deepEqual((await listUsers(admin)).find((u) => u.id === adminId).roles, ['admin']);

  // With a second admin, the first may step down.
  const second = await createUser(admin, ['admin']);
  const stepDown = await admin.put(`/api/v1/users/${adminId}/roles`, { roles: ['prescriber'] });
  assert.equal(stepDown.status, 200, stepDown.text);
  const secondAdmin = await loggedIn(server, second.username, PASSWORD);
  assertError(assert, await secondAdmin.put(`/api/v1/users/${second.id}/roles`, { roles: ['nurse'] }), 409, 'conflict', 'roles');
});

test('an account that is the only admin of another clinic: its admin-of-one-clinic colleague cannot disable it (403), nor can the local operator (would orphan the clinic)', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  // demo.prescriber holds roles in both clinics; make them the only admin of HMC.
  const prescriber = await loggedIn(server, 'demo.prescriber');
  const prescriberId = prescriber.session.user.id;
  assert.equal((await admin.switchClinic(HMC)).status, 200);
  const grant = await admin.put(`/api/v1/users/${prescriberId}/roles`, { roles: ['prescriber', 'admin'] });
  assert.equal(grant.status, 200, grant.text);
  const stepDown = await admin.put(`/api/v1/users/${admin.session.user.id}/roles`, { roles: ['prescriber'] });
  assert.equal(stepDown.status, 200, stepDown.text);
  assert.equal((await admin.switchClinic(NRK)).status, 200);

  // Back in NRK, demo.admin no longer administers HMC, where demo.prescriber works: refused.
  const disable = await admin.post(`/api/v1/users/${prescriberId}/disable`);
  assertError(assert, disable, 403, 'forbidden');
  const reset = await admin.post(`/api/v1/users/${prescriberId}/password`, { password: 'a takeover passphrase' });
  assertError(assert, reset, 403, 'forbidden');
  assert.equal((await prescriber.get('/api/v1/session')).status, 200, 'the HMC admin keeps their session');

  // The local operator may act on any account, but not leave HMC without an administrator.
  const cli = await runCli(['user', 'disable', 'demo.prescriber', '--data-dir', server.dataDir]);
  assert.notEqual(cli.code, 0, cli.stdout);
  assert.match(cli.stderr, /without an administrator/);
  assert.equal((await prescriber.get('/api/v1/session')).status, 200, 'still active after the refused CLI disable');
});
