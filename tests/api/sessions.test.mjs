// HTTP API: the dosing session. A patient ready for IV ketamine (intake, eligibility, consent,
// course in induction, a recorded weight) is checked in; dosing is refused until the readiness
// checklist passes (a high baseline BP is named with the protocol's limit) and a prescriber orders
// the dose (a nurse may not; above the protocol maximum is refused naming dose_range_max); the
// nurse starts, pauses (a reason is required), resumes and stops the infusion, records vitals by
// hand (out-of-range refused with the range), MOAA/S and a modified Aldrete score; discharge waits
// for the Aldrete minimum; the note cannot be signed with required fields open, is locked once
// signed, and takes signed addenda. A session without consent is refused at readiness. The day
// list shows the session's phase. The main flow runs on PostgreSQL too. An esketamine session needs
// REMS enrolment at readiness and has a pre-filled monitoring form (JSON and PDF) on the tracker
// (a correction needs a reason; ?status=all lists submitted forms too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createPgDatabase, loggedIn, pgClusterUrl, serverFor } from '../support/ketachart.mjs';
import { IV, READY, readyPatient } from '../support/session_setup.mjs';

async function sessionFlow(server) {
  const { patientId, courseId, nurse, prescriber } = await readyPatient(server);
  const checkIn = await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Chair 3' });
  assert.equal(checkIn.status, 201, checkIn.text);
  const id = checkIn.json.id;
  assert.equal(checkIn.json.phase, 'checked_in');
  assert.equal(checkIn.json.next_due, 'readiness checklist');
  assertError(assert, await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Chair 4' }), 409, 'conflict', 'course_id');

  const early = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'start' });
  assertError(assert, early, 409, 'conflict', 'kind');
  assert.equal(early.json.error.message, 'no dose before the readiness checklist passes');

  const high = await nurse.post(`/api/v1/sessions/${id}/readiness`, { ...READY, vitals: { ...READY.vitals, systolic_mmhg: 186 } });
  assert.equal(high.status, 201, high.text);
  assert.equal(high.json.readiness.passed, false);
  const bp = high.json.readiness.items.find((i) => i.id === 'baseline_systolic');
  assert.match(bp.message, /^baseline systolic blood pressure 186 mmHg is above the protocol's limit of 180 mmHg \(pre_dose_systolic_max/);
  assert.equal(bp.unconfirmed, true);
  const ready = await nurse.post(`/api/v1/sessions/${id}/readiness`, READY);
  assert.equal(ready.json.readiness.passed, true, JSON.stringify(ready.json.readiness.items));
  assertError(assert, await nurse.post(`/api/v1/sessions/${id}/readiness`, { ...READY, vitals: { systolic_mmhg: 400 } }), 400, 'invalid_input', 'vitals.systolic_mmhg');

  const order = { dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 10, duration_min: 40 };
  assertError(assert, await nurse.post(`/api/v1/sessions/${id}/dose-order`, order), 403, 'forbidden');
  const tooMuch = await prescriber.post(`/api/v1/sessions/${id}/dose-order`, { ...order, dose_mg_per_kg: 0.9 });
  assertError(assert, tooMuch, 400, 'invalid_input', 'dose_mg_per_kg');
  assert.match(tooMuch.json.error.message, /above the protocol's maximum of 0\.75 mg\/kg \(dose_range_max/);
  const ordered = await prescriber.post(`/api/v1/sessions/${id}/dose-order`, order);
  assert.equal(ordered.status, 201, ordered.text);
  const dose = ordered.json.dose_order;
  assert.equal(dose.dose_mg, 35);
  assert.equal(dose.volume_to_draw_ml, 3.5);
  assert.equal(dose.pump_rate_ml_per_h, 5.25);
  assert.equal(dose.weight_kg, 70);
  assert.equal(dose.prediction.model, 'domino-1984');
  assert.ok(dose.prediction.peak_plasma_ng_per_ml > 150 && dose.prediction.peak_plasma_ng_per_ml < 350, JSON.stringify(dose.prediction));

  const started = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'start' });
  assert.equal(started.status, 201, started.text);
  assert.equal(started.json.phase, 'dosing');
  assertError(assert, await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'pause' }), 400, 'invalid_input', 'reason');
  const paused = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'pause', reason: 'nausea' });
  assert.equal(paused.json.phase, 'paused');
  const rescue = await nurse.post(`/api/v1/sessions/${id}/events`, {
    kind: 'rescue_medication', medication: 'ondansetron', dose: 4, unit: 'mg', route: 'intravenous', reason: 'nausea',
  });
  assert.equal(rescue.status, 201, rescue.text);
  assert.equal((await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'resume' })).json.phase, 'dosing');
  const outOfRange = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'vitals', spo2_percent: 140 });
  assertError(assert, outOfRange, 400, 'invalid_input', 'spo2_percent');
  assert.match(outOfRange.json.error.message, /50.*100/);
  const vitals = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'vitals', systolic_mmhg: 142, diastolic_mmhg: 88, heart_rate_bpm: 80, spo2_percent: 97 });
  assert.equal(vitals.status, 201, vitals.text);
  assert.ok(vitals.json.vitals_due_at, 'the next vitals are due at the protocol interval');
  const moaas = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'score', instrument: 'moaas', answers: [4] });
  assert.equal(moaas.status, 201, moaas.text);
  assert.equal(moaas.json.events.at(-1).data.total, 4);
  assert.equal((await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'stop' })).json.phase, 'recovery');

  const notYet = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'ready_for_discharge' });
  assert.equal(notYet.json.error.message, 'no vitals have been recorded in recovery');
  await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'vitals', systolic_mmhg: 128, diastolic_mmhg: 80 });
  const noAldrete = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'ready_for_discharge' });
  assert.equal(noAldrete.json.error.message, 'the modified Aldrete score must be at least 9 (aldrete_min); none is recorded');
  await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'score', instrument: 'aldrete', answers: [2, 2, 2, 2, 1] });
  const readyToGo = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'ready_for_discharge' });
  assert.equal(readyToGo.json.phase, 'ready_for_discharge', readyToGo.text);
  const noInstructions = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'discharge' });
  assert.equal(noInstructions.json.error.message, 'discharge needs the after-care instructions given');
  const discharged = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'discharge', instructions_given: true });
  assert.equal(discharged.json.phase, 'discharged', discharged.text);
  assert.equal(discharged.json.events.at(-1).data.escort_name, 'Sam Testperson (sibling)');

  // The note.
  const note = await prescriber.get(`/api/v1/sessions/${id}/note`);
  assert.equal(note.status, 200, note.text);
  assert.equal(note.json.summary.dose_order.dose_mg, 35);
  assert.equal(note.json.summary.rescue_medications[0].medication, 'ondansetron');
  assert.deepEqual(note.json.summary.vitals.systolic_mmhg, { min: 128, max: 142, count: 2 });
  const draft = await prescriber.put(`/api/v1/sessions/${id}/note`, { version: 0, fields: { assessment: 'Tolerated well', response: '' } });
  assert.equal(draft.status, 200, draft.text);
  const open = await prescriber.post(`/api/v1/sessions/${id}/note/sign`, { version: 1 });
  assertError(assert, open, 409, 'conflict', 'fields.response');
  assert.equal(open.json.error.message, 'the note cannot be signed with required fields open: response, plan');
  assertError(assert, await prescriber.put(`/api/v1/sessions/${id}/note`, { version: 0, fields: {} }), 409, 'conflict', 'version');
  await prescriber.put(`/api/v1/sessions/${id}/note`, { version: 1, fields: { assessment: 'Tolerated well', response: 'Mood lifted', plan: 'Infusion 2 on Friday' } });
  assertError(assert, await nurse.post(`/api/v1/sessions/${id}/note/sign`, { version: 2 }), 403, 'forbidden');
  assertError(assert, await nurse.post(`/api/v1/sessions/${id}/note/addenda`, { text: 'too early' }), 409, 'conflict');
  const signed = await prescriber.post(`/api/v1/sessions/${id}/note/sign`, { version: 2 });
  assert.equal(signed.status, 200, signed.text);
  assert.equal(signed.json.signed.by, 'demo.prescriber');
  const locked = await prescriber.put(`/api/v1/sessions/${id}/note`, { version: 2, fields: { assessment: 'changed' } });
  assertError(assert, locked, 409, 'conflict');
  assert.match(locked.json.error.message, /is locked; add an addendum$/);
  const addendum = await nurse.post(`/api/v1/sessions/${id}/note/addenda`, { text: 'Called next day: well.' });
  assert.equal(addendum.status, 201, addendum.text);
  assert.equal(addendum.json.addenda[0].signed_by, 'demo.nurse');
  assert.equal(addendum.json.fields.assessment, 'Tolerated well');

  const day = await nurse.get('/api/v1/sessions');
  assert.equal(day.status, 200, day.text);
  const row = day.json.items.find((s) => s.id === id);
  assert.equal(row.phase, 'discharged');
  assert.equal(row.patient.id, patientId);
  assertError(assert, await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'vitals', heart_rate_bpm: 70 }), 409, 'conflict', 'kind');
}

