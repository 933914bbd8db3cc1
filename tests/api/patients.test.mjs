// HTTP API: patients. Registration (201, generated per-clinic MRN), reading, search by name
// prefix (family-first and given-first, case-insensitive, two words), birth date and MRN;
// pagination with limit/cursor covering every patient exactly once and limit bounds; versioned
// edits (version numbers, reasons, stale-version 409, reading old versions); weight
// measurements (latest_weight, exact-grams rule); clinic isolation (404 across clinics) and the
// role rules (therapist read-only, auditor no chart access); concurrent edits of one version
// (one wins, the rest 409) and concurrent registrations (unique MRNs).
// Each test starts its own demo server (60 patients per clinic) on a fresh data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DOCUMENT_FIELDS,
  HMC,
  NRK,
  allPages,
  assertError,
  letters,
  loggedIn,
  samplePatient,
  serverFor,
} from '../support/ketachart.mjs';

const capital = (s) => s[0].toUpperCase() + s.slice(1);

/** The editable document of a chart (what PUT takes, without version/change_reason). */
function documentOf(chart) {
  const doc = {};
  for (const key of DOCUMENT_FIELDS) if (chart[key] !== undefined) doc[key] = chart[key];
  return doc;
}

function assertSameDocument(actual, expected) {
  for (const key of DOCUMENT_FIELDS) {
    if (expected[key] === undefined) continue;
    assert.deepEqual(actual[key], expected[key], `field ${key}`);
  }
}

test('registering a patient: 201 with id, generated MRN NRK-000061, the document, version 1', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const patient = samplePatient();
  const created = await admin.post('/api/v1/patients', patient);
  assert.equal(created.status, 201, created.text);
  const chart = created.json;
  assert.equal(typeof chart.id, 'number');
  assert.equal(chart.mrn, 'NRK-000061', 'the demo clinic has 60 patients; the next MRN is 61');
  assert.equal(chart.clinic_id, NRK);
  assert.equal(chart.version, 1);
  assertSameDocument(chart, patient);
  assert.deepEqual(chart.measurements, []);
  assert.equal(chart.latest_weight, null);
  assert.match(chart.created_at, /^\d{4}-\d{2}-\d{2}T/);

  const read = await admin.get(`/api/v1/patients/${chart.id}`);
  assert.equal(read.status, 200, read.text);
  assert.equal(read.json.id, chart.id);
  assert.equal(read.json.mrn, 'NRK-000061');
  assert.equal(read.json.version, 1);
  assertSameDocument(read.json, patient);

  // The next one gets the next number; an explicit MRN is kept.
  const second = await admin.post('/api/v1/patients', samplePatient({ given_names: 'Second' }));
  assert.equal(second.json.mrn, 'NRK-000062');
  const explicit = await admin.post('/api/v1/patients', samplePatient({ mrn: 'EXT-42' }));
  assert.equal(explicit.status, 201, explicit.text);
  assert.equal(explicit.json.mrn, 'EXT-42');

  // Minimal document: only the required fields.
  const minimal = await admin.post('/api/v1/patients', {
    family_name: 'Min',
    given_names: 'Imal',
    birth_date: '2000-01-01',
    sex: 'unknown',
  });
  assert.equal(minimal.status, 201, minimal.text);

  assertError(assert, await admin.get('/api/v1/patients/999999'), 404, 'not_found');
  assertError(assert, await admin.get('/api/v1/patients/abc'), 400, 'invalid_input', 'id');
});

