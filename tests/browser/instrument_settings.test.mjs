// Browser test of the Instrument settings page: an administrator opens it from the navigation,
// sees the PCL-5 cut-off with its default 33, the allowed range 31–33 and the data file's
// citation; saving without a reason is refused next to the reason field; with a reason the
// cut-off becomes 31 (version 1, in the history with the reason); a nurse's PCL-5 of 32 then
// meets the cut-off. The page has no axe-core WCAG 2.1 A/AA violations, and a nurse has no
// navigation entry for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { apiSession } from '../support/api.mjs';

const ui = browserSuite();

test('an admin changes the PCL-5 cut-off with a reason and new measures are scored with it', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instrument settings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Instrument settings' }).waitFor();

  const card = page.getByRole('region', { name: 'PTSD Checklist for DSM-5 (PCL-5)', exact: true });
  await card.waitFor();
  const row = card.getByRole('row').filter({ hasText: 'Provisional PTSD' });
  const cells = await row.getByRole('cell').allInnerTexts();
  assert.equal(cells[0], '33');
  assert.equal(cells[1], '31–33');
  assert.match(cells[2], /clinical-reference\.md D1/);
  assert.match(cells[3], /33 \(default\)/);
  assert.match(await card.innerText(), /the data file's defaults/);
  assert.deepEqual(await axeViolations(page), []);

  const cutoff = card.getByLabel(/Provisional PTSD/);
  assert.deepEqual(await cutoff.locator('option').allInnerTexts(), ['31', '32', '33 (default)']);
  await cutoff.selectOption('31');
  await card.getByRole('button', { name: 'Save version 1' }).click();
  await card.getByText('Give the reason for the change.').waitFor();

  await card.getByLabel('Reason for the change').fill('Trauma service: the lower end of the cited range');
  await card.getByRole('button', { name: 'Save version 1' }).click();
  await page.getByText(/\(PCL-5\) settings version 1 saved\. New measures are scored with it/).waitFor();
  await card.getByText(/In force: version 1, saved by demo\.admin/).waitFor();
  assert.match((await row.getByRole('cell').allInnerTexts())[3], /^31$/);
  await card.getByText('History (1 versions)').click();
  await card.getByRole('listitem').filter({ hasText: 'Version 1' }).filter({ hasText: 'Trauma service: the lower end of the cited range' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);

  const nurse = await apiSession(ui.server.baseUrl, 'demo.nurse');
  const patient = (await nurse.get('/api/v1/patients?limit=1')).body.items[0];
  const measure = await nurse.send('POST', `/api/v1/patients/${patient.id}/measures`, {
    instrument: 'pcl5',
    answers: [...Array(16).fill(2), ...Array(4).fill(0)],
  });
  assert.equal(measure.body.total, 32);
  assert.equal(measure.body.score.cutoffs.provisional_ptsd, true, '32 meets the 31 cut-off');
  assert.equal(measure.body.instrument_settings.version, 1);
  assert.deepEqual(watch.problems(), []);
});

test('a nurse has no Instrument settings entry in the navigation', async () => {
  const page = await freshPage(ui.browser.context);
  await signIn(page, ui.server.baseUrl, 'demo.nurse');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Alerts', exact: true }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Instrument settings' }).count(), 0);
});
