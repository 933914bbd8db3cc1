// What the scheduling use cases share inside their transactions: the clinic's
// time zone, chairs and clinicians looked up for a request (unknown ones are
// invalid input naming the field), working hours as stored JSON and as the
// rules' WeeklyHours, the booked slots overlapping an interval, and the one
// JSON form of an appointment. Internal to SchedulingService and the demo
// seeding; every function runs in the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/json_input.h"
#include "base/time_zone.h"
#include "clinical/scheduling/conflicts.h"
#include "store/database.h"

namespace ketachart {

struct ChairRecord {
  int64_t id = 0;
  std::string name;
  std::string room;
  bool in_service = true;
};

struct ClinicianRecord {
  int64_t id = 0;
  std::string username;
  std::string display_name;
};

Result<ClinicTimeZone> LoadClinicTimeZone(Transaction& txn, int64_t clinic_id);
// kInvalidInput naming `field` when the chair is not one of the clinic's.
Result<ChairRecord> LoadChair(Transaction& txn, int64_t clinic_id, int64_t chair_id, const std::string& field);
// A prescriber, nurse or therapist of the clinic; otherwise kInvalidInput naming `field`.
Result<ClinicianRecord> LoadClinician(Transaction& txn, int64_t clinic_id, int64_t user_id, const std::string& field);

// The stored form {"monday":[{"start":"08:00","end":"17:00"}],...} read strictly
// (field paths under "hours"); days left out are days off.
Result<WeeklyHours> ReadWeeklyHours(const Json& hours);
Json WeeklyHoursJson(const WeeklyHours& hours);
// The clinician's current hours, nullopt when never set.
Result<std::optional<WeeklyHours>> LoadWeeklyHours(Transaction& txn, int64_t clinic_id, int64_t user_id);

// Booked (not cancelled) appointments of the clinic whose current slot
// overlaps [from, to), in local time.
Result<std::vector<ScheduledSlot>> LoadBookedSlots(Transaction& txn, const ClinicTimeZone& zone, int64_t clinic_id,
                                                   TimePoint from, TimePoint to);

// SELECT list and FROM clause of the current state of appointments ("e" is
// the appointment's last event); append " WHERE ..." conditions.
extern const char* const kCurrentAppointmentSelect;
Json CurrentAppointmentJson(const SqlRow& row, const ClinicTimeZone& zone);
// One appointment (current state) or NotFound.
Result<Json> LoadAppointmentJson(Transaction& txn, const ClinicTimeZone& zone, int64_t clinic_id,
                                 int64_t appointment_id);

}  // namespace ketachart
