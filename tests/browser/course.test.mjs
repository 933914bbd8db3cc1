// Browser test of the patient's course (docs/course.md), at a 768px tablet width:
// an administrator publishes a new IV consent document version on the Consent documents page and is
// told the JSON path when a protocol version is broken; a prescriber takes a new patient
// through intake (a benzodiazepine above the diazepam-equivalent limit), eligibility (one
// warning, overridden with a reason), consent (an empty signature is refused, then one is
// drawn with the mouse) and opens a course that moves to induction and plans six
// appointments (then the consent is revoked). A patient with aneurysmal
// vascular disease is stopped for intranasal esketamine with the hard stop's reason shown,
// and the move to induction is refused with the server's message. axe checks the chart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession } from '../support/api.mjs';
import { axeViolations, browserSuite, fitsViewport, freshPage, signIn, TABLET, watchConsole } from '../support/browser.mjs';

const ui = browserSuite({ browsers: { browser: TABLET } });

async function newPatient(session, family, given) {
  const answer = await session.send('POST', '/api/v1/patients', { family_name: family, given_names: given, birth_date: '1985-04-12', sex: 'female', allergies: [], medications: [], diagnoses: [] });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

/** Draws a signature-like zigzag across the canvas with the mouse (pointer events). */
async function drawSignature(page, canvas) {
  const box = await canvas.boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 20, y);
  await page.mouse.down();
  for (let i = 1; i <= 12; i += 1) await page.mouse.move(box.x + 20 + i * 25, y + (i % 2 ? -25 : 25), { steps: 4 });
  await page.mouse.up();
}

async function fillVitals(chart) {
  await chart.getByLabel('Systolic blood pressure (mmHg)').fill('122');
  await chart.getByLabel('Diastolic blood pressure (mmHg)').fill('78');
  await chart.getByLabel('Heart rate (beats/min)').fill('72');
  await chart.getByLabel('SpO₂ (%)').fill('98');
}

test('an administrator publishes a consent document and a protocol version; a broken version is refused naming the JSON path', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  watch.allowStatus(400, '/api/v1/protocols/');
  const admin = await apiSession(ui.server.baseUrl, 'demo.admin');
  await signIn(page, ui.server.baseUrl, 'demo.admin');
  const nav = page.getByRole('navigation', { name: 'Main' });

  await nav.getByRole('link', { name: 'Protocols' }).click();
  await page.getByRole('heading', { level: 1, name: 'Protocols' }).waitFor();
  await page.getByRole('button', { name: 'Versions of IV racemic ketamine', exact: false }).click();
  await page.getByRole('heading', { name: 'Publish version 2' }).waitFor();
  const editor = page.getByLabel('Protocol document (JSON)');
  const document = JSON.parse(await editor.inputValue());
  assert.equal(document.version, 2);
  const listedSource = document.eligibility[3].source;
  document.eligibility[3].source = 'no_such_source';
  await editor.fill(JSON.stringify(document, null, 2));
  await page.getByLabel('Reason for the new version').fill('Trying a source that is not listed');
  await page.getByRole('button', { name: 'Publish version 2' }).click();
  const error = page.locator('#f-protocol-document-error');
  await error.waitFor();
  assert.match(await error.innerText(), /^document\.eligibility\[3\]\.source/);
  assert.ok(await fitsViewport(page), 'protocols page scrolls sideways at 768px');
  assert.deepEqual(await axeViolations(page), []);
  // Put the source back: version 2 is published and becomes the clinic's active version.
  document.eligibility[3].source = listedSource;
  await editor.fill(JSON.stringify(document, null, 2));
  await page.getByLabel('Reason for the new version').fill('Clinic review of the IV protocol');
  await page.getByRole('button', { name: 'Publish version 2' }).click();
  await page.getByText('Version 2 published; it is now the clinic’s active version.').waitFor();
  await page.getByRole('cell', { name: 'Clinic review of the IV protocol' }).waitFor();
  await page.getByRole('heading', { name: 'Publish version 3' }).waitFor();
  const published = (await admin.get('/api/v1/protocols/iv-racemic-ketamine')).body;
  assert.equal(published.version, 2);
  assert.equal(published.origin, 'clinic');

  const before = (await admin.get('/api/v1/consent-documents?protocol=iv-racemic-ketamine')).body.items;
  const next = (before[0]?.version ?? 0) + 1;
  await nav.getByRole('link', { name: 'Consent documents' }).click();
  await page.getByRole('heading', { level: 1, name: 'Consent documents' }).waitFor();
  await page.getByLabel('Protocol').selectOption('iv-racemic-ketamine');
  await page.getByLabel('Title').fill('Consent to IV ketamine treatment');
  await page.getByLabel('Text the patient reads').fill('Ketamine is given by infusion over 40 minutes.\nYou may feel detached; this passes.');
  await page.getByLabel('Valid for (days)').fill('365');
  await page.getByLabel('What changed').fill('First version');
  await page.getByRole('button', { name: 'Publish document' }).click();
  await page.getByText(`Consent to IV ketamine treatment version ${next} published.`).waitFor();
  await page.getByRole('cell', { name: `Consent to IV ketamine treatment (version ${next})` }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(watch.problems(), []);
});

