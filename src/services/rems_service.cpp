// REMS enrolment, monitoring forms and the deadline tracker (see rems_service.h).
#include "services/rems_service.h"

#include <fmt/format.h>

#include <cmath>

#include "clinical/instruments/instrument_catalog.h"
#include "clinical/intake/intake.h"
#include "clinical/intake/intake_vocabulary.h"
#include "clinical/session/rems_form.h"
#include "services/course_records.h"
#include "services/guard.h"
#include "services/intake_service.h"
#include "services/patient_page_read.h"
#include "services/protocol_store.h"
#include "services/read_audit_log.h"
#include "services/session_timeline.h"

namespace ketachart {
namespace {

bool HasRemsCheck(const Protocol& protocol) {
  for (const ProtocolItem& item : protocol.pre_dose_checks) {
    if (item.id == "rems_enrolment") return true;
  }
  return false;
}

bool HasClass(uint64_t classes, std::string_view name) {
  const auto index = VocabularyIndex(kMedicationClasses, name);
  return index && (classes & VocabularyBit(*index));
}

// The session's facts the form pre-fills from.
Result<RemsSessionFacts> FactsFor(Transaction& txn, int64_t clinic_id, const LoadedSession& s) {
  RemsSessionFacts f;
  KC_ASSIGN_OR_RETURN(std::optional<StoredIntake> intake, LatestIntake(txn, clinic_id, s.patient_id));
  if (intake) {
    auto read = ReadIntake(Json::parse(intake->document));
    if (read.ok()) {
      const uint64_t classes = read.value().medication_classes;
      f.benzodiazepine = HasClass(classes, "benzodiazepine");
      f.non_benzodiazepine_hypnotic = HasClass(classes, "non_benzodiazepine_hypnotic");
      f.psychostimulant = HasClass(classes, "psychostimulant");
      f.maoi = HasClass(classes, "maoi");
    }
  }
  if (const CompiledInstrument* moaas = InstrumentCatalog::Builtin().Find("moaas")) f.moaas_max = moaas->total_max;
  if (auto spo2 = ProtocolQuantityValue(*s.protocol, "spo2_min")) f.spo2_alarm_min = static_cast<int>(std::lround(*spo2));
  for (const SessionEventRow& e : s.events) {
    const int64_t at = TimestampMs(e.occurred_at);
    switch (e.kind) {
      case SessionEventKind::kReadiness: {
        bool ok = true, any = false;
        for (const Json& item : e.data.value("items", Json::array())) {
          if (item.value("id", "").rfind("baseline_", 0) == 0) {
            any = true;
            ok = ok && item.value("ok", false);
          }
        }
        if (any) f.pre_dose_vitals_acceptable = ok;
        break;
      }
      case SessionEventKind::kDoseOrder:
        if (e.data.contains("dose_mg")) f.dose_mg = e.data["dose_mg"].get<double>();
        break;
      case SessionEventKind::kStart:
      case SessionEventKind::kDevice:  // device 1 starts an esketamine dose; each may name its lot
        if (!f.first_device_ms) f.first_device_ms = at;
        if (e.data.contains("ledger")) {
          KC_ASSIGN_OR_RETURN(SqlRows lot, txn.Query("SELECT lot_number FROM ledger_lots WHERE id = ?",
                                                     {e.data["ledger"]["lot_id"].get<int64_t>()}));
          if (!lot.empty()) f.lot_number = lot[0].Text(0);
        }
        break;
      case SessionEventKind::kReadyForDischarge:
        f.ready_to_leave_ms = at;
        break;
      case SessionEventKind::kDischarge:
        f.monitoring_end_ms = at;
        break;
      case SessionEventKind::kVitals:
        if (e.data.contains("spo2_percent")) {
          const int spo2 = e.data["spo2_percent"].get<int>();
          f.lowest_spo2 = f.lowest_spo2 ? std::min(*f.lowest_spo2, spo2) : spo2;
        }
        break;
      case SessionEventKind::kScore:
        if (e.data.contains("total") && e.data["total"].is_number_integer()) {
          const int total = e.data["total"].get<int>();
          const std::string instrument = e.data.value("instrument", "");
          if (instrument == "moaas") f.lowest_moaas = f.lowest_moaas ? std::min(*f.lowest_moaas, total) : total;
          if (instrument == "cadss") f.highest_cadss = f.highest_cadss ? std::max(*f.highest_cadss, total) : total;
        }
        break;
      case SessionEventKind::kAdverseEvent: {
        f.any_adverse_event_recorded = true;
        const std::string severity = e.data.value("severity", "");
        f.serious_adverse_event = f.serious_adverse_event || severity == "severe" || severity == "life_threatening";
        break;
      }
      default:
        break;
    }
  }
  return f;
}

int DeadlineDays(const Protocol& protocol) {
  // The protocol's pmf_deadline (spravato REMS: 7 calendar days, clinical-reference.md G).
  const auto days = ProtocolQuantityValue(protocol, "pmf_deadline");
  return days ? static_cast<int>(std::lround(*days)) : 0;
}

Result<Json> FormJson(Transaction& txn, int64_t clinic_id, const LoadedSession& s, TimePoint now) {
  const std::string today = FormatDate(now);
  KC_ASSIGN_OR_RETURN(RemsSessionFacts facts, FactsFor(txn, clinic_id, s));
  Json fields = Json::array();
  for (const RemsFormField& field : PrefillRemsForm(facts)) {
    fields.push_back({{"id", field.id}, {"label", field.label}, {"value", field.value},
                      {"basis", field.basis.empty() ? Json(nullptr) : Json(field.basis)}});
  }
  KC_ASSIGN_OR_RETURN(SqlRows submissions,
                      txn.Query("SELECT f.id, f.amends_id, f.answers, f.submitted_on, f.confirmation, f.recorded_at, "
                                "u.username, f.reason FROM rems_monitoring_forms f JOIN users u ON u.id = f.recorded_by WHERE "
                                "f.session_id = ? ORDER BY f.id",
                                {s.id}));
  Json submitted = Json::array();
  for (const SqlRow& row : submissions) {
    submitted.push_back({{"id", row.Int(0)}, {"amends_id", row.IsNull(1) ? Json(nullptr) : Json(row.Int(1))},
                         {"answers", Json::parse(row.Text(2))}, {"submitted_on", row.Text(3)},
                         {"confirmation", row.Text(4)}, {"recorded_at", row.Text(5)}, {"recorded_by", row.Text(6)},
                         {"reason", row.Text(7)}});
  }
  const std::string session_date =
      facts.first_device_ms ? FormatTimestamp(TimePoint(std::chrono::milliseconds(*facts.first_device_ms))).substr(0, 10)
                            : s.checked_in_at.substr(0, 10);
  const int days = DeadlineDays(*s.protocol);
  const std::string due_on = RemsDueDate(session_date, days);
  const bool done = !submitted.empty();
  return Json{{"session", SessionSummaryJson(s, now)},
              {"session_date", session_date},
              {"deadline_days", days},
              {"due_on", due_on},
              {"status", done ? "submitted" : (today > due_on ? "overdue" : "open")},
              {"dosed", facts.first_device_ms.has_value()},
              {"fields", std::move(fields)},
              {"submissions", std::move(submitted)}};
}

Status RequireRemsSession(const LoadedSession& s) {
  if (!HasRemsCheck(*s.protocol)) {
    return Conflict(fmt::format("{} v{} has no REMS monitoring form", s.protocol->title, s.protocol_version));
  }
  return Status::Ok();
}

}  // namespace

Result<RemsGate> RemsGateFor(Transaction& txn, int64_t clinic_id, int64_t patient_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT status, effective_on FROM rems_enrolments WHERE patient_id = ? "
                                              "AND clinic_id = ? ORDER BY id DESC LIMIT 1",
                                              {patient_id, clinic_id}));
  if (rows.empty()) return RemsGate{false, "the patient is not enrolled in the REMS programme (required before the first dose)"};
  if (rows[0].Text(0) != "enrolled") {
    return RemsGate{false, fmt::format("the patient's REMS enrolment ended on {}", rows[0].Text(1))};
  }
  return RemsGate{true, ""};
}

