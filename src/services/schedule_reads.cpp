// The schedule's reads that show patients (see scheduling_service.h): one
// appointment with its history, the day/week calendar by chair and the
// reminders still to send. Each is read in a read-only transaction and its
// audit event committed (group commit) before the data is returned.
#include <fmt/format.h>

#include <map>

#include "services/audit_trail.h"
#include "services/guard.h"
#include "services/read_audit_log.h"
#include "services/schedule_store.h"
#include "services/scheduling_service.h"

namespace ketachart {
namespace {

AuditEntry ReadAudit(std::string action, std::string type, int64_t id, std::optional<int64_t> patient_id,
                     std::string detail = {}) {
  return AuditEntry{std::move(action), std::move(type), id > 0 ? std::to_string(id) : "", patient_id,
                    AuditOutcome::kSuccess, std::move(detail)};
}

// Local midnight of `day` as UTC (a midnight skipped by a daylight-saving
// change is taken as the first minute that exists).
TimePoint MidnightUtc(const ClinicTimeZone& zone, int64_t day) {
  for (int minute = 0; minute < 180; ++minute) {
    if (const auto utc = zone.ToUtc(LocalDateTime{day * kMinutesPerDay + minute})) return *utc;
  }
  return TimePoint(std::chrono::minutes(day * kMinutesPerDay));
}

}  // namespace

Result<Json> SchedulingService::GetAppointment(const Actor& actor, int64_t appointment_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleRead,
                                       ReadAudit("appointment.read", "appointment", appointment_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
    KC_ASSIGN_OR_RETURN(Json appointment, LoadAppointmentJson(txn, zone, actor.clinic_id, appointment_id));
    KC_ASSIGN_OR_RETURN(
        SqlRows events,
        txn.Query("SELECT e.sequence, e.action, e.status, e.chair_id, c.name, e.staff_user_id, su.display_name, "
                  "e.starts_at, e.ends_at, e.reason, e.at, bu.username FROM appointment_events e JOIN chairs c ON "
                  "c.id = e.chair_id JOIN users su ON su.id = e.staff_user_id JOIN users bu ON bu.id = e.by_user "
                  "WHERE e.appointment_id = ? ORDER BY e.sequence",
                  {appointment_id}));
    Json history = Json::array();
    for (const SqlRow& row : events) {
      const auto starts = ParseTimestamp(row.Text(7)).value_or(TimePoint{});
      const auto ends = ParseTimestamp(row.Text(8)).value_or(TimePoint{});
      history.push_back({{"sequence", row.Int(0)},
                         {"action", row.Text(1)},
                         {"status", row.Text(2)},
                         {"chair", {{"id", row.Int(3)}, {"name", row.Text(4)}}},
                         {"staff", {{"id", row.Int(5)}, {"display_name", row.Text(6)}}},
                         {"start", FormatLocalDateTime(zone.ToLocal(starts))},
                         {"end", FormatLocalDateTime(zone.ToLocal(ends))},
                         {"starts_at", row.Text(7)},
                         {"ends_at", row.Text(8)},
                         {"reason", row.Text(9)},
                         {"at", row.Text(10)},
                         {"by", row.Text(11)}});
    }
    appointment["history"] = std::move(history);
    KC_ASSIGN_OR_RETURN(SqlRows reminders,
                        txn.Query("SELECT r.for_sequence, r.channel_note, r.sent_at, u.username FROM "
                                  "appointment_reminders r JOIN users u ON u.id = r.sent_by WHERE r.appointment_id = ? "
                                  "ORDER BY r.id",
                                  {appointment_id}));
    appointment["reminders"] = Json::array();
    for (const SqlRow& row : reminders) {
      appointment["reminders"].push_back(
          {{"for_sequence", row.Int(0)}, {"channel_note", row.Text(1)}, {"sent_at", row.Text(2)}, {"by", row.Text(3)}});
    }
    return appointment;
  });
  if (!result.ok()) {
    if (result.error().code == ErrorCode::kNotFound) {
      AuditEntry failed = ReadAudit("appointment.read", "appointment", appointment_id, std::nullopt, "not found");
      failed.outcome = AuditOutcome::kFailed;
      KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor, failed, now));
    }
    return result;
  }
  const int64_t patient_id = result.value()["patient"]["id"];
  KC_RETURN_IF_ERROR(
      RecordReadAudit(context_, actor, ReadAudit("appointment.read", "appointment", appointment_id, patient_id), now));
  return result;
}

