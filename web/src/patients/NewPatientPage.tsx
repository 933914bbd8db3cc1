// "New patient": the empty patient form; on success opens the new patient's chart.
import { createPatient } from '../api/patients';
import { useTitle } from '../lib/useTitle';
import { href, navigate } from '../router';
import { PatientForm } from './PatientForm';
import { emptyPatientForm } from './patientForm';

export function NewPatientPage() {
  useTitle('New patient');
  return (
    <section aria-labelledby="new-patient-title">
      <h1 id="new-patient-title" tabIndex={-1}>
        New patient
      </h1>
      <PatientForm
        initial={emptyPatientForm()}
        submitLabel="Create patient"
        cancelHref={href({ name: 'patients' })}
        onSubmit={async (document) => {
          const created = await createPatient(document);
          navigate({ name: 'patient', id: String(created.id) });
        }}
      />
    </section>
  );
}
