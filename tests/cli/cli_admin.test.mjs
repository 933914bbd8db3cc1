// CLI administration: `init` (first clinic and admin; a too-short password fails with one line
// naming the password and leaves no half-made clinic), `user add|list|disable|reset-password`
// (checked over HTTP: the disabled user cannot log in, the reset password works), `migrate`
// (prints the applied count), `backup` of SQLite while a server is running and writing (a valid
// SQLite file that verifies, serves and holds every patient acknowledged before the backup),
// `backup` of PostgreSQL (a non-empty pg_dump), and `audit verify` (passes on a fresh demo
// database; after tampering with one event, exits non-zero naming the event id).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Client,
  allPages,
  createPgDatabase,
  loggedIn,
  pgClusterUrl,
  pythonSqlite,
  runCli,
  samplePatient,
  sleep,
  startServer,
  tempDir,
  writeTempFile,
} from '../support/ketachart.mjs';

const lines = (text) => text.split('\n').filter((l) => l.trim() !== '');

async function scratch(t) {
  const dir = await tempDir('ketachart-cli-');
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function ok(args, opts) {
  const result = await runCli(args, opts);
  assert.equal(result.code, 0, `ketachart ${args.join(' ')}: exit ${result.code}\n${result.stdout}${result.stderr}`);
  return result;
}

test('init, user add, user list, user disable, user reset-password; then log-in over HTTP', async (t) => {
  const dir = await scratch(t);
  const data = join(dir, 'data');
  const bossPassword = 'boss-password-one';
  const nursePassword = 'nurse-password-two';
  const newBossPassword = 'boss-password-three';
  const f1 = await writeTempFile(dir, 'p1', bossPassword);
  const f2 = await writeTempFile(dir, 'p2', nursePassword);
  const f3 = await writeTempFile(dir, 'p3', newBossPassword);

  const init = await ok(['init', '--data-dir', data, '--admin-user', 'boss', '--password-file', f1, '--clinic-code', 'TST', '--clinic-name', 'Test Clinic']);
  assert.match(init.stdout, /boss/);
  assert.equal(((await stat(data)).mode & 0o777).toString(8), '700', 'the data directory is private');
  await ok(['user', 'add', 'nurse1', '--role', 'nurse', '--password-file', f2, '--data-dir', data]);
  await ok(['user', 'add', 'multi1', '--role', 'nurse', '--role', 'therapist', '--display-name', 'Multi Role', '--password-file', f2, '--data-dir', data]);

  const list = await ok(['user', 'list', '--data-dir', data]);
  const rows = Object.fromEntries(lines(list.stdout).map((line) => [line.split('\t')[0], line]));
  assert.deepEqual(Object.keys(rows).sort(), ['boss', 'multi1', 'nurse1']);
  assert.match(rows.boss, /\badmin\b/);
  assert.match(rows.boss, /\bactive\b/);
  assert.match(rows.nurse1, /\bnurse\b/);
  assert.doesNotMatch(rows.nurse1, /\badmin\b/);
  assert.match(rows.multi1, /nurse/);
  assert.match(rows.multi1, /therapist/);
  assert.match(rows.multi1, /Multi Role/);

  // Refusals: a taken username, an unknown role, a weak password, a second init.
  const taken = await runCli(['user', 'add', 'nurse1', '--role', 'nurse', '--password-file', f2, '--data-dir', data]);
  assert.notEqual(taken.code, 0);
  assert.match(taken.stderr, /username|taken/i);
  const badRole = await runCli(['user', 'add', 'wizard1', '--role', 'wizard', '--password-file', f2, '--data-dir', data]);
  assert.notEqual(badRole.code, 0);
  assert.match(badRole.stderr, /role/i);
  const weak = await runCli(['user', 'add', 'weak1', '--role', 'nurse', '--password-file', await writeTempFile(dir, 'weak', 'short'), '--data-dir', data]);
  assert.notEqual(weak.code, 0);
  assert.match(weak.stderr, /password/);
  assert.equal(lines((await ok(['user', 'list', '--data-dir', data])).stdout).length, 3, 'no account was added by the refusals');

  await ok(['user', 'disable', 'nurse1', '--data-dir', data]);
  assert.match((await ok(['user', 'list', '--data-dir', data])).stdout, /^nurse1\t.*\bdisabled\b/m);
  const missing = await runCli(['user', 'disable', 'nobody', '--data-dir', data]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /nobody/);

  await ok(['user', 'reset-password', 'boss', '--password-file', f3, '--data-dir', data]);

  const server = await startServer({ dataDir: data, demo: false });
  t.after(() => server.stop());
  assert.equal((await new Client(server.baseUrl).login('boss', bossPassword)).status, 401, 'the old password is gone');
  const boss = await loggedIn(server, 'boss', newBossPassword);
  assert.deepEqual(boss.session.clinics.map((c) => c.code), ['TST']);
  assert.ok(boss.session.permissions.includes('user.admin'));
  assert.equal((await new Client(server.baseUrl).login('nurse1', nursePassword)).status, 401, 'nurse1 is disabled');
  const multi = await loggedIn(server, 'multi1', nursePassword);
  assert.ok(multi.session.permissions.includes('patient.write'));
  const created = await boss.post('/api/v1/patients', samplePatient());
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.mrn, 'TST-000001');

  // The CLI's actions are in the audit trail and the chain verifies.
  const trail = await allPages(boss, '/api/v1/audit');
  const actions = trail.map((e) => e.action);
  for (const action of ['user.create', 'user.disable', 'user.reset_password']) assert.ok(actions.includes(action), action);
  await server.stop({ removeData: false });
  await ok(['audit', 'verify', '--data-dir', data]);
});