test('a new patient goes through intake, eligibility with an overridden warning, consent and into induction', async () => {
  const prescriber = await apiSession(ui.server.baseUrl, 'demo.prescriber');
  const [latestDoc] = (await prescriber.get('/api/v1/consent-documents?protocol=iv-racemic-ketamine')).body.items;
  assert.ok(latestDoc, 'the demo clinic (or the first test) has an IV consent document');
  const patient = await newPatient(prescriber, 'Okafor', 'Adaeze');

  const chart = await freshPage(ui.browser.context);
  const watch = watchConsole(chart);
  await signIn(chart, ui.server.baseUrl, 'demo.prescriber', undefined, `#/patients/${patient.id}`);

  // Intake.
  await chart.getByRole('heading', { name: 'Intake' }).waitFor();
  await chart.getByText('No intake recorded yet.').waitFor();
  await chart.getByRole('button', { name: 'Record intake' }).click();
  await chart.getByLabel('Age', { exact: true }).fill('41');
  await chart.getByLabel('Weight', { exact: true }).fill('70,5');
  await fillVitals(chart);
  await chart.getByRole('button', { name: 'Add medication' }).click();
  await chart.locator('#f-intake-medications-0-name').fill('Diazepam');
  await chart.getByLabel('Daily dose (mg)').fill('10');
  await chart.locator('#f-intake-medications-0-classes-benzodiazepine').check();
  await chart.getByLabel('Diazepam equivalent (mg/day)').fill('10');
  await chart.getByLabel('Goals').fill('Fewer nightmares; back to work');
  assert.deepEqual(await axeViolations(chart), [], 'intake form');
  assert.ok(await fitsViewport(chart), 'the intake form scrolls sideways at 768px');
  await chart.getByRole('button', { name: 'Save intake' }).click();
  await chart.getByText('Intake version 1 saved.').waitFor();
  await chart.getByText(/Diazepam 10 mg\/day \(benzodiazepine\), diazepam equivalent 10 mg\/day/i).waitFor();
  const intakes = (await prescriber.get(`/api/v1/patients/${patient.id}/intakes`)).body.items;
  assert.equal(intakes.length, 1);
  assert.deepEqual(intakes[0].intake.medications, [{ name: 'Diazepam', daily_dose_mg: 10, classes: ['benzodiazepine'], diazepam_equivalent_mg_per_day: 10 }]);
  assert.equal(intakes[0].intake.weight_kg, 70.5);

  // Eligibility: one warning, overridden with a reason.
  await chart.getByLabel('Protocol').selectOption('iv-racemic-ketamine');
  await chart.getByText('Clinic must confirm').first().waitFor();
  await chart.getByText('Not evaluated against this protocol yet.').waitFor();
  await chart.getByRole('button', { name: 'Evaluate' }).click();
  await chart.getByRole('heading', { name: /^Eligible with warnings: / }).waitFor();
  const warnings = chart.locator('section.finding-group').filter({ has: chart.getByRole('heading', { name: 'Warnings (1)' }) });
  await warnings.waitFor();
  assert.match(await warnings.innerText(), /C4-benzodiazepine-dose/);
  assert.match(await warnings.innerText(), /Citation: /);
  await chart.getByRole('button', { name: 'Override warning C4-benzodiazepine-dose' }).click();
  await chart.getByRole('button', { name: 'Record override' }).click();
  await chart.getByText('Give the clinical reason for overriding this warning.').waitFor();
  await chart.getByLabel('Reason for overriding C4-benzodiazepine-dose').fill('Stable on diazepam for years; taper planned with the GP');
  await chart.getByRole('button', { name: 'Record override' }).click();
  await chart.getByText('Cleared for treatment under this protocol.').waitFor();
  assert.match(await warnings.innerText(), /Overridden by demo\.prescriber .*Stable on diazepam for years/s);

  // Consent: the document is read in the dialog; an empty signature is refused.
  await chart.getByRole('button', { name: /^Record consent for / }).click();
  const dialog = chart.getByRole('dialog', { name: 'Record consent' });
  await dialog.getByRole('heading', { name: `${latestDoc.title} (version ${latestDoc.version})` }).waitFor();
  assert.equal((await dialog.getByRole('document').innerText()).trim(), latestDoc.body.trim());
  assert.deepEqual(await axeViolations(chart), [], 'consent dialog');
  await dialog.getByLabel('Name of the person signing').fill('Adaeze Okafor');
  await dialog.getByLabel('Witness').fill('Nia Nurse');
  assert.equal(await dialog.getByLabel('Signed on').inputValue(), await chart.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }));
  await dialog.getByRole('button', { name: 'Record signed consent' }).click();
  await dialog.locator('.field-error', { hasText: 'The patient has not signed' }).waitFor();
  const canvas = dialog.locator('canvas');
  // A pen (pressure-sensitive pointer) draws too; Clear wipes it.
  await canvas.evaluate((c) => {
    const r = c.getBoundingClientRect();
    const fire = (type, i) => c.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, pointerId: 7, pointerType: 'pen', pressure: 0.6, button: 0, clientX: r.left + 20 + i * 20, clientY: r.top + r.height / 2 + (i % 2 ? 15 : -15) }));
    fire('pointerdown', 0);
    for (let i = 1; i < 12; i += 1) fire('pointermove', i);
    fire('pointerup', 12);
  });
  assert.equal(await canvas.evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 32) ink += 1;
    return ink > 100;
  }), true, 'the pen drew on the canvas');
  await dialog.getByRole('button', { name: 'Clear signature' }).click();
  await dialog.getByRole('button', { name: 'Record signed consent' }).click();
  await dialog.locator('.field-error', { hasText: 'The patient has not signed' }).waitFor();
  await drawSignature(chart, canvas);
  await dialog.getByRole('button', { name: 'Record signed consent' }).click();
  await dialog.waitFor({ state: 'hidden' }).catch(async (e) => {
    throw new Error(`the consent dialog stayed open: ${await dialog.innerText()}\n${e.message}`);
  });
  await chart.getByText(/^Consent recorded: /).waitFor();
  const consents = (await prescriber.get(`/api/v1/patients/${patient.id}/consents`)).body.items;
  assert.equal(consents.length, 1);
  assert.equal(consents[0].status, 'valid');
  const consentList = chart.locator('ul.consents');
  assert.ok((await consentList.innerText()).includes(`${latestDoc.title} v${latestDoc.version}\nvalid`) || (await consentList.innerText()).includes(`${latestDoc.title} v${latestDoc.version} valid`), await consentList.innerText());
  assert.ok((await consentList.innerText()).includes(consents[0].status_message));
  const signature = (await prescriber.get(`/api/v1/consents/${consents[0].id}`)).body.signature_png;
  assert.match(signature, /^data:image\/png;base64,/);
  assert.ok(signature.length > 1000, 'the drawn signature is a real image');
  await consentList.getByRole('button', { name: 'Show signature of Adaeze Okafor' }).click();
  const image = consentList.getByRole('img', { name: /^Signature of Adaeze Okafor, signed on / });
  await image.waitFor();
  assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 100), 'the stored signature is shown');

  // Course: opened in evaluation, moved to induction.
  await chart.getByRole('button', { name: 'Open course' }).click();
  assert.equal(await chart.locator('#f-course-protocol_id').inputValue(), 'iv-racemic-ketamine');
  await chart.getByLabel('Goal of the course').fill('Remission of PTSD symptoms (PCL-5 below 33)');
  await chart.locator('form.open-course').getByRole('button', { name: 'Open course' }).click();
  await chart.getByText(/^Course opened for .* in evaluation\.$/).waitFor();
  const course = chart.locator('article.course').first();
  await course.getByText('Eligibility: ready', { exact: false }).waitFor();
  await course.getByText('Consent: ready', { exact: false }).waitFor();
  await course.getByLabel('Move to').selectOption('induction');
  await course.getByLabel(/^Reason/).fill('Eligible, warning overridden, consent signed');
  await course.getByRole('button', { name: 'Change state' }).click();
  await chart.getByText('Course moved to induction.').waitFor();
  const [stored] = (await prescriber.get(`/api/v1/patients/${patient.id}/courses`)).body.items;
  assert.equal(stored.state, 'induction');
  const last = stored.transitions[stored.transitions.length - 1];
  assert.deepEqual([last.from, last.to, last.reason], ['evaluation', 'induction', 'Eligible, warning overridden, consent signed']);
  await course.locator('tbody tr', { hasText: 'Evaluation → Induction' }).waitFor();
  assert.match(await course.locator('table').innerText(), /Evaluation → Induction.*Eligible, warning overridden, consent signed/s);
  await course.getByRole('heading', { name: /: Induction$/ }).waitFor();

  // Scheduling: six induction sessions planned from the course (the scheduling module's series endpoint).
  await course.getByRole('button', { name: 'Plan appointment series' }).click();
  const plan = chart.getByRole('dialog', { name: 'Plan appointment series' });
  const nextMonday = await chart.evaluate(() => {
    const d = new Date();
    // A Monday two weeks out, past the demo clinic's seeded week of appointments.
    d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7) + 14);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T09:00`;
  });
  await plan.getByLabel('First appointment').fill(nextMonday);
  await plan.locator('#f-series-sessions').fill('6');
  await plan.getByLabel('Sessions per week').fill('2');
  await plan.getByLabel('Duration (minutes)').fill('120');
  await plan.locator('#f-series-chair_id option').nth(1).waitFor({ state: 'attached' });
  const chairs = (await prescriber.get('/api/v1/chairs')).body.items.filter((c) => c.in_service !== false);
  await plan.getByLabel('Chair').selectOption(String(chairs[0].id));
  const users = (await prescriber.get('/api/v1/users?limit=200')).body;
  const me = (Array.isArray(users) ? users : users.items).find((u) => u.username === 'demo.prescriber');
  await plan.getByLabel('Staff member').selectOption(String(me.id));
  assert.deepEqual(await axeViolations(chart), [], 'appointment-series dialog');
  await plan.getByRole('button', { name: 'Plan appointments' }).click();
  await plan.getByText('6 appointments planned.').waitFor();
  assert.equal(await plan.locator('ol.appointments li').count(), 6);
  assert.match(await plan.locator('ol.appointments li').first().innerText(), new RegExp(`^${nextMonday.replace('T', ' ')}, ${chairs[0].name}`));
  const booked = (await prescriber.get(`/api/v1/calendar?date=${nextMonday.slice(0, 10)}&days=7`)).body;
  assert.ok(patient.mrn && JSON.stringify(booked).includes(`"${patient.mrn}"`), 'the first week of the series is on the calendar');
  await plan.getByRole('button', { name: 'Close' }).click();
  await plan.waitFor({ state: 'hidden' });

  assert.ok(await fitsViewport(chart), 'the chart scrolls sideways at 768px');
  assert.deepEqual(await axeViolations(chart), [], 'chart with the course panels');

  // The patient withdraws consent: revoked with a reason, and the course is no longer ready for a booster.
  await chart.getByRole('button', { name: /^Revoke consent / }).click();
  await chart.getByRole('button', { name: 'Revoke consent', exact: true }).click();
  await chart.getByText('Say why the consent is revoked.').waitFor();
  await chart.getByLabel('Reason for revoking').fill('Patient withdrew consent by phone');
  await chart.getByRole('button', { name: 'Revoke consent', exact: true }).click();
  await chart.getByText('Consent revoked.').waitFor();
  const [revoked] = (await prescriber.get(`/api/v1/patients/${patient.id}/consents`)).body.items;
  assert.equal(revoked.status, 'revoked');
  await consentList.getByText(revoked.status_message).waitFor();
  await consentList.getByText(/Revoked .* by demo\.prescriber: Patient withdrew consent by phone/).waitFor();
  await course.getByText('Consent: not ready', { exact: false }).waitFor();
  assert.deepEqual(watch.problems(), []);
});

test('a contraindicated patient is stopped with the hard stop shown and the move to induction refused with its message', async () => {
  const prescriber = await apiSession(ui.server.baseUrl, 'demo.prescriber');
  const patient = await newPatient(prescriber, 'Lindqvist', 'Maren');
  const chart = await freshPage(ui.browser.context);
  const watch = watchConsole(chart);
  watch.allowStatus(409, '/api/v1/courses/');
  await signIn(chart, ui.server.baseUrl, 'demo.prescriber', undefined, `#/patients/${patient.id}`);

  await chart.getByRole('button', { name: 'Record intake' }).click();
  await chart.getByLabel('Age', { exact: true }).fill('52');
  await chart.getByLabel('Weight', { exact: true }).fill('64');
  await chart.locator('#f-intake-conditions-aneurysmal_vascular_disease').check();
  await fillVitals(chart);
  await chart.getByRole('button', { name: 'Save intake' }).click();
  await chart.getByText('Intake version 1 saved.').waitFor();

  await chart.getByLabel('Protocol').selectOption('intranasal-esketamine');
  await chart.getByRole('button', { name: 'Evaluate' }).click();
  const stop = chart.locator('.hard-stop[role="alert"]');
  await stop.waitFor();
  const [decision] = (await prescriber.get(`/api/v1/patients/${patient.id}/eligibility?protocol=intranasal-esketamine`)).body.items;
  assert.equal(decision.outcome, 'not_eligible');
  const hardStop = decision.findings.find((f) => f.severity === 'hard_stop');
  assert.equal(hardStop.rule_id, 'C3-spravato-aneurysm');
  assert.ok((await stop.innerText()).includes(hardStop.message), await stop.innerText());
  await chart.getByRole('heading', { name: 'Hard stops (1)' }).waitFor();
  assert.equal(await chart.getByRole('button', { name: /^Override warning/ }).count(), 0, 'a hard stop cannot be overridden');

  await chart.getByRole('button', { name: 'Open course' }).click();
  await chart.getByLabel('Goal of the course').fill('Treatment-resistant depression');
  await chart.locator('form.open-course').getByRole('button', { name: 'Open course' }).click();
  await chart.getByText(/^Course opened for .* in evaluation\.$/).waitFor();
  const course = chart.locator('article.course').first();
  await course.getByLabel('Move to').selectOption('induction');
  const blocked = course.locator('.alert--warning', { hasText: 'Not ready to move to induction' });
  await blocked.waitFor();
  const [opened] = (await prescriber.get(`/api/v1/patients/${patient.id}/courses`)).body.items;
  const induction = opened.allowed.find((a) => a.to === 'induction');
  assert.equal(induction.ready, false);
  for (const message of induction.blocked_by) assert.ok((await blocked.innerText()).includes(message), message);

  await course.getByLabel(/^Reason/).fill('Trying anyway');
  await course.getByRole('button', { name: 'Change state' }).click();
  const summary = course.locator('.error-summary');
  await summary.waitFor();
  const refusal = await prescriber.send('POST', `/api/v1/courses/${opened.id}/transitions`, { to: 'induction', reason: 'Trying anyway' });
  assert.equal(refusal.status, 409);
  const { message, field } = refusal.body.error;
  assert.ok(induction.blocked_by.some((m) => message.includes(m) || m.includes(message)), `${message} names a blocking rule`);
  if (field) {
    // The refusal names a field ("to"): its message is shown, verbatim, next to that control.
    assert.equal(await course.locator(`#f-course-${opened.id}-${field}-error`).innerText(), message);
  } else {
    assert.equal(await summary.getByRole('heading').innerText(), `Not moved to induction: ${message}`);
  }
  const [after] = (await prescriber.get(`/api/v1/patients/${patient.id}/courses`)).body.items;
  assert.equal(after.state, 'evaluation');
  assert.deepEqual(await axeViolations(chart), [], 'chart with a hard stop and a refused move');

  // The condition was recorded in error: an amendment needs a reason, and the new intake
  // version is evaluated again at once; the earlier decision is kept, out of date.
  await chart.getByRole('button', { name: 'Amend intake' }).click();
  const condition = chart.locator('#f-intake-conditions-aneurysmal_vascular_disease');
  assert.equal(await condition.isChecked(), true, 'the amendment starts from version 1');
  await condition.uncheck();
  await chart.getByRole('button', { name: 'Save amended intake' }).click();
  await chart.locator('#f-reason-error', { hasText: 'Say why the intake is amended.' }).waitFor();
  await chart.getByLabel('Reason for amendment').fill('Aneurysm was the mother’s history, not the patient’s');
  await chart.getByRole('button', { name: 'Save amended intake' }).click();
  await chart.getByText(/^Intake version 2 saved\. Eligibility was evaluated again for 1 protocol/).waitFor();
  await chart.getByRole('heading', { name: /^Eligible: Intranasal esketamine/ }).waitFor();
  await chart.getByText('Earlier decisions (1)').click();
  await chart.getByText(/Not eligible \(protocol v2, intake v1\) — out of date: /).waitFor();
  await chart.getByText('Version 2:', { exact: false }).first().waitFor({ state: 'attached' });
  const versions = (await prescriber.get(`/api/v1/patients/${patient.id}/intakes`)).body.items;
  assert.deepEqual(versions.map((v) => v.version), [2, 1]);
  assert.equal(versions[0].reason, 'Aneurysm was the mother’s history, not the patient’s');
  assert.equal(versions[0].intake.conditions, undefined);
  assert.deepEqual(watch.problems(), []);
});
