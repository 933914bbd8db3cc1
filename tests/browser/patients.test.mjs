// Browser tests of the patient pages: create through the form, find by name prefix,
// open the chart, server validation errors next to their field, measurements, editing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSuite, eventually, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { apiSession, patientDocument } from '../support/api.mjs';

// A user whose roles include patient.write in the first demo clinic.
const WRITER = process.env.KETACHART_TEST_WRITER || 'demo.frontdesk';

const ui = browserSuite();

/** A family name no demo patient has (letters only, so it is a valid name prefix). */
function uniqueFamilyName() {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let suffix = '';
  for (let n = Date.now() + Math.floor(Math.random() * 1e6); n > 0; n = Math.floor(n / 26)) suffix += letters[n % 26];
  return `Quillfeather${suffix}`;
}

/** The text of the elements an input's aria-describedby points at (its hint and error). */
async function describedText(page, input) {
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = [];
  for (const id of ids) texts.push(await page.locator(`[id="${id}"]`).innerText());
  return texts.join(' ');
}

async function fillRequired(page, familyName, birthDate) {
  await page.getByLabel('Family name').fill(familyName);
  await page.getByLabel('Given names').fill('Adaeze Grace');
  await page.getByLabel('Birth date').fill(birthDate);
  await page.getByLabel('Sex').selectOption('female');
}

test('create a patient, find them by name prefix, and open the chart', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  const familyName = uniqueFamilyName();
  await signIn(page, ui.server.baseUrl, WRITER, undefined, '#/patients');
  await page.getByRole('link', { name: 'New patient' }).click();
  await page.getByRole('heading', { level: 1, name: 'New patient' }).waitFor();
  await fillRequired(page, familyName, '1984-03-09');
  await page.getByLabel('Phone', { exact: true }).fill('555-0100');
  await page.getByRole('button', { name: 'Add allergy' }).click();
  await page.getByLabel('Substance').fill('Penicillin');
  await page.getByLabel('Reaction').fill('anaphylaxis');
  await page.getByLabel('Severity').selectOption('severe');
  await page.getByRole('button', { name: 'Add medication' }).click();
  await page.getByLabel('Medication and dose').fill('sertraline 100 mg daily');
  await page.getByRole('button', { name: 'Add diagnosis' }).click();
  await page.getByLabel('ICD-10 code').fill('F43.10');
  await page.getByLabel('Description').fill('Post-traumatic stress disorder, unspecified');
  await page.getByRole('button', { name: 'Create patient' }).click();

  await page.getByRole('heading', { level: 1, name: `${familyName}, Adaeze Grace` }).waitFor();
  assert.match(page.url(), /#\/patients\/\d+$/, 'the chart URL carries only the numeric id');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
  await page.getByLabel('Search patients').fill(familyName.slice(0, 16).toLowerCase());
  const result = page.getByRole('link', { name: `${familyName}, Adaeze Grace` });
  await result.waitFor();
  assert.ok(!page.url().toLowerCase().includes(familyName.slice(0, 16).toLowerCase()), 'the search term is not in the URL');
  await result.click();

  await page.getByRole('heading', { level: 1, name: `${familyName}, Adaeze Grace` }).waitFor();
  const chart = page.locator('main');
  assert.ok((await chart.innerText()).includes('1984-03-09'), 'the chart shows the entered birth date');
  const allergies = page.getByRole('region', { name: /Allergies/ });
  assert.match(await allergies.innerText(), /Penicillin/);
  assert.match(await allergies.innerText(), /severe/i);
  assert.match(await chart.innerText(), /sertraline 100 mg daily/);
  assert.match(await chart.innerText(), /F43\.10/);
  assert.deepEqual(watch.problems(), []);
});

test('a server validation error is shown next to the birth date field', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  watch.allowStatus(400, '/api/v1/patients');
  await signIn(page, ui.server.baseUrl, WRITER, undefined, '#/patients/new');
  await page.getByRole('heading', { level: 1, name: 'New patient' }).waitFor();
  await fillRequired(page, uniqueFamilyName(), '1990-02-28');
  // The browser's date control cannot hold 1990-02-30 and the client check would stop it,
  // so the impossible date is put into the request on its way to the server.
  await page.route('**/api/v1/patients', async (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    const body = JSON.parse(request.postData() ?? '{}');
    body.birth_date = '1990-02-30';
    await route.continue({ postData: JSON.stringify(body) });
  });
  await page.getByRole('button', { name: 'Create patient' }).click();

  const birthDate = page.getByLabel('Birth date');
  await page.locator('[aria-invalid="true"]').first().waitFor();
  assert.equal(await birthDate.getAttribute('aria-invalid'), 'true');
  const message = await describedText(page, birthDate);
  assert.ok(message.replace('YYYY-MM-DD', '').trim().length > 0, `an error is shown with the birth date: "${message}"`);
  const field = page.locator('.field', { has: birthDate });
  assert.ok(await field.locator('.field-error').isVisible(), 'the message is next to the field');
  assert.match(page.url(), /#\/patients\/new$/, 'the form stays open');
  assert.deepEqual(watch.problems(), []);
});