test('a full IV session from check-in to a signed note with an addendum', async (t) => {
  await sessionFlow(await serverFor(t));
});

test('the same session flow on PostgreSQL', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_sessions');
  t.after(() => database.drop());
  await sessionFlow(await serverFor(t, { database: database.url }));
});

test('without consent the readiness checklist fails with the consent rule named, and dosing is refused', async (t) => {
  const server = await serverFor(t);
  const { courseId, nurse, prescriber } = await readyPatient(server, { consent: false });
  const checkIn = await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Chair 1' });
  assert.equal(checkIn.status, 201, checkIn.text);
  const readiness = await nurse.post(`/api/v1/sessions/${checkIn.json.id}/readiness`, READY);
  assert.equal(readiness.json.readiness.passed, false);
  const failed = readiness.json.readiness.items.filter((i) => !i.ok).map((i) => [i.id, i.message]);
  assert.deepEqual(failed, [
    ['consent', 'no consent for IV racemic ketamine infusion has been recorded'],
    ['course', `course #${courseId} is in evaluation; a dose needs induction, maintenance or booster`],
  ]);
  await prescriber.post(`/api/v1/sessions/${checkIn.json.id}/dose-order`, { dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 10, duration_min: 40 });
  const start = await nurse.post(`/api/v1/sessions/${checkIn.json.id}/events`, { kind: 'start' });
  assertError(assert, start, 409, 'conflict', 'kind');
  assert.equal(start.json.error.message, 'no dose before the readiness checklist passes');
  const cancel = await nurse.post(`/api/v1/sessions/${checkIn.json.id}/events`, { kind: 'cancel', reason: 'no consent on file' });
  assert.equal(cancel.json.phase, 'cancelled');
  const therapist = await loggedIn(server, 'demo.therapist');
  assertError(assert, await therapist.post(`/api/v1/sessions/${checkIn.json.id}/events`, { kind: 'vitals', heart_rate_bpm: 70 }), 403, 'forbidden');
  assert.equal((await therapist.get(`/api/v1/sessions/${checkIn.json.id}`)).status, 200);
});

