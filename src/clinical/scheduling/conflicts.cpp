// Scheduling conflict rules (see conflicts.h).
#include "clinical/scheduling/conflicts.h"

#include <fmt/format.h>

#include <optional>

namespace ketachart {
namespace {

bool Overlaps(const ScheduledSlot& a, const ScheduledSlot& b) { return a.start < b.end && b.start < a.end; }

std::string HoursText(const std::vector<WorkingInterval>& intervals) {
  std::string text;
  for (const WorkingInterval& interval : intervals) {
    if (!text.empty()) text += ", ";
    text += FormatClockTime(interval.start_minute) + "-" + FormatClockTime(interval.end_minute);
  }
  return text;
}

std::optional<SchedulingConflict> WorkingHoursConflict(const ProposedSlot& proposed) {
  const ScheduledSlot& slot = proposed.slot;
  if (!proposed.staff_hours) {
    return SchedulingConflict{ConflictRule::kOutsideWorkingHours, 0,
                              fmt::format("{} has no working hours set", slot.staff_name)};
  }
  const int weekday = WeekdayOfDay(slot.start.day());
  const auto& intervals = proposed.staff_hours->days.at(static_cast<size_t>(weekday));
  const std::string when = fmt::format("{} {}", WeekdayName(weekday), DescribeInterval(slot.start, slot.end));
  if (intervals.empty()) {
    return SchedulingConflict{ConflictRule::kOutsideWorkingHours, 0,
                              fmt::format("{} does not work on {}s ({} was asked)", slot.staff_name,
                                          WeekdayName(weekday), when)};
  }
  // An appointment must sit inside one interval of its start's day (an end at
  // midnight is the end of that day).
  const int64_t day_start = slot.start.day() * kMinutesPerDay;
  for (const WorkingInterval& interval : intervals) {
    if (slot.start.minutes >= day_start + interval.start_minute && slot.end.minutes <= day_start + interval.end_minute) {
      return std::nullopt;
    }
  }
  return SchedulingConflict{ConflictRule::kOutsideWorkingHours, 0,
                            fmt::format("{} works {} on {}s; {} is outside those hours", slot.staff_name,
                                        HoursText(intervals), WeekdayName(weekday), when)};
}

}  // namespace

std::string_view ConflictRuleName(ConflictRule rule) {
  switch (rule) {
    case ConflictRule::kChairDoubleBooked: return "chair_double_booked";
    case ConflictRule::kStaffDoubleBooked: return "staff_double_booked";
    case ConflictRule::kPatientDoubleBooked: return "patient_double_booked";
    case ConflictRule::kOutsideWorkingHours: return "outside_working_hours";
    case ConflictRule::kChairOutOfService: return "chair_out_of_service";
  }
  return "unknown";
}

std::string_view ConflictRuleField(ConflictRule rule) {
  switch (rule) {
    case ConflictRule::kChairDoubleBooked:
    case ConflictRule::kChairOutOfService: return "chair_id";
    case ConflictRule::kStaffDoubleBooked: return "staff_user_id";
    case ConflictRule::kPatientDoubleBooked: return "patient_id";
    case ConflictRule::kOutsideWorkingHours: return "start";
  }
  return "";
}

std::string DescribeInterval(LocalDateTime start, LocalDateTime end) {
  if (start.day() == end.day() || (end.day() == start.day() + 1 && end.minute_of_day() == 0)) {
    const std::string end_text = end.day() == start.day() ? FormatClockTime(end.minute_of_day()) : "24:00";
    return fmt::format("{} {}-{}", FormatLocalDate(start.day()), FormatClockTime(start.minute_of_day()), end_text);
  }
  return fmt::format("{} to {}", FormatLocalDateTime(start), FormatLocalDateTime(end));
}

std::vector<SchedulingConflict> FindConflicts(const ProposedSlot& proposed, std::span<const ScheduledSlot> booked) {
  std::vector<SchedulingConflict> conflicts;
  const ScheduledSlot& slot = proposed.slot;
  if (!proposed.chair_in_service) {
    conflicts.push_back({ConflictRule::kChairOutOfService, 0, fmt::format("{} is out of service", slot.chair_name)});
  }
  if (auto hours = WorkingHoursConflict(proposed)) conflicts.push_back(std::move(*hours));
  std::vector<SchedulingConflict> chair, staff, patient;
  for (const ScheduledSlot& other : booked) {
    if (other.cancelled || (slot.appointment_id != 0 && other.appointment_id == slot.appointment_id)) continue;
    if (!Overlaps(slot, other)) continue;
    const std::string interval = DescribeInterval(other.start, other.end);
    if (other.chair_id == slot.chair_id) {
      chair.push_back({ConflictRule::kChairDoubleBooked, other.appointment_id,
                       fmt::format("{} is booked {} for another appointment", slot.chair_name, interval)});
    }
    if (other.staff_user_id == slot.staff_user_id) {
      staff.push_back({ConflictRule::kStaffDoubleBooked, other.appointment_id,
                       fmt::format("{} is booked {} for another appointment", slot.staff_name, interval)});
    }
    if (other.patient_id == slot.patient_id) {
      patient.push_back({ConflictRule::kPatientDoubleBooked, other.appointment_id,
                         fmt::format("the patient already has an appointment {} ({})", interval, other.chair_name)});
    }
  }
  for (auto* list : {&chair, &staff, &patient}) {
    for (auto& conflict : *list) conflicts.push_back(std::move(conflict));
  }
  return conflicts;
}

}  // namespace ketachart
