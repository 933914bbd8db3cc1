// Measure schedules, due and overdue measures (see measure_schedule_service.h).
#include "services/measure_schedule_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "clinical/instruments/instrument_catalog.h"
#include "clinical/measure_schedule/measure_schedule.h"
#include "services/audit_trail.h"
#include "services/course_records.h"
#include "services/guard.h"
#include "services/measure_schedule_facts.h"
#include "services/patient_page_read.h"
#include "services/read_audit_log.h"
#include "services/schedule_store.h"

namespace ketachart {
namespace {

constexpr int64_t kStartDateWindowDays = 365;

constexpr const char* kScheduleColumns =
    "ms.id, ms.patient_id, ms.instrument, ms.kind, ms.interval_days, ms.reset_on_treatment, ms.start_date, "
    "ms.note, ms.created_at, cu.username, st.stopped_at, su.username, st.reason";

constexpr const char* kScheduleFrom =
    "measure_schedules ms JOIN users cu ON cu.id = ms.created_by "
    "LEFT JOIN measure_schedule_stops st ON st.schedule_id = ms.id LEFT JOIN users su ON su.id = st.stopped_by";

Json OccurrenceJson(const StoredMeasureSchedule& schedule, const DueOccurrence& o) {
  return Json{{"schedule_id", schedule.id},
              {"instrument", schedule.instrument},
              {"kind", MeasureScheduleKindName(schedule.rule.kind)},
              {"due_on", FormatLocalDate(o.due_day)},
              {"due_at", o.due_at ? Json(FormatTimestamp(*o.due_at)) : Json(nullptr)},
              {"status", DueStatusName(o.status)},
              {"days_overdue", o.days_overdue},
              {"rule", o.rule},
              {"completed_at", o.completed_at ? Json(FormatTimestamp(*o.completed_at)) : Json(nullptr)}};
}

std::vector<DueOccurrence> Occurrences(const StoredMeasureSchedule& schedule,
                                       const std::map<int64_t, PatientScheduleFacts>& facts, ClinicMoment now) {
  MeasureScheduleFacts input;
  input.now = now;
  if (auto it = facts.find(schedule.patient_id); it != facts.end()) {
    input.sessions = it->second.sessions;
    if (auto c = it->second.completions.find(schedule.instrument); c != it->second.completions.end()) {
      input.completions = c->second;
    }
  }
  return ComputeDueOccurrences(schedule.rule, input);
}

Json ScheduleJson(const SqlRow& row) {
  Json s = {{"id", row.Int(0)},
            {"patient_id", row.Int(1)},
            {"instrument", row.Text(2)},
            {"kind", row.Text(3)},
            {"interval_days", row.Int(4) > 0 ? Json(row.Int(4)) : Json(nullptr)},
            {"reset_on_treatment", row.Int(5) != 0},
            {"start_date", row.Text(6)},
            {"note", row.Text(7)},
            {"created_at", row.Text(8)},
            {"created_by", row.Text(9)},
            {"status", row.IsNull(10) ? "active" : "stopped"},
            {"stopped", nullptr},
            {"due", Json::array()}};
  if (!row.IsNull(10)) s["stopped"] = {{"at", row.Text(10)}, {"by", row.Text(11)}, {"reason", row.Text(12)}};
  return s;
}

Result<Json> LoadScheduleJson(Transaction& txn, int64_t clinic_id, int64_t schedule_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query(fmt::format("SELECT {} FROM {} WHERE ms.id = ? AND ms.clinic_id = ?",
                                            kScheduleColumns, kScheduleFrom),
                                {schedule_id, clinic_id}));
  if (rows.empty()) return NotFound("no such measure schedule in this clinic");
  return ScheduleJson(rows[0]);
}

}  // namespace

