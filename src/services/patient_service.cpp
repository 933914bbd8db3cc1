// Patients (see patient_service.h).
#include "services/patient_service.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "base/json_text.h"
#include "clinical/patient_record.h"
#include "services/audit_trail.h"
#include "services/guard.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

constexpr std::string_view kPatientColumns = "id, clinic_id, mrn, version, document, created_at, updated_at";

// Upper bound for a prefix range: the largest Unicode code point in UTF-8, so
// the bound is valid text in PostgreSQL and sorts after every real suffix.
constexpr std::string_view kPrefixUpperBound = "\xf4\x8f\xbf\xbf";

AuditEntry PatientAudit(std::string action, int64_t patient_id, std::string detail = {}) {
  return AuditEntry{std::move(action), "patient", std::to_string(patient_id), patient_id,
                    AuditOutcome::kSuccess, std::move(detail)};
}

// Probing for ids (e.g. another clinic's patients) leaves a trace: a
// not-found answer is audited as a failed attempt, without a patient id.
template <typename T>
Result<T> AuditedNotFound(ServiceContext& context, const Actor& actor, const std::string& action,
                          int64_t patient_id, TimePoint now, Result<T> result) {
  if (result.ok() || result.error().code != ErrorCode::kNotFound) return result;
  AuditEntry failed = PatientAudit(action, patient_id, "not found in this clinic");
  failed.outcome = AuditOutcome::kFailed;
  failed.patient_id = std::nullopt;
  KC_RETURN_IF_ERROR(RecordReadAudit(context, actor, failed, now));
  return result;
}

Error MrnTaken() { return Conflict("another patient in this clinic already has this MRN", "mrn"); }

// Whether `mrn` belongs to a patient of the clinic other than `except_patient_id`.
Result<bool> MrnInUse(Transaction& txn, int64_t clinic_id, const std::string& mrn, int64_t except_patient_id = 0) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT 1 FROM patients WHERE clinic_id = ? AND mrn = ? AND id <> ?",
                                              {clinic_id, mrn, except_patient_id}));
  return !rows.empty();
}

Status RequirePatientInClinic(Transaction& txn, int64_t clinic_id, int64_t patient_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT 1 FROM patients WHERE id = ? AND clinic_id = ?",
                                              {patient_id, clinic_id}));
  if (rows.empty()) return NotFound("no such patient in this clinic");
  return Status::Ok();
}

Status RecordVersion(Transaction& txn, int64_t patient_id, int64_t version, const Json& document,
                     const std::string& now_text, int64_t user_id, const std::string& reason) {
  return txn
      .Execute("INSERT INTO patient_versions (patient_id, version, document, recorded_at, recorded_by, "
               "change_reason) VALUES (?, ?, ?, ?, ?, ?)",
               {patient_id, version, document.dump(), now_text, user_id, reason})
      .status();
}

// The record's own fields; the stored document supplies the rest of the chart.
Json ChartFieldsFromRow(const SqlRow& row) {
  return {{"id", row.Int(0)},          {"clinic_id", row.Int(1)},     {"mrn", row.Text(2)},
          {"version", row.Int(3)},     {"created_at", row.Text(5)},   {"updated_at", row.Text(6)}};
}

Json MeasurementJson(const SqlRow& row) {
  Json m = {{"id", row.Int(0)}, {"kind", row.Text(1)}, {"measured_on", row.Text(3)},
            {"recorded_at", row.Text(4)}, {"recorded_by", row.Text(5)}, {"note", row.Text(6)}};
  // Stored exactly as integer grams / millimetres.
  if (row.Text(1) == "weight") {
    m["weight_kg"] = static_cast<double>(row.Int(2)) / 1000.0;
  } else {
    m["height_cm"] = static_cast<double>(row.Int(2)) / 10.0;
  }
  return m;
}

