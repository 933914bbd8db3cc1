// The session page at the chair: the header (patient, protocol version, chair, phase with a
// live timer, what is due next, a vitals-due prompt), then three tabs. "Session": the
// readiness checklist, the dose order, the action buttons with the rule blocking each, the
// bedside records, the timeline newest first, discharge criteria and after-care. "Monitor": the
// live chart of the monitor's vitals with the baseline and the session's alarms. "Note": the
// summary, the prescriber's fields, signing and addenda. "REMS form" (esketamine sessions only,
// web/src/rems): enrolment, the pre-filled Patient Monitoring Form, its deadline and submissions.
// The view is refetched whenever the server says a session changed (event stream, topic
// "sessions"; polling while the stream is down).
import { useCallback, useRef, useState } from 'preact/hooks';
import { getSession, type DosingSession } from '../api/sessions';
import { useSession } from '../auth/SessionContext';
import { hasPermission } from '../auth/permissions';
import { ApiErrorView, Loading } from '../components/Status';
import { dateTime, patientName } from '../lib/format';
import { useLiveUpdates } from '../monitor/useLiveUpdates';
import { useTitle } from '../lib/useTitle';
import { href } from '../router';
import { RemsPanel } from '../rems/RemsPanel';
import { useRemsSession } from '../rems/useRemsSession';
import { EsketamineDevices } from './EsketamineDevices';
import { MonitorPanel } from './MonitorPanel';
import { NotePanel } from './NotePanel';
import { ActionBar, DoseOrderFormView, DoseOrderView, ReadinessForm, ReadinessResultView, RecordPanel } from './SessionForms';
import { elapsedMs, eventDetail, eventLabel, formatElapsed, isOpenPhase, newestFirst, phaseLabel, vitalsDueNow } from './sessionLogic';
import { useNow } from './useNow';
import './sessions.css';


