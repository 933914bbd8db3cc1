// Tests of the unassigned-queue helpers: value wording, assignable sessions, selection upkeep.
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../api/sessions';
import { assignableSessions, deviceOf, keepSelected, queuedValue, toggled } from './queueLogic';

describe('queuedValue', () => {
  it('shows the exact decimal with its unit, or why there is no value', () => {
    expect(queuedValue({ state: 'measured', value: '36.80', unit: 'Cel', unit_as_sent: 'cel' })).toBe('36.80 °C');
    expect(queuedValue({ state: 'measured', value: '2.41', unit: null, unit_as_sent: '' })).toBe('2.41');
    expect(queuedValue({ state: 'measured', value: '7', unit: null, unit_as_sent: 'widgets' })).toBe('7 widgets');
    expect(queuedValue({ state: 'no_sensor', value: null, unit: null, unit_as_sent: '' })).toBe('no sensor');
    expect(queuedValue({ state: 'cannot_be_obtained', value: null, unit: '%', unit_as_sent: '%' })).toBe('could not be obtained');
    expect(queuedValue({ state: 'something_new', value: null, unit: null, unit_as_sent: '' })).toBe('something new');
  });
  it('reads the device under either name', () => {
    expect(deviceOf({ device: '00091BFFFE000101' })).toBe('00091BFFFE000101');
    expect(deviceOf({ device_id: '0012340000000001' })).toBe('0012340000000001');
  });
});

describe('assignableSessions', () => {
  it('offers today\'s sessions that are still open', () => {
    const base = { patient: { id: 1, mrn: 'NRK-1', family_name: 'Doe', given_names: 'Jan' }, chair: 'Chair 3' } as SessionSummary;
    const options = assignableSessions([
      { ...base, id: 5, phase: 'dosing' },
      { ...base, id: 6, phase: 'discharged' },
      { ...base, id: 7, phase: 'cancelled' },
      { ...base, id: 8, phase: 'checked_in', chair: 'Chair 1' },
    ]);
    expect(options).toEqual([
      { value: '5', label: 'Chair 3 — Doe, Jan (NRK-1), Dosing, session #5' },
      { value: '8', label: 'Chair 1 — Doe, Jan (NRK-1), Checked in, session #8' },
    ]);
  });
});

describe('selection', () => {
  it('toggles ids and drops ids no longer on the page', () => {
    let s = toggled(new Set(), 3, true);
    s = toggled(s, 4, true);
    s = toggled(s, 3, false);
    expect([...s]).toEqual([4]);
    expect([...keepSelected(new Set([1, 2, 4]), [{ id: 2 }, { id: 4 }, { id: 9 }])]).toEqual([2, 4]);
  });
});
