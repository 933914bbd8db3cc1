// Self-report links (see self_report_service.h).
#include "services/self_report_service.h"

#include <fmt/format.h>

#include "base/crypto.h"
#include "clinical/instruments/fhir_resources.h"
#include "clinical/instruments/instrument_catalog.h"
#include "services/audit_trail.h"
#include "services/guard.h"
#include "services/instrument_settings_service.h"
#include "services/measure_store.h"

namespace ketachart {
namespace {

AuditEntry LinkAudit(std::string action, int64_t link_id, std::optional<int64_t> patient_id, std::string detail = {},
                     AuditOutcome outcome = AuditOutcome::kSuccess) {
  return AuditEntry{std::move(action), "self_report_link", link_id > 0 ? std::to_string(link_id) : "", patient_id,
                    outcome, std::move(detail)};
}

struct Link {
  int64_t id = 0;
  int64_t clinic_id = 0;
  int64_t patient_id = 0;
  std::string instrument;
  int64_t created_by = 0;
  std::string expires_at;
  bool used = false;
};

// The usable link for `token`: unknown is kNotFound, used or expired kConflict.
// Why a link cannot be used (the messages patients see).
constexpr const char* kLinkNotValid = "this link is not valid";
constexpr const char* kLinkUsed = "this link was already used";
constexpr const char* kLinkExpired = "this link has expired";

bool IsLinkRefusal(const Error& error) {
  return error.message == kLinkNotValid || error.message == kLinkUsed || error.message == kLinkExpired ||
         error.field == "token";
}

Result<Link> UsableLink(Transaction& txn, const std::string& token, TimePoint now) {
  if (token.empty() || token.size() > 100) return InvalidInput("token", "is not a self-report link");
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT id, clinic_id, patient_id, instrument, created_by, expires_at, "
                                              "used_at FROM self_report_links WHERE token_hash = ?",
                                              {Sha256Hex(token)}));
  if (rows.empty()) return NotFound(kLinkNotValid);
  const SqlRow& row = rows[0];
  Link link{row.Int(0), row.Int(1), row.Int(2), row.Text(3), row.Int(4), row.Text(5), !row.IsNull(6)};
  if (link.used) return Conflict(kLinkUsed);
  if (row.Text(5) <= FormatTimestamp(now)) return Conflict(kLinkExpired);
  return link;
}

Actor PatientLinkActor(const Link& link, const std::string& client_address) {
  return Actor{0, fmt::format("patient-link:{}", link.id), link.clinic_id, {}, client_address};
}

// A refused link (unknown, used, expired) leaves a failed attempt in the
// audit trail, naming the link and patient when the token matches one, so
// guessing or replaying links is visible. Returns `refusal`. The token itself
// is never recorded.
Error AuditRefusedLink(Database& database, const std::string& token, const std::string& client_address,
                       const std::string& action, const Error& refusal, TimePoint now) {
  std::optional<Link> known;
  if (!token.empty() && token.size() <= 100) {
    auto rows = database.Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
      return txn.Query("SELECT id, clinic_id, patient_id, instrument, created_by, expires_at, used_at FROM "
                       "self_report_links WHERE token_hash = ?",
                       {Sha256Hex(token)});
    });
    if (rows.ok() && !rows.value().empty()) {
      const SqlRow& row = rows.value()[0];
      known = Link{row.Int(0), row.Int(1), row.Int(2), row.Text(3), row.Int(4), row.Text(5), !row.IsNull(6)};
    }
  }
  const Actor actor = known ? PatientLinkActor(*known, client_address)
                            : Actor{0, "anonymous", 0, {}, client_address};
  (void)RecordAuditEventAlone(database, actor,
                              LinkAudit(action, known ? known->id : 0,
                                        known ? std::optional<int64_t>(known->patient_id) : std::nullopt,
                                        refusal.message, AuditOutcome::kFailed),
                              now);
  return refusal;
}

}  // namespace

