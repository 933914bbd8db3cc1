// Starts the real KetaChart server for a test: `serve --demo` on a fresh data directory,
// a free 127.0.0.1 port, waits until GET /healthz answers 200, and stops it afterwards.
// The binary is $KETACHART_BIN, or <repo>/build/ketachart next to this file's repository.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_BINARY = join(repoRoot, 'build', 'ketachart');
export const DEMO_PASSWORD = 'ketachart-demo';
export const FIRST_CLINIC = 'North River Ketamine Clinic';
export const SECOND_CLINIC = 'Harbor Mind Clinic';

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the server. Returns { baseUrl, port, dataDir, output(), stop() }.
 * Rejects (after killing the process) if it exits early or /healthz is not 200 within 20 s.
 */
export async function startServer({ binary = process.env.KETACHART_BIN || DEFAULT_BINARY, extraArgs = [] } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ketachart-test-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = ['serve', '--demo', '--data-dir', dataDir, '--port', String(port), '--bind', '127.0.0.1', ...extraArgs];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitPromise = new Promise((r) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      r(exited);
    });
    child.on('error', (error) => {
      exited = { code: null, signal: null, error };
      r(exited);
    });
  });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      let timer;
      const timeout = new Promise((r) => {
        timer = setTimeout(() => r(null), STOP_TIMEOUT_MS);
      });
      const done = await Promise.race([exitPromise, timeout]);
      clearTimeout(timer);
      if (!done) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      await stop();
      const why = exited.error ? exited.error.message : `exit code ${exited.code}, signal ${exited.signal}`;
      throw new Error(`ketachart (${binary} ${args.join(' ')}) stopped before it was ready: ${why}\n${log}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`ketachart did not answer GET /healthz with 200 within ${READY_TIMEOUT_MS / 1000} s\n${log}`);
    }
    await sleep(150);
  }
  return { baseUrl, port, dataDir, output: () => log, stop };
}
