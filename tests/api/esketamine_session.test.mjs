// HTTP API: an esketamine (Spravato) session's administration. Each nasal-spray device is its own
// timeline event (number, time, observed by); device 1 starts dosing (Start is refused for a
// device dose); a device before the rest since the previous one is refused naming
// rest_between_devices and the time left (the clinic publishes a 15 s rest so the test can enter
// device times within the minute the API accepts; the cited 5 min and its 4:59/5:00 edge are in
// the unit tests: session_rules_test, rems_service_test); no more devices than ordered. The session view says devices
// given of ordered and when the next is allowed. The day-1 dose rule refuses a first dose above
// the protocol's dose for the age band (56 mg under 65; 28 mg at 65 and over, flagged unconfirmed)
// naming the rule, unless the prescriber overrides it with a reason (recorded and audited). A device
// naming a ledger lot records the administration (28 mg) in the ledger in the same transaction; a
// lot of another clinic's or too little stock leaves both the ledger and the session unchanged.
// Runs on SQLite and on PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createPgDatabase, loggedIn, pgClusterUrl, serverFor } from '../support/ketachart.mjs';
import { publishEsketamineRest, READY, readyPatient } from '../support/session_setup.mjs';

const ESK = 'intranasal-esketamine';
const iso = (ms) => new Date(ms).toISOString();

/** An esketamine patient checked in, REMS-enrolled, with a passed checklist. */
async function checkedIn(server, patient = {}) {
  const ready = await readyPatient(server, { protocol: ESK, patient });
  const today = new Date().toISOString().slice(0, 10);
  const rems = await ready.nurse.post(`/api/v1/patients/${ready.patientId}/rems`, { status: 'enrolled', rems_patient_id: `RP-${ready.patientId}`, effective_on: today });
  assert.equal(rems.status, 201, rems.text);
  const session = await ready.nurse.post('/api/v1/sessions', { course_id: ready.courseId, chair: 'Room 1' });
  assert.equal(session.status, 201, session.text);
  const readiness = await ready.nurse.post(`/api/v1/sessions/${session.json.id}/readiness`, READY);
  assert.equal(readiness.json.readiness.passed, true, JSON.stringify(readiness.json.readiness.items));
  return { ...ready, id: session.json.id, checkedInAt: Date.parse(session.json.checked_in_at) };
}

/** A test product and location with `mg` received (the product's numbers are test data). */
async function stock(server, mg) {
  const admin = await loggedIn(server, 'demo.admin');
  const product = await admin.post('/api/v1/ledger/products', {
    drug_name: 'Esketamine (test product)', finished_form: 'nasal spray device',
    strength_mg_per_ml: '10', container_volume_ml: '10', ndc: `${10000 + Math.floor(Math.random() * 89999)}-${100 + Math.floor(Math.random() * 899)}-${10 + Math.floor(Math.random() * 89)}`,
  });
  assert.equal(product.status, 201, product.text);
  const location = await admin.post('/api/v1/ledger/locations', { name: `Esketamine safe ${Date.now()}-${Math.random()}` });
  assert.equal(location.status, 201, location.text);
  const nurse = await loggedIn(server, 'demo.nurse');
  const receipt = await nurse.post('/api/v1/ledger/entries', {
    kind: 'receive', product_id: product.json.id, lot_number: `ESK-${Date.now()}`, expiry_date: '2027-12-31',
    location_id: location.json.id, quantity_mg: String(mg), supplier_name: 'Acme Pharma Distribution',
    supplier_address: '1 Depot Rd, Springfield', supplier_dea_number: 'RA1234563', invoice_number: 'INV-ESK',
  });
  assert.equal(receipt.status, 201, receipt.text);
  return { lotId: receipt.json.lot_id, locationId: location.json.id, nurse };
}

