// The patient chart: identity header, allergies, demographics, weight/height with
// "Add measurement", rating-scale measures (for measure.read), version history, and the way
// to the edit form; for course.read also intake, eligibility, consent and treatment courses;
// for session.read the Integration section (care summary, integration notes and their form).
import { useCallback, useEffect, useState } from 'preact/hooks';
import { getPatient } from '../api/patients';
import type { Patient } from '../api/types';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { ApiErrorView, Loading } from '../components/Status';
import { ageInYears, kilograms, patientName, sexLabel } from '../lib/format';
import { useTitle } from '../lib/useTitle';
import { todayIso } from '../lib/validation';
import { href } from '../router';
import { AllergyBanner } from './AllergyBanner';
import { MeasurementsPanel } from './MeasurementsPanel';
import { PatientDetails } from './PatientDetails';
import { VersionHistory } from './VersionHistory';
import { MeasuresPanel } from '../measures/MeasuresPanel';
import { PatientCourse } from '../course/PatientCourse';
import { IntegrationPanel } from '../integration/IntegrationPanel';

function IdentityLine({ patient }: { patient: Patient }) {
  const age = ageInYears(patient.birth_date, todayIso());
  return (
    <dl class="identity">
      <div>
        <dt>Born</dt>
        <dd>
          {patient.birth_date}
          {age !== null ? ` (${age} y)` : ''}
        </dd>
      </div>
      <div>
        <dt>Sex</dt>
        <dd>{sexLabel(patient.sex)}</dd>
      </div>
      {patient.gender_identity ? (
        <div>
          <dt>Gender identity</dt>
          <dd>{patient.gender_identity}</dd>
        </div>
      ) : null}
      {patient.pronouns ? (
        <div>
          <dt>Pronouns</dt>
          <dd>{patient.pronouns}</dd>
        </div>
      ) : null}
      <div>
        <dt>MRN</dt>
        <dd>{patient.mrn}</dd>
      </div>
      <div>
        <dt>Latest weight</dt>
        <dd>
          {patient.latest_weight ? `${kilograms(patient.latest_weight.weight_kg)} (${patient.latest_weight.measured_on})` : 'not recorded'}
        </dd>
      </div>
    </dl>
  );
}

export function PatientChartPage({ id }: { id: string }) {
  useTitle('Patient chart');
  const { session } = useSession();
  const canWrite = hasPermission(session.permissions, 'patient.write');
  const [patient, setPatient] = useState<Patient | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    getPatient(id).then(setPatient, setError);
  }, [id]);
  useEffect(load, [load]);

  if (error) return <ApiErrorView error={error} what="Patient" />;
  // The heading stays the same element while loading, so focus moved to it on navigation is kept.
  return (
    <article class="chart" aria-labelledby="chart-title">
      <p class="breadcrumb">
        <a href={href({ name: 'patients' })}>Patients</a>
      </p>
      <div class="page-header">
        <h1 id="chart-title" tabIndex={-1}>
          {patient ? patientName(patient) : 'Patient chart'}
        </h1>
        {patient ? (
          <a class="button button--secondary" href={href({ name: 'patient-dosing', id })}>
            Dosing plan
          </a>
        ) : null}
        {patient && canWrite ? (
          <a class="button" href={href({ name: 'patient-edit', id })}>
            Edit demographics
          </a>
        ) : null}
      </div>
      {patient ? (
        <>
          <IdentityLine patient={patient} />
          <AllergyBanner allergies={patient.allergies ?? []} />
          <PatientDetails patient={patient} />
          <MeasurementsPanel patient={patient} canWrite={canWrite} onAdded={load} />
          {hasPermission(session.permissions, 'measure.read') ? (
            <MeasuresPanel patientId={id} canWrite={hasPermission(session.permissions, 'measure.write')} />
          ) : null}
          {hasPermission(session.permissions, 'course.read') ? <PatientCourse patientId={id} /> : null}
          {hasPermission(session.permissions, 'session.read') ? (
            <IntegrationPanel
              patientId={id}
              canWrite={hasPermission(session.permissions, 'integration.write')}
              canReadMeasures={hasPermission(session.permissions, 'measure.read')}
            />
          ) : null}
          <VersionHistory patientId={id} currentVersion={patient.version} />
        </>
      ) : (
        <Loading what="patient chart" />
      )}
    </article>
  );
}
