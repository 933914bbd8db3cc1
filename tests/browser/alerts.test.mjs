// Browser test of measures and the safety-alert dashboard: a nurse enters a PHQ-9 with item 9
// positive through the chart's form and sees it scored with the alert raised; the therapist sees the urgent alert with the
// patient's name on the Alerts page, cannot acknowledge without an action note, acknowledges
// with one, and the alert leaves the open list (it stays in the record, acknowledged).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { apiSession } from '../support/api.mjs';

const ui = browserSuite();

test('a PHQ-9 entered in the chart with item 9 positive is on the Alerts page until acknowledged', async () => {
  const nurse = await apiSession(ui.server.baseUrl, 'demo.nurse');
  const patient = (await nurse.get('/api/v1/patients?limit=1')).body.items[0];

  const chart = await freshPage(ui.browser.context);
  const chartWatch = watchConsole(chart);
  await signIn(chart, ui.server.baseUrl, 'demo.nurse', undefined, `#/patients/${patient.id}`);
  await chart.getByRole('heading', { name: 'Rating-scale measures' }).waitFor();
  await chart.getByLabel('Instrument').selectOption({ label: 'Patient Health Questionnaire-9 (PHQ-9)' });
  const answers = [1, 1, 1, 1, 0, 0, 0, 0, 2];
  for (let i = 0; i < answers.length; i += 1) {
    await chart.locator(`#measure-item-${i}`).selectOption(String(answers[i]));
  }
  assert.match(await chart.locator('label[for="measure-item-8"]').innerText(), /^9\. Thoughts that you would be better off dead/);
  await chart.getByRole('button', { name: 'Save measure' }).click();
  await chart.getByText('Measure saved. Safety alert raised: phq9_item9_positive.').waitFor();
  const row = chart.locator('tbody tr').filter({ hasText: 'phq9_item9_positive' }).first();
  await row.waitFor();
  assert.match(await row.innerText(), /phq9\s+6\s+Mild/);
  assert.deepEqual(chartWatch.problems(), []);
  const alertId = (await nurse.get('/api/v1/measure-alerts')).body.items.find((a) => a.patient.id === patient.id).id;

  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.therapist');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
  await page.getByRole('heading', { level: 1, name: 'Safety alerts' }).waitFor();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('form', { name: `Acknowledge alert ${alertId}` }) });
  await item.waitFor();
  const text = await item.innerText();
  assert.match(text, /Urgent: PHQ-9 item 9 above 0/);
  assert.ok(text.includes(`${patient.family_name}, ${patient.given_names}`), text);

  await item.getByRole('button', { name: 'Acknowledge' }).click();
  await item.getByText('Describe the action taken before acknowledging.').waitFor();
  assert.equal((await nurse.get('/api/v1/measure-alerts')).body.items.some((a) => a.id === alertId), true, 'still open');

  await item.getByLabel('Action taken').fill('Phoned the patient within the hour; safety plan reviewed; no intent.');
  await item.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByText(`Alert acknowledged for ${patient.family_name}, ${patient.given_names}.`).waitFor();
  await page.getByRole('form', { name: `Acknowledge alert ${alertId}` }).waitFor({ state: 'detached' });

  const all = (await nurse.get('/api/v1/measure-alerts?status=all')).body.items;
  const stored = all.find((a) => a.id === alertId);
  assert.equal(stored.acknowledged.by, 'demo.therapist');
  assert.match(stored.acknowledged.action_note, /^Phoned the patient/);
  assert.deepEqual(watch.problems(), []);
});

test('front desk has no Alerts page', async () => {
  const page = await freshPage(ui.browser.context);
  await signIn(page, ui.server.baseUrl, 'demo.frontdesk');
  const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
  assert.ok(!nav.includes('Alerts'), nav.join());
});
