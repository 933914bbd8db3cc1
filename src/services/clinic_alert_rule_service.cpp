// Clinic-configured alert rules (see clinic_alert_rule_service.h).
#include "services/clinic_alert_rule_service.h"

#include <fmt/format.h>

#include "clinical/instruments/clinic_alert_rule.h"
#include "clinical/instruments/instrument_catalog.h"
#include "services/audit_trail.h"
#include "services/guard.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

constexpr std::string_view kRuleColumns =
    "r.id, r.instrument, r.kind, r.threshold, r.item, r.severity, r.display, r.replaces, r.created_at, "
    "cu.username, t.retired_at, tu.username, t.reason";

std::string RuleSelect(const std::string& where) {
  return fmt::format(
      "SELECT {} FROM clinic_alert_rules r JOIN users cu ON cu.id = r.created_by "
      "LEFT JOIN clinic_alert_rule_retirements t ON t.rule_id = r.id LEFT JOIN users tu ON tu.id = t.retired_by "
      "WHERE {}",
      kRuleColumns, where);
}

AuditEntry RuleAudit(std::string action, int64_t id, std::string detail = {}) {
  return AuditEntry{std::move(action), "alert_rule", id > 0 ? std::to_string(id) : "", std::nullopt,
                    AuditOutcome::kSuccess, std::move(detail)};
}

std::string AlertCode(int64_t rule_id) { return fmt::format("clinic_rule_{}", rule_id); }

Json RuleJson(const SqlRow& row) {
  Json rule = {{"id", row.Int(0)},
               {"code", AlertCode(row.Int(0))},
               {"instrument", row.Text(1)},
               {"condition", row.Text(2)},
               {"threshold", row.Int(3)},
               {"item", row.IsNull(4) ? Json(nullptr) : Json(row.Text(4))},
               {"severity", row.Text(5)},
               {"display", row.Text(6)},
               {"replaces", row.IsNull(7) ? Json(nullptr) : Json(row.Int(7))},
               {"created_at", row.Text(8)},
               {"created_by", row.Text(9)},
               {"status", row.IsNull(10) ? "active" : "retired"},
               {"retired", nullptr}};
  if (!row.IsNull(10)) rule["retired"] = {{"at", row.Text(10)}, {"by", row.Text(11)}, {"reason", row.Text(12)}};
  return rule;
}

Result<Json> LoadRule(Transaction& txn, int64_t clinic_id, int64_t rule_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(RuleSelect("r.id = ? AND r.clinic_id = ?"), {rule_id, clinic_id}));
  if (rows.empty()) return NotFound("no such alert rule in this clinic");
  return RuleJson(rows[0]);
}

Result<AlertRuleItemRef> ReadItemRef(const Json& body) {
  AlertRuleItemRef ref;
  auto it = body.find("item");
  if (it == body.end() || it->is_null()) return ref;
  if (it->is_string() && !it->get<std::string>().empty() && it->get<std::string>().size() <= 64) {
    ref.link_id = it->get<std::string>();
  } else if (it->is_number_integer() && it->get<int64_t>() >= -1000 && it->get<int64_t>() <= 1000) {
    ref.number = static_cast<int>(it->get<int64_t>());
  } else {
    return InvalidInput("item", "must be an item's linkId or its item number (1 = the first item)");
  }
  return ref;
}

Status InsertRetirement(Transaction& txn, const Actor& actor, int64_t rule_id, const std::string& reason,
                        TimePoint now) {
  KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO clinic_alert_rule_retirements (rule_id, clinic_id, reason, "
                                 "retired_at, retired_by) VALUES (?, ?, ?, ?, ?)",
                                 {rule_id, actor.clinic_id, reason, FormatTimestamp(now), actor.user_id})
                         .status());
  return AppendAuditEvent(txn, actor, RuleAudit("alert_rule.retire", rule_id), now);
}

}  // namespace

Result<Json> ClinicAlertRuleService::ListRules(const Actor& actor, bool include_retired) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMeasureRead, RuleAudit("alert_rule.list", 0)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    std::string where = "r.clinic_id = ?";
    if (!include_retired) where += " AND t.rule_id IS NULL";
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(RuleSelect(where + " ORDER BY r.id DESC"), {actor.clinic_id}));
    Json items = Json::array();
    for (const SqlRow& row : rows) items.push_back(RuleJson(row));
    return Json{{"items", std::move(items)}};
  });
  if (!result.ok()) return result;
  KC_RETURN_IF_ERROR(RecordReadAudit(
      context_, actor, RuleAudit("alert_rule.list", 0, include_retired ? "all" : "active"), now));
  return result;
}

