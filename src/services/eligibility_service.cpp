// Stored eligibility decisions and overrides (see eligibility_service.h).
#include "services/eligibility_service.h"

#include <fmt/format.h>

#include <map>

#include "clinical/eligibility/eligibility.h"
#include "clinical/intake/intake.h"
#include "services/course_records.h"
#include "services/guard.h"
#include "services/intake_service.h"
#include "services/protocol_store.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

constexpr std::string_view kDecisionColumns =
    "d.id, d.patient_id, d.intake_id, d.protocol_id, d.protocol_version, d.protocol_digest, d.intake_digest, "
    "d.fingerprint, d.outcome, d.findings, d.decided_at, u.username, i.version";

std::string DecisionSelect(const std::string& where) {
  return fmt::format(
      "SELECT {} FROM eligibility_decisions d JOIN users u ON u.id = d.decided_by "
      "JOIN patient_intakes i ON i.id = d.intake_id WHERE {}",
      kDecisionColumns, where);
}

// What a decision is judged against: the patient's newest intake and the
// clinic's active protocol versions (looked up once per protocol).
class DecisionContext {
 public:
  DecisionContext(Transaction& txn, int64_t clinic_id, int64_t patient_id)
      : txn_(txn), clinic_id_(clinic_id), patient_id_(patient_id) {}

  Result<Json> ToJson(const SqlRow& row) {
    if (!latest_loaded_) {
      KC_ASSIGN_OR_RETURN(latest_intake_, LatestIntake(txn_, clinic_id_, patient_id_));
      latest_loaded_ = true;
    }
    const std::string protocol_id = row.Text(3);
    if (!active_.count(protocol_id)) {
      KC_ASSIGN_OR_RETURN(ClinicProtocol active, ActiveProtocol(txn_, clinic_id_, protocol_id));
      active_[protocol_id] = active.protocol;
    }
    const Protocol& protocol = *active_[protocol_id];
    KC_ASSIGN_OR_RETURN(SqlRows overrides,
                        txn_.Query("SELECT o.rule_id, o.reason, o.overridden_at, u.username FROM "
                                   "eligibility_overrides o JOIN users u ON u.id = o.overridden_by "
                                   "WHERE o.decision_id = ? ORDER BY o.id",
                                   {row.Int(0)}));
    std::map<std::string, Json> override_by_rule;
    for (const SqlRow& o : overrides) {
      override_by_rule[o.Text(0)] = {{"reason", o.Text(1)}, {"at", o.Text(2)}, {"by", o.Text(3)}};
    }
    Json findings = Json::parse(row.Text(9));
    bool hard_stop = false, open_warning = false;
    std::string first_hard_stop, first_open_warning;
    for (Json& finding : findings) {
      const std::string rule_id = finding.value("rule_id", "");
      auto it = override_by_rule.find(rule_id);
      finding["override"] = it == override_by_rule.end() ? Json(nullptr) : it->second;
      const std::string severity = finding.value("severity", "");
      if (severity == "hard_stop" && !hard_stop) {
        hard_stop = true;
        first_hard_stop = finding.value("message", rule_id);
      }
      if (severity == "warning" && it == override_by_rule.end() && !open_warning) {
        open_warning = true;
        first_open_warning = rule_id;
      }
    }
    const int64_t version = row.Int(4);
    Json stale_reason = nullptr;
    if (!latest_intake_ || latest_intake_->id != row.Int(2)) {
      stale_reason = fmt::format("intake v{} was recorded after this decision",
                                 latest_intake_ ? latest_intake_->version : 0);
    } else if (protocol.version != version || protocol.digest != row.Text(5)) {
      stale_reason = fmt::format("{} is now at version {}", protocol.title, protocol.version);
    }
    const bool current = stale_reason.is_null();
    std::string gate_message;
    const std::string name = fmt::format("{} v{}", protocol.title, version);
    if (!current) {
      gate_message = fmt::format("eligibility decision #{} for {} is out of date: {}; evaluate again", row.Int(0),
                                 name, stale_reason.get<std::string>());
    } else if (hard_stop) {
      gate_message = fmt::format("not eligible for {}: {}", name, first_hard_stop);
    } else if (open_warning) {
      gate_message = fmt::format("eligibility for {}: warning {} needs a prescriber's override with a reason", name,
                                 first_open_warning);
    }
    return Json{{"id", row.Int(0)},
                {"patient_id", row.Int(1)},
                {"intake_id", row.Int(2)},
                {"intake_version", row.Int(12)},
                {"protocol_id", protocol_id},
                {"protocol_version", version},
                {"protocol_title", protocol.title},
                {"protocol_digest", row.Text(5)},
                {"intake_digest", row.Text(6)},
                {"fingerprint", row.Text(7)},
                {"outcome", row.Text(8)},
                {"decided_at", row.Text(10)},
                {"decided_by", row.Text(11)},
                {"findings", std::move(findings)},
                {"current", current},
                {"stale_reason", stale_reason},
                {"cleared", gate_message.empty()},
                {"gate_message", gate_message.empty() ? Json(nullptr) : Json(gate_message)}};
  }

