// HTTP API: bad input to patient registration and editing. Each case must be refused with the
// documented 4xx status and error code, error.field naming the offending field where there is
// one, and must write nothing (the patient count and a search for the test's distinctive name are
// unchanged; an edited record keeps its version). Cases: malformed JSON, unknown field, wrong
// type (birth_date as a number), a body over 1 MiB (413), an impossible date (1990-02-30), a
// future birth date, a duplicate MRN (409 field mrn), a missing or non-JSON Content-Type (415), a
// malformed ICD-10 code (field diagnoses[0].icd10_code).
// Each test starts its own demo server on a fresh data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCUMENT_FIELDS, allPages, assertError, letters, loggedIn, samplePatient, serverFor } from '../support/ketachart.mjs';

/** A server, an admin client, a distinctive family name and a check that nothing was written. */
async function setup(t) {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const family = `Bad${letters(8)}`;
  const countAll = async () => (await allPages(admin, '/api/v1/patients')).length;
  const before = await countAll();
  assert.equal(before, 60);
  // `added`: patients the test itself registered successfully on purpose.
  const nothingWritten = async (added = 0) => {
    assert.equal(await countAll(), before + added, 'the number of patients changed');
    const found = await admin.get(`/api/v1/patients?q=${family}`);
    assert.deepEqual(found.json.items, [], 'a refused patient was stored');
  };
  return { server, admin, family, patient: samplePatient({ family_name: family }), nothingWritten };
}

function editable(chart) {
  const doc = {};
  for (const key of DOCUMENT_FIELDS) if (chart[key] !== undefined) doc[key] = chart[key];
  return { ...doc, version: chart.version, change_reason: 'test edit' };
}

test('malformed JSON is 400 invalid_input and writes nothing', async (t) => {
  const { admin, family, nothingWritten } = await setup(t);
  for (const raw of [`{"family_name": "${family}", `, `{"family_name": "${family}"}}`, 'null', '[]', '"text"', '']) {
    const result = await admin.request('POST', '/api/v1/patients', {
      rawBody: raw,
      headers: { 'content-type': 'application/json' },
    });
    assertError(assert, result, 400, 'invalid_input');
    assert.ok('field' in result.json.error, 'error.field is always present (null when no field applies)');
  }
  await nothingWritten();
});

test('an unknown field is 400 naming the field and writes nothing', async (t) => {
  const { admin, patient, nothingWritten } = await setup(t);
  assertError(assert, await admin.post('/api/v1/patients', { ...patient, favourite_colour: 'blue' }), 400, 'invalid_input', 'favourite_colour');
  assertError(
    assert,
    await admin.post('/api/v1/patients', { ...patient, emergency_contact: { name: 'X', phone_number: '123456' } }),
    400,
    'invalid_input',
    'emergency_contact.phone_number',
  );
  assertError(
    assert,
    await admin.post('/api/v1/patients', { ...patient, allergies: [{ substance: 'latex', severty: 'mild' }] }),
    400,
    'invalid_input',
    'allergies[0].severty',
  );
  // The server-managed fields are not part of the document either.
  assertError(assert, await admin.post('/api/v1/patients', { ...patient, id: 5 }), 400, 'invalid_input', 'id');
  await nothingWritten();
});

test('a wrong type (birth_date 19900101 as a number) is 400 field birth_date and writes nothing', async (t) => {
  const { admin, patient, nothingWritten } = await setup(t);
  assertError(assert, await admin.post('/api/v1/patients', { ...patient, birth_date: 19900101 }), 400, 'invalid_input', 'birth_date');
  assertError(assert, await admin.post('/api/v1/patients', { ...patient, family_name: 42 }), 400, 'invalid_input', 'family_name');
  assertError(assert, await admin.post('/api/v1/patients', { ...patient, allergies: 'none' }), 400, 'invalid_input', 'allergies');
  assertError(assert, await admin.post('/api/v1/patients', { ...patient, sex: 'other' }), 400, 'invalid_input', 'sex');
  const { sex, ...withoutSex } = patient;
  assertError(assert, await admin.post('/api/v1/patients', withoutSex), 400, 'invalid_input', 'sex');
  await nothingWritten();
});

test('a body over 1 MiB is 413 payload_too_large and writes nothing', async (t) => {
  const { server, admin, patient, nothingWritten } = await setup(t);
  const big = { ...patient, address: 'x'.repeat(1024 * 1024 + 10) };
  const result = await admin.post('/api/v1/patients', big);
  assertError(assert, result, 413, 'payload_too_large');
  await nothingWritten();
  // The server keeps serving afterwards.
  assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
});

test('an impossible date (1990-02-30) is 400 field birth_date and writes nothing', async (t) => {
  const { admin, patient, nothingWritten } = await setup(t);
  for (const date of ['1990-02-30', '1990-13-01', '1990-1-1', '01/02/1990', '1990-02-29', '1899-12-31']) {
    assertError(assert, await admin.post('/api/v1/patients', { ...patient, birth_date: date }), 400, 'invalid_input', 'birth_date');
  }
  // 2000 was a leap year.
  assert.equal((await admin.post('/api/v1/patients', { ...patient, family_name: 'Leapyear', birth_date: '2000-02-29' })).status, 201);
  await nothingWritten(1);
});