Result<Json> ClinicAlertRuleService::CreateRule(const Actor& actor, const Json& body) {
  KC_RETURN_IF_ERROR(
      RequirePermission(context_, actor, Permission::kProtocolAdmin, RuleAudit("alert_rule.create", 0)));
  const TimePoint now = context_.clock.Now();
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto instrument_name = reader.RequiredString("instrument", {1, 64});
  auto condition_name = reader.RequiredEnum("condition", AlertRuleConditionNames());
  auto threshold = reader.RequiredInteger("threshold", -1000, 1000);
  auto severity = reader.RequiredEnum("severity", {"urgent", "advisory"});
  auto display = reader.RequiredString("display", {1, 200});
  auto replaces = reader.OptionalInteger("replaces", 1, INT64_MAX);
  reader.Allow("item");
  KC_RETURN_IF_ERROR(reader.Finish());
  const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(*instrument_name);
  if (!instrument) return InvalidInput("instrument", "'" + *instrument_name + "' is not a known instrument");
  KC_ASSIGN_OR_RETURN(AlertRuleItemRef item_ref, ReadItemRef(body));
  ClinicAlertRule rule{0,          instrument->key, *ParseAlertRuleCondition(*condition_name), static_cast<int>(*threshold),
                       "",         *severity,       *display};
  KC_RETURN_IF_ERROR(ValidateClinicAlertRule(*instrument, item_ref, rule));

  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    if (replaces) {
      auto replaced = LoadRule(txn, actor.clinic_id, *replaces);
      if (!replaced.ok()) return InvalidInput("replaces", "is not an alert rule of this clinic");
      if (replaced.value()["status"] == "retired") return Conflict("the replaced rule is already retired", "replaces");
    }
    KC_ASSIGN_OR_RETURN(
        SqlRows inserted,
        txn.Query("INSERT INTO clinic_alert_rules (clinic_id, instrument, kind, threshold, item, severity, display, "
                  "replaces, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {actor.clinic_id, rule.instrument, std::string(AlertRuleConditionName(rule.condition)),
                   int64_t{rule.threshold}, rule.item.empty() ? SqlNull() : SqlValue(rule.item), rule.severity,
                   rule.display, replaces ? SqlValue(*replaces) : SqlNull(), FormatTimestamp(now), actor.user_id}));
    const int64_t id = inserted.at(0).Int(0);
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, RuleAudit("alert_rule.create", id, fmt::format("{} {}", rule.instrument, AlertCode(id))), now));
    if (replaces) KC_RETURN_IF_ERROR(InsertRetirement(txn, actor, *replaces, fmt::format("replaced by rule #{}", id), now));
    return LoadRule(txn, actor.clinic_id, id);
  });
}

Result<Json> ClinicAlertRuleService::RetireRule(const Actor& actor, int64_t rule_id, const Json& body) {
  KC_RETURN_IF_ERROR(
      RequirePermission(context_, actor, Permission::kProtocolAdmin, RuleAudit("alert_rule.retire", rule_id)));
  const TimePoint now = context_.clock.Now();
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto reason = reader.RequiredString("reason", {1, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(Json rule, LoadRule(txn, actor.clinic_id, rule_id));
    if (rule["status"] == "retired") return Conflict("the alert rule is already retired");
    KC_RETURN_IF_ERROR(InsertRetirement(txn, actor, rule_id, *reason, now));
    return LoadRule(txn, actor.clinic_id, rule_id);
  });
}

Status RaiseClinicRuleAlerts(Transaction& txn, const Actor& actor, int64_t patient_id, int64_t measure_id,
                             const ScoredMeasure& measure, TimePoint now) {
  const CompiledInstrument& instrument = measure.instrument;
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      txn.Query("SELECT r.id, r.kind, r.threshold, r.item, r.severity, r.display FROM clinic_alert_rules r "
                "LEFT JOIN clinic_alert_rule_retirements t ON t.rule_id = r.id "
                "WHERE r.clinic_id = ? AND r.instrument = ? AND t.rule_id IS NULL ORDER BY r.id",
                {actor.clinic_id, instrument.key}));
  if (rows.empty()) return Status::Ok();
  std::vector<ClinicAlertRule> rules;
  bool wants_previous = false;
  for (const SqlRow& row : rows) {
    const auto condition = ParseAlertRuleCondition(row.Text(1));
    if (!condition) continue;  // the CHECK constraint makes this unreachable
    wants_previous = wants_previous || *condition == AlertRuleCondition::kRiseAtLeast;
    rules.push_back(ClinicAlertRule{row.Int(0), instrument.key, *condition, static_cast<int>(row.Int(2)),
                                    row.IsNull(3) ? "" : row.Text(3), row.Text(4), row.Text(5)});
  }
  std::optional<int> previous_total;
  if (wants_previous && measure.outcome.has_total) {
    KC_ASSIGN_OR_RETURN(
        SqlRows previous,
        txn.Query("SELECT total FROM patient_measures WHERE patient_id = ? AND clinic_id = ? AND instrument = ? "
                  "AND total IS NOT NULL AND id <> ? AND (administered_at < ? OR (administered_at = ? AND id < ?)) "
                  "ORDER BY administered_at DESC, id DESC LIMIT 1",
                  {patient_id, actor.clinic_id, instrument.key, measure_id, measure.administered_at,
                   measure.administered_at, measure_id}));
    if (!previous.empty()) previous_total = static_cast<int>(previous[0].Int(0));
  }
  const std::string now_text = FormatTimestamp(now);
  for (size_t index : FiringClinicAlertRules(instrument, rules, measure.answers, measure.outcome, previous_total)) {
    const ClinicAlertRule& rule = rules[index];
    KC_ASSIGN_OR_RETURN(
        SqlRows alert_row,
        txn.Query("INSERT INTO measure_alerts (clinic_id, patient_id, measure_id, code, severity, display, "
                  "raised_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {actor.clinic_id, patient_id, measure_id, AlertCode(rule.id), rule.severity, rule.display,
                   now_text}));
    const int64_t alert_id = alert_row.at(0).Int(0);
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        AuditEntry{"measure_alert.raise", "measure_alert", std::to_string(alert_id), patient_id,
                   AuditOutcome::kSuccess,
                   fmt::format("alert #{} from measure #{} (clinic rule #{})", alert_id, measure_id, rule.id)},
        now));
  }
  return Status::Ok();
}

}  // namespace ketachart
