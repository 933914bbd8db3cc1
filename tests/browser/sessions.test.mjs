// Browser tests of the dosing session (docs/sessions.md). (a) A whole IV session at the chair:
// the nurse (on a tablet-sized screen) checks the patient in from the course on the chart, fills the
// readiness checklist (an implausible blood pressure is refused next to its field), the
// prescriber (a second browser) orders the dose (above the protocol maximum refused next to the
// dose), the nurse starts, records vitals, stops, records vitals and a modified Aldrete of 9,
// marks ready for discharge and discharges (refused verbatim until the after-care instructions
// are given); the prescriber cannot sign with fields open, then completes and signs the note.
// (b) Checked in from the Today page (patient search, course, chair) and shown on its board;
// without consent the checklist shows the consent item failed with its message, Start is
// blocked by the rule, and the session is cancelled with a reason. (c) A signed note is read-only (and a PUT is refused), takes an
// addendum shown with its author, and the session page passes axe. (d) With the browser's
// clock moved on, the phase timer ticks and "vitals due now" shows on the page and the board.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browserSuite, eventually, freshPage, openBrowser, signIn, TABLET, watchConsole } from '../support/browser.mjs';
import { letters, loggedIn, samplePatient } from '../support/ketachart.mjs';

const IV = 'iv-racemic-ketamine';
const SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

// tablet: the nurse at the chair; desk: the prescriber's screen.
const ui = browserSuite({ browsers: { tablet: TABLET, desk: {} } });

/** A new patient with an IV course (as tests/api/sessions.test.mjs); `consent` false leaves the consent out. */
async function readyPatient({ consent = true } = {}) {
  const frontDesk = await loggedIn(ui.server, 'demo.frontdesk');
  const nurse = await loggedIn(ui.server, 'demo.nurse');
  const prescriber = await loggedIn(ui.server, 'demo.prescriber');
  const familyName = `Chairside${letters(8)}`;
  const created = await frontDesk.post('/api/v1/patients', samplePatient({ family_name: familyName }));
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  const today = new Date().toISOString().slice(0, 10);
  assert.equal((await nurse.post(`/api/v1/patients/${id}/measurements`, { kind: 'weight', weight_kg: 70, measured_on: today })).status, 201);
  const intake = { age_years: 40, weight_kg: 70, vitals: { systolic_mmhg: 122, diastolic_mmhg: 78 } };
  assert.equal((await nurse.post(`/api/v1/patients/${id}/intakes`, { intake })).status, 201);
  const decision = await nurse.post(`/api/v1/patients/${id}/eligibility`, { protocol_id: IV });
  assert.equal(decision.json.cleared, true, decision.text);
  if (consent) {
    const documents = await nurse.get(`/api/v1/consent-documents?protocol=${IV}`);
    const signed = await nurse.post(`/api/v1/patients/${id}/consents`, {
      document_id: documents.json.items[0].id, signed_name: `${familyName} Alexandra`, signature_png: SIGNATURE,
      signed_on: today, witness_name: 'Maria Lindqvist, RN',
    });
    assert.equal(signed.status, 201, signed.text);
  }
  const course = await prescriber.post(`/api/v1/patients/${id}/courses`, { protocol_id: IV, goal: 'remission' });
  assert.equal(course.status, 201, course.text);
  if (consent) {
    const moved = await prescriber.post(`/api/v1/courses/${course.json.id}/transitions`, { to: 'induction' });
    assert.equal(moved.status, 200, moved.text);
  }
  return { patientId: id, familyName, courseId: course.json.id, nurse, prescriber };
}

const READY = {
  fasting_confirmed: true, escort_name: 'Sam Testperson (sibling)', held_medications_confirmed: true,
  pregnancy_test: 'negative', vitals: { systolic_mmhg: 126, diastolic_mmhg: 80, heart_rate_bpm: 72, spo2_percent: 98 },
};

const phaseOf = (page) => page.locator('.session-header [data-phase]').getAttribute('data-phase');
const waitPhase = (page, phase) => page.locator(`.session-header [data-phase="${phase}"]`).waitFor();
const action = (page, name) => page.getByRole('list', { name: 'Session actions' }).getByRole('button', { name, exact: true });

