// HTTP API: the live-update stream (GET /api/v1/events, Server-Sent Events). A page follows the
// topics it shows; the stream opens with a "ready" event, then names a topic whenever the clinic's
// data behind it changed (a check-in tells "sessions" and "monitor"; monitor vitals tell
// "monitor"), carries no clinical data, stays with its own clinic, needs each topic's read
// permission, is audited, and ends with an "ended" event when the user logs out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allPages, assertError, freePort, loggedIn, serverFor } from '../support/ketachart.mjs';
import { mllpExchange, oruMessage, ackCode } from '../support/mllp.mjs';
import { readyPatient } from '../support/session_setup.mjs';

/** Opens the stream as `client`; `next(name)` resolves with the next event of that name (or times out). */
async function openStream(server, client, topics) {
  const controller = new AbortController();
  const response = await fetch(`${server.baseUrl}/api/v1/events?topics=${topics}`, {
    headers: { cookie: client.cookie, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const events = [];
  const waiters = [];
  let text = '';
  let ended = false;
  const deliver = () => {
    for (let i = 0; i < waiters.length; ) {
      const index = events.findIndex((e) => e.event === waiters[i].name);
      if (index >= 0) {
        waiters[i].resolve(events.splice(index, 1)[0]);
        waiters.splice(i, 1);
      } else if (ended) {
        waiters[i].reject(new Error(`the stream ended before a "${waiters[i].name}" event`));
        waiters.splice(i, 1);
      } else {
        i += 1;
      }
    }
  };
  const reading = (async () => {
    if (!response.ok) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        text += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const event = { event: 'message', data: '', raw: block };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) event.data += line.slice(6);
            else if (line.startsWith('retry: ')) event.retry = Number(line.slice(7));
            else if (line.startsWith(':')) event.event = 'comment';
          }
          events.push(event);
        }
        deliver();
      }
    } catch {
      // aborted by the test
    }
    ended = true;
    deliver();
  })();
  return {
    response,
    all: () => events,
    next(name, timeoutMs = 8000) {
      return new Promise((resolve, reject) => {
        const waiter = { name, resolve, reject };
        waiters.push(waiter);
        setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error(`no "${name}" event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
          }
        }, timeoutMs);
        deliver();
      });
    },
    async finished(timeoutMs = 8000) {
      await Promise.race([reading, new Promise((_, reject) => setTimeout(() => reject(new Error('stream still open')), timeoutMs))]);
    },
    close() {
      controller.abort();
      return reading;
    },
  };
}

test('a check-in and monitor vitals reach the open stream as topic notices without clinical data', async (t) => {
  const mllpPort = await freePort();
  const server = await serverFor(t, { args: ['--mllp-port', String(mllpPort), '--mllp-clinic', 'NRK'] });
  const { courseId, nurse } = await readyPatient(server);
  const stream = await openStream(server, nurse, 'sessions,monitor');
  t.after(() => stream.close());
  assert.equal(stream.response.status, 200);
  assert.match(stream.response.headers.get('content-type'), /^text\/event-stream/);
  assert.equal(stream.response.headers.get('cache-control'), 'no-store');
  const ready = await stream.next('ready');
  assert.equal(ready.retry, 5000, 'the browser is told when to reconnect');
  const before = JSON.parse(ready.data);
  assert.deepEqual(Object.keys(before).sort(), ['monitor', 'sessions']);

  const checkIn = await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Chair 2' });
  assert.equal(checkIn.status, 201, checkIn.text);
  const sessions = JSON.parse((await stream.next('sessions')).data);
  assert.ok(sessions.version > before.sessions, 'the sessions counter moved on');
  await stream.next('monitor');

  const acks = await mllpExchange(mllpPort, [oruMessage('0012340000EE0001', { spo2: 97 })]);
  assert.equal(ackCode(acks[0]), 'AA', acks[0]);
  const monitor = JSON.parse((await stream.next('monitor')).data);
  assert.ok(monitor.version > before.monitor);

  const everything = stream.all().map((e) => e.raw).join('\n') + JSON.stringify(ready) + JSON.stringify(sessions);
  for (const secret of ['Testperson', 'Alexandra', 'Chair 2', '0012340000EE0001', String(checkIn.json.patient?.id ?? 'none')]) {
    assert.ok(!everything.includes(secret), `the stream does not carry "${secret}"`);
  }
});

test('a stream follows only its own clinic', async (t) => {
  const server = await serverFor(t);
  const { courseId, nurse } = await readyPatient(server);
  const otherClinic = await loggedIn(server, 'demo.nurse2');
  const stream = await openStream(server, otherClinic, 'sessions');
  t.after(() => stream.close());
  await stream.next('ready');
  const checkIn = await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Chair 1' });
  assert.equal(checkIn.status, 201, checkIn.text);
  await assert.rejects(stream.next('sessions', 2000), /no "sessions" event/, 'the other clinic hears nothing');
});

test('topics are checked, each needs its read permission, and opening is audited', async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse');
  const therapist = await loggedIn(server, 'demo.therapist');
  const desk = await loggedIn(server, 'demo.frontdesk');
  const admin = await loggedIn(server, 'demo.admin');

  assertError(assert, await nurse.get('/api/v1/events'), 400, 'invalid_input', 'topics');
  assertError(assert, await nurse.get('/api/v1/events?topics=patients'), 400, 'invalid_input', 'topics');
  assertError(assert, await nurse.get('/api/v1/events?topics=sessions,nope'), 400, 'invalid_input', 'topics');
  assertError(assert, await nurse.get('/api/v1/events?topics=monitor', { cookie: false }), 401, 'unauthenticated');
  assertError(assert, await therapist.get('/api/v1/events?topics=monitor'), 403, 'forbidden');
  assertError(assert, await desk.get('/api/v1/events?topics=sessions'), 403, 'forbidden');

  const allowed = await openStream(server, therapist, 'sessions');
  assert.equal(allowed.response.status, 200);
  await allowed.next('ready');
  await allowed.close();

  const trail = await allPages(admin, '/api/v1/audit');
  const subscribed = trail.filter((e) => e.action === 'events.subscribe');
  assert.ok(subscribed.some((e) => e.outcome === 'success' && e.username === 'demo.therapist'), JSON.stringify(subscribed));
  assert.ok(subscribed.some((e) => e.outcome === 'denied' && e.username === 'demo.therapist'), 'the refused monitor topic is audited');
});

test('logging out ends the stream with an "ended" event', async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse');
  const stream = await openStream(server, nurse, 'sessions');
  t.after(() => stream.close());
  await stream.next('ready');
  const out = await nurse.delete('/api/v1/session');
  assert.ok(out.status === 200 || out.status === 204, out.text);
  const ended = await stream.next('ended');
  assert.deepEqual(JSON.parse(ended.data), { reason: 'session' });
  await stream.finished();
});
