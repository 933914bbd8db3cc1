// Bedside monitors over HL7 v2 / MLLP, black box: Debian python3-hl7's `mllp_send` (a client we
// did not write) sends the vendor-style PCD-01 messages of tests/hl7-corpus to
// `ketachart serve --mllp-port`; each gets MSA-1 AA only once stored; a resent MSH-10 is
// acknowledged again and stored once; the vitals appear in GET /api/v1/monitor/unassigned
// (paginated, exact decimal values, UCUM units, device, observed time); roles without
// monitor.read get 403; malformed or unsupported messages get AE/AR with an ERR segment and store
// nothing; every stored message is audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  REPO_ROOT,
  allPages,
  assertError,
  createPgDatabase,
  freePort,
  loggedIn,
  pgClusterUrl,
  run,
  serverFor,
  tempDir,
  writeTempFile,
} from '../support/ketachart.mjs';
import { ackCode, mllpExchange, oruMessage } from '../support/mllp.mjs';

const CORPUS = join(REPO_ROOT, 'tests', 'hl7-corpus');
// Observations per corpus message (the .expected files list them one per line).
const MESSAGES = {
  'philips_style_utf8_cr.hl7': { controlId: 'PHX-000123', observations: 7 },
  'ge_style_crlf_local_time.hl7': { controlId: 'GE20261122143000001', observations: 7 },
  'mindray_style_lf_no_setid.hl7': { controlId: 'MR-88412', observations: 8 },
  'nihon_kohden_style_latin1_probe_off.hl7': { controlId: 'NK0000045', observations: 4 },
  'legacy_gateway_v23_hex_codes.hl7': { controlId: 'LG-7', observations: 4 },
};

async function monitorServer(t, options = {}) {
  const mllpPort = await freePort();
  const server = await serverFor(t, { ...options, args: ['--mllp-port', String(mllpPort), '--mllp-clinic', 'NRK'] });
  assert.match(server.output(), new RegExp(`MLLP \\(bedside monitors\\) listening on 127\\.0\\.0\\.1:${mllpPort}`));
  return { server, mllpPort };
}

/** Sends the messages in `file` with mllp_send; resolves the ACK segments it printed. */
async function mllpSend(file, port) {
  const result = await run('/usr/bin/mllp_send', ['--loose', '-f', file, '-p', String(port), '127.0.0.1']);
  assert.equal(result.code, 0, `mllp_send failed: ${result.stderr}`);
  return result.stdout.split(/[\r\n\x0b\x1c]+/).filter((segment) => segment.length > 0);
}

function msa(segments) {
  const found = segments.filter((s) => s.startsWith('MSA|'));
  assert.equal(found.length, 1, `one MSA expected in ${JSON.stringify(segments)}`);
  return found[0].split('|');
}

test('PCD-01 messages from mllp_send are acknowledged AA after storing, once per MSH-10, and queued', async (t) => {
  const { server, mllpPort } = await monitorServer(t);
  for (const [name, { controlId }] of Object.entries(MESSAGES)) {
    const ack = await mllpSend(join(CORPUS, name), mllpPort);
    assert.ok(ack[0].startsWith('MSH|^~\\&|KETACHART|'), `ACK header for ${name}: ${ack[0]}`);
    assert.match(ack[0], /\|ACK\^R01\^ACK\|/);
    assert.deepEqual(msa(ack).slice(1, 3), ['AA', controlId], `ACK for ${name}: ${ack.join(' / ')}`);
    assert.ok(!ack.some((s) => s.startsWith('ERR|')), `no ERR for ${name}`);
  }
  // A monitor that missed the ACK resends: acknowledged again, stored once.
  const again = await mllpSend(join(CORPUS, 'philips_style_utf8_cr.hl7'), mllpPort);
  assert.deepEqual(msa(again).slice(1, 3), ['AA', 'PHX-000123']);

  const nurse = await loggedIn(server, 'demo.nurse');
  const items = await allPages(nurse, '/api/v1/monitor/unassigned', { limit: 7 });
  const total = Object.values(MESSAGES).reduce((sum, m) => sum + m.observations, 0);
  assert.equal(items.length, total, 'every observation stored exactly once');
  assert.equal(new Set(items.map((o) => o.id)).size, total, 'pages do not overlap');
  assert.deepEqual(
    items.map((o) => o.id),
    [...items.map((o) => o.id)].sort((a, b) => a - b),
    'oldest first',
  );

  const spo2 = items.find((o) => o.device === '00091BFFFE000101' && o.code === '150456');
  assert.deepEqual(
    { loinc: spo2.loinc, state: spo2.state, value: spo2.value, unit: spo2.unit, observed_at: spo2.observed_at },
    { loinc: '59408-5', state: 'measured', value: '97', unit: '%', observed_at: '2026-11-22T08:15:00.500Z' },
  );
  const temperature = items.find((o) => o.device === '080019FFFE0B4020' && o.code === '150344');
  assert.equal(temperature.value, '36.80', 'exact decimal as sent');
  assert.equal(temperature.unit, 'Cel');
  const absentRr = items.find((o) => o.device === '080019FFFE0B4020' && o.code === '151562');
  assert.equal(absentRr.state, 'no_sensor');
  assert.equal(absentRr.value, null, 'an absent sensor is never a measurement');
  const nan = items.find((o) => o.device === '00A037009B00C0DE' && o.code === '150344');
  assert.equal(nan.state, 'not_available');
  assert.equal(nan.value, null);
  const probeOff = items.find((o) => o.device === '0019E1FFFE12AB34' && o.code === '150456');
  assert.equal(probeOff.state, 'cannot_be_obtained');
  const unknown = items.find((o) => o.code === '150488');
  assert.equal(unknown.loinc, null, 'unknown codes are kept raw');
  assert.equal(unknown.value, '2.41');
  assert.equal(unknown.code_name, 'MDC_BLD_PERF_INDEX');

  const therapist = await loggedIn(server, 'demo.therapist');
  assertError(assert, await therapist.get('/api/v1/monitor/unassigned'), 403, 'forbidden');
  assertError(assert, await nurse.get('/api/v1/monitor/unassigned?limit=501'), 400, 'invalid_input', 'limit');

  const admin = await loggedIn(server, 'demo.admin');
  const trail = await allPages(admin, '/api/v1/audit');
  const received = trail.filter((e) => e.action === 'monitor.message.receive');
  assert.equal(received.length, Object.keys(MESSAGES).length, 'one audit event per stored message');
  assert.ok(received.every((e) => e.outcome === 'success' && e.client_address.startsWith('127.0.0.1:')));
});

