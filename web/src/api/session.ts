// Session endpoints: sign in, restore the session after a reload, switch clinic, sign out.
// Each successful answer refreshes the in-memory CSRF token.
import { apiRequest, setCsrfToken, whileClinicChanges } from './client';
import type { Id, SessionInfo } from './types';

function remember(session: SessionInfo): SessionInfo {
  if (session.csrf_token) setCsrfToken(session.csrf_token);
  return session;
}

export async function login(username: string, password: string): Promise<SessionInfo> {
  return remember(await apiRequest<SessionInfo>('POST', '/api/v1/session', { username, password }, { quiet401: true }));
}

export async function fetchSession(): Promise<SessionInfo> {
  return remember(await apiRequest<SessionInfo>('GET', '/api/v1/session', undefined, { quiet401: true }));
}

export async function switchClinic(clinicId: Id): Promise<SessionInfo> {
  // What the page sent in this clinic is answered in it, and what it would
  // send next is not sent in the other (where its patient does not exist).
  return whileClinicChanges(async () =>
    remember(await apiRequest<SessionInfo>('PUT', '/api/v1/session/clinic', { clinic_id: clinicId }, { changesClinic: true })),
  );
}

export async function logout(): Promise<void> {
  try {
    await apiRequest<void>('DELETE', '/api/v1/session', undefined, { quiet401: true });
  } finally {
    setCsrfToken(null);
  }
}