test('init with a too-short password exits non-zero with one stderr line naming the password', async (t) => {
  const dir = await scratch(t);
  const data = join(dir, 'data');
  const short = await writeTempFile(dir, 'short', 'tooshort');
  const result = await runCli(['init', '--data-dir', data, '--admin-user', 'boss', '--password-file', short]);
  assert.notEqual(result.code, 0);
  assert.equal(result.stdout.trim(), '');
  const errors = lines(result.stderr);
  assert.equal(errors.length, 1, `exactly one line on stderr, got:\n${result.stderr}`);
  assert.match(errors[0], /password/);
  assert.ok(!errors[0].includes('tooshort'), 'the password itself is not echoed');

  // Nothing half-made: a correct init afterwards works and makes exactly one admin.
  await ok(['init', '--data-dir', data, '--admin-user', 'boss', '--password-file', await writeTempFile(dir, 'long', 'a-long-enough-password')]);
  const list = await ok(['user', 'list', '--data-dir', data]);
  assert.equal(lines(list.stdout).length, 1);
  // A second init is refused (the username is taken).
  const again = await runCli(['init', '--data-dir', data, '--admin-user', 'boss', '--password-file', `${dir}/long`]);
  assert.notEqual(again.code, 0);
  // No password file and no terminal: a clear refusal rather than a hang.
  const noFile = await runCli(['init', '--data-dir', join(dir, 'other'), '--admin-user', 'boss'], { timeout: 10_000 });
  assert.notEqual(noFile.code, 0);
  assert.equal(noFile.signal, null);
  assert.match(noFile.stderr, /password-file/);
});

test('migrate prints the number of migrations applied (then 0 when up to date)', async (t) => {
  const dir = await scratch(t);
  const data = join(dir, 'data');
  const first = await ok(['migrate', '--data-dir', data]);
  const applied = first.stdout.match(/Applied (\d+) migration/);
  assert.ok(applied, first.stdout);
  assert.ok(Number(applied[1]) >= 1, first.stdout);
  assert.match(first.stdout, /schema version \d+/);
  const second = await ok(['migrate', '--data-dir', data]);
  assert.match(second.stdout, /Applied 0 migration/);
  const health = await startServer({ dataDir: data, demo: false });
  t.after(() => health.stop());
  const body = await (await fetch(`${health.baseUrl}/healthz`)).json();
  assert.equal(String(body.schema_version), first.stdout.match(/schema version (\d+)/)[1]);
});

test('backup of SQLite while the server is running and writing is a valid, consistent database', async (t) => {
  const dir = await scratch(t);
  const server = await startServer({ dataDir: join(dir, 'live'), keepData: true });
  t.after(() => server.stop());
  const writer = await loggedIn(server, 'demo.nurse');

  // Keep writing during the backup; remember what was acknowledged before it started.
  const acknowledged = [];
  let writing = true;
  const loop = (async () => {
    for (let i = 0; writing && i < 5000; i++) {
      const result = await writer.post('/api/v1/patients', samplePatient({ family_name: `Backup${i}` }));
      if (result.status !== 201) throw new Error(`write ${i}: ${result.status} ${result.text}`);
      acknowledged.push(result.json.id);
    }
  })();
  try {
    await sleep(300);
    const before = [...acknowledged];
    const copyDir = join(dir, 'copy');
    await mkdir(copyDir, { mode: 0o700 });
    const backup = await ok(['backup', '--data-dir', server.dataDir, join(copyDir, 'ketachart.db')]);
    assert.match(backup.stdout, /ketachart\.db/);
    writing = false;
    await loop;
    assert.ok(before.length > 0, 'the writer made progress before the backup');

    const handle = await open(join(copyDir, 'ketachart.db'));
    const header = Buffer.alloc(16);
    await handle.read(header, 0, 16, 0);
    await handle.close();
    assert.equal(header.toString('latin1'), 'SQLite format 3\0');
    const integrity = await pythonSqlite('print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])', [
      join(copyDir, 'ketachart.db'),
    ]);
    assert.equal(integrity.trim(), 'ok');
    const verify = await ok(['audit', 'verify', '--data-dir', copyDir]);
    assert.match(verify.stdout, /intact/i);

    const restored = await startServer({ dataDir: copyDir, demo: false });
    t.after(() => restored.stop());
    const admin = await loggedIn(restored, 'demo.admin');
    const ids = new Set((await allPages(admin, '/api/v1/patients')).map((p) => p.id));
    assert.ok(ids.size >= 60 + before.length);
    const lost = before.filter((id) => !ids.has(id));
    assert.deepEqual(lost, [], 'patients acknowledged before the backup began are in it');
  } finally {
    writing = false;
    await loop.catch(() => {});
  }
});