// The chart as JSON text: the stored document (canonical JSON written by this
// service) merged with the record's fields and measurements, without parsing
// the document. The document's keys never clash with those fields:
// ValidatePatientDocument refuses unknown fields.
Result<JsonText> LoadChartText(Transaction& txn, int64_t clinic_id, int64_t patient_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query(fmt::format("SELECT {} FROM patients WHERE id = ? AND clinic_id = ?", kPatientColumns),
                                {patient_id, clinic_id}));
  if (rows.empty()) return NotFound("no such patient in this clinic");
  Json chart = ChartFieldsFromRow(rows[0]);
  KC_ASSIGN_OR_RETURN(SqlRows measurements,
                      txn.Query("SELECT m.id, m.kind, m.value, m.measured_on, m.recorded_at, u.username, m.note "
                                "FROM patient_body_measurements m JOIN users u ON u.id = m.recorded_by "
                                "WHERE m.patient_id = ? ORDER BY m.measured_on DESC, m.id DESC LIMIT 200",
                                {patient_id}));
  chart["measurements"] = Json::array();
  chart["latest_weight"] = nullptr;
  chart["latest_height"] = nullptr;
  for (const SqlRow& row : measurements) {
    Json m = MeasurementJson(row);
    if (m["kind"] == "weight" && chart["latest_weight"].is_null()) {
      chart["latest_weight"] = {{"weight_kg", m["weight_kg"]}, {"measured_on", m["measured_on"]}};
    }
    if (m["kind"] == "height" && chart["latest_height"].is_null()) {
      chart["latest_height"] = {{"height_cm", m["height_cm"]}, {"measured_on", m["measured_on"]}};
    }
    chart["measurements"].push_back(std::move(m));
  }
  return MergeJsonObjects(chart.dump(-1, ' ', false, Json::error_handler_t::replace), rows[0].Text(4));
}

Result<Json> LoadChart(Transaction& txn, int64_t clinic_id, int64_t patient_id) {
  KC_ASSIGN_OR_RETURN(JsonText chart, LoadChartText(txn, clinic_id, patient_id));
  return Json::parse(chart.text);
}

// A page cursor is the id of the last patient shown: nothing in it reveals a
// name, since cursors travel in URLs.
Result<int64_t> DecodeCursor(const std::string& cursor) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), id);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || id <= 0) {
    return InvalidInput("cursor", "is not a cursor returned by this list");
  }
  return id;
}

// The latest calendar date anywhere on Earth right now (UTC+14): a clinic in
// Sydney or Auckland records "today" hours before UTC reaches that date.
std::string LatestLocalDate(TimePoint now) { return FormatDate(now + std::chrono::hours(14)); }

// A weight in kg or height in cm as exact integer grams / millimetres.
Result<int64_t> ToExactUnits(double value, double scale, const std::string& field) {
  const double scaled = value * scale;
  const double rounded = std::round(scaled);
  if (std::fabs(scaled - rounded) > 1e-6) {
    return InvalidInput(field, scale == 1000 ? "must have at most 3 decimal places (grams)"
                                             : "must have at most 1 decimal place (millimetres)");
  }
  return static_cast<int64_t>(rounded);
}

}  // namespace

