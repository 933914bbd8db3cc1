// Browser test of the stock picker (issue 7: the dose linked to the controlled-substance lot).
// Set-up through the API: a product and a location of this test's own, a lot in date with one
// 500 mg vial, an expired lot and a lot whose stock is all used; an IV patient checked in,
// ready, and ordered 35 mg (0.5 mg/kg at 70 kg). At the chair the nurse opens "Start dosing":
// the picker lists the lot in date with its product, lot, expiry, location and 500 mg (10 mL)
// and leaves out the expired and the empty lot; with more administered than drawn the form
// names the field and the rule and nothing is sent; then 35 mg drawn and given from the lot
// starts dosing, the timeline names the ledger entry, and the lot's ledger page shows the
// administration to this patient and the balance down to 465 mg (9.3 mL).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browserSuite, freshPage, signIn, TABLET, watchConsole } from '../support/browser.mjs';
import { loggedIn, unique } from '../support/ketachart.mjs';
import { READY, readyPatient } from '../support/session_setup.mjs';

const ui = browserSuite({ browsers: { browser: TABLET } });

/** A product and location of this test's own with three lots: in date (500 mg), expired, used up. */
async function stock() {
  const admin = await loggedIn(ui.server, 'demo.admin');
  const nurse = await loggedIn(ui.server, 'demo.nurse');
  const tag = unique().slice(0, 4).toUpperCase();
  const ndcDigits = String(Number.parseInt(unique(), 16) % 100000).padStart(5, '0');
  const product = await admin.post('/api/v1/ledger/products', {
    drug_name: `Ketamine HCl picker ${tag}`, finished_form: 'injection solution, vial', strength_mg_per_ml: '50',
    container_volume_ml: '10', ndc: `${ndcDigits}-321-12`,
  });
  assert.equal(product.status, 201, product.text);
  const location = await admin.post('/api/v1/ledger/locations', { name: `Picker safe ${tag}` });
  assert.equal(location.status, 201, location.text);
  const receive = async (lotNumber, expiry) => {
    const r = await nurse.post('/api/v1/ledger/entries', {
      kind: 'receive', product_id: product.json.id, lot_number: lotNumber, expiry_date: expiry,
      location_id: location.json.id, containers: 1, supplier_name: 'Acme', supplier_address: '1 Depot Rd',
      supplier_dea_number: 'RA1234563', invoice_number: `P-${lotNumber}`,
    });
    assert.equal(r.status, 201, r.text);
    return r.json.lot_id;
  };
  const lotId = await receive(`PICK-${tag}`, '2099-06-30');
  await receive(`OLD-${tag}`, '2020-01-31');
  const emptyLot = await receive(`EMPTY-${tag}`, '2099-07-31');
  const used = await nurse.post('/api/v1/ledger/entries', {
    kind: 'administer', lot_id: emptyLot, location_id: location.json.id, patient_id: 1, drawn_mg: '500', administered_mg: '500',
  });
  assert.equal(used.status, 201, used.text);
  return { tag, lotId, locationId: location.json.id, drug: product.json.drug_name, location: location.json.name };
}

test('the nurse starts an IV infusion from a picked lot and sees the administration on the lot\'s ledger', async () => {
  const s = await stock();
  const ready = await readyPatient(ui.server);
  const checkIn = await ready.nurse.post('/api/v1/sessions', { course_id: ready.courseId, chair: 'Chair 5' });
  assert.equal(checkIn.status, 201, checkIn.text);
  const id = checkIn.json.id;
  const readiness = await ready.nurse.post(`/api/v1/sessions/${id}/readiness`, READY);
  assert.equal(readiness.json.readiness.passed, true, readiness.text);
  const order = await ready.prescriber.post(`/api/v1/sessions/${id}/dose-order`, { dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 50, duration_min: 40 });
  assert.equal(order.status, 201, order.text);
  assert.equal(order.json.dose_order.dose_mg, 35);

  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, `#/sessions/${id}`);
  await page.getByRole('list', { name: 'Session actions' }).getByRole('button', { name: 'Start dosing', exact: true }).click();
  const form = page.getByRole('form', { name: 'Start dosing' });
  const picker = form.getByLabel('Stock (lot and location)');
  await picker.locator('option', { hasText: `lot PICK-${s.tag}` }).waitFor({ state: 'attached' });
  const options = await picker.locator('option').allInnerTexts();
  assert.equal(options[0], 'No ledger link (record the administration in the ledger separately)');
  assert.ok(
    options.includes(`${s.drug} 50 mg/mL · lot PICK-${s.tag} · expires 2099-06-30 · ${s.location} · 500 mg (10 mL)`),
    options.join('\n'),
  );
  assert.ok(!options.some((o) => o.includes(`OLD-${s.tag}`)), 'an expired lot is not offered');
  assert.ok(!options.some((o) => o.includes(`EMPTY-${s.tag}`)), 'a lot with nothing left is not offered');
  assert.equal(await form.getByLabel('Drawn (mg)').count(), 0, 'no quantities without a lot');

  await picker.selectOption(`${s.lotId}:${s.locationId}`);
  const drawn = form.getByLabel('Drawn (mg)');
  assert.equal(await drawn.inputValue(), '35', 'drawn opens at the ordered dose');
  assert.equal(await form.getByLabel('Administered (mg)').inputValue(), '35');
  assert.deepEqual(await axeViolations(page), []);
  await form.getByLabel('Administered (mg)').fill('36');
  await form.getByRole('button', { name: 'Confirm start dosing' }).click();
  await form.locator('#start-administered-error').getByText('36 mg administered is more than the 35 mg drawn').waitFor();
  assert.equal(await page.locator('.session-header [data-phase]').getAttribute('data-phase'), 'checked_in', 'nothing was sent');

  await form.getByLabel('Administered (mg)').fill('35');
  await form.getByRole('button', { name: 'Confirm start dosing' }).click();
  await page.locator('.session-header [data-phase="dosing"]').waitFor();
  const started = page.getByRole('list', { name: 'Timeline, newest first' }).getByText(new RegExp(`^35 mg administered, ledger entry #\\d+ \\(lot ${s.lotId}\\)$`));
  await started.waitFor();
  const sequence = /#(\d+)/.exec(await started.innerText())[1];

  await page.goto(`${ui.server.baseUrl}/#/ledger/lots/${s.lotId}`);
  await page.getByRole('heading', { level: 1, name: `Lot PICK-${s.tag}` }).waitFor();
  await page.getByText(`${s.location}: 465 mg (9.3 mL)`).waitFor();
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: sequence, exact: true }) });
  assert.match(await row.innerText(), new RegExp(`administered 35 mg of 35 mg drawn \\(patient ${ready.patientId}\\)`));
  assert.match(await row.innerText(), /demo\.nurse/);
  assert.deepEqual(watch.problems(), []);
});