 private:
  Transaction& txn_;
  int64_t clinic_id_;
  int64_t patient_id_;
  bool latest_loaded_ = false;
  std::optional<StoredIntake> latest_intake_;
  std::map<std::string, std::shared_ptr<const Protocol>> active_;
};

}  // namespace

Result<int64_t> StoreEligibilityDecision(Transaction& txn, const Actor& actor, int64_t patient_id,
                                         const StoredIntake& intake_row, const std::shared_ptr<const Protocol>& protocol,
                                         TimePoint now, const std::string& audit_action) {
  KC_ASSIGN_OR_RETURN(Intake intake, ReadIntake(Json::parse(intake_row.document)));
  const EligibilityDecision decision = EvaluateEligibility(protocol, intake);
  const Json decision_json = EligibilityDecisionToJson(decision);
  KC_ASSIGN_OR_RETURN(
      SqlRows inserted,
      txn.Query("INSERT INTO eligibility_decisions (clinic_id, patient_id, intake_id, protocol_id, "
                "protocol_version, protocol_digest, intake_digest, fingerprint, outcome, findings, decided_at, "
                "decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                {actor.clinic_id, patient_id, intake_row.id, decision.protocol->id, decision.protocol->version,
                 decision.protocol->digest, std::string(decision.IntakeDigest()), decision.Fingerprint(),
                 std::string(EligibilityOutcomeName(decision.outcome)), decision_json["findings"].dump(),
                 FormatTimestamp(now), actor.user_id}));
  const int64_t id = inserted.at(0).Int(0);
  KC_RETURN_IF_ERROR(AppendAuditEvent(
      txn, actor,
      CourseAudit(audit_action, "eligibility_decision", id, patient_id,
                  fmt::format("{} v{}: {}", decision.protocol->id, decision.protocol->version,
                              EligibilityOutcomeName(decision.outcome))),
      now));
  return id;
}

Result<std::vector<int64_t>> ReevaluatePatient(Transaction& txn, const Actor& actor, int64_t patient_id,
                                               TimePoint now) {
  std::vector<int64_t> ids;
  KC_ASSIGN_OR_RETURN(std::optional<StoredIntake> latest, LatestIntake(txn, actor.clinic_id, patient_id));
  if (!latest) return ids;
  KC_ASSIGN_OR_RETURN(SqlRows protocols,
                      txn.Query("SELECT DISTINCT protocol_id FROM eligibility_decisions WHERE patient_id = ? AND "
                                "clinic_id = ? ORDER BY protocol_id",
                                {patient_id, actor.clinic_id}));
  for (const SqlRow& row : protocols) {
    auto active = ActiveProtocol(txn, actor.clinic_id, row.Text(0));
    if (!active.ok()) continue;  // a protocol the clinic no longer has cannot be evaluated
    KC_ASSIGN_OR_RETURN(int64_t id, StoreEligibilityDecision(txn, actor, patient_id, *latest, active.value().protocol,
                                                             now, "eligibility.reevaluate"));
    ids.push_back(id);
  }
  return ids;
}

