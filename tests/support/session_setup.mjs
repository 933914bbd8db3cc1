// Test set-up shared by the dosing-session suites: a new patient ready for a
// protocol (weight, intake, cleared eligibility, signed consent, a course in
// induction) and readiness answers that pass the IV protocol's checklist.
import assert from 'node:assert/strict';
import { loggedIn, samplePatient } from './ketachart.mjs';

export const IV = 'iv-racemic-ketamine';
export const SIGNATURE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** A new patient with an IV course; `consent` false leaves the consent out; `patient` overrides demographics. */
export async function readyPatient(server, { consent = true, protocol = IV, patient = {} } = {}) {
  const desk = await loggedIn(server, 'demo.frontdesk');
  const nurse = await loggedIn(server, 'demo.nurse');
  const prescriber = await loggedIn(server, 'demo.prescriber');
  const created = await desk.post('/api/v1/patients', samplePatient(patient));
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  const today = new Date().toISOString().slice(0, 10);
  const weight = await nurse.post(`/api/v1/patients/${id}/measurements`, { kind: 'weight', weight_kg: 70, measured_on: today });
  assert.equal(weight.status, 201, weight.text);
  const intake = { age_years: 40, weight_kg: 70, vitals: { systolic_mmhg: 122, diastolic_mmhg: 78 } };
  assert.equal((await nurse.post(`/api/v1/patients/${id}/intakes`, { intake })).status, 201);
  const decision = await nurse.post(`/api/v1/patients/${id}/eligibility`, { protocol_id: protocol });
  assert.equal(decision.json.cleared, true, decision.text);
  if (consent) {
    const documents = await nurse.get(`/api/v1/consent-documents?protocol=${protocol}`);
    const signed = await nurse.post(`/api/v1/patients/${id}/consents`, {
      document_id: documents.json.items[0].id, signed_name: 'Alexandra Testperson', signature_png: SIGNATURE,
      signed_on: today, witness_name: 'Maria Lindqvist, RN',
    });
    assert.equal(signed.status, 201, signed.text);
  }
  const course = await prescriber.post(`/api/v1/patients/${id}/courses`, { protocol_id: protocol, goal: 'remission' });
  assert.equal(course.status, 201, course.text);
  if (consent) {
    const moved = await prescriber.post(`/api/v1/courses/${course.json.id}/transitions`, { to: 'induction' });
    assert.equal(moved.status, 200, moved.text);
  }
  return { patientId: id, courseId: course.json.id, nurse, prescriber };
}

export const READY = {
  fasting_confirmed: true, escort_name: 'Sam Testperson (sibling)', held_medications_confirmed: true,
  pregnancy_test: 'negative', vitals: { systolic_mmhg: 126, diastolic_mmhg: 80, heart_rate_bpm: 72, spo2_percent: 98 },
};


/**
 * Publishes the clinic's next version of the esketamine protocol with `seconds` of rest between
 * devices (test data: the shipped, cited value is 5 min), so a test need not wait five minutes.
 */
export async function publishEsketamineRest(server, seconds) {
  const admin = await loggedIn(server, 'demo.admin');
  const current = await admin.get('/api/v1/protocols/intranasal-esketamine');
  assert.equal(current.status, 200, current.text);
  const document = structuredClone(current.json.protocol);
  document.version = current.json.version + 1;
  document.dosing.parameters.find((p) => p.id === 'rest_between_devices').value = seconds / 60;
  const published = await admin.post('/api/v1/protocols/intranasal-esketamine/versions', {
    document, change_reason: `test: ${seconds} s rest between devices`,
  });
  assert.equal(published.status, 201, published.text);
}
