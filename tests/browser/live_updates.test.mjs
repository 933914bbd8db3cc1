// Browser test of live updates (GET /api/v1/events, docs/monitoring.md "Live updates"). A nurse
// keeps the Today board open while a colleague checks a patient in elsewhere: the new session
// appears on the board without a reload, and the board says it is live (not polling). With the
// session page open, the prescriber's dose order and the colleague's start (made through the
// API, as from another screen) show on the page without a reload: the phase turns to dosing.
// Logging out in another tab ends the stream. The pages pass axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axeViolations, browserSuite, freshPage, signIn, watchConsole } from '../support/browser.mjs';
import { READY, readyPatient } from '../support/session_setup.mjs';

const ui = browserSuite();

test('the Today board and the session page follow changes made on other screens without a reload', async () => {
  const { courseId, nurse, prescriber } = await readyPatient(ui.server);
  const family = 'Testperson';

  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  await signIn(page, ui.server.baseUrl, 'demo.nurse', undefined, '#/today');
  await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
  await page.locator('.live-note[data-live="live"]').waitFor();
  assert.equal(await page.locator('.live-note').innerText(), 'Live');
  await page.evaluate(() => {
    window.__sameDocument = true;
  });

  // Checked in from another screen: the card appears on the open board.
  const checkIn = await nurse.post('/api/v1/sessions', { course_id: courseId, chair: 'Chair 4' });
  assert.equal(checkIn.status, 201, checkIn.text);
  const id = checkIn.json.id;
  const card = page.locator(`[data-session="${id}"]`);
  await card.waitFor({ timeout: 4000 });
  assert.match(await card.innerText(), new RegExp(`Chair 4[\\s\\S]*${family}[\\s\\S]*Checked in`));
  assert.deepEqual(await axeViolations(page), [], 'the Today page passes axe');

  // The session page: readiness, the order and the start arrive while it is open.
  await card.getByRole('link').click();
  await page.locator('.session-header [data-phase="checked_in"]').waitFor();
  const ready = await nurse.post(`/api/v1/sessions/${id}/readiness`, READY);
  assert.equal(ready.json.readiness.passed, true, ready.text);
  const ordered = await prescriber.post(`/api/v1/sessions/${id}/dose-order`, {
    dose_mg_per_kg: 0.5, vial_strength_mg_per_ml: 10, duration_min: 40,
  });
  assert.equal(ordered.status, 201, ordered.text);
  const started = await nurse.post(`/api/v1/sessions/${id}/events`, { kind: 'start' });
  assert.equal(started.status, 201, started.text);
  await page.locator('.session-header [data-phase="dosing"]').waitFor({ timeout: 4000 });
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload happened');

  // Back on the board: the same card now shows dosing.
  await page.getByRole('link', { name: 'Today' }).first().click();
  await page.locator(`[data-session="${id}"]`, { hasText: /Dosing/ }).waitFor();
  assert.deepEqual(watch.problems(), []);
});

test('logging out in another tab ends the stream; the board stops saying it is live', async () => {
  const page = await freshPage(ui.browser.context);
  const watch = watchConsole(page);
  watch.allowStatus(401, '/api/v1/');
  await signIn(page, ui.server.baseUrl, 'demo.therapist', undefined, '#/today');
  await page.locator('.live-note[data-live="live"]').waitFor();
  const other = await ui.browser.context.newPage();
  await other.goto(`${ui.server.baseUrl}/#/today`);
  const csrf = await page.evaluate(async () => (await (await fetch('/api/v1/session')).json()).csrf_token);
  const out = await other.evaluate(
    async (token) => (await fetch('/api/v1/session', { method: 'DELETE', headers: { 'x-csrf-token': token } })).status,
    csrf,
  );
  assert.ok(out === 200 || out === 204, `log-out answered ${out}`);
  await page.locator('.live-note[data-live="live"]').waitFor({ state: 'detached', timeout: 10_000 });
  await other.close();
});
