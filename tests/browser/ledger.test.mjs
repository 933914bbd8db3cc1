// Browser tests of the controlled-substance ledger (issue 8): a nurse opens a lot from the
// inventory, wastes the undelivered rest of an administration in the waste dialog with a
// prescriber witnessing by password, and sees the entry with its witness; a nurse who names
// herself as the witness is refused in the dialog and nothing is recorded. Set-up (product,
// location, receipt, administration) goes through the API as other users.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession } from '../support/api.mjs';
import { axeViolations, browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { DEMO_PASSWORD } from '../support/server.mjs';

let lot;
let draw;
const ui = browserSuite({ setUp: receiveAndAdminister });

/** A lot BRW-1 received as the admin, and a draw of 40 mg with 35 mg given from it (`draw`). */
async function receiveAndAdminister() {
  const admin = await apiSession(ui.server.baseUrl, 'demo.admin');
  const nurse = await apiSession(ui.server.baseUrl, 'demo.prescriber');
  const product = await admin.send('POST', '/api/v1/ledger/products', {
    drug_name: 'Ketamine HCl', finished_form: 'injection solution', strength_mg_per_ml: '50',
    container_volume_ml: '10', ndc: '67890-321-12',
  });
  assert.equal(product.status, 201, JSON.stringify(product.body));
  const location = await admin.send('POST', '/api/v1/ledger/locations', { name: 'Browser safe' });
  assert.equal(location.status, 201);
  const receipt = await nurse.send('POST', '/api/v1/ledger/entries', {
    kind: 'receive', product_id: product.body.id, lot_number: 'BRW-1', expiry_date: '2027-09-30',
    location_id: location.body.id, containers: 1, supplier_name: 'Acme', supplier_address: '1 Depot Rd',
    supplier_dea_number: 'RA1234563', invoice_number: 'B-1',
  });
  assert.equal(receipt.status, 201, JSON.stringify(receipt.body));
  lot = receipt.body.lot_id;
  const administered = await nurse.send('POST', '/api/v1/ledger/entries', {
    kind: 'administer', lot_id: lot, location_id: location.body.id, patient_id: 1, drawn_mg: '40', administered_mg: '35',
  });
  assert.equal(administered.status, 201, JSON.stringify(administered.body));
  draw = administered.body.sequence;
}

async function openWasteDialog(page) {
  await signIn(page, ui.server.baseUrl, 'demo.nurse', DEMO_PASSWORD, '#/ledger');
  await page.getByRole('heading', { level: 1, name: 'Controlled substances' }).waitFor();
  await page.getByRole('link', { name: 'BRW-1' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Lot BRW-1' }).waitFor();
  await page.getByRole('button', { name: `Waste rest of #${draw}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Record waste' });
  await dialog.waitFor();
  await dialog.getByLabel('Quantity wasted (mg)').fill('5');
  await dialog.getByLabel('Manner of wastage').fill('into the drug-disposal container');
  return dialog;
}

test('a witness who is the same user is refused and nothing is recorded', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  watch.allowStatus(400, '/api/v1/ledger/entries');
  const dialog = await openWasteDialog(page);
  assert.deepEqual(await axeViolations(page), [], 'the waste dialog passes axe');
  await dialog.getByLabel('Witness username').fill('demo.nurse');
  await dialog.getByLabel('Witness password').fill(DEMO_PASSWORD);
  await dialog.getByRole('button', { name: 'Record waste' }).click();
  await dialog.getByText('the witness must be a different person').first().waitFor();
  assert.equal(await dialog.getByLabel('Witness password').inputValue(), '', 'the password is cleared');
  const check = await apiSession(ui.server.baseUrl, 'demo.auditor');
  const entries = await check.get(`/api/v1/ledger/entries?lot_id=${lot}&kind=waste`);
  assert.equal(entries.body.items.length, 0, 'no waste entry was written');
  assert.deepEqual(watch.problems(), []);
});

test('waste with a witness who re-enters their password is recorded with the witness', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  const dialog = await openWasteDialog(page);
  await dialog.getByLabel('Witness username').fill('demo.prescriber');
  await dialog.getByLabel('Witness password').fill(DEMO_PASSWORD);
  await dialog.getByRole('button', { name: 'Record waste' }).click();
  await page.getByText(/Waste recorded as entry #\d+, witnessed by demo\.prescriber/).waitFor();
  const row = page.getByRole('row').filter({ hasText: `wasted 5 mg from draw #${draw}` });
  await row.waitFor();
  assert.match(await row.innerText(), /demo\.prescriber/);
  // Nothing of the draw is left to waste, so its button is gone.
  await page.getByRole('button', { name: `Waste rest of #${draw}` }).waitFor({ state: 'detached' });
  // The draw is fully accounted for: 35 administered + 5 wasted = 40 drawn.
  const check = await apiSession(ui.server.baseUrl, 'demo.auditor');
  const entries = await check.get(`/api/v1/ledger/entries?lot_id=${lot}&kind=waste`);
  assert.equal(entries.body.items.length, 1);
  assert.deepEqual(entries.body.items[0].witnesses, ['demo.prescriber']);
  assert.deepEqual(await axeViolations(page), [], 'the lot page passes axe');
  assert.deepEqual(watch.problems(), []);
});

test('the count wizard and discrepancy cases pass axe, and a short count opens a case', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.nurse', DEMO_PASSWORD, '#/ledger');
  await page.getByRole('heading', { level: 1, name: 'Controlled substances' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the inventory passes axe');
  await page.getByRole('link', { name: 'Count stock' }).click();
  await page.getByRole('heading', { level: 1, name: 'Count stock' }).waitFor();
  await page.getByRole('button', { name: 'Next: enter counts' }).click();
  const lines = page.getByLabel('Found (mg)');
  const count = await lines.count();
  assert.ok(count >= 1);
  for (let i = 0; i < count; i++) await lines.nth(i).fill('1');
  assert.deepEqual(await axeViolations(page), [], 'the count entry step passes axe');
  await page.getByRole('button', { name: 'Next: review' }).click();
  await page.getByRole('button', { name: 'Record count' }).click();
  await page.getByText(/discrepancy case\(s\) opened/).waitFor();
  await page.getByRole('link', { name: 'Open discrepancy cases' }).click();
  await page.getByRole('heading', { level: 1, name: 'Discrepancy cases' }).waitFor();
  const reason = page.getByLabel('Reason').first();
  await reason.waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the discrepancy cases pass axe');
  await reason.fill('recount at shift change found the rest');
  await page.getByRole('button', { name: /Resolve case/ }).first().click();
  await page.waitForFunction((n) => document.querySelectorAll('form[aria-label^="Resolve case"]').length < n, count);
  assert.deepEqual(watch.problems(), []);
});
