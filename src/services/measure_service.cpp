// Measures and safety alerts (see measure_service.h).
#include "services/measure_service.h"
#include "services/measure_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "clinical/instruments/instrument_catalog.h"
#include "clinical/instruments/instrument_change.h"
#include "clinical/instruments/score_report.h"
#include "services/audit_trail.h"
#include "services/clinic_alert_rule_service.h"
#include "services/guard.h"
#include "services/instrument_settings_service.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

constexpr std::string_view kMeasureColumns =
    "m.id, m.instrument, m.instrument_version, m.administered_at, m.answers, m.total, m.band, m.result, "
    "m.recorded_at, u.username, m.note, m.instrument_settings_id, s.version, s.settings";

// The measure list's FROM clause: who recorded it and the settings it was scored with.
constexpr std::string_view kMeasureFrom =
    "patient_measures m JOIN users u ON u.id = m.recorded_by "
    "LEFT JOIN clinic_instrument_settings s ON s.id = m.instrument_settings_id";

constexpr std::string_view kAlertColumns =
    "a.id, a.patient_id, a.measure_id, a.code, a.severity, a.display, a.raised_at, k.acknowledged_at, "
    "ku.username, k.action_note, m.instrument, p.mrn, p.document, rc.clinician_id, rcu.username";

AuditEntry MeasureAudit(std::string action, std::string type, int64_t id, std::optional<int64_t> patient_id,
                        std::string detail = {}) {
  return AuditEntry{std::move(action), std::move(type), id > 0 ? std::to_string(id) : "", patient_id,
                    AuditOutcome::kSuccess, std::move(detail)};
}

Status RequirePatientInClinic(Transaction& txn, int64_t clinic_id, int64_t patient_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT 1 FROM patients WHERE id = ? AND clinic_id = ?",
                                              {patient_id, clinic_id}));
  if (rows.empty()) return NotFound("no such patient in this clinic");
  return Status::Ok();
}

// Probing for another clinic's patient leaves a trace, as for charts.
Result<Json> AuditedNotFound(ServiceContext& context, const Actor& actor, const std::string& action,
                             int64_t patient_id, TimePoint now, Result<Json> result) {
  if (result.ok() || result.error().code != ErrorCode::kNotFound) return result;
  AuditEntry failed = MeasureAudit(action, "patient", patient_id, std::nullopt, "not found in this clinic");
  failed.outcome = AuditOutcome::kFailed;
  KC_RETURN_IF_ERROR(RecordReadAudit(context, actor, failed, now));
  return result;
}

Result<std::vector<int16_t>> ReadAnswers(const Json& body) {
  auto it = body.find("answers");
  if (it == body.end() || !it->is_array()) return InvalidInput("answers", "is required: an array of item values");
  if (it->size() > kMaxInstrumentItems) return InvalidInput("answers", "has too many items");
  std::vector<int16_t> answers;
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& value = (*it)[i];
    if (value.is_null()) {
      answers.push_back(kNotAnswered);
    } else if (value.is_number_integer() && value.get<int64_t>() >= -1000 && value.get<int64_t>() <= 1000) {
      answers.push_back(static_cast<int16_t>(value.get<int64_t>()));
    } else {
      return InvalidInput("answers[" + std::to_string(i) + "]", "must be a whole number or null");
    }
  }
  return answers;
}

// What the chart keeps of a score beyond total and band: subscales, cut-offs
// met, symptom rules and the unconfirmed flags. The full report can always be
// rebuilt from the answers and the instrument version.
Json ScoreSummary(const Json& report) {
  Json summary = {{"subscales", report["subscales"]}, {"symptom_rules", report["symptom_rules"]}};
  Json cutoffs = Json::object();
  for (const auto& [code, cutoff] : report["cutoffs"].items()) cutoffs[code] = cutoff["met"];
  summary["cutoffs"] = std::move(cutoffs);
  if (report.contains("band_display")) summary["band_display"] = report["band_display"];
  if (report.contains("band_unconfirmed")) summary["band_unconfirmed"] = true;
  if (report.contains("range_unconfirmed")) summary["range_unconfirmed"] = true;
  return summary;
}

Json AnswersJson(const std::vector<int16_t>& answers) {
  Json out = Json::array();
  for (int16_t v : answers) out.push_back(v == kNotAnswered ? Json(nullptr) : Json(v));
  return out;
}

