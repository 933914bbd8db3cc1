// Integration notes and the shared care summary (see integration_service.h).
#include "services/integration_service.h"

#include <fmt/format.h>

#include <map>

#include "clinical/course/booster_suggestion.h"
#include "clinical/instruments/instrument_catalog.h"
#include "services/course_records.h"
#include "services/guard.h"
#include "services/patient_page_read.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

const std::vector<std::string>& FieldsOf(const std::string& format) {
  static const std::vector<std::string> soap = {"subjective", "objective", "assessment", "plan"};
  static const std::vector<std::string> dap = {"data", "assessment", "plan"};
  return format == "soap" ? soap : dap;
}

Json NoteJson(const SqlRow& row) {
  return Json{{"id", row.Int(0)},
              {"session_id", row.Int(1)},
              {"format", row.Text(2)},
              {"fields", Json::parse(row.Text(3))},
              {"homework", row.Text(4)},
              {"coping_plan", row.Text(5)},
              {"amends_id", row.IsNull(6) ? Json(nullptr) : Json(row.Int(6))},
              {"signed_at", row.Text(7)},
              {"signed_by", row.Text(8)}};
}

constexpr std::string_view kNoteSelect =
    "SELECT n.id, n.session_id, n.format, n.fields, n.homework, n.coping_plan, n.amends_id, n.signed_at, u.username "
    "FROM integration_notes n JOIN users u ON u.id = n.signed_by";

}  // namespace

Result<Json> IntegrationService::WriteNote(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kIntegrationWrite,
                                       CourseAudit("integration.write", "integration_note", 0, patient_id)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto session_id = reader.RequiredInteger("session_id", 1, INT64_MAX);
  auto format = reader.RequiredEnum("format", {"soap", "dap"});
  const Json* fields_json = reader.OptionalObject("fields");
  auto homework = reader.OptionalString("homework", {0, 5000});
  auto coping_plan = reader.OptionalString("coping_plan", {0, 5000});
  auto amends = reader.OptionalInteger("amends_id", 1, INT64_MAX);
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!fields_json) return InvalidInput("fields", "is required");
  JsonObjectReader fields_reader(*fields_json, "fields");
  Json fields = Json::object();
  for (const std::string& name : FieldsOf(*format)) {
    auto value = fields_reader.RequiredString(name, {1, 20'000});
    if (value) {
      if (value->find_first_not_of(" \t\r\n") == std::string::npos) {
        return InvalidInput("fields." + name, "must not be blank in a " + *format + " note");
      }
      fields[name] = *value;
    }
  }
  KC_RETURN_IF_ERROR(fields_reader.Finish());
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(SqlRows session, txn.Query("SELECT 1 FROM dosing_sessions WHERE id = ? AND patient_id = ? AND "
                                                   "clinic_id = ?",
                                                   {*session_id, patient_id, actor.clinic_id}));
    if (session.empty()) return InvalidInput("session_id", "is not a dosing session of this patient");
    if (amends) {
      KC_ASSIGN_OR_RETURN(SqlRows amended, txn.Query("SELECT 1 FROM integration_notes WHERE id = ? AND patient_id = ?",
                                                     {*amends, patient_id}));
      if (amended.empty()) return InvalidInput("amends_id", "is not an integration note of this patient");
    }
    KC_ASSIGN_OR_RETURN(SqlRows inserted,
                        txn.Query("INSERT INTO integration_notes (clinic_id, patient_id, session_id, format, fields, "
                                  "homework, coping_plan, amends_id, signed_at, signed_by) VALUES (?, ?, ?, ?, ?, ?, "
                                  "?, ?, ?, ?) RETURNING id",
                                  {actor.clinic_id, patient_id, *session_id, *format, fields.dump(),
                                   homework.value_or(""), coping_plan.value_or(""), SqlOptional(amends),
                                   FormatTimestamp(now), actor.user_id}));
    const int64_t id = inserted.at(0).Int(0);
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, CourseAudit("integration.write", "integration_note", id, patient_id, *format), now));
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(std::string(kNoteSelect) + " WHERE n.id = ?", {id}));
    return NoteJson(rows.at(0));
  });
  return AuditNotFound(context_, actor, "integration.write", "patient", patient_id, now, std::move(result));
}

