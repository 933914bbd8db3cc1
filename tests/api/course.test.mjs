// HTTP API: the patient's course. A new patient's intake is recorded, evaluated against the IV
// protocol (a lamotrigine warning), the warning overridden by the prescriber with a reason (a
// nurse is refused), an admin publishes the consent document, a nurse records the patient's
// drawn signature, and the course moves from evaluation to induction only then; before, the
// refusal names both missing gates. A contraindicated patient (ketamine allergy) is not eligible,
// the hard stop cannot be overridden and the course is refused with the hard stop's message.
// Bad input is 400 naming the field and writes nothing; another clinic gets 404; front desk 403;
// the steps are in the audit trail. The whole flow runs on PostgreSQL too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HMC, assertError, createPgDatabase, loggedIn, pgClusterUrl, samplePatient, serverFor } from '../support/ketachart.mjs';

const IV = 'iv-racemic-ketamine';
// A 1x1 transparent PNG, as a canvas would produce it (data URL).
const SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function intake(extra = {}) {
  return {
    age_years: 38,
    weight_kg: 68,
    conditions: [],
    medications: [{ name: 'Lamotrigine', classes: ['lamotrigine'], daily_dose_mg: 100 }],
    vitals: { systolic_mmhg: 124, diastolic_mmhg: 80, heart_rate_bpm: 72, spo2_percent: 98 },
    goals: 'fewer nightmares',
    referring_provider: 'Dr. Imani Reyes',
    ...extra,
  };
}

async function newPatient(server) {
  const desk = await loggedIn(server, 'demo.frontdesk');
  const created = await desk.post('/api/v1/patients', samplePatient());
  assert.equal(created.status, 201, created.text);
  return created.json.id;
}

