// The clinic's schedule (issue 6): treatment chairs in rooms (set in or out of
// service), staff working hours per weekday, appointments for patients booked
// on a chair with a clinician, conflict detection (chair, clinician or patient
// double-booked, outside working hours, chair out of service), a course's
// appointment series generated from its protocol's quantities and booked all
// or nothing, rescheduling and cancellation with reasons (the old slot stays
// in the history), the day/week calendar by chair, and the reminders staff
// still have to send. Times on the wire are the clinic's local wall-clock
// ("YYYY-MM-DDTHH:MM") next to their UTC instants. Every call checks its
// permission first, runs in one transaction and audits itself; reads showing
// patients are audited after their read transaction. Thread-safe.
#pragma once

#include <string>

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

class SchedulingService {
 public:
  static constexpr int kMaxDurationMinutes = 12 * 60;
  static constexpr int kMaxReminderWindowHours = 7 * 24;

  explicit SchedulingService(ServiceContext& context) : context_(context) {}

  // {"items":[{"id","name","room","in_service","status_reason","status_changed_at"}]} by room, name.
  Result<Json> ListChairs(const Actor& actor);
  // Body {"name","room"}; 201 chair (in service).
  Result<Json> CreateChair(const Actor& actor, const Json& body);
  // Body {"in_service": bool, "reason"}; a new status row (conflict when unchanged).
  Result<Json> SetChairService(const Actor& actor, int64_t chair_id, const Json& body);

  // The clinic's clinicians (prescriber, nurse, therapist) with their current hours.
  Result<Json> ListStaff(const Actor& actor);
  // {"user_id","display_name","hours":{"monday":[{"start","end"}],...}|null,"set_at","set_by","reason"}.
  Result<Json> WorkingHours(const Actor& actor, int64_t user_id);
  // Body {"hours":{"monday":[{"start":"08:00","end":"17:00"}],...}, "reason"?}: a new version.
  Result<Json> SetWorkingHours(const Actor& actor, int64_t user_id, const Json& body);

  // Body {"patient_id","course_id"?,"kind","chair_id","staff_user_id","start","duration_minutes","note"?}.
  Result<Json> BookAppointment(const Actor& actor, const Json& body);
  // Body {"first_start","sessions","per_week","duration_minutes","chair_id","staff_user_id","kind"?,"note"?}:
  // {"items":[appointment...]} booked in one transaction, or a conflict listing every collision.
  Result<Json> BookSeries(const Actor& actor, int64_t course_id, const Json& body);
  // Body {"start","duration_minutes"?,"chair_id"?,"staff_user_id"?,"reason"}.
  Result<Json> Reschedule(const Actor& actor, int64_t appointment_id, const Json& body);
  // Body {"reason"}.
  Result<Json> Cancel(const Actor& actor, int64_t appointment_id, const Json& body);
  // One appointment with its whole history of slots.
  Result<Json> GetAppointment(const Actor& actor, int64_t appointment_id);

  // date "YYYY-MM-DD" (clinic local), days 1 or 7: every chair with its appointments.
  Result<Json> Calendar(const Actor& actor, const std::string& date, int days);
  // Booked appointments starting within the next `within_hours` with no reminder for their current slot.
  Result<Json> Reminders(const Actor& actor, int within_hours);
  // Body {"channel_note"}: records that a reminder was sent for the current slot.
  Result<Json> MarkReminderSent(const Actor& actor, int64_t appointment_id, const Json& body);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