Result<int64_t> ReevaluateOpenCourses(Transaction& txn, const Actor& actor, const std::string& protocol_id,
                                      TimePoint now) {
  KC_ASSIGN_OR_RETURN(ClinicProtocol active, ActiveProtocol(txn, actor.clinic_id, protocol_id));
  KC_ASSIGN_OR_RETURN(
      SqlRows patients,
      txn.Query("SELECT DISTINCT c.patient_id FROM treatment_courses c WHERE c.clinic_id = ? AND c.protocol_id = ? "
                "AND (SELECT t.to_state FROM course_transitions t WHERE t.course_id = c.id ORDER BY t.sequence DESC "
                "LIMIT 1) <> 'discontinued' ORDER BY c.patient_id",
                {actor.clinic_id, protocol_id}));
  int64_t count = 0;
  for (const SqlRow& row : patients) {
    KC_ASSIGN_OR_RETURN(std::optional<StoredIntake> latest, LatestIntake(txn, actor.clinic_id, row.Int(0)));
    if (!latest) continue;
    KC_RETURN_IF_ERROR(StoreEligibilityDecision(txn, actor, row.Int(0), *latest, active.protocol, now,
                                                "eligibility.reevaluate")
                           .status());
    ++count;
  }
  return count;
}

Result<EligibilityGate> EligibilityGateFor(Transaction& txn, int64_t clinic_id, int64_t patient_id,
                                           const Protocol& protocol) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query(DecisionSelect("d.patient_id = ? AND d.clinic_id = ? AND d.protocol_id = ? "
                                               "ORDER BY d.id DESC LIMIT 1"),
                                {patient_id, clinic_id, protocol.id}));
  if (rows.empty()) {
    return EligibilityGate{false,
                           fmt::format("eligibility for {} v{} has not been evaluated", protocol.title,
                                       protocol.version),
                           0};
  }
  DecisionContext decisions(txn, clinic_id, patient_id);
  KC_ASSIGN_OR_RETURN(Json decision, decisions.ToJson(rows[0]));
  return EligibilityGate{decision["cleared"].get<bool>(),
                         decision["gate_message"].is_null() ? "" : decision["gate_message"].get<std::string>(),
                         rows[0].Int(0)};
}

Result<Json> EligibilityService::Evaluate(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kIntakeWrite,
                                       CourseAudit("eligibility.evaluate", "eligibility_decision", 0, patient_id)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto protocol_id = reader.RequiredString("protocol_id", {1, 100});
  KC_RETURN_IF_ERROR(reader.Finish());
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    auto active = ActiveProtocol(txn, actor.clinic_id, *protocol_id);
    if (!active.ok()) return InvalidInput("protocol_id", active.error().message);
    KC_ASSIGN_OR_RETURN(std::optional<StoredIntake> latest, LatestIntake(txn, actor.clinic_id, patient_id));
    if (!latest) return Conflict("record the patient's intake before evaluating eligibility", "intake");
    KC_ASSIGN_OR_RETURN(int64_t id, StoreEligibilityDecision(txn, actor, patient_id, *latest,
                                                             active.value().protocol, now, "eligibility.evaluate"));
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(DecisionSelect("d.id = ?"), {id}));
    DecisionContext decisions(txn, actor.clinic_id, patient_id);
    return decisions.ToJson(rows.at(0));
  });
  return AuditNotFound(context_, actor, "eligibility.evaluate", "patient", patient_id, now, std::move(result));
}

