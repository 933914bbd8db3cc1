// User administration for the active clinic: list with roles, add, change roles,
// reset password, disable.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { listUsers } from '../api/users';
import type { ClinicUser } from '../api/types';
import { useSession } from '../auth/SessionContext';
import { ApiErrorView, Loading, Notice } from '../components/Status';
import { roleLabel } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { AddUserForm } from './AddUserForm';
import { UserActions, type UserAction } from './UserActions';

export function UsersPage() {
  useTitle('Users');
  const { session } = useSession();
  const [users, setUsers] = useState<ClinicUser[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<{ id: string; action: UserAction } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    listUsers().then(setUsers, setError);
  }, []);
  useEffect(load, [load]);

  const done = (message: string) => {
    setOpen(null);
    setNotice(message);
    load();
  };

  const actionButton = (user: ClinicUser, action: UserAction, label: string) => (
    <button
      type="button"
      class="button button--secondary button--small"
      aria-expanded={open?.id === String(user.id) && open.action === action}
      onClick={() => {
        setNotice(null);
        setOpen({ id: String(user.id), action });
      }}
    >
      {label}
      <span class="visually-hidden"> for {user.username}</span>
    </button>
  );

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title" tabIndex={-1}>
        Users
      </h1>
      {notice ? <Notice message={notice} /> : null}
      {error ? (
        <ApiErrorView error={error} what="Users" />
      ) : !users ? (
        <Loading what="users" />
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Users of this clinic</caption>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => {
                const disabled = user.disabled;
                const self = String(user.id) === String(session.user.id);
                const isOpen = open?.id === String(user.id);
                return [
                  <tr key={String(user.id)}>
                    <td>{user.username}</td>
                    <td>{user.display_name}</td>
                    <td>{(user.roles ?? []).map(roleLabel).join(', ') || <span class="muted">None</span>}</td>
                    <td>
                      {disabled ? (
                        <span class="badge badge--muted">Disabled</span>
                      ) : user.locked ? (
                        <span class="badge badge--warning">Locked</span>
                      ) : (
                        <span class="badge">Active</span>
                      )}
                    </td>
                    <td class="actions">
                      {disabled ? null : (
                        <>
                          {actionButton(user, 'roles', 'Change roles')}
                          {actionButton(user, 'password', 'Reset password')}
                          {self ? null : actionButton(user, 'disable', 'Disable')}
                        </>
                      )}
                    </td>
                  </tr>,
                  isOpen && open ? (
                    <tr key={`${String(user.id)}-actions`} class="actions-row">
                      <td colSpan={5}>
                        <UserActions
                          key={open.action}
                          user={user}
                          action={open.action}
                          onDone={done}
                          onCancel={() => setOpen(null)}
                        />
                      </td>
                    </tr>
                  ) : null,
                ];
              })}
            </tbody>
          </table>
        </div>
      )}
      <AddUserForm onAdded={(username) => done(`${username} was added.`)} />
    </section>
  );
}
