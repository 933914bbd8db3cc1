// Browser test of the esketamine administration (docs/sessions.md "Esketamine devices"). The
// clinic publishes a protocol version whose rest between devices is 15 s (test data, so the test
// need not wait the cited 5 min). A patient 65 or over is ready; on the prescriber's screen the
// day-1 rule refuses 56 mg verbatim, then 56 mg (two devices) is ordered with an override and a
// reason, and the order shows the rule flagged unconfirmed with the override. At the chair the nurse sees "Devices given 0 of 2" (no Start button), records device 1,
// sees the countdown to the next device with the button disabled by the rest rule, waits for it to
// run out, picks the spray lot in the stock picker for device 2, records it and sees 2 of 2, both
// devices listed with the observer and device 2 with its ledger entry; the lot's balance is one
// device less; the page passes axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browserSuite, eventually, freshPage, signIn, TABLET, watchConsole } from '../support/browser.mjs';
import { loggedIn, unique } from '../support/ketachart.mjs';
import { publishEsketamineRest, READY, readyPatient } from '../support/session_setup.mjs';

const ESK = 'intranasal-esketamine';
const ui = browserSuite({ browsers: { tablet: TABLET, desk: {} } });

/**
 * A lot of two esketamine nasal spray devices in the ledger, 28 mg esketamine each (Spravato PI
 * §11, as in clinical-reference.md); the 0.2 mL fill (so 140 mg/mL) is test data.
 */
async function sprayStock() {
  const admin = await loggedIn(ui.server, 'demo.admin');
  const nurse = await loggedIn(ui.server, 'demo.nurse');
  const tag = unique().slice(0, 4).toUpperCase();
  const drug = `Esketamine nasal spray ${tag}`;
  const product = await admin.post('/api/v1/ledger/products', {
    drug_name: drug, finished_form: 'nasal spray device', strength_mg_per_ml: '140', container_volume_ml: '0.2',
    ndc: `${String(Number.parseInt(unique(), 16) % 100000).padStart(5, '0')}-001-02`,
  });
  assert.equal(product.status, 201, product.text);
  const location = await admin.post('/api/v1/ledger/locations', { name: `Spray cabinet ${tag}` });
  assert.equal(location.status, 201, location.text);
  const lotNumber = `ESK-${tag}`;
  const received = await nurse.post('/api/v1/ledger/entries', {
    kind: 'receive', product_id: product.json.id, lot_number: lotNumber, expiry_date: '2099-03-31',
    location_id: location.json.id, containers: 2, supplier_name: 'Acme', supplier_address: '1 Depot Rd',
    supplier_dea_number: 'RA1234563', invoice_number: `E-${tag}`,
  });
  assert.equal(received.status, 201, received.text);
  return { drug, lotNumber, lotId: received.json.lot_id, locationId: location.json.id, location: location.json.name };
}