Result<Json> RemsService::RecordEnrolment(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRecord,
                                       CourseAudit("rems.enrolment", "patient", patient_id, patient_id)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto status = reader.RequiredEnum("status", {"enrolled", "not_enrolled"});
  auto rems_id = reader.OptionalString("rems_patient_id", {0, 60});
  auto effective_on = reader.RequiredDate("effective_on");
  auto note = reader.OptionalString("note", {0, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  if (*status == "enrolled" && rems_id.value_or("").empty()) {
    return InvalidInput("rems_patient_id", "is required for an enrolment (the REMS patient identifier)");
  }
  if (*effective_on > FormatDate(now + std::chrono::hours(24))) return InvalidInput("effective_on", "must not be in the future");
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO rems_enrolments (clinic_id, patient_id, status, rems_patient_id, "
                                   "effective_on, note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                   {actor.clinic_id, patient_id, *status, rems_id.value_or(""), *effective_on,
                                    note.value_or(""), FormatTimestamp(now), actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(
        AppendAuditEvent(txn, actor, CourseAudit("rems.enrolment", "patient", patient_id, patient_id, *status), now));
    return Json{{"status", *status}};
  });
  if (!result.ok()) {
    return AuditNotFound(context_, actor, "rems.enrolment", "patient", patient_id, now, std::move(result));
  }
  return GetEnrolment(actor, patient_id);
}

namespace {

// The patient's enrolment records latest first, `limit` of them older than
// record `before` (all when nullopt): {"items", "next_cursor"}.
Result<Json> EnrolmentPage(Transaction& txn, int64_t clinic_id, int64_t patient_id, int limit,
                           std::optional<int64_t> before) {
  SqlParams params{patient_id, clinic_id};
  std::string sql =
      "SELECT e.id, e.status, e.rems_patient_id, e.effective_on, e.note, e.recorded_at, u.username FROM "
      "rems_enrolments e JOIN users u ON u.id = e.recorded_by WHERE e.patient_id = ? AND e.clinic_id = ?";
  if (before) {
    sql += " AND e.id < ?";
    params.push_back(*before);
  }
  sql += " ORDER BY e.id DESC LIMIT ?";
  params.push_back(int64_t{limit} + 1);
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(sql, params));
  Json items = Json::array();
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < limit; ++i) {
    const SqlRow& row = rows[i];
    items.push_back({{"id", row.Int(0)}, {"status", row.Text(1)}, {"rems_patient_id", row.Text(2)},
                     {"effective_on", row.Text(3)}, {"note", row.Text(4)}, {"recorded_at", row.Text(5)},
                     {"recorded_by", row.Text(6)}});
  }
  const bool more = static_cast<int>(rows.size()) > limit;
  Json next = more ? Json(std::to_string(items.back()["id"].get<int64_t>())) : Json(nullptr);
  return Json{{"items", std::move(items)}, {"next_cursor", std::move(next)}};
}

}  // namespace