test('a full IV session from check-in on the chart\'s course panel to a signed note', async () => {
  const { familyName, nurse, patientId } = await readyPatient();

  // The nurse checks the patient in from the course on the chart.
  const chair = await freshPage(ui.tablet.context);
  const chairWatch = watchConsole(chair);
  chairWatch.allowStatus(400, '/api/v1/sessions');
  chairWatch.allowStatus(409, '/api/v1/sessions');
  await signIn(chair, ui.server.baseUrl, 'demo.nurse', undefined, `#/patients/${patientId}`);
  const course = chair.getByRole('article').filter({ has: chair.getByRole('heading', { name: /IV racemic ketamine infusion: Induction/ }) });
  await course.getByRole('button', { name: 'Check in for a session' }).click();
  const checkIn = course.getByRole('form', { name: /^Check in for a session on course \d+$/ });
  await checkIn.getByRole('button', { name: 'Check in' }).click();
  await checkIn.getByText('is required').waitFor();
  await checkIn.getByLabel('Chair').fill('Chair 3');
  await checkIn.getByRole('button', { name: 'Check in' }).click();
  await chair.getByRole('heading', { level: 1, name: new RegExp(`^Session #\\d+: ${familyName}, Alexandra Jane$`) }).waitFor();
  const id = /#\/sessions\/(\d+)$/.exec(chair.url())?.[1];
  assert.ok(id, chair.url());
  assert.equal(await phaseOf(chair), 'checked_in');
  assert.equal(await chair.getByTestId('next-due').innerText(), 'readiness checklist');
  const header = await chair.locator('.session-header').innerText();
  assert.match(header, /IV racemic ketamine infusion v1/);
  assert.match(header, /Chair 3/);
  assert.match(await chair.getByRole('timer', { name: 'Time in phase' }).innerText(), /^\d+:\d\d$/);
  assert.match(await action(chair, 'Start dosing').getAttribute('aria-describedby').then((d) => chair.locator(`#${d}`).innerText()), /^no dose before the readiness checklist passes$/);

  // The readiness checklist: an impossible blood pressure is refused next to its field.
  const checklist = chair.getByRole('form', { name: 'Readiness checklist' });
  await checklist.getByLabel('Fasting confirmed').check();
  await checklist.getByLabel('Escort or ride home').fill(READY.escort_name);
  await checklist.getByLabel('Held medications confirmed').check();
  await checklist.getByLabel('Negative').check();
  await checklist.getByLabel('Systolic (mmHg)').fill('400');
  await checklist.getByLabel('Diastolic (mmHg)').fill('80');
  await checklist.getByLabel('Heart rate (/min)').fill('72');
  await checklist.getByLabel('SpO₂ (%)').fill('98');
  await checklist.getByRole('button', { name: 'Check readiness' }).click();
  const systolicError = checklist.locator('#f-rd-vitals-systolic_mmhg-error');
  await systolicError.waitFor();
  assert.equal(await systolicError.innerText(), 'must be between 40 and 300');
  assert.equal(await checklist.getByLabel('Systolic (mmHg)').getAttribute('aria-invalid'), 'true');
  await checklist.getByLabel('Systolic (mmHg)').fill('126');
  await checklist.getByRole('button', { name: 'Check readiness' }).click();
  await chair.getByText('Readiness checklist passed').waitFor();
  const items = chair.getByRole('list', { name: 'Checklist items' });
  assert.match(await items.locator('[data-item="consent"]').innerText(), /^Passed/);
  assert.match(await items.locator('[data-item="baseline_systolic"]').innerText(), /limit not confirmed — clinic setting/);
  assert.equal(await chair.getByTestId('next-due').innerText(), 'dose order');

  // The prescriber orders the dose in a second browser.
  const order = await freshPage(ui.desk.context);
  const orderWatch = watchConsole(order);
  orderWatch.allowStatus(400, '/api/v1/sessions');
  orderWatch.allowStatus(409, '/api/v1/sessions');
  await signIn(order, ui.server.baseUrl, 'demo.prescriber', undefined, `#/sessions/${id}`);
  const orderForm = order.getByRole('form', { name: 'Dose order' });
  await orderForm.getByLabel('Dose (mg/kg)').fill('0.9');
  await orderForm.getByLabel('Vial strength').selectOption('10');
  await orderForm.getByLabel('Duration (min)').fill('40');
  await orderForm.getByRole('button', { name: 'Order dose' }).click();
  const doseError = orderForm.locator('#do-per-kg-error');
  await doseError.waitFor();
  assert.match(await doseError.innerText(), /^0\.9 mg\/kg is above the protocol's maximum of 0\.75 mg\/kg \(dose_range_max/);
  await orderForm.getByLabel('Dose (mg/kg)').fill('0.5');
  await orderForm.getByRole('button', { name: 'Order dose' }).click();
  await order.locator('dl[aria-label="Ordered dose"]').waitFor();
  const shown = await order.locator('dl[aria-label="Ordered dose"]').innerText();
  assert.match(shown, /35 mg \(0\.5 mg\/kg\)/);
  assert.match(shown, /70 kg, measured \d{4}-\d{2}-\d{2}/);
  assert.match(shown, /3\.5 mL/);
  assert.match(shown, /Final concentration\s+10 mg\/mL/);
  assert.match(shown, /5\.25 mL\/h over 40 min/);
  assert.match(shown, /\d+ ng\/mL at minute \d+ \(model domino-1984\)/);
  assert.deepEqual(orderWatch.problems(), []);

  // The nurse starts (the page refetches; a reload shows the order at once).
  await chair.reload();
  await chair.locator('dl[aria-label="Ordered dose"]').waitFor();
  // Start opens the stock picker; this session starts without a ledger link (stock_picker.test.mjs links one).
  await action(chair, 'Start dosing').click();
  const startForm = chair.getByRole('form', { name: 'Start dosing' });
  assert.equal(await startForm.getByLabel('Stock (lot and location)').inputValue(), '', 'no lot is picked for the nurse');
  await startForm.getByRole('button', { name: 'Confirm start dosing' }).click();
  await waitPhase(chair, 'dosing');
  await chair.getByRole('list', { name: 'Timeline, newest first' }).getByText('no ledger link').waitFor();
  const record = chair.getByRole('form', { name: 'Record vitals' });
  await record.getByLabel('Systolic (mmHg)').fill('142');
  await record.getByLabel('Diastolic (mmHg)').fill('88');
  await record.getByLabel('Heart rate (/min)').fill('80');
  await record.getByLabel('SpO₂ (%)').fill('140');
  await record.getByRole('button', { name: 'Save vitals' }).click();
  await record.locator('#f-ev-vitals-spo2_percent-error').getByText('must be between 50 and 100').waitFor();
  await record.getByLabel('SpO₂ (%)').fill('97');
  await record.getByRole('button', { name: 'Save vitals' }).click();
  const timeline = chair.getByRole('list', { name: 'Timeline, newest first' });
  await timeline.getByText('BP 142/88 mmHg, HR 80/min, SpO₂ 97%').waitFor();
  assert.equal(await record.getByLabel('Systolic (mmHg)').inputValue(), '', 'the form is cleared after saving');
  // The pump rate is turned down (refused out of range and without a reason first).
  await chair.getByRole('group', { name: 'What to record' }).getByRole('button', { name: 'Rate change' }).click();
  const rate = chair.getByRole('form', { name: 'Record rate change' });
  await rate.getByLabel('New pump rate (mL/h)').fill('3000');
  await rate.getByRole('button', { name: 'Save rate change' }).click();
  await rate.locator('#rc-rate-error').getByText('must be between 0.1 and 2000 mL/h').waitFor();
  await rate.locator('#rc-reason-error').getByText('is required: why the rate changed').waitFor();
  await rate.getByLabel('New pump rate (mL/h)').fill('40');
  await rate.getByLabel('Reason').fill('BP rising');
  const later = new Date(Date.now() + 10 * 60_000);
  if (later.getDate() === new Date().getDate()) {
    // A time still to come is refused before anything is sent.
    const hhmm = `${String(later.getHours()).padStart(2, '0')}:${String(later.getMinutes()).padStart(2, '0')}`;
    await rate.getByLabel('Time changed (if not now)').fill(hhmm);
    await rate.getByRole('button', { name: 'Save rate change' }).click();
    await rate.locator('#rc-time-error').getByText('must be a time today, not in the future (HH:MM)').waitFor();
    await rate.getByLabel('Time changed (if not now)').fill('');
  }
  await rate.getByRole('button', { name: 'Save rate change' }).click();
  const rateEntry = timeline.locator('li', { hasText: '40 mL/h; BP rising' });
  await rateEntry.waitFor();
  await chair.getByRole('group', { name: 'What to record' }).getByRole('button', { name: 'Vitals' }).click();
  // A stop charted at an earlier time: one before the check-in is refused by the server on the field.
  const earlier = new Date(Date.now() - 60 * 60_000);
  if (earlier.getDate() === new Date().getDate()) {
    const hhmm = `${String(earlier.getHours()).padStart(2, '0')}:${String(earlier.getMinutes()).padStart(2, '0')}`;
    await chair.getByRole('list', { name: 'Session actions' }).getByRole('button', { name: 'Stop dosing at an earlier time' }).click();
    const stopForm = chair.getByRole('form', { name: 'Stop dosing' });
    await stopForm.getByLabel('Time of stop dosing (if not now)').fill(hhmm);
    await stopForm.getByRole('button', { name: 'Confirm stop dosing' }).click();
    await stopForm.locator('#action-stop-time-error').getByText(/^must not be before the check-in \(/).waitFor();
    await stopForm.getByRole('button', { name: 'Back' }).click();
    await waitPhase(chair, 'dosing');
  }
  await action(chair, 'Stop dosing').click();
  await waitPhase(chair, 'recovery');
  assert.match(
    await chair.locator(`#${await action(chair, 'Ready for discharge').getAttribute('aria-describedby')}`).innerText(),
    /no vitals have been recorded in recovery/,
  );
  await record.getByLabel('Systolic (mmHg)').fill('128');
  await record.getByLabel('Diastolic (mmHg)').fill('80');
  await record.getByRole('button', { name: 'Save vitals' }).click();
  await timeline.getByText('BP 128/80 mmHg').waitFor();

  // A modified Aldrete of 9, with the total previewed while it is filled.
  await chair.getByRole('group', { name: 'What to record' }).getByRole('button', { name: 'Aldrete' }).click();
  const aldrete = chair.getByRole('form', { name: 'Record modified Aldrete' });
  await aldrete.getByLabel('Activity').selectOption('2');
  await aldrete.getByLabel('Respiration').selectOption('2');
  await aldrete.getByLabel(/^Circulation/).selectOption('2');
  await aldrete.getByLabel('Consciousness').selectOption('2');
  // (The preview re-renders after each choice: wait for the text rather than read it at once.)
  await aldrete.locator('.score-preview', { hasText: /^Total: 4 of 5 items scored$/ }).waitFor();
  assert.match(await aldrete.getByLabel('Oxygen saturation').locator('option[value="1"]').innerText(), /^1: /);
  await aldrete.getByLabel('Oxygen saturation').selectOption('1');
  await aldrete.locator('.score-preview', { hasText: /^Total 9 of 10: meets the discharge minimum of 9$/ }).waitFor();
  await aldrete.getByRole('button', { name: 'Save modified Aldrete' }).click();
  await timeline.getByText('total 9').waitFor();

  await action(chair, 'Ready for discharge').click();
  await waitPhase(chair, 'ready_for_discharge');
  await action(chair, 'Discharge').click();
  const discharge = chair.getByRole('form', { name: 'Discharge' });
  await discharge.getByRole('button', { name: 'Confirm discharge' }).click();
  await chair.getByRole('alert').filter({ hasText: 'discharge needs the after-care instructions given' }).waitFor();
  await discharge.getByLabel('After-care instructions given').check();
  // The discharge, too, may be charted at an earlier time: one before the check-in is refused
  // by the server on the field, and nothing is recorded.
  const hourAgo = new Date(Date.now() - 60 * 60_000);
  if (hourAgo.getDate() === new Date().getDate()) {
    const hhmm = `${String(hourAgo.getHours()).padStart(2, '0')}:${String(hourAgo.getMinutes()).padStart(2, '0')}`;
    await discharge.getByLabel('Time of discharge (if not now)').fill(hhmm);
    await discharge.getByRole('button', { name: 'Confirm discharge' }).click();
    await discharge.locator('#action-discharge-time-error').getByText(/^must not be before the check-in \(/).waitFor();
    assert.equal(await phaseOf(chair), 'ready_for_discharge');
    await discharge.getByLabel('Time of discharge (if not now)').fill('');
  }
  await discharge.getByRole('button', { name: 'Confirm discharge' }).click();
  await waitPhase(chair, 'discharged');
  await timeline.getByText('escort: Sam Testperson (sibling); instructions given').waitFor();
  assert.equal(await chair.getByTestId('next-due').innerText(), 'note');
  assert.equal(await chair.getByRole('timer').count(), 0, 'no timer once discharged');
  assert.deepEqual(chairWatch.problems(), []);

  // The prescriber writes the note; signing with fields open is refused verbatim.
  await order.reload();
  await order.getByRole('tab', { name: 'Note' }).click();
  const note = order.getByRole('form', { name: 'Session note' });
  await note.getByLabel('Assessment').fill('Tolerated well');
  await note.getByRole('button', { name: 'Sign note' }).click();
  await order.getByRole('alert').filter({ hasText: 'the note cannot be signed with required fields open: response, plan' }).waitFor();
  assert.equal(await note.getByLabel('Response').getAttribute('aria-invalid'), 'true');
  assert.equal(await note.getByLabel('Plan').getAttribute('aria-invalid'), 'true');
  const summary = await order.locator('#note-summary-title + dl').innerText();
  assert.match(summary, /35 mg \(0\.5 mg\/kg, 70 kg\)/);
  assert.match(summary, /systolic mmhg 128–142 \(2\)/);
  assert.match(summary, /Modified Aldrete 9/);
  await note.getByLabel('Response').fill('Mood lifted');
  await note.getByLabel('Plan').fill('Infusion 2 on Friday');
  await note.getByRole('button', { name: 'Save draft' }).click();
  await note.getByText(/^Draft saved \(version 2\)\.$/).waitFor();
  await note.getByRole('button', { name: 'Sign note' }).click();
  await order.getByText(/^Signed by demo\.prescriber on .+ \(version 2\)/).waitFor();
  assert.equal(await order.getByRole('textbox', { name: 'Assessment' }).count(), 0);
  assert.deepEqual(orderWatch.problems(), []);

  const stored = await nurse.get(`/api/v1/sessions/${id}/note`);
  assert.equal(stored.json.signed.by, 'demo.prescriber');
  assert.equal(stored.json.fields.plan, 'Infusion 2 on Friday');

  // The Today board shows the session discharged, linking to it.
  await chair.getByRole('link', { name: 'Today' }).first().click();
  const card = chair.locator(`[data-session="${id}"]`);
  await card.waitFor();
  assert.match(await card.innerText(), /Chair 3[\s\S]*Discharged[\s\S]*Next: note/);
  await card.getByRole('link').click();
  await waitPhase(chair, 'discharged');
});

test('without consent the checklist names the consent rule and Start stays blocked', async () => {
  const { courseId, familyName } = await readyPatient({ consent: false });

  // Checked in from the Today page: find the patient, pick the course, name the chair.
  const page = await freshPage(ui.tablet.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.nurse');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
  await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
  await page.getByLabel('Patient name or MRN').fill(familyName);
  await page.getByRole('button', { name: 'Find patient' }).click();
  await page.getByRole('list', { name: 'Matching patients' }).getByRole('button', { name: new RegExp(familyName) }).click();
  const checkIn = page.getByRole('form', { name: 'Check in' });
  await checkIn.getByLabel(`Course #${courseId}: IV racemic ketamine infusion v1 (evaluation)`).waitFor();
  assert.equal(await checkIn.getByRole('radio').first().isChecked(), true, 'the only course is chosen');
  await checkIn.getByLabel('Chair').fill('Chair 1');
  await checkIn.getByRole('button', { name: 'Check in' }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^Session #\\d+: ${familyName}, Alexandra Jane$`) }).waitFor();
  const id = /#\/sessions\/(\d+)$/.exec(page.url())?.[1];
  assert.ok(id, page.url());

  // On the board, linked to the session.
  await page.getByRole('link', { name: 'Today' }).first().click();
  const card = page.locator(`[data-session="${id}"]`);
  await card.waitFor();
  assert.match(await card.innerText(), /Chair 1[\s\S]*Checked in · \d+ min in phase[\s\S]*Next: readiness checklist/);
  assert.deepEqual(await axeViolations(page), [], 'the Today page passes axe');
  await card.getByRole('link').click();
  await waitPhase(page, 'checked_in');

  const checklist = page.getByRole('form', { name: 'Readiness checklist' });
  await checklist.getByLabel('Fasting confirmed').check();
  await checklist.getByLabel('Escort or ride home').fill(READY.escort_name);
  await checklist.getByLabel('Held medications confirmed').check();
  await checklist.getByLabel('Not applicable').check();
  await checklist.getByLabel('Systolic (mmHg)').fill('126');
  await checklist.getByLabel('Diastolic (mmHg)').fill('80');
  await checklist.getByLabel('Heart rate (/min)').fill('72');
  await checklist.getByRole('button', { name: 'Check readiness' }).click();
  await page.getByText('Readiness checklist not passed').waitFor();
  const consent = page.getByRole('list', { name: 'Checklist items' }).locator('[data-item="consent"]');
  assert.match(await consent.innerText(), /^Failed[\s\S]*no consent for IV racemic ketamine infusion has been recorded/);
  const course = page.getByRole('list', { name: 'Checklist items' }).locator('[data-item="course"]');
  assert.match(await course.innerText(), new RegExp(`course #${courseId} is in evaluation; a dose needs induction, maintenance or booster`));

  const start = action(page, 'Start dosing');
  assert.equal(await start.isDisabled(), true);
  const rule = page.locator(`#${await start.getAttribute('aria-describedby')}`);
  assert.equal(await rule.innerText(), 'no dose before the readiness checklist passes');

  // Cancelling needs a reason.
  await action(page, 'Cancel session').click();
  const cancel = page.getByRole('form', { name: 'Cancel session' });
  await cancel.getByRole('button', { name: 'Confirm cancel session' }).click();
  await cancel.getByText('a reason is required').waitFor();
  await cancel.getByLabel('Reason').fill('no consent on file');
  await cancel.getByRole('button', { name: 'Confirm cancel session' }).click();
  await waitPhase(page, 'cancelled');
  await page.getByRole('list', { name: 'Timeline, newest first' }).getByText('no consent on file').waitFor();
  assert.equal(await page.getByRole('form', { name: 'Record vitals' }).count(), 0, 'nothing is recorded on a cancelled session');
  assert.deepEqual(watch.problems(), []);
});

/** A discharged session with a signed note, all through the API. */
async function signedSession() {
  const { courseId, nurse, prescriber } = await readyPatient();
  const id = (await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Chair 2' })).json.id;
  const steps = [
    [nurse, `/api/v1/sessions/${id}/readiness`, READY],
    [prescriber, `/api/v1/sessions/${id}/dose-order`, { dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 10, duration_min: 40 }],
    [nurse, `/api/v1/sessions/${id}/events`, { kind: 'start' }],
    [nurse, `/api/v1/sessions/${id}/events`, { kind: 'stop' }],
    [nurse, `/api/v1/sessions/${id}/events`, { kind: 'vitals', systolic_mmhg: 124, diastolic_mmhg: 78 }],
    [nurse, `/api/v1/sessions/${id}/events`, { kind: 'score', instrument: 'aldrete', answers: [2, 2, 2, 2, 2] }],
    [nurse, `/api/v1/sessions/${id}/events`, { kind: 'ready_for_discharge' }],
    [nurse, `/api/v1/sessions/${id}/events`, { kind: 'discharge', instructions_given: true }],
  ];
  for (const [client, path, body] of steps) {
    const r = await client.post(path, body);
    assert.equal(r.status, 201, `${path} ${r.text}`);
  }
  const fields = { assessment: 'Tolerated well', response: 'Mood lifted', plan: 'Infusion 2 on Friday', complications: '' };
  assert.equal((await prescriber.put(`/api/v1/sessions/${id}/note`, { version: 0, fields })).status, 200);
  const signed = await prescriber.post(`/api/v1/sessions/${id}/note/sign`, { version: 1 });
  assert.equal(signed.status, 200, signed.text);
  return { id, nurse, prescriber };
}

test('a signed note is read-only, refuses a PUT, and takes an addendum shown with its author; the page passes axe', async () => {
  const { id, prescriber } = await signedSession();

  const locked = await prescriber.put(`/api/v1/sessions/${id}/note`, { version: 1, fields: { assessment: 'changed' } });
  assert.equal(locked.status, 409, locked.text);
  assert.match(locked.json.error.message, /is locked; add an addendum$/);

  const page = await freshPage(ui.tablet.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, `#/sessions/${id}`);
  await waitPhase(page, 'discharged');
  assert.deepEqual(await axeViolations(page), [], 'the session tab passes axe');
  // Session, Monitor, Note: the left arrow from the first tab wraps round to the last.
  await page.getByRole('tab', { name: 'Session' }).press('ArrowLeft');
  assert.equal(await page.getByRole('tab', { name: 'Note' }).getAttribute('aria-selected'), 'true', 'arrow keys move between tabs');
  await page.getByText(/^Signed by demo\.prescriber on /).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Assessment' }).count(), 0, 'no editable note fields');
  assert.match(await page.locator('dl[aria-label="Signed note"]').innerText(), /Assessment\s+Tolerated well[\s\S]*Plan\s+Infusion 2 on Friday/);

  const addendum = page.getByRole('form', { name: 'Add addendum' });
  await addendum.getByRole('button', { name: 'Add addendum' }).click();
  await addendum.getByText('write the addendum first').waitFor();
  await addendum.getByLabel('Addendum').fill('Called next day: well, no after-effects.');
  await addendum.getByRole('button', { name: 'Add addendum' }).click();
  const entry = page.getByRole('list', { name: 'Addenda' }).getByRole('listitem').first();
  await entry.waitFor();
  assert.match(await entry.innerText(), /^Called next day: well, no after-effects\.\s+Signed by demo\.nurse on /);
  assert.deepEqual(await axeViolations(page), [], 'the note tab passes axe');
  await eventually(async () => (await prescriber.get(`/api/v1/sessions/${id}/note`)).json.addenda.length === 1, 'the addendum is stored');
  assert.equal((await prescriber.get(`/api/v1/sessions/${id}/note`)).json.addenda[0].signed_by, 'demo.nurse');
  assert.deepEqual(watch.problems(), []);
});

test('the phase timer ticks in the browser and "vitals due now" shows once the protocol interval passes', async (t) => {
  const { courseId, nurse, prescriber } = await readyPatient();
  const id = (await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Chair 5' })).json.id;
  assert.equal((await nurse.post(`/api/v1/sessions/${id}/readiness`, READY)).status, 201);
  assert.equal((await prescriber.post(`/api/v1/sessions/${id}/dose-order`, { dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 10, duration_min: 40 })).status, 201);
  const started = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'start' });
  assert.equal(started.status, 201, started.text);
  assert.ok(started.json.vitals_due_at, 'the IV protocol sets a vitals interval during the infusion');

  // Its own browser: a fake clock is installed on the whole context.
  const own = await openBrowser(TABLET);
  t.after(() => own.close());
  const page = await freshPage(own.context);
  const watch = watchConsole(page);
  await page.clock.install();
  await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, `#/sessions/${id}`);
  await waitPhase(page, 'dosing');
  const timer = page.getByRole('timer', { name: 'Time in phase' });
  assert.match(await timer.innerText(), /^0:0\d$/);
  assert.equal(await page.getByText('Vitals due now').count(), 0);
  await page.clock.fastForward('10:30');
  await page.getByRole('alert').filter({ hasText: 'Vitals due now' }).waitFor();
  assert.match(await timer.innerText(), /^1\d:\d\d$/);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
  const card = page.locator(`[data-session="${id}"]`);
  await card.waitFor();
  assert.match(await card.getAttribute('class'), /chair-card--overdue/);
  assert.match(await card.innerText(), /Dosing · 1\d min in phase[\s\S]*Vitals due now/);
  assert.deepEqual(watch.problems(), []);
});
