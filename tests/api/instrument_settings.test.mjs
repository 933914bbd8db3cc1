// HTTP API: per-clinic instrument settings (issue 3). Every configurable setting is listed with
// its data file's default, allowed range and citation; an admin lowers the PCL-5 provisional-PTSD
// cut-off from 33 to 31 with a reason; a PCL-5 of 32, below the 33 cut-off before the change, is
// above the 31 one after it and names settings version 1; the measure recorded before the change
// keeps its result; the history keeps every version; a nurse cannot save (403); a value outside
// the cited range is 400 naming the setting, with the range and citation in the message, and
// stores nothing; a stale version is 409; the save is in the audit trail. The whole flow runs on
// PostgreSQL too (needs $KETACHART_TEST_PG_URL, or KETACHART_SKIP_PG=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createPgDatabase, loggedIn, pgClusterUrl, samplePatient, serverFor } from '../support/ketachart.mjs';

// A PCL-5 response totalling 32: sixteen items rated 2 ("moderately"), four rated 0.
const PCL5_OF_32 = [...Array(16).fill(2), ...Array(4).fill(0)];

async function newPatient(server) {
  const desk = await loggedIn(server, 'demo.frontdesk');
  const created = await desk.post('/api/v1/patients', samplePatient());
  assert.equal(created.status, 201, created.text);
  return created.json.id;
}

function pcl5Entry(list) {
  const entry = list.json.items.find((i) => i.instrument === 'pcl5');
  assert.ok(entry, JSON.stringify(list.json));
  return entry;
}

