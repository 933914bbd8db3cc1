// The signed-in session shared with every page: who is signed in, in which clinic,
// with which permissions, and the actions that change it.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ClinicMembership, Id, SessionInfo } from '../api/types';

export interface SessionState {
  session: SessionInfo;
  switchClinic: (clinicId: Id) => Promise<void>;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside a signed-in session');
  return state;
}

export function activeClinic(session: SessionInfo): ClinicMembership | undefined {
  return session.clinics.find((c) => String(c.id) === String(session.active_clinic_id));
}
