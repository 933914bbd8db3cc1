// Browser test of the chart's Integration section (docs/sessions.md). A patient has a past IV
// session (checked in, dosed and discharged through the API) and three PHQ-9 totals that lose
// the response. The therapist opens the chart, writes a SOAP note linked to that session (the
// empty Plan is refused by the server and its error shown next to Plan), and sees it listed with
// its session, format and signature; the page passes axe. The prescriber sees the same note, the
// care summary (the session with one integration note, the latest PHQ-9, the loss-of-response
// signal with its reason), writes a correction (a new note naming the first, which stays as
// signed and says it was corrected), and the page passes axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { letters, loggedIn } from '../support/ketachart.mjs';
import { READY, readyPatient } from '../support/session_setup.mjs';

const ui = browserSuite();

/** A patient with one discharged IV session and PHQ-9 totals 18, 8, 12 (response lost). */
async function patientWithPastSession() {
  const familyName = `Integration${letters(8)}`;
  const { patientId, courseId, nurse, prescriber } = await readyPatient(ui.server, { patient: { family_name: familyName } });
  const checkIn = await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Chair 5' });
  assert.equal(checkIn.status, 201, checkIn.text);
  const id = checkIn.json.id;
  const event = async (body) => {
    const answer = await nurse.post(`/api/v1/sessions/${id}/events`, body);
    assert.equal(answer.status, 201, answer.text);
    return answer.json;
  };
  assert.equal((await nurse.post(`/api/v1/sessions/${id}/readiness`, READY)).json.readiness.passed, true);
  const order = await prescriber.post(`/api/v1/sessions/${id}/dose-order`, { dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 10, duration_min: 40 });
  assert.equal(order.status, 201, order.text);
  await event({ kind: 'start' });
  await event({ kind: 'stop' });
  await event({ kind: 'vitals', systolic_mmhg: 128, diastolic_mmhg: 80 });
  await event({ kind: 'score', instrument: 'aldrete', answers: [2, 2, 2, 2, 1] });
  await event({ kind: 'ready_for_discharge' });
  assert.equal((await event({ kind: 'discharge', instructions_given: true })).phase, 'discharged');
  for (const answers of [[3, 3, 2, 2, 2, 2, 2, 2, 0], [1, 1, 1, 1, 1, 1, 1, 1, 0], [2, 2, 1, 1, 1, 1, 2, 2, 0]]) {
    const measure = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'phq9', answers });
    assert.equal(measure.status, 201, measure.text);
  }
  return { patientId, sessionId: id, familyName };
}

