// Chairs, working hours and appointment booking (see scheduling_service.h);
// the calendar and reminder reads are in schedule_reads.cpp.
#include "services/scheduling_service.h"

#include <fmt/format.h>

#include "clinical/scheduling/series.h"
#include "services/audit_trail.h"
#include "services/guard.h"
#include "services/protocol_store.h"
#include "services/read_audit_log.h"
#include "services/schedule_store.h"

namespace ketachart {
namespace {

const std::vector<std::string> kKinds = {"dosing", "integration", "assessment", "follow_up"};

// The protocol quantities that bound a series, in the order they are looked
// for (the shipped protocols name them differently: IV "induction_sessions",
// KAP "sessions_max", IM "course_sessions_max"; esketamine gives weeks and a
// weekly rhythm, whose product is its induction).
constexpr std::string_view kSessionQuantities[] = {"induction_sessions", "sessions_max", "course_sessions_max"};
constexpr std::string_view kPerWeekQuantities[] = {"induction_per_week", "per_week_max"};

AuditEntry ScheduleAudit(std::string action, std::string type, int64_t id, std::optional<int64_t> patient_id,
                         std::string detail = {}) {
  return AuditEntry{std::move(action), std::move(type), id > 0 ? std::to_string(id) : "", patient_id,
                    AuditOutcome::kSuccess, std::move(detail)};
}

Status RequireObject(const Json& body) {
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  return Status::Ok();
}

// A local wall-clock start in the clinic's zone, as a UTC instant.
Result<TimePoint> LocalToUtc(const ClinicTimeZone& zone, LocalDateTime local, const std::string& field) {
  const auto utc = zone.ToUtc(local);
  if (!utc) {
    return InvalidInput(field, fmt::format("{} does not exist in {} (a daylight-saving change skips it)",
                                           FormatLocalDateTime(local), zone.name()));
  }
  return *utc;
}

Result<LocalDateTime> ReadLocalStart(const std::optional<std::string>& text, const std::string& field) {
  const auto local = ParseLocalDateTime(text.value_or(""));
  if (!local) return InvalidInput(field, "must be a local date and time YYYY-MM-DDTHH:MM");
  return *local;
}

std::string ConflictText(const std::vector<SchedulingConflict>& conflicts, const std::string& prefix) {
  std::string text;
  for (const SchedulingConflict& conflict : conflicts) {
    if (!text.empty()) text += "; ";
    text += fmt::format("{}[{}] {}", prefix, ConflictRuleName(conflict.rule), conflict.message);
  }
  return text;
}

// What one booking needs that the transaction looks up.
struct SlotContext {
  ChairRecord chair;
  ClinicianRecord staff;
  std::optional<WeeklyHours> hours;
};

Result<SlotContext> LoadSlotContext(Transaction& txn, int64_t clinic_id, int64_t chair_id, int64_t staff_id) {
  SlotContext slot;
  KC_ASSIGN_OR_RETURN(slot.chair, LoadChair(txn, clinic_id, chair_id, "chair_id"));
  KC_ASSIGN_OR_RETURN(slot.staff, LoadClinician(txn, clinic_id, staff_id, "staff_user_id"));
  KC_ASSIGN_OR_RETURN(slot.hours, LoadWeeklyHours(txn, clinic_id, staff_id));
  return slot;
}

ProposedSlot Propose(const SlotContext& context, int64_t appointment_id, int64_t patient_id, LocalDateTime start,
                     LocalDateTime end) {
  return ProposedSlot{ScheduledSlot{appointment_id, context.chair.id, context.chair.name, context.staff.id,
                                    context.staff.display_name, patient_id, start, end, false},
                      context.chair.in_service, context.hours ? &*context.hours : nullptr};
}

struct CourseRecord {
  int64_t id = 0;
  int64_t patient_id = 0;
  std::string protocol_id;
  std::string state;
};

Result<CourseRecord> LoadCourse(Transaction& txn, int64_t clinic_id, int64_t course_id) {
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      txn.Query("SELECT c.id, c.patient_id, c.protocol_id, (SELECT t.to_state FROM course_transitions t WHERE "
                "t.course_id = c.id ORDER BY t.sequence DESC LIMIT 1) FROM treatment_courses c WHERE c.id = ? AND "
                "c.clinic_id = ?",
                {course_id, clinic_id}));
  if (rows.empty()) return NotFound("no such treatment course in this clinic");
  return CourseRecord{rows[0].Int(0), rows[0].Int(1), rows[0].Text(2), rows[0].OptionalText(3).value_or("evaluation")};
}

Status RequireOpenCourse(const CourseRecord& course) {
  if (course.state == "discontinued") {
    return Conflict(fmt::format("course #{} is discontinued; a discontinued course takes no appointments", course.id),
                    "course_id");
  }
  return Status::Ok();
}

Status RequirePatientInClinic(Transaction& txn, int64_t clinic_id, int64_t patient_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT 1 FROM patients WHERE id = ? AND clinic_id = ?",
                                              {patient_id, clinic_id}));
  if (rows.empty()) return InvalidInput("patient_id", "is not a patient of this clinic");
  return Status::Ok();
}