async function devicesFlow(server) {
  await publishEsketamineRest(server, 15);
  const s = await checkedIn(server);
  const { nurse, prescriber, id } = s;
  const url = `/api/v1/sessions/${id}`;

  // Day-1 rule (the sample patient, born 1984: under 65).
  const high = await prescriber.post(`${url}/dose-order`, { dose_mg: 84 });
  assertError(assert, high, 409, 'conflict', 'dose_mg');
  assert.match(high.json.error.message, /^84 mg is above the day-1 dose of 56 mg for a patient aged \d+ \(under 65\) \(first_dose_under_65, Intranasal esketamine \(Spravato\) v\d+\); a prescriber may override with a reason$/);
  assertError(assert, await prescriber.post(`${url}/dose-order`, { dose_mg: 84, first_dose_override: { rule_id: 'first_dose_65_and_over', reason: 'x' } }), 400, 'invalid_input', 'first_dose_override.rule_id');
  assertError(assert, await prescriber.post(`${url}/dose-order`, { dose_mg: 84, first_dose_override: { rule_id: 'first_dose_under_65', reason: '  ' } }), 400, 'invalid_input', 'first_dose_override.reason');
  assertError(assert, await prescriber.post(`${url}/dose-order`, { dose_mg: 56, first_dose_override: { rule_id: 'first_dose_under_65', reason: 'no need' } }), 400, 'invalid_input', 'first_dose_override');
  assert.equal((await nurse.get(url)).json.dose_order, null, 'refused orders change nothing');
  const overridden = await prescriber.post(`${url}/dose-order`, { dose_mg: 84, first_dose_override: { rule_id: 'first_dose_under_65', reason: 'tolerated 84 mg in a previous course' } });
  assert.equal(overridden.status, 201, overridden.text);
  const first = overridden.json.dose_order.first_dose;
  assert.equal(first.rule_id, 'first_dose_under_65');
  assert.equal(first.limit_mg, 56);
  assert.ok(first.age_years >= 40 && first.age_years < 65, String(first.age_years));
  assert.equal(first.unconfirmed, false);
  assert.equal(first.override.reason, 'tolerated 84 mg in a previous course');
  assert.equal(first.override.by, 'demo.prescriber');
  assert.match(first.source.citation, /Medscape Spravato/);
  assert.equal(overridden.json.dose_order.devices, 3);
  assert.equal(overridden.json.devices.ordered, 3);
  assert.equal(overridden.json.devices.given, 0);
  assert.equal(overridden.json.next_due, 'device 1');
  const admin = await loggedIn(server, 'demo.admin');
  const audit = await admin.get(`/api/v1/audit?patient=${s.patientId}`);
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.json.items.some((e) => e.action === 'session.dose_order.first_dose_override' && e.resource_id === String(id) && e.username === 'demo.prescriber'), audit.text);

  // Devices: device 1 starts dosing; Start is for other routes.
  const start = await nurse.post(`${url}/events`, { kind: 'start' });
  assertError(assert, start, 409, 'conflict', 'kind');
  assert.equal(start.json.error.message, 'this dose is given in nasal-spray devices: record device 1 (kind device) to start');
  const t0 = s.checkedInAt + 1000;
  const REST = 15_000;
  assertError(assert, await nurse.post(`${url}/events`, { kind: 'device', device_number: 2, occurred_at: iso(t0) }), 400, 'invalid_input', 'device_number');
  const d1 = await nurse.post(`${url}/events`, { kind: 'device', device_number: 1, occurred_at: iso(t0), observed_by: 'Maria Lindqvist, RN' });
  assert.equal(d1.status, 201, d1.text);
  assert.equal(d1.json.phase, 'dosing');
  assert.equal(d1.json.started_at, iso(t0));
  assert.deepEqual(d1.json.devices.items.map((d) => [d.device_number, d.observed_by]), [[1, 'Maria Lindqvist, RN']]);
  assert.equal(d1.json.devices.next_allowed_at, iso(t0 + REST));
  assert.equal(d1.json.devices.rest_between_devices_min, 0.25);
  const tooSoon = await nurse.post(`${url}/events`, { kind: 'device', occurred_at: iso(t0 + REST - 1000) });
  assertError(assert, tooSoon, 409, 'conflict', 'kind');
  assert.equal(tooSoon.json.error.message, "device 2 is too soon: the protocol's rest between devices is 15 s (rest_between_devices); 0:01 to go");
  const d2 = await nurse.post(`${url}/events`, { kind: 'device', occurred_at: iso(t0 + REST) });
  assert.equal(d2.status, 201, d2.text);
  assert.equal(d2.json.devices.given, 2);
  assert.equal(d2.json.devices.items[1].observed_by, 'demo.nurse', 'the recording nurse observed unless another is named');
  const d3 = await nurse.post(`${url}/events`, { kind: 'device', occurred_at: iso(t0 + 2 * REST) });
  assert.equal(d3.status, 201, d3.text);
  const d4 = await nurse.post(`${url}/events`, { kind: 'device' });
  assertError(assert, d4, 409, 'conflict', 'kind');
  assert.equal(d4.json.error.message, 'all 3 devices the dose order counts have been given; no more than ordered');
  const view = (await nurse.get(url)).json;
  assert.equal(view.devices.given, 3);
  assert.equal(view.devices.next_allowed_at, null);
  assert.equal(view.allowed.device, 'all 3 devices the dose order counts have been given; no more than ordered');
  assert.deepEqual(view.events.filter((e) => e.kind === 'device').map((e) => e.data.device_number), [1, 2, 3]);
  const note = await prescriber.get(`${url}/note`);
  assert.equal(note.json.summary.devices.length, 3);
  const form = await nurse.get(`${url}/rems-form`);
  assert.equal(form.json.fields.find((f) => f.id === 'dose').value, '84 mg');
}

