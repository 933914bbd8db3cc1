// The patient's responsible clinician, who sees the patient's safety alerts under "Mine" on
// the Alerts page; clinicians may assign another (a new assignment; earlier ones are kept).
import { useEffect, useState } from 'preact/hooks';
import {
  assignResponsibleClinician, responsibleCandidates, responsibleClinician,
  type ResponsibleClinician as Current, type StaffRef,
} from '../api/measureSchedules';
import { SelectField } from '../components/Field';
import { ApiErrorView } from '../components/Status';

export function ResponsibleClinician({ patientId, canWrite }: { patientId: string; canWrite: boolean }) {
  const [current, setCurrent] = useState<Current | null>(null);
  const [candidates, setCandidates] = useState<StaffRef[]>([]);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    responsibleClinician(patientId).then(setCurrent, setError);
    if (canWrite) responsibleCandidates().then((r) => setCandidates(r.items), setError);
  }, [patientId, canWrite]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!choice) return;
    try {
      setCurrent(await assignResponsibleClinician(patientId, Number(choice), ''));
      setChoice('');
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div class="responsible-clinician">
      <p>
        Responsible clinician (receives this patient's safety alerts):{' '}
        <strong data-testid="responsible-clinician">{current?.clinician ? current.clinician.display_name : 'none assigned'}</strong>
      </p>
      {error ? <ApiErrorView error={error} what="Responsible clinician" /> : null}
      {canWrite && candidates.length ? (
        <form class="inline-form" onSubmit={submit} noValidate aria-label="Assign the responsible clinician">
          <SelectField id="responsible-clinician-choice" label="Assign" value={choice} placeholder="Choose a clinician" onValue={setChoice}
            options={candidates.map((c) => ({ value: String(c.id), label: `${c.display_name} (${c.username})` }))} />
          <button type="submit" class="button button--secondary">
            Assign
          </button>
        </form>
      ) : null}
    </div>
  );
}
