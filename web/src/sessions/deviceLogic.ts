// Esketamine devices at the chair (docs/sessions.md "Esketamine devices"): what the device
// button says, the countdown to the next allowed device from the server's next_allowed_at and
// the client clock, and the body of a device event. Pure; the server enforces the rules.
import type { SessionDevices } from '../api/sessions';
import type { StockChoice } from '../ledger/stockPicker';
import type { Built } from './sessionLogic';

/** Milliseconds until the next device may be given (0 when now), or null when none is pending. */
export function msToNextDevice(devices: SessionDevices, nowMs: number): number | null {
  if (devices.given >= devices.ordered || !devices.next_allowed_at) return null;
  return Math.max(0, Date.parse(devices.next_allowed_at) - nowMs);
}

/** m:ss, rounded up to the second like the server's refusal ("0:01 to go"). */
export function countdownLabel(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export interface DeviceState {
  /** The next device's number, or null when all ordered devices are given. */
  next: number | null;
  enabled: boolean;
  /** Why the button is disabled: the server's rule, or the countdown. */
  blockedBy: string | null;
}

/**
 * The device button. `allowed` is the server's verdict at its last refresh; a verdict that only
 * says "too soon" is lifted once the client clock passes next_allowed_at (the server checks again).
 */
export function deviceState(devices: SessionDevices, allowed: true | string | undefined, canRecord: boolean, nowMs: number): DeviceState {
  const next = devices.given < devices.ordered ? devices.given + 1 : null;
  const wait = msToNextDevice(devices, nowMs);
  if (next === null) return { next, enabled: false, blockedBy: `all ${devices.ordered} devices ordered have been given` };
  if (wait !== null && wait > 0) {
    return { next, enabled: false, blockedBy: `rest between devices (${devices.rest_between_devices_min ?? '?'} min): ${countdownLabel(wait)} to go` };
  }
  const tooSoonOnly = typeof allowed === 'string' && allowed.includes('(rest_between_devices)') && wait === 0;
  if (allowed !== true && !tooSoonOnly) return { next, enabled: false, blockedBy: allowed ?? 'the server did not say whether this is allowed' };
  if (!canRecord) return { next, enabled: false, blockedBy: 'your roles do not include recording on a session (session.record)' };
  return { next, enabled: true, blockedBy: null };
}

export interface DeviceForm {
  observed_by: string;
  /** The ledger lot and location the device came from (StockPicker), or null for no ledger link. */
  stock: StockChoice | null;
}

/** The device event: its number, who observed, and the ledger lot and location it came from when one was picked. */
export function deviceBody(next: number, form: DeviceForm): Built<Record<string, unknown>> {
  const body: Record<string, unknown> = { kind: 'device', device_number: next };
  if (form.observed_by.trim()) body.observed_by = form.observed_by.trim();
  if (form.stock) body.administer = { lot_id: form.stock.lot_id, location_id: form.stock.location_id };
  return { body, errors: {} };
}