Result<Json> SchedulingService::Calendar(const Actor& actor, const std::string& date, int days) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleRead,
                                       ReadAudit("schedule.calendar", "calendar", 0, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  const auto first_day = ParseLocalDate(date);
  if (!first_day) return InvalidInput("date", "must be a date YYYY-MM-DD");
  if (days != 1 && days != 7) return InvalidInput("days", "must be 1 or 7");
  size_t appointment_count = 0;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
    const TimePoint from = MidnightUtc(zone, *first_day);
    const TimePoint to = MidnightUtc(zone, *first_day + days);
    KC_ASSIGN_OR_RETURN(
        SqlRows chairs,
        txn.Query("SELECT c.id, c.name, c.room, s.in_service FROM chairs c JOIN chair_status_changes s ON s.id = "
                  "(SELECT MAX(x.id) FROM chair_status_changes x WHERE x.chair_id = c.id) WHERE c.clinic_id = ? "
                  "ORDER BY c.room, c.name, c.id",
                  {actor.clinic_id}));
    // Slots starting up to 12 h (the longest appointment) before the range can reach into it.
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query(std::string(kCurrentAppointmentSelect) +
                      " AND e.clinic_id = ? AND e.starts_at >= ? AND e.starts_at < ? AND e.ends_at > ? "
                      "ORDER BY e.starts_at, a.id",
                  {actor.clinic_id, FormatTimestamp(from - std::chrono::hours(12)), FormatTimestamp(to),
                   FormatTimestamp(from)}));
    std::map<int64_t, Json> by_chair;
    for (const SqlRow& row : rows) by_chair[row.Int(10)].push_back(CurrentAppointmentJson(row, zone));
    appointment_count = rows.size();
    Json chair_list = Json::array();
    for (const SqlRow& chair : chairs) {
      auto it = by_chair.find(chair.Int(0));
      chair_list.push_back({{"id", chair.Int(0)},
                            {"name", chair.Text(1)},
                            {"room", chair.Text(2)},
                            {"in_service", chair.Int(3) == 1},
                            {"appointments", it == by_chair.end() ? Json::array() : std::move(it->second)}});
    }
    Json dates = Json::array();
    for (int d = 0; d < days; ++d) dates.push_back(FormatLocalDate(*first_day + d));
    return Json{{"date", FormatLocalDate(*first_day)}, {"days", days}, {"dates", std::move(dates)},
                {"timezone", zone.name()}, {"chairs", std::move(chair_list)}};
  });
  if (!result.ok()) return result;
  // One event for the view; it names the day and how many appointments (with patients) it showed.
  KC_RETURN_IF_ERROR(RecordReadAudit(
      context_, actor,
      ReadAudit("schedule.calendar", "calendar", 0, std::nullopt,
                fmt::format("{} +{} day(s), {} appointment(s)", FormatLocalDate(*first_day), days, appointment_count)),
      now));
  return result;
}

Result<Json> SchedulingService::Reminders(const Actor& actor, int within_hours) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleRead,
                                       ReadAudit("schedule.reminders", "appointment", 0, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  if (within_hours < 1 || within_hours > kMaxReminderWindowHours) {
    return InvalidInput("within_hours", fmt::format("must be between 1 and {}", kMaxReminderWindowHours));
  }
  size_t count = 0;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query(std::string(kCurrentAppointmentSelect) +
                      " AND e.clinic_id = ? AND e.status = 'booked' AND e.starts_at >= ? AND e.starts_at < ? AND NOT "
                      "EXISTS (SELECT 1 FROM appointment_reminders r WHERE r.appointment_id = e.appointment_id AND "
                      "r.for_sequence = e.sequence) ORDER BY e.starts_at, a.id LIMIT 500",
                  {actor.clinic_id, FormatTimestamp(now), FormatTimestamp(now + std::chrono::hours(within_hours))}));
    Json items = Json::array();
    for (const SqlRow& row : rows) items.push_back(CurrentAppointmentJson(row, zone));
    count = rows.size();
    return Json{{"within_hours", within_hours}, {"timezone", zone.name()}, {"items", std::move(items)}};
  });
  if (!result.ok()) return result;
  KC_RETURN_IF_ERROR(RecordReadAudit(
      context_, actor,
      ReadAudit("schedule.reminders", "appointment", 0, std::nullopt,
                fmt::format("within {} h, {} appointment(s)", within_hours, count)),
      now));
  return result;
}

}  // namespace ketachart