test('the nurse records two esketamine devices and sees the countdown; the day-1 rule and its override', async () => {
  await publishEsketamineRest(ui.server, 15);
  const ready = await readyPatient(ui.server, { protocol: ESK, patient: { birth_date: '1950-06-01' } });
  const today = new Date().toISOString().slice(0, 10);
  assert.equal((await ready.nurse.post(`/api/v1/patients/${ready.patientId}/rems`, { status: 'enrolled', rems_patient_id: 'RP-B1', effective_on: today })).status, 201);
  const checkIn = await ready.nurse.post('/api/v1/sessions', { course_id: ready.courseId, chair: 'Room 4' });
  assert.equal(checkIn.status, 201, checkIn.text);
  const id = checkIn.json.id;
  const readiness = await ready.nurse.post(`/api/v1/sessions/${id}/readiness`, READY);
  assert.equal(readiness.json.readiness.passed, true, readiness.text);
  const spray = await sprayStock();

  // The prescriber orders: 56 mg is refused by the day-1 rule for 65 and over, then given with an override.
  const page = await freshPage(ui.desk.context);
  const console = watchConsole(page);
  console.allowStatus(409, '/api/v1/sessions/');
  await signIn(page, ui.server.baseUrl, 'demo.prescriber', undefined, `#/sessions/${id}`);
  const order = page.getByRole('form', { name: 'Dose order' });
  await order.getByLabel('Dose (mg)').fill('56');
  await order.getByRole('button', { name: 'Order dose' }).click();
  await order.getByText(/56 mg is above the day-1 dose of 28 mg for a patient aged \d+ \(65 and over\) \(first_dose_65_and_over.*unconfirmed: check the US label/).waitFor();
  await order.getByLabel('Override rule').selectOption('first_dose_65_and_over');
  await order.getByLabel('Override reason').fill('tolerated 56 mg in a previous course');
  await order.getByRole('button', { name: 'Order dose' }).click();
  const rule = page.getByTestId('first-dose-rule');
  await rule.waitFor();
  const ruleText = await rule.innerText();
  assert.match(ruleText, /at most 28 mg for 65 and over/);
  assert.match(ruleText, /unconfirmed: check the US label/);
  assert.match(ruleText, /overridden by demo\.prescriber: tolerated 56 mg in a previous course/);
  assert.deepEqual(console.problems(), []);

  // At the chair.
  const chair = await freshPage(ui.tablet.context);
  const chairConsole = watchConsole(chair);
  await signIn(chair, ui.server.baseUrl, 'demo.nurse', undefined, `#/sessions/${id}`);
  const given = chair.getByTestId('devices-given');
  await given.waitFor();
  assert.match(await given.innerText(), /Devices given: 0 of 2/);
  assert.equal(await chair.getByRole('button', { name: 'Start dosing' }).count(), 0, 'a device dose starts with device 1');
  await chair.getByLabel('Observed by').fill('Maria Lindqvist, RN');
  await chair.getByRole('button', { name: 'Device 1 given' }).click();
  await eventually(async () => /Devices given: 1 of 2/.test(await given.innerText()), 'device 1 recorded');
  const countdown = chair.getByTestId('device-countdown');
  await countdown.waitFor();
  assert.match(await countdown.innerText(), /^0:1\d$/);
  const device2 = chair.getByRole('button', { name: 'Device 2 given' });
  assert.equal(await device2.isDisabled(), true);
  assert.match(await chair.locator('#device-rule').innerText(), /rest between devices \(0\.25 min\): 0:\d\d to go/);
  assert.equal(await chair.locator('[data-phase]').getAttribute('data-phase'), 'dosing');
  assert.deepEqual(await axeViolations(chair), []);
  // The countdown runs out (15 s) and the button is enabled.
  await eventually(async () => !(await device2.isDisabled()), 'device 2 allowed after the rest', 25_000);
  // Device 2 comes from a lot picked in the stock picker (in place of raw lot and location ids).
  const picker = chair.getByLabel('Stock (lot and location)');
  await picker.locator('option', { hasText: `lot ${spray.lotNumber}` }).waitFor({ state: 'attached' });
  assert.ok(
    (await picker.locator('option').allInnerTexts()).includes(`${spray.drug} 140 mg/mL · lot ${spray.lotNumber} · expires 2099-03-31 · ${spray.location} · 56 mg (0.4 mL)`),
  );
  await picker.selectOption(`${spray.lotId}:${spray.locationId}`);
  await device2.click();
  await eventually(async () => /Devices given: 2 of 2/.test(await given.innerText()), 'device 2 recorded');
  const list = await chair.locator('.devices__list').innerText();
  assert.match(list, /Device 1 at .*observed by Maria Lindqvist, RN$/m);
  assert.match(list, new RegExp(`Device 2 at .*observed by Maria Lindqvist, RN, ledger entry #\\d+ \\(lot ${spray.lotId}\\)`));
  const lot = await ready.nurse.get(`/api/v1/ledger/lots/${spray.lotId}`);
  assert.equal(lot.json.balances[0].balance_mg, '28', 'one 28 mg device left in the lot');
  assert.equal(lot.json.entries.items[0].kind, 'administer');
  assert.equal(lot.json.entries.items[0].patient_id, ready.patientId);
  assert.equal(await chair.getByTestId('device-countdown').count(), 0);
  assert.deepEqual(chairConsole.problems(), []);
});
