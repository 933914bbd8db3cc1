// The session page's "Monitor" tab: the live chart of the vitals the bedside monitor sent for
// this session with the baseline, the open alarms with Acknowledge, and the alarms already dealt
// with (what crossed which limit, when it cleared, who acknowledged it and their note), and the
// alarm limits in force with their origin and UNCONFIRMED flags. Fetched
// again on each monitor change notice, or every 5 s while the event stream is down.
import { useCallback, useRef, useState } from 'preact/hooks';
import { getSessionMonitor, type Alarm, type AlarmRuleInForce, type SessionMonitor } from '../api/monitor';
import { ApiErrorView, Loading } from '../components/Status';
import { dateTime } from '../lib/format';
import { AcknowledgeDialog } from '../monitor/AcknowledgeDialog';
import { AlarmList } from '../monitor/AlarmList';
import { alarmSummary, compareAlarms, isOpenAlarm, tierLabel } from '../monitor/alarmTiers';
import { LiveNote } from '../monitor/LiveNote';
import { unitText } from '../monitor/readings';
import { useLiveUpdates } from '../monitor/useLiveUpdates';
import '../monitor/monitor.css';
import { useNow } from './useNow';
import { VitalsChart } from './VitalsChart';

function ClosedAlarms({ alarms }: { alarms: Alarm[] }) {
  if (alarms.length === 0) return <p>No earlier alarms.</p>;
  return (
    <div class="table-wrap">
      <table class="table table--dense">
        <caption class="visually-hidden">Earlier alarms of this session</caption>
        <thead>
          <tr>
            <th scope="col">Tier</th>
            <th scope="col">Alarm</th>
            <th scope="col">Raised</th>
            <th scope="col">Cleared</th>
            <th scope="col">Acknowledged</th>
          </tr>
        </thead>
        <tbody>
          {alarms.map((a) => (
            <tr key={a.id} data-alarm={a.id}>
              <td>
                <strong class={`tier-badge tier--${a.tier}`}>{tierLabel(a.tier)}</strong>
                {a.escalated ? ' escalated' : ''}
              </td>
              <td>{alarmSummary(a, unitText)}</td>
              <td>{dateTime(a.raised_at)}</td>
              <td>{dateTime(a.cleared_at)}</td>
              <td>
                {a.acknowledged_by ?? ''} {dateTime(a.acknowledged_at)}
                {a.note ? <div class="hint">{a.note}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RulesInForce({ rules }: { rules: AlarmRuleInForce[] }) {
  if (rules.length === 0) return null;
  return (
    <>
      <h3>Alarm limits in force</h3>
      <ul class="rules-in-force">
        {rules.map((r) => (
          <li key={r.id} data-rule={r.id}>
            <strong class={`tier-badge tier--${r.tier}`}>{tierLabel(r.tier)}</strong> {r.label}, limit {r.limit} ({r.origin === 'protocol' ? 'protocol' : 'clinic policy'}
            {r.unconfirmed ? ', UNCONFIRMED: the clinic must review this limit' : ''})
          </li>
        ))}
      </ul>
    </>
  );
}

export function MonitorPanel({ sessionId, canAcknowledge }: { sessionId: string; canAcknowledge: boolean }) {
  const [monitor, setMonitor] = useState<SessionMonitor | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const [acknowledging, setAcknowledging] = useState<Alarm | null>(null);
  const latestRequest = useRef(0);
  const loaded = useRef(false);
  const now = useNow(1000);

  const load = useCallback(() => {
    const request = ++latestRequest.current;
    getSessionMonitor(sessionId)
      .then((m) => {
        if (request !== latestRequest.current) return;
        loaded.current = true;
        setMonitor(m);
        setError(null);
        setRefreshError(null);
      })
      .catch((e: unknown) => {
        if (request !== latestRequest.current) return;
        if (loaded.current) setRefreshError(e instanceof Error ? e.message : String(e));
        else setError(e);
      });
  }, [sessionId]);
  const live = useLiveUpdates('monitor', load);

  if (error) return <ApiErrorView error={error} what="Session monitor" />;
  if (!monitor) return <Loading what="the monitor view" />;
  const open = monitor.alarms.filter(isOpenAlarm).sort(compareAlarms);
  const closed = monitor.alarms.filter((a) => !isOpenAlarm(a)).sort((a, b) => Date.parse(b.raised_at) - Date.parse(a.raised_at));

  return (
    <>
      <section class="card" aria-labelledby="monitor-chart-title">
        <h2 id="monitor-chart-title">Vitals from the monitor</h2>
        <LiveNote status={live.status} />
        {refreshError ? (
          <p class="alert alert--warning" role="status">
            Could not refresh the monitor view: {refreshError}
          </p>
        ) : null}
        <VitalsChart monitor={monitor} />
      </section>
      <section class="card" aria-labelledby="monitor-alarms-title">
        <h2 id="monitor-alarms-title">Alarms</h2>
        {open.length ? (
          <AlarmList alarms={open} label="Open alarms of this session" now={now} canAcknowledge={canAcknowledge} onAcknowledge={setAcknowledging} />
        ) : (
          <p>No open alarms.</p>
        )}
        <h3>Earlier alarms</h3>
        <ClosedAlarms alarms={closed} />
        <RulesInForce rules={monitor.rules ?? []} />
      </section>
      {acknowledging ? (
        <AcknowledgeDialog alarm={acknowledging} onClose={() => setAcknowledging(null)} onAcknowledged={() => live.refreshSoon()} />
      ) : null}
    </>
  );
}