async function ageBandAndLedgerFlow(server) {
  // 65 and over: the day-1 dose is 28 mg, flagged unconfirmed (check the US label).
  const older = await checkedIn(server, { birth_date: '1950-01-15' });
  const url = `/api/v1/sessions/${older.id}`;
  const refused = await older.prescriber.post(`${url}/dose-order`, { dose_mg: 56 });
  assertError(assert, refused, 409, 'conflict', 'dose_mg');
  assert.match(refused.json.error.message, /^56 mg is above the day-1 dose of 28 mg for a patient aged \d+ \(65 and over\) \(first_dose_65_and_over, Intranasal esketamine \(Spravato\) v2; unconfirmed: check the US label\)/);
  const ordered = await older.prescriber.post(`${url}/dose-order`, { dose_mg: 28 });
  assert.equal(ordered.status, 201, ordered.text);
  assert.equal(ordered.json.dose_order.first_dose.unconfirmed, true);
  assert.equal(ordered.json.dose_order.first_dose.band, '65 and over');
  assert.equal(ordered.json.devices.ordered, 1);
  assert.equal(ordered.json.devices.rest_between_devices_min, 5, 'the shipped protocol: 5 min (Spravato)');

  // The device names its lot: the ledger records 28 mg for this patient and session, in one transaction.
  const { lotId, locationId, nurse } = await stock(server, 20);
  const short = await nurse.post(`${url}/events`, { kind: 'device', administer: { lot_id: lotId, location_id: locationId } });
  assert.equal(short.status, 409, short.text);
  assert.equal((await nurse.get(url)).json.devices.given, 0, 'not enough stock: no device recorded either');
  assertError(assert, await nurse.post(`${url}/events`, { kind: 'device', administer: { lot_id: 999999, location_id: locationId } }), 404, 'not_found');
  assertError(assert, await nurse.post(`${url}/events`, { kind: 'device', administer: { lot_id: lotId } }), 400, 'invalid_input', 'administer.location_id');
  const more = await stock(server, 56);
  const given = await nurse.post(`${url}/events`, { kind: 'device', administer: { lot_id: more.lotId, location_id: more.locationId } });
  assert.equal(given.status, 201, given.text);
  const link = given.json.devices.items[0].ledger;
  assert.equal(link.lot_id, more.lotId);
  const entries = await nurse.get(`/api/v1/ledger/entries?patient_id=${older.patientId}`);
  const entry = entries.json.items.find((e) => e.sequence === link.sequence);
  assert.ok(entry, entries.text);
  assert.equal(entry.kind, 'administer');
  assert.equal(entry.administered_mg, '28');
  assert.equal(entry.dosing_session_id, older.id);
  const balance = (await nurse.get('/api/v1/ledger/balances')).json.items.find((b) => b.lot_id === more.lotId && b.location_id === more.locationId);
  assert.equal(balance.balance_mg, '28');
}

test('esketamine devices: rest between devices, no more than ordered, day-1 dose rule with override', async (t) => {
  await devicesFlow(await serverFor(t));
});

test('esketamine: the 65-and-over day-1 dose and a device recorded in the ledger', async (t) => {
  await ageBandAndLedgerFlow(await serverFor(t));
});

test('esketamine devices and ledger link on PostgreSQL', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_esketamine');
  t.after(() => database.drop());
  const server = await serverFor(t, { database: database.url });
  await ageBandAndLedgerFlow(server);  // first: it reads the shipped 5 min rest
  await devicesFlow(server);
});