Json MeasureJson(const SqlRow& row) {
  Json m = {{"id", row.Int(0)},
            {"instrument", row.Text(1)},
            {"instrument_version", row.Text(2)},
            {"administered_at", row.Text(3)},
            {"answers", Json::parse(row.Text(4))},
            {"total", row.IsNull(5) ? Json(nullptr) : Json(row.Int(5))},
            {"band", row.IsNull(6) ? Json(nullptr) : Json(row.Text(6))},
            {"score", Json::parse(row.Text(7))},
            {"recorded_at", row.Text(8)},
            {"recorded_by", row.Text(9)},
            {"note", row.Text(10)},
            {"instrument_settings", nullptr},
            {"alerts", Json::array()}};
  // The clinic's settings version the score used (null: the data file's defaults).
  if (!row.IsNull(11)) {
    const Json values = Json::parse(row.Text(13), nullptr, false);
    m["instrument_settings"] = {{"version", row.Int(12)}, {"values", values.is_object() ? values : Json::object()}};
  }
  return m;
}

Json AlertJson(const SqlRow& row) {
  Json alert = {{"id", row.Int(0)},          {"patient_id", row.Int(1)}, {"measure_id", row.Int(2)},
                {"code", row.Text(3)},       {"severity", row.Text(4)},  {"display", row.Text(5)},
                {"raised_at", row.Text(6)},  {"instrument", row.Text(10)}};
  const Json document = Json::parse(row.Text(12), nullptr, false);
  alert["patient"] = {{"id", row.Int(1)},
                      {"mrn", row.Text(11)},
                      {"family_name", document.is_object() ? document.value("family_name", "") : ""},
                      {"given_names", document.is_object() ? document.value("given_names", "") : ""}};
  alert["responsible_clinician"] =
      row.IsNull(13) ? Json(nullptr) : Json{{"id", row.Int(13)}, {"username", row.Text(14)}};
  if (row.IsNull(7)) {
    alert["acknowledged"] = nullptr;
  } else {
    alert["acknowledged"] = {{"at", row.Text(7)}, {"by", row.Text(8)}, {"action_note", row.Text(9)}};
  }
  return alert;
}

std::string AlertSelect(const std::string& where) {
  return fmt::format(
      "SELECT {} FROM measure_alerts a JOIN patient_measures m ON m.id = a.measure_id "
      "JOIN patients p ON p.id = a.patient_id "
      "LEFT JOIN measure_alert_acknowledgements k ON k.alert_id = a.id "
      "LEFT JOIN users ku ON ku.id = k.acknowledged_by "
      "LEFT JOIN patient_responsible_clinicians rc ON rc.id = (SELECT MAX(r2.id) FROM "
      "patient_responsible_clinicians r2 WHERE r2.patient_id = a.patient_id AND r2.clinic_id = a.clinic_id) "
      "LEFT JOIN users rcu ON rcu.id = rc.clinician_id WHERE {}",
      kAlertColumns, where);
}

// Cursor of the measure list: "<administered_at>/<id>" of the page's last row.
struct MeasureCursor {
  std::string administered_at;
  int64_t id = 0;
};

Result<std::optional<MeasureCursor>> ParseMeasureCursor(const std::string& text) {
  if (text.empty()) return std::optional<MeasureCursor>();
  const size_t slash = text.rfind('/');
  if (slash == std::string::npos || !ParseTimestamp(text.substr(0, slash))) {
    return InvalidInput("cursor", "is not a cursor from this list");
  }
  try {
    size_t used = 0;
    const int64_t id = std::stoll(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1 || id <= 0) throw std::invalid_argument(text);
    return std::optional<MeasureCursor>(MeasureCursor{text.substr(0, slash), id});
  } catch (const std::exception&) {
    return InvalidInput("cursor", "is not a cursor from this list");
  }
}

}  // namespace

