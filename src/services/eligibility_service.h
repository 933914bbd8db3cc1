// Eligibility decisions: the engine (clinical/eligibility) evaluates the
// patient's newest intake version against the clinic's active version of a
// protocol, and the decision is stored with both digests and every finding.
// A prescriber overrides each warning with a documented reason (one row per
// warning; hard stops cannot be overridden). A decision is current while no
// newer intake version or protocol version exists; it is cleared when it is
// current, has no hard stop and every warning is overridden. The course
// service asks EligibilityGateFor before a course may dose. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"

#include "base/json_input.h"
#include "base/result.h"
#include "clinical/protocols/protocol.h"
#include "services/actor.h"
#include "services/service_context.h"
#include "store/database.h"

namespace ketachart {

struct EligibilityGate {
  bool cleared = false;
  std::string message;  // why not, naming the rule; empty when cleared
  int64_t decision_id = 0;
};

// The gate for `patient_id` under `protocol` (the clinic's active version).
Result<EligibilityGate> EligibilityGateFor(Transaction& txn, int64_t clinic_id, int64_t patient_id,
                                           const Protocol& protocol);

struct StoredIntake;

// Evaluates `intake` against `protocol`, stores the decision and audits it
// as `audit_action`; returns the decision's id.
Result<int64_t> StoreEligibilityDecision(Transaction& txn, const Actor& actor, int64_t patient_id,
                                         const StoredIntake& intake, const std::shared_ptr<const Protocol>& protocol,
                                         TimePoint now, const std::string& audit_action);
// After a new intake version: a new decision for every protocol the patient
// was evaluated against (the clinic's active version); returns their ids.
// Overrides belong to the decision they were given on, so a re-evaluated
// warning needs a prescriber's override again.
Result<std::vector<int64_t>> ReevaluatePatient(Transaction& txn, const Actor& actor, int64_t patient_id,
                                               TimePoint now);
// After a new protocol version: a new decision for every patient with an
// open course under it (and an intake); returns how many were evaluated.
Result<int64_t> ReevaluateOpenCourses(Transaction& txn, const Actor& actor, const std::string& protocol_id,
                                      TimePoint now);

class EligibilityService {
 public:
  static constexpr int kMaxDecisionsListed = 100;

  explicit EligibilityService(ServiceContext& context) : context_(context) {}

  // Body: {"protocol_id": id}. Evaluates and stores; returns the decision.
  Result<Json> Evaluate(const Actor& actor, int64_t patient_id, const Json& body);
  // {"items": [decision, newest first]}; `protocol_id` empty for every protocol.
  Result<Json> ListDecisions(const Actor& actor, int64_t patient_id, const std::string& protocol_id);
  // Body: {"rule_id", "reason"}: overrides one warning of a current decision.
  Result<Json> OverrideWarning(const Actor& actor, int64_t decision_id, const Json& body);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
