// Bedside-monitor endpoints (/api/v1/monitor): the live chair board, alarms and their
// acknowledgement, one session's monitored vitals, monitor devices and their chairs, and the
// queue of readings no session has taken. Values are exact decimal text as the monitor sent
// them; units are UCUM. Patient ids travel in bodies only; paths carry numeric ids and the
// monitor's device id (an EUI-64, never patient data).
import { apiRequest, withQuery } from './client';
import type { SessionPatient } from './sessions';

export type AlarmTier = 'advisory' | 'warning' | 'critical';
export type BoardPhase = 'checked_in' | 'dosing' | 'paused' | 'recovery' | 'ready_for_discharge';

/** The vitals the board shows; a session's chart may carry more (e.g. temperature). */
export type VitalKey =
  | 'spo2'
  | 'heart_rate'
  | 'systolic'
  | 'diastolic'
  | 'mean_pressure'
  | 'respiratory_rate'
  | 'temperature';

/** One time-stamped number: [epoch milliseconds, value]. */
export type VitalPoint = [number, number];

export interface LatestReading {
  /** Exact decimal text, e.g. "97" or "36.80". */
  value: string;
  unit: string;
  observed_at: string;
}

export interface ChairRef {
  id: number;
  name: string;
  room: string;
}

export interface AlarmEvent {
  kind: 'raised' | 'tier_changed' | 'escalated' | 'acknowledged' | 'cleared';
  tier: AlarmTier;
  rule?: string;
  label?: string;
  value?: string;
  limit?: string;
  at: string;
  by?: string;
  note?: string;
}

/**
 * One alarm of one vital sign in one session. Its tier is the highest whose condition held
 * (`condition_tier` is the condition now, before escalation); rule, label, value and limit are
 * those of the last raise or tier change. The board's alarms carry no chair or patient (the tile
 * has them); the clinic's open-alarm list adds both.
 */
export interface Alarm {
  id: number;
  session_id: number;
  chair?: string;
  patient?: SessionPatient;
  parameter: string;
  rule?: string;
  label?: string;
  tier: AlarmTier;
  condition_tier?: AlarmTier;
  state: 'active' | 'cleared';
  acknowledged: boolean;
  escalated: boolean;
  open?: boolean;
  value?: string | null;
  limit?: string | null;
  unit: string;
  raised_at: string;
  cleared_at?: string;
  acknowledged_at?: string;
  acknowledged_by?: string | null;
  note?: string | null;
  events: AlarmEvent[];
}

export interface BoardSession {
  id: number;
  patient: SessionPatient;
  protocol_id: string;
  phase: BoardPhase;
  phase_started_at: string;
}

export interface BoardChair {
  chair: ChairRef;
  devices: string[];
  session: BoardSession | null;
  latest: Partial<Record<VitalKey, LatestReading>>;
  /** The last 30 minutes of each vital sign (at most 120 points each). */
  trend: Partial<Record<VitalKey, VitalPoint[]>>;
  alarms: Alarm[];
}

export interface ChairBoard {
  generated_at: string;
  chairs: BoardChair[];
}

export interface AlarmRuleInForce {
  id: string;
  label: string;
  parameter: string;
  kind: string;
  tier: AlarmTier;
  limit: number;
  origin: 'protocol' | 'clinic';
  unconfirmed: boolean;
}

export interface SessionMonitor {
  session_id: number;
  vitals: Partial<Record<VitalKey, VitalPoint[]>>;
  units: Partial<Record<VitalKey, string>>;
  baseline: Partial<Record<VitalKey, number>>;
  alarms: Alarm[];
  rules?: AlarmRuleInForce[];
}

export interface MonitorDevice {
  device_id: string;
  first_seen_at: string;
  last_seen_at: string;
  chair: ChairRef | null;
  bound_at?: string;
  bound_by?: string;
}

/** A reading in the unassigned queue. */
export interface QueuedObservation {
  id: number;
  /** The monitor's id (OBX-18 / MSH-3), as the server names it; `device_id` is accepted too. */
  device?: string;
  device_id?: string;
  code: string;
  code_name: string;
  loinc: string | null;
  state: string;
  value: string | null;
  value_text: string;
  unit: string | null;
  unit_as_sent: string;
  observed_at: string;
  received_at: string;
}

export interface QueuePage {
  items: QueuedObservation[];
  next_cursor: string | null;
}

export function getChairBoard(): Promise<ChairBoard> {
  return apiRequest<ChairBoard>('GET', '/api/v1/monitor/board');
}

export function listOpenAlarms(): Promise<{ items: Alarm[] }> {
  return apiRequest<{ items: Alarm[] }>('GET', withQuery('/api/v1/monitor/alarms', { state: 'open' }));
}

export function acknowledgeAlarm(id: number, note: string): Promise<Alarm> {
  return apiRequest<Alarm>('POST', `/api/v1/monitor/alarms/${id}/acknowledge`, { note });
}

export function getSessionMonitor(sessionId: string | number): Promise<SessionMonitor> {
  return apiRequest<SessionMonitor>('GET', `/api/v1/sessions/${sessionId}/monitor`);
}

export function listDevices(): Promise<{ items: MonitorDevice[] }> {
  return apiRequest<{ items: MonitorDevice[] }>('GET', '/api/v1/monitor/devices');
}

/** Binds the device to a chair, or unbinds it with `chairId` null. */
export function bindDevice(deviceId: string, chairId: number | null): Promise<MonitorDevice> {
  return apiRequest<MonitorDevice>('PUT', `/api/v1/monitor/devices/${encodeURIComponent(deviceId)}/chair`, {
    chair_id: chairId,
  });
}

export function listUnassigned(cursor: string | null, limit = 50): Promise<QueuePage> {
  return apiRequest<QueuePage & { next_after_id?: string | number | null }>(
    'GET',
    withQuery('/api/v1/monitor/unassigned', { cursor, limit }),
  ).then((page) => ({
    items: page.items,
    next_cursor: page.next_cursor ?? (page.next_after_id == null ? null : String(page.next_after_id)),
  }));
}

export function assignReadings(observationIds: number[], sessionId: number): Promise<{ assigned: number; session_id?: number }> {
  return apiRequest<{ assigned: number; session_id?: number }>('POST', '/api/v1/monitor/unassigned/assign', {
    observation_ids: observationIds,
    session_id: sessionId,
  });
}

export function discardReadings(observationIds: number[], reason: string): Promise<{ discarded: number }> {
  return apiRequest<{ discarded: number }>('POST', '/api/v1/monitor/unassigned/discard', {
    observation_ids: observationIds,
    reason,
  });
}

/** The URL of the server's event stream for the given topics (same-origin, cookie-authenticated). */
export function eventStreamUrl(topics: readonly string[]): string {
  return withQuery('/api/v1/events', { topics: topics.join(',') });
}
