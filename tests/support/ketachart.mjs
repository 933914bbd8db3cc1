// Shared helpers for the black-box node suites (tests/api, tests/cli, tests/reliability):
// starting and stopping the real `ketachart serve` (SQLite data directory or a PostgreSQL URL,
// restartable on the same data, killable with SIGKILL), an HTTP client that keeps the session
// cookie and CSRF token, running CLI subcommands, throwaway PostgreSQL databases on the cluster
// named by $KETACHART_TEST_PG_URL, and a valid sample patient document.
// Only node built-ins. The binary is $KETACHART_BIN or <repo>/build/ketachart.
// The browser suite starts its servers through startServer() here too (via server.mjs).
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (asks the kernel, then releases it for the server). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.KETACHART_BIN || join(REPO_ROOT, 'build', 'ketachart');
export const DEMO_PASSWORD = 'ketachart-demo';
export const NRK = 1; // North River Ketamine Clinic, code NRK
export const HMC = 2; // Harbor Mind Clinic, code HMC

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 20_000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A fresh temporary directory; removed by the returned cleanup(). */
export async function tempDir(prefix = 'ketachart-node-') {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Writes `text` (plus a newline) to a new file in `dir` and returns its path. */
export async function writeTempFile(dir, name, text) {
  const path = join(dir, name);
  await writeFile(path, `${text}\n`, { mode: 0o600 });
  return path;
}

/** A short random suffix for unique names. */
export const unique = () => randomBytes(4).toString('hex');

/** A random string of letters only (for names the seed data cannot contain). */
export function letters(n) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  let out = '';
  for (const b of randomBytes(n)) out += alphabet[b % 26];
  return out;
}

/**
 * Starts `ketachart serve` and waits until GET /healthz answers 200.
 * options: demo (default true), dataDir (default: a new temp dir, removed by stop() unless
 * keepData), database (a PostgreSQL URL), port (default: a free one), args (extra arguments),
 * env (extra environment), keepData, portFlag (false: do not pass --port, e.g. when the port comes
 * from KETACHART_PORT), bind (default 127.0.0.1; null: no --bind flag).
 * Returns { baseUrl, port, dataDir, child, output(), stop(), kill(), exited }.
 */