Result<Json> StoreScoredMeasure(Transaction& txn, const Actor& actor, int64_t recorded_by, int64_t patient_id,
                                const ScoredMeasure& m, TimePoint now) {
  const CompiledInstrument* instrument = &m.instrument;
  const ScoreOutcome& outcome = m.outcome;
  const std::string now_text = FormatTimestamp(now);
  const Json score = ScoreSummary(ScoreReportJson(*instrument, outcome, std::nullopt));
  KC_ASSIGN_OR_RETURN(
      SqlRows inserted,
      txn.Query("INSERT INTO patient_measures (patient_id, clinic_id, instrument, instrument_version, "
                "administered_at, answers, total, band, result, recorded_at, recorded_by, note, "
                "instrument_settings_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                {patient_id, actor.clinic_id, instrument->key, instrument->version, m.administered_at,
                 AnswersJson(m.answers).dump(), outcome.has_total ? SqlValue(int64_t{outcome.total}) : SqlNull(),
                 outcome.band >= 0 ? SqlValue(instrument->bands[outcome.band].code) : SqlNull(), score.dump(),
                 now_text, recorded_by, m.note,
                 m.instrument_settings_id ? SqlValue(*m.instrument_settings_id) : SqlNull()}));
  const int64_t measure_id = inserted.at(0).Int(0);
  KC_RETURN_IF_ERROR(AppendAuditEvent(
      txn, actor,
      MeasureAudit("measure.record", "measure", measure_id, patient_id,
                   fmt::format("{} #{}", instrument->key, measure_id)),
      now));
  // The alerts, audited one by one (the event names the alert, not its reason).
  for (int a = 0; a < instrument->alert_count; ++a) {
    if (!((outcome.alerts_raised >> a) & 1u)) continue;
    const Alert& alert = instrument->alerts[a];
    KC_ASSIGN_OR_RETURN(
        SqlRows alert_row,
        txn.Query("INSERT INTO measure_alerts (clinic_id, patient_id, measure_id, code, severity, display, "
                  "raised_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {actor.clinic_id, patient_id, measure_id, alert.code, alert.severity, alert.display, now_text}));
    const int64_t alert_id = alert_row.at(0).Int(0);
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        MeasureAudit("measure_alert.raise", "measure_alert", alert_id, patient_id,
                     fmt::format("alert #{} from measure #{}", alert_id, measure_id)),
        now));
  }
  // The clinic's own rules (clinic_alert_rule_service.h), in this transaction too.
  KC_RETURN_IF_ERROR(RaiseClinicRuleAlerts(txn, actor, patient_id, measure_id, m, now));
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query(fmt::format("SELECT {} FROM {} WHERE m.id = ?", kMeasureColumns, kMeasureFrom),
                                {measure_id}));
  Json measure = MeasureJson(rows.at(0));
  KC_ASSIGN_OR_RETURN(SqlRows alerts, txn.Query(AlertSelect("a.measure_id = ? ORDER BY a.id"), {measure_id}));
  for (const SqlRow& row : alerts) measure["alerts"].push_back(AlertJson(row));
  return measure;
}

Result<Json> MeasureService::RecordMeasure(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMeasureWrite,
                                       MeasureAudit("measure.record", "measure", 0, patient_id)));
  const TimePoint now = context_.clock.Now();
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto instrument_name = reader.RequiredString("instrument", {1, 64});
  auto administered_text = reader.OptionalString("administered_at", {1, 40});
  auto note = reader.OptionalString("note", {0, 500});
  reader.Allow("answers");
  KC_RETURN_IF_ERROR(reader.Finish());
  const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(*instrument_name);
  if (!instrument) return InvalidInput("instrument", "'" + *instrument_name + "' is not a known instrument");
  KC_ASSIGN_OR_RETURN(std::vector<int16_t> answers, ReadAnswers(body));
  ScoreOutcome outcome;
  ScoreResponse(*instrument, answers, outcome);
  if (!outcome.ok()) return DescribeScoreProblem(*instrument, outcome, answers.size());
  const std::vector<int16_t> as_entered = answers;
  if (answers.size() == 1 && instrument->item_count > 1) {
    // A licensed scale's total alone: stored in item order like every response.
    answers.resize(instrument->item_count, kNotAnswered);
  }
  std::string administered_at = FormatTimestamp(now);
  if (administered_text) {
    const auto parsed = ParseTimestamp(*administered_text);
    if (!parsed) return InvalidInput("administered_at", "must be a UTC timestamp like 2026-03-10T09:30:00.000Z");
    if (*parsed > now) return InvalidInput("administered_at", "must not be in the future");
    administered_at = FormatTimestamp(*parsed);
  }
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequirePatientInClinic(txn, actor.clinic_id, patient_id));
    // Scored again as the clinic scores it: its settings move cut-offs, never validity.
    KC_ASSIGN_OR_RETURN(ClinicInstrument in_force, InstrumentInForce(txn, actor.clinic_id, *instrument));
    ScoreOutcome clinic_outcome;
    ScoreResponse(in_force.instrument(), as_entered, clinic_outcome);
    if (!clinic_outcome.ok()) return DescribeScoreProblem(in_force.instrument(), clinic_outcome, as_entered.size());
    const ScoredMeasure measure{in_force.instrument(), answers,           clinic_outcome,
                                administered_at,       note.value_or(""), in_force.settings_id()};
    return StoreScoredMeasure(txn, actor, actor.user_id, patient_id, measure, now);
  });
  return AuditedNotFound(context_, actor, "measure.record", patient_id, now, std::move(result));
}