struct NewAppointment {
  int64_t patient_id = 0;
  std::optional<int64_t> course_id;
  std::string kind;
  std::optional<int64_t> series_position;
  std::string note;
  int64_t chair_id = 0;
  int64_t staff_user_id = 0;
  TimePoint starts_at;
  TimePoint ends_at;
};

Result<int64_t> InsertAppointment(Transaction& txn, const Actor& actor, const NewAppointment& a, TimePoint now) {
  const std::string now_text = FormatTimestamp(now);
  KC_ASSIGN_OR_RETURN(
      SqlRows inserted,
      txn.Query("INSERT INTO appointments (clinic_id, patient_id, course_id, kind, series_position, note, booked_at, "
                "booked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                {actor.clinic_id, a.patient_id, a.course_id ? SqlValue(*a.course_id) : SqlNull(), a.kind,
                 a.series_position ? SqlValue(*a.series_position) : SqlNull(), a.note, now_text, actor.user_id}));
  const int64_t id = inserted.at(0).Int(0);
  KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO appointment_events (clinic_id, appointment_id, sequence, action, "
                                 "status, chair_id, staff_user_id, patient_id, starts_at, ends_at, reason, at, "
                                 "by_user) VALUES (?, ?, 1, 'book', 'booked', ?, ?, ?, ?, ?, '', ?, ?)",
                                 {actor.clinic_id, id, a.chair_id, a.staff_user_id, a.patient_id,
                                  FormatTimestamp(a.starts_at), FormatTimestamp(a.ends_at), now_text, actor.user_id})
                         .status());
  return id;
}

// The appointment's current event, for a change.
struct CurrentEvent {
  int64_t sequence = 0;
  std::string status;
  int64_t chair_id = 0;
  int64_t staff_user_id = 0;
  int64_t patient_id = 0;
  TimePoint starts_at;
  TimePoint ends_at;
};

Result<CurrentEvent> LoadCurrentEvent(Transaction& txn, int64_t clinic_id, int64_t appointment_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query("SELECT sequence, status, chair_id, staff_user_id, patient_id, starts_at, ends_at "
                                "FROM appointment_events WHERE appointment_id = ? AND clinic_id = ? "
                                "ORDER BY sequence DESC LIMIT 1",
                                {appointment_id, clinic_id}));
  if (rows.empty()) return NotFound("no such appointment in this clinic");
  const SqlRow& row = rows[0];
  return CurrentEvent{row.Int(0), row.Text(1), row.Int(2), row.Int(3), row.Int(4),
                      ParseTimestamp(row.Text(5)).value_or(TimePoint{}), ParseTimestamp(row.Text(6)).value_or(TimePoint{})};
}

