// Conflict rules of the clinic's schedule (issue 6). A proposed appointment
// collides when its chair, its staff member or its patient is already booked
// for an overlapping interval, when it falls outside the staff member's
// working hours for that weekday, or when its chair is out of service. Each
// conflict names its rule and what it collides with, in the clinic's local
// time ("chair 3 is booked 09:00-11:00 for another appointment"). Intervals
// are half-open, so back-to-back appointments do not collide; cancelled
// appointments are not passed in (or carry cancelled = true) and never block.
// Pure: no I/O, no clock. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/local_time.h"

namespace ketachart {

// One working interval of a weekday, minutes since local midnight, [start, end).
struct WorkingInterval {
  int start_minute = 0;
  int end_minute = 0;
};

// A staff member's working hours, Monday (0) to Sunday (6); a day without
// intervals is a day off.
struct WeeklyHours {
  std::array<std::vector<WorkingInterval>, 7> days;

  bool Works(int weekday) const { return !days.at(static_cast<size_t>(weekday)).empty(); }
};

// An appointment as the rules see it: who, where and when (local wall-clock
// times of the clinic; the service converts from UTC).
struct ScheduledSlot {
  int64_t appointment_id = 0;  // 0 for one not booked yet
  int64_t chair_id = 0;
  std::string chair_name;
  int64_t staff_user_id = 0;
  std::string staff_name;
  int64_t patient_id = 0;
  LocalDateTime start;
  LocalDateTime end;
  bool cancelled = false;
};

enum class ConflictRule {
  kChairDoubleBooked,
  kStaffDoubleBooked,
  kPatientDoubleBooked,
  kOutsideWorkingHours,
  kChairOutOfService,
};

struct SchedulingConflict {
  ConflictRule rule;
  int64_t with_appointment_id = 0;  // the appointment collided with, when one
  std::string message;              // names what collides, in local time
};

// "chair_double_booked", "staff_double_booked", ...
std::string_view ConflictRuleName(ConflictRule rule);
// The request field a conflict is about ("chair_id", "staff_user_id", "patient_id", "start").
std::string_view ConflictRuleField(ConflictRule rule);

struct ProposedSlot {
  ScheduledSlot slot;
  bool chair_in_service = true;
  // The staff member's current working hours; nullptr when none were ever set.
  const WeeklyHours* staff_hours = nullptr;
};

// Every conflict of `proposed` against `booked` (the proposed appointment's own
// id, when rescheduling, is skipped), in the order: chair out of service,
// working hours, chair, staff, patient. Empty when it can be booked.
std::vector<SchedulingConflict> FindConflicts(const ProposedSlot& proposed, std::span<const ScheduledSlot> booked);

// "09:00-11:00", with the date when the two slots are on different days.
std::string DescribeInterval(LocalDateTime start, LocalDateTime end);

}  // namespace ketachart
