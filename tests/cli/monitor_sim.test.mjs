// `ketachart monitor-sim` against a real `ketachart serve --mllp-port` (black box): with --count
// every simulated monitor's vitals arrive in GET /api/v1/monitor/unassigned (the count per
// message, the MDC codes, UCUM units, the device ids --print-devices lists, probe-off sent both
// as OBX-11 X and as 8388607, observation times 5 simulated seconds apart); a --reconnect-every
// run resends the dropped messages and the server still stores every message exactly once (one
// audit event per MSH-10, no duplicate observation; on SQLite and on PostgreSQL); --print-devices
// is stable for a seed; bad options, a host that is not loopback and a port nobody listens on
// fail with one line. Every connection goes to 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allPages, createPgDatabase, freePort, loggedIn, pgClusterUrl, runCli, serverFor } from '../support/ketachart.mjs';

const lines = (text) => text.split('\n').filter((l) => l.trim() !== '');

// Per report: SpO2, oximeter pulse, ECG heart rate, respiratory rate, body temperature; plus
// systolic/diastolic/mean cuff pressure in the first report of each 5-minute cuff cycle.
const CONTINUOUS = ['150456', '149530', '147842', '151562', '150364'];
const CUFF = ['150021', '150022', '150023'];
const LOINC = {
  150456: '59408-5', 149530: '8889-8', 147842: '8867-4', 151562: '9279-1', 150364: '8310-5',
  150021: '8480-6', 150022: '8462-4', 150023: '8478-0',
};
const UNIT = {
  150456: '%', 149530: '/min', 147842: '/min', 151562: '/min', 150364: 'Cel',
  150021: 'mm[Hg]', 150022: 'mm[Hg]', 150023: 'mm[Hg]',
};

async function monitorServer(t, options = {}) {
  const mllpPort = await freePort();
  const server = await serverFor(t, { ...options, args: ['--mllp-port', String(mllpPort), '--mllp-clinic', 'NRK'] });
  return { server, mllpPort };
}

function summaryOf(stdout) {
  const match = stdout.match(/messages: (\d+) sent, (\d+) acknowledged, (\d+) resent, (\d+) rejected/);
  assert.ok(match, `a summary line in ${stdout}`);
  const [sent, acknowledged, resent, rejected] = match.slice(1).map(Number);
  return { sent, acknowledged, resent, rejected };
}

const devicesIn = (stdout) => [...stdout.matchAll(/device ([0-9A-F]{16})/g)].map((m) => m[1]);

async function simulate(args) {
  const result = await runCli(['monitor-sim', ...args], { timeout: 60_000 });
  assert.equal(result.code, 0, `monitor-sim ${args.join(' ')}: exit ${result.code}\n${result.stdout}${result.stderr}`);
  return result;
}

test('--help explains the command; --print-devices is stable for a seed and sends nothing', async () => {
  const help = await runCli(['monitor-sim', '--help']);
  assert.equal(help.code, 0, help.stderr);
  for (const option of ['--port', '--host', '--monitors', '--interval-seconds', '--speed', '--duration-minutes',
    '--seed', '--scenario', '--peak-rise-mmhg', '--count', '--reconnect-every', '--print-devices', '--allow-remote']) {
    assert.match(help.stdout, new RegExp(`${option}\\b`), `--help lists ${option}`);
  }
  assert.match(help.stdout, /hypertensive/);
  const top = await runCli(['--help']);
  assert.match(top.stdout, /\bmonitor-sim\b/);

  const first = await simulate(['--print-devices', '--monitors', '3', '--seed', '7', '--scenario', 'typical,hypertensive']);
  const again = await simulate(['--print-devices', '--monitors', '3', '--seed', '7', '--scenario', 'typical,hypertensive']);
  assert.equal(first.stdout, again.stdout, 'the same seed gives the same devices and patients');
  const devices = devicesIn(first.stdout);
  assert.equal(devices.length, 3);
  assert.equal(new Set(devices).size, 3);
  assert.deepEqual(lines(first.stdout).map((l) => l.split(/\s+/)[4]), ['typical', 'hypertensive', 'hypertensive']);
  const other = await simulate(['--print-devices', '--monitors', '3', '--seed', '8']);
  assert.notDeepEqual(devicesIn(other.stdout), devices, 'another seed, other devices');
});