test('after a reload, a weight measurement can be added and an edit creates a version', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  const familyName = uniqueFamilyName();
  await signIn(page, ui.server.baseUrl, WRITER, undefined, '#/patients/new');
  await fillRequired(page, familyName, '1971-11-30');
  await page.getByRole('button', { name: 'Create patient' }).click();
  await page.getByRole('heading', { level: 1, name: `${familyName}, Adaeze Grace` }).waitFor();

  // Reloading drops the in-memory CSRF token; the UI must fetch it again for the next mutation.
  await page.reload();
  await page.getByRole('heading', { name: 'Add measurement' }).waitFor();
  await page.getByLabel('Weight (kg)').fill('72.4');
  await page.getByRole('button', { name: /^Add weight/ }).click();
  const measurements = page.getByRole('region', { name: 'Weight and height' });
  await measurements.getByRole('cell', { name: 'Weight 72.4 kg' }).waitFor();
  assert.match(await measurements.innerText(), /Latest weight\s*72\.4 kg/);

  await page.getByRole('link', { name: 'Edit demographics' }).click();
  await page.getByLabel('Phone', { exact: true }).fill('555-0199');
  await page.getByLabel('Reason for change').fill('Patient gave a new phone number');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('heading', { name: 'Version history' }).waitFor();
  await page.getByText('555-0199').waitFor();
  const versions = page.getByRole('region', { name: 'Version history' });
  await versions.getByText('Patient gave a new phone number').waitFor();
  assert.equal(await versions.locator('tbody tr').count(), 2);
  await versions.getByRole('button', { name: 'View version 1' }).click();
  const first = page.getByRole('region', { name: 'Version 1' });
  await first.getByText(`${familyName}, Adaeze Grace`).waitFor();
  assert.doesNotMatch(await first.innerText(), /555-0199/, 'version 1 is the record before the edit');
  assert.deepEqual(watch.problems(), []);
});

test('saving over someone else\'s change tells the user and reloads the latest version', async () => {
  const nurse = await apiSession(ui.server.baseUrl, 'demo.nurse');
  const id = (await nurse.get('/api/v1/patients?limit=1')).body.items[0].id;
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  watch.allowStatus(409, `/api/v1/patients/${id}`);
  await signIn(page, ui.server.baseUrl, WRITER, undefined, `#/patients/${id}/edit`);
  await page.getByLabel('Reason for change').waitFor();

  const current = (await nurse.get(`/api/v1/patients/${id}`)).body;
  const changed = await nurse.send('PUT', `/api/v1/patients/${id}`, {
    ...patientDocument(current),
    phone: '555-0777',
    version: current.version,
    change_reason: 'Phone number corrected by the nurse',
  });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));

  await page.getByLabel('Pronouns').fill('they/them');
  await page.getByLabel('Reason for change').fill('Pronouns updated at check-in');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Someone else changed this patient').waitFor();
  const phone = page.getByLabel('Phone', { exact: true });
  await eventually(async () => (await phone.inputValue()) === '555-0777', 'the form shows the nurse\'s phone number');
  assert.match(page.url(), new RegExp(`#/patients/${id}/edit$`), 'the user stays on the form');
  assert.deepEqual(watch.problems(), []);
});

test('the patient list pages through the clinic with next and previous', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, '#/patients');
  const links = () => page.locator('tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  await page.locator('tbody a').first().waitFor();
  const firstPage = await links();
  assert.ok(firstPage.length >= 2);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2').waitFor();
  await eventually(async () => (await links())[0] !== firstPage[0], 'the second page is shown');
  const secondPage = await links();
  assert.deepEqual(secondPage.filter((href) => firstPage.includes(href)), [], 'no patient is on both pages');
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.getByText('Page 1').waitFor();
  await eventually(async () => (await links())[0] === firstPage[0], 'the first page is shown again');
  assert.deepEqual(watch.problems(), []);
});
