// A minimal API client for test set-up steps done "by another user" outside the browser:
// signs in with a demo account and sends JSON requests with its cookie and CSRF token.
import { DEMO_PASSWORD } from './server.mjs';

export async function apiSession(baseUrl, username, password = DEMO_PASSWORD) {
  const login = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200) throw new Error(`sign-in of ${username} answered ${login.status}: ${await login.text()}`);
  const { csrf_token: csrf } = await login.json();
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const send = async (method, path, body) => {
    const headers = { Cookie: cookie };
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return { send, get: (path) => send('GET', path) };
}

const SERVER_ONLY = ['id', 'clinic_id', 'version', 'created_at', 'updated_at', 'measurements', 'latest_weight', 'latest_height'];

/** The demographic document of a patient as read from the API (server-only fields removed). */
export function patientDocument(patient) {
  return Object.fromEntries(Object.entries(patient).filter(([key]) => !SERVER_ONLY.includes(key)));
}
