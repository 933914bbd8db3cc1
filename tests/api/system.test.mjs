// HTTP API: system behaviour. GET /healthz (200 JSON, no authentication); the OpenAPI document
// (valid JSON, openapi 3.0.3, every method+path listed in docs/api.md present); unknown /api
// paths (404 JSON error) and wrong methods (405 JSON error); the web UI at / (HTML, client-side
// routes); security headers (nosniff, X-Frame-Options DENY, Cache-Control no-store on the API).
// Each test starts its own demo server on a fresh data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, REPO_ROOT, assertError, loggedIn, serverFor } from '../support/ketachart.mjs';

/** Every "METHOD /path" that docs/api.md lists (tables and inline code), without query strings. */
async function documentedRoutes() {
  const text = await readFile(join(REPO_ROOT, 'docs', 'api.md'), 'utf8');
  const routes = new Set();
  for (const match of text.matchAll(/^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*(\/[^\s|?]+)/gm)) {
    routes.add(`${match[1]} ${match[2]}`);
  }
  for (const match of text.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^\s`?]+)/g)) routes.add(`${match[1]} ${match[2]}`);
  return [...routes];
}

test('GET /healthz is 200 JSON without authentication', async (t) => {
  const server = await serverFor(t);
  const response = await fetch(`${server.baseUrl}/healthz`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^application\/json/);
  const body = await response.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.database, 'sqlite');
  assert.ok(Number.isInteger(body.schema_version) && body.schema_version >= 1, JSON.stringify(body));
  assert.ok(!/NRK-|patient/i.test(JSON.stringify(body)), 'no patient data');
  const head = await fetch(`${server.baseUrl}/healthz`, { method: 'HEAD' });
  assert.equal(head.status, 200);
});

test('GET /api/v1/openapi.json is OpenAPI 3.0.3 JSON with every path in docs/api.md', async (t) => {
  const server = await serverFor(t);
  const response = await fetch(`${server.baseUrl}/api/v1/openapi.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const document = JSON.parse(await response.text());
  assert.equal(document.openapi, '3.0.3');
  assert.equal(typeof document.info?.title, 'string');
  assert.equal(typeof document.info?.version, 'string');
  assert.equal(typeof document.paths, 'object');

  const routes = await documentedRoutes();
  assert.ok(routes.length >= 17, `docs/api.md lists only ${routes.length} routes? ${routes.join(', ')}`);
  const missing = routes.filter((route) => {
    const [method, path] = route.split(' ');
    return !document.paths[path]?.[method.toLowerCase()];
  });
  assert.deepEqual(missing, [], 'routes in docs/api.md missing from openapi.json');
  // Every operation has responses; path parameters are declared.
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      assert.ok(operation.responses && Object.keys(operation.responses).length > 0, `${method} ${path}: responses`);
      for (const name of path.matchAll(/\{(\w+)\}/g)) {
        assert.ok(
          (operation.parameters ?? []).some((p) => p.in === 'path' && p.name === name[1]),
          `${method} ${path}: path parameter ${name[1]}`,
        );
      }
    }
  }
});

test('an unknown /api path is 404 with a JSON error', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  for (const path of ['/api/v1/nothing-here', '/api/v2/patients', '/api/v1/patients/1/notes', '/api/']) {
    const result = await admin.get(path);
    assertError(assert, result, 404, 'not_found');
    assert.match(result.headers.get('content-type'), /^application\/json/);
  }
  // Unauthenticated too (no route, so nothing to authenticate).
  assertError(assert, await new Client(server.baseUrl).get('/api/v1/nothing-here'), 404, 'not_found');
});

test('a wrong method on a known path is 405 with a JSON error', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const cases = [
    ['PATCH', '/api/v1/patients'],
    ['DELETE', '/api/v1/patients/1'],
    ['POST', '/api/v1/patients/1'],
    ['PUT', '/api/v1/audit'],
    ['DELETE', '/api/v1/users'],
    ['POST', '/healthz'],
    ['POST', '/api/v1/openapi.json'],
  ];
  for (const [method, path] of cases) {
    const result = await admin.request(method, path, { body: {} });
    assertError(assert, result, 405, 'method_not_allowed');
  }
  assert.equal((await admin.get('/api/v1/patients/1')).status, 200, 'nothing was deleted');
});

test('GET / serves the HTML web UI, also for client-side routes', async (t) => {
  const server = await serverFor(t);
  for (const path of ['/', '/patients/12', '/login']) {
    const response = await fetch(server.baseUrl + path);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type'), /^text\/html/);
    const html = await response.text();
    assert.match(html, /<!doctype html>/i);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.ok(response.headers.get('content-security-policy'), 'a CSP is set');
  }
  assert.equal((await fetch(`${server.baseUrl}/no-such-file.js`)).status, 404);
  assert.equal((await fetch(`${server.baseUrl}/`, { method: 'POST' })).status, 405);
});

test('API responses carry nosniff, X-Frame-Options DENY and Cache-Control no-store', async (t) => {
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const anonymous = new Client(server.baseUrl);
  const responses = {
    'GET /healthz': await anonymous.get('/healthz'),
    'GET /api/v1/openapi.json': await anonymous.get('/api/v1/openapi.json'),
    'POST /api/v1/session (200)': await new Client(server.baseUrl).login('demo.nurse'),
    'POST /api/v1/session (401)': await new Client(server.baseUrl).login('demo.nurse', 'wrong-password'),
    'GET /api/v1/patients (200)': await admin.get('/api/v1/patients?limit=2'),
    'GET /api/v1/patients/1 (200)': await admin.get('/api/v1/patients/1'),
    'GET /api/v1/patients (401)': await anonymous.get('/api/v1/patients'),
    'POST /api/v1/patients (400)': await admin.post('/api/v1/patients', {}),
    'GET /api/v1/nope (404)': await admin.get('/api/v1/nope'),
    'PATCH /api/v1/patients (405)': await admin.request('PATCH', '/api/v1/patients'),
  };
  for (const [name, result] of Object.entries(responses)) {
    assert.equal(result.headers.get('x-content-type-options'), 'nosniff', name);
    assert.equal(result.headers.get('x-frame-options'), 'DENY', name);
    assert.match(result.headers.get('cache-control') ?? '', /no-store/, name);
    assert.match(result.headers.get('content-type') ?? '', /^application\/json/, name);
  }
});

test('transport-level errors (413 body too large) carry the same security headers', async (t) => {
  // These answers come from the HTTP layer before routing; docs/security.md lists the headers
  // for every response, and API responses promise Cache-Control: no-store.
  const server = await serverFor(t);
  const admin = await loggedIn(server, 'demo.admin');
  const result = await admin.post('/api/v1/patients', { address: 'x'.repeat(1024 * 1024 + 10) });
  assertError(assert, result, 413, 'payload_too_large');
  assert.match(result.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(result.headers.get('x-content-type-options'), 'nosniff', '413: X-Content-Type-Options');
  assert.equal(result.headers.get('x-frame-options'), 'DENY', '413: X-Frame-Options');
  assert.match(result.headers.get('cache-control') ?? '', /no-store/, '413: Cache-Control');
});
