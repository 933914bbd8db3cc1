// Browser test of the live chair board against the real server with its MLLP listener. A patient
// is checked in on a chair and dosing starts; a bedside monitor (a fresh EUI-64) sends its first
// IHE PCD-01 message over MLLP from node (0x0B … 0x1C 0x0D framing, the Philips-style corpus
// message with a fresh MSH-10, the device id in OBX-18 and today's times), so it appears on the
// Monitor devices page, where the nurse binds it to the chair through the UI. Then, without a
// reload: a new SpO₂ value appears on the chair's tile; a systolic above the protocol's limit
// (systolic_max 180 mmHg) shows a WARNING alarm on the tile; acknowledging without a note shows
// the server's field error next to the note, with a note acknowledges it, and once the pressure
// is back the acknowledged alarm leaves the tile. The session page's Monitor tab draws the uPlot
// chart of the vitals. A second monitor, never bound, has its readings queued under Unassigned
// vitals: one is assigned to a session through the UI (and then is in the session's monitor
// record), the rest are discarded, which needs a reason. Every page here passes axe.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { axeViolations, browserSuite, eventually, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { REPO_ROOT, freePort, loggedIn, unique } from '../support/ketachart.mjs';
import { mllpExchange } from '../support/mllp.mjs';
import { READY, readyPatient } from '../support/session_setup.mjs';

const CHAIR = 'Chair 2';
const CORPUS_MESSAGE = await readFile(join(REPO_ROOT, 'tests', 'hl7-corpus', 'philips_style_utf8_cr.hl7'), 'utf8');
const CORPUS_DEVICE = '00091BFFFE000101';

let mllpPort;
const ui = browserSuite({
  server: async () => {
    mllpPort = await freePort();
    return { args: ['--mllp-port', String(mllpPort), '--mllp-clinic', 'NRK'] };
  },
});

/** HL7 DTM in UTC: YYYYMMDDHHMMSS+0000. */
function hl7Time(date) {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}

// OBX-3 identifiers of the corpus message and the vitals they carry.
const CODES = { spo2: '150456', pulse: '149530', systolic: '150021', diastolic: '150022', mean: '150023', heart_rate: '147842', respiratory_rate: '151562' };

// Vitals inside every alarm limit (baseline systolic 140): what a message carries unless told otherwise.
const NORMAL = { spo2: 97, pulse: 72, systolic: 132, diastolic: 80, mean: 97, heart_rate: 74, respiratory_rate: 15 };

/**
 * The corpus PCD-01 message from `device` with a fresh MSH-10, every time set to `at`, and the
 * OBX-5 values of NORMAL overridden by `changes`.
 */
function pcd01(device, changes, at = new Date()) {
  const values = { ...NORMAL, ...changes };
  const controlId = `KC-${unique()}`;
  const time = hl7Time(at);
  const segments = CORPUS_MESSAGE.split(/\r\n|\r|\n/).filter(Boolean);
  const out = [];
  for (const segment of segments) {
    const fields = segment.split('|');
    if (fields[0] === 'MSH') {
      fields[2] = fields[2].replace(CORPUS_DEVICE, device);
      fields[6] = time;
      fields[9] = controlId;
    } else if (fields[0] === 'OBR') {
      fields[2] = `${controlId}^PIC_IX^${device}^EUI-64`;
      fields[3] = fields[2];
      fields[7] = time;
    } else if (fields[0] === 'OBX') {
      const code = fields[3].split('^')[0];
      const vital = Object.keys(CODES).find((k) => CODES[k] === code);
      if (vital) fields[5] = String(values[vital]);
      if (fields[14]) fields[14] = time;
      if (fields[18]) fields[18] = `${device}^^${device}^EUI-64`;
    }
    out.push(fields.join('|'));
  }
  return { controlId, text: out.join('\r') };
}

async function sendVitals(device, values) {
  const message = pcd01(device, values);
  const [ack] = await mllpExchange(mllpPort, [message]);
  const msa = ack.split('\r').find((segment) => segment.startsWith('MSA|'))?.split('|') ?? [];
  assert.deepEqual(msa.slice(1, 3), ['AA', message.controlId], ack);
}

/**
 * A new patient with an IV course in induction, checked in on `chair` and dosing. The readiness
 * baseline systolic is 140 mmHg, so 182 mmHg crosses the protocol's systolic_max (180, warning)
 * and no rise-over-baseline rule above advisory.
 */
