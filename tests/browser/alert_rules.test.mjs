// Browser test of the Alert rules page: an administrator creates "GAD-7 total ≥ 15 → urgent"
// (a threshold outside the GAD-7 range is refused with the server's message next to the N
// field, an unknown condition is impossible from the form), a nurse's GAD-7 of 16 raises the
// rule's alert, and retiring the rule with a reason moves it to the retired list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { apiSession } from '../support/api.mjs';

const ui = browserSuite();

test('an admin creates a GAD-7 rule on the Alert rules page, it fires, and is retired', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  watch.allowStatus(400, '/api/v1/alert-rules'); // the refused threshold, shown next to its field
  await signIn(page, ui.server.baseUrl, 'demo.admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alert rules' }).click();
  await page.getByRole('heading', { level: 1, name: 'Alert rules' }).waitFor();
  await page.getByText('No active rules.').waitFor();

  await page.getByLabel('Instrument').selectOption('gad7');
  await page.getByLabel('Condition').selectOption('total_at_least');
  await page.getByLabel('N', { exact: true }).fill('22');
  await page.getByLabel('Severity').selectOption('urgent');
  await page.getByLabel('Alert text').fill('GAD-7 severe: call today');
  await page.getByRole('button', { name: 'Create rule' }).click();
  await page.locator('#rule-threshold-error').getByText(/total range 0–21/).waitFor();

  await page.getByLabel('N', { exact: true }).fill('15');
  await page.getByRole('button', { name: 'Create rule' }).click();
  const rule = page.getByRole('listitem').filter({ hasText: 'GAD-7' }).filter({ hasText: 'total ≥ 15' });
  await rule.waitFor();
  assert.match(await rule.innerText(), /urgent: “GAD-7 severe: call today”/);

  const nurse = await apiSession(ui.server.baseUrl, 'demo.nurse');
  const patient = (await nurse.get('/api/v1/patients?limit=1')).body.items[0];
  const measure = await nurse.send('POST', `/api/v1/patients/${patient.id}/measures`, { instrument: 'gad7', answers: [3, 3, 3, 3, 3, 1, 0] });
  assert.equal(measure.body.alerts.length, 1);
  assert.equal(measure.body.alerts[0].display, 'GAD-7 severe: call today');

  await rule.getByRole('button', { name: 'Retire rule' }).click();
  await rule.getByText('Give the reason for retiring the rule.').waitFor();
  await rule.getByLabel('Reason for retiring').fill('Replaced by the new protocol');
  await rule.getByRole('button', { name: 'Retire rule' }).click();
  await page.getByText('No active rules.').waitFor();
  await page.getByText('Retired rules (1)').click();
  await page.getByText(/Replaced by the new protocol/).waitFor();
  assert.deepEqual(watch.problems(), []);
});