Result<Json> MeasureService::ListMeasures(const Actor& actor, int64_t patient_id, const MeasureQuery& query) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMeasureRead,
                                       MeasureAudit("measure.list", "patient", patient_id, patient_id)));
  const TimePoint now = context_.clock.Now();
  if (query.limit < 1 || query.limit > kMaxMeasurePage) {
    return InvalidInput("limit", fmt::format("must be between 1 and {}", kMaxMeasurePage));
  }
  if (!query.instrument.empty() && !InstrumentCatalog::Builtin().Find(query.instrument)) {
    return InvalidInput("instrument", "'" + query.instrument + "' is not a known instrument");
  }
  const std::string instrument_key =
      query.instrument.empty() ? "" : InstrumentCatalog::Builtin().Find(query.instrument)->key;
  KC_ASSIGN_OR_RETURN(std::optional<MeasureCursor> cursor, ParseMeasureCursor(query.cursor));

  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequirePatientInClinic(txn, actor.clinic_id, patient_id));
    std::string where = "m.patient_id = ? AND m.clinic_id = ?";
    SqlParams params = {patient_id, actor.clinic_id};
    if (!instrument_key.empty()) {
      where += " AND m.instrument = ?";
      params.push_back(instrument_key);
    }
    if (cursor) {
      where += " AND (m.administered_at > ? OR (m.administered_at = ? AND m.id > ?))";
      params.insert(params.end(), {cursor->administered_at, cursor->administered_at, cursor->id});
    }
    params.push_back(int64_t{query.limit + 1});
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query(fmt::format("SELECT {} FROM {} WHERE {} ORDER BY m.administered_at, m.id LIMIT ?",
                              kMeasureColumns, kMeasureFrom, where),
                  params));
    const bool more = rows.size() > static_cast<size_t>(query.limit);
    if (more) rows.pop_back();

    // Each instrument's baseline: the patient's first measure of it.
    std::map<std::string, std::pair<int64_t, std::optional<int64_t>>> baselines;  // key -> (id, total)
    for (const SqlRow& row : rows) {
      const std::string key = row.Text(1);
      if (baselines.count(key)) continue;
      KC_ASSIGN_OR_RETURN(SqlRows first,
                          txn.Query("SELECT id, total FROM patient_measures WHERE patient_id = ? AND instrument = ? "
                                    "ORDER BY administered_at, id LIMIT 1",
                                    {patient_id, key}));
      baselines[key] = {first.at(0).Int(0), first.at(0).OptionalInt(1)};
    }
    // The alerts of the page's measures, in one query.
    std::map<int64_t, Json> alerts_by_measure;
    if (!rows.empty()) {
      int64_t lowest = rows.front().Int(0), highest = lowest;
      for (const SqlRow& row : rows) {
        lowest = std::min(lowest, row.Int(0));
        highest = std::max(highest, row.Int(0));
      }
      KC_ASSIGN_OR_RETURN(
          SqlRows alerts,
          txn.Query(AlertSelect("a.patient_id = ? AND a.clinic_id = ? AND a.measure_id >= ? AND a.measure_id <= ? "
                                "ORDER BY a.id"),
                    {patient_id, actor.clinic_id, lowest, highest}));
      for (const SqlRow& row : alerts) {
        Json alert = AlertJson(row);
        alert.erase("patient");  // the list is the patient's own
        alerts_by_measure[row.Int(2)].push_back(std::move(alert));
      }
    }
    Json items = Json::array();
    std::map<int64_t, std::optional<CompiledInstrument>> with_settings;  // settings row -> instrument
    for (const SqlRow& row : rows) {
      Json measure = MeasureJson(row);
      if (auto it = alerts_by_measure.find(row.Int(0)); it != alerts_by_measure.end()) measure["alerts"] = it->second;
      const auto& [baseline_id, baseline_total] = baselines[row.Text(1)];
      measure["baseline"] = baseline_id == row.Int(0);
      const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(row.Text(1));
      if (instrument && !row.IsNull(11)) {
        // Change is judged by the settings the measure was scored with (a MADRS remission threshold).
        auto it = with_settings.find(row.Int(11));
        if (it == with_settings.end()) {
          auto applied = WithStoredSettings(*instrument, row.Text(13));
          it = with_settings.emplace(row.Int(11), applied.ok() ? std::optional(std::move(applied).value())
                                                                  : std::nullopt).first;
        }
        instrument = it->second ? &*it->second : nullptr;  // settings the data file no longer allows: no change
      }
      if (instrument && instrument->change.defined && baseline_total && !row.IsNull(5) && baseline_id != row.Int(0)) {
        const ChangeAssessment change = AssessChange(*instrument, static_cast<int>(*baseline_total),
                                                     static_cast<int>(row.Int(5)));
        Json change_json = ChangeJson(change);
        change_json["baseline_measure_id"] = baseline_id;
        measure["change"] = std::move(change_json);
      }
      items.push_back(std::move(measure));
    }
    Json page = {{"items", std::move(items)}, {"next_cursor", nullptr}};
    if (more) page["next_cursor"] = rows.back().Text(3) + "/" + std::to_string(rows.back().Int(0));
    return page;
  });
  if (!result.ok()) return AuditedNotFound(context_, actor, "measure.list", patient_id, now, std::move(result));
  KC_RETURN_IF_ERROR(
      RecordReadAudit(context_, actor, MeasureAudit("measure.list", "patient", patient_id, patient_id), now));
  return result;
}

