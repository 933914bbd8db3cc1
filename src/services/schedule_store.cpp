// Scheduling lookups shared by the use cases (see schedule_store.h).
#include "services/schedule_store.h"

#include <fmt/format.h>

#include <algorithm>

namespace ketachart {
namespace {

constexpr size_t kMaxIntervalsPerDay = 4;
// The longest appointment (SchedulingService::kMaxDurationMinutes): slots
// starting this long before an interval are the only ones that can reach into it.
constexpr auto kLongestAppointment = std::chrono::hours(12);

LocalDateTime LocalOf(const ClinicTimeZone& zone, const std::string& utc) {
  return zone.ToLocal(ParseTimestamp(utc).value_or(TimePoint{}));
}

}  // namespace

Result<ClinicTimeZone> LoadClinicTimeZone(Transaction& txn, int64_t clinic_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT timezone FROM clinics WHERE id = ?", {clinic_id}));
  if (rows.empty()) return NotFound("no such clinic");
  auto zone = ClinicTimeZone::Find(rows[0].Text(0));
  if (!zone.ok()) return Internal("the clinic's time zone is not known: " + zone.error().message);
  return zone;
}

Result<ChairRecord> LoadChair(Transaction& txn, int64_t clinic_id, int64_t chair_id, const std::string& field) {
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      txn.Query("SELECT c.id, c.name, c.room, (SELECT s.in_service FROM chair_status_changes s WHERE s.chair_id = c.id "
                "ORDER BY s.id DESC LIMIT 1) FROM chairs c WHERE c.id = ? AND c.clinic_id = ?",
                {chair_id, clinic_id}));
  if (rows.empty()) return InvalidInput(field, "is not a chair of this clinic");
  return ChairRecord{rows[0].Int(0), rows[0].Text(1), rows[0].Text(2), rows[0].Int(3) == 1};
}

Result<ClinicianRecord> LoadClinician(Transaction& txn, int64_t clinic_id, int64_t user_id, const std::string& field) {
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      txn.Query("SELECT u.id, u.username, u.display_name FROM users u WHERE u.id = ? AND u.disabled = 0 AND EXISTS "
                "(SELECT 1 FROM user_clinic_roles r WHERE r.user_id = u.id AND r.clinic_id = ? AND r.role IN "
                "('prescriber', 'nurse', 'therapist'))",
                {user_id, clinic_id}));
  if (rows.empty()) return InvalidInput(field, "is not a prescriber, nurse or therapist of this clinic");
  return ClinicianRecord{rows[0].Int(0), rows[0].Text(1), rows[0].Text(2)};
}

Result<WeeklyHours> ReadWeeklyHours(const Json& hours) {
  if (!hours.is_object()) return InvalidInput("hours", "must be an object of weekday -> intervals");
  WeeklyHours weekly;
  for (const auto& [name, intervals] : hours.items()) {
    const std::string path = "hours." + name;
    const auto weekday = ParseWeekday(name);
    if (!weekday) return InvalidInput(path, "is not a weekday (monday .. sunday)");
    if (!intervals.is_array()) return InvalidInput(path, "must be an array of {\"start\",\"end\"}");
    if (intervals.size() > kMaxIntervalsPerDay) {
      return InvalidInput(path, fmt::format("has more than {} intervals", kMaxIntervalsPerDay));
    }
    auto& day = weekly.days[static_cast<size_t>(*weekday)];
    for (size_t i = 0; i < intervals.size(); ++i) {
      const std::string item = fmt::format("{}[{}]", path, i);
      if (!intervals[i].is_object()) return InvalidInput(item, "must be an object {\"start\",\"end\"}");
      JsonObjectReader reader(intervals[i], item);
      auto start = reader.RequiredString("start", {5, 5});
      auto end = reader.RequiredString("end", {5, 5});
      KC_RETURN_IF_ERROR(reader.Finish());
      const auto start_minute = ParseClockTime(*start);
      const auto end_minute = ParseClockTime(*end, true);
      if (!start_minute) return InvalidInput(item + ".start", "must be a time HH:MM");
      if (!end_minute) return InvalidInput(item + ".end", "must be a time HH:MM (24:00 for midnight)");
      if (*end_minute <= *start_minute) return InvalidInput(item + ".end", "must be after start");
      day.push_back({*start_minute, *end_minute});
    }
    std::sort(day.begin(), day.end(), [](auto& a, auto& b) { return a.start_minute < b.start_minute; });
    for (size_t i = 1; i < day.size(); ++i) {
      if (day[i].start_minute < day[i - 1].end_minute) return InvalidInput(path, "has overlapping intervals");
    }
  }
  return weekly;
}

Json WeeklyHoursJson(const WeeklyHours& hours) {
  Json out = Json::object();
  for (int d = 0; d < 7; ++d) {
    Json day = Json::array();
    for (const WorkingInterval& interval : hours.days[static_cast<size_t>(d)]) {
      day.push_back({{"start", FormatClockTime(interval.start_minute)}, {"end", FormatClockTime(interval.end_minute)}});
    }
    out[std::string(WeekdayName(d))] = std::move(day);
  }
  return out;
}

