// The browser suite's view of the real KetaChart server: `serve --demo` on a
// fresh data directory and a free 127.0.0.1 port, ready once GET /healthz is
// 200, stopped (data removed) afterwards. Started by startServer() in
// ketachart.mjs, shared with the API, CLI and crash-recovery suites.
import { DEMO_PASSWORD, freePort, startServer as startKetachart } from './ketachart.mjs';

export { DEMO_PASSWORD, freePort };
export const FIRST_CLINIC = 'North River Ketamine Clinic';
export const SECOND_CLINIC = 'Harbor Mind Clinic';

/** Starts the demo server. Returns { baseUrl, port, dataDir, output(), stop() }. */
export function startServer({ extraArgs = [] } = {}) {
  return startKetachart({ args: extraArgs });
}