test('search: name prefix family-first and given-first, case-insensitive, "family gi" two-word form', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const family = capital(`zq${letters(7)}`);
  const given = capital(`jo${letters(5)}`);
  const created = await admin.post('/api/v1/patients', samplePatient({ family_name: family, given_names: `${given} Ann` }));
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  // A decoy sharing the family name with another given name.
  const decoy = await admin.post('/api/v1/patients', samplePatient({ family_name: family, given_names: 'Bartholomew' }));
  assert.equal(decoy.status, 201);

  const search = async (q) => {
    const result = await admin.get(`/api/v1/patients?q=${encodeURIComponent(q)}`);
    assert.equal(result.status, 200, `q=${q}: ${result.text}`);
    return result.json.items.map((p) => p.id);
  };
  const both = [id, decoy.json.id].sort((a, b) => a - b);
  assert.deepEqual((await search(family)).sort((a, b) => a - b), both);
  assert.deepEqual((await search(family.slice(0, 4).toLowerCase())).sort((a, b) => a - b), both);
  assert.deepEqual((await search(family.toUpperCase())).sort((a, b) => a - b), both);
  assert.deepEqual(await search(`${family.toLowerCase()} ${given.slice(0, 2)}`), [id], '"smith jo" form');
  assert.deepEqual(await search(`${family}, ${given}`), [id], '"Smith, John" form');
  assert.deepEqual(await search(`  ${family.toUpperCase()}   ${given.toLowerCase()}  `), [id], 'extra spaces');
  assert.deepEqual(await search(given.toLowerCase()), [id], 'given name first');
  assert.deepEqual(await search(`${given.toUpperCase()} ann ${family.slice(0, 3)}`), [id], 'given-first with family prefix');
  assert.deepEqual(await search('bartholomew'), [decoy.json.id]);
  assert.deepEqual(await search(`${family}x`), []);
  assert.deepEqual(await search(`zz${letters(10)}`), []);

  // Search results are summaries with the listed fields.
  const page = await admin.get(`/api/v1/patients?q=${family}`);
  const item = page.json.items.find((p) => p.id === id);
  assert.deepEqual(Object.keys(item).sort(), ['birth_date', 'family_name', 'given_names', 'id', 'mrn', 'sex']);
  assert.equal(item.family_name, family);
  assert.equal(page.json.next_cursor, null);
});

test('search by exact birth date and by exact MRN', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const birthDate = '1903-07-13'; // before any demo birth date
  const a = await admin.post('/api/v1/patients', samplePatient({ family_name: 'Datesearch', birth_date: birthDate }));
  const b = await admin.post('/api/v1/patients', samplePatient({ family_name: 'Otherdate', birth_date: '1903-07-14' }));
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);

  const byDate = await admin.get(`/api/v1/patients?q=${birthDate}`);
  assert.equal(byDate.status, 200, byDate.text);
  assert.deepEqual(
    byDate.json.items.map((p) => p.id),
    [a.json.id],
  );
  assert.equal(byDate.json.items[0].birth_date, birthDate);

  // Every demo patient found by its own birth date.
  const some = (await admin.get('/api/v1/patients?limit=5')).json.items;
  for (const p of some) {
    const result = await admin.get(`/api/v1/patients?q=${p.birth_date}`);
    assert.ok(result.json.items.some((x) => x.id === p.id), `birth date ${p.birth_date}`);
    assert.ok(result.json.items.every((x) => x.birth_date === p.birth_date));
  }

  for (const mrn of [a.json.mrn, 'NRK-000007']) {
    const byMrn = await admin.get(`/api/v1/patients?q=${encodeURIComponent(mrn)}`);
    assert.equal(byMrn.status, 200, byMrn.text);
    assert.deepEqual(
      byMrn.json.items.map((p) => p.mrn),
      [mrn],
    );
  }
  const hmcMrn = await admin.get('/api/v1/patients?q=HMC-000001');
  assert.deepEqual(hmcMrn.json.items, [], 'an MRN of another clinic finds nothing');
});