Result<Json> MeasureScheduleService::CreateSchedule(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMeasureWrite,
                                       CourseAudit("measure_schedule.create", "measure_schedule", 0, patient_id)));
  const TimePoint now = context_.clock.Now();
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto instrument_name = reader.RequiredString("instrument", {1, 64});
  auto kind_name = reader.RequiredEnum(
      "kind", {"before_each_session", "every_n_days", "n_days_after_each_session"});
  auto interval = reader.OptionalInteger("interval_days", 1, kMaxMeasureScheduleIntervalDays);
  auto reset = reader.OptionalBool("reset_on_treatment");
  auto start_date = reader.OptionalDate("start_date");
  auto note = reader.OptionalString("note", {0, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(*instrument_name);
  if (!instrument) return InvalidInput("instrument", "'" + *instrument_name + "' is not a known instrument");
  MeasureScheduleRule rule;
  rule.kind = *ParseMeasureScheduleKind(*kind_name);
  rule.interval_days = static_cast<int>(interval.value_or(0));
  rule.reset_on_treatment = reset.value_or(false);
  if (rule.kind != MeasureScheduleKind::kBeforeEachSession && !interval) {
    return InvalidInput("interval_days", fmt::format("is required for {}", *kind_name));
  }
  if (auto problem = CheckMeasureScheduleRule(rule)) return InvalidInput(problem->first, problem->second);

  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
    const int64_t today = zone.ToLocal(now).day();
    rule.start_day = start_date ? *ParseLocalDate(*start_date) : today;
    if (rule.start_day < today - kStartDateWindowDays || rule.start_day > today + kStartDateWindowDays) {
      return InvalidInput("start_date", fmt::format("must be within {} days of today", kStartDateWindowDays));
    }
    KC_ASSIGN_OR_RETURN(std::vector<StoredMeasureSchedule> active,
                        LoadActiveSchedules(txn, actor.clinic_id, patient_id));
    for (const StoredMeasureSchedule& s : active) {
      if (s.instrument == instrument->key && s.rule.kind == rule.kind) {
        return Conflict(fmt::format("schedule #{} of {} ({}) is active: stop it first", s.id, instrument->key,
                                    *kind_name));
      }
    }
    KC_ASSIGN_OR_RETURN(
        SqlRows inserted,
        txn.Query("INSERT INTO measure_schedules (clinic_id, patient_id, instrument, kind, interval_days, "
                  "reset_on_treatment, start_date, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "RETURNING id",
                  {actor.clinic_id, patient_id, instrument->key, *kind_name, int64_t{rule.interval_days},
                   int64_t{rule.reset_on_treatment ? 1 : 0}, FormatLocalDate(rule.start_day), note.value_or(""),
                   FormatTimestamp(now), actor.user_id}));
    const int64_t id = inserted.at(0).Int(0);
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        CourseAudit("measure_schedule.create", "measure_schedule", id, patient_id,
                      fmt::format("{} {}", instrument->key, *kind_name)),
        now));
    KC_ASSIGN_OR_RETURN(Json schedule, LoadScheduleJson(txn, actor.clinic_id, id));
    KC_ASSIGN_OR_RETURN(auto facts, LoadScheduleFacts(txn, zone, actor.clinic_id, patient_id, now));
    const StoredMeasureSchedule stored{id, patient_id, instrument->key, rule};
    for (const DueOccurrence& o : Occurrences(stored, facts, MomentOf(zone, now))) {
      schedule["due"].push_back(OccurrenceJson(stored, o));
    }
    return schedule;
  });
  return AuditNotFound(context_, actor, "measure_schedule.create", "patient", patient_id, now, std::move(result));
}

