// HTTP API: pharmacology. GET /api/v1/pk/models and POST /api/v1/pk/simulate need a session
// with patient.read (auditors are refused, anonymous callers get 401); the Domino anchor of
// clinical-reference.md A4 over HTTP; bad input names the field; a patient's dosing plan uses
// the latest recorded weight (value and date returned), refuses a patient without a weight and
// patients of another clinic, and its chart read is audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, loggedIn, samplePatient, serverFor } from '../support/ketachart.mjs';

const DOMINO_PLAN = {
  model: 'domino-1984',
  infusions: [{ dose_mg_per_kg: 0.5, over_min: 40 }],
  times: { first: 0, last: 240, step: 10 },
};

test('models and simulation need patient.read; the Domino anchor over HTTP', async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse');
  const models = await nurse.get('/api/v1/pk/models');
  assert.equal(models.status, 200, models.text);
  assert.deepEqual(models.json.models.map((m) => m.id).sort(),
    ['clements-nimmo-1981', 'domino-1984', 'fanta-2015', 'hijazi-2003', 'perez-ruixo-2021', 'simons-2022']);

  const r = await nurse.post('/api/v1/pk/simulate', { ...DOMINO_PLAN, weight_kg: 70, threshold_ng_per_ml: 100 });
  assert.equal(r.status, 200, r.text);
  const at40 = r.json.points.find((p) => p.minute === 40);
  assert.ok(Math.abs(at40.plasma_ng_per_ml - 240.36) < 0.01, String(at40.plasma_ng_per_ml));
  assert.equal(r.json.iv_dose_mg, 35);
  assert.deepEqual([r.json.dissociation_band_ng_per_ml.low, r.json.dissociation_band_ng_per_ml.high], [100, 250]);
  assert.ok(r.json.minutes_above_threshold > 30);

  const auditor = await loggedIn(server, 'demo.auditor');
  assert.equal((await auditor.get('/api/v1/pk/models')).status, 403);
  assert.equal((await auditor.post('/api/v1/pk/simulate', { ...DOMINO_PLAN, weight_kg: 70 })).status, 403);
  const anonymous = await fetch(`${server.baseUrl}/api/v1/pk/models`);
  assert.equal(anonymous.status, 401);
});

test('bad simulation input names the field', async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse');
  const cases = [
    [{ ...DOMINO_PLAN, weight_kg: 19 }, 'weight_kg'],
    [{ ...DOMINO_PLAN, weight_kg: 301 }, 'weight_kg'],
    [{ ...DOMINO_PLAN }, 'weight_kg'],
    [{ ...DOMINO_PLAN, weight_kg: 70, model: 'kamp-2020' }, 'model'],
    [{ ...DOMINO_PLAN, weight_kg: 70, infusions: [{ dose_mg_per_kg: 0.5 }] }, 'infusions[0].over_min'],
    [{ ...DOMINO_PLAN, weight_kg: 70, infusions: [{ dose_mg_per_kg: 0.5, dose_mg: 30, over_min: 40 }] }, 'infusions[0].dose_mg'],
    [{ ...DOMINO_PLAN, weight_kg: 70, infusions: [] }, 'infusions'],
    [{ ...DOMINO_PLAN, weight_kg: 70, intranasal: [{ devices: 2 }] }, 'intranasal'],
    [{ ...DOMINO_PLAN, weight_kg: 70, surprise: 1 }, 'surprise'],
  ];
  for (const [body, field] of cases) {
    const r = await nurse.post('/api/v1/pk/simulate', body);
    assertError(assert, r, 400, 'invalid_input', field);
  }
});

test("a patient's dosing plan uses the latest recorded weight and is audited", async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse');
  const created = await nurse.post('/api/v1/patients', samplePatient());
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  const none = await nurse.post(`/api/v1/patients/${id}/dosing-plan`, DOMINO_PLAN);
  assertError(assert, none, 400, 'invalid_input', 'weight');
  for (const [kg, date] of [[90, '2024-01-10'], [70, '2024-03-01']]) {
    const m = await nurse.post(`/api/v1/patients/${id}/measurements`, { kind: 'weight', weight_kg: kg, measured_on: date });
    assert.equal(m.status, 201, m.text);
  }
  const admin = await loggedIn(server, 'demo.admin');
  const reads = async () => {
    const trail = await admin.get(`/api/v1/audit?patient=${id}`);
    assert.equal(trail.status, 200, trail.text);
    return trail.json.items.filter((e) => e.action === 'patient.read' && e.username === 'demo.nurse').length;
  };
  const before = await reads();
  const plan = await nurse.post(`/api/v1/patients/${id}/dosing-plan`, DOMINO_PLAN);
  assert.equal(plan.status, 200, plan.text);
  assert.equal(plan.json.weight_kg, 70);
  assert.equal(plan.json.weight_measured_on, '2024-03-01');
  assert.equal(plan.json.iv_dose_mg, 35);
  assert.ok(Math.abs(plan.json.points.find((p) => p.minute === 40).plasma_ng_per_ml - 240.36) < 0.01);

  const missing = await nurse.post('/api/v1/patients/99999999/dosing-plan', DOMINO_PLAN);
  assert.equal(missing.status, 404);
  assert.equal(await reads(), before + 1, 'the chart read behind the dosing plan is in the audit trail');
});