test('--count: every monitor\'s vitals arrive once with MDC codes, UCUM units, device ids and probe-off states', async (t) => {
  const { server, mllpPort } = await monitorServer(t);
  const monitors = 3;
  const count = 25; // 25 reports, 5 s apart: 2 simulated minutes, one cuff cycle
  const result = await simulate(['--port', String(mllpPort), '--monitors', String(monitors), '--count', String(count),
    '--speed', '6000', '--seed', '3', '--probe-offs-per-hour', '30']);
  assert.deepEqual(summaryOf(result.stdout), { sent: monitors * count, acknowledged: monitors * count, resent: 0, rejected: 0 });
  assert.equal(result.stderr, '', 'no warnings');
  const devices = devicesIn(result.stdout);
  const listed = devicesIn((await simulate(['--print-devices', '--monitors', String(monitors), '--seed', '3'])).stdout);
  assert.deepEqual(devices, listed);

  const nurse = await loggedIn(server, 'demo.nurse');
  const items = await allPages(nurse, '/api/v1/monitor/unassigned', { limit: 500 });
  assert.equal(items.length, monitors * (count * CONTINUOUS.length + CUFF.length), 'every observation of every message');
  assert.deepEqual([...new Set(items.map((o) => o.device))].sort(), [...devices].sort());
  for (const device of devices) {
    const mine = items.filter((o) => o.device === device);
    const codes = {};
    for (const o of mine) codes[o.code] = (codes[o.code] || 0) + 1;
    assert.deepEqual(codes, Object.fromEntries([...CONTINUOUS.map((c) => [c, count]), ...CUFF.map((c) => [c, 1])]), device);
    const times = mine.filter((o) => o.code === '147842').map((o) => Date.parse(o.observed_at));
    assert.equal(new Set(times).size, count, 'one heart rate per report');
    times.sort((a, b) => a - b);
    assert.ok(times.slice(1).every((time, i) => time - times[i] === 5000), 'reports 5 simulated seconds apart');
  }
  for (const o of items) {
    assert.equal(o.loinc, LOINC[o.code], `LOINC of ${o.code}`);
    assert.equal(o.code_system, 'MDC');
    if (o.state === 'measured') assert.equal(o.unit, UNIT[o.code], `unit of ${o.code}`);
  }
  const measured = (code) => items.filter((o) => o.code === code && o.state === 'measured').map((o) => Number(o.value));
  assert.ok(measured('150456').every((v) => v >= 85 && v <= 100), 'SpO2 in range');
  assert.ok(measured('150021').every((v) => v >= 90 && v <= 170), 'systolic in range');
  assert.ok(measured('150364').every((v) => v >= 36 && v <= 37.6), 'temperature in range');

  // Probe off: monitor 1 sends OBX-11 X, monitor 2 the IEEE 11073 NaN; only the oximeter blanks.
  const blank = items.filter((o) => o.state !== 'measured');
  assert.ok(blank.length > 0, 'a probe-off period within two simulated minutes at 30 per hour');
  assert.ok(blank.every((o) => ['150456', '149530'].includes(o.code) && o.value === null));
  assert.ok(blank.some((o) => o.device === devices[0] && o.state === 'cannot_be_obtained'));
  assert.ok(blank.some((o) => o.device === devices[1] && o.state === 'not_available'));
});

/** A --reconnect-every run against `server`: every message stored exactly once. */
async function checkReconnectRun(server, mllpPort) {
  const monitors = 2;
  const count = 20;
  const result = await simulate(['--port', String(mllpPort), '--monitors', String(monitors), '--count', String(count),
    '--speed', '6000', '--reconnect-every', '3', '--seed', '11']);
  // Messages 3, 6, ..., 18 of each monitor lose their connection before the ACK and are resent.
  assert.deepEqual(summaryOf(result.stdout), { sent: 40, acknowledged: 40, resent: 12, rejected: 0 });
  assert.match(result.stdout, /12 reconnect\(s\)/);

  const nurse = await loggedIn(server, 'demo.nurse');
  const items = await allPages(nurse, '/api/v1/monitor/unassigned', { limit: 500 });
  assert.equal(items.length, monitors * (count * CONTINUOUS.length + CUFF.length), 'no message stored twice');
  const keys = new Set(items.map((o) => `${o.device} ${o.code} ${o.observed_at}`));
  assert.equal(keys.size, items.length, 'no duplicate observation');
  const admin = await loggedIn(server, 'demo.admin');
  const trail = await allPages(admin, '/api/v1/audit');
  const received = trail.filter((e) => e.action === 'monitor.message.receive');
  assert.equal(received.length, monitors * count, 'one stored message (and audit event) per MSH-10');
}

test('--reconnect-every: dropped connections are resent and every message is stored exactly once', async (t) => {
  const { server, mllpPort } = await monitorServer(t);
  await checkReconnectRun(server, mllpPort);
});

test('on PostgreSQL: a --reconnect-every run stores every message exactly once', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_monitor_sim');
  t.after(() => database.drop());
  const { server, mllpPort } = await monitorServer(t, { database: database.url });
  await checkReconnectRun(server, mllpPort);
});

test('bad options, a non-loopback host and a closed port fail with one line and a non-zero exit', async () => {
  const closedPort = await freePort();
  const cases = [
    [['--port', String(closedPort), '--host', '192.0.2.1', '--count', '1'], /--host .*--allow-remote/],
    [['--port', String(closedPort), '--host', 'example.org', '--count', '1'], /--host .*not a loopback address/],
    [['--port', String(closedPort), '--count', '1', '--connect-attempts', '1'], /cannot connect to 127\.0\.0\.1:\d+/],
    [['--port', String(closedPort), '--speed', '0'], /--speed must be between/],
    [['--count', '1'], /--port required/],
    [['--port', String(closedPort), '--monitors', '0'], /--monitors must be between 1 and 64/],
  ];
  for (const [args, pattern] of cases) {
    const result = await runCli(['monitor-sim', ...args]);
    assert.equal(result.code, 1, `monitor-sim ${args.join(' ')}: exit ${result.code}\n${result.stdout}${result.stderr}`);
    assert.equal(lines(result.stderr).length, 1, `one line for ${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /^ketachart: monitor-sim: /);
    assert.match(result.stderr, pattern);
  }
  const unknown = await runCli(['monitor-sim', '--port', String(closedPort), '--scenario', 'sleepy']);
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(unknown.stderr, /sleepy/);
});