Result<Json> RemsService::GetEnrolment(const Actor& actor, int64_t patient_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRead,
                                       CourseAudit("rems.enrolment_read", "patient", patient_id, patient_id)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(Json history, EnrolmentPage(txn, actor.clinic_id, patient_id, kEnrolmentHistory, std::nullopt));
    KC_ASSIGN_OR_RETURN(RemsGate gate, RemsGateFor(txn, actor.clinic_id, patient_id));
    return Json{{"enrolled", gate.enrolled}, {"message", gate.enrolled ? Json(nullptr) : Json(gate.message)},
                {"history", std::move(history["items"])}, {"history_next_cursor", history["next_cursor"]}};
  });
  if (!result.ok()) {
    return AuditNotFound(context_, actor, "rems.enrolment_read", "patient", patient_id, now, std::move(result));
  }
  KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor,
                                     CourseAudit("rems.enrolment_read", "patient", patient_id, patient_id), now));
  return result;
}

Result<Json> RemsService::EnrolmentHistory(const Actor& actor, int64_t patient_id, const PageQuery& page) {
  return ReadPatientPage(context_, actor, patient_id,
                         {Permission::kSessionRead, "rems.enrolment_read", "history", kMaxEnrolmentPage}, page,
                         [&](Transaction& txn, std::optional<int64_t> before, TimePoint) {
                           return EnrolmentPage(txn, actor.clinic_id, patient_id, page.limit, before);
                         });
}

Result<Json> RemsService::GetForm(const Actor& actor, int64_t session_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRead,
                                       CourseAudit("rems.form_read", "dosing_session", session_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  int64_t patient_id = 0;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, session_id));
    patient_id = session.patient_id;
    KC_RETURN_IF_ERROR(RequireRemsSession(session));
    return FormJson(txn, actor.clinic_id, session, now);
  });
  if (!result.ok()) {
    return AuditNotFound(context_, actor, "rems.form_read", "dosing_session", session_id, now, std::move(result));
  }
  KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor,
                                     CourseAudit("rems.form_read", "dosing_session", session_id, patient_id), now));
  return result;
}