Status AppendEvent(Transaction& txn, const Actor& actor, int64_t appointment_id, const CurrentEvent& next,
                   const std::string& action, const std::string& reason, TimePoint now) {
  return txn
      .Execute("INSERT INTO appointment_events (clinic_id, appointment_id, sequence, action, status, chair_id, "
               "staff_user_id, patient_id, starts_at, ends_at, reason, at, by_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
               "?, ?, ?, ?)",
               {actor.clinic_id, appointment_id, next.sequence, action, next.status, next.chair_id, next.staff_user_id,
                next.patient_id, FormatTimestamp(next.starts_at), FormatTimestamp(next.ends_at), reason,
                FormatTimestamp(now), actor.user_id})
      .status();
}

// A failure found inside a use case that names a not-found appointment leaves a trace, as for charts.
template <typename T>
Result<T> AuditedNotFound(ServiceContext& context, const Actor& actor, const std::string& action, int64_t id,
                          TimePoint now, Result<T> result) {
  if (result.ok() || result.error().code != ErrorCode::kNotFound) return result;
  AuditEntry failed = ScheduleAudit(action, "appointment", id, std::nullopt, "not found in this clinic");
  failed.outcome = AuditOutcome::kFailed;
  KC_RETURN_IF_ERROR(RecordAuditEventAlone(context.database, actor, failed, now));
  return result;
}

}  // namespace

// ---------------------------------------------------------------- chairs

Result<Json> SchedulingService::ListChairs(const Actor& actor) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleRead,
                                       ScheduleAudit("chair.list", "chair", 0, std::nullopt)));
  return context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query("SELECT c.id, c.name, c.room, s.in_service, s.reason, s.changed_at FROM chairs c "
                  "JOIN chair_status_changes s ON s.id = (SELECT MAX(x.id) FROM chair_status_changes x WHERE "
                  "x.chair_id = c.id) WHERE c.clinic_id = ? ORDER BY c.room, c.name, c.id",
                  {actor.clinic_id}));
    Json items = Json::array();
    for (const SqlRow& row : rows) {
      items.push_back({{"id", row.Int(0)}, {"name", row.Text(1)}, {"room", row.Text(2)},
                       {"in_service", row.Int(3) == 1}, {"status_reason", row.Text(4)},
                       {"status_changed_at", row.Text(5)}});
    }
    return Json{{"items", std::move(items)}};
  });
}

Result<Json> SchedulingService::CreateChair(const Actor& actor, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleSetup,
                                       ScheduleAudit("chair.create", "chair", 0, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObject(body));
  JsonObjectReader reader(body);
  auto name = reader.RequiredString("name", {1, 60});
  auto room = reader.RequiredString("room", {1, 60});
  KC_RETURN_IF_ERROR(reader.Finish());
  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows existing, txn.Query("SELECT 1 FROM chairs WHERE clinic_id = ? AND name = ?",
                                                    {actor.clinic_id, *name}));
    if (!existing.empty()) return Conflict("a chair named '" + *name + "' already exists in this clinic", "name");
    KC_ASSIGN_OR_RETURN(SqlRows inserted,
                        txn.Query("INSERT INTO chairs (clinic_id, name, room, created_at, created_by) VALUES "
                                  "(?, ?, ?, ?, ?) RETURNING id",
                                  {actor.clinic_id, *name, *room, FormatTimestamp(now), actor.user_id}));
    const int64_t id = inserted.at(0).Int(0);
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO chair_status_changes (clinic_id, chair_id, in_service, reason, "
                                   "changed_at, changed_by) VALUES (?, ?, 1, 'created', ?, ?)",
                                   {actor.clinic_id, id, FormatTimestamp(now), actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor, ScheduleAudit("chair.create", "chair", id, std::nullopt), now));
    return Json{{"id", id}, {"name", *name}, {"room", *room}, {"in_service", true}, {"status_reason", "created"},
                {"status_changed_at", FormatTimestamp(now)}};
  });
}

