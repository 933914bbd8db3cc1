// Browser test of the trajectory chart, measure schedules and the overdue page: a patient with
// three PHQ-9s (baseline 20, then 9 = response, then 4 = remission) shows a uPlot chart for the
// PHQ-9 with three points and the response/remission count in its summary, the table and CSV
// export stay; a GAD-7 every 7 days from 30 days ago shows as overdue in the chart's schedules
// and on the clinic's "Overdue measures" page; a nurse adds and stops a schedule in the chart;
// the Alerts page has a Mine / All toggle.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { apiSession } from '../support/api.mjs';

const ui = browserSuite();
const DAY_MS = 24 * 60 * 60 * 1000;

const daysAgo = (n) => new Date(Date.now() - n * DAY_MS).toISOString();

test('the chart draws the PHQ-9 trajectory and the overdue page lists the overdue GAD-7', async () => {
  const desk = await apiSession(ui.server.baseUrl, 'demo.frontdesk');
  const nurse = await apiSession(ui.server.baseUrl, 'demo.nurse');
  const created = await desk.send('POST', '/api/v1/patients', { family_name: 'Trajectoria', given_names: 'Uma', birth_date: '1980-05-05', sex: 'female' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const phq9 = [
    [[3, 3, 3, 2, 2, 2, 2, 3, 0], daysAgo(21)], // 20, the baseline
    [[1, 1, 1, 1, 1, 1, 1, 2, 0], daysAgo(14)], // 9: ≥ 50 % below 20 (response)
    [[1, 1, 1, 1, 0, 0, 0, 0, 0], daysAgo(7)], // 4: response and remission (PHQ-9 < 5)
  ];
  for (const [answers, at] of phq9) {
    const entered = await nurse.send('POST', `/api/v1/patients/${id}/measures`, { instrument: 'phq9', answers, administered_at: at });
    assert.equal(entered.status, 201, JSON.stringify(entered.body));
  }
  const today = (await nurse.get(`/api/v1/patients/${id}/measure-due`)).body.today;
  const start = new Date(Date.parse(`${today}T00:00:00Z`) - 30 * DAY_MS).toISOString().slice(0, 10);
  const schedule = await nurse.send('POST', `/api/v1/patients/${id}/measure-schedules`, { instrument: 'gad7', kind: 'every_n_days', interval_days: 7, start_date: start });
  assert.equal(schedule.status, 201, JSON.stringify(schedule.body));

  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, `#/patients/${id}`);
  await page.getByRole('heading', { name: 'Trajectory' }).waitFor();
  const figure = page.locator('figure[data-instrument="phq9"]');
  await figure.locator('.uplot canvas').first().waitFor();
  assert.equal(await figure.locator('.trajectory__summary').getAttribute('data-points'), '3');
  const summary = await figure.locator('.trajectory__summary').innerText();
  assert.match(summary, /3 measures, latest total 4, baseline 20, 2 with response, 1 in remission, 0 treatment sessions/);
  // uPlot's legend names the series.
  assert.match(await figure.locator('.u-legend').innerText(), /PHQ-9/);
  // The table and CSV export stay.
  assert.equal(await page.locator('tbody tr').filter({ hasText: 'phq9' }).count(), 3);
  await page.getByRole('button', { name: 'Export CSV' }).waitFor();

  const overdueItem = page.locator('li[data-status="overdue"]').first();
  await overdueItem.waitFor();
  assert.match(await overdueItem.innerText(), /overdue by 2 days/);
  await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0);
  assert.deepEqual(await axeViolations(page), [], 'the chart with its trajectory and schedules passes axe');

  // Add a schedule through the form, then stop it with a reason.
  await page.getByLabel('Measure to schedule').selectOption({ value: 'phq9' });
  await page.getByLabel('Falls due').selectOption({ value: 'n_days_after_each_session' });
  await page.getByLabel('N (days)').fill('1');
  await page.getByRole('button', { name: 'Add schedule' }).click();
  const list = page.getByRole('list', { name: 'Active measure schedules' });
  await list.getByText('1 day after each session').waitFor();
  const added = (await nurse.get(`/api/v1/patients/${id}/measure-schedules`)).body.items.find((s) => s.kind === 'n_days_after_each_session');
  const stopForm = page.getByRole('form', { name: `Stop schedule ${added.id}` });
  await stopForm.getByRole('button', { name: 'Stop schedule' }).click();
  await stopForm.getByText('Give the reason for stopping.').waitFor();
  await stopForm.getByLabel('Reason for stopping').fill('entered by mistake');
  await stopForm.getByRole('button', { name: 'Stop schedule' }).click();
  await page.getByText('Stopped schedules (1)').waitFor();
  assert.deepEqual(watch.problems(), []);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overdue measures' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overdue measures' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: 'Trajectoria' });
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /gad7/);
  assert.match(text, /every 7 days from/);
  assert.match(text, /\b2\b/);
  assert.deepEqual(await axeViolations(page), [], 'the overdue page passes axe');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
  await page.getByRole('heading', { level: 1, name: 'Safety alerts' }).waitFor();
  await page.getByRole('button', { name: 'Mine' }).click();
  await page.getByText('No open safety alerts for your patients.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Mine' }).getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', { name: 'All' }).click();
  assert.deepEqual(watch.problems(), []);
});
