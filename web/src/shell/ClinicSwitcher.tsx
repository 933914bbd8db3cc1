// Header control to change the active clinic (PUT /api/v1/session/clinic); shown only
// when the user has roles in more than one clinic.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { useSession } from '../auth/SessionContext';

export function ClinicSwitcher() {
  const { session, switchClinic } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (session.clinics.length < 2) return null;

  const change = async (clinicId: string) => {
    const clinic = session.clinics.find((c) => String(c.id) === clinicId);
    if (!clinic) return;
    setBusy(true);
    setError(null);
    try {
      // Leave the current page first: a patient's chart must not remount in the
      // other clinic (where that patient does not exist) when the session changes.
      window.location.hash = '#/';
      await switchClinic(clinic.id);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="clinic-switcher">
      <label for="clinic-switcher">Clinic</label>
      <select
        id="clinic-switcher"
        value={String(session.active_clinic_id)}
        disabled={busy}
        onChange={(e) => void change((e.currentTarget as HTMLSelectElement).value)}
      >
        {session.clinics.map((c) => (
          <option key={String(c.id)} value={String(c.id)}>
            {c.name}
          </option>
        ))}
      </select>
      {error ? (
        <span class="clinic-switcher__error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