test('backup of PostgreSQL writes a non-empty pg_dump file', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const dir = await scratch(t);
  const database = await createPgDatabase(cluster, 'kc_backup');
  t.after(() => database.drop());
  await ok(['init', '--database', database.url, '--admin-user', 'boss', '--password-file', await writeTempFile(dir, 'p', 'a-long-enough-password')]);
  const file = join(dir, 'pg.dump');
  const backup = await ok(['backup', '--database', database.url, file]);
  assert.match(backup.stdout, /pg\.dump/);
  const size = (await stat(file)).size;
  assert.ok(size > 1000, `backup is only ${size} bytes`);
  const handle = await open(file);
  const magic = Buffer.alloc(5);
  await handle.read(magic, 0, 5, 0);
  await handle.close();
  assert.equal(magic.toString('latin1'), 'PGDMP', 'pg_dump custom format');
  await ok(['audit', 'verify', '--database', database.url]);
});

test('audit verify passes on a fresh demo database and names the event after tampering', async (t) => {
  const server = await startServer({ keepData: true });
  t.after(() => server.stop({ removeData: true }));
  const nurse = await loggedIn(server, 'demo.nurse');
  for (let id = 1; id <= 5; id++) assert.equal((await nurse.get(`/api/v1/patients/${id}`)).status, 200);
  await server.stop({ removeData: false });

  const clean = await ok(['audit', 'verify', '--data-dir', server.dataDir]);
  const count = Number(clean.stdout.match(/(\d+) events/)?.[1]);
  assert.ok(count > 10, clean.stdout);

  const db = join(server.dataDir, 'ketachart.db');
  // The append-only trigger refuses a plain UPDATE.
  const refused = await pythonSqlite(
    `db = sqlite3.connect(sys.argv[1])
try:
    db.execute("UPDATE audit_events SET detail = 'x' WHERE id = 3"); db.commit(); print("updated")
except sqlite3.DatabaseError as e:
    print("refused")`,
    [db],
  );
  assert.equal(refused.trim(), 'refused');

  // Someone with file access drops the trigger and edits one event.
  const tamperedId = Math.floor(count / 2);
  await pythonSqlite(
    `db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER audit_events_no_update")
db.execute("UPDATE audit_events SET detail = 'nothing to see' WHERE id = ?", (int(sys.argv[2]),))
db.commit()`,
    [db, String(tamperedId)],
  );
  const tampered = await runCli(['audit', 'verify', '--data-dir', server.dataDir]);
  assert.notEqual(tampered.code, 0, tampered.stdout);
  assert.match(tampered.stderr, new RegExp(`\\bevent ${tamperedId}\\b`), tampered.stderr);
  assert.equal(lines(tampered.stderr).length, 1, tampered.stderr);
});

test('audit verify detects a deleted event in the middle and one removed from the end', async (t) => {
  const [middle, end] = await Promise.all([startServer({ keepData: true }), startServer({ keepData: true })]);
  t.after(() => middle.stop({ removeData: true }));
  t.after(() => end.stop({ removeData: true }));
  await Promise.all([middle.stop({ removeData: false }), end.stop({ removeData: false })]);
  const count = Number((await ok(['audit', 'verify', '--data-dir', end.dataDir])).stdout.match(/(\d+) events/)?.[1]);
  assert.ok(count > 2);

  const deleteEvent = (server, id) =>
    pythonSqlite(
      `db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER audit_events_no_delete")
db.execute("DELETE FROM audit_events WHERE id = ?", (int(sys.argv[2]),))
db.commit()`,
      [join(server.dataDir, 'ketachart.db'), String(id)],
    );
  await deleteEvent(middle, 2);
  const gap = await runCli(['audit', 'verify', '--data-dir', middle.dataDir]);
  assert.notEqual(gap.code, 0, gap.stdout);
  assert.match(gap.stderr, /\bevent 2\b/, gap.stderr);

  await deleteEvent(end, count);
  const truncated = await runCli(['audit', 'verify', '--data-dir', end.dataDir]);
  assert.notEqual(truncated.code, 0, truncated.stdout);
  assert.match(truncated.stderr, new RegExp(`\\bevent ${count}\\b`), truncated.stderr);
});
