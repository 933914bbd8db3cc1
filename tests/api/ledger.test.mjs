// HTTP API of the controlled-substance ledger (issue 8) against `serve --demo`: inventory set-up
// (admin only), a receipt, administrations, a witnessed waste (and the refusals: same user as
// witness, wrong witness password, a role that may not witness), balances in exact mg/mL, a count
// with a discrepancy resolved by reason, a reversing correction, the patient's history, and
// permissions (auditors read, cannot record). Then the invariant under concurrency: many clients
// draw from one lot at once, on SQLite and on PostgreSQL ($KETACHART_TEST_PG_URL), and the stock
// never goes negative and no acknowledged entry is lost; `ledger verify` passes afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertError,
  createPgDatabase,
  loggedIn,
  pgClusterUrl,
  runCli,
  serverFor,
} from '../support/ketachart.mjs';

const digits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
/** A random NDC in the 5-3-2 layout (each test's product is its own). */
const nextNdc = () => `${digits(5)}-${digits(3)}-${digits(2)}`;

/** Creates a product (50 mg/mL × 10 mL = 500 mg a vial) and a location as demo.admin. */
async function inventory(server, locationName = `Safe ${Date.now()}`) {
  const admin = await loggedIn(server, 'demo.admin');
  const product = await admin.post('/api/v1/ledger/products', {
    drug_name: 'Ketamine HCl',
    finished_form: 'injection solution, multi-dose vial',
    strength_mg_per_ml: '50',
    container_volume_ml: '10',
    ndc: nextNdc(),
  });
  assert.equal(product.status, 201, product.text);
  const location = await admin.post('/api/v1/ledger/locations', { name: locationName });
  assert.equal(location.status, 201, location.text);
  return { admin, product: product.json, location: location.json };
}