Result<Json> EligibilityService::ListDecisions(const Actor& actor, int64_t patient_id,
                                               const std::string& protocol_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kCourseRead,
                                       CourseAudit("eligibility.list", "patient", patient_id, patient_id)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    std::string where = "d.patient_id = ? AND d.clinic_id = ?";
    SqlParams params = {patient_id, actor.clinic_id};
    if (!protocol_id.empty()) {
      where += " AND d.protocol_id = ?";
      params.push_back(protocol_id);
    }
    params.push_back(int64_t{kMaxDecisionsListed});
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(DecisionSelect(where + " ORDER BY d.id DESC LIMIT ?"), params));
    DecisionContext decisions(txn, actor.clinic_id, patient_id);
    Json items = Json::array();
    for (const SqlRow& row : rows) {
      KC_ASSIGN_OR_RETURN(Json decision, decisions.ToJson(row));
      items.push_back(std::move(decision));
    }
    return Json{{"items", std::move(items)}};
  });
  if (!result.ok()) {
    return AuditNotFound(context_, actor, "eligibility.list", "patient", patient_id, now, std::move(result));
  }
  KC_RETURN_IF_ERROR(
      RecordReadAudit(context_, actor, CourseAudit("eligibility.list", "patient", patient_id, patient_id), now));
  return result;
}

Result<Json> EligibilityService::OverrideWarning(const Actor& actor, int64_t decision_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(
      context_, actor, Permission::kEligibilityOverride,
      CourseAudit("eligibility.override", "eligibility_decision", decision_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto rule_id = reader.RequiredString("rule_id", {1, 100});
  auto reason = reader.RequiredString("reason", {1, 1000});
  KC_RETURN_IF_ERROR(reader.Finish());
  if (reason->find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidInput("reason", "must say why the warning is overridden");
  }
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query(DecisionSelect("d.id = ? AND d.clinic_id = ?"), {decision_id, actor.clinic_id}));
    if (rows.empty()) return NotFound("no such eligibility decision in this clinic");
    const int64_t patient_id = rows[0].Int(1);
    DecisionContext decisions(txn, actor.clinic_id, patient_id);
    KC_ASSIGN_OR_RETURN(Json decision, decisions.ToJson(rows[0]));
    const Json* finding = nullptr;
    for (const Json& f : decision["findings"]) {
      if (f.value("rule_id", "") == *rule_id) finding = &f;
    }
    if (!finding) return InvalidInput("rule_id", "'" + *rule_id + "' is not a finding of this decision");
    const std::string severity = finding->value("severity", "");
    if (severity == "hard_stop") {
      return Conflict("rule " + *rule_id + " is a hard stop (an absolute contraindication) and cannot be overridden",
                      "rule_id");
    }
    if (severity != "warning") return Conflict("rule " + *rule_id + " is information only; nothing to override", "rule_id");
    if (!(*finding)["override"].is_null()) return Conflict("rule " + *rule_id + " is already overridden", "rule_id");
    if (!decision["current"].get<bool>()) {
      return Conflict("the decision is out of date (" + decision["stale_reason"].get<std::string>() +
                      "); evaluate again before overriding");
    }
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO eligibility_overrides (clinic_id, decision_id, rule_id, reason, "
                                   "overridden_at, overridden_by) VALUES (?, ?, ?, ?, ?, ?)",
                                   {actor.clinic_id, decision_id, *rule_id, *reason, FormatTimestamp(now),
                                    actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        CourseAudit("eligibility.override", "eligibility_decision", decision_id,
                                                    patient_id, "rule " + *rule_id),
                                        now));
    DecisionContext fresh(txn, actor.clinic_id, patient_id);
    return fresh.ToJson(rows[0]);
  });
  return AuditNotFound(context_, actor, "eligibility.override", "eligibility_decision", decision_id, now,
                       std::move(result));
}

}  // namespace ketachart