Result<Json> RemsService::SubmitForm(const Actor& actor, int64_t session_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRecord,
                                       CourseAudit("rems.form_submit", "dosing_session", session_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  const Json* answers = reader.OptionalObject("answers");
  auto submitted_on = reader.RequiredDate("submitted_on");
  auto confirmation = reader.RequiredString("confirmation", {1, 100});
  auto amends = reader.OptionalInteger("amends_id", 1, INT64_MAX);
  auto reason = reader.OptionalString("reason", {0, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  if (amends && reason.value_or("").find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidInput("reason", "is required for a correction (what was wrong in the amended submission)");
  }
  if (*submitted_on > FormatDate(now + std::chrono::hours(24))) return InvalidInput("submitted_on", "must not be in the future");
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, session_id));
    KC_RETURN_IF_ERROR(RequireRemsSession(session));
    if (session.progress.phase != SessionPhase::kDischarged) {
      return Conflict(fmt::format("the monitoring form is submitted after discharge; the session is {}",
                                  SessionPhaseName(session.progress.phase)));
    }
    KC_ASSIGN_OR_RETURN(Json form, FormJson(txn, actor.clinic_id, session, now));
    // Pre-filled values (or, for a correction, the amended submission's
    // answers) stand unless the answers change them; unknown fields are refused.
    Json merged = Json::object();
    for (const Json& field : form["fields"]) merged[field["id"].get<std::string>()] = field["value"];
    if (amends) {
      for (const Json& previous : form["submissions"]) {
        if (previous["id"] == *amends) merged = previous["answers"];
      }
    }
    if (answers) {
      for (const auto& [key, value] : answers->items()) {
        if (!merged.contains(key)) return InvalidInput("answers." + key, "is not a field of the monitoring form");
        if (!value.is_null() && !value.is_boolean() && !value.is_number() && !value.is_string()) {
          return InvalidInput("answers." + key, "must be yes/no, a number or text");
        }
        merged[key] = value;
      }
    }
    const std::vector<std::string> open = UnansweredRemsFields(merged);
    if (!open.empty()) {
      return InvalidInput("answers." + open.front(),
                          fmt::format("the form cannot be submitted with fields unanswered: {}", fmt::join(open, ", ")));
    }
    const bool has_previous = !form["submissions"].empty();
    if (has_previous && !amends) {
      return Conflict("a form was already submitted for this session; a correction names it in amends_id", "amends_id");
    }
    if (amends) {
      bool found = false;
      for (const Json& s : form["submissions"]) found = found || s["id"] == *amends;
      if (!found) return InvalidInput("amends_id", "is not a submission of this session's form");
    }
    KC_ASSIGN_OR_RETURN(SqlRows inserted,
                        txn.Query("INSERT INTO rems_monitoring_forms (clinic_id, session_id, amends_id, answers, "
                                  "submitted_on, confirmation, recorded_at, recorded_by, reason) VALUES (?, ?, ?, ?, "
                                  "?, ?, ?, ?, ?) RETURNING id",
                                  {actor.clinic_id, session_id, SqlOptional(amends), merged.dump(), *submitted_on,
                                   *confirmation, FormatTimestamp(now), actor.user_id, reason.value_or("")}));
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        CourseAudit("rems.form_submit", "dosing_session", session_id,
                                                    session.patient_id,
                                                    fmt::format("form #{}", inserted.at(0).Int(0))),
                                        now));
    return FormJson(txn, actor.clinic_id, session, now);
  });
  return AuditNotFound(context_, actor, "rems.form_submit", "dosing_session", session_id, now, std::move(result));
}

Result<TabularReport> RemsService::FormReport(const Actor& actor, int64_t session_id) {
  KC_ASSIGN_OR_RETURN(Json form, GetForm(actor, session_id));
  TabularReport report;
  report.title = "Spravato REMS Patient Monitoring Form";
  const Json& session = form["session"];
  report.heading_lines = {
      fmt::format("Patient: {} {} (MRN {})", session["patient"].value("given_names", ""),
                  session["patient"].value("family_name", ""), session["patient"].value("mrn", "")),
      fmt::format("Session #{} on {}, {}", session["id"].get<int64_t>(), form["session_date"].get<std::string>(),
                  session["protocol"].value("title", "")),
      fmt::format("Due by {} ({} calendar days)", form["due_on"].get<std::string>(), form["deadline_days"].get<int>())};
  report.columns = {{"Question", 2.0}, {"Answer", 1.2}, {"Source", 2.0}};
  const Json* submitted = form["submissions"].empty() ? nullptr : &form["submissions"].back()["answers"];
  auto text = [](const Json& v) -> std::string {
    if (v.is_null()) return "";
    if (v.is_boolean()) return v.get<bool>() ? "Yes" : "No";
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
  };
  for (const Json& field : form["fields"]) {
    const std::string id = field["id"];
    const Json& value = submitted && submitted->contains(id) ? (*submitted)[id] : field["value"];
    report.rows.push_back({field["label"].get<std::string>(), text(value),
                           submitted ? "submitted" : (field["basis"].is_null() ? "to answer" : "pre-filled from " +
                                                                                      field["basis"].get<std::string>())});
  }
  if (submitted) {
    const Json& last = form["submissions"].back();
    report.heading_lines.push_back(fmt::format("Submitted on {} (confirmation {}) by {}",
                                               last["submitted_on"].get<std::string>(),
                                               last["confirmation"].get<std::string>(),
                                               last["recorded_by"].get<std::string>()));
    if (!last["amends_id"].is_null()) {
      report.heading_lines.push_back(fmt::format("Correction of submission #{}: {}", last["amends_id"].get<int64_t>(),
                                                 last["reason"].get<std::string>()));
    }
  }
  report.file_stem = fmt::format("rems-monitoring-form-session-{}", session_id);
  return report;
}