async function courseFlow(server) {
  const patientId = await newPatient(server);
  const nurse = await loggedIn(server, 'demo.nurse');
  const prescriber = await loggedIn(server, 'demo.prescriber');
  const admin = await loggedIn(server, 'demo.admin');

  const protocols = await nurse.get('/api/v1/protocols');
  assert.equal(protocols.status, 200, protocols.text);
  const iv = protocols.json.items.find((p) => p.id === IV);
  assert.equal(iv.origin, 'shipped');
  assert.ok(iv.unconfirmed.some((q) => q.id === 'titration_max'), 'the unconfirmed titration ceiling is flagged');

  const recorded = await nurse.post(`/api/v1/patients/${patientId}/intakes`, { intake: intake() });
  assert.equal(recorded.status, 201, recorded.text);
  assert.equal(recorded.json.version, 1);

  const decision = await nurse.post(`/api/v1/patients/${patientId}/eligibility`, { protocol_id: IV });
  assert.equal(decision.status, 201, decision.text);
  assert.equal(decision.json.outcome, 'eligible_with_warnings');
  assert.equal(decision.json.cleared, false);
  const warning = decision.json.findings.find((f) => f.rule_id === 'C4-lamotrigine');
  assert.equal(warning.severity, 'warning');
  assert.equal(warning.needs_override, true);
  assert.ok(warning.source.citation.length > 0, 'the finding cites its source');

  // Only a prescriber overrides, and only with a reason.
  const path = `/api/v1/eligibility-decisions/${decision.json.id}/overrides`;
  assertError(assert, await nurse.post(path, { rule_id: 'C4-lamotrigine', reason: 'fine' }), 403, 'forbidden');
  assertError(assert, await prescriber.post(path, { rule_id: 'C4-lamotrigine' }), 400, 'invalid_input', 'reason');

  // The course cannot dose yet: both gates are named.
  const course = await prescriber.post(`/api/v1/patients/${patientId}/courses`, { protocol_id: IV, goal: 'remission' });
  assert.equal(course.status, 201, course.text);
  assert.equal(course.json.state, 'evaluation');
  const early = await prescriber.post(`/api/v1/courses/${course.json.id}/transitions`, { to: 'induction' });
  assertError(assert, early, 409, 'conflict', 'to');
  assert.match(early.json.error.message, /warning C4-lamotrigine needs a prescriber's override/);
  assert.match(early.json.error.message, /no consent for IV racemic ketamine infusion has been recorded/);

  const overridden = await prescriber.post(path, { rule_id: 'C4-lamotrigine', reason: 'stable on 100 mg for years' });
  assert.equal(overridden.status, 201, overridden.text);
  assert.equal(overridden.json.cleared, true);

  const document = await admin.post('/api/v1/consent-documents', {
    protocol_id: IV,
    title: 'Consent to IV ketamine infusions',
    body: 'What the treatment is, its risks, benefits and alternatives.',
    valid_for_days: 180,
    requires_reconsent: false,
    change_reason: 'first version',
  });
  assert.equal(document.status, 201, document.text);
  // The demo clinic ships a demo consent document per protocol: this is the next version.
  assert.equal(document.json.version, 2);
  assertError(assert, await nurse.post('/api/v1/consent-documents', {}), 403, 'forbidden');

  const today = new Date().toISOString().slice(0, 10);
  const unsigned = await nurse.post(`/api/v1/patients/${patientId}/consents`, {
    document_id: document.json.id, signed_name: 'Pat Doe', signature_png: 'data:image/png;base64,', signed_on: today,
    witness_name: 'N. Nurse',
  });
  assertError(assert, unsigned, 400, 'invalid_input', 'signature_png');
  const consent = await nurse.post(`/api/v1/patients/${patientId}/consents`, {
    document_id: document.json.id, signed_name: 'Pat Doe', signature_png: SIGNATURE, signed_on: today,
    witness_name: 'N. Nurse',
  });
  assert.equal(consent.status, 201, consent.text);
  assert.equal(consent.json.status, 'valid');
  const image = await prescriber.get(`/api/v1/consents/${consent.json.id}`);
  assert.equal(image.json.signature_png, SIGNATURE);

  const moved = await prescriber.post(`/api/v1/courses/${course.json.id}/transitions`, { to: 'induction', reason: 'six infusions' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.state, 'induction');
  assert.equal(moved.json.readiness.eligibility.ok, true);
  assert.equal(moved.json.readiness.consent.ok, true);
  assert.deepEqual(moved.json.allowed.map((a) => a.to), ['maintenance', 'discontinued']);

  // Revoking the consent is recorded and the course shows it at once.
  const revoked = await nurse.post(`/api/v1/consents/${consent.json.id}/revoke`, { reason: 'patient withdrew' });
  assert.equal(revoked.status, 200, revoked.text);
  const after = await prescriber.get(`/api/v1/courses/${course.json.id}`);
  assert.equal(after.json.readiness.consent.ok, false);
  assert.match(after.json.readiness.consent.message, /was revoked on \d{4}-\d{2}-\d{2}: patient withdrew/);

  // The trail names each step.
  const auditor = await loggedIn(server, 'demo.auditor');
  const events = (await auditor.get(`/api/v1/audit?patient=${patientId}&limit=200`)).json.items.map((e) => `${e.action}:${e.outcome}`);
  for (const expected of ['intake.record:success', 'eligibility.evaluate:success', 'eligibility.override:success',
    'consent.record:success', 'course.open:success', 'course.transition:success',
    'consent.revoke:success', 'course.read:success']) {
    assert.ok(events.includes(expected), `${expected} in ${events.join(', ')}`);
  }
  // The nurse's refused override is audited before any patient is known: it names the decision.
  const byNurse = (await auditor.get('/api/v1/audit?user=demo.nurse&limit=200')).json.items;
  assert.ok(byNurse.some((e) => e.action === 'eligibility.override' && e.outcome === 'denied' &&
    e.resource_id === String(decision.json.id)), 'the refused override is in the trail');
  return patientId;
}

test('a patient through intake, an overridden warning and consent into induction', async (t) => {
  await courseFlow(await serverFor(t));
});

test('the same course flow on PostgreSQL', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_course');
  t.after(() => database.drop());
  await courseFlow(await serverFor(t, { database: database.url }));
});

test('a contraindicated patient is stopped with the hard stop named', async (t) => {
  const server = await serverFor(t);
  const patientId = await newPatient(server);
  const nurse = await loggedIn(server, 'demo.nurse');
  const prescriber = await loggedIn(server, 'demo.prescriber');
  const allergic = intake({ medications: [], allergies: [{ substance: 'Ketalar', reaction: 'anaphylaxis', category: 'ketamine' }] });
  assert.equal((await nurse.post(`/api/v1/patients/${patientId}/intakes`, { intake: allergic })).status, 201);
  const decision = await nurse.post(`/api/v1/patients/${patientId}/eligibility`, { protocol_id: IV });
  assert.equal(decision.json.outcome, 'not_eligible');
  const stop = decision.json.findings.find((f) => f.severity === 'hard_stop');
  assert.equal(stop.rule_id, 'C3-ketalar-hypersensitivity');
  const refused = await prescriber.post(`/api/v1/eligibility-decisions/${decision.json.id}/overrides`, {
    rule_id: stop.rule_id, reason: 'mild reaction',
  });
  assertError(assert, refused, 409, 'conflict', 'rule_id');
  const course = await prescriber.post(`/api/v1/patients/${patientId}/courses`, { protocol_id: IV });
  const moved = await prescriber.post(`/api/v1/courses/${course.json.id}/transitions`, { to: 'induction' });
  assertError(assert, moved, 409, 'conflict', 'to');
  assert.ok(moved.json.error.message.startsWith('not eligible for IV racemic ketamine infusion v1: '), moved.json.error.message);
  assert.ok(moved.json.error.message.includes(stop.message), moved.json.error.message);
});

test('bad input names the field and writes nothing; other clinics and roles are refused', async (t) => {
  const server = await serverFor(t);
  const patientId = await newPatient(server);
  const nurse = await loggedIn(server, 'demo.nurse');
  const desk = await loggedIn(server, 'demo.frontdesk');
  const bad = await nurse.post(`/api/v1/patients/${patientId}/intakes`, { intake: intake({ weight_kg: 'heavy' }) });
  assertError(assert, bad, 400, 'invalid_input', 'intake.weight_kg');
  assertError(assert, await nurse.post(`/api/v1/patients/${patientId}/intakes`, { intake: intake(), extra: 1 }), 400, 'invalid_input', 'extra');
  assert.deepEqual((await nurse.get(`/api/v1/patients/${patientId}/intakes`)).json.items, []);
  assertError(assert, await desk.get(`/api/v1/patients/${patientId}/intakes`), 403, 'forbidden');
  assertError(assert, await nurse.post(`/api/v1/patients/${patientId}/eligibility`, { protocol_id: IV }), 409, 'conflict', 'intake');
  assertError(assert, await nurse.post(`/api/v1/patients/${patientId}/eligibility`, { protocol_id: 'nope' }), 400, 'invalid_input', 'protocol_id');

  const prescriber = await loggedIn(server, 'demo.prescriber');
  const course = await prescriber.post(`/api/v1/patients/${patientId}/courses`, { protocol_id: IV });
  assertError(assert, await prescriber.post(`/api/v1/courses/${course.json.id}/transitions`, { to: 'paused' }), 400, 'invalid_input', 'to');
  assertError(assert, await prescriber.post(`/api/v1/courses/${course.json.id}/transitions`, { to: 'discontinued' }), 409, 'conflict', 'to');

  // The demo admin works at both clinics: switched to the other one, this course does not exist.
  const other = await loggedIn(server, 'demo.admin');
  assert.equal((await other.get(`/api/v1/courses/${course.json.id}`)).status, 200);
  const switched = await other.put('/api/v1/session/clinic', { clinic_id: HMC });
  assert.equal(switched.status, 200, switched.text);
  assertError(assert, await other.get(`/api/v1/courses/${course.json.id}`), 404, 'not_found');
});