test('pagination with limit and cursor covers every patient exactly once; limit bounds are 1..200', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  // Add a few patients with identical names so the cursor must break ties by id.
  const added = [];
  for (let i = 0; i < 5; i++) {
    const created = await admin.post('/api/v1/patients', samplePatient({ family_name: 'Twin', given_names: 'Same' }));
    assert.equal(created.status, 201, created.text);
    added.push(created.json.id);
  }
  const everything = await admin.get('/api/v1/patients?limit=200');
  assert.equal(everything.status, 200);
  assert.equal(everything.json.items.length, 65);
  assert.equal(everything.json.next_cursor, null);
  const expected = everything.json.items.map((p) => p.id);

  for (const limit of [1, 7, 13, 64, 65]) {
    const pages = [];
    let cursor = null;
    let guard = 0;
    do {
      const url = `/api/v1/patients?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await admin.get(url);
      assert.equal(page.status, 200, page.text);
      assert.ok(page.json.items.length <= limit);
      pages.push(...page.json.items.map((p) => p.id));
      cursor = page.json.next_cursor;
      assert.ok(++guard <= 70, 'too many pages');
    } while (cursor);
    assert.equal(new Set(pages).size, pages.length, `limit=${limit}: duplicates`);
    assert.deepEqual(pages, expected, `limit=${limit}: every patient exactly once, in the same order`);
  }
  for (const id of added) assert.ok(expected.includes(id));

  // Default page size is 50.
  const first = await admin.get('/api/v1/patients');
  assert.equal(first.json.items.length, 50);
  assert.equal(typeof first.json.next_cursor, 'string');

  // A name search paginates too.
  const twins = await allPages(admin, '/api/v1/patients?q=twin', { limit: 2 });
  assert.deepEqual(twins.map((p) => p.id).sort((x, y) => x - y), added);

  for (const bad of ['0', '201', '-1', 'abc', '1.5', '']) {
    assertError(assert, await admin.get(`/api/v1/patients?limit=${bad}`), 400, 'invalid_input', 'limit');
  }
  assertError(assert, await admin.get(`/api/v1/patients?cursor=${encodeURIComponent('***')}`), 400, 'invalid_input', 'cursor');
});

test('editing: PUT with version writes version 2; versions list both with reasons; old version readable', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const original = samplePatient({ family_name: 'Versioned', phone: '+1 555 0100 1111' });
  const created = await admin.post('/api/v1/patients', original);
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;

  const changed = { ...documentOf(created.json), phone: '+1 555 0100 2222', given_names: 'Renamed' };
  const updated = await admin.put(`/api/v1/patients/${id}`, { ...changed, version: 1, change_reason: 'new phone number' });
  assert.equal(updated.status, 200, updated.text);
  assert.equal(updated.json.version, 2);
  assert.equal(updated.json.phone, '+1 555 0100 2222');
  assert.equal(updated.json.given_names, 'Renamed');
  assert.equal(updated.json.mrn, created.json.mrn);

  const current = await admin.get(`/api/v1/patients/${id}`);
  assert.equal(current.json.version, 2);
  assert.equal(current.json.phone, '+1 555 0100 2222');

  const versions = await admin.get(`/api/v1/patients/${id}/versions`);
  assert.equal(versions.status, 200, versions.text);
  const items = versions.json.items;
  assert.deepEqual(
    items.map((v) => v.version),
    [2, 1],
    'newest first',
  );
  assert.equal(items[0].change_reason, 'new phone number');
  assert.equal(typeof items[1].change_reason, 'string');
  assert.ok(items[1].change_reason.length > 0, 'the first version has a reason too');
  for (const v of items) {
    assert.equal(v.recorded_by, 'demo.admin');
    assert.match(v.recorded_at, /^\d{4}-\d{2}-\d{2}T/);
  }

  const v1 = await admin.get(`/api/v1/patients/${id}/versions/1`);
  assert.equal(v1.status, 200, v1.text);
  assert.equal(v1.json.version, 1);
  assert.equal(v1.json.phone, '+1 555 0100 1111');
  assert.equal(v1.json.given_names, original.given_names);
  const v2 = await admin.get(`/api/v1/patients/${id}/versions/2`);
  assert.equal(v2.json.phone, '+1 555 0100 2222');
  assertError(assert, await admin.get(`/api/v1/patients/${id}/versions/3`), 404, 'not_found');

  // Edits need a reason and the version.
  const noReason = await admin.put(`/api/v1/patients/${id}`, { ...changed, version: 2 });
  assertError(assert, noReason, 400, 'invalid_input', 'change_reason');
  const noVersion = await admin.put(`/api/v1/patients/${id}`, { ...changed, change_reason: 'x' });
  assertError(assert, noVersion, 400, 'invalid_input', 'version');
  assert.equal((await admin.get(`/api/v1/patients/${id}`)).json.version, 2);
});

test('a stale version is 409 field version and leaves the record unchanged', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const nurse = await loggedIn(server, 'demo.nurse');
  const created = await admin.post('/api/v1/patients', samplePatient({ family_name: 'Stale' }));
  const id = created.json.id;
  const doc = documentOf(created.json);

  // Two people open version 1; the nurse saves first.
  const first = await nurse.put(`/api/v1/patients/${id}`, { ...doc, address: 'Nurse Street 1', version: 1, change_reason: 'moved' });
  assert.equal(first.status, 200, first.text);
  const stale = await admin.put(`/api/v1/patients/${id}`, { ...doc, address: 'Admin Road 2', version: 1, change_reason: 'typo' });
  assertError(assert, stale, 409, 'conflict', 'version');

  const current = await admin.get(`/api/v1/patients/${id}`);
  assert.equal(current.json.version, 2);
  assert.equal(current.json.address, 'Nurse Street 1');
  const versions = await admin.get(`/api/v1/patients/${id}/versions`);
  assert.deepEqual(
    versions.json.items.map((v) => [v.version, v.recorded_by]),
    [
      [2, 'demo.nurse'],
      [1, 'demo.admin'],
    ],
  );
  // A version from the future is stale too.
  assertError(
    assert,
    await admin.put(`/api/v1/patients/${id}`, { ...doc, version: 7, change_reason: 'x' }),
    409,
    'conflict',
    'version',
  );
  assert.equal((await admin.get(`/api/v1/patients/${id}`)).json.version, 2);
});

test('measurements: weight 72.5 becomes latest_weight; 72.12345 kg is 400 weight_kg and not stored', async (t) => {
  const server = await serverFor(t);
  const nurse = await loggedIn(server, 'demo.nurse');
  const created = await nurse.post('/api/v1/patients', samplePatient({ family_name: 'Weighed' }));
  const id = created.json.id;

  const older = await nurse.post(`/api/v1/patients/${id}/measurements`, { kind: 'weight', weight_kg: 80, measured_on: '2024-01-10' });
  assert.equal(older.status, 201, older.text);
  const recorded = await nurse.post(`/api/v1/patients/${id}/measurements`, {
    kind: 'weight',
    weight_kg: 72.5,
    measured_on: '2024-03-01',
    note: 'pre-session',
  });
  assert.equal(recorded.status, 201, recorded.text);
  assert.deepEqual(recorded.json.latest_weight, { weight_kg: 72.5, measured_on: '2024-03-01' });

  const chart = await nurse.get(`/api/v1/patients/${id}`);
  assert.deepEqual(chart.json.latest_weight, { weight_kg: 72.5, measured_on: '2024-03-01' });
  assert.equal(chart.json.measurements.length, 2);
  const newest = chart.json.measurements[0];
  assert.equal(newest.kind, 'weight');
  assert.equal(newest.weight_kg, 72.5);
  assert.equal(newest.note, 'pre-session');
  assert.equal(newest.recorded_by, 'demo.nurse');

  // Three decimals (grams) are fine; more are not.
  const grams = await nurse.post(`/api/v1/patients/${id}/measurements`, { kind: 'weight', weight_kg: 72.125, measured_on: '2024-03-02' });
  assert.equal(grams.status, 201, grams.text);
  assert.equal(grams.json.latest_weight.weight_kg, 72.125);
  const tooPrecise = await nurse.post(`/api/v1/patients/${id}/measurements`, {
    kind: 'weight',
    weight_kg: 72.12345,
    measured_on: '2024-03-03',
  });
  assertError(assert, tooPrecise, 400, 'invalid_input', 'weight_kg');
  const after = await nurse.get(`/api/v1/patients/${id}`);
  assert.equal(after.json.measurements.length, 3, 'the rejected measurement was not stored');
  assert.equal(after.json.latest_weight.weight_kg, 72.125);

  const height = await nurse.post(`/api/v1/patients/${id}/measurements`, { kind: 'height', height_cm: 170.5, measured_on: '2024-03-01' });
  assert.equal(height.status, 201, height.text);
  assert.equal(height.json.latest_weight.weight_kg, 72.125, 'a height does not change latest_weight');
  assertError(
    assert,
    await nurse.post(`/api/v1/patients/${id}/measurements`, { kind: 'weight', measured_on: '2024-03-01' }),
    400,
    'invalid_input',
    'weight_kg',
  );
  assertError(
    assert,
    await nurse.post(`/api/v1/patients/${id}/measurements`, { kind: 'weight', weight_kg: 70, measured_on: '2999-01-01' }),
    400,
    'invalid_input',
    'measured_on',
  );
  assertError(
    assert,
    await nurse.post('/api/v1/patients/999999/measurements', { kind: 'weight', weight_kg: 70, measured_on: '2024-01-01' }),
    404,
    'not_found',
  );
  assert.equal((await nurse.get(`/api/v1/patients/${id}`)).json.measurements.length, 4);
});

test('a patient of clinic HMC is 404 (not 403) from an NRK session, for every patient route', async (t) => {
  const server = await serverFor(t);
  const hmcNurse = await loggedIn(server, 'demo.nurse2'); // HMC only
  assert.equal(hmcNurse.session.active_clinic_id, HMC);
  const created = await hmcNurse.post('/api/v1/patients', samplePatient({ family_name: 'Harborside' }));
  assert.equal(created.status, 201, created.text);
  assert.match(created.json.mrn, /^HMC-\d{6}$/);
  const id = created.json.id;
  const doc = documentOf(created.json);

  const nrk = await loggedIn(server, 'demo.admin'); // active clinic NRK
  assertError(assert, await nrk.get(`/api/v1/patients/${id}`), 404, 'not_found');
  assertError(assert, await nrk.get(`/api/v1/patients/${id}/versions`), 404, 'not_found');
  assertError(assert, await nrk.get(`/api/v1/patients/${id}/versions/1`), 404, 'not_found');
  assertError(assert, await nrk.put(`/api/v1/patients/${id}`, { ...doc, version: 1, change_reason: 'x' }), 404, 'not_found');
  assertError(
    assert,
    await nrk.post(`/api/v1/patients/${id}/measurements`, { kind: 'weight', weight_kg: 70, measured_on: '2024-01-01' }),
    404,
    'not_found',
  );
  assert.deepEqual((await nrk.get('/api/v1/patients?q=harborside')).json.items, []);
  assert.deepEqual((await nrk.get(`/api/v1/patients?q=${created.json.mrn}`)).json.items, []);

  const still = await hmcNurse.get(`/api/v1/patients/${id}`);
  assert.equal(still.json.version, 1);
  assert.equal(still.json.measurements.length, 0);

  // Switching to HMC makes it visible to the admin.
  assert.equal((await nrk.switchClinic(HMC)).status, 200);
  assert.equal((await nrk.get(`/api/v1/patients/${id}`)).status, 200);
});

test('a therapist can read charts but not write (403); an auditor cannot read charts (403)', async (t) => {
  const server = await serverFor(t);
  const therapist = await loggedIn(server, 'demo.therapist');
  assert.equal((await therapist.get('/api/v1/patients')).status, 200);
  const chart = await therapist.get('/api/v1/patients/1');
  assert.equal(chart.status, 200, chart.text);
  assert.equal((await therapist.get('/api/v1/patients/1/versions')).status, 200);

  const family = `Therapy${letters(6)}`;
  assertError(assert, await therapist.post('/api/v1/patients', samplePatient({ family_name: family })), 403, 'forbidden');
  const doc = documentOf(chart.json);
  assertError(
    assert,
    await therapist.put('/api/v1/patients/1', { ...doc, family_name: 'Changed', version: chart.json.version, change_reason: 'x' }),
    403,
    'forbidden',
  );
  assertError(
    assert,
    await therapist.post('/api/v1/patients/1/measurements', { kind: 'weight', weight_kg: 70, measured_on: '2024-01-01' }),
    403,
    'forbidden',
  );
  const after = await therapist.get('/api/v1/patients/1');
  assert.equal(after.json.version, chart.json.version);
  assert.equal(after.json.family_name, chart.json.family_name);
  assert.equal(after.json.measurements.length, chart.json.measurements.length);
  assert.deepEqual((await therapist.get(`/api/v1/patients?q=${family}`)).json.items, []);

  const auditor = await loggedIn(server, 'demo.auditor');
  assertError(assert, await auditor.get('/api/v1/patients'), 403, 'forbidden');
  assertError(assert, await auditor.get('/api/v1/patients/1'), 403, 'forbidden');
  assertError(assert, await auditor.get('/api/v1/patients/1/versions'), 403, 'forbidden');
  assertError(assert, await auditor.post('/api/v1/patients', samplePatient()), 403, 'forbidden');

  // Front desk registers patients.
  const frontDesk = await loggedIn(server, 'demo.frontdesk');
  assert.equal((await frontDesk.post('/api/v1/patients', samplePatient())).status, 201);
});

test('concurrent edits of one version: one wins, the rest get 409; concurrent MRNs stay unique', async (t) => {
  const server = await serverFor(t);
  const clients = await Promise.all(['demo.admin', 'demo.nurse', 'demo.prescriber', 'demo.frontdesk'].map((u) => loggedIn(server, u)));
  const created = (await clients[0].post('/api/v1/patients', samplePatient({ family_name: 'Contended' }))).json;
  const doc = documentOf(created);
  const edits = await Promise.all(
    clients.flatMap((c, i) =>
      [0, 1].map((j) => c.put(`/api/v1/patients/${created.id}`, { ...doc, address: `Street ${i}${j}`, version: 1, change_reason: `edit ${i}${j}` })),
    ),
  );
  const statuses = edits.map((r) => r.status).sort();
  assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409, 409, 409], edits.map((r) => r.text).join('\n'));
  const winner = edits.find((r) => r.status === 200).json;
  const current = (await clients[0].get(`/api/v1/patients/${created.id}`)).json;
  assert.equal(current.version, 2);
  assert.equal(current.address, winner.address);
  const versions = (await clients[0].get(`/api/v1/patients/${created.id}/versions`)).json.items;
  assert.deepEqual(
    versions.map((v) => v.version),
    [2, 1],
  );

  const mrn = 'SAME-0001';
  const sameMrn = await Promise.all(clients.flatMap((c) => [0, 1].map(() => c.post('/api/v1/patients', samplePatient({ mrn })))));
  assert.deepEqual(
    sameMrn.map((r) => r.status).sort(),
    [201, 409, 409, 409, 409, 409, 409, 409],
    sameMrn.map((r) => r.text).join('\n'),
  );
  const generated = await Promise.all(clients.flatMap((c) => [0, 1, 2].map(() => c.post('/api/v1/patients', samplePatient()))));
  assert.ok(generated.every((r) => r.status === 201), generated.map((r) => r.status).join());
  assert.equal(new Set(generated.map((r) => r.json.mrn)).size, generated.length, 'generated MRNs are unique');
});

test('name search ignores case and accents (Östberg, Élodie)', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const created = await admin.post('/api/v1/patients', samplePatient({ family_name: 'Östberg', given_names: 'Élodie' }));
  assert.equal(created.status, 201, created.text);
  const search = async (q) => (await admin.get(`/api/v1/patients?q=${encodeURIComponent(q)}`)).json.items.map((p) => p.id);
  // The family name is unique in the demo: exactly this patient, however it is typed.
  for (const q of ['Östberg', 'östberg', 'OSTBERG', 'ostberg', 'östberg él', 'ostberg elo']) {
    assert.deepEqual(await search(q), [created.json.id], `q=${q} should find exactly Östberg, Élodie`);
  }
  // The given name is shared with demo patients called Elodie: the new one is among them.
  for (const q of ['Élodie', 'élodie', 'elodie', 'ÉLODIE östberg']) {
    assert.ok((await search(q)).includes(created.json.id), `q=${q} should find Östberg, Élodie`);
  }
});