Result<Json> MeasureScheduleService::ListSchedules(const Actor& actor, int64_t patient_id, const PageQuery& query) {
  return ReadPatientPage(
      context_, actor, patient_id, {Permission::kMeasureRead, "measure_schedule.list", "", kMaxSchedulePage}, query,
      [&](Transaction& txn, std::optional<int64_t> before, TimePoint now) -> Result<Json> {
        KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
        std::string where = "ms.clinic_id = ? AND ms.patient_id = ?";
        SqlParams params = {actor.clinic_id, patient_id};
        if (before) {
          where += " AND ms.id < ?";
          params.push_back(*before);
        }
        params.push_back(int64_t{query.limit + 1});
        KC_ASSIGN_OR_RETURN(SqlRows rows,
                            txn.Query(fmt::format("SELECT {} FROM {} WHERE {} ORDER BY ms.id DESC LIMIT ?",
                                                  kScheduleColumns, kScheduleFrom, where),
                                      params));
        const bool more = rows.size() > static_cast<size_t>(query.limit);
        if (more) rows.pop_back();
        KC_ASSIGN_OR_RETURN(auto facts, LoadScheduleFacts(txn, zone, actor.clinic_id, patient_id, now));
        Json items = Json::array();
        for (const SqlRow& row : rows) {
          Json schedule = ScheduleJson(row);
          if (row.IsNull(10)) {
            const StoredMeasureSchedule stored = StoredScheduleOf(row);
            for (const DueOccurrence& o : Occurrences(stored, facts, MomentOf(zone, now))) {
              schedule["due"].push_back(OccurrenceJson(stored, o));
            }
          }
          items.push_back(std::move(schedule));
        }
        Json page = {{"items", std::move(items)}, {"next_cursor", nullptr}};
        if (more) page["next_cursor"] = std::to_string(rows.back().Int(0));
        return page;
      });
}