test('unsupported and malformed messages get AR/AE with an ERR segment and store nothing', async (t) => {
  const { server, mllpPort } = await monitorServer(t);
  const dir = await tempDir();
  t.after(() => import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true })));

  const admission = await writeTempFile(dir, 'adt.hl7', 'MSH|^~\\&|GW^0011223344556677^EUI-64|F|||20261122100000+0000||ADT^A01|ADT-1|P|2.6\nPID|||1');
  const adtAck = await mllpSend(admission, mllpPort);
  assert.deepEqual(msa(adtAck).slice(1, 3), ['AR', 'ADT-1']);
  const adtErr = adtAck.find((s) => s.startsWith('ERR|'));
  assert.ok(adtErr, adtAck.join(' / '));
  assert.match(adtErr, /\|200\^Unsupported message type\^HL70357\|E\|/);

  const notANumber = await writeTempFile(
    dir,
    'nan.hl7',
    'MSH|^~\\&|GW^0011223344556677^EUI-64|F|||20261122100000+0000||ORU^R01|BAD-1|P|2.6\n' +
      'OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.1.1|ninety|262688^MDC_DIM_PERCENT^MDC|||||R',
  );
  const nanAck = await mllpSend(notANumber, mllpPort);
  assert.deepEqual(msa(nanAck).slice(1, 3), ['AE', 'BAD-1']);
  const nanErr = nanAck.find((s) => s.startsWith('ERR|'));
  assert.match(nanErr, /^ERR\|\|OBX\^\^5\|102\^Data type error\^HL70357\|E\|/);
  assert.match(nanErr, /OBX-5/);

  const nurse = await loggedIn(server, 'demo.nurse');
  const queue = await nurse.get('/api/v1/monitor/unassigned');
  assert.equal(queue.status, 200, queue.text);
  assert.deepEqual(queue.json.items, []);
  assert.equal(queue.json.next_cursor, null);
});

test('on PostgreSQL: acknowledged after storing, a resend stored once, exact values queued', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_monitor');
  t.after(() => database.drop());
  const { server, mllpPort } = await monitorServer(t, { database: database.url });
  for (const name of ['philips_style_utf8_cr.hl7', 'mindray_style_lf_no_setid.hl7', 'philips_style_utf8_cr.hl7']) {
    const ack = await mllpSend(join(CORPUS, name), mllpPort);
    assert.deepEqual(msa(ack).slice(1, 3), ['AA', MESSAGES[name].controlId]);
  }
  const nurse = await loggedIn(server, 'demo.nurse');
  const items = await allPages(nurse, '/api/v1/monitor/unassigned', { limit: 500 });
  assert.equal(items.length, MESSAGES['philips_style_utf8_cr.hl7'].observations + MESSAGES['mindray_style_lf_no_setid.hl7'].observations);
  const bodyTemperature = items.find((o) => o.code === '150364');
  assert.deepEqual([bodyTemperature.value, bodyTemperature.unit, bodyTemperature.loinc], ['98.4', '[degF]', '8310-5']);
});

test('MLLP over TLS: a monitor with the clinic certificate is acknowledged; plain TCP to the TLS port stores nothing', async (t) => {
  const dir = await tempDir();
  t.after(() => import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true })));
  const cert = join(dir, 'mllp.crt');
  const key = join(dir, 'mllp.key');
  const made = await run('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
  assert.equal(made.code, 0, made.stderr);
  const mllpPort = await freePort();
  const server = await serverFor(t, {
    args: ['--mllp-port', String(mllpPort), '--mllp-clinic', 'NRK', '--mllp-tls-cert', cert, '--mllp-tls-key', key],
  });
  assert.match(server.output(), new RegExp(`MLLP \\(bedside monitors\\) listening on 127\\.0\\.0\\.1:${mllpPort} over TLS`));
  const { readFile } = await import('node:fs/promises');
  const ca = await readFile(cert, 'utf8');
  const message = oruMessage('0012340000CC0001', { spo2: 96, pulse_rate: 71 });
  const acks = await mllpExchange(mllpPort, [message], { ca, servername: 'localhost' });
  assert.equal(ackCode(acks[0]), 'AA', acks[0]);
  assert.ok(acks[0].includes(`MSA|AA|${message.controlId}`));
  // A sender that does not speak TLS gets no ACK and stores nothing.
  await assert.rejects(mllpExchange(mllpPort, [oruMessage('0012340000CC0002', { spo2: 95 })]));
  const nurse = await loggedIn(server, 'demo.nurse');
  const devices = (await allPages(nurse, '/api/v1/monitor/unassigned')).map((o) => o.device);
  assert.ok(devices.includes('0012340000CC0001'));
  assert.ok(!devices.includes('0012340000CC0002'));
});
