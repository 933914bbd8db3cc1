// The patient's version history (GET .../versions): when, by whom and why each version
// was saved, with a read-only view of any past version.
import { useEffect, useState } from 'preact/hooks';
import { getPatientVersion, listPatientVersions } from '../api/patients';
import type { Patient, PatientVersionSummary } from '../api/types';
import { ApiErrorView, Loading } from '../components/Status';
import { dateTime, patientName, sexLabel } from '../lib/format';
import { AllergyBanner } from './AllergyBanner';
import { PatientDetails } from './PatientDetails';

function PastVersion({ patientId, version, onClose }: { patientId: string; version: number; onClose: () => void }) {
  const [patient, setPatient] = useState<Patient | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    getPatientVersion(patientId, version).then(setPatient, setError);
  }, [patientId, version]);
  return (
    <section class="past-version" aria-labelledby="past-version-title">
      <div class="page-header">
        <h3 id="past-version-title">Version {version}</h3>
        <button type="button" class="button button--secondary button--small" onClick={onClose}>
          Close version {version}
        </button>
      </div>
      {error ? (
        <ApiErrorView error={error} what="Version" />
      ) : !patient ? (
        <Loading what={`version ${version}`} />
      ) : (
        <>
          <p>
            <strong>{patientName(patient)}</strong> · born {patient.birth_date} · {sexLabel(patient.sex)}
            {patient.mrn ? ` · MRN ${patient.mrn}` : ''}
          </p>
          <AllergyBanner allergies={patient.allergies ?? []} />
          <PatientDetails patient={patient} />
        </>
      )}
    </section>
  );
}

export function VersionHistory({ patientId, currentVersion }: { patientId: string; currentVersion: number }) {
  const [versions, setVersions] = useState<PatientVersionSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    listPatientVersions(patientId).then(
      (rows) => setVersions([...rows].sort((a, b) => b.version - a.version)),
      setError,
    );
  }, [patientId, currentVersion]);

  return (
    <section class="card card--wide" aria-labelledby="versions-title">
      <h2 id="versions-title">Version history</h2>
      {error ? (
        <ApiErrorView error={error} what="Version history" />
      ) : !versions ? (
        <Loading what="version history" />
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Versions of this patient's record, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Saved</th>
                <th scope="col">By</th>
                <th scope="col">Reason</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version}>
                  <td>
                    {v.version}
                    {v.version === currentVersion ? ' (current)' : ''}
                  </td>
                  <td>{dateTime(v.recorded_at)}</td>
                  <td>{v.recorded_by}</td>
                  <td>{v.change_reason ?? ''}</td>
                  <td>
                    <button
                      type="button"
                      class="button button--secondary button--small"
                      aria-expanded={open === v.version}
                      onClick={() => setOpen(open === v.version ? null : v.version)}
                    >
                      View version {v.version}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open !== null ? <PastVersion patientId={patientId} version={open} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}
