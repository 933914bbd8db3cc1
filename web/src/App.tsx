// The UI's top level: restores the session on load (GET /api/v1/session), shows the
// login page when there is none, and the application shell when signed in.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { setCsrfToken, setUnauthenticatedHandler } from './api/client';
import { fetchSession, logout, switchClinic } from './api/session';
import type { Id, SessionInfo } from './api/types';
import { SessionContext, type SessionState } from './auth/SessionContext';
import { ErrorAlert, Loading } from './components/Status';
import { forgetSearch } from './patients/searchMemory';
import { AppShell } from './shell/AppShell';
import { LoginPage } from './shell/LoginPage';

type State =
  | { kind: 'loading' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'signed-out'; notice: string | null }
  | { kind: 'signed-in'; session: SessionInfo };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const restore = useCallback(() => {
    setState({ kind: 'loading' });
    fetchSession()
      .then((session) => setState({ kind: 'signed-in', session }))
      .catch((error: { status?: number; message?: string }) =>
        error.status === 401
          ? setState({ kind: 'signed-out', notice: null })
          : setState({ kind: 'unreachable', message: error.message ?? String(error) }),
      );
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      forgetSearch();
      setState({ kind: 'signed-out', notice: 'Your session has ended. Please sign in again.' });
    });
    restore();
    return () => setUnauthenticatedHandler(null);
  }, [restore]);

  const session = state.kind === 'signed-in' ? state.session : null;
  const context = useMemo<SessionState | null>(
    () =>
      session && {
        session,
        switchClinic: async (clinicId: Id) => {
          const next = await switchClinic(clinicId);
          forgetSearch();
          setState({ kind: 'signed-in', session: next });
        },
        signOut: async () => {
          try {
            await logout();
          } finally {
            forgetSearch();
            setState({ kind: 'signed-out', notice: 'You have signed out.' });
          }
        },
      },
    [session],
  );

  switch (state.kind) {
    case 'loading':
      return (
        <main id="main" class="centered">
          <Loading what="KetaChart" />
        </main>
      );
    case 'unreachable':
      return (
        <main id="main" class="centered">
          <h1>KetaChart</h1>
          <ErrorAlert message={state.message} />
          <button type="button" class="button" onClick={restore}>
            Try again
          </button>
        </main>
      );
    case 'signed-out':
      return <LoginPage notice={state.notice} onSignedIn={(s) => setState({ kind: 'signed-in', session: s })} />;
    case 'signed-in':
      return (
        <SessionContext.Provider value={context}>
          <AppShell />
        </SessionContext.Provider>
      );
  }
}