Result<Json> PatientService::RegisterPatient(const Actor& actor, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kPatientWrite,
                                       {"patient.create", "patient", "", std::nullopt}));
  const TimePoint now = context_.clock.Now();
  KC_ASSIGN_OR_RETURN(Json document, ValidatePatientDocument(body, {LatestLocalDate(now)}));
  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    Json doc = document;
    std::string mrn = doc.value("mrn", "");
    if (mrn.empty()) {
      // The clinic's next free MRN: its code and a zero-padded counter, skipping
      // numbers already entered by hand (e.g. carried over from an old system).
      for (int attempt = 0; mrn.empty(); ++attempt) {
        if (attempt == 1000) return Conflict("could not find a free MRN; enter one by hand", "mrn");
        KC_ASSIGN_OR_RETURN(SqlRows clinic, txn.Query("UPDATE clinics SET next_mrn = next_mrn + 1 WHERE id = ? "
                                                      "RETURNING code, next_mrn - 1",
                                                      {actor.clinic_id}));
        if (clinic.empty()) return NotFound("the active clinic no longer exists");
        const std::string candidate = fmt::format("{}-{:06}", clinic[0].Text(0), clinic[0].Int(1));
        KC_ASSIGN_OR_RETURN(bool used, MrnInUse(txn, actor.clinic_id, candidate));
        if (!used) mrn = candidate;
      }
    }
    doc.erase("mrn");
    KC_ASSIGN_OR_RETURN(bool taken, MrnInUse(txn, actor.clinic_id, mrn));
    if (taken) return MrnTaken();
    const std::string family = doc["family_name"], given = doc["given_names"];
    const std::string now_text = FormatTimestamp(now);
    auto inserted = txn.Query(
        "INSERT INTO patients (clinic_id, mrn, family_name, given_names, search_family_first, search_given_first, "
        "birth_date, version, document, created_at, created_by, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?) RETURNING id",
        {actor.clinic_id, mrn, family, given, FamilyFirstKey(family, given), GivenFirstKey(family, given),
         doc["birth_date"].get<std::string>(), doc.dump(), now_text, actor.user_id, now_text, actor.user_id});
    if (!inserted.ok()) {
      if (inserted.error().code == ErrorCode::kConflict) {
        return MrnTaken();
      }
      return inserted.error();
    }
    const int64_t id = inserted.value().at(0).Int(0);
    KC_RETURN_IF_ERROR(RecordVersion(txn, id, 1, doc, now_text, actor.user_id, "registered"));
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor, PatientAudit("patient.create", id), now));
    return LoadChart(txn, actor.clinic_id, id);
  });
}

Result<JsonText> PatientService::ReadChartAlone(const Actor& actor, int64_t patient_id) {
  return context_.database.Run<JsonText>(TransactionMode::kReadOnly, [&](Transaction& txn) {
    return LoadChartText(txn, actor.clinic_id, patient_id);
  });
}

Result<JsonText> PatientService::GetPatient(const Actor& actor, int64_t patient_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kPatientRead,
                                       PatientAudit("patient.read", patient_id)));
  const TimePoint now = context_.clock.Now();
  auto chart = ReadChartAlone(actor, patient_id);
  if (!chart.ok()) return AuditedNotFound(context_, actor, "patient.read", patient_id, now, std::move(chart));
  // The chart leaves the server only once its read is durably audited.
  KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor, PatientAudit("patient.read", patient_id), now));
  return chart;
}

bool PatientService::ReadChartWithoutWaiting(const Actor& actor, int64_t patient_id, ChartDone done) {
  if (!context_.read_audit || !Permitted(actor, Permission::kPatientRead)) return false;
  const TimePoint now = context_.clock.Now();
  auto chart = ReadChartAlone(actor, patient_id);
  if (!chart.ok()) return false;
  // As in GetPatient, the chart is handed on only once its read is durably audited.
  context_.read_audit->Submit(actor, PatientAudit("patient.read", patient_id), now,
                              [chart = std::move(chart).value(), done = std::move(done)](const Status& audited) mutable {
                                if (!audited.ok()) return done(audited.error());
                                done(std::move(chart));
                              });
  return true;
}

namespace {

// One search phase: an index range over one name key (or an exact MRN or
// birth date), in key order, after the cursor's patient when resuming.
struct SearchPhase {
  char tag;                 // 'm' MRN, 'd' birth date, 'f' family-first, 'g' given-first
  std::string order_column;
  std::string condition;    // SQL after "clinic_id = ? AND"
  SqlParams params;
};

Json PatientSummary(const SqlRow& row) {
  Json document = Json::parse(row.Text(5));
  return {{"id", row.Int(0)},          {"mrn", row.Text(1)},
          {"family_name", row.Text(2)}, {"given_names", row.Text(3)},
          {"birth_date", row.Text(4)},  {"sex", document.value("sex", "unknown")}};
}

// "f123": resume the family-first phase after patient 123; "g0": start phase g.
Result<std::pair<char, int64_t>> DecodeSearchCursor(const std::string& cursor) {
  if (cursor.size() < 2 || std::string_view("mdfga").find(cursor[0]) == std::string_view::npos) {
    return InvalidInput("cursor", "is not a cursor returned by this list");
  }
  if (cursor == std::string(1, cursor[0]) + "0") return std::make_pair(cursor[0], int64_t{0});
  KC_ASSIGN_OR_RETURN(int64_t id, DecodeCursor(cursor.substr(1)));
  return std::make_pair(cursor[0], id);
}

}  // namespace