Result<Json> MeasureService::ListAlerts(const Actor& actor, const AlertQuery& query) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMeasureRead,
                                       MeasureAudit("measure_alert.list", "measure_alert", 0, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  if (query.limit < 1 || query.limit > kMaxAlertPage) {
    return InvalidInput("limit", fmt::format("must be between 1 and {}", kMaxAlertPage));
  }
  std::optional<int64_t> before;
  if (!query.cursor.empty()) {
    try {
      size_t used = 0;
      before = std::stoll(query.cursor, &used);
      if (used != query.cursor.size() || *before <= 0) throw std::invalid_argument(query.cursor);
    } catch (const std::exception&) {
      return InvalidInput("cursor", "is not a cursor from this list");
    }
  }
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    std::string where = "a.clinic_id = ?";
    SqlParams params = {actor.clinic_id};
    if (query.open_only) where += " AND k.alert_id IS NULL";
    if (query.mine) {
      where += " AND rc.clinician_id = ?";
      params.push_back(actor.user_id);
    }
    if (before) {
      where += " AND a.id < ?";
      params.push_back(*before);
    }
    params.push_back(int64_t{query.limit + 1});
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(AlertSelect(where + " ORDER BY a.id DESC LIMIT ?"), params));
    const bool more = rows.size() > static_cast<size_t>(query.limit);
    if (more) rows.pop_back();
    Json items = Json::array();
    for (const SqlRow& row : rows) items.push_back(AlertJson(row));
    Json page = {{"items", std::move(items)}, {"next_cursor", nullptr}};
    if (more) page["next_cursor"] = std::to_string(rows.back().Int(0));
    return page;
  });
  if (!result.ok()) return result;
  KC_RETURN_IF_ERROR(RecordReadAudit(
      context_, actor,
      MeasureAudit("measure_alert.list", "measure_alert", 0, std::nullopt,
                   std::string(query.open_only ? "open" : "all") + (query.mine ? " mine" : "")),
      now));
  return result;
}

Result<Json> MeasureService::AcknowledgeAlert(const Actor& actor, int64_t alert_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMeasureAlertAcknowledge,
                                       MeasureAudit("measure_alert.acknowledge", "measure_alert", alert_id,
                                                    std::nullopt)));
  const TimePoint now = context_.clock.Now();
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto note = reader.RequiredString("action_note", {1, 1000});
  KC_RETURN_IF_ERROR(reader.Finish());
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query(AlertSelect("a.id = ? AND a.clinic_id = ?"), {alert_id, actor.clinic_id}));
    if (rows.empty()) return NotFound("no such alert in this clinic");
    if (!rows[0].IsNull(7)) return Conflict("the alert is already acknowledged");
    const int64_t patient_id = rows[0].Int(1);
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO measure_alert_acknowledgements (alert_id, clinic_id, "
                                   "acknowledged_at, acknowledged_by, action_note) VALUES (?, ?, ?, ?, ?)",
                                   {alert_id, actor.clinic_id, FormatTimestamp(now), actor.user_id, *note})
                           .status());
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, MeasureAudit("measure_alert.acknowledge", "measure_alert", alert_id, patient_id), now));
    KC_ASSIGN_OR_RETURN(SqlRows updated,
                        txn.Query(AlertSelect("a.id = ? AND a.clinic_id = ?"), {alert_id, actor.clinic_id}));
    return AlertJson(updated.at(0));
  });
  if (!result.ok() && result.error().code == ErrorCode::kNotFound) {
    AuditEntry failed = MeasureAudit("measure_alert.acknowledge", "measure_alert", alert_id, std::nullopt,
                                     "not found in this clinic");
    failed.outcome = AuditOutcome::kFailed;
    KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor, failed, now));
  }
  return result;
}

}  // namespace ketachart