async function receive(client, product, location, body = {}) {
  const r = await client.post('/api/v1/ledger/entries', {
    kind: 'receive',
    product_id: product.id,
    lot_number: `LOT-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
    expiry_date: '2027-12-31',
    location_id: location.id,
    containers: 1,
    supplier_name: 'Acme Pharma Distribution',
    supplier_address: '1 Depot Rd, Springfield',
    supplier_dea_number: 'RA1234563',
    invoice_number: 'INV-1',
    ...body,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function balanceOf(client, lotId, locationId) {
  const r = await client.get('/api/v1/ledger/balances');
  assert.equal(r.status, 200, r.text);
  return r.json.items.find((b) => b.lot_id === lotId && b.location_id === locationId)?.balance_mg;
}

test('ledger: receive, administer, witnessed waste, balances, count, correction, history, permissions', async (t) => {
  const server = await serverFor(t);
  const { product, location, admin } = await inventory(server);
  const nurse = await loggedIn(server, 'demo.nurse');
  const auditor = await loggedIn(server, 'demo.auditor');
  const therapist = await loggedIn(server, 'demo.therapist');

  // Only admins set up inventory; bad NDC names the field.
  assertError(assert, await nurse.post('/api/v1/ledger/locations', { name: 'x' }), 403, 'forbidden');
  const badNdc = await admin.post('/api/v1/ledger/products', {
    drug_name: 'K', finished_form: 'vial', strength_mg_per_ml: '50', container_volume_ml: '10', ndc: '12-34',
  });
  assertError(assert, badNdc, 400, 'invalid_input', 'ndc');

  const receipt = await receive(nurse, product, location);
  assert.equal(receipt.quantity_mg, '500');
  assert.equal(receipt.quantity_ml, '10');
  const lot = receipt.lot_id;

  const draw = await nurse.post('/api/v1/ledger/entries', {
    kind: 'administer', lot_id: lot, location_id: location.id, patient_id: 1, drawn_mg: '35', administered_mg: 32.5,
  });
  assert.equal(draw.status, 201, draw.text);
  assert.equal(draw.json.administered_mg, '32.5');
  assert.equal(await balanceOf(nurse, lot, location.id), '465');

  const waste = (witness) => ({
    kind: 'waste', draw_sequence: draw.json.sequence, quantity_mg: '2.5', manner: 'drug-disposal container', witness,
  });
  assertError(assert, await nurse.post('/api/v1/ledger/entries', waste({ username: 'demo.nurse', password: 'ketachart-demo' })),
    400, 'invalid_input', 'witness');
  assertError(assert, await nurse.post('/api/v1/ledger/entries', waste({ username: 'demo.prescriber', password: 'wrong' })),
    400, 'invalid_input', 'witness');
  assertError(assert, await nurse.post('/api/v1/ledger/entries', waste({ username: 'demo.auditor', password: 'ketachart-demo' })),
    400, 'invalid_input', 'witness');
  const wasted = await nurse.post('/api/v1/ledger/entries', waste({ username: 'demo.prescriber', password: 'ketachart-demo' }));
  assert.equal(wasted.status, 201, wasted.text);
  assert.deepEqual(wasted.json.witnesses, ['demo.prescriber']);
  // 32.5 + 2.5 = 35 drawn: not a microgram more.
  assertError(assert, await nurse.post('/api/v1/ledger/entries', { ...waste({ username: 'demo.prescriber', password: 'ketachart-demo' }), quantity_mg: '0.001' }),
    409, 'conflict');

  // Permissions: auditors read but cannot record; therapists do neither.
  assert.equal((await auditor.get(`/api/v1/ledger/lots/${lot}`)).status, 200);
  assertError(assert, await auditor.post('/api/v1/ledger/entries', { kind: 'administer' }), 403, 'forbidden');
  assertError(assert, await therapist.get('/api/v1/ledger/balances'), 403, 'forbidden');

  // A count that finds less opens a case; it closes only with a reason.
  const sheet = await nurse.get('/api/v1/ledger/count-sheet');
  assert.equal(sheet.status, 200);
  const line = sheet.json.lines.find((l) => l.lot_id === lot);
  assert.equal(line.expected_mg, '465');
  const count = await nurse.post('/api/v1/ledger/counts', {
    count_kind: 'routine', lines: [{ lot_id: lot, location_id: location.id, counted_mg: '460' }],
  });
  assert.equal(count.status, 201, count.text);
  assert.equal(count.json.discrepancies.length, 1);
  const caseId = count.json.discrepancies[0].id;
  assertError(assert, await nurse.post(`/api/v1/ledger/discrepancies/${caseId}/resolve`, {}), 400, 'invalid_input', 'reason');
  const resolved = await nurse.post(`/api/v1/ledger/discrepancies/${caseId}/resolve`, { reason: 'recount found 465 mg' });
  assert.equal(resolved.status, 200, resolved.text);
  assert.equal(resolved.json.status, 'resolved');

  // A correction reverses; the original stays, marked.
  const correction = await nurse.post('/api/v1/ledger/entries', {
    kind: 'correction', corrects_sequence: wasted.json.sequence, reason: 'waste entered against the wrong draw',
  });
  assert.equal(correction.status, 201, correction.text);
  const history = await auditor.get('/api/v1/ledger/patients/1/administrations');
  assert.equal(history.status, 200, history.text);
  const kinds = history.json.items.map((e) => e.kind);
  assert.ok(kinds.includes('administer') && kinds.includes('waste') && kinds.includes('correction'), kinds.join());
  assert.equal(history.json.items.find((e) => e.sequence === wasted.json.sequence).corrected_by_sequence,
    correction.json.sequence);

  await server.stop({ removeData: false });
  const verify = await runCli(['ledger', 'verify', '--data-dir', server.dataDir]);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /intact/);
});

/** N clients × M administrations of 10 mg each from one 500 mg lot; exactly 50 may succeed. */
async function concurrentDraws(server) {
  const { product, location } = await inventory(server, `Concurrent ${Date.now()}`);
  const nurses = await Promise.all([
    ...Array.from({ length: 6 }, () => loggedIn(server, 'demo.nurse')),
    ...Array.from({ length: 6 }, () => loggedIn(server, 'demo.prescriber')),
  ]);
  const receipt = await receive(nurses[0], product, location);
  const lot = receipt.lot_id;
  const perClient = 8; // 12 × 8 = 96 attempts for 50 draws' worth of stock
  const outcomes = await Promise.all(
    nurses.map(async (client, c) => {
      const mine = [];
      for (let i = 0; i < perClient; i++) {
        const r = await client.post('/api/v1/ledger/entries', {
          kind: 'administer', lot_id: lot, location_id: location.id, patient_id: 1 + ((c + i) % 20),
          drawn_mg: '10', administered_mg: '10',
        });
        mine.push(r);
      }
      return mine;
    }),
  );
  const all = outcomes.flat();
  const created = all.filter((r) => r.status === 201);
  const refused = all.filter((r) => r.status === 409);
  assert.equal(created.length + refused.length, all.length, all.filter((r) => ![201, 409].includes(r.status)).map((r) => r.text).join('\n'));
  assert.equal(created.length, 50, 'exactly the stock on hand is drawn');
  for (const r of refused) assert.equal(r.json.error.field, 'quantity_mg');
  assert.equal(await balanceOf(nurses[0], lot, location.id), '0');
  // Every acknowledged entry is in the ledger, once.
  const listed = await nurses[0].get(`/api/v1/ledger/entries?lot_id=${lot}&kind=administer&limit=500`);
  const listedSeq = new Set(listed.json.items.map((e) => e.sequence));
  assert.equal(listedSeq.size, 50);
  for (const r of created) assert.ok(listedSeq.has(r.json.sequence), `entry ${r.json.sequence} is listed`);
}

test('ledger on SQLite: concurrent draws from one lot never go negative and none is lost', async (t) => {
  const server = await serverFor(t);
  await concurrentDraws(server);
  await server.stop({ removeData: false });
  const verify = await runCli(['ledger', 'verify', '--data-dir', server.dataDir]);
  assert.equal(verify.code, 0, verify.stderr);
});

test('ledger on PostgreSQL: concurrent draws from one lot never go negative and none is lost', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_ledger');
  t.after(() => database.drop());
  const server = await serverFor(t, { database: database.url });
  await concurrentDraws(server);
  await server.stop();
  const verify = await runCli(['ledger', 'verify', '--database', database.url]);
  assert.equal(verify.code, 0, verify.stderr);
});