Result<Json> PatientService::SearchPatients(const Actor& actor, const PatientSearch& search) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kPatientRead,
                                       {"patient.search", "patient", "", std::nullopt}));
  if (search.limit < 1 || search.limit > kMaxPageSize) {
    return InvalidInput("limit", fmt::format("must be between 1 and {}", kMaxPageSize));
  }
  if (search.query.size() > 100) return InvalidInput("q", "must be at most 100 characters");
  std::optional<std::pair<char, int64_t>> cursor;
  if (!search.cursor.empty()) {
    KC_ASSIGN_OR_RETURN(cursor, DecodeSearchCursor(search.cursor));
  }
  const TimePoint now = context_.clock.Now();

  // Each phase is one bounded index range scan, so a page costs O(limit)
  // whatever the prefix matches: exact MRN first, then name matches on the
  // family-first key, then on the given-first key (skipping those already
  // listed by family). A date query lists that birth date; no query lists all.
  std::vector<SearchPhase> phases;
  const std::string key = NormaliseNameKey(search.query);
  const std::string upper = key + std::string(kPrefixUpperBound);
  if (IsValidDate(search.query)) {
    phases.push_back({'d', "search_family_first", "birth_date = ?", {search.query}});
  } else if (key.empty()) {
    phases.push_back({'a', "search_family_first", "1 = 1", {}});
  } else {
    phases.push_back({'m', "search_family_first", "mrn = ?", {search.query}});
    phases.push_back({'f', "search_family_first", "search_family_first >= ? AND search_family_first < ?",
                      {key, upper}});
    phases.push_back({'g', "search_given_first",
                      "search_given_first >= ? AND search_given_first < ? AND NOT (search_family_first >= ? AND "
                      "search_family_first < ?) AND mrn <> ?",
                      {key, upper, key, upper, search.query}});
    // An MRN match also listed by name would appear twice.
    phases[1].condition += " AND mrn <> ?";
    phases[1].params.emplace_back(search.query);
  }
  size_t first_phase = 0;
  if (cursor) {
    while (first_phase < phases.size() && phases[first_phase].tag != cursor->first) ++first_phase;
    if (first_phase == phases.size()) return InvalidInput("cursor", "is not a cursor returned by this list");
  }

  auto page = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    Json result = {{"items", Json::array()}, {"next_cursor", nullptr}};
    int remaining = search.limit;
    for (size_t p = first_phase; p < phases.size(); ++p) {
      const SearchPhase& phase = phases[p];
      std::string sql = fmt::format(
          "SELECT id, mrn, family_name, given_names, birth_date, document FROM patients WHERE clinic_id = ? AND {}",
          phase.condition);
      SqlParams params{actor.clinic_id};
      params.insert(params.end(), phase.params.begin(), phase.params.end());
      if (cursor && p == first_phase && cursor->second != 0) {
        KC_ASSIGN_OR_RETURN(SqlRows last, txn.Query(fmt::format("SELECT {} FROM patients WHERE id = ? AND "
                                                                "clinic_id = ?",
                                                                phase.order_column),
                                                    {cursor->second, actor.clinic_id}));
        if (last.empty()) return InvalidInput("cursor", "is not a cursor returned by this list");
        sql += fmt::format(" AND ({0} > ? OR ({0} = ? AND id > ?))", phase.order_column);
        params.insert(params.end(), {last[0].Text(0), last[0].Text(0), cursor->second});
      }
      sql += fmt::format(" ORDER BY {}, id LIMIT ?", phase.order_column);
      params.emplace_back(int64_t{remaining + 1});
      KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(sql, params));
      for (const SqlRow& row : rows) {
        if (remaining == 0) {
          const Json& last = result["items"].back();
          result["next_cursor"] = std::string(1, phase.tag) + std::to_string(last["id"].get<int64_t>());
          return result;
        }
        result["items"].push_back(PatientSummary(row));
        --remaining;
      }
      if (remaining == 0) {
        // The page filled up exactly at the end of this phase: the next page
        // starts at the next phase that has rows ("g0": phase g from its start).
        for (size_t q = p + 1; q < phases.size(); ++q) {
          SqlParams probe{actor.clinic_id};
          probe.insert(probe.end(), phases[q].params.begin(), phases[q].params.end());
          KC_ASSIGN_OR_RETURN(SqlRows any,
                              txn.Query(fmt::format("SELECT id FROM patients WHERE clinic_id = ? AND {} ORDER BY {}, "
                                                    "id LIMIT 1",
                                                    phases[q].condition, phases[q].order_column),
                                        probe));
          if (!any.empty()) {
            result["next_cursor"] = std::string(1, phases[q].tag) + "0";
            break;
          }
        }
        return result;
      }
    }
    return result;
  });
  if (!page.ok()) return page;
  // The search text itself is not audited (it may be patient data); the count is.
  KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor,
                                     {"patient.search", "patient", "", std::nullopt, AuditOutcome::kSuccess,
                                      fmt::format("results={}", page.value()["items"].size())},
                                     now));
  return page;
}