test('esketamine: REMS enrolment gates the checklist; the monitoring form is pre-filled, printable and tracked', async (t) => {
  const server = await serverFor(t);
  const { patientId, courseId, nurse, prescriber } = await readyPatient(server, { protocol: 'intranasal-esketamine' });
  const id = (await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Room 2' })).json.id;
  const before = await nurse.post(`/api/v1/sessions/${id}/readiness`, READY);
  const rems = before.json.readiness.items.find((i) => i.id === 'rems_enrolment');
  assert.equal(rems.ok, false);
  assert.equal(rems.message, 'the patient is not enrolled in the REMS programme (required before the first dose)');
  const today = new Date().toISOString().slice(0, 10);
  assertError(assert, await nurse.post(`/api/v1/patients/${patientId}/rems`, { status: 'enrolled', effective_on: today }), 400, 'invalid_input', 'rems_patient_id');
  const enrolled = await nurse.post(`/api/v1/patients/${patientId}/rems`, { status: 'enrolled', rems_patient_id: 'RP-42', effective_on: today });
  assert.equal(enrolled.status, 201, enrolled.text);
  assert.equal(enrolled.json.enrolled, true);
  assert.equal((await nurse.post(`/api/v1/sessions/${id}/readiness`, READY)).json.readiness.passed, true);
  // 84 mg on the course's first dose is above the day-1 dose (docs/sessions.md): given with an override.
  const order = await prescriber.post(`/api/v1/sessions/${id}/dose-order`, {
    dose_mg: 84, first_dose_override: { rule_id: 'first_dose_under_65', reason: 'continuing an 84 mg course from another clinic' },
  });
  assert.equal(order.json.dose_order.devices, 3, order.text);
  assert.equal((await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'device' })).status, 201);
  await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'score', instrument: 'moaas', answers: [5] });

  const form = await nurse.get(`/api/v1/sessions/${id}/rems-form`);
  assert.equal(form.status, 200, form.text);
  assert.equal(form.json.status, 'open');
  assert.equal(form.json.deadline_days, 7);
  const field = (name) => form.json.fields.find((f) => f.id === name);
  assert.equal(field('dose').value, '84 mg');
  assert.equal(field('sedation').value, false);
  assert.match(field('sedation').basis, /MOAA\/S/);
  assertError(assert, await nurse.post(`/api/v1/sessions/${id}/rems-form`, { submitted_on: today, confirmation: 'X' }), 409, 'conflict');
  // A correction must say why (checked before anything else; nothing is stored).
  assertError(assert, await nurse.post(`/api/v1/sessions/${id}/rems-form`, { submitted_on: today, confirmation: 'X', amends_id: 1 }), 400, 'invalid_input', 'reason');
  const pdf = await nurse.get(`/api/v1/sessions/${id}/rems-form?format=pdf`);
  assert.equal(pdf.status, 200);
  assert.match(pdf.headers.get('content-type'), /^application\/pdf/);
  assert.ok(pdf.text.startsWith('%PDF-'), 'a PDF document');
  const tracker = await nurse.get('/api/v1/rems/tracker');
  const row = tracker.json.items.find((i) => i.session.id === id);
  assert.equal(row.status, 'open');
  assert.equal(row.days_left, 7);
  assert.equal(row.enrolled, true);
  assert.equal(row.submitted_on, null);
  const all = await nurse.get('/api/v1/rems/tracker?status=all');
  assert.equal(all.json.items.find((i) => i.session.id === id).status, 'open');
  assertError(assert, await nurse.get('/api/v1/rems/tracker?status=late'), 400, 'invalid_input', 'status');
  assert.deepEqual((await nurse.get('/api/v1/rems/tracker?status=overdue')).json.items.filter((i) => i.session.id === id), []);
  // An IV session has no REMS form.
  const iv = await readyPatient(server);
  const ivSession = (await iv.nurse.post('/api/v1/sessions', { course_id: iv.courseId, chair: 'Chair 9' })).json.id;
  assertError(assert, await nurse.get(`/api/v1/sessions/${ivSession}/rems-form`), 409, 'conflict');
});

