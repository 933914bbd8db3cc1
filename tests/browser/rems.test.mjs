// Browser test of the esketamine REMS UI (docs/sessions.md "Esketamine REMS"). The clinic
// first publishes a version of the esketamine protocol whose observation before discharge is
// 1 minute instead of the label's 2 hours, so a session can be run to discharge within the test
// (the server's own clock: events cannot be dated before the check-in). On an esketamine session
// the "REMS form" tab shows the patient not enrolled and records the enrolment (refused without
// the REMS patient ID); once dosing started (84 mg ordered with the day-1 override, device 1 given, MOAA/S 5, CADSS 0, SpO2 97 %) the tracker
// lists the form as due with 7 days left and the patient enrolled, and the tab shows the values
// pre-filled so far, submitted only after discharge. After discharge the tab shows the dose and
// the total monitoring minutes of the session; submitting with questions open marks each of
// them, then the submission shows with its confirmation; a correction needs a reason and is
// listed with it, the first submission kept. The tracker then shows the form as submitted and
// links to its session; the PDF endpoint answers application/pdf; the tab and the tracker pass axe.
// With $KETACHART_TEST_PG_URL set the server runs on a fresh PostgreSQL database, else on SQLite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { createPgDatabase, loggedIn } from '../support/ketachart.mjs';
import { READY, readyPatient } from '../support/session_setup.mjs';

const ESKETAMINE = 'intranasal-esketamine';
const OBSERVATION_MS = 60_000;

let database;
const ui = browserSuite({
  server: async () => {
    const cluster = process.env.KETACHART_TEST_PG_URL;
    if (cluster) database = await createPgDatabase(cluster, 'kc_rems_ui');
    return database ? { database: database.url } : {};
  },
  browsers: { browser: { viewport: { width: 1024, height: 900 } } },
  setUp: publishShortObservation,
  tearDown: async () => database?.drop(),
});

/**
 * A clinic protocol version with a 1-minute observation (test set-up only; the shipped
 * version keeps the Spravato label's 2 hours).
 */