Result<Json> PatientService::UpdatePatient(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kPatientWrite,
                                       PatientAudit("patient.update", patient_id)));
  const TimePoint now = context_.clock.Now();
  PatientRecordRules rules{LatestLocalDate(now)};
  rules.mrn_required = true;
  KC_ASSIGN_OR_RETURN(Json document, ValidatePatientDocument(body, rules, {"version", "change_reason"}));
  JsonObjectReader meta(body);
  auto version = meta.RequiredInteger("version", 1, INT32_MAX);
  auto reason = meta.RequiredString("change_reason", {1, 500});
  for (auto it = body.begin(); it != body.end(); ++it) meta.Allow(it.key());
  KC_RETURN_IF_ERROR(meta.Finish());

  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows current, txn.Query("SELECT version FROM patients WHERE id = ? AND clinic_id = ?",
                                                   {patient_id, actor.clinic_id}));
    if (current.empty()) return NotFound("no such patient in this clinic");
    if (current[0].Int(0) != *version) {
      return Conflict(fmt::format("the record was changed by someone else (now version {}); reload and edit again",
                                  current[0].Int(0)),
                      "version");
    }
    Json doc = document;
    const std::string mrn = doc["mrn"];
    doc.erase("mrn");
    KC_ASSIGN_OR_RETURN(bool taken, MrnInUse(txn, actor.clinic_id, mrn, patient_id));
    if (taken) return MrnTaken();
    const std::string family = doc["family_name"], given = doc["given_names"];
    const std::string now_text = FormatTimestamp(now);
    const int64_t next_version = *version + 1;
    auto updated = txn.Execute(
        "UPDATE patients SET mrn = ?, family_name = ?, given_names = ?, search_family_first = ?, "
        "search_given_first = ?, birth_date = ?, version = ?, document = ?, updated_at = ?, updated_by = ? "
        "WHERE id = ? AND version = ?",
        {mrn, family, given, FamilyFirstKey(family, given), GivenFirstKey(family, given),
         doc["birth_date"].get<std::string>(), next_version, doc.dump(), now_text, actor.user_id, patient_id,
         *version});
    if (!updated.ok()) {
      // Another edit took the same MRN between the check above and this write.
      if (updated.error().code == ErrorCode::kConflict) {
        return MrnTaken();
      }
      return updated.error();
    }
    KC_RETURN_IF_ERROR(RecordVersion(txn, patient_id, next_version, doc, now_text, actor.user_id, *reason));
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, PatientAudit("patient.update", patient_id, fmt::format("version {}", next_version)), now));
    return LoadChart(txn, actor.clinic_id, patient_id);
  });
  return AuditedNotFound(context_, actor, "patient.update", patient_id, now, std::move(result));
}

