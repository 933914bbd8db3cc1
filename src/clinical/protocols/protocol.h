// A treatment protocol (IV ketamine, IM ketamine, oral/sublingual KAP,
// intranasal esketamine) as a versioned, cited document: dosing, preparation,
// pre-dose checks and limits, monitoring intervals and alarm thresholds,
// discharge criteria, after-care, and eligibility rules. The documents live in
// data/protocols/*.json (embedded in the binary); admins will edit them and
// every edit must pass LoadProtocolDocument, the one strict loader.
//
// Strictness: unknown fields, wrong types and bad vocabulary are errors that
// name the JSON path (e.g. "eligibility[3].diazepam_equivalent_above.source").
// A number can only appear as a quantity's "value" (besides schema_version and
// version) and every quantity, item and rule must name a source listed in
// "sources", so no number is uncited. A quantity may leave "value" out only
// when it is flagged "unconfirmed" (the clinic must set it). Eligibility rules
// are compiled at load time to masks and integer limits so evaluation needs no
// JSON. A loaded Protocol is immutable and safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_input.h"
#include "base/result.h"

namespace ketachart {

inline constexpr int kProtocolSchemaVersion = 1;

struct ProtocolSource {
  std::string key;
  std::string citation;   // the publication or page
  std::string reference;  // where clinical-reference.md lists it, e.g. "clinical-reference.md C3"
};

// A cited number. `value` is empty only for an unconfirmed value the clinic must set.
struct ProtocolQuantity {
  std::string id;
  std::string label;
  std::optional<double> value;
  std::string unit;
  std::string source;
  bool unconfirmed = false;
  std::string note;
};

// A cited instruction, with any numbers it uses as quantities.
struct ProtocolItem {
  std::string id;
  std::string text;
  std::string source;
  bool unconfirmed = false;
  std::vector<ProtocolQuantity> quantities;
};

enum class FindingSeverity : uint8_t { kHardStop, kWarning, kInfo };
std::string_view FindingSeverityName(FindingSeverity severity);

enum class RuleTrigger : uint8_t {
  kConditionAny,                // any listed history condition recorded
  kHypersensitivityAny,         // an allergy in a listed category
  kMedicationClassAny,          // a current medication in a listed class
  kDiazepamEquivalentAbove,     // benzodiazepines' summed diazepam-equivalent above a limit
  kBaselineBloodPressureAbove,  // baseline systolic or diastolic above its limit
  kSubstanceUseAny,             // a listed substance with a listed pattern of use
  kAgeAtLeast,                  // age at or above a limit
  kMissingIntake,               // a listed intake field not recorded
};

// One eligibility rule, compiled: the masks index the vocabularies in
// clinical/intake/intake_vocabulary.h; limits are integers in the named unit.
struct EligibilityRule {
  std::string id;
  FindingSeverity severity = FindingSeverity::kWarning;
  std::string message;
  std::string source;    // key into Protocol::sources
  std::string citation;  // that source's citation, resolved at load
  bool unconfirmed = false;
  std::string note;
  RuleTrigger trigger = RuleTrigger::kConditionAny;
  uint64_t mask = 0;          // conditions, classes, categories, substances or intake fields
  uint64_t pattern_mask = 0;  // substance-use patterns (kSubstanceUseAny)
  int64_t systolic_limit_mmhg = 0;
  int64_t diastolic_limit_mmhg = 0;
  int64_t diazepam_equivalent_limit_ug_per_day = 0;
  int64_t age_limit_years = 0;
  std::vector<ProtocolQuantity> quantities;  // the cited limits, for display
};

struct Protocol {
  int schema_version = kProtocolSchemaVersion;
  std::string id;
  int64_t version = 0;
  std::string title;
  std::string drug;   // racemic_ketamine | esketamine
  std::string route;  // intravenous | intramuscular | oral_sublingual | intranasal
  std::string summary;
  std::vector<ProtocolSource> sources;
  std::vector<ProtocolQuantity> dosing_parameters;
  std::vector<ProtocolItem> dosing_schedule;
  std::vector<ProtocolItem> preparation;
  std::vector<ProtocolItem> pre_dose_checks;
  std::vector<ProtocolQuantity> pre_dose_limits;
  std::vector<ProtocolQuantity> monitoring_intervals;
  std::vector<ProtocolItem> monitoring_instructions;
  std::vector<ProtocolQuantity> alarm_thresholds;
  std::vector<ProtocolItem> discharge_criteria;
  std::vector<ProtocolQuantity> discharge_limits;
  std::vector<ProtocolItem> after_care;
  std::vector<EligibilityRule> eligibility_rules;
  // SHA-256 (hex) of the canonical document (sorted keys, no whitespace): a
  // stored decision names the exact protocol text it was evaluated against.
  std::string digest;
  Json document;  // the validated document, canonical form

  const ProtocolSource* FindSource(std::string_view key) const;
  // Every quantity flagged unconfirmed, wherever it sits (for the UI's flags).
  std::vector<const ProtocolQuantity*> UnconfirmedQuantities() const;
};

// Validates and compiles one protocol document.
Result<std::shared_ptr<const Protocol>> LoadProtocolDocument(const Json& document);
// Same, from text; malformed JSON is invalid_input naming the byte.
Result<std::shared_ptr<const Protocol>> LoadProtocolText(std::string_view text);

}  // namespace ketachart
