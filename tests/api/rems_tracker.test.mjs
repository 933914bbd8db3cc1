// HTTP API: the REMS tracker pages with the API's convention (limit, cursor -> next_cursor).
// Three dosed esketamine sessions on a page size of one are all reached by following
// next_cursor, each once, oldest first for forms due; the whole tracker pages latest first;
// a bad limit or cursor is refused naming it. The enrolment history pages the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, serverFor } from '../support/ketachart.mjs';
import { READY, readyPatient } from '../support/session_setup.mjs';

async function dosedEsketamineSession(server, given) {
  const { patientId, courseId, nurse, prescriber } = await readyPatient(server, { protocol: 'intranasal-esketamine', patient: { given_names: given } });
  const today = new Date().toISOString().slice(0, 10);
  const enrolled = await nurse.post(`/api/v1/patients/${patientId}/rems`, { status: 'enrolled', rems_patient_id: `RP-${given}`, effective_on: today });
  assert.equal(enrolled.status, 201, enrolled.text);
  const id = (await nurse.post('/api/v1/sessions', { course_id: courseId, chair: `Room ${given}` })).json.id;
  assert.equal((await nurse.post(`/api/v1/sessions/${id}/readiness`, READY)).json.readiness.passed, true);
  const order = await prescriber.post(`/api/v1/sessions/${id}/dose-order`, { dose_mg: 56 });
  assert.equal(order.status, 201, order.text);
  const device = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'device' });
  assert.equal(device.status, 201, device.text);
  return { id, nurse };
}

async function follow(client, status, limit) {
  const ids = [];
  let cursor = null;
  for (let pages = 1; pages < 100; pages += 1) {
    const page = await client.get(`/api/v1/rems/tracker?status=${status}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200, page.text);
    assert.ok(page.json.items.length <= limit, `${page.json.items.length} items on a page of ${limit}`);
    ids.push(...page.json.items.map((i) => i.session.id));
    if (page.json.next_cursor === null) return { ids, pages };
    assert.equal(typeof page.json.next_cursor, 'string');
    cursor = encodeURIComponent(page.json.next_cursor);
  }
  assert.fail('next_cursor never ended');
}

test('the REMS tracker pages: every form is reachable past the first page, each once', async (t) => {
  const server = await serverFor(t);
  const sessions = [];
  for (const given of ['One', 'Two', 'Three']) sessions.push(await dosedEsketamineSession(server, given));
  const nurse = sessions[0].nurse;
  const mine = sessions.map((s) => s.id);

  const first = await nurse.get('/api/v1/rems/tracker?limit=1');
  assert.equal(first.json.items.length, 1);
  assert.equal(typeof first.json.next_cursor, 'string', 'more than a page: a next page');

  const open = await follow(nurse, 'open', 1);
  assert.deepEqual(open.ids.filter((id) => mine.includes(id)), mine, 'due forms oldest session first');
  assert.equal(new Set(open.ids).size, open.ids.length, 'no form twice');
  assert.ok(open.pages >= 3, `${open.pages} pages`);
  const all = await follow(nurse, 'all', 2);
  assert.deepEqual(all.ids.filter((id) => mine.includes(id)), [...mine].reverse(), 'the whole tracker latest first');
  assert.deepEqual((await follow(nurse, 'submitted', 50)).ids.filter((id) => mine.includes(id)), []);
  const everything = await nurse.get('/api/v1/rems/tracker?status=all&limit=200');
  assert.deepEqual(everything.json.items.map((i) => i.session.id), all.ids, 'the pages add up to the whole list');

  assertError(assert, await nurse.get('/api/v1/rems/tracker?limit=0'), 400, 'invalid_input', 'limit');
  assertError(assert, await nurse.get('/api/v1/rems/tracker?limit=201'), 400, 'invalid_input', 'limit');
  assertError(assert, await nurse.get('/api/v1/rems/tracker?cursor=abc'), 400, 'invalid_input', 'cursor');
  assertError(assert, await nurse.get('/api/v1/rems/tracker?status=late'), 400, 'invalid_input', 'status');
});

test('the REMS enrolment history pages past the enrolment view', async (t) => {
  const server = await serverFor(t);
  const { patientId, nurse } = await readyPatient(server, { protocol: 'intranasal-esketamine' });
  const days = ['2026-01-05', '2026-02-05', '2026-03-05'];
  for (const [i, effective_on] of days.entries()) {
    const body = i === 1 ? { status: 'not_enrolled', effective_on } : { status: 'enrolled', rems_patient_id: `RP-${i}`, effective_on };
    assert.equal((await nurse.post(`/api/v1/patients/${patientId}/rems`, body)).status, 201);
  }
  const view = await nurse.get(`/api/v1/patients/${patientId}/rems`);
  assert.deepEqual(view.json.history.map((h) => h.effective_on), [...days].reverse());
  assert.equal(view.json.history_next_cursor, null, 'fewer than 50: no older page');
  const first = await nurse.get(`/api/v1/patients/${patientId}/rems/history?limit=2`);
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(first.json.items.map((h) => h.effective_on), ['2026-03-05', '2026-02-05']);
  assert.equal(typeof first.json.next_cursor, 'string');
  const second = await nurse.get(`/api/v1/patients/${patientId}/rems/history?limit=2&cursor=${first.json.next_cursor}`);
  assert.deepEqual(second.json.items.map((h) => h.effective_on), ['2026-01-05']);
  assert.equal(second.json.next_cursor, null);
  assertError(assert, await nurse.get(`/api/v1/patients/${patientId}/rems/history?limit=0`), 400, 'invalid_input', 'limit');
  assertError(assert, await nurse.get(`/api/v1/patients/${patientId}/rems/history?cursor=x`), 400, 'invalid_input', 'cursor');
});