Result<Json> PatientService::ListVersions(const Actor& actor, int64_t patient_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kPatientRead,
                                       PatientAudit("patient.versions", patient_id)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequirePatientInClinic(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query("SELECT v.version, v.recorded_at, u.username, v.change_reason FROM "
                                  "patient_versions v JOIN users u ON u.id = v.recorded_by WHERE v.patient_id = ? "
                                  "ORDER BY v.version DESC",
                                  {patient_id}));
    Json items = Json::array();
    for (const SqlRow& row : rows) {
      items.push_back({{"version", row.Int(0)}, {"recorded_at", row.Text(1)}, {"recorded_by", row.Text(2)},
                       {"change_reason", row.Text(3)}});
    }
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor, PatientAudit("patient.versions", patient_id), now));
    return Json{{"items", std::move(items)}, {"next_cursor", nullptr}};
  });
  return AuditedNotFound(context_, actor, "patient.versions", patient_id, now, std::move(result));
}

Result<Json> PatientService::GetVersion(const Actor& actor, int64_t patient_id, int64_t version) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kPatientRead,
                                       PatientAudit("patient.read_version", patient_id)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query("SELECT v.document, v.recorded_at, u.username, v.change_reason, p.mrn FROM "
                                  "patient_versions v JOIN patients p ON p.id = v.patient_id JOIN users u ON "
                                  "u.id = v.recorded_by WHERE v.patient_id = ? AND p.clinic_id = ? AND v.version = ?",
                                  {patient_id, actor.clinic_id, version}));
    if (rows.empty()) return NotFound("no such version of this patient's record");
    Json out = Json::parse(rows[0].Text(0));
    out["id"] = patient_id;
    out["version"] = version;
    out["recorded_at"] = rows[0].Text(1);
    out["recorded_by"] = rows[0].Text(2);
    out["change_reason"] = rows[0].Text(3);
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, PatientAudit("patient.read_version", patient_id, fmt::format("version {}", version)), now));
    return out;
  });
  return AuditedNotFound(context_, actor, "patient.read_version", patient_id, now, std::move(result));
}

Result<Json> PatientService::RecordMeasurement(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kPatientWrite,
                                       PatientAudit("patient.measurement", patient_id)));
  const TimePoint now = context_.clock.Now();
  JsonObjectReader reader(body);
  auto kind = reader.RequiredEnum("kind", {"weight", "height"});
  std::optional<double> weight_kg, height_cm;
  if (kind == "weight") {
    // Adults and adolescents treated in ketamine clinics; the pharmacokinetic
    // models accept 20-300 kg, the record accepts a wider plausible range.
    weight_kg = reader.OptionalNumber("weight_kg", 2, 500);
    if (reader.ok() && !weight_kg) reader.Fail(InvalidInput("weight_kg", "is required for a weight"));
  } else if (kind == "height") {
    height_cm = reader.OptionalNumber("height_cm", 30, 272);
    if (reader.ok() && !height_cm) reader.Fail(InvalidInput("height_cm", "is required for a height"));
  }
  auto measured_on = reader.RequiredDate("measured_on");
  auto note = reader.OptionalString("note", {0, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  if (*measured_on > LatestLocalDate(now)) return InvalidInput("measured_on", "must not be in the future");
  int64_t value = 0;
  if (weight_kg) {
    KC_ASSIGN_OR_RETURN(value, ToExactUnits(*weight_kg, 1000, "weight_kg"));
  } else {
    KC_ASSIGN_OR_RETURN(value, ToExactUnits(*height_cm, 10, "height_cm"));
  }
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequirePatientInClinic(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(
        SqlRows inserted,
        txn.Query("INSERT INTO patient_body_measurements (patient_id, clinic_id, kind, value, measured_on, "
                  "recorded_at, recorded_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {patient_id, actor.clinic_id, *kind, value, *measured_on, FormatTimestamp(now), actor.user_id,
                   note.value_or("")}));
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        PatientAudit("patient.measurement", patient_id, fmt::format("{} #{}", *kind, inserted.at(0).Int(0))), now));
    return LoadChart(txn, actor.clinic_id, patient_id);
  });
  return AuditedNotFound(context_, actor, "patient.measurement", patient_id, now, std::move(result));
}

}  // namespace ketachart
