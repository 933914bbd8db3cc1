// HTTP API: the care summary's sessions page. The summary shows the latest 20 sessions and a
// sessions_next_cursor; GET /care-summary/sessions follows it to the older ones, each session
// once, latest first. A bad limit or cursor is refused naming it; the front desk may not read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, loggedIn, serverFor } from '../support/ketachart.mjs';
import { readyPatient } from '../support/session_setup.mjs';

test('the care summary lists the latest 20 sessions and the older ones are reachable page by page', async (t) => {
  const server = await serverFor(t);
  const { patientId, courseId, nurse, prescriber } = await readyPatient(server);
  const created = [];
  for (let i = 0; i < 23; i += 1) {
    const checkIn = await nurse.post('/api/v1/sessions', { course_id: courseId, chair: `Chair ${i}` });
    assert.equal(checkIn.status, 201, checkIn.text);
    const cancelled = await nurse.post(`/api/v1/sessions/${checkIn.json.id}/events`, { kind: 'cancel', reason: 'patient unwell today' });
    assert.equal(cancelled.json.phase, 'cancelled', cancelled.text);
    created.push(checkIn.json.id);
  }
  const latestFirst = [...created].reverse();

  const summary = await prescriber.get(`/api/v1/patients/${patientId}/care-summary`);
  assert.equal(summary.status, 200, summary.text);
  assert.deepEqual(summary.json.sessions.map((s) => s.id), latestFirst.slice(0, 20));
  assert.equal(summary.json.sessions[0].last_event, 'cancel');
  assert.equal(typeof summary.json.sessions_next_cursor, 'string');
  const older = await prescriber.get(`/api/v1/patients/${patientId}/care-summary/sessions?cursor=${summary.json.sessions_next_cursor}`);
  assert.equal(older.status, 200, older.text);
  assert.deepEqual(older.json.items.map((s) => s.id), latestFirst.slice(20));
  assert.equal(older.json.next_cursor, null);
  assert.deepEqual(Object.keys(older.json.items[0]).sort(), Object.keys(summary.json.sessions[0]).sort(), 'the same rows as the summary');

  // Five to a page: five pages, every session once.
  const seen = [];
  let cursor = '';
  let pages = 0;
  do {
    const page = await prescriber.get(`/api/v1/patients/${patientId}/care-summary/sessions?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200, page.text);
    assert.ok(page.json.items.length <= 5);
    seen.push(...page.json.items.map((s) => s.id));
    cursor = page.json.next_cursor;
    pages += 1;
  } while (cursor && pages < 20);
  assert.deepEqual(seen, latestFirst);
  assert.equal(pages, 5);

  const exact = await prescriber.get(`/api/v1/patients/${patientId}/care-summary/sessions?limit=23`);
  assert.equal(exact.json.items.length, 23);
  assert.equal(exact.json.next_cursor, null, 'exactly a page: no next page');

  const base = `/api/v1/patients/${patientId}/care-summary/sessions`;
  assertError(assert, await prescriber.get(`${base}?limit=0`), 400, 'invalid_input', 'limit');
  assertError(assert, await prescriber.get(`${base}?limit=201`), 400, 'invalid_input', 'limit');
  assertError(assert, await prescriber.get(`${base}?cursor=abc`), 400, 'invalid_input', 'cursor');
  assertError(assert, await (await loggedIn(server, 'demo.frontdesk')).get(base), 403, 'forbidden');
  assert.equal((await prescriber.get('/api/v1/patients/999999/care-summary/sessions')).status, 404);
});
