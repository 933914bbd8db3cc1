// Takes docs/screenshot.png (1280x800): a demo patient's chart in the real server's UI.
// Not a test. Run: node tests/browser/screenshot.mjs [output.png]
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshPage, openBrowser, signIn } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const output = resolve(process.argv[2] ?? join(repoRoot, 'docs', 'screenshot.png'));

/** A patient of the demo clinic with allergies and measurements, for a representative chart. */
async function representativePatientId(page) {
  return page.evaluate(async () => {
    const get = async (path) => (await fetch(path, { credentials: 'same-origin' })).json();
    const list = await get('/api/v1/patients?limit=50');
    let fallback = list.items[0]?.id;
    for (const summary of list.items) {
      const patient = await get(`/api/v1/patients/${summary.id}`);
      if (patient.allergies?.length && patient.measurements?.length && patient.diagnoses?.length) return patient.id;
      if (patient.allergies?.length) fallback = patient.id;
    }
    return fallback;
  });
}

const server = await startServer();
const browser = await openBrowser({ viewport: { width: 1280, height: 800 } });
try {
  const page = await freshPage(browser.context);
  await signIn(page, server.baseUrl, 'demo.prescriber');
  const id = await representativePatientId(page);
  if (id === undefined) throw new Error('the demo clinic has no patients');
  await page.goto(`${server.baseUrl}/#/patients/${id}`);
  await page.getByRole('heading', { name: 'Version history' }).waitFor();
  await page.locator('.loading').waitFor({ state: 'detached' });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  await server.stop();
}
