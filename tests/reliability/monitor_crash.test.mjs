// Crash recovery of monitor ingestion (SQLite): 24 MLLP connections send PCD-01 ORU^R01 messages
// of 6 observations each, each with a unique MSH-10, recording every message acknowledged AA;
// after ~1.5 s the server gets SIGKILL mid-stream. After a restart on the same data every
// acknowledged message is stored with all 6 observations, none twice; resending every message of
// the cycle (acknowledged or not) is acknowledged AA and still stores each exactly once.
// Two kill/restart cycles. The client is a minimal MLLP client written here (the black-box test
// in tests/api/monitor.test.mjs uses Debian's mllp_send).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, pythonSqlite, sleep, startServer, tempDir } from '../support/ketachart.mjs';

const CYCLES = 2;
const CONNECTIONS = 24;
const WRITE_MS = 1500;

function oru(controlId, device, i) {
  const time = '20261122100000+0000';
  const obx = [
    ['150456^MDC_PULS_OXIM_SAT_O2^MDC', 90 + (i % 10), '262688^MDC_DIM_PERCENT^MDC'],
    ['147842^MDC_ECG_HEART_RATE^MDC', 60 + (i % 40), '264864^MDC_DIM_BEAT_PER_MIN^MDC'],
    ['150021^MDC_PRESS_BLD_NONINV_SYS^MDC', 110 + (i % 50), '266016^MDC_DIM_MMHG^MDC'],
    ['150022^MDC_PRESS_BLD_NONINV_DIA^MDC', 70 + (i % 30), '266016^MDC_DIM_MMHG^MDC'],
    ['150023^MDC_PRESS_BLD_NONINV_MEAN^MDC', 85 + (i % 30), '266016^MDC_DIM_MMHG^MDC'],
    ['151562^MDC_RESP_RATE^MDC', 12 + (i % 8), '264928^MDC_DIM_RESP_PER_MIN^MDC'],
  ];
  return [
    `MSH|^~\\&|SIM^${device}^EUI-64|WARD|||${time}||ORU^R01^ORU_R01|${controlId}|P|2.6|||NE|AL||UNICODE UTF-8`,
    ...obx.map(([code, value, unit], k) => `OBX|${k + 1}|NM|${code}|1.1.${k + 1}|${value}|${unit}|||||R|||${time}`),
  ].join('\r');
}

/** One MLLP connection: send(message) resolves the reply (framing removed). */
function mllpConnection(port) {
  return new Promise((resolveConnection, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffered = Buffer.alloc(0);
    let waiting = null;
    let failed = null;
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf(0x1c);
      if (end >= 0 && waiting) {
        const start = buffered.indexOf(0x0b);
        const reply = buffered.subarray(start + 1, end).toString('utf8');
        buffered = buffered.subarray(end + 2);
        const w = waiting;
        waiting = null;
        w.resolve(reply);
      }
    });
    const fail = (error) => {
      failed = error || new Error('connection closed');
      if (waiting) waiting.reject(failed);
      waiting = null;
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
    socket.on('connect', () =>
      resolveConnection({
        send(message) {
          if (failed) return Promise.reject(failed);
          return new Promise((resolve, rejectSend) => {
            waiting = { resolve, reject: rejectSend };
            socket.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(message, 'utf8'), Buffer.from([0x1c, 0x0d])]));
          });
        },
        close: () => socket.destroy(),
      }),
    );
    socket.once('error', reject);
  });
}

function ackCode(reply) {
  const msa = reply.split('\r').find((s) => s.startsWith('MSA|'));
  return msa ? msa.split('|').slice(1, 3) : null;
}

async function storedMessages(dataDir) {
  const out = await pythonSqlite(
    `db = sqlite3.connect(sys.argv[1])
for control_id, n in db.execute("SELECT m.control_id, COUNT(o.id) FROM monitor_messages m LEFT JOIN monitor_observations o ON o.message_id = m.id GROUP BY m.id"):
    print(control_id, n)`,
    [join(dataDir, 'ketachart.db')],
  );
  const stored = new Map();
  for (const line of out.split('\n').filter(Boolean)) {
    const [id, n] = line.split(' ');
    assert.ok(!stored.has(id), `message ${id} stored twice`);
    stored.set(id, Number(n));
  }
  return stored;
}

async function startMonitorServer(dataDir) {
  const mllpPort = await freePort();
  const server = await startServer({ dataDir, keepData: true, args: ['--mllp-port', String(mllpPort), '--mllp-clinic', 'NRK'] });
  return { server, mllpPort };
}

test('SIGKILL during ingestion from many connections: every acknowledged message survives, none twice', { timeout: 120_000 }, async (t) => {
  const dataDir = await tempDir();
  let current = null;
  t.after(async () => {
    if (current) await current.server.stop({ removeData: true });
  });
  current = await startMonitorServer(dataDir);
  const acknowledged = new Set();
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    const sent = new Map(); // control id -> message
    let killing = false;
    const problems = [];
    const sender = async (c) => {
      const connection = await mllpConnection(current.mllpPort);
      const device = `5100${cycle.toString(16).padStart(2, '0')}${c.toString(16).padStart(2, '0')}00000000`;
      for (let i = 0; i < 100_000 && !killing; i++) {
        const controlId = `K${cycle}-${c}-${i}`;
        const message = oru(controlId, device, i);
        sent.set(controlId, message);
        let reply;
        try {
          reply = await connection.send(message);
        } catch (error) {
          if (!killing) problems.push(`connection ${c}: ${error.message}`);
          return;
        }
        const [code, echoed] = ackCode(reply) ?? [];
        if (code !== 'AA' || echoed !== controlId) {
          problems.push(`connection ${c}: ${reply}`);
          continue;
        }
        acknowledged.add(controlId);
      }
      connection.close();
    };
    const senders = Array.from({ length: CONNECTIONS }, (_, c) => sender(c));
    await sleep(WRITE_MS);
    killing = true;
    await current.server.kill();
    assert.equal(current.server.exited.signal, 'SIGKILL');
    await Promise.all(senders);
    assert.deepEqual(problems, [], 'senders saw errors while the server was healthy');
    assert.ok(acknowledged.size >= CONNECTIONS, `cycle ${cycle}: only ${acknowledged.size} messages acknowledged`);
    t.diagnostic(`cycle ${cycle}: ${sent.size} messages sent, ${acknowledged.size} acknowledged so far`);

    // After the crash: every acknowledged message (all cycles) is stored whole, once.
    let stored = await storedMessages(dataDir);
    for (const id of acknowledged) {
      assert.equal(stored.get(id), 6, `acknowledged message ${id} is missing or incomplete after crash ${cycle}`);
    }
    for (const [id, n] of stored) assert.equal(n, 6, `message ${id} stored with ${n} observations`);

    // Restart; the monitors resend everything of this cycle (they may have missed ACKs).
    current = await startMonitorServer(dataDir);
    const resend = await mllpConnection(current.mllpPort);
    for (const [id, message] of sent) {
      const [code, echoed] = ackCode(await resend.send(message)) ?? [];
      assert.deepEqual([code, echoed], ['AA', id], `resent ${id}`);
    }
    resend.close();
    stored = await storedMessages(dataDir);
    for (const id of sent.keys()) assert.equal(stored.get(id), 6, `resent message ${id} stored once, whole`);
  }
});
