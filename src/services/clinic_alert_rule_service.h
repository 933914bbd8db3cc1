// A clinic's own alert rules (issue 3) and the alerts they raise. Admins
// (protocol.admin) create and retire rules; staff who read measures list them.
// A rule is never changed or deleted: retiring adds a row, and a new version
// names the rule it replaces (which it retires in the same transaction).
// RaiseClinicRuleAlerts evaluates the clinic's active rules for a measure
// inside StoreScoredMeasure's transaction, so a rule's alert is an ordinary
// measure_alerts row (code "clinic_rule_<id>") raised with the measure and
// audited with it. Every call checks permission first and audits itself.
// Thread-safe.
#pragma once

#include "base/result.h"
#include "services/actor.h"
#include "services/measure_store.h"
#include "services/service_context.h"

namespace ketachart {

class ClinicAlertRuleService {
 public:
  explicit ClinicAlertRuleService(ServiceContext& context) : context_(context) {}

  // {"items": [rule...]} newest first; active ones only unless `include_retired`.
  Result<Json> ListRules(const Actor& actor, bool include_retired);
  // Body: {"instrument", "condition": total_at_least|total_at_most|item_at_least|
  // rise_at_least, "threshold": int, "item": linkId|item number (item_at_least
  // only), "severity": urgent|advisory, "display", "replaces": rule id}.
  Result<Json> CreateRule(const Actor& actor, const Json& body);
  // Body: {"reason"}. A retired rule is a conflict.
  Result<Json> RetireRule(const Actor& actor, int64_t rule_id, const Json& body);

 private:
  ServiceContext& context_;
};

// Raises one measure_alerts row (and one measure_alert.raise event) per active
// rule of `actor.clinic_id` that fires for `measure` (stored as `measure_id`).
// The previous total is the patient's latest earlier measure of the
// instrument (by administered_at) that has one.
Status RaiseClinicRuleAlerts(Transaction& txn, const Actor& actor, int64_t patient_id, int64_t measure_id,
                             const ScoredMeasure& measure, TimePoint now);

}  // namespace ketachart
