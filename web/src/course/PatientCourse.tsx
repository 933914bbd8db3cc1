// The patient's course on the chart: intake, eligibility, consent and treatment courses.
// Loads the protocols and the intake vocabulary once, keeps the chosen protocol shared by
// the panels, and refreshes every panel after any change (a new intake makes decisions
// stale; an override or a consent changes a course's readiness).
import { useEffect, useState } from 'preact/hooks';
import { getIntakeVocabulary, listProtocols } from '../api/course';
import type { IntakeVocabulary, ProtocolSummary } from '../api/types';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { ErrorAlert, Loading } from '../components/Status';
import { ConsentPanel } from './ConsentPanel';
import { CoursePanel } from './CoursePanel';
import { EligibilityPanel } from './EligibilityPanel';
import { IntakePanel } from './IntakePanel';
import { emptyVocabulary } from './intakeForm';
import './course.css';

export function PatientCourse({ patientId }: { patientId: string }) {
  const { session } = useSession();
  const can = (p: Parameters<typeof hasPermission>[1]) => hasPermission(session.permissions, p);
  const [protocols, setProtocols] = useState<ProtocolSummary[] | null>(null);
  const [vocabulary, setVocabulary] = useState<IntakeVocabulary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [protocolId, setProtocolId] = useState('');
  const [refreshKey, setRefreshKey] = useState(0);
  const changed = () => setRefreshKey((n) => n + 1);

  useEffect(() => {
    Promise.all([listProtocols(), getIntakeVocabulary()]).then(
      ([p, v]) => {
        setProtocols(p);
        setVocabulary({ ...emptyVocabulary(), ...v });
      },
      (e) => setError(`The course panels could not be loaded: ${e instanceof Error ? e.message : String(e)}`),
    );
  }, []);

  if (error) return <ErrorAlert message={error} />;
  if (!protocols || !vocabulary) return <Loading what="intake and course" />;
  const protocol = protocols.find((p) => p.id === protocolId) ?? null;
  return (
    <div class="patient-course">
      <IntakePanel patientId={patientId} vocabulary={vocabulary} canWrite={can('intake.write')} refreshKey={refreshKey} onChanged={changed} />
      <EligibilityPanel
        patientId={patientId}
        protocols={protocols}
        protocolId={protocolId}
        onProtocol={setProtocolId}
        canEvaluate={can('intake.write')}
        canOverride={can('eligibility.override')}
        refreshKey={refreshKey}
        onChanged={changed}
      />
      <ConsentPanel patientId={patientId} protocol={protocol} canRecord={can('consent.record')} refreshKey={refreshKey} onChanged={changed} />
      <CoursePanel
        patientId={patientId}
        protocols={protocols}
        defaultProtocol={protocolId}
        canPlan={can('course.plan')}
        canSchedule={can('schedule.write')}
        refreshKey={refreshKey}
        onChanged={changed}
      />
    </div>
  );
}
