// Sign-in page: username and password; shows the server's message for a wrong
// password or a locked account and stays on this page.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { login } from '../api/session';
import type { SessionInfo } from '../api/types';
import { TextField } from '../components/Field';
import { ErrorAlert, Notice } from '../components/Status';
import { useTitle } from '../lib/useTitle';
import { isBlank } from '../lib/validation';

export function LoginPage({ notice, onSignedIn }: { notice: string | null; onSignedIn: (s: SessionInfo) => void }) {
  useTitle('Sign in');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (isBlank(username) || !password) {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await login(username.trim(), password));
    } catch (e) {
      setPassword('');
      setError(e instanceof ApiError ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login">
      <form class="login__card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <p class="brand">KetaChart</p>
        <h1 id="login-title">Sign in</h1>
        {notice && !error ? <Notice message={notice} /> : null}
        {error ? <ErrorAlert message={error} /> : null}
        <TextField id="login-username" label="Username" value={username} onValue={setUsername} autoComplete="username" autoFocus />
        <TextField
          id="login-password"
          label="Password"
          type="password"
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
        />
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
