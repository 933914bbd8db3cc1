// CLI basics: `ketachart --help` and every subcommand's --help exit 0; `version`; unknown and
// missing subcommands exit 2; `serve` safety and settings: --bind 0.0.0.0 without TLS exits
// non-zero with a one-line reason (and starts with --insecure-http), an unknown key in the
// config file exits non-zero naming the key, a bad value is refused, and KETACHART_PORT is
// honoured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { freePort, runCli, startServer, tempDir, writeTempFile } from '../support/ketachart.mjs';

const SUBCOMMANDS = [
  [],
  ['serve'],
  ['init'],
  ['user'],
  ['user', 'add'],
  ['user', 'list'],
  ['user', 'disable'],
  ['user', 'reset-password'],
  ['migrate'],
  ['backup'],
  ['audit'],
  ['audit', 'verify'],
  ['version'],
];

/** Non-empty lines of a text. */
const lines = (text) => text.split('\n').filter((l) => l.trim() !== '');

test('--help of ketachart and of every subcommand exits 0 with usage text', async () => {
  const results = await Promise.all(SUBCOMMANDS.map((args) => runCli([...args, '--help'])));
  results.forEach((result, i) => {
    const name = ['ketachart', ...SUBCOMMANDS[i]].join(' ');
    assert.equal(result.code, 0, `${name} --help: exit ${result.code}\n${result.stderr}`);
    assert.match(result.stdout, /usage/i, `${name} --help prints usage`);
  });
  const top = results[0].stdout;
  for (const sub of ['serve', 'init', 'user', 'migrate', 'backup', 'audit', 'version']) {
    assert.match(top, new RegExp(`\\b${sub}\\b`), `ketachart --help lists ${sub}`);
  }
  assert.match(results[1].stdout, /--data-dir/);
  assert.match(results[1].stdout, /--database/);
  assert.match(results[1].stdout, /--insecure-http/);
});

test('version prints "ketachart X.Y.Z"', async () => {
  const result = await runCli(['version']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout.trim(), /^ketachart \d+\.\d+\.\d+\S*$/);
});

test('an unknown subcommand, a missing subcommand or an unknown option exits 2', async () => {
  for (const args of [['frobnicate'], [], ['user'], ['user', 'frobnicate'], ['audit'], ['serve', '--no-such-flag'], ['backup']]) {
    const result = await runCli(args);
    assert.equal(result.code, 2, `ketachart ${args.join(' ')}: exit ${result.code}\n${result.stdout}${result.stderr}`);
    assert.ok(result.stderr.trim().length > 0, `ketachart ${args.join(' ')} explains on stderr`);
  }
});

test('serve --bind 0.0.0.0 without TLS exits non-zero with a one-line reason; --insecure-http starts', async (t) => {
  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  const refused = await runCli(['serve', '--demo', '--data-dir', `${dir}/refused`, '--port', String(port), '--bind', '0.0.0.0'], {
    timeout: 10_000,
  });
  assert.notEqual(refused.code, 0, 'must refuse');
  assert.equal(refused.signal, null, 'must exit by itself, not run until killed');
  const reason = lines(refused.stderr);
  assert.equal(reason.length, 1, `one line on stderr, got:\n${refused.stderr}`);
  assert.match(reason[0], /0\.0\.0\.0/);
  assert.match(reason[0], /TLS/i);

  const server = await startServer({ dataDir: `${dir}/open`, bind: '0.0.0.0', args: ['--insecure-http'] });
  t.after(() => server.stop());
  const health = await fetch(`${server.baseUrl}/healthz`);
  assert.equal(health.status, 200);
  assert.match(server.output(), /listening on/);
});

test('an unknown key in the config file exits non-zero naming the key; bad values are refused', async (t) => {
  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const port = String(await freePort());
  const unknownKey = await writeTempFile(dir, 'unknown.toml', '[server]\nport = 8080\nbogus_setting = 1');
  const result = await runCli(['serve', '--config', unknownKey, '--data-dir', `${dir}/d`, '--port', port], { timeout: 10_000 });
  assert.notEqual(result.code, 0);
  assert.equal(result.signal, null);
  assert.equal(lines(result.stderr).length, 1, result.stderr);
  assert.match(result.stderr, /server\.bogus_setting/);

  const topLevel = await writeTempFile(dir, 'top.toml', 'colour = "blue"');
  const top = await runCli(['migrate', '--config', topLevel, '--data-dir', `${dir}/d`]);
  assert.notEqual(top.code, 0);
  assert.match(top.stderr, /colour/);

  const badValue = await writeTempFile(dir, 'value.toml', '[server]\nport = 70000');
  const value = await runCli(['serve', '--config', badValue, '--data-dir', `${dir}/d`], { timeout: 10_000 });
  assert.notEqual(value.code, 0);
  assert.equal(value.signal, null);
  assert.match(value.stderr, /server\.port/);

  const missing = await runCli(['migrate', '--config', `${dir}/no-such.toml`, '--data-dir', `${dir}/d`]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /no-such\.toml/);

  // A valid file is used: its port is where the server listens.
  const goodPort = await freePort();
  const good = await writeTempFile(dir, 'good.toml', `[server]\nport = ${goodPort}\n[logging]\nlevel = "warn"`);
  const server = await startServer({ dataDir: `${dir}/good`, port: goodPort, portFlag: false, args: ['--config', good] });
  t.after(() => server.stop());
  assert.equal((await fetch(`http://127.0.0.1:${goodPort}/healthz`)).status, 200);
});

test('KETACHART_PORT sets the listening port; a bad value is refused naming the variable', async (t) => {
  const port = await freePort();
  const server = await startServer({ port, portFlag: false, env: { KETACHART_PORT: String(port) } });
  t.after(() => server.stop());
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  assert.equal(health.status, 200);
  assert.match(server.output(), new RegExp(`:${port}\\b`));

  const dir = await tempDir();
  t.after(() => rm(dir, { recursive: true, force: true }));
  const bad = await runCli(['serve', '--data-dir', dir], { env: { KETACHART_PORT: 'eighty' }, timeout: 10_000 });
  assert.notEqual(bad.code, 0);
  assert.equal(bad.signal, null);
  assert.match(bad.stderr, /KETACHART_PORT/);
});