function Header({ session, now }: { session: DosingSession; now: number }) {
  const open = isOpenPhase(session.phase);
  const due = vitalsDueNow(session, now);
  return (
    <header class="session-header card">
      <h1 id="session-title" tabIndex={-1}>
        Session #{session.id}: {patientName(session.patient)}
      </h1>
      <dl class="session-header__facts">
        <div>
          <dt>MRN</dt>
          <dd>{session.patient.mrn}</dd>
        </div>
        <div>
          <dt>Protocol</dt>
          <dd>
            {session.protocol.title} v{session.protocol.version}
          </dd>
        </div>
        <div>
          <dt>Chair</dt>
          <dd>{session.chair}</dd>
        </div>
        <div>
          <dt>Phase</dt>
          <dd class={`phase phase--${session.phase}`} data-phase={session.phase}>
            {phaseLabel(session.phase)}
          </dd>
        </div>
        {open ? (
          <div>
            <dt>In phase</dt>
            <dd>
              <span role="timer" aria-label="Time in phase">
                {formatElapsed(elapsedMs(session.phase_started_at, now))}
              </span>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Next due</dt>
          <dd data-testid="next-due">{session.next_due}</dd>
        </div>
        {session.vitals_due_at && open ? (
          <div>
            <dt>Vitals due</dt>
            <dd>{dateTime(session.vitals_due_at)}</dd>
          </div>
        ) : null}
      </dl>
      {due ? (
        <p class="alert alert--error vitals-due" role="alert">
          Vitals due now
        </p>
      ) : null}
    </header>
  );
}

function Timeline({ session }: { session: DosingSession }) {
  return (
    <ol class="timeline" aria-label="Timeline, newest first" reversed>
      {newestFirst(session.events).map((e) => (
        <li key={e.sequence} class={`timeline__event timeline__event--${e.kind}`}>
          <span class="timeline__time">{dateTime(e.occurred_at)}</span>
          <span class="timeline__kind">{eventLabel(e)}</span>
          <span class="timeline__detail">{eventDetail(e)}</span>
          <span class="timeline__by">{e.recorded_by}</span>
        </li>
      ))}
    </ol>
  );
}

function SessionTab({ session, onSaved }: { session: DosingSession; onSaved: (s: DosingSession) => void }) {
  const { session: login } = useSession();
  const canRecord = hasPermission(login.permissions, 'session.record');
  const canOrder = hasPermission(login.permissions, 'session.order');
  const beforeDosing = session.phase === 'checked_in';
  const open = isOpenPhase(session.phase);
  const readiness = (
    <section class="card" aria-labelledby="readiness-title" key="readiness">
      <h2 id="readiness-title">Readiness checklist</h2>
      {session.readiness ? <ReadinessResultView result={session.readiness} /> : <p>Not checked yet.</p>}
      {beforeDosing && canRecord ? <ReadinessForm session={session} onSaved={onSaved} /> : null}
    </section>
  );
  const order = (
    <section class="card" aria-labelledby="order-title" key="order">
      <h2 id="order-title">Dose order</h2>
      {session.dose_order ? <DoseOrderView order={session.dose_order} /> : <p>No dose ordered yet.</p>}
      {beforeDosing && canOrder ? <DoseOrderFormView session={session} onSaved={onSaved} /> : null}
      {beforeDosing && !canOrder && !session.dose_order ? <p class="hint">A prescriber orders the dose.</p> : null}
    </section>
  );
  const bedside = [
    <section class="card" aria-labelledby="actions-title" key="actions">
      <h2 id="actions-title">Session actions</h2>
      {session.devices ? <EsketamineDevices session={session} devices={session.devices} canRecord={canRecord} onSaved={onSaved} /> : null}
      <ActionBar session={session} canRecord={canRecord} onSaved={onSaved} />
    </section>,
    open && canRecord ? (
      <section class="card" aria-labelledby="record-title" key="record">
        <h2 id="record-title">Record</h2>
        <RecordPanel session={session} onSaved={onSaved} />
      </section>
    ) : null,
    <section class="card" aria-labelledby="timeline-title" key="timeline">
      <h2 id="timeline-title">Timeline</h2>
      <Timeline session={session} />
    </section>,
  ];
  // Before dosing the checklist and the order come first; once dosing starts, the bedside.
  return (
    <>
      {beforeDosing ? [readiness, order, ...bedside] : [...bedside, order, readiness]}
      <section class="card" aria-labelledby="discharge-title">
        <h2 id="discharge-title">Discharge</h2>
        {session.discharge_rules.aldrete_min !== null ? (
          <p>Modified Aldrete score of at least {session.discharge_rules.aldrete_min} before discharge.</p>
        ) : null}
        {session.discharge_rules.observation_min_minutes !== null ? (
          <p>Observed at least {session.discharge_rules.observation_min_minutes} minutes from the start of dosing.</p>
        ) : null}
        <h3>Discharge criteria</h3>
        <ul>
          {session.discharge_criteria.map((c) => (
            <li key={c.id}>{c.text}</li>
          ))}
        </ul>
        <h3>After-care instructions</h3>
        <ul>
          {session.after_care.map((c) => (
            <li key={c.id}>{c.text}</li>
          ))}
        </ul>
      </section>
    </>
  );
}

type Tab = 'session' | 'monitor' | 'note' | 'rems';
const BASE_TABS: { id: Tab; label: string }[] = [
  { id: 'session', label: 'Session' },
  { id: 'monitor', label: 'Monitor' },
  { id: 'note', label: 'Note' },
];
const REMS_TABS: { id: Tab; label: string }[] = [...BASE_TABS, { id: 'rems', label: 'REMS form' }];

export function SessionPage({ id }: { id: string }) {
  useTitle(`Session ${id}`);
  const { session: login } = useSession();
  const [session, setSession] = useState<DosingSession | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('session');
  const now = useNow(1000);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const rems = useRemsSession(session);
  const TABS = rems ? REMS_TABS : BASE_TABS;

  const loaded = useRef(false);
  const load = useCallback(
    () =>
      getSession(id)
        .then((s) => {
          loaded.current = true;
          setSession(s);
          setRefreshError(null);
        })
        .catch((e: unknown) => (loaded.current ? setRefreshError(e instanceof Error ? e.message : String(e)) : setError(e))),
    [id],
  );
  useLiveUpdates('sessions', () => void load());

  if (error) return <ApiErrorView error={error} what="Session" />;
  if (!session) return <Loading what="the session" />;

  const onKey = (e: KeyboardEvent, index: number) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const next = (index + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length;
    setTab(TABS[next]!.id);
    tabs.current[next]?.focus();
  };

  return (
    <section aria-labelledby="session-title" class="session-page">
      <p class="breadcrumb">
        <a href={href({ name: 'today' })}>Today</a>
        {hasPermission(login.permissions, 'patient.read') ? (
          <>
            {' · '}
            <a href={href({ name: 'patient', id: String(session.patient.id) })}>Patient chart</a>
          </>
        ) : null}
      </p>
      <Header session={session} now={now} />
      {refreshError ? <p class="alert alert--warning" role="status">Could not refresh the session: {refreshError}</p> : null}
      <div class="tabs" role="tablist" aria-label="Session views">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            class="tabs__tab"
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'session' ? (
          <SessionTab session={session} onSaved={setSession} />
        ) : tab === 'monitor' ? (
          <MonitorPanel sessionId={id} canAcknowledge={hasPermission(login.permissions, 'session.record')} />
        ) : tab === 'rems' && rems ? (
          <RemsPanel session={session} canRecord={hasPermission(login.permissions, 'session.record')} />
        ) : (
          <NotePanel
            sessionId={id}
            canSign={hasPermission(login.permissions, 'note.sign')}
            canRecord={hasPermission(login.permissions, 'session.record')}
          />
        )}
      </div>
    </section>
  );
}
