// One chair on the live board: chair and room, the patient (linking to the session page) with
// phase and a phase timer ticking each second, the latest SpO₂, heart rate, blood pressure and
// respiratory rate large with units and how old each reading is, sparklines of systolic, heart
// rate and SpO₂, and a banner per open alarm. The tile's edge takes the highest open tier's
// colour and its name is written out at the top, so the tier never rests on colour alone.
import type { Alarm, BoardChair } from '../api/monitor';
import { patientName } from '../lib/format';
import { href } from '../router';
import { phaseLabel } from '../sessions/sessionLogic';
import { AlarmList } from './AlarmList';
import { highestOpenTier, openAlarms, tierLabel } from './alarmTiers';
import { phaseTimer, readingAge, tileReadings, unitText } from './readings';
import { Sparkline } from './Sparkline';

export const TREND_WINDOW_MS = 30 * 60 * 1000;

export function ChairTile({
  entry,
  now,
  windowEnd,
  canAcknowledge,
  onAcknowledge,
}: {
  entry: BoardChair;
  /** The server's time now (the browser's clock corrected by the board's generated_at). */
  now: number;
  windowEnd: number;
  canAcknowledge: boolean;
  onAcknowledge: (alarm: Alarm, chairName: string) => void;
}) {
  const { chair, session } = entry;
  const open = openAlarms(entry.alarms);
  const tier = highestOpenTier(entry.alarms);
  const readings = tileReadings(entry.latest);
  const titleId = `chair-${chair.id}-title`;
  const from = windowEnd - TREND_WINDOW_MS;
  const unitOf = (key: 'systolic' | 'heart_rate' | 'spo2', fallback: string) => unitText(entry.latest[key]?.unit) || fallback;

  return (
    <li
      class={`chair-tile card${tier ? ` chair-tile--${tier}` : ''}${session ? '' : ' chair-tile--empty'}`}
      data-chair={chair.id}
      data-tier={tier ?? 'none'}
      aria-labelledby={titleId}
    >
      <div class="chair-tile__head">
        <h2 id={titleId} class="chair-tile__name">
          {chair.name}
          {chair.room ? <span class="chair-tile__room"> · {chair.room}</span> : null}
        </h2>
        {tier ? (
          <p class={`chair-tile__tier tier--${tier}`}>
            <strong>{tierLabel(tier)}</strong> · {open.length} open {open.length === 1 ? 'alarm' : 'alarms'}
          </p>
        ) : null}
      </div>
      {session ? (
        <>
          <p class="chair-tile__patient">
            <a href={href({ name: 'session', id: String(session.id) })}>{patientName(session.patient)}</a>{' '}
            <span class="hint">MRN {session.patient.mrn}</span>
          </p>
          <p class="chair-tile__phase">
            <span class={`phase phase--${session.phase}`} data-phase={session.phase}>
              {phaseLabel(session.phase)}
            </span>{' '}
            <span role="timer" aria-label={`Time in phase, ${chair.name}`}>
              {phaseTimer(session.phase_started_at, now)}
            </span>
          </p>
        </>
      ) : (
        <p class="chair-tile__patient hint">No patient in this chair.</p>
      )}
      {readings.length ? (
        <dl class="readings">
          {readings.map((r) => (
            <div key={r.key} class="reading" data-vital={r.key}>
              <dt>{r.label}</dt>
              <dd>
                <span class="reading__value">{r.value}</span>
                {r.unit ? <span class="reading__unit"> {r.unit}</span> : null}
                <span class="reading__age">{readingAge(r.observedAt, now)}</span>
              </dd>
            </div>
          ))}
        </dl>
      ) : session ? (
        <p class="hint">No monitor readings yet.</p>
      ) : null}
      {session ? (
        <div class="sparklines">
          <Sparkline vital="systolic" label="Systolic" unit={unitOf('systolic', 'mmHg')} points={entry.trend.systolic ?? []} from={from} to={windowEnd} />
          <Sparkline vital="heart_rate" label="Heart rate" unit={unitOf('heart_rate', '/min')} points={entry.trend.heart_rate ?? []} from={from} to={windowEnd} />
          <Sparkline vital="spo2" label="SpO₂" unit={unitOf('spo2', '%')} points={entry.trend.spo2 ?? []} from={from} to={windowEnd} />
        </div>
      ) : null}
      <AlarmList
        alarms={open}
        chair={chair.name}
        label={`Open alarms, ${chair.name}`}
        now={now}
        canAcknowledge={canAcknowledge}
        onAcknowledge={(alarm) => onAcknowledge(alarm, chair.name)}
      />
      <p class="chair-tile__devices hint">
        {entry.devices.length ? `Monitor ${entry.devices.join(', ')}` : 'No monitor bound to this chair'}
      </p>
    </li>
  );
}
