// Browser helpers for the UI tests: the set-up a test file shares (a demo server and its
// browsers, started before the tests and stopped after), Debian's chromium through
// playwright-core (never a downloaded browser), a fresh profile per launch, sign-in, a
// console watcher that fails a test on JavaScript errors or unexpected failed requests,
// axe-core checks and the no-sideways-scrolling check.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD, startServer } from './ketachart.mjs';

export const CHROMIUM = process.env.KETACHART_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

/** Launches chromium with a new temporary profile. Returns { context, close() }. */
export async function openBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'ketachart-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  context.setDefaultTimeout(10_000);
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The set-up of a browser test file: before its tests, a demo server (`server`: the options
 * of startServer in ketachart.mjs, or an async function returning them), one browser per
 * entry of `browsers` (name -> openBrowser options), then `setUp(suite)`; after them,
 * the browsers closed, the server stopped, then `tearDown(suite)`. Returns the object holding
 * `server` and the named browsers once the tests run. (The file's set-up goes in setUp and
 * tearDown, not in hooks of its own: node 20 does not run a file's top-level hooks one after
 * the other.)
 */
export function browserSuite({ server = {}, browsers = { browser: {} }, setUp, tearDown } = {}) {
  const suite = {};
  before(async () => {
    suite.server = await startServer(typeof server === 'function' ? await server() : server);
    for (const [name, options] of Object.entries(browsers)) suite[name] = await openBrowser(options);
    await setUp?.(suite);
  });
  after(async () => {
    for (const name of Object.keys(browsers)) await suite[name]?.close();
    await suite.server?.stop();
    await tearDown?.(suite);
  });
  return suite;
}

/** The tablet the nurses chart on at the chair. */
export const TABLET = { viewport: { width: 768, height: 1024 } };

/** A fresh page with no cookies from earlier tests. */
export async function freshPage(context) {
  await context.clearCookies();
  for (const page of context.pages()) await page.close();
  return context.newPage();
}

const FAILED_RESOURCE = /^Failed to load resource: the server responded with a status of (\d{3})/;

/**
 * Collects console errors and uncaught page errors. Chromium also logs every non-2xx
 * fetch as a console error; those are tolerated only for statuses the test expects
 * (`allowStatus`), always including 401 from /api/v1/session (the sign-in probe and a
 * wrong password are answered 401 by contract).
 */
export function watchConsole(page) {
  const problems = [];
  const allowed = [{ status: 401, path: '/api/v1/session' }];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const failed = FAILED_RESOURCE.exec(text);
    if (failed) {
      const url = message.location()?.url ?? '';
      const path = url ? new URL(url).pathname : '';
      if (allowed.some((a) => a.status === Number(failed[1]) && path.startsWith(a.path))) return;
      problems.push(`console error: ${text} (${url})`);
      return;
    }
    problems.push(`console error: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return {
    allowStatus(status, path) {
      allowed.push({ status, path });
    },
    problems: () => [...problems],
  };
}

/** Opens the UI and signs in; resolves when the application header is shown. */
export async function signIn(page, baseUrl, username, password = DEMO_PASSWORD, hash = '#/') {
  await page.goto(`${baseUrl}/${hash}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Polls `check` (async, returns truthy when done) until it passes or `timeoutMs` elapses. */
export async function eventually(check, message, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${message}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** True when the page does not scroll sideways at the viewport's width. */
export function fitsViewport(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** axe-core WCAG 2.1 A/AA violations on the current page, as "rule: target — help" lines. */
export async function axeViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}`));
}