namespace {

// The patient's sessions latest first with their note status, `limit` of them
// older than session `before` (all when nullopt): {"items", "next_cursor"}.
Result<Json> SessionPage(Transaction& txn, int64_t clinic_id, int64_t patient_id, int limit,
                         std::optional<int64_t> before) {
  SqlParams params{patient_id, clinic_id};
  std::string sql =
      "SELECT s.id, s.protocol_id, s.checked_in_at, s.chair, (SELECT e.kind FROM session_events e WHERE "
      "e.session_id = s.id ORDER BY e.sequence DESC LIMIT 1), (SELECT g.signed_at FROM "
      "session_note_signatures g WHERE g.session_id = s.id), (SELECT COUNT(*) FROM integration_notes n "
      "WHERE n.session_id = s.id) FROM dosing_sessions s WHERE s.patient_id = ? AND s.clinic_id = ?";
  if (before) {
    sql += " AND s.id < ?";
    params.push_back(*before);
  }
  sql += " ORDER BY s.id DESC LIMIT ?";
  params.push_back(int64_t{limit} + 1);  // one more than the page: is there an older one?
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(sql, params));
  const bool more = static_cast<int>(rows.size()) > limit;
  Json items = Json::array();
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < limit; ++i) {
    const SqlRow& row = rows[i];
    items.push_back({{"id", row.Int(0)}, {"protocol_id", row.Text(1)}, {"checked_in_at", row.Text(2)},
                     {"chair", row.Text(3)}, {"last_event", row.Text(4)},
                     {"note_signed_at", row.IsNull(5) ? Json(nullptr) : Json(row.Text(5))},
                     {"integration_notes", row.Int(6)}});
  }
  Json next = more ? Json(std::to_string(items.back()["id"].get<int64_t>())) : Json(nullptr);
  return Json{{"items", std::move(items)}, {"next_cursor", std::move(next)}};
}

}  // namespace

Result<Json> IntegrationService::CareSummary(const Actor& actor, int64_t patient_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRead,
                                       CourseAudit("care_summary.read", "patient", patient_id, patient_id)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(
        SqlRows courses,
        txn.Query("SELECT c.id, c.protocol_id, (SELECT t.to_state FROM course_transitions t WHERE t.course_id = c.id "
                  "ORDER BY t.sequence DESC LIMIT 1) FROM treatment_courses c WHERE c.patient_id = ? AND "
                  "c.clinic_id = ? ORDER BY c.id DESC LIMIT 20",
                  {patient_id, actor.clinic_id}));
    Json course_list = Json::array();
    bool maintenance = false;
    for (const SqlRow& row : courses) {
      course_list.push_back({{"id", row.Int(0)}, {"protocol_id", row.Text(1)}, {"state", row.Text(2)}});
      maintenance = maintenance || row.Text(2) == "maintenance";
    }
    KC_ASSIGN_OR_RETURN(Json sessions, SessionPage(txn, actor.clinic_id, patient_id, kCareSummarySessions, std::nullopt));
    KC_ASSIGN_OR_RETURN(SqlRows notes, txn.Query(std::string(kNoteSelect) +
                                                     " WHERE n.patient_id = ? AND n.clinic_id = ? ORDER BY n.id DESC "
                                                     "LIMIT 50",
                                                 {patient_id, actor.clinic_id}));
    Json note_list = Json::array();
    for (const SqlRow& row : notes) note_list.push_back(NoteJson(row));
    // Booster signals: each instrument's totals in time order (last 200).
    KC_ASSIGN_OR_RETURN(SqlRows measures,
                        txn.Query("SELECT instrument, administered_at, total FROM patient_measures WHERE patient_id = "
                                  "? AND clinic_id = ? AND total IS NOT NULL ORDER BY administered_at, id",
                                  {patient_id, actor.clinic_id}));
    std::map<std::string, std::vector<TotalAt>> by_instrument;
    for (const SqlRow& row : measures) {
      by_instrument[row.Text(0)].push_back({row.Text(1), static_cast<int>(row.Int(2))});
    }
    Json signals = Json::array();
    for (const auto& [key, totals] : by_instrument) {
      const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(key);
      if (!instrument) continue;
      for (const BoosterSignal& s : BoosterSignals(*instrument, totals)) {
        signals.push_back({{"instrument", s.instrument}, {"rule", s.rule}, {"message", s.message}});
      }
    }
    return Json{{"patient_id", patient_id},
                {"courses", std::move(course_list)},
                {"sessions", std::move(sessions["items"])},
                {"sessions_next_cursor", sessions["next_cursor"]},
                {"integration_notes", std::move(note_list)},
                {"booster_signals", signals},
                {"booster_suggested", maintenance && !signals.empty()}};
  });
  if (!result.ok()) {
    return AuditNotFound(context_, actor, "care_summary.read", "patient", patient_id, now, std::move(result));
  }
  KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor,
                                     CourseAudit("care_summary.read", "patient", patient_id, patient_id), now));
  return result;
}

Result<Json> IntegrationService::CareSummarySessions(const Actor& actor, int64_t patient_id, const PageQuery& page) {
  return ReadPatientPage(context_, actor, patient_id,
                         {Permission::kSessionRead, "care_summary.read", "sessions", kMaxSessionPage}, page,
                         [&](Transaction& txn, std::optional<int64_t> before, TimePoint) {
                           return SessionPage(txn, actor.clinic_id, patient_id, page.limit, before);
                         });
}

}  // namespace ketachart