Result<Json> SchedulingService::SetChairService(const Actor& actor, int64_t chair_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleSetup,
                                       ScheduleAudit("chair.set_service", "chair", chair_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObject(body));
  JsonObjectReader reader(body);
  auto in_service = reader.OptionalBool("in_service");
  auto reason = reader.RequiredString("reason", {1, 500});
  if (reader.ok() && !in_service) reader.Fail(InvalidInput("in_service", "is required: true or false"));
  KC_RETURN_IF_ERROR(reader.Finish());
  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    auto chair = LoadChair(txn, actor.clinic_id, chair_id, "id");
    if (!chair.ok()) return NotFound("no such chair in this clinic");
    if (chair->in_service == *in_service) {
      return Conflict(fmt::format("{} is already {}", chair->name, *in_service ? "in service" : "out of service"),
                      "in_service");
    }
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO chair_status_changes (clinic_id, chair_id, in_service, reason, "
                                   "changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?)",
                                   {actor.clinic_id, chair_id, int64_t{*in_service ? 1 : 0}, *reason,
                                    FormatTimestamp(now), actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        ScheduleAudit("chair.set_service", "chair", chair_id, std::nullopt, *in_service ? "in service" : "out of service"),
        now));
    return Json{{"id", chair_id},         {"name", chair->name},        {"room", chair->room},
                {"in_service", *in_service}, {"status_reason", *reason}, {"status_changed_at", FormatTimestamp(now)}};
  });
}

// ---------------------------------------------------------------- working hours

Result<Json> SchedulingService::ListStaff(const Actor& actor) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleRead,
                                       ScheduleAudit("working_hours.list", "user", 0, std::nullopt)));
  return context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query("SELECT u.id, u.username, u.display_name, r.role FROM users u JOIN user_clinic_roles r ON "
                  "r.user_id = u.id WHERE r.clinic_id = ? AND u.disabled = 0 AND r.role IN ('prescriber', 'nurse', "
                  "'therapist') ORDER BY u.display_name, u.id, r.role",
                  {actor.clinic_id}));
    Json items = Json::array();
    for (const SqlRow& row : rows) {
      if (!items.empty() && items.back()["id"] == row.Int(0)) {
        items.back()["roles"].push_back(row.Text(3));
        continue;
      }
      KC_ASSIGN_OR_RETURN(std::optional<WeeklyHours> hours, LoadWeeklyHours(txn, actor.clinic_id, row.Int(0)));
      items.push_back({{"id", row.Int(0)}, {"username", row.Text(1)}, {"display_name", row.Text(2)},
                       {"roles", Json::array({row.Text(3)})},
                       {"hours", hours ? WeeklyHoursJson(*hours) : Json(nullptr)}});
    }
    return Json{{"items", std::move(items)}};
  });
}

Result<Json> SchedulingService::WorkingHours(const Actor& actor, int64_t user_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleRead,
                                       ScheduleAudit("working_hours.read", "user", user_id, std::nullopt)));
  return context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    auto staff = LoadClinician(txn, actor.clinic_id, user_id, "id");
    if (!staff.ok()) return NotFound("no such clinician in this clinic");
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query("SELECT h.hours, h.set_at, u.username, h.reason, (SELECT COUNT(*) FROM staff_working_hours x "
                  "WHERE x.clinic_id = h.clinic_id AND x.user_id = h.user_id) FROM staff_working_hours h JOIN users "
                  "u ON u.id = h.set_by WHERE h.clinic_id = ? AND h.user_id = ? ORDER BY h.id DESC LIMIT 1",
                  {actor.clinic_id, user_id}));
    Json out = {{"user_id", user_id}, {"display_name", staff->display_name}, {"hours", nullptr},
                {"set_at", nullptr},  {"set_by", nullptr},                  {"reason", nullptr}, {"version", 0}};
    if (!rows.empty()) {
      KC_ASSIGN_OR_RETURN(WeeklyHours hours, ReadWeeklyHours(Json::parse(rows[0].Text(0))));
      out["hours"] = WeeklyHoursJson(hours);
      out["set_at"] = rows[0].Text(1);
      out["set_by"] = rows[0].Text(2);
      out["reason"] = rows[0].Text(3);
      out["version"] = rows[0].Int(4);
    }
    return out;
  });
}