Result<std::optional<WeeklyHours>> LoadWeeklyHours(Transaction& txn, int64_t clinic_id, int64_t user_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT hours FROM staff_working_hours WHERE clinic_id = ? AND "
                                              "user_id = ? ORDER BY id DESC LIMIT 1",
                                              {clinic_id, user_id}));
  if (rows.empty()) return std::optional<WeeklyHours>();
  auto hours = ReadWeeklyHours(Json::parse(rows[0].Text(0)));
  if (!hours.ok()) return Internal("stored working hours do not parse: " + hours.error().message);
  return std::optional<WeeklyHours>(std::move(hours).value());
}

Result<std::vector<ScheduledSlot>> LoadBookedSlots(Transaction& txn, const ClinicTimeZone& zone, int64_t clinic_id,
                                                   TimePoint from, TimePoint to) {
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      txn.Query("SELECT e.appointment_id, e.chair_id, c.name, e.staff_user_id, u.display_name, e.patient_id, "
                "e.starts_at, e.ends_at FROM appointment_events e JOIN chairs c ON c.id = e.chair_id "
                "JOIN users u ON u.id = e.staff_user_id WHERE e.clinic_id = ? AND e.starts_at >= ? AND "
                "e.starts_at < ? AND e.ends_at > ? AND e.status = 'booked' AND e.sequence = (SELECT MAX(n.sequence) "
                "FROM appointment_events n WHERE n.appointment_id = e.appointment_id)",
                {clinic_id, FormatTimestamp(from - kLongestAppointment), FormatTimestamp(to), FormatTimestamp(from)}));
  std::vector<ScheduledSlot> slots;
  slots.reserve(rows.size());
  for (const SqlRow& row : rows) {
    slots.push_back(ScheduledSlot{row.Int(0), row.Int(1), row.Text(2), row.Int(3), row.Text(4), row.Int(5),
                                  LocalOf(zone, row.Text(6)), LocalOf(zone, row.Text(7)), false});
  }
  return slots;
}

const char* const kCurrentAppointmentSelect =
    "SELECT a.id, a.patient_id, a.course_id, a.kind, a.series_position, a.note, a.booked_at, bu.username, "
    "e.sequence, e.status, e.chair_id, c.name, c.room, e.staff_user_id, su.display_name, e.starts_at, e.ends_at, "
    "p.mrn, p.family_name, p.given_names, e.reason, "
    "(SELECT COUNT(*) FROM appointment_reminders r WHERE r.appointment_id = a.id AND r.for_sequence = e.sequence) "
    "FROM appointment_events e JOIN appointments a ON a.id = e.appointment_id "
    "JOIN chairs c ON c.id = e.chair_id JOIN users su ON su.id = e.staff_user_id "
    "JOIN users bu ON bu.id = a.booked_by JOIN patients p ON p.id = a.patient_id "
    "WHERE e.sequence = (SELECT MAX(n.sequence) FROM appointment_events n WHERE n.appointment_id = e.appointment_id)";

Json CurrentAppointmentJson(const SqlRow& row, const ClinicTimeZone& zone) {
  const std::string starts_at = row.Text(15), ends_at = row.Text(16);
  Json appointment = {
      {"id", row.Int(0)},
      {"patient", {{"id", row.Int(1)}, {"mrn", row.Text(17)}, {"family_name", row.Text(18)},
                   {"given_names", row.Text(19)}}},
      {"course_id", row.IsNull(2) ? Json(nullptr) : Json(row.Int(2))},
      {"kind", row.Text(3)},
      {"series_position", row.IsNull(4) ? Json(nullptr) : Json(row.Int(4))},
      {"note", row.Text(5)},
      {"booked_at", row.Text(6)},
      {"booked_by", row.Text(7)},
      {"sequence", row.Int(8)},
      {"status", row.Text(9)},
      {"chair", {{"id", row.Int(10)}, {"name", row.Text(11)}, {"room", row.Text(12)}}},
      {"staff", {{"id", row.Int(13)}, {"display_name", row.Text(14)}}},
      {"start", FormatLocalDateTime(LocalOf(zone, starts_at))},
      {"end", FormatLocalDateTime(LocalOf(zone, ends_at))},
      {"starts_at", starts_at},
      {"ends_at", ends_at},
      {"reminder_sent", row.Int(21) > 0},
  };
  appointment["cancel_reason"] = row.Text(9) == "cancelled" ? Json(row.Text(20)) : Json(nullptr);
  return appointment;
}

Result<Json> LoadAppointmentJson(Transaction& txn, const ClinicTimeZone& zone, int64_t clinic_id,
                                 int64_t appointment_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(std::string(kCurrentAppointmentSelect) +
                                                  " AND e.appointment_id = ? AND e.clinic_id = ?",
                                              {appointment_id, clinic_id}));
  if (rows.empty()) return NotFound("no such appointment in this clinic");
  return CurrentAppointmentJson(rows[0], zone);
}

}  // namespace ketachart