export async function startServer(options = {}) {
  const { demo = true, database, args = [], env = {}, keepData = false, portFlag = true, bind = '127.0.0.1' } = options;
  const ownsDir = !options.dataDir;
  const dataDir = options.dataDir || (await tempDir());
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const argv = ['serve', '--data-dir', dataDir];
  if (portFlag) argv.push('--port', String(port));
  if (bind) argv.push('--bind', bind);
  if (demo) argv.push('--demo');
  if (database) argv.push('--database', database);
  argv.push(...args);
  const child = spawn(BIN, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk.toString()).slice(-50_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const server = { baseUrl, port, dataDir, child, output: () => log, exited: null };
  const exitPromise = new Promise((r) => {
    child.on('exit', (code, signal) => {
      server.exited = { code, signal };
      r(server.exited);
    });
    child.on('error', (error) => {
      server.exited = { code: null, signal: null, error };
      r(server.exited);
    });
  });
  server.waitExit = () => exitPromise;

  /** SIGKILL (no clean shutdown); keeps the data. */
  server.kill = async () => {
    if (!server.exited) {
      child.kill('SIGKILL');
      await exitPromise;
    }
  };
  /** SIGTERM (SIGKILL after 5 s), then removes the data dir we created (unless keepData). */
  server.stop = async ({ removeData = ownsDir && !keepData } = {}) => {
    if (!server.exited) {
      child.kill('SIGTERM');
      let timer;
      const timeout = new Promise((r) => {
        timer = setTimeout(() => r(null), STOP_TIMEOUT_MS);
      });
      // (The timer is cleared so that it does not keep the test process alive for 5 s.)
      const done = await Promise.race([exitPromise, timeout]);
      clearTimeout(timer);
      if (!done) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    }
    if (removeData) await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (server.exited) {
      await server.stop();
      const why = server.exited.error
        ? server.exited.error.message
        : `exit code ${server.exited.code}, signal ${server.exited.signal}`;
      throw new Error(`ketachart ${argv.join(' ')} stopped before it was ready: ${why}\n${log}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`ketachart did not answer GET /healthz within ${READY_TIMEOUT_MS / 1000} s\n${log}`);
    }
    await sleep(50);
  }
  return server;
}

/** A response: status, headers (a Headers object), text, and json (parsed, or undefined). */
async function toResult(response) {
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json, body: json };
}

/**
 * HTTP client of one browser-like user: keeps the ketachart_session cookie and the CSRF token
 * and sends X-CSRF-Token on mutations (unless told otherwise).
 */
export class Client {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookie = null; // "ketachart_session=..."
    this.csrf = null;
    this.session = null; // last session JSON
  }

  /** Raw request. opts: body (object → JSON), rawBody (string/Buffer), headers, csrf (true/false/string). */
  async request(method, path, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (this.cookie && opts.cookie !== false) headers.cookie = this.cookie;
    const mutation = !['GET', 'HEAD'].includes(method);
    const csrf = opts.csrf === undefined ? mutation : opts.csrf;
    if (csrf === true && this.csrf) headers['x-csrf-token'] = this.csrf;
    else if (typeof csrf === 'string') headers['x-csrf-token'] = csrf;
    let body;
    if (opts.rawBody !== undefined) {
      body = opts.rawBody;
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json';
      }
    }
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeout ?? REQUEST_TIMEOUT_MS),
    });
    const result = await toResult(response);
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(';')[0];
      if (pair.startsWith('ketachart_session=')) {
        this.cookie = pair === 'ketachart_session=' ? null : pair;
      }
    }
    return result;
  }

  get(path, opts) {
    return this.request('GET', path, opts);
  }
  post(path, body, opts = {}) {
    return this.request('POST', path, { ...opts, body });
  }
  put(path, body, opts = {}) {
    return this.request('PUT', path, { ...opts, body });
  }
  delete(path, opts) {
    return this.request('DELETE', path, opts);
  }

  /** Logs in; returns the raw result (status 200 on success) and keeps cookie + CSRF token. */
  async login(username, password = DEMO_PASSWORD) {
    const result = await this.request('POST', '/api/v1/session', { body: { username, password }, csrf: false });
    if (result.status === 200) {
      this.csrf = result.json.csrf_token;
      this.session = result.json;
    }
    return result;
  }

  async switchClinic(clinicId) {
    return this.put('/api/v1/session/clinic', { clinic_id: clinicId });
  }
}

/** A logged-in client, failing loudly when the log-in does not succeed. */
export async function loggedIn(server, username, password = DEMO_PASSWORD) {
  const client = new Client(server.baseUrl ?? server);
  const result = await client.login(username, password);
  if (result.status !== 200) {
    throw new Error(`log-in as ${username} answered ${result.status}: ${result.text}`);
  }
  return client;
}

/** A valid patient document (all required fields), with overrides. */
export function samplePatient(overrides = {}) {
  return {
    family_name: 'Testperson',
    given_names: 'Alexandra Jane',
    birth_date: '1984-03-09',
    sex: 'female',
    gender_identity: 'woman',
    pronouns: 'she/her',
    phone: '+1 555 0100 2000',
    email: 'alex@example.org',
    address: '1 Test Street, Testville',
    emergency_contact: { name: 'Sam Testperson', relationship: 'sibling', phone: '+1 555 0100 2001' },
    allergies: [{ substance: 'penicillin', reaction: 'rash', severity: 'moderate' }],
    medications: [{ name: 'sertraline 100 mg daily', rxnorm_code: '312940' }],
    diagnoses: [{ icd10_code: 'F43.10', description: 'Post-traumatic stress disorder, unspecified' }],
    referring_provider: { name: 'Dr. Test', organization: 'Test Psychiatry', phone: '+1 555 0100 2002' },
    ...overrides,
  };
}

/** The fields of a patient document as the server returns them (for round-trip comparisons). */
export const DOCUMENT_FIELDS = [
  'mrn',
  'family_name',
  'given_names',
  'birth_date',
  'sex',
  'gender_identity',
  'pronouns',
  'phone',
  'email',
  'address',
  'emergency_contact',
  'allergies',
  'medications',
  'diagnoses',
  'referring_provider',
];

/** Every page of GET path (a list with limit/cursor), concatenated; bounded to maxPages. */
export async function allPages(client, path, { limit = 200, maxPages = 100 } = {}) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const result = await client.get(url);
    if (result.status !== 200) throw new Error(`GET ${url} answered ${result.status}: ${result.text}`);
    items.push(...result.json.items);
    cursor = result.json.next_cursor;
    if (!cursor) return items;
  }
  throw new Error(`GET ${path}: more than ${maxPages} pages`);
}

/**
 * Runs `ketachart ARGS...` and resolves { code, signal, stdout, stderr } (never rejects on a
 * non-zero exit). opts: env (extra), timeout (ms, default 30 s), cwd.
 */
export function runCli(args, opts = {}) {
  return new Promise((resolvePromise) => {
    execFile(
      BIN,
      args,
      {
        env: { ...process.env, ...(opts.env || {}) },
        timeout: opts.timeout ?? 30_000,
        cwd: opts.cwd,
        maxBuffer: 16 << 20,
      },
      (error, stdout, stderr) => {
        let code = 0;
        let signal = null;
        if (error) {
          code = typeof error.code === 'number' ? error.code : null;
          signal = error.signal ?? null;
          if (code === null && !signal) {
            resolvePromise({ code: -1, signal, stdout: String(stdout), stderr: `${stderr}${error.message}` });
            return;
          }
        }
        resolvePromise({ code, signal, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Runs a program (not ketachart), resolving { code, stdout, stderr }. */
export function run(program, args, opts = {}) {
  return new Promise((resolvePromise) => {
    execFile(
      program,
      args,
      { env: { ...process.env, ...(opts.env || {}) }, timeout: opts.timeout ?? 30_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolvePromise({ code, stdout: String(stdout), stderr: String(stderr), error });
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * The cluster URL from $KETACHART_TEST_PG_URL. When it is unset: skips the test `t` if
 * KETACHART_SKIP_PG=1, otherwise throws (the test fails with a clear message).
 * Returns null when the test was skipped.
 */
export function pgClusterUrl(t) {
  const url = process.env.KETACHART_TEST_PG_URL;
  if (url) return url;
  if (process.env.KETACHART_SKIP_PG === '1') {
    t.skip('KETACHART_TEST_PG_URL is unset and KETACHART_SKIP_PG=1');
    return null;
  }
  throw new Error(
    'KETACHART_TEST_PG_URL is not set: start a cluster with `scripts/pg-test-cluster start DIR` and export ' +
      'its URL (or set KETACHART_SKIP_PG=1 to skip the PostgreSQL tests)',
  );
}

/** Replaces the database name in a postgresql:// URL. */
export function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * Creates a fresh database on the cluster and returns { url, drop() }. drop() terminates its
 * connections and drops it.
 */
export async function createPgDatabase(clusterUrl, prefix = 'kc_test') {
  const name = `${prefix}_${process.pid}_${unique()}`;
  const created = await run('psql', [clusterUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `CREATE DATABASE ${name}`]);
  if (created.code !== 0) throw new Error(`CREATE DATABASE ${name} failed: ${created.stderr}`);
  return {
    name,
    url: withDatabase(clusterUrl, name),
    drop: async () => {
      await run('psql', [clusterUrl, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
    },
  };
}

/** Runs SQL on a PostgreSQL database; resolves stdout (unaligned, tuples only). */
export async function psql(url, sql) {
  const result = await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
  if (result.code !== 0) throw new Error(`psql failed (${sql}): ${result.stderr}`);
  return result.stdout;
}

/** Runs a python3 script with sqlite3 on a database file (arguments in sys.argv[1:]). */
export async function pythonSqlite(script, args = []) {
  const result = await run('python3', ['-c', `import sqlite3, sys\n${script}`, ...args]);
  if (result.code !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return result.stdout;
}

/** Starts a server for test `t` and stops it (removing its data) when the test ends. */
export async function serverFor(t, options = {}) {
  const server = await startServer(options);
  t.after(() => server.stop());
  return server;
}

/** Asserts an error response: status, error.code and (when given) error.field. */
export function assertError(assert, result, status, code, field) {
  const where = `${result.status} ${result.text}`;
  assert.equal(result.status, status, `expected ${status}, got ${where}`);
  assert.ok(result.json && result.json.error, `expected an error body, got ${where}`);
  assert.equal(result.json.error.code, code, `expected error.code ${code}, got ${where}`);
  if (field !== undefined) assert.equal(result.json.error.field, field, `expected error.field ${field}, got ${where}`);
  assert.equal(typeof result.json.error.message, 'string');
}