test('a therapist writes a SOAP note on a past session; the prescriber sees it and the care summary, and corrects it', async () => {
  const { patientId, sessionId, familyName } = await patientWithPastSession();
  const notesPath = `/api/v1/patients/${patientId}/integration-notes`;

  // The therapist.
  let page = await freshPage(ui.browser.context);
  let consoleWatch = watchConsole(page);
  consoleWatch.allowStatus(400, notesPath);
  await signIn(page, ui.server.baseUrl, 'demo.therapist');
  await page.goto(`${ui.server.baseUrl}/#/patients/${patientId}`);
  await page.getByRole('heading', { level: 1, name: new RegExp(familyName) }).waitFor();
  let section = page.getByRole('region', { name: 'Integration', exact: true });
  await section.getByRole('heading', { name: 'Care summary' }).waitFor();
  assert.equal(await section.getByText('No integration notes yet.').count(), 1);
  await section.locator('#f-session_id').selectOption(String(sessionId));
  assert.equal(await section.locator('#f-format').inputValue(), 'soap');
  await section.locator('#f-fields-subjective').fill('Felt “lighter”, recalled a childhood scene');
  await section.locator('#f-fields-objective').fill('Calm, good eye contact, affect brighter');
  await section.locator('#f-fields-assessment').fill('Early processing of grief; no safety concerns');
  await section.locator('#f-homework').fill('Three-line journal each evening');
  await section.locator('#f-coping_plan').fill('Breathing 4-7-8; call sister');
  await section.getByRole('button', { name: 'Sign note' }).click();
  // The empty Plan is refused by the server, shown next to Plan; nothing is listed.
  await section.locator('#f-fields-plan-error').waitFor();
  assert.equal(await section.locator('#f-fields-plan-error').textContent(), 'must not be empty');
  assert.equal(await section.locator('#f-fields-plan').getAttribute('aria-invalid'), 'true');
  assert.equal(await section.getByText('No integration notes yet.').count(), 1);
  await section.locator('#f-fields-plan').fill('Continue weekly integration; review journal next visit');
  await section.getByRole('button', { name: 'Sign note' }).click();
  const first = section.getByRole('article', { name: new RegExp(`^Note \\d+: SOAP on session ${sessionId}\\b`) });
  await first.waitFor();
  const firstTitle = await first.getByRole('heading').textContent();
  const noteId = Number(/^Note (\d+)/.exec(firstTitle)[1]);
  await section.getByText(`Note ${noteId} signed by demo.therapist.`).waitFor();
  const firstText = await first.textContent();
  assert.match(firstText, /Signed by demo\.therapist on/);
  assert.match(firstText, /Early processing of grief/);
  assert.match(firstText, /Three-line journal each evening/);
  assert.match(firstText, /Breathing 4-7-8; call sister/);
  assert.equal(await section.locator('#f-fields-plan-error').count(), 0);
  assert.equal(await section.locator('#f-fields-subjective').inputValue(), '', 'the form is cleared after signing');
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(consoleWatch.problems(), []);

  // The prescriber sees the same note and the care summary.
  page = await freshPage(ui.browser.context);
  consoleWatch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.prescriber');
  await page.goto(`${ui.server.baseUrl}/#/patients/${patientId}`);
  section = page.getByRole('region', { name: 'Integration', exact: true });
  const noteArticle = section.getByRole('article', { name: `Note ${noteId}: SOAP on session ${sessionId}`, exact: false });
  await noteArticle.waitFor();
  assert.match(await noteArticle.textContent(), /Signed by demo\.therapist on .*Felt “lighter”/);
  const signals = section.getByRole('status', { name: 'Booster signals' });
  const signalText = await signals.textContent();
  assert.match(signalText, /Booster signal \(a booster is suggested only while a course is in maintenance\)/);
  assert.match(signalText, /Loss of response: Patient Health Questionnaire-9 \(PHQ-9\) 12 on \d{4}-\d{2}-\d{2}: response lost \(baseline 18/);
  const sessionRow = section.getByRole('table', { name: 'Dosing sessions' }).getByRole('row', { name: new RegExp(`^Session ${sessionId}\\b`) });
  const cells = await sessionRow.getByRole('cell').allTextContents();
  assert.equal(cells[2], 'Chair 5');
  assert.equal(cells[3], 'discharged');
  assert.equal(cells[5], '1');
  const phq = await section.getByRole('table', { name: 'Latest measures' }).getByRole('row', { name: /PHQ-9/ }).getByRole('cell').allTextContents();
  assert.equal(phq[1], '12');

  // A correction is a new note naming the first; the first stays as signed.
  await noteArticle.getByRole('button', { name: `Write a correction to note ${noteId}` }).click();
  await section.getByRole('heading', { name: `Correct note ${noteId}` }).waitFor();
  assert.equal(await section.locator('#f-fields-assessment').inputValue(), 'Early processing of grief; no safety concerns');
  await section.locator('#f-homework').fill('Journal twice a week');
  await section.getByRole('button', { name: 'Sign correction' }).click();
  // The list is read again after the message shows: wait for the correction's own article.
  const signed = section.getByText(/^Note \d+ signed by demo\.prescriber\.$/);
  await signed.waitFor();
  const correctionId = /^Note (\d+)/.exec(await signed.textContent())[1];
  const correction = section.getByRole('article', { name: new RegExp(`^Note ${correctionId}: SOAP on session ${sessionId}`) });
  await correction.waitFor();
  const correctionText = await correction.textContent();
  assert.match(correctionText, new RegExp(`Signed by demo\\.prescriber on .* · corrects note ${noteId}`));
  assert.match(correctionText, /Journal twice a week/);
  const original = await section.getByRole('article', { name: new RegExp(`^Note ${noteId}:`) }).textContent();
  assert.match(original, /Corrected by note \d+; this note is kept as it was signed\./);
  assert.match(original, /Three-line journal each evening/);
  const titles = await section.getByRole('list', { name: 'Integration notes' }).getByRole('heading').allTextContents();
  assert.equal(titles.length, 2);
  assert.ok(Number(/^Note (\d+)/.exec(titles[0])[1]) > noteId, `newest first: ${titles}`);
  // The API agrees: two notes, the second amending the first.
  const api = await loggedIn(ui.server, 'demo.therapist');
  const summary = await api.get(`/api/v1/patients/${patientId}/care-summary`);
  assert.deepEqual(summary.json.integration_notes.map((n) => n.amends_id), [noteId, null]);
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(consoleWatch.problems(), []);
});