Result<Json> SchedulingService::SetWorkingHours(const Actor& actor, int64_t user_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleSetup,
                                       ScheduleAudit("working_hours.set", "user", user_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObject(body));
  JsonObjectReader reader(body);
  auto reason = reader.OptionalString("reason", {0, 500});
  reader.Allow("hours");
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!body.contains("hours")) return InvalidInput("hours", "is required: an object of weekday -> intervals");
  KC_ASSIGN_OR_RETURN(WeeklyHours hours, ReadWeeklyHours(body["hours"]));
  auto result = context_.database.Run<bool>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<bool> {
    auto staff = LoadClinician(txn, actor.clinic_id, user_id, "id");
    if (!staff.ok()) return NotFound("no such clinician in this clinic");
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO staff_working_hours (clinic_id, user_id, hours, reason, set_at, "
                                   "set_by) VALUES (?, ?, ?, ?, ?, ?)",
                                   {actor.clinic_id, user_id, WeeklyHoursJson(hours).dump(), reason.value_or(""),
                                    FormatTimestamp(now), actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(
        AppendAuditEvent(txn, actor, ScheduleAudit("working_hours.set", "user", user_id, std::nullopt), now));
    return true;
  });
  if (!result.ok()) return result.error();
  return WorkingHours(actor, user_id);
}

// ---------------------------------------------------------------- booking

Result<Json> SchedulingService::BookAppointment(const Actor& actor, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleWrite,
                                       ScheduleAudit("appointment.book", "appointment", 0, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObject(body));
  JsonObjectReader reader(body);
  auto patient_id = reader.RequiredInteger("patient_id", 1, INT64_MAX);
  auto course_id = reader.OptionalInteger("course_id", 1, INT64_MAX);
  auto kind = reader.RequiredEnum("kind", kKinds);
  auto chair_id = reader.RequiredInteger("chair_id", 1, INT64_MAX);
  auto staff_id = reader.RequiredInteger("staff_user_id", 1, INT64_MAX);
  auto start_text = reader.RequiredString("start", {1, 40});
  auto duration = reader.RequiredInteger("duration_minutes", 5, kMaxDurationMinutes);
  auto note = reader.OptionalString("note", {0, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  KC_ASSIGN_OR_RETURN(LocalDateTime start, ReadLocalStart(start_text, "start"));
  const LocalDateTime end{start.minutes + *duration};

  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequirePatientInClinic(txn, actor.clinic_id, *patient_id));
    if (course_id) {
      auto course = LoadCourse(txn, actor.clinic_id, *course_id);
      if (!course.ok()) return InvalidInput("course_id", "is not a treatment course of this clinic");
      if (course->patient_id != *patient_id) return InvalidInput("course_id", "is another patient's course");
      KC_RETURN_IF_ERROR(RequireOpenCourse(course.value()));
    }
    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
    KC_ASSIGN_OR_RETURN(TimePoint starts_at, LocalToUtc(zone, start, "start"));
    KC_ASSIGN_OR_RETURN(TimePoint ends_at, LocalToUtc(zone, end, "duration_minutes"));
    if (starts_at < now) return InvalidInput("start", "must not be in the past");
    KC_ASSIGN_OR_RETURN(SlotContext slot, LoadSlotContext(txn, actor.clinic_id, *chair_id, *staff_id));
    KC_ASSIGN_OR_RETURN(std::vector<ScheduledSlot> booked,
                        LoadBookedSlots(txn, zone, actor.clinic_id, starts_at, ends_at));
    const auto conflicts = FindConflicts(Propose(slot, 0, *patient_id, start, end), booked);
    if (!conflicts.empty()) {
      return Conflict(ConflictText(conflicts, ""), std::string(ConflictRuleField(conflicts[0].rule)));
    }
    KC_ASSIGN_OR_RETURN(int64_t id, InsertAppointment(txn, actor,
                                                      {*patient_id, course_id, *kind, std::nullopt, note.value_or(""),
                                                       *chair_id, *staff_id, starts_at, ends_at},
                                                      now));
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, ScheduleAudit("appointment.book", "appointment", id, *patient_id, *kind), now));
    return LoadAppointmentJson(txn, zone, actor.clinic_id, id);
  });
}

