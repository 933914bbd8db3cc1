// The inline panel under a user row: change roles, reset password, or confirm disabling.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { disableUser, resetUserPassword, setUserRoles } from '../api/users';
import type { ClinicUser, Role } from '../api/types';
import { TextField } from '../components/Field';
import { ErrorAlert } from '../components/Status';
import { RoleCheckboxes } from './RoleCheckboxes';

export type UserAction = 'roles' | 'password' | 'disable';

interface Props {
  user: ClinicUser;
  action: UserAction;
  onDone: (message: string) => void;
  onCancel: () => void;
}

export function UserActions({ user, action, onDone, onCancel }: Props) {
  const [roles, setRoles] = useState<Role[]>(user.roles ?? []);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const idPrefix = `user-${String(user.id)}`;

  const run = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (action === 'roles' && roles.length === 0) return setError('Choose at least one role.');
    if (action === 'password' && !password) return setError('Enter the new password.');
    setBusy(true);
    try {
      if (action === 'roles') await setUserRoles(user.id, roles);
      if (action === 'password') await resetUserPassword(user.id, password);
      if (action === 'disable') await disableUser(user.id);
      onDone(
        action === 'roles'
          ? `Roles of ${user.username} were changed.`
          : action === 'password'
            ? `The password of ${user.username} was reset.`
            : `${user.username} was disabled and signed out.`,
      );
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <form class="user-actions" onSubmit={run} noValidate aria-label={`${action} for ${user.username}`}>
      {error ? <ErrorAlert message={error} /> : null}
      {action === 'roles' ? (
        <RoleCheckboxes idPrefix={`${idPrefix}-roles`} legend={`Roles of ${user.username}`} roles={roles} onRoles={setRoles} />
      ) : null}
      {action === 'password' ? (
        <TextField
          id={`${idPrefix}-password`}
          label={`New password for ${user.username}`}
          type="password"
          autoComplete="new-password"
          value={password}
          onValue={setPassword}
          autoFocus
        />
      ) : null}
      {action === 'disable' ? (
        <p>
          Disable <strong>{user.username}</strong>? They will be signed out and can no longer sign in.
        </p>
      ) : null}
      <div class="form-actions">
        <button type="submit" class={`button${action === 'disable' ? ' button--danger' : ''}`} disabled={busy}>
          {action === 'roles' ? 'Save roles' : action === 'password' ? 'Set password' : 'Disable user'}
        </button>
        <button type="button" class="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