async function publishShortObservation() {
  const admin = await loggedIn(ui.server, 'demo.admin');
  const active = await admin.get(`/api/v1/protocols/${ESKETAMINE}`);
  assert.equal(active.status, 200, active.text);
  const document = structuredClone(active.json.protocol);
  document.version = active.json.version + 1;
  const limit = document.discharge.limits.find((l) => l.id === 'observation_min_discharge');
  Object.assign(limit, { value: 1, unit: 'min' });
  const published = await admin.post(`/api/v1/protocols/${ESKETAMINE}/versions`, {
    document, change_reason: 'browser test: a 1-minute observation so a session reaches discharge',
  });
  assert.equal(published.status, 201, published.text);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const tab = (page, name) => page.getByRole('tablist', { name: 'Session views' }).getByRole('tab', { name, exact: true });

test('an esketamine session to discharge: enrolment, the pre-filled form, the 7-day tracker, submission, correction and PDF', async () => {
  const { patientId, courseId, nurse, prescriber } = await readyPatient(ui.server, { protocol: ESKETAMINE });
  const checkIn = await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Room 2' });
  assert.equal(checkIn.status, 201, checkIn.text);
  const id = checkIn.json.id;

  // The REMS tab of a session before readiness: not enrolled; the nurse records the enrolment.
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, `#/sessions/${id}`);
  await page.locator('.session-header [data-phase="checked_in"]').waitFor();
  await tab(page, 'REMS form').click();
  const enrolment = page.getByTestId('rems-enrolment');
  await enrolment.waitFor();
  assert.equal(await enrolment.innerText(), 'Not enrolled: the patient is not enrolled in the REMS programme (required before the first dose).');
  const enrol = page.getByRole('form', { name: 'Record REMS enrolment' });
  await enrol.getByRole('button', { name: 'Record enrolment' }).click();
  await enrol.locator('#rems-enrol-id-error').getByText('is required (the REMS patient identifier)').waitFor();
  await enrol.getByLabel('REMS patient ID').fill('RP-4242');
  await enrol.getByRole('button', { name: 'Record enrolment' }).click();
  await page.getByTestId('rems-enrolment').getByText(/^Enrolled: REMS patient ID RP-4242, since \d{4}-\d{2}-\d{2} \(recorded by demo\.nurse\)\.$/).waitFor();
  assert.equal((await nurse.get(`/api/v1/patients/${patientId}/rems`)).json.enrolled, true);
  assert.match(await page.getByRole('region', { name: 'Patient Monitoring Form' }).innerText(), /pre-filled from the session once dosing starts/);

  // The session runs at the chair (the checklist passes now that the patient is enrolled).
  const steps = [
    [nurse, `/api/v1/sessions/${id}/readiness`, READY],
    // 84 mg on the course's first dose is above the day-1 dose: ordered with the prescriber's override.
    [prescriber, `/api/v1/sessions/${id}/dose-order`, {
      dose_mg: 84, first_dose_override: { rule_id: 'first_dose_under_65', reason: 'continuing an 84 mg course from another clinic' },
    }],
    // The first device starts dosing.
    [nurse, `/api/v1/sessions/${id}/events`, { kind: 'device' }],
  ];
  for (const [client, path, body] of steps) {
    const r = await client.post(path, body);
    assert.equal(r.status, 201, `${path} ${r.text}`);
  }
  assert.equal((await nurse.get(`/api/v1/sessions/${id}`)).json.readiness.passed, true);
  const startedAt = Date.now();
  for (const body of [
    { kind: 'score', instrument: 'moaas', answers: [5] },
    { kind: 'score', instrument: 'cadss', answers: [0] },
    { kind: 'vitals', systolic_mmhg: 138, diastolic_mmhg: 84, heart_rate_bpm: 76, spo2_percent: 97 },
    { kind: 'stop' },
    { kind: 'vitals', systolic_mmhg: 128, diastolic_mmhg: 80, heart_rate_bpm: 72, spo2_percent: 98 },
  ]) {
    const r = await nurse.post(`/api/v1/sessions/${id}/events`, body);
    assert.equal(r.status, 201, `${body.kind} ${r.text}`);
  }

  // Dosed: the tracker lists the form as due, 7 days left, the patient enrolled.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'REMS tracker' }).click();
  await page.getByRole('heading', { level: 1, name: 'REMS tracker' }).waitFor();
  const dueRow = page.getByRole('table', { name: 'Forms due, most urgent first' }).locator(`tr[data-session="${id}"]`);
  await dueRow.waitFor();
  assert.match(await dueRow.innerText(), /Session #\d+[\s\S]*7 days left[\s\S]*Enrolled/);
  assert.deepEqual(await axeViolations(page), [], 'the tracker passes axe');

  // The row leads to the session; its REMS tab shows what is pre-filled so far, no form yet.
  await dueRow.getByRole('link', { name: `Session #${id}` }).click();
  await page.locator('.session-header [data-phase="recovery"]').waitFor();
  await tab(page, 'REMS form').click();
  const deadline = page.getByTestId('rems-deadline');
  await deadline.waitFor();
  assert.equal(await deadline.innerText(), '7 days left');
  await page.getByText('The form is submitted after discharge; these are the values pre-filled so far.').waitFor();
  const prefilled = page.locator('dl[aria-label="Pre-filled answers"]');
  assert.match(await prefilled.locator('[data-field="dose"]').innerText(), /^84 mg \(from the dose order\)$/);
  assert.match(await prefilled.locator('[data-field="total_minutes"]').innerText(), /^— \(to answer\)$/);
  assert.equal(await page.getByRole('form', { name: 'Patient Monitoring Form' }).count(), 0);
  assert.deepEqual(await axeViolations(page), [], 'the REMS tab passes axe');

  // Discharge once the (test) observation minimum has passed.
  await sleep(Math.max(0, startedAt + OBSERVATION_MS + 1_000 - Date.now()));
  for (const body of [{ kind: 'ready_for_discharge' }, { kind: 'discharge', instructions_given: true }]) {
    const r = await nurse.post(`/api/v1/sessions/${id}/events`, body);
    assert.equal(r.status, 201, `${body.kind} ${r.text}`);
  }
  const events = (await nurse.get(`/api/v1/sessions/${id}`)).json.events;
  const at = (kind) => Date.parse(events.find((e) => e.kind === kind).occurred_at);
  const totalMinutes = Math.floor((at('discharge') - at('device')) / 60_000);
  const readyMinutes = Math.floor((at('ready_for_discharge') - at('device')) / 60_000);
  assert.ok(totalMinutes >= 1, `${totalMinutes} min`);

  // After discharge the form is pre-filled from the session and can be submitted.
  await page.reload();
  await page.locator('.session-header [data-phase="discharged"]').waitFor();
  await tab(page, 'REMS form').click();
  const form = page.getByRole('form', { name: 'Patient Monitoring Form' });
  await form.waitFor();
  assert.equal(await form.getByLabel(/^Dose \(56 mg, 84 mg or other\)/).inputValue(), '84 mg');
  assert.equal(await form.getByLabel(/^Total minutes from the first device/).inputValue(), String(totalMinutes));
  assert.equal(await form.getByLabel(/^When would the patient have been ready to leave/).inputValue(), String(readyMinutes));
  assert.match(await form.locator('#rems-total_minutes-hint').innerText(), /^Pre-filled from start and discharge times: check it\./);
  const group = (name) => form.getByRole('group', { name: new RegExp(`^${name}`) });
  assert.equal(await group('Sedation').getByLabel('No').isChecked(), true, 'MOAA/S 5 is not sedated');
  assert.equal(await group('Dissociation').getByLabel('No').isChecked(), true, 'CADSS 0 is no dissociation');
  assert.equal(await group('Respiratory depression').getByLabel('No').isChecked(), true, 'SpO2 stayed above spo2_min');
  assert.equal(await group('Vital signs acceptable before dosing').getByLabel('Yes').isChecked(), true);
  assert.equal(await group('Vital signs acceptable at completion').getByLabel('Yes').isChecked(), false, 'not pre-filled');
  assert.equal(await form.getByLabel(/^Lot number/).inputValue(), '', 'no ledger entry was linked');

  // Submitting with questions open marks each one; nothing is sent.
  await form.getByLabel(/^REMS confirmation/).fill('PMF-2026-001');
  await form.getByRole('button', { name: 'Submit form' }).click();
  await form.locator('#rems-lot_number-error').getByText('is required').waitFor();
  await form.locator('#rems-vitals_acceptable_at_completion-error').getByText('is required').waitFor();
  assert.equal((await nurse.get(`/api/v1/sessions/${id}/rems-form`)).json.submissions.length, 0);
  await form.getByLabel(/^Lot number/).fill('ESK-LOT-7');
  await group('Vital signs acceptable at completion').getByLabel('Yes').check();
  await form.getByRole('button', { name: 'Submit form' }).click();
  await page.getByRole('status').filter({ hasText: /^Submission #\d+ recorded \(confirmation PMF-2026-001\)\.$/ }).waitFor();
  assert.match(await deadline.innerText(), /^submitted on \d{4}-\d{2}-\d{2}$/);
  const submitted = page.locator('dl[aria-label="Submitted answers"]');
  assert.equal(await submitted.locator('[data-field="lot_number"]').innerText(), 'ESK-LOT-7');
  assert.equal(await submitted.locator('[data-field="total_minutes"]').innerText(), `${totalMinutes} min`);
  const history = page.getByRole('list', { name: 'Submissions' });
  assert.equal(await history.getByRole('listitem').count(), 1);
  assert.match(await history.innerText(), /submitted on \d{4}-\d{2}-\d{2}, confirmation PMF-2026-001, recorded by demo\.nurse/);
  const stored = (await nurse.get(`/api/v1/sessions/${id}/rems-form`)).json;
  assert.equal(stored.status, 'submitted');
  assert.equal(stored.submissions[0].answers.dose, '84 mg');
  assert.equal(stored.submissions[0].answers.total_minutes, totalMinutes);
  assert.equal(stored.submissions[0].answers.vitals_acceptable_at_completion, true);

  // A correction is a new submission with a reason; the first stays in the history.
  await page.getByRole('button', { name: 'Submit a correction' }).click();
  const correction = page.getByRole('form', { name: 'Correct the monitoring form' });
  assert.equal(await correction.getByLabel(/^Lot number/).inputValue(), 'ESK-LOT-7', 'starts from the submitted answers');
  await correction.getByLabel(/^Lot number/).fill('ESK-LOT-8');
  await correction.getByLabel(/^REMS confirmation/).fill('PMF-2026-002');
  await correction.getByRole('button', { name: 'Submit correction' }).click();
  await correction.locator('#rems-reason-error').getByText('is required for a correction').waitFor();
  await correction.getByLabel(/^Reason for the correction/).fill('lot number misread from the carton');
  await correction.getByRole('button', { name: 'Submit correction' }).click();
  await history.getByRole('listitem').nth(1).waitFor();
  const first = stored.submissions[0].id;
  assert.match(await history.getByRole('listitem').first().innerText(), new RegExp(`confirmation PMF-2026-002[\\s\\S]*Corrects #${first}: lot number misread from the carton`));
  assert.equal(await submitted.locator('[data-field="lot_number"]').innerText(), 'ESK-LOT-8');
  const corrected = (await nurse.get(`/api/v1/sessions/${id}/rems-form`)).json.submissions;
  assert.deepEqual(corrected.map((s) => [s.amends_id, s.answers.lot_number, s.reason]), [
    [null, 'ESK-LOT-7', ''],
    [first, 'ESK-LOT-8', 'lot number misread from the carton'],
  ]);
  assert.deepEqual(await axeViolations(page), [], 'the submitted REMS tab passes axe');

  // The printable form, fetched with the page's own sign-in, is a PDF.
  const pdfHref = await page.getByRole('link', { name: 'Open printable form (PDF)' }).getAttribute('href');
  assert.equal(pdfHref, `/api/v1/sessions/${id}/rems-form?format=pdf`);
  const pdf = await page.request.get(`${ui.server.baseUrl}${pdfHref}`);
  assert.equal(pdf.status(), 200);
  assert.match(pdf.headers()['content-type'], /^application\/pdf/);
  assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');

  // On the tracker it is no longer due but submitted, still linked to its session.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'REMS tracker' }).click();
  const doneRow = page.getByRole('table', { name: 'Submitted forms, latest first' }).locator(`tr[data-session="${id}"]`);
  await doneRow.waitFor();
  assert.match(await doneRow.innerText(), /submitted on \d{4}-\d{2}-\d{2}[\s\S]*Enrolled/);
  assert.equal(await page.locator(`table[aria-label="Forms due, most urgent first"] tr[data-session="${id}"]`).count(), 0);
  await doneRow.getByRole('link', { name: `Session #${id}` }).click();
  await page.locator('.session-header [data-phase="discharged"]').waitFor();
  assert.deepEqual(watch.problems(), []);
});
