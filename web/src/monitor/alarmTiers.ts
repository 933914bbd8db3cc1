// Alarm tiers and which alarms are still open: the order that puts the most urgent first, the
// text that names a tier (never colour alone), and the highest open tier of a chair. An alarm is
// open while it is active or not yet acknowledged: a cleared alarm stays until someone says so.
import type { Alarm, AlarmTier } from '../api/monitor';

const TIER_RANK: Record<AlarmTier, number> = { advisory: 1, warning: 2, critical: 3 };

export function tierRank(tier: AlarmTier): number {
  return TIER_RANK[tier] ?? 0;
}

/** "CRITICAL", "WARNING", "ADVISORY". */
export function tierLabel(tier: AlarmTier): string {
  return tier.toUpperCase();
}

export function isOpenAlarm(alarm: Pick<Alarm, 'state' | 'acknowledged'>): boolean {
  return alarm.state === 'active' || !alarm.acknowledged;
}

/** Most urgent first: higher tier, then active before cleared, then escalated, then oldest raised. */
export function compareAlarms(a: Alarm, b: Alarm): number {
  return (
    tierRank(b.tier) - tierRank(a.tier) ||
    Number(b.state === 'active') - Number(a.state === 'active') ||
    Number(b.escalated) - Number(a.escalated) ||
    Date.parse(a.raised_at) - Date.parse(b.raised_at) ||
    a.id - b.id
  );
}

/** The open alarms, most urgent first. */
export function openAlarms(alarms: readonly Alarm[]): Alarm[] {
  return alarms.filter(isOpenAlarm).sort(compareAlarms);
}

/** The highest tier among the open alarms, or null when none is open. */
export function highestOpenTier(alarms: readonly Alarm[]): AlarmTier | null {
  let highest: AlarmTier | null = null;
  for (const alarm of alarms) {
    if (!isOpenAlarm(alarm)) continue;
    if (highest === null || tierRank(alarm.tier) > tierRank(highest)) highest = alarm.tier;
  }
  return highest;
}

/** Chairs with open alarms first (critical, then warning, then advisory); otherwise the server's order. */
export function byHighestOpenTier<T extends { alarms: Alarm[] }>(chairs: readonly T[]): T[] {
  const rank = (c: T) => {
    const tier = highestOpenTier(c.alarms);
    return tier ? tierRank(tier) : 0;
  };
  return chairs
    .map((chair, index) => ({ chair, index }))
    .sort((a, b) => rank(b.chair) - rank(a.chair) || a.index - b.index)
    .map((entry) => entry.chair);
}

/** "Alarm above systolic: 185 mmHg (limit 180 mmHg)", the unit shown for people; parts the server left out are skipped. */
export function alarmSummary(alarm: Alarm, unitText: (unit: string) => string): string {
  const unit = unitText(alarm.unit);
  const withUnit = (v: string) => (unit ? `${v} ${unit}` : v);
  const label = alarm.label || `Alarm on ${alarm.parameter.replace(/_/g, ' ')}`;
  const value = alarm.value ? `: ${withUnit(alarm.value)}` : '';
  const limit = alarm.limit ? ` (limit ${withUnit(alarm.limit)})` : '';
  return `${label}${value}${limit}`;
}
