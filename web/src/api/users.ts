// User administration endpoints (active clinic): list, add, change roles, disable, reset password.
import { apiRequest } from './client';
import type { ClinicUser, Id, NewUser, Page, Role } from './types';

const BASE = '/api/v1/users';

function userPath(id: Id): string {
  return `${BASE}/${encodeURIComponent(String(id))}`;
}

/** docs/api.md does not fix this answer's shape: accept a bare array or a page. */
export async function listUsers(): Promise<ClinicUser[]> {
  const answer = await apiRequest<ClinicUser[] | Page<ClinicUser>>('GET', `${BASE}?limit=200`);
  return Array.isArray(answer) ? answer : answer.items;
}

export function createUser(user: NewUser): Promise<unknown> {
  return apiRequest<unknown>('POST', BASE, user);
}

export function setUserRoles(id: Id, roles: Role[]): Promise<unknown> {
  return apiRequest<unknown>('PUT', `${userPath(id)}/roles`, { roles });
}

export function disableUser(id: Id): Promise<unknown> {
  return apiRequest<unknown>('POST', `${userPath(id)}/disable`, {});
}

export function resetUserPassword(id: Id, password: string): Promise<unknown> {
  return apiRequest<unknown>('POST', `${userPath(id)}/password`, { password });
}