async function settingsFlow(server) {
  const patientId = await newPatient(server);
  const admin = await loggedIn(server, 'demo.admin');
  const nurse = await loggedIn(server, 'demo.nurse');

  const listed = await nurse.get('/api/v1/instrument-settings');
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(listed.json.items.map((i) => i.instrument).sort(), ['madrs', 'pcl5']);
  const initial = pcl5Entry(listed);
  assert.equal(initial.version, 0);
  assert.equal(initial.origin, 'default');
  const cutoff = initial.settings.find((s) => s.name === 'cutoff.provisional_ptsd');
  assert.deepEqual([cutoff.default, cutoff.min, cutoff.max, cutoff.value], [33, 31, 33, 33]);
  assert.match(cutoff.source, /clinical-reference\.md D1/);
  const madrs = listed.json.items.find((i) => i.instrument === 'madrs');
  assert.deepEqual(madrs.settings.map((s) => [s.name, s.default, s.min, s.max]), [
    ['cutoff.severe', 35, 31, 35],
    ['remission_at_most', 12, 10, 12],
  ]);

  // Before the change: 32 is below the default cut-off of 33.
  const before = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'pcl5', answers: PCL5_OF_32 });
  assert.equal(before.status, 201, before.text);
  assert.equal(before.json.total, 32);
  assert.equal(before.json.score.cutoffs.provisional_ptsd, false);
  assert.equal(before.json.instrument_settings, null);

  // A nurse may not change the settings; bad values name the setting and change nothing.
  const change = { instrument: 'pcl5', version: 1, settings: { 'cutoff.provisional_ptsd': 31 }, reason: 'Trauma service: screen at the lower end of the cited range' };
  assertError(assert, await nurse.put('/api/v1/instrument-settings', change), 403, 'forbidden');
  const superseded = await admin.put('/api/v1/instrument-settings', { ...change, settings: { 'cutoff.provisional_ptsd': 38 } });
  assertError(assert, superseded, 400, 'invalid_input', 'settings.cutoff.provisional_ptsd');
  assert.match(superseded.json.error.message, /between 31 and 33/);
  assert.match(superseded.json.error.message, /clinical-reference\.md D1/);
  assertError(assert, await admin.put('/api/v1/instrument-settings', { ...change, settings: { 'cutoff.provisional_ptsd': 30 } }), 400, 'invalid_input', 'settings.cutoff.provisional_ptsd');
  assertError(assert, await admin.put('/api/v1/instrument-settings', { ...change, settings: { 'cutoff.provisional_ptsd': '31' } }), 400, 'invalid_input', 'settings.cutoff.provisional_ptsd');
  assertError(assert, await admin.put('/api/v1/instrument-settings', { ...change, settings: { remission_at_most: 10 } }), 400, 'invalid_input', 'settings.remission_at_most');
  assertError(assert, await admin.put('/api/v1/instrument-settings', { ...change, instrument: 'phq9' }), 400, 'invalid_input', 'instrument');
  assertError(assert, await admin.put('/api/v1/instrument-settings', { ...change, reason: '' }), 400, 'invalid_input', 'reason');
  assertError(assert, await admin.put('/api/v1/instrument-settings', { ...change, version: 2 }), 409, 'conflict', 'version');
  assert.equal(pcl5Entry(await nurse.get('/api/v1/instrument-settings')).version, 0, 'nothing was stored');

  const saved = await admin.put('/api/v1/instrument-settings', change);
  assert.equal(saved.status, 200, saved.text);
  assert.equal(saved.json.version, 1);
  assert.equal(saved.json.origin, 'clinic');
  assert.equal(saved.json.saved_by, 'demo.admin');
  assert.equal(saved.json.reason, change.reason);
  assert.equal(saved.json.settings[0].value, 31);
  assertError(assert, await admin.put('/api/v1/instrument-settings', change), 409, 'conflict', 'version');

  // After the change: the same 32 is above the 31 cut-off, and names the settings version.
  const after = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'pcl5', answers: PCL5_OF_32 });
  assert.equal(after.status, 201, after.text);
  assert.equal(after.json.score.cutoffs.provisional_ptsd, true);
  assert.deepEqual(after.json.instrument_settings, { version: 1, values: { 'cutoff.provisional_ptsd': 31 } });

  // Back to 33: past measures keep the results they were scored with.
  const back = await admin.put('/api/v1/instrument-settings', { ...change, version: 2, settings: { 'cutoff.provisional_ptsd': 33 }, reason: 'Back to the default after review' });
  assert.equal(back.status, 200, back.text);
  const chart = await nurse.get(`/api/v1/patients/${patientId}/measures?instrument=pcl5`);
  assert.equal(chart.status, 200, chart.text);
  assert.deepEqual(chart.json.items.map((m) => [m.id, m.score.cutoffs.provisional_ptsd, m.instrument_settings?.version ?? null]), [
    [before.json.id, false, null],
    [after.json.id, true, 1],
  ]);
  const third = await nurse.post(`/api/v1/patients/${patientId}/measures`, { instrument: 'pcl5', answers: PCL5_OF_32 });
  assert.equal(third.json.score.cutoffs.provisional_ptsd, false);
  assert.equal(third.json.instrument_settings.version, 2);

  const history = pcl5Entry(await nurse.get('/api/v1/instrument-settings')).history;
  assert.deepEqual(history.map((v) => [v.version, v.values['cutoff.provisional_ptsd'], v.saved_by]), [
    [2, 33, 'demo.admin'],
    [1, 31, 'demo.admin'],
  ]);
  assert.equal(history[1].reason, change.reason);

  const auditor = await loggedIn(server, 'demo.auditor');
  const byAdmin = await auditor.get('/api/v1/audit?user=demo.admin&limit=200');
  assert.equal(byAdmin.status, 200, byAdmin.text);
  const saves = byAdmin.json.items.filter((e) => e.action === 'instrument_settings.save' && e.outcome === 'success');
  assert.equal(saves.length, 2);
  const byNurse = await auditor.get('/api/v1/audit?user=demo.nurse&limit=200');
  assert.ok(byNurse.json.items.some((e) => e.action === 'instrument_settings.save' && e.outcome === 'denied'), 'the refused save is audited');
}

test('instrument settings: list with citations, admin changes the PCL-5 cut-off, scoring follows, history kept', async (t) => {
  await settingsFlow(await serverFor(t));
});

test('PostgreSQL: the same instrument settings flow (0015_instrument_settings on PostgreSQL)', async (t) => {
  const cluster = pgClusterUrl(t);
  if (!cluster) return;
  const database = await createPgDatabase(cluster, 'kc_instrument_settings');
  t.after(() => database.drop());
  await settingsFlow(await serverFor(t, { database: database.url }));
});
