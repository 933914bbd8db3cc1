// A fieldset of role checkboxes (the roles a user holds in the active clinic).
import { ALL_ROLES, type Role } from '../api/types';
import { roleLabel } from '../lib/format';

export function RoleCheckboxes({
  idPrefix,
  legend,
  roles,
  onRoles,
  error,
}: {
  idPrefix: string;
  legend: string;
  roles: Role[];
  onRoles: (roles: Role[]) => void;
  error?: string | undefined;
}) {
  const toggle = (role: Role, on: boolean) =>
    onRoles(on ? ALL_ROLES.filter((r) => r === role || roles.includes(r)) : roles.filter((r) => r !== role));
  return (
    <fieldset class={`roles${error ? ' field--invalid' : ''}`} aria-describedby={error ? `${idPrefix}-error` : undefined}>
      <legend>{legend}</legend>
      <div class="roles__options">
        {ALL_ROLES.map((role) => (
          <label key={role} class="checkbox" for={`${idPrefix}-${role}`}>
            <input
              type="checkbox"
              id={`${idPrefix}-${role}`}
              checked={roles.includes(role)}
              onChange={(e) => toggle(role, (e.currentTarget as HTMLInputElement).checked)}
            />
            {roleLabel(role)}
          </label>
        ))}
      </div>
      {error ? (
        <p id={`${idPrefix}-error`} class="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