test('integration notes on a session and the shared care summary with a booster signal', async (t) => {
  const server = await serverFor(t);
  const { patientId, courseId, nurse, prescriber } = await readyPatient(server);
  const therapist = await loggedIn(server, 'demo.therapist');
  const id = (await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Chair 2' })).json.id;
  const note = { session_id: id, format: 'dap', fields: { data: 'Vivid imagery', assessment: 'Processing grief', plan: 'Journal daily' },
    homework: 'Three-line journal each evening', coping_plan: 'Breathing 4-7-8; call sister' };
  assertError(assert, await nurse.post(`/api/v1/patients/${patientId}/integration-notes`, note), 403, 'forbidden');
  assertError(assert, await therapist.post(`/api/v1/patients/${patientId}/integration-notes`, { ...note, fields: { data: 'x', assessment: ' ', plan: 'y' } }), 400, 'invalid_input', 'fields.assessment');
  assertError(assert, await therapist.post(`/api/v1/patients/${patientId}/integration-notes`, { ...note, format: 'soap' }), 400, 'invalid_input', 'fields.subjective');
  const written = await therapist.post(`/api/v1/patients/${patientId}/integration-notes`, note);
  assert.equal(written.status, 201, written.text);
  assert.equal(written.json.signed_by, 'demo.therapist');
  const corrected = await therapist.post(`/api/v1/patients/${patientId}/integration-notes`, { ...note, amends_id: written.json.id, homework: 'Journal twice a week' });
  assert.equal(corrected.json.amends_id, written.json.id);

  // PHQ-9 20 at baseline, 8 (a response), then 12: response lost.
  for (const answers of [[3, 3, 2, 2, 2, 2, 2, 2, 2], [1, 1, 1, 1, 1, 1, 1, 1, 0], [2, 2, 1, 1, 1, 1, 2, 2, 0]]) {
    assert.equal((await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'phq9', answers })).status, 201);
  }
  let summary = await prescriber.get(`/api/v1/patients/${patientId}/care-summary`);
  assert.equal(summary.status, 200, summary.text);
  assert.equal(summary.json.integration_notes.length, 2);
  assert.equal(summary.json.sessions[0].integration_notes, 2);
  assert.equal(summary.json.booster_signals[0].rule, 'loss_of_response');
  assert.equal(summary.json.booster_suggested, false, 'a booster is suggested only in maintenance');
  await prescriber.post(`/api/v1/courses/${courseId}/transitions`, { to: 'maintenance' });
  summary = await therapist.get(`/api/v1/patients/${patientId}/care-summary`);
  assert.equal(summary.json.booster_suggested, true);
  const desk = await loggedIn(server, 'demo.frontdesk');
  assertError(assert, await desk.get(`/api/v1/patients/${patientId}/care-summary`), 403, 'forbidden');
});
