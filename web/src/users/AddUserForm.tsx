// "Add user": username, display name, initial password and roles in the active clinic.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { createUser } from '../api/users';
import type { Role } from '../api/types';
import { ErrorSummary } from '../components/ErrorSummary';
import { TextField } from '../components/Field';
import { fieldPath, type FieldErrors } from '../patients/patientForm';
import { required } from '../lib/validation';
import { RoleCheckboxes } from './RoleCheckboxes';

const LABELS: Record<string, string> = {
  username: 'Username',
  display_name: 'Display name',
  password: 'Password',
  roles: 'Roles',
};

export function AddUserForm({ onAdded }: { onAdded: (username: string) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: FieldErrors = {};
    const put = (key: string, text: string | null) => text && (found[key] = text);
    put('username', required(username, 'Username'));
    put('display_name', required(displayName, 'Display name'));
    put('password', password ? null : 'Password is required.');
    put('roles', roles.length ? null : 'Choose at least one role.');
    setErrors(found);
    setMessage(null);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await createUser({ username: username.trim(), display_name: displayName.trim(), password, roles });
      onAdded(username.trim());
      setUsername('');
      setDisplayName('');
      setPassword('');
      setRoles([]);
      setAttempt(0);
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        setErrors({ [fieldPath(e.field)]: e.message });
        setMessage('The user was not added. Please correct the following:');
      } else {
        setMessage(`The user was not added: ${e instanceof Error ? e.message : String(e)}`);
      }
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="add-user-title">
      <h2 id="add-user-title">Add user</h2>
      <ErrorSummary errors={errors} message={message} attempt={attempt} labels={LABELS} />
      <div class="grid">
        <TextField id="f-username" label="Username" required value={username} onValue={setUsername} error={errors['username']} autoComplete="off" />
        <TextField id="f-display_name" label="Display name" required value={displayName} onValue={setDisplayName} error={errors['display_name']} />
        <TextField
          id="f-password"
          label="Initial password"
          type="password"
          required
          autoComplete="new-password"
          value={password}
          onValue={setPassword}
          error={errors['password']}
        />
      </div>
      <RoleCheckboxes idPrefix="f-roles" legend="Roles in this clinic" roles={roles} onRoles={setRoles} error={errors['roles']} />
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Adding…' : 'Add user'}
      </button>
    </form>
  );
}