test('a future birth date is 400 field birth_date and writes nothing', async (t) => {
  const { admin, patient, nothingWritten } = await setup(t);
  const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  assertError(assert, await admin.post('/api/v1/patients', { ...patient, birth_date: tomorrow }), 400, 'invalid_input', 'birth_date');
  assertError(assert, await admin.post('/api/v1/patients', { ...patient, birth_date: '2999-01-01' }), 400, 'invalid_input', 'birth_date');
  await nothingWritten();
});

test('a duplicate MRN is 409 field mrn (on create and on edit) and writes nothing', async (t) => {
  const { admin, patient, nothingWritten } = await setup(t);
  assertError(assert, await admin.post('/api/v1/patients', { ...patient, mrn: 'NRK-000001' }), 409, 'conflict', 'mrn');
  await nothingWritten();

  const chart = (await admin.get('/api/v1/patients/2')).json;
  assert.notEqual(chart.mrn, 'NRK-000001');
  const edit = await admin.put('/api/v1/patients/2', { ...editable(chart), mrn: 'NRK-000001' });
  assertError(assert, edit, 409, 'conflict', 'mrn');
  const after = (await admin.get('/api/v1/patients/2')).json;
  assert.equal(after.version, chart.version);
  assert.equal(after.mrn, chart.mrn);
  // The same MRN in another clinic is fine: MRNs are unique per clinic.
  const hmc = await loggedIn(admin.baseUrl, 'demo.nurse2');
  const other = await hmc.post('/api/v1/patients', samplePatient({ mrn: 'NRK-000001' }));
  assert.equal(other.status, 201, other.text);
});

test('a missing or non-JSON Content-Type is 415 unsupported_media_type and writes nothing', async (t) => {
  const { admin, patient, nothingWritten } = await setup(t);
  const bytes = new TextEncoder().encode(JSON.stringify(patient)); // fetch sends no Content-Type for bytes
  assertError(assert, await admin.request('POST', '/api/v1/patients', { rawBody: bytes }), 415, 'unsupported_media_type');
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const result = await admin.request('POST', '/api/v1/patients', { rawBody: JSON.stringify(patient), headers: { 'content-type': type } });
    assertError(assert, result, 415, 'unsupported_media_type');
  }
  // application/json with a charset is JSON.
  const withCharset = await admin.request('POST', '/api/v1/patients', {
    rawBody: JSON.stringify({ ...patient, family_name: 'Charset' }),
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
  assert.equal(withCharset.status, 201, withCharset.text);
  await nothingWritten(1);
});

test('a malformed ICD-10 code is 400 field diagnoses[0].icd10_code and writes nothing', async (t) => {
  const { admin, patient, nothingWritten } = await setup(t);
  for (const code of ['XYZ', 'f43.10', 'F4', 'F43.12345', '43.10', 'F43-10']) {
    const result = await admin.post('/api/v1/patients', { ...patient, diagnoses: [{ icd10_code: code, description: 'x' }] });
    assertError(assert, result, 400, 'invalid_input', 'diagnoses[0].icd10_code');
  }
  const second = await admin.post('/api/v1/patients', {
    ...patient,
    diagnoses: [
      { icd10_code: 'F32.9', description: 'ok' },
      { icd10_code: 'bad', description: 'x' },
    ],
  });
  assertError(assert, second, 400, 'invalid_input', 'diagnoses[1].icd10_code');
  await nothingWritten();
});

test('bad input to an edit leaves the record at its version', async (t) => {
  const { admin, nothingWritten } = await setup(t);
  const chart = (await admin.get('/api/v1/patients/3')).json;
  const base = editable(chart);
  const cases = [
    [{ ...base, birth_date: '1990-02-30' }, 400, 'invalid_input', 'birth_date'],
    [{ ...base, birth_date: 19900101 }, 400, 'invalid_input', 'birth_date'],
    [{ ...base, nickname: 'x' }, 400, 'invalid_input', 'nickname'],
    [{ ...base, diagnoses: [{ icd10_code: 'nope' }] }, 400, 'invalid_input', 'diagnoses[0].icd10_code'],
  ];
  for (const [body, status, code, field] of cases) {
    assertError(assert, await admin.put('/api/v1/patients/3', body), status, code, field);
  }
  const raw = await admin.request('PUT', '/api/v1/patients/3', { rawBody: '{"version": 1,', headers: { 'content-type': 'application/json' } });
  assertError(assert, raw, 400, 'invalid_input');
  const after = (await admin.get('/api/v1/patients/3')).json;
  assert.equal(after.version, chart.version);
  assert.deepEqual(after.diagnoses, chart.diagnoses);
  assert.equal(after.birth_date, chart.birth_date);
  await nothingWritten();
});
