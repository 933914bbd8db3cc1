// "Edit patient": replaces the demographic document (PUT with version and change_reason).
// On 409 the latest version is reloaded and the user is told someone else changed it.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { getPatient, updatePatient } from '../api/patients';
import type { Patient } from '../api/types';
import { ApiErrorView, Loading } from '../components/Status';
import { patientName } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { href, navigate } from '../router';
import { PatientForm } from './PatientForm';
import { patientToForm } from './patientForm';

const CONFLICT_MESSAGE =
  'Someone else changed this patient while you were editing, so your changes were not saved. ' +
  'The latest version is shown below: please review it and make your changes again.';

export function EditPatientPage({ id }: { id: string }) {
  useTitle('Edit patient');
  const [patient, setPatient] = useState<Patient | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);

  const load = useCallback(() => {
    getPatient(id).then(setPatient, setError);
  }, [id]);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="edit-patient-title">
      <p class="breadcrumb">
        <a href={href({ name: 'patient', id })}>Back to chart</a>
      </p>
      <h1 id="edit-patient-title" tabIndex={-1}>
        Edit patient{patient ? `: ${patientName(patient)}` : ''}
      </h1>
      {error ? (
        <ApiErrorView error={error} what="Patient" />
      ) : !patient ? (
        <Loading what="patient" />
      ) : (
        <PatientForm
          key={patient.version}
          initial={patientToForm(patient)}
          submitLabel="Save changes"
          withChangeReason
          cancelHref={href({ name: 'patient', id })}
          notice={
            conflict ? (
              <div class="alert alert--warning" role="alert">
                {CONFLICT_MESSAGE}
              </div>
            ) : null
          }
          onSubmit={async (document, changeReason) => {
            try {
              await updatePatient(id, { ...document, version: patient.version, change_reason: changeReason });
              navigate({ name: 'patient', id });
            } catch (e) {
              if (e instanceof ApiError && e.code === 'conflict' && (!e.field || e.field === 'version')) {
                setConflict(true);
                load();
                return;
              }
              throw e;
            }
          }}
        />
      )}
    </section>
  );
}
