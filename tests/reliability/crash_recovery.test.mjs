// Crash recovery, for SQLite and for PostgreSQL: two concurrent writers (separate sessions)
// register patients in sequential request loops, recording every 201-acknowledged id with its
// name and birth date; after ~1.5 s the server gets SIGKILL mid-loop. Then `ketachart audit
// verify` must pass on the crashed data, the server restarts on the same data, and every
// acknowledged patient must exist intact (GET returns the same names and birth date; the list
// holds each exactly once). Three kill/restart cycles per dialect: about 10-12 s each here
// (1.5 s of writing per cycle, bounded loops; a hard 45 s timeout per dialect).
// PostgreSQL uses a fresh database on $KETACHART_TEST_PG_URL (fails without it unless
// KETACHART_SKIP_PG=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { rm } from 'node:fs/promises';
import {
  allPages,
  createPgDatabase,
  letters,
  loggedIn,
  pgClusterUrl,
  runCli,
  sleep,
  startServer,
  tempDir,
} from '../support/ketachart.mjs';

const CYCLES = 3;
const WRITE_MS = 1500;

function randomBirthDate() {
  const start = Date.UTC(1920, 0, 1);
  const end = Date.UTC(2005, 11, 31);
  return new Date(start + randomInt(0, Math.floor((end - start) / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
}

/** Runs `items` through `fn` with at most `width` in flight. */
async function inParallel(items, width, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function verifyAudit(target) {
  const result = await runCli(['audit', 'verify', ...target], { timeout: 45_000 });
  assert.equal(result.code, 0, `audit verify after the crash: ${result.stderr}${result.stdout}`);
  assert.match(result.stdout, /intact/i);
}

/**
 * The kill/restart cycles. `serverOptions`: how to start the server on the same data;
 * `target`: the CLI arguments naming the same database; `cleanup`: run after the server stopped.
 */
async function crashCycles(t, serverOptions, target, cleanup) {
  const started = Date.now();
  const acknowledged = new Map(); // id -> { family_name, given_names, birth_date, cycle }
  let server = null;
  t.after(async () => {
    if (server) await server.stop({ removeData: false });
    await cleanup();
  });
  server = await startServer({ ...serverOptions, keepData: true });

  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    const writers = [await loggedIn(server, 'demo.admin'), await loggedIn(server, 'demo.nurse')];
    let killing = false;
    const problems = [];
    const thisCycle = [];
    const loop = async (client, tag) => {
      for (let i = 0; i < 100_000 && !killing; i++) {
        const doc = {
          family_name: `Crash${letters(8)}`,
          given_names: `C${cycle}${tag} ${letters(5)}`,
          birth_date: randomBirthDate(),
          sex: ['female', 'male', 'intersex', 'unknown'][i % 4],
        };
        let result;
        try {
          result = await client.post('/api/v1/patients', doc, { timeout: 10_000 });
        } catch (error) {
          if (!killing) problems.push(`writer ${tag}: request failed before the kill: ${error.cause?.code ?? error.message}`);
          return;
        }
        if (result.status !== 201) {
          problems.push(`writer ${tag}: ${result.status} ${result.text}`);
          continue;
        }
        // Acknowledged: it must survive everything that follows.
        assert.equal(result.json.family_name, doc.family_name);
        acknowledged.set(result.json.id, { ...doc, cycle });
        thisCycle.push(result.json.id);
      }
    };
    const loops = [loop(writers[0], 'a'), loop(writers[1], 'b')];
    await sleep(WRITE_MS);
    killing = true;
    await server.kill();
    assert.equal(server.exited.signal, 'SIGKILL');
    await Promise.all(loops);
    assert.deepEqual(problems, [], 'writers saw errors while the server was healthy');
    assert.ok(thisCycle.length >= 4, `cycle ${cycle}: only ${thisCycle.length} patients acknowledged in ${WRITE_MS} ms`);

    // The crashed data verifies as it is, before any restart.
    await verifyAudit(target);

    server = null;
    server = await startServer({ ...serverOptions, keepData: true });
    const reader = await loggedIn(server, 'demo.admin');
    // Every patient acknowledged in this cycle, read one by one.
    await inParallel(thisCycle, 4, async (id) => {
      const chart = await reader.get(`/api/v1/patients/${id}`);
      assert.equal(chart.status, 200, `cycle ${cycle}: acknowledged patient ${id} is missing after the crash: ${chart.text}`);
      const expected = acknowledged.get(id);
      assert.equal(chart.json.family_name, expected.family_name, `patient ${id}`);
      assert.equal(chart.json.given_names, expected.given_names, `patient ${id}`);
      assert.equal(chart.json.birth_date, expected.birth_date, `patient ${id}`);
      assert.equal(chart.json.version, 1, `patient ${id}`);
    });
    // Everything acknowledged so far (all cycles) is in the list exactly once, unchanged.
    const listed = await allPages(reader, '/api/v1/patients');
    const byId = new Map();
    for (const p of listed) {
      assert.ok(!byId.has(p.id), `patient ${p.id} listed twice`);
      byId.set(p.id, p);
    }
    for (const [id, expected] of acknowledged) {
      const p = byId.get(id);
      assert.ok(p, `patient ${id} (acknowledged in cycle ${expected.cycle}) is missing after crash ${cycle}`);
      assert.equal(p.family_name, expected.family_name);
      assert.equal(p.given_names, expected.given_names);
      assert.equal(p.birth_date, expected.birth_date);
    }
    // MRNs stay unique after crashes.
    const mrns = listed.map((p) => p.mrn);
    assert.equal(new Set(mrns).size, mrns.length, 'duplicate MRNs after a crash');
    // The restarted server keeps working.
    const after = await reader.post('/api/v1/patients', { family_name: 'Aftercrash', given_names: `C${cycle}`, birth_date: '1970-01-01', sex: 'unknown' });
    assert.equal(after.status, 201, after.text);
  }

  await server.stop({ removeData: false });
  server = null;
  await verifyAudit(target);
  t.diagnostic(`${acknowledged.size} acknowledged patients survived ${CYCLES} SIGKILLs in ${Date.now() - started} ms`);
}

test('SQLite: acknowledged patients survive SIGKILL of the server, three times', { timeout: 45_000 }, async (t) => {
  const dataDir = await tempDir('ketachart-crash-');
  await crashCycles(t, { dataDir }, ['--data-dir', dataDir], () => rm(dataDir, { recursive: true, force: true }));
});

test('PostgreSQL: acknowledged patients survive SIGKILL of the server, three times', { timeout: 45_000 }, async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_crash');
  const dataDir = await tempDir('ketachart-crash-'); // unused by PostgreSQL, but serve wants one
  await crashCycles(t, { database: database.url, dataDir }, ['--database', database.url], async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });
});
