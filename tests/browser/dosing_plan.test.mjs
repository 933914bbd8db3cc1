// Browser test of the dosing-plan page: from the patient chart a nurse opens "Dosing plan",
// sees the latest recorded weight with its date, predicts 0.5 mg/kg over 40 min with Domino
// and gets the chart with the 100-250 ng/mL band shaded and the predicted peak (about
// 240 ng/mL at 40 min for 70 kg, clinical-reference.md A4); a patient without a weight is
// told to record one first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession } from '../support/api.mjs';
import { browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { samplePatient } from '../support/ketachart.mjs';

const ui = browserSuite();

async function createPatient(weight) {
  const api = await apiSession(ui.server.baseUrl, 'demo.nurse');
  const created = await api.send('POST', '/api/v1/patients', samplePatient({ family_name: 'Dosewell' }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  if (weight) {
    const m = await api.send('POST', `/api/v1/patients/${created.body.id}/measurements`,
      { kind: 'weight', weight_kg: weight, measured_on: '2024-03-01' });
    assert.equal(m.status, 201, JSON.stringify(m.body));
  }
  return created.body.id;
}

test('the dosing plan charts the prediction for the latest weight with the band shaded', async () => {
  const id = await createPatient(70);
  const page = await freshPage(ui.browser.context);
  const watcher = watchConsole(page);
  {
    await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, `#/patients/${id}`);
    await page.getByRole('link', { name: 'Dosing plan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dosing plan' }).waitFor();
    await page.getByText('70 kg').first().waitFor();
    assert.match(await page.locator('main').innerText(), /recorded on 2024-03-01/);
    assert.equal(await page.getByLabel('Dose (mg/kg)').inputValue(), '0.5');
    await page.getByRole('button', { name: 'Predict concentration' }).click();
    const status = page.getByRole('status').filter({ hasText: 'peak' });
    await status.waitFor();
    assert.match(await status.innerText(), /35\.0 mg over 40 min .* peak 240 ng\/mL at 40 min/);
    const chart = page.getByRole('img', { name: /Predicted plasma concentration/ });
    await chart.waitFor();
    assert.equal(await page.locator('svg .dissociation-band').count(), 1);
    const band = await page.locator('svg .dissociation-band').boundingBox();
    assert.ok(band && band.height > 20 && band.width > 200, JSON.stringify(band));
    const points = (await page.locator('svg .concentration-curve').getAttribute('points')).trim().split(' ');
    assert.equal(points.length, 241);
    assert.deepEqual(watcher.problems(), []);
  }
});

test('a patient without a recorded weight is asked for one', async () => {
  const id = await createPatient(null);
  const page = await freshPage(ui.browser.context);
  {
    await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, `#/patients/${id}/dosing-plan`);
    await page.getByRole('alert').filter({ hasText: 'No weight is recorded' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Predict concentration' }).count(), 0);
  }
});
