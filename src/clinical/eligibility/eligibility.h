// The eligibility engine: evaluates a patient's intake against one protocol
// version and returns findings, each with its severity, the rule that fired,
// a message naming the rule and protocol, and the rule's source. Absolute
// contraindications are hard stops; relative ones and drug interactions are
// warnings a prescriber may override with a documented reason (overrides are
// stored by the service layer, not here); info findings inform only.
//
// Pure: no I/O, no clock, no JSON. The protocol's rules were compiled to masks
// and integer limits when it was loaded, and the intake's facts were derived
// when it was read, so evaluation compares integers and allocates only the
// findings' messages. The decision keeps the protocol alive (shared_ptr) and
// carries both digests, so a stored decision can be re-evaluated when either
// the intake or the protocol changes. Thread-safe for concurrent callers.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_input.h"
#include "clinical/intake/intake.h"
#include "clinical/protocols/protocol.h"

namespace ketachart {

struct EligibilityFinding {
  FindingSeverity severity = FindingSeverity::kWarning;
  const EligibilityRule* rule = nullptr;  // owned by the decision's protocol
  std::string message;  // e.g. "uncontrolled hypertension: baseline 182/104 mmHg exceeds 180/100
                        // (protocol ..., rule ...)"
  // A warning needs a prescriber's override with a reason before dosing.
  bool needs_override() const { return severity == FindingSeverity::kWarning; }
};

enum class EligibilityOutcome : uint8_t { kEligible, kEligibleWithWarnings, kNotEligible };
std::string_view EligibilityOutcomeName(EligibilityOutcome outcome);

struct EligibilityDecision {
  EligibilityOutcome outcome = EligibilityOutcome::kEligible;
  std::vector<EligibilityFinding> findings;  // in the protocol's rule order
  std::shared_ptr<const Protocol> protocol;
  // SHA-256 (hex) of the evaluated intake, copied without allocating.
  std::array<char, 64> intake_digest{};
  std::string_view IntakeDigest() const { return {intake_digest.data(), intake_digest.size()}; }
  // "<protocol id>@<version>:<protocol digest>+<intake digest>": equal when
  // the same intake was evaluated against the same protocol text.
  std::string Fingerprint() const;
};

// Evaluates `intake` against `protocol` (must not be null).
EligibilityDecision EvaluateEligibility(std::shared_ptr<const Protocol> protocol,
                                        const Intake& intake);
// Same, reusing `decision`'s storage (the benchmark and batch re-evaluation use it).
void EvaluateEligibilityInto(const std::shared_ptr<const Protocol>& protocol, const Intake& intake,
                             EligibilityDecision& decision);

// The decision as JSON for the CLI and API: outcome, fingerprint, findings
// with rule id, severity, message, source citation and the unconfirmed flag.
Json EligibilityDecisionToJson(const EligibilityDecision& decision);

}  // namespace ketachart