Result<Json> SchedulingService::BookSeries(const Actor& actor, int64_t course_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleWrite,
                                       ScheduleAudit("appointment.book_series", "course", course_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObject(body));
  JsonObjectReader reader(body);
  auto first_text = reader.RequiredString("first_start", {1, 40});
  auto sessions = reader.RequiredInteger("sessions", 1, 100);
  auto per_week = reader.RequiredInteger("per_week", 1, 7);
  auto duration = reader.RequiredInteger("duration_minutes", 5, kMaxDurationMinutes);
  auto chair_id = reader.RequiredInteger("chair_id", 1, INT64_MAX);
  auto staff_id = reader.RequiredInteger("staff_user_id", 1, INT64_MAX);
  auto kind = reader.OptionalEnum("kind", kKinds);
  auto note = reader.OptionalString("note", {0, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  KC_ASSIGN_OR_RETURN(LocalDateTime first_start, ReadLocalStart(first_text, "first_start"));

  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(CourseRecord course, LoadCourse(txn, actor.clinic_id, course_id));
    KC_RETURN_IF_ERROR(RequireOpenCourse(course));
    KC_ASSIGN_OR_RETURN(ClinicProtocol clinic_protocol, ActiveProtocol(txn, actor.clinic_id, course.protocol_id));
    const Protocol& protocol = *clinic_protocol.protocol;
    const std::string protocol_name = fmt::format("{} v{}", protocol.id, protocol.version);

    // The series' bounds, read from the protocol (never assumed here).
    std::optional<double> session_limit;
    std::string session_quantity;
    for (std::string_view id : kSessionQuantities) {
      if ((session_limit = ProtocolQuantityValue(protocol, id))) {
        session_quantity = std::string(id);
        break;
      }
    }
    if (!session_limit) {
      const auto weeks = ProtocolQuantityValue(protocol, "induction_weeks");
      const auto weekly = ProtocolQuantityValue(protocol, "induction_per_week");
      if (weeks && weekly) {
        session_limit = *weeks * *weekly;
        session_quantity = fmt::format("induction_weeks {} x induction_per_week {}", *weeks, *weekly);
      }
    }
    if (!session_limit) {
      return Conflict(fmt::format("protocol {} defines no session count for a series", protocol_name), "sessions");
    }
    if (*sessions > *session_limit) {
      return InvalidInput("sessions", fmt::format("must be at most {} ({} of protocol {}{})", *session_limit,
                                                  session_quantity, protocol_name,
                                                  session_quantity.find(' ') == std::string::npos
                                                      ? fmt::format(" is {}", *session_limit)
                                                      : ""));
    }
    for (std::string_view id : kPerWeekQuantities) {
      if (const auto limit = ProtocolQuantityValue(protocol, id)) {
        if (*per_week > *limit) {
          return InvalidInput("per_week", fmt::format("must be at most {} ({} of protocol {} is {})", *limit, id,
                                                      protocol_name, *limit));
        }
        break;
      }
    }

    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
    KC_ASSIGN_OR_RETURN(SlotContext slot, LoadSlotContext(txn, actor.clinic_id, *chair_id, *staff_id));
    // Closed days of the series: the weekdays the clinician does not work.
    SeriesRequest request{first_start, static_cast<int>(*sessions), static_cast<int>(*per_week), {}};
    if (slot.hours) {
      for (int d = 0; d < 7; ++d) request.closed_weekdays[static_cast<size_t>(d)] = !slot.hours->Works(d);
    }
    KC_ASSIGN_OR_RETURN(std::vector<LocalDateTime> starts, PlanSeries(request));

    std::vector<std::pair<TimePoint, TimePoint>> instants;
    for (size_t i = 0; i < starts.size(); ++i) {
      KC_ASSIGN_OR_RETURN(TimePoint starts_at, LocalToUtc(zone, starts[i], "first_start"));
      KC_ASSIGN_OR_RETURN(TimePoint ends_at,
                          LocalToUtc(zone, LocalDateTime{starts[i].minutes + *duration}, "first_start"));
      if (i == 0 && starts_at < now) return InvalidInput("first_start", "must not be in the past");
      instants.emplace_back(starts_at, ends_at);
    }
    KC_ASSIGN_OR_RETURN(std::vector<ScheduledSlot> booked,
                        LoadBookedSlots(txn, zone, actor.clinic_id, instants.front().first, instants.back().second));
    std::string conflict_text;
    std::string conflict_field;
    for (size_t i = 0; i < starts.size(); ++i) {
      const LocalDateTime end{starts[i].minutes + *duration};
      const auto conflicts = FindConflicts(Propose(slot, 0, course.patient_id, starts[i], end), booked);
      if (!conflicts.empty()) {
        if (conflict_field.empty()) conflict_field = std::string(ConflictRuleField(conflicts[0].rule));
        if (!conflict_text.empty()) conflict_text += "; ";
        conflict_text += ConflictText(conflicts, fmt::format("session {} ({}): ", i + 1, FormatLocalDateTime(starts[i])));
      }
      // Later sessions of the series must not collide with earlier ones either.
      booked.push_back(Propose(slot, -static_cast<int64_t>(i + 1), course.patient_id, starts[i], end).slot);
    }
    if (!conflict_text.empty()) {
      return Conflict(fmt::format("the series was not booked: {}", conflict_text), conflict_field);
    }
    Json items = Json::array();
    for (size_t i = 0; i < starts.size(); ++i) {
      KC_ASSIGN_OR_RETURN(int64_t id,
                          InsertAppointment(txn, actor,
                                            {course.patient_id, course_id, kind.value_or("dosing"),
                                             static_cast<int64_t>(i + 1), note.value_or(""), *chair_id, *staff_id,
                                             instants[i].first, instants[i].second},
                                            now));
      KC_RETURN_IF_ERROR(AppendAuditEvent(
          txn, actor,
          ScheduleAudit("appointment.book", "appointment", id, course.patient_id,
                        fmt::format("series {}/{} of course #{}", i + 1, starts.size(), course_id)),
          now));
      KC_ASSIGN_OR_RETURN(Json appointment, LoadAppointmentJson(txn, zone, actor.clinic_id, id));
      items.push_back(std::move(appointment));
    }
    return Json{{"course_id", course_id},
                {"protocol", {{"id", protocol.id}, {"version", protocol.version}, {"title", protocol.title}}},
                {"items", std::move(items)}};
  });
  if (!result.ok() && result.error().code == ErrorCode::kNotFound) {
    AuditEntry failed = ScheduleAudit("appointment.book_series", "course", course_id, std::nullopt, "not found");
    failed.outcome = AuditOutcome::kFailed;
    KC_RETURN_IF_ERROR(RecordAuditEventAlone(context_.database, actor, failed, now));
  }
  return result;
}

