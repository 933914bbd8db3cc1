// HTTP API: an IV start linked to the controlled-substance ledger, as the stock picker sends it
// (issue 7). The nurse reads the balances the picker lists (lot, location, exact mg and mL); a
// start naming a lot and location with drawn_mg and administered_mg records the administration
// for this patient and session in the start's transaction and the timeline names the entry. Bad
// input names the field and the rule and changes nothing: a missing or unreadable quantity, more
// administered than drawn, more drawn than the lot holds at that location, a lot of no stock
// there. A start without a ledger link stays allowed (today's rule). Runs on SQLite and PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createPgDatabase, loggedIn, pgClusterUrl, serverFor, unique } from '../support/ketachart.mjs';
import { READY, readyPatient } from '../support/session_setup.mjs';

/** A patient checked in with a passed checklist and 35 mg ordered (0.5 mg/kg at 70 kg). */
async function ordered(server) {
  const ready = await readyPatient(server);
  const session = await ready.nurse.post('/api/v1/sessions', { course_id: ready.courseId, chair: 'Chair 2' });
  assert.equal(session.status, 201, session.text);
  const id = session.json.id;
  const readiness = await ready.nurse.post(`/api/v1/sessions/${id}/readiness`, READY);
  assert.equal(readiness.json.readiness.passed, true, readiness.text);
  const order = await ready.prescriber.post(`/api/v1/sessions/${id}/dose-order`, { dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 50, duration_min: 40 });
  assert.equal(order.status, 201, order.text);
  return { ...ready, id };
}

/** A test product (50 mg/mL, 10 mL vial: test data) with one vial received at a new location, and a second, empty location. */
async function vial(server) {
  const admin = await loggedIn(server, 'demo.admin');
  const nurse = await loggedIn(server, 'demo.nurse');
  const tag = unique();
  const product = await admin.post('/api/v1/ledger/products', {
    drug_name: `Ketamine HCl ${tag}`, finished_form: 'injection solution, vial', strength_mg_per_ml: '50', container_volume_ml: '10',
    ndc: `${String(Number.parseInt(tag, 16) % 100000).padStart(5, '0')}-050-10`,
  });
  assert.equal(product.status, 201, product.text);
  const safe = await admin.post('/api/v1/ledger/locations', { name: `Safe ${tag}` });
  const other = await admin.post('/api/v1/ledger/locations', { name: `Lockbox ${tag}` });
  const received = await nurse.post('/api/v1/ledger/entries', {
    kind: 'receive', product_id: product.json.id, lot_number: `IV-${tag}`, expiry_date: '2099-12-31', location_id: safe.json.id,
    containers: 1, supplier_name: 'Acme', supplier_address: '1 Depot Rd', supplier_dea_number: 'RA1234563', invoice_number: `I-${tag}`,
  });
  assert.equal(received.status, 201, received.text);
  return { lotId: received.json.lot_id, locationId: safe.json.id, emptyLocationId: other.json.id };
}

async function balance(client, lotId, locationId) {
  const r = await client.get('/api/v1/ledger/balances');
  assert.equal(r.status, 200, r.text);
  return r.json.items.find((b) => b.lot_id === lotId && b.location_id === locationId);
}

async function stockLinkedStart(server) {
  const s = await ordered(server);
  const v = await vial(server);
  const url = `/api/v1/sessions/${s.id}`;
  const before = await balance(s.nurse, v.lotId, v.locationId);
  assert.equal(before.balance_mg, '500');
  assert.equal(before.balance_ml, '10');
  assert.equal(before.expired, false);
  const start = (administer) => s.nurse.post(`${url}/events`, { kind: 'start', administer: { lot_id: v.lotId, location_id: v.locationId, ...administer } });

  assertError(assert, await start({ administered_mg: '35' }), 400, 'invalid_input', 'administer.drawn_mg');
  assertError(assert, await start({ drawn_mg: '35', administered_mg: '35.0001' }), 400, 'invalid_input', 'administer.administered_mg');
  const over = await start({ drawn_mg: '35', administered_mg: '36' });
  assertError(assert, over, 400, 'invalid_input', 'administer.administered_mg');
  assert.match(over.json.error.message, /36 mg administered is more than the 35 mg drawn/);
  const tooMuch = await start({ drawn_mg: '500.001', administered_mg: '35' });
  assertError(assert, tooMuch, 409, 'conflict');
  assert.match(tooMuch.json.error.message, /holds 500 mg; this would leave -0\.001 mg \(stock cannot go negative\)/);
  assertError(assert, await s.nurse.post(`${url}/events`, { kind: 'start', administer: { lot_id: v.lotId, location_id: v.emptyLocationId, drawn_mg: '35', administered_mg: '35' } }), 409, 'conflict');
  const unchanged = await s.nurse.get(url);
  assert.equal(unchanged.json.phase, 'checked_in', 'a refused start records nothing');
  assert.equal((await balance(s.nurse, v.lotId, v.locationId)).balance_mg, '500', 'and draws nothing');

  const started = await start({ drawn_mg: '40', administered_mg: '35' });
  assert.equal(started.status, 201, started.text);
  assert.equal(started.json.phase, 'dosing');
  const event = started.json.events.find((e) => e.kind === 'start');
  assert.equal(event.data.ledger.lot_id, v.lotId);
  assert.equal(event.data.ledger.administered_ug, 35000);
  const entries = await s.nurse.get(`/api/v1/ledger/entries?lot_id=${v.lotId}&kind=administer`);
  assert.equal(entries.status, 200, entries.text);
  assert.equal(entries.json.items.length, 1);
  const entry = entries.json.items[0];
  assert.equal(entry.sequence, event.data.ledger.sequence);
  assert.equal(entry.patient_id, s.patientId);
  assert.equal(entry.dosing_session_id, s.id);
  assert.equal(entry.drawn_mg, '40');
  assert.equal(entry.administered_mg, '35');
  const after = await balance(s.nurse, v.lotId, v.locationId);
  assert.equal(after.balance_mg, '460');
  assert.equal(after.balance_ml, '9.2');

  // Without a ledger link a start is still allowed (no rule requires one today).
  const plain = await ordered(server);
  const unlinked = await plain.nurse.post(`/api/v1/sessions/${plain.id}/events`, { kind: 'start' });
  assert.equal(unlinked.status, 201, unlinked.text);
  assert.equal(unlinked.json.events.find((e) => e.kind === 'start').data.ledger, undefined);
}

test('IV start linked to a ledger lot: quantities checked by field, stock never negative, one transaction', async (t) => {
  await stockLinkedStart(await serverFor(t));
});

test('IV start linked to a ledger lot on PostgreSQL', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_session_stock');
  t.after(() => database.drop());
  await stockLinkedStart(await serverFor(t, { database: database.url }));
});