Result<Json> SelfReportService::CreateLink(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMeasureWrite,
                                       LinkAudit("self_report.create_link", 0, patient_id)));
  const TimePoint now = context_.clock.Now();
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto name = reader.RequiredString("instrument", {1, 64});
  auto hours = reader.OptionalInteger("expires_in_hours", 1, kMaxHours);
  KC_RETURN_IF_ERROR(reader.Finish());
  const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(*name);
  if (!instrument) return InvalidInput("instrument", "'" + *name + "' is not a known instrument");
  if (instrument->kind != InstrumentKind::kSelfReport) {
    return InvalidInput("instrument", instrument->key + " is not a self-report instrument");
  }
  if (!instrument->item_text_shipped) {
    return InvalidInput("instrument", instrument->key + " ships no item text to show a patient (see docs/measures.md)");
  }
  const std::string token = RandomToken(32);
  const std::string expires_at = FormatTimestamp(now + std::chrono::hours(hours.value_or(kDefaultHours)));
  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows patient, txn.Query("SELECT 1 FROM patients WHERE id = ? AND clinic_id = ?",
                                                   {patient_id, actor.clinic_id}));
    if (patient.empty()) return NotFound("no such patient in this clinic");
    KC_ASSIGN_OR_RETURN(
        SqlRows inserted,
        txn.Query("INSERT INTO self_report_links (clinic_id, patient_id, instrument, token_hash, created_at, "
                  "created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {actor.clinic_id, patient_id, instrument->key, Sha256Hex(token), FormatTimestamp(now),
                   actor.user_id, expires_at}));
    const int64_t id = inserted.at(0).Int(0);
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        LinkAudit("self_report.create_link", id, patient_id, instrument->key), now));
    return Json{{"id", id}, {"token", token}, {"instrument", instrument->key}, {"expires_at", expires_at}};
  });
}

Result<Json> SelfReportService::OpenForm(const std::string& token, const std::string& client_address) {
  const TimePoint now = context_.clock.Now();
  auto link = context_.database.Run<Link>(TransactionMode::kReadOnly,
                                          [&](Transaction& txn) { return UsableLink(txn, token, now); });
  if (!link.ok()) {
    if (!IsLinkRefusal(link.error())) return link.error();
    return AuditRefusedLink(context_.database, token, client_address, "self_report.open", link.error(), now);
  }
  const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(link->instrument);
  if (!instrument) return Internal("self-report link for an instrument no longer shipped");
  KC_RETURN_IF_ERROR(RecordAuditEventAlone(context_.database, PatientLinkActor(*link, client_address),
                                           LinkAudit("self_report.open", link->id, link->patient_id), now));
  return Json{{"instrument", instrument->key},
              {"title", instrument->title},
              {"questionnaire", QuestionnaireResource(*instrument)},
              {"expires_at", link->expires_at}};
}

Result<Json> SelfReportService::Submit(const Json& body, const std::string& client_address) {
  const TimePoint now = context_.clock.Now();
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto token = reader.RequiredString("token", {1, 100});
  reader.Allow("answers");
  KC_RETURN_IF_ERROR(reader.Finish());
  auto stored = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(Link link, UsableLink(txn, *token, now));
    const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(link.instrument);
    if (!instrument) return Internal("self-report link for an instrument no longer shipped");
    auto it = body.find("answers");
    if (it == body.end() || !it->is_array() || it->size() > kMaxInstrumentItems) {
      return InvalidInput("answers", "is required: an array of item values");
    }
    std::vector<int16_t> answers;
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& v = (*it)[i];
      if (v.is_null()) {
        answers.push_back(kNotAnswered);
      } else if (v.is_number_integer() && v.get<int64_t>() >= -1000 && v.get<int64_t>() <= 1000) {
        answers.push_back(static_cast<int16_t>(v.get<int64_t>()));
      } else {
        return InvalidInput("answers[" + std::to_string(i) + "]", "must be a whole number or null");
      }
    }
    // Scored as the link's clinic scores it (its instrument settings in force).
    KC_ASSIGN_OR_RETURN(ClinicInstrument in_force, InstrumentInForce(txn, link.clinic_id, *instrument));
    ScoreOutcome outcome;
    ScoreResponse(in_force.instrument(), answers, outcome);
    if (!outcome.ok()) return DescribeScoreProblem(in_force.instrument(), outcome, answers.size());
    const Actor patient = PatientLinkActor(link, client_address);
    const ScoredMeasure measure{in_force.instrument(),
                                answers,
                                outcome,
                                FormatTimestamp(now),
                                fmt::format("self-report through link #{}", link.id),
                                in_force.settings_id()};
    KC_ASSIGN_OR_RETURN(Json saved, StoreScoredMeasure(txn, patient, link.created_by, link.patient_id, measure, now));
    KC_ASSIGN_OR_RETURN(int64_t changed,
                        txn.Execute("UPDATE self_report_links SET used_at = ?, measure_id = ? WHERE id = ? AND "
                                    "used_at IS NULL",
                                    {FormatTimestamp(now), saved["id"].get<int64_t>(), link.id}));
    if (changed != 1) return Conflict(kLinkUsed);
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, patient, LinkAudit("self_report.submit", link.id, link.patient_id), now));
    return Json{{"received", true}};
  });
  if (!stored.ok() && IsLinkRefusal(stored.error())) {
    return AuditRefusedLink(context_.database, *token, client_address, "self_report.submit", stored.error(), now);
  }
  return stored;
}

}  // namespace ketachart