async function dosingOnChair(chair = CHAIR) {
  const { courseId, nurse, prescriber } = await readyPatient(ui.server);
  const session = await nurse.post('/api/v1/sessions', { course_id: courseId, chair });
  assert.equal(session.status, 201, session.text);
  const sessionId = session.json.id;
  const ready = await nurse.post(`/api/v1/sessions/${sessionId}/readiness`, { ...READY, vitals: { ...READY.vitals, systolic_mmhg: 140 } });
  assert.equal(ready.json.readiness?.passed, true, ready.text);
  const order = await prescriber.post(`/api/v1/sessions/${sessionId}/dose-order`, { dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 10, duration_min: 40 });
  assert.equal(order.status, 201, order.text);
  const started = await nurse.post(`/api/v1/sessions/${sessionId}/events`, { kind: 'start' });
  assert.equal(started.json.phase, 'dosing', started.text);
  return { sessionId, familyName: started.json.patient.family_name };
}

test('the chair board follows a bound monitor live: new SpO₂, a WARNING alarm, acknowledged with a note and gone once cleared', async (t) => {
  const { sessionId, familyName } = await dosingOnChair();
  const device = `0012340000${unique().slice(0, 6).toUpperCase()}`;
  await sendVitals(device, { spo2: 97 });

  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  watch.allowStatus(400, '/api/v1/monitor/alarms');
  await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, '#/chairs');
  await page.getByRole('heading', { level: 1, name: 'Chairs' }).waitFor();

  // Bind the monitor to the chair on the devices page.
  await page.getByRole('link', { name: 'Monitor devices' }).click();
  await page.getByRole('heading', { level: 1, name: 'Monitor devices' }).waitFor();
  const row = page.locator(`tr[data-device="${device}"]`);
  const chairs = row.getByRole('combobox', { name: `Chair for monitor ${device}` });
  // The chairs arrive after the devices: wait for this one's option before reading the list.
  await chairs.locator('option', { hasText: `${CHAIR} (` }).first().waitFor({ state: 'attached' });
  const label = (await chairs.locator('option').allInnerTexts()).find((o) => o.startsWith(`${CHAIR} (`));
  assert.ok(label, `a ${CHAIR} option`);
  await chairs.selectOption({ label });
  await row.getByRole('button', { name: 'Bind' }).click();
  await page.getByText(`Monitor ${device} is bound to ${CHAIR}.`).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the devices page passes axe');

  // The board: the chair's tile with the patient, no reload from here on.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chairs' }).click();
  const tile = page.locator('li.chair-tile').filter({ has: page.getByRole('heading', { name: new RegExp(`^${CHAIR}\\b`) }) });
  await tile.getByRole('link', { name: new RegExp(`^${familyName}, `) }).waitFor();
  assert.equal(await tile.getByRole('link', { name: new RegExp(`^${familyName}, `) }).getAttribute('href'), `#/sessions/${sessionId}`);
  assert.match(await tile.getByRole('timer').innerText(), /^\d+:\d\d$/);
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  // The board follows the server's event stream (GET /api/v1/events), not polling.
  await page.locator('.live-note[data-live="live"]').waitFor();
  assert.equal(await page.locator('.live-note').innerText(), 'Live');

  await sendVitals(device, { spo2: 94 });
  await tile.locator('.reading[data-vital="spo2"] .reading__value', { hasText: /^94$/ }).waitFor();
  assert.match(await tile.locator('.reading[data-vital="spo2"]').innerText(), /94\s*%/);

  // Above the protocol's systolic limit: a WARNING alarm on the tile.
  await sendVitals(device, { spo2: 94, systolic: 182, diastolic: 85 });
  const warning = tile.locator('li.alarm[data-parameter="systolic"][data-tier="warning"]');
  await warning.waitFor();
  assert.equal(await warning.locator('.tier-badge').innerText(), 'WARNING');
  assert.match(await warning.innerText(), /Alarm above systolic: 182 mmHg \(limit 180 mmHg\)/);
  assert.match(await tile.locator('.chair-tile__tier').innerText(), /^(WARNING|CRITICAL)/);
  assert.match(await tile.locator('.reading[data-vital="blood_pressure"]').innerText(), /182\/85\s*mmHg/);
  assert.deepEqual(await axeViolations(page), [], 'the board with an alarm passes axe');
  const alarmId = await warning.getAttribute('data-alarm');

  // Acknowledge: without a note the server's field error shows at the note; with one it is done.
  await warning.getByRole('button', { name: /^Acknowledge/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Acknowledge alarm' });
  await dialog.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  const noteError = dialog.locator(`#ack-note-${alarmId}-error`);
  await noteError.waitFor();
  assert.ok((await noteError.innerText()).length > 0);
  assert.equal(await dialog.getByLabel('Note').getAttribute('aria-invalid'), 'true');
  await dialog.getByLabel('Note').fill('Cuff re-sited, repeat reading taken; prescriber informed.');
  await dialog.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  // Still active (the pressure is still high), so it stays, acknowledged.
  await tile.locator(`li.alarm[data-alarm="${alarmId}"]`, { hasText: 'Acknowledged' }).waitFor();

  // The pressure comes back: the acknowledged alarm clears and leaves the tile.
  await sendVitals(device, { spo2: 94, systolic: 128, diastolic: 80 });
  await tile.locator(`li.alarm[data-alarm="${alarmId}"]`).waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the board updated without a reload');

  // The session page's Monitor tab draws the chart.
  await tile.getByRole('link', { name: new RegExp(`^${familyName}, `) }).click();
  await page.getByRole('tab', { name: 'Monitor' }).click();
  const chart = page.locator('figure.vitals-chart');
  await chart.locator('.vitals-chart__plot canvas').waitFor();
  assert.match(await chart.locator('figcaption').innerText(), /Systolic: \d+ readings?, latest 128 mmHg/);
  assert.match(await chart.locator('figcaption').innerText(), /SpO₂: \d+ readings?, latest 94 %/);
  await eventually(async () => (await page.locator('.vitals-chart .u-legend .u-series').count()) >= 3, 'the chart legend lists the vitals');
  await page.getByRole('cell', { name: /Alarm above systolic: 182 mmHg/ }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the Monitor tab passes axe');
  assert.deepEqual(watch.problems(), []);
});

test('readings of an unbound monitor wait under Unassigned vitals: one is assigned to a session, the rest discarded with a reason', async () => {
  const { sessionId } = await dosingOnChair('Chair 3');
  const device = `0012350000${unique().slice(0, 6).toUpperCase()}`;
  await sendVitals(device, { spo2: 93 });

  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  watch.allowStatus(404, '/api/v1/events');
  await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, '#/chairs');
  await page.getByRole('link', { name: 'Unassigned vitals' }).click();
  await page.getByRole('heading', { level: 1, name: 'Unassigned vitals' }).waitFor();
  const rows = page.locator('tbody tr').filter({ hasText: device });
  await rows.first().waitFor();
  assert.equal(await rows.count(), 7, 'the seven measured vitals of the message');
  const spo2 = rows.filter({ hasText: 'MDC_PULS_OXIM_SAT_O2' });
  assert.match(await spo2.innerText(), /93 %/);
  assert.deepEqual(await axeViolations(page), [], 'the unassigned vitals page passes axe');

  // Assign the SpO₂ reading to the session.
  await spo2.getByRole('checkbox').check();
  await page.getByText('1 reading selected').waitFor();
  const assign = page.getByRole('form', { name: 'Assign to a session' });
  const sessions = assign.getByLabel("Today's session");
  await sessions.locator('option', { hasText: `session #${sessionId}` }).first().waitFor({ state: 'attached' });
  const label = (await sessions.locator('option').allInnerTexts()).find((o) => o.endsWith(`session #${sessionId}`));
  assert.ok(label, `session #${sessionId} is offered`);
  await sessions.selectOption({ label });
  await assign.getByRole('button', { name: /^Assign/ }).click();
  await page.getByText(`1 reading assigned to session #${sessionId}.`).waitFor();
  await eventually(async () => (await rows.count()) === 6, 'the assigned reading leaves the queue');

  // Discard the rest: a reason is required.
  for (const checkbox of await rows.getByRole('checkbox').all()) await checkbox.check();
  await page.getByText('6 readings selected').waitFor();
  const discard = page.getByRole('form', { name: 'Discard' });
  await discard.getByRole('button', { name: /^Discard/ }).click();
  await discard.getByText('Enter why these readings are discarded.').waitFor();
  assert.equal(await discard.getByLabel('Reason').getAttribute('aria-invalid'), 'true');
  await discard.getByLabel('Reason').fill('Monitor tested before the patient arrived.');
  await discard.getByRole('button', { name: /^Discard/ }).click();
  await page.getByText('6 readings discarded.').waitFor();
  await eventually(async () => (await rows.count()) === 0, 'the discarded readings leave the queue');

  const nurse = await loggedIn(ui.server, 'demo.nurse');
  const monitor = await nurse.get(`/api/v1/sessions/${sessionId}/monitor`);
  assert.deepEqual(monitor.json.vitals.spo2?.map(([, v]) => v), [93], monitor.text);
  assert.deepEqual(watch.problems(), []);
});
