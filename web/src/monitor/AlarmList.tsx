// A list of alarm banners, most urgent first: the tier as a word and a colour, what crossed which
// limit, escalated and cleared-but-unacknowledged markers, and an Acknowledge button for staff
// who record on sessions. Shared by the chair board tiles and the session's monitor panel.
import type { Alarm } from '../api/monitor';
import { dateTime } from '../lib/format';
import { alarmSummary, tierLabel } from './alarmTiers';
import { readingAge, unitText } from './readings';

export function AlarmList({
  alarms,
  chair,
  label,
  now,
  canAcknowledge,
  onAcknowledge,
}: {
  alarms: Alarm[];
  /** The chair's name, when the alarms do not carry it (the board's do not). */
  chair?: string;
  label: string;
  now: number;
  canAcknowledge: boolean;
  onAcknowledge: (alarm: Alarm) => void;
}) {
  if (alarms.length === 0) return null;
  return (
    <ul class="alarm-list" aria-label={label}>
      {alarms.map((alarm) => (
        <li key={alarm.id} class={`alarm tier--${alarm.tier}`} data-alarm={alarm.id} data-tier={alarm.tier} data-state={alarm.state} data-parameter={alarm.parameter}>
          <p class="alarm__head">
            <strong class="tier-badge">{tierLabel(alarm.tier)}</strong>
            {alarm.escalated ? <strong class="alarm__escalated">ESCALATED</strong> : null}
            <span class="alarm__text">{alarmSummary(alarm, unitText)}</span>
          </p>
          <p class="alarm__meta">
            <span title={dateTime(alarm.raised_at)}>Raised {readingAge(alarm.raised_at, now)}</span>
            {alarm.state === 'cleared' ? <span> · Cleared, not yet acknowledged</span> : <span> · Active</span>}
            {alarm.acknowledged ? (
              <span>
                {' '}
                · Acknowledged{alarm.acknowledged_by ? ` by ${alarm.acknowledged_by}` : ''}
              </span>
            ) : null}
          </p>
          {canAcknowledge && !alarm.acknowledged ? (
            <button
              type="button"
              class="button button--small alarm__ack"
              aria-label={`Acknowledge ${tierLabel(alarm.tier)} alarm: ${alarmSummary(alarm, unitText)}${(alarm.chair ?? chair) ? `, ${alarm.chair ?? chair}` : ''}`}
              onClick={() => onAcknowledge(alarm)}
            >
              Acknowledge
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
