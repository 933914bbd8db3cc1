// Tests of alarm tiers: which alarms are open (a cleared alarm stays until acknowledged), the
// most-urgent-first order, the highest open tier of a chair, and chairs ordered by it.
import { describe, expect, it } from 'vitest';
import { alarmSummary, byHighestOpenTier, compareAlarms, highestOpenTier, isOpenAlarm, openAlarms, tierLabel } from './alarmTiers';
import { unitText } from './readings';
import { alarm } from './testAlarms';

describe('isOpenAlarm', () => {
  it('is open while active or not yet acknowledged', () => {
    expect(isOpenAlarm({ state: 'active', acknowledged: false })).toBe(true);
    expect(isOpenAlarm({ state: 'active', acknowledged: true })).toBe(true);
    expect(isOpenAlarm({ state: 'cleared', acknowledged: false })).toBe(true);
    expect(isOpenAlarm({ state: 'cleared', acknowledged: true })).toBe(false);
  });
});

describe('tiers', () => {
  it('names each tier in capitals', () => {
    expect(tierLabel('critical')).toBe('CRITICAL');
    expect(tierLabel('warning')).toBe('WARNING');
    expect(tierLabel('advisory')).toBe('ADVISORY');
  });

  it('orders critical before warning before advisory, active before cleared, escalated first, then oldest', () => {
    const list = [
      alarm({ id: 1, tier: 'advisory' }),
      alarm({ id: 2, tier: 'warning', state: 'cleared' }),
      alarm({ id: 3, tier: 'critical' }),
      alarm({ id: 4, tier: 'warning' }),
      alarm({ id: 5, tier: 'warning', escalated: true }),
      alarm({ id: 6, tier: 'warning', raised_at: '2026-12-02T09:00:00.000Z' }),
    ];
    expect([...list].sort(compareAlarms).map((a) => a.id)).toEqual([3, 5, 6, 4, 2, 1]);
  });

  it('finds the highest open tier, ignoring closed alarms', () => {
    expect(highestOpenTier([])).toBeNull();
    expect(highestOpenTier([alarm({ tier: 'critical', state: 'cleared', acknowledged: true })])).toBeNull();
    expect(highestOpenTier([alarm({ tier: 'advisory' }), alarm({ id: 2, tier: 'warning', state: 'cleared' })])).toBe('warning');
    expect(highestOpenTier([alarm({ tier: 'warning' }), alarm({ id: 2, tier: 'critical', acknowledged: true })])).toBe('critical');
  });

  it('keeps only open alarms, most urgent first', () => {
    const list = [alarm({ id: 1, tier: 'advisory' }), alarm({ id: 2, tier: 'critical', state: 'cleared', acknowledged: true }), alarm({ id: 3, tier: 'critical' })];
    expect(openAlarms(list).map((a) => a.id)).toEqual([3, 1]);
  });

  it('puts chairs with higher open tiers first and otherwise keeps the server order', () => {
    const chairs = [
      { name: 'A', alarms: [] },
      { name: 'B', alarms: [alarm({ tier: 'advisory' })] },
      { name: 'C', alarms: [] },
      { name: 'D', alarms: [alarm({ tier: 'critical' })] },
      { name: 'E', alarms: [alarm({ tier: 'critical', state: 'cleared', acknowledged: true })] },
      { name: 'F', alarms: [alarm({ tier: 'warning' })] },
    ];
    expect(byHighestOpenTier(chairs).map((c) => c.name)).toEqual(['D', 'F', 'B', 'A', 'C', 'E']);
  });

  it('words an alarm with its value, limit and unit', () => {
    expect(alarmSummary(alarm(), unitText)).toBe('Alarm above systolic: 185 mmHg (limit 180 mmHg)');
    expect(alarmSummary(alarm({ label: 'Alarm below SpO2', value: '88', limit: '90', unit: '%' }), unitText)).toBe('Alarm below SpO2: 88 % (limit 90 %)');
  });
});