Result<Json> MeasureScheduleService::StopSchedule(const Actor& actor, int64_t schedule_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(
      context_, actor, Permission::kMeasureWrite,
      CourseAudit("measure_schedule.stop", "measure_schedule", schedule_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto reason = reader.RequiredString("reason", {1, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(Json schedule, LoadScheduleJson(txn, actor.clinic_id, schedule_id));
    if (schedule["status"] == "stopped") return Conflict("the measure schedule is already stopped");
    const int64_t patient_id = schedule["patient_id"].get<int64_t>();
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO measure_schedule_stops (schedule_id, clinic_id, reason, stopped_at, "
                                   "stopped_by) VALUES (?, ?, ?, ?, ?)",
                                   {schedule_id, actor.clinic_id, *reason, FormatTimestamp(now), actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, CourseAudit("measure_schedule.stop", "measure_schedule", schedule_id, patient_id), now));
    return LoadScheduleJson(txn, actor.clinic_id, schedule_id);
  });
  return AuditNotFound(context_, actor, "measure_schedule.stop", "measure_schedule", schedule_id, now,
                         std::move(result));
}

Result<Json> MeasureScheduleService::DueMeasures(const Actor& actor, int64_t patient_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMeasureRead,
                                       CourseAudit("measure_due.read", "patient", patient_id, patient_id)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
    KC_ASSIGN_OR_RETURN(std::vector<StoredMeasureSchedule> active,
                        LoadActiveSchedules(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(auto facts, LoadScheduleFacts(txn, zone, actor.clinic_id, patient_id, now));
    Json items = Json::array();
    for (const StoredMeasureSchedule& s : active) {
      for (const DueOccurrence& o : Occurrences(s, facts, MomentOf(zone, now))) items.push_back(OccurrenceJson(s, o));
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const Json& a, const Json& b) { return a["due_on"] < b["due_on"]; });
    return Json{{"items", std::move(items)}, {"today", FormatLocalDate(zone.ToLocal(now).day())}};
  });
  if (!result.ok()) {
    return AuditNotFound(context_, actor, "measure_due.read", "patient", patient_id, now, std::move(result));
  }
  KC_RETURN_IF_ERROR(
      RecordReadAudit(context_, actor, CourseAudit("measure_due.read", "patient", patient_id, patient_id), now));
  return result;
}

Result<Json> MeasureScheduleService::ListOverdue(const Actor& actor, const PageQuery& query) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMeasureRead,
                                       CourseAudit("measure_overdue.list", "measure_schedule", 0, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(CheckPageLimit(query.limit, kMaxOverduePage));
  KC_ASSIGN_OR_RETURN(std::optional<int64_t> position, ParseIdPageCursor(query.cursor));
  const int64_t offset = position.value_or(0);
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, LoadClinicTimeZone(txn, actor.clinic_id));
    KC_ASSIGN_OR_RETURN(std::vector<StoredMeasureSchedule> active,
                        LoadActiveSchedules(txn, actor.clinic_id, std::nullopt));
    KC_ASSIGN_OR_RETURN(auto facts, LoadScheduleFacts(txn, zone, actor.clinic_id, std::nullopt, now));
    struct Overdue {
      const StoredMeasureSchedule* schedule;
      DueOccurrence occurrence;
    };
    std::vector<Overdue> overdue;
    for (const StoredMeasureSchedule& s : active) {
      for (DueOccurrence& o : Occurrences(s, facts, MomentOf(zone, now))) {
        if (o.status == DueStatus::kOverdue) overdue.push_back({&s, std::move(o)});
      }
    }
    std::stable_sort(overdue.begin(), overdue.end(), [](const Overdue& a, const Overdue& b) {
      if (a.occurrence.days_overdue != b.occurrence.days_overdue) {
        return a.occurrence.days_overdue > b.occurrence.days_overdue;
      }
      return a.schedule->id < b.schedule->id;
    });
    const size_t begin = std::min(overdue.size(), static_cast<size_t>(offset));
    const size_t end = std::min(overdue.size(), begin + static_cast<size_t>(query.limit));
    Json items = Json::array();
    for (size_t i = begin; i < end; ++i) {
      const StoredMeasureSchedule& s = *overdue[i].schedule;
      Json item = OccurrenceJson(s, overdue[i].occurrence);
      KC_ASSIGN_OR_RETURN(SqlRows patient,
                          txn.Query("SELECT mrn, document FROM patients WHERE id = ?", {s.patient_id}));
      const Json document = Json::parse(patient.at(0).Text(1), nullptr, false);
      item["patient"] = {{"id", s.patient_id},
                         {"mrn", patient.at(0).Text(0)},
                         {"family_name", document.is_object() ? document.value("family_name", "") : ""},
                         {"given_names", document.is_object() ? document.value("given_names", "") : ""}};
      items.push_back(std::move(item));
    }
    Json page = {{"items", std::move(items)},
                 {"next_cursor", nullptr},
                 {"today", FormatLocalDate(zone.ToLocal(now).day())}};
    if (end < overdue.size()) page["next_cursor"] = std::to_string(end);
    return page;
  });
  if (!result.ok()) return result;
  KC_RETURN_IF_ERROR(RecordReadAudit(
      context_, actor, CourseAudit("measure_overdue.list", "measure_schedule", 0, std::nullopt), now));
  return result;
}

Result<Json> MeasureScheduleService::SessionStarts(const Actor& actor, int64_t patient_id, const PageQuery& query) {
  return ReadPatientPage(
      context_, actor, patient_id, {Permission::kMeasureRead, "session_start.list", "", kMaxSessionStartPage}, query,
      [&](Transaction& txn, std::optional<int64_t> after, TimePoint) -> Result<Json> {
        KC_ASSIGN_OR_RETURN(auto starts,
                            LoadSessionStarts(txn, actor.clinic_id, patient_id, after.value_or(0), query.limit + 1));
        const bool more = starts.size() > static_cast<size_t>(query.limit);
        if (more) starts.pop_back();
        Json items = Json::array();
        for (const auto& [id, at] : starts) items.push_back({{"session_id", id}, {"started_at", at}});
        Json page = {{"items", std::move(items)}, {"next_cursor", nullptr}};
        if (more) page["next_cursor"] = std::to_string(starts.back().first);
        return page;
      });
}

}  // namespace ketachart