Result<Json> SchedulingService::Reschedule(const Actor& actor, int64_t appointment_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleWrite,
                                       ScheduleAudit("appointment.reschedule", "appointment", appointment_id,
                                                     std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObject(body));
  JsonObjectReader reader(body);
  auto start_text = reader.RequiredString("start", {1, 40});
  auto duration = reader.OptionalInteger("duration_minutes", 5, kMaxDurationMinutes);
  auto chair_id = reader.OptionalInteger("chair_id", 1, INT64_MAX);
  auto staff_id = reader.OptionalInteger("staff_user_id", 1, INT64_MAX);
  auto reason = reader.RequiredString("reason", {1, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  KC_ASSIGN_OR_RETURN(LocalDateTime start, ReadLocalStart(start_text, "start"));

  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(CurrentEvent current, LoadCurrentEvent(txn, actor.clinic_id, appointment_id));
    if (current.status != "booked") return Conflict("a cancelled appointment cannot be rescheduled; book a new one");
    const int64_t minutes =
        duration.value_or(std::chrono::duration_cast<std::chrono::minutes>(current.ends_at - current.starts_at).count());
    const LocalDateTime end{start.minutes + minutes};
    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
    KC_ASSIGN_OR_RETURN(TimePoint starts_at, LocalToUtc(zone, start, "start"));
    KC_ASSIGN_OR_RETURN(TimePoint ends_at, LocalToUtc(zone, end, "duration_minutes"));
    if (starts_at < now) return InvalidInput("start", "must not be in the past");
    KC_ASSIGN_OR_RETURN(SlotContext slot, LoadSlotContext(txn, actor.clinic_id, chair_id.value_or(current.chair_id),
                                                          staff_id.value_or(current.staff_user_id)));
    KC_ASSIGN_OR_RETURN(std::vector<ScheduledSlot> booked,
                        LoadBookedSlots(txn, zone, actor.clinic_id, starts_at, ends_at));
    const auto conflicts = FindConflicts(Propose(slot, appointment_id, current.patient_id, start, end), booked);
    if (!conflicts.empty()) {
      return Conflict(ConflictText(conflicts, ""), std::string(ConflictRuleField(conflicts[0].rule)));
    }
    CurrentEvent next = current;
    next.sequence = current.sequence + 1;
    next.chair_id = slot.chair.id;
    next.staff_user_id = slot.staff.id;
    next.starts_at = starts_at;
    next.ends_at = ends_at;
    KC_RETURN_IF_ERROR(AppendEvent(txn, actor, appointment_id, next, "reschedule", *reason, now));
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, ScheduleAudit("appointment.reschedule", "appointment", appointment_id, current.patient_id), now));
    return LoadAppointmentJson(txn, zone, actor.clinic_id, appointment_id);
  });
  return AuditedNotFound(context_, actor, "appointment.reschedule", appointment_id, now, std::move(result));
}

