// Read-only sections of a patient document (medications, diagnoses, contact,
// emergency contact, referring provider); used by the chart and past versions.
import type { ComponentChildren } from 'preact';
import type { PatientDocument } from '../api/types';

function Item({ label, value }: { label: string; value: string | undefined | null }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value ? value : <span class="muted">Not recorded</span>}</dd>
    </>
  );
}

function Card({ title, children }: { title: string; children: ComponentChildren }) {
  const id = `card-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function PatientDetails({ patient }: { patient: PatientDocument }) {
  const emergency = patient.emergency_contact;
  const referrer = patient.referring_provider;
  return (
    <div class="cards">
      <Card title="Medications">
        {patient.medications?.length ? (
          <ul class="plain-list">
            {patient.medications.map((m, i) => (
              <li key={i}>
                {m.name}
                {m.rxnorm_code ? <span class="muted"> (RxNorm {m.rxnorm_code})</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No medications recorded.</p>
        )}
      </Card>
      <Card title="Diagnoses">
        {patient.diagnoses?.length ? (
          <ul class="plain-list">
            {patient.diagnoses.map((d, i) => (
              <li key={i}>
                <span class="code">{d.icd10_code}</span> {d.description}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No diagnoses recorded.</p>
        )}
      </Card>
      <Card title="Contact">
        <dl class="details">
          <Item label="Phone" value={patient.phone} />
          <Item label="Email" value={patient.email} />
          <Item label="Address" value={patient.address} />
        </dl>
      </Card>
      <Card title="Emergency contact">
        <dl class="details">
          <Item label="Name" value={emergency?.name} />
          <Item label="Relationship" value={emergency?.relationship} />
          <Item label="Phone" value={emergency?.phone} />
        </dl>
      </Card>
      <Card title="Referring provider">
        <dl class="details">
          <Item label="Name" value={referrer?.name} />
          <Item label="Organization" value={referrer?.organization} />
          <Item label="Phone" value={referrer?.phone} />
        </dl>
      </Card>
    </div>
  );
}
