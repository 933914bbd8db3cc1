// Browser test of the self-report scenario: a nurse creates a single-use PHQ-9 link in
// the chart; the patient opens it in a fresh browser (no account) on a phone-sized screen,
// answers with item 9 positive and sends; the link cannot be used again; the therapist sees the
// urgent alert on the Alerts page and acknowledges it with an action note.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSuite, freshPage, openBrowser, signIn, watchConsole } from '../support/browser.mjs';
import { apiSession } from '../support/api.mjs';

const ui = browserSuite();

test('a patient completes a PHQ-9 through a link with item 9 positive; the clinician acknowledges the alert', async () => {
  const nurseApi = await apiSession(ui.server.baseUrl, 'demo.nurse');
  const patient = (await nurseApi.get('/api/v1/patients?limit=1')).body.items[0];

  const staff = await freshPage(ui.browser.context);
  const staffWatch = watchConsole(staff);
  await signIn(staff, ui.server.baseUrl, 'demo.nurse', undefined, `#/patients/${patient.id}`);
  await staff.getByRole('heading', { name: 'Send a self-report link' }).waitFor();
  await staff.getByLabel('Questionnaire for the patient').selectOption({ label: 'Patient Health Questionnaire-9 (PHQ-9)' });
  await staff.getByRole('button', { name: 'Create link' }).click();
  const link = (await staff.locator('code.self-report-link').innerText()).trim();
  assert.match(link, /\/#\/self-report\/[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(staffWatch.problems(), []);

  // The patient: a separate browser (no cookies of the staff's), a phone-sized screen.
  const phoneBrowser = await openBrowser({ viewport: { width: 390, height: 844 } });
  try {
    const phone = await phoneBrowser.context.newPage();
    const phoneWatch = watchConsole(phone);
    await phone.goto(link);
    await phone.getByRole('heading', { level: 1, name: 'Patient Health Questionnaire-9 (PHQ-9)' }).waitFor();
    assert.ok(!(await phone.locator('main').innerText()).includes(patient.family_name), 'no patient data on the form');
    await phone.getByRole('button', { name: 'Send answers' }).click();
    await phone.getByText('Please choose an answer.').first().waitFor();
    const answers = ['Several days', 'Several days', 'Not at all', 'Not at all', 'Not at all', 'Not at all', 'Not at all', 'Not at all', 'Several days'];
    const groups = phone.getByRole('group');
    for (let i = 0; i < answers.length; i += 1) {
      await groups.nth(i).getByLabel(answers[i], { exact: true }).check();
    }
    assert.match(await groups.nth(8).locator('legend').innerText(), /Thoughts that you would be better off dead/);
    await phone.getByRole('button', { name: 'Send answers' }).click();
    await phone.getByRole('heading', { name: 'Thank you' }).waitFor();
    assert.deepEqual(phoneWatch.problems(), []);

    const again = await phoneBrowser.context.newPage();
    await again.goto(link);
    await again.getByText('This link was already used. Please ask your clinic for a new link.').waitFor();
  } finally {
    await phoneBrowser.close();
  }

  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.therapist', undefined, '#/alerts');
  await page.getByRole('heading', { level: 1, name: 'Safety alerts' }).waitFor();
  const item = page.getByRole('listitem').filter({ hasText: `${patient.family_name}, ${patient.given_names}` }).filter({ hasText: 'PHQ-9 item 9' }).first();
  await item.waitFor();
  await item.getByLabel('Action taken').fill('Called the patient the same day; safety plan agreed; next session brought forward.');
  await item.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByText(`Alert acknowledged for ${patient.family_name}, ${patient.given_names}.`).waitFor();
  const stored = (await nurseApi.get('/api/v1/measure-alerts?status=all')).body.items.filter((a) => a.patient.id === patient.id);
  assert.ok(stored.some((a) => a.acknowledged?.by === 'demo.therapist' && a.code === 'phq9_item9_positive'));
  assert.deepEqual(watch.problems(), []);
});
