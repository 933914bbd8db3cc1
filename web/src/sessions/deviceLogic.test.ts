import { describe, expect, it } from 'vitest';
import type { SessionDevices } from '../api/sessions';
import { countdownLabel, deviceBody, deviceState, msToNextDevice } from './deviceLogic';

const T0 = Date.parse('2026-03-10T09:00:00.000Z');
const after1: SessionDevices = {
  ordered: 2, given: 1, items: [], rest_between_devices_min: 5,
  next_allowed_at: '2026-03-10T09:05:00.000Z', seconds_to_next: 300,
};
const TOO_SOON = "device 2 is too soon: the protocol's rest between devices is 5 min (rest_between_devices); 5:00 to go";

describe('esketamine devices', () => {
  it('counts down to the next device, rounding up to the second', () => {
    expect(msToNextDevice(after1, T0)).toBe(300_000);
    expect(countdownLabel(300_000)).toBe('5:00');
    expect(countdownLabel(299_001)).toBe('5:00');
    expect(countdownLabel(1)).toBe('0:01');
    expect(msToNextDevice(after1, T0 + 400_000)).toBe(0);
    expect(msToNextDevice({ ...after1, given: 2 }, T0)).toBeNull();
  });

  it('keeps the button disabled until the rest has passed, then lifts a too-soon verdict', () => {
    const early = deviceState(after1, TOO_SOON, true, T0 + 299_000);
    expect(early).toEqual({ next: 2, enabled: false, blockedBy: 'rest between devices (5 min): 0:01 to go' });
    expect(deviceState(after1, TOO_SOON, true, T0 + 300_000)).toEqual({ next: 2, enabled: true, blockedBy: null });
    expect(deviceState(after1, 'device is not allowed while the session is paused', true, T0 + 300_000).enabled).toBe(false);
    expect(deviceState(after1, true, false, T0 + 300_000).blockedBy).toMatch(/session\.record/);
    expect(deviceState({ ...after1, given: 2 }, true, true, T0).blockedBy).toBe('all 2 devices ordered have been given');
  });

  it('builds the device event, with the ledger lot and location only when stock was picked', () => {
    expect(deviceBody(2, { observed_by: ' M. Lindqvist ', stock: null }).body).toEqual({ kind: 'device', device_number: 2, observed_by: 'M. Lindqvist' });
    expect(deviceBody(1, { observed_by: '', stock: { lot_id: 4, location_id: 1 } }).body).toEqual({ kind: 'device', device_number: 1, administer: { lot_id: 4, location_id: 1 } });
  });
});
