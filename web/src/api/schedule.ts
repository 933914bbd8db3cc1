// Schedule endpoints: chairs, clinicians with working hours, booking, rescheduling,
// cancelling, the calendar by chair and the reminders still to send. Times are the
// clinic's local wall-clock "YYYY-MM-DDTHH:MM"; patient ids travel in bodies only.
import { apiRequest, withQuery } from './client';

export type AppointmentKind = 'dosing' | 'integration' | 'assessment' | 'follow_up';

export interface Appointment {
  id: number;
  patient: { id: number; mrn: string; family_name: string; given_names: string };
  course_id: number | null;
  kind: AppointmentKind;
  series_position: number | null;
  note: string;
  booked_at: string;
  booked_by: string;
  sequence: number;
  status: 'booked' | 'cancelled';
  cancel_reason: string | null;
  chair: { id: number; name: string; room: string };
  staff: { id: number; display_name: string };
  start: string;
  end: string;
  starts_at: string;
  ends_at: string;
  reminder_sent: boolean;
}

export interface AppointmentHistoryEntry {
  sequence: number;
  action: 'book' | 'reschedule' | 'cancel';
  status: string;
  chair: { id: number; name: string };
  staff: { id: number; display_name: string };
  start: string;
  end: string;
  reason: string;
  at: string;
  by: string;
}

export interface AppointmentDetail extends Appointment {
  history: AppointmentHistoryEntry[];
  reminders: { for_sequence: number; channel_note: string; sent_at: string; by: string }[];
}

export interface CalendarChair {
  id: number;
  name: string;
  room: string;
  in_service: boolean;
  appointments: Appointment[];
}

export interface Calendar {
  date: string;
  days: number;
  dates: string[];
  timezone: string;
  chairs: CalendarChair[];
}

export interface Clinician {
  id: number;
  username: string;
  display_name: string;
  roles: string[];
  hours: Record<string, { start: string; end: string }[]> | null;
}

export interface BookingRequest {
  patient_id: number;
  kind: AppointmentKind;
  chair_id: number;
  staff_user_id: number;
  start: string;
  duration_minutes: number;
  note?: string;
}

export function getCalendar(date: string, days: 1 | 7): Promise<Calendar> {
  return apiRequest<Calendar>('GET', withQuery('/api/v1/calendar', { date, days }));
}

export function listClinicians(): Promise<{ items: Clinician[] }> {
  return apiRequest<{ items: Clinician[] }>('GET', '/api/v1/schedule/staff');
}

export function bookAppointment(body: BookingRequest): Promise<Appointment> {
  return apiRequest<Appointment>('POST', '/api/v1/appointments', body);
}

export function getAppointment(id: number): Promise<AppointmentDetail> {
  return apiRequest<AppointmentDetail>('GET', `/api/v1/appointments/${id}`);
}

export function rescheduleAppointment(
  id: number,
  body: { start: string; duration_minutes?: number; chair_id?: number; reason: string },
): Promise<Appointment> {
  return apiRequest<Appointment>('POST', `/api/v1/appointments/${id}/reschedule`, body);
}

export function cancelAppointment(id: number, reason: string): Promise<Appointment> {
  return apiRequest<Appointment>('POST', `/api/v1/appointments/${id}/cancel`, { reason });
}

export function listReminders(withinHours = 48): Promise<{ items: Appointment[]; timezone: string }> {
  return apiRequest<{ items: Appointment[]; timezone: string }>(
    'GET',
    withQuery('/api/v1/reminders', { within_hours: withinHours }),
  );
}

export function markReminderSent(id: number, channelNote: string): Promise<Appointment> {
  return apiRequest<Appointment>('POST', `/api/v1/appointments/${id}/reminder-sent`, { channel_note: channelNote });
}

// ---- set-up (schedule.setup): chairs and their service status, staff working hours

export interface Chair {
  id: number;
  name: string;
  room: string;
  in_service: boolean;
  status_reason: string;
  status_changed_at: string;
}

export interface StaffWorkingHours {
  user_id: number;
  display_name: string;
  hours: Record<string, { start: string; end: string }[]> | null;
  version: number;
  set_at: string | null;
  set_by: string | null;
  reason: string | null;
}

export function listChairs(): Promise<{ items: Chair[] }> {
  return apiRequest<{ items: Chair[] }>('GET', '/api/v1/chairs');
}

export function createChair(body: { name: string; room: string }): Promise<Chair> {
  return apiRequest<Chair>('POST', '/api/v1/chairs', body);
}

export function setChairService(id: number, body: { in_service: boolean; reason: string }): Promise<Chair> {
  return apiRequest<Chair>('POST', `/api/v1/chairs/${id}/service`, body);
}

export function getWorkingHours(userId: number): Promise<StaffWorkingHours> {
  return apiRequest<StaffWorkingHours>('GET', `/api/v1/staff/${userId}/working-hours`);
}

export function setWorkingHours(
  userId: number,
  body: { hours: Record<string, { start: string; end: string }[]>; reason?: string },
): Promise<StaffWorkingHours> {
  return apiRequest<StaffWorkingHours>('POST', `/api/v1/staff/${userId}/working-hours`, body);
}