Result<Json> RemsService::Tracker(const Actor& actor, TrackerFilter filter, const PageQuery& page,
                                  int scan_budget) {
  using F = TrackerFilter;
  const bool overdue_only = filter == F::kOverdue;
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRead,
                                       CourseAudit("rems.tracker", "dosing_session", 0, std::nullopt)));
  KC_RETURN_IF_ERROR(CheckPageLimit(page.limit, kMaxTrackerPage));
  KC_ASSIGN_OR_RETURN(std::optional<int64_t> cursor, ParseIdPageCursor(page.cursor));
  const TimePoint now = context_.clock.Now();
  const std::string today = FormatDate(now);
  // Forms still due: oldest session first, so the most urgent lead page 1.
  const bool oldest_first = filter == F::kOpen || filter == F::kOverdue;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    // Dosed sessions (a start or device event) past the cursor, at most scan_budget of them.
    std::string sql =
        "SELECT s.id FROM dosing_sessions s WHERE s.clinic_id = ? AND EXISTS (SELECT 1 FROM session_events e WHERE "
        "e.session_id = s.id AND e.kind IN ('start', 'device'))";
    if (filter == F::kOpen || filter == F::kOverdue) {
      sql += " AND NOT EXISTS (SELECT 1 FROM rems_monitoring_forms f WHERE f.session_id = s.id)";
    } else if (filter == F::kSubmitted) {
      sql += " AND EXISTS (SELECT 1 FROM rems_monitoring_forms f WHERE f.session_id = s.id)";
    }
    SqlParams params{actor.clinic_id};
    if (cursor) {
      sql += oldest_first ? " AND s.id > ?" : " AND s.id < ?";
      params.push_back(*cursor);
    }
    sql += oldest_first ? " ORDER BY s.id ASC LIMIT ?" : " ORDER BY s.id DESC LIMIT ?";
    params.push_back(int64_t{scan_budget} + 1);
    KC_ASSIGN_OR_RETURN(SqlRows ids, txn.Query(sql, params));
    Json items = Json::array();
    std::optional<int64_t> next;
    int64_t last_listed = 0;
    int scanned = 0;
    for (const SqlRow& row : ids) {
      if (scanned == scan_budget) {  // sessions remain unexamined: the next page goes on from here
        next = ids[scanned - 1].Int(0);
        break;
      }
      ++scanned;
      KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, row.Int(0)));
      if (!HasRemsCheck(*session.protocol)) continue;
      KC_ASSIGN_OR_RETURN(Json form, FormJson(txn, actor.clinic_id, session, now));
      if (overdue_only && form["status"] != "overdue") continue;
      if (static_cast<int>(items.size()) == page.limit) {  // one more than the page: there is a next page
        next = last_listed;
        break;
      }
      last_listed = row.Int(0);
      const auto due = DateToDays(form["due_on"].get<std::string>());
      const auto day = DateToDays(today);
      const Json& submissions = form["submissions"];
      KC_ASSIGN_OR_RETURN(RemsGate gate, RemsGateFor(txn, actor.clinic_id, session.patient_id));
      items.push_back({{"session", form["session"]},
                       {"session_date", form["session_date"]},
                       {"due_on", form["due_on"]},
                       {"status", form["status"]},
                       {"days_left", due && day ? Json(*due - *day) : Json(nullptr)},
                       {"submitted_on", submissions.empty() ? Json(nullptr) : submissions.back()["submitted_on"]},
                       {"enrolled", gate.enrolled}});
    }
    return Json{{"items", std::move(items)}, {"next_cursor", next ? Json(std::to_string(*next)) : Json(nullptr)}};
  });
  if (!result.ok()) return result;
  KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor,
                                     CourseAudit("rems.tracker", "dosing_session", 0, std::nullopt,
                                                 filter == F::kAll         ? "all"
                                                 : filter == F::kSubmitted ? "submitted"
                                                 : overdue_only            ? "overdue"
                                                                           : "open"),
                                     now));
  return result;
}

}  // namespace ketachart