Result<Json> SchedulingService::Cancel(const Actor& actor, int64_t appointment_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleWrite,
                                       ScheduleAudit("appointment.cancel", "appointment", appointment_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObject(body));
  JsonObjectReader reader(body);
  auto reason = reader.RequiredString("reason", {1, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(CurrentEvent current, LoadCurrentEvent(txn, actor.clinic_id, appointment_id));
    if (current.status != "booked") return Conflict("the appointment is already cancelled");
    CurrentEvent next = current;
    next.sequence = current.sequence + 1;
    next.status = "cancelled";
    KC_RETURN_IF_ERROR(AppendEvent(txn, actor, appointment_id, next, "cancel", *reason, now));
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, ScheduleAudit("appointment.cancel", "appointment", appointment_id, current.patient_id), now));
    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
    return LoadAppointmentJson(txn, zone, actor.clinic_id, appointment_id);
  });
  return AuditedNotFound(context_, actor, "appointment.cancel", appointment_id, now, std::move(result));
}

Result<Json> SchedulingService::MarkReminderSent(const Actor& actor, int64_t appointment_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kScheduleWrite,
                                       ScheduleAudit("appointment.reminder_sent", "appointment", appointment_id,
                                                     std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObject(body));
  JsonObjectReader reader(body);
  auto channel_note = reader.RequiredString("channel_note", {1, 200});
  KC_RETURN_IF_ERROR(reader.Finish());
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(CurrentEvent current, LoadCurrentEvent(txn, actor.clinic_id, appointment_id));
    if (current.status != "booked") return Conflict("the appointment is cancelled; no reminder is due");
    KC_ASSIGN_OR_RETURN(SqlRows sent, txn.Query("SELECT 1 FROM appointment_reminders WHERE appointment_id = ? AND "
                                                "for_sequence = ?",
                                                {appointment_id, current.sequence}));
    if (!sent.empty()) return Conflict("a reminder for this appointment's current slot was already recorded");
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO appointment_reminders (clinic_id, appointment_id, for_sequence, "
                                   "channel_note, sent_at, sent_by) VALUES (?, ?, ?, ?, ?, ?)",
                                   {actor.clinic_id, appointment_id, current.sequence, *channel_note,
                                    FormatTimestamp(now), actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, ScheduleAudit("appointment.reminder_sent", "appointment", appointment_id, current.patient_id), now));
    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
    return LoadAppointmentJson(txn, zone, actor.clinic_id, appointment_id);
  });
  return AuditedNotFound(context_, actor, "appointment.reminder_sent", appointment_id, now, std::move(result));
}

}  // namespace ketachart
