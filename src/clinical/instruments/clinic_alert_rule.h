// Clinic-configured alert rules (issue 3): a clinic's own condition on one
// instrument's scored response — total at or above N, total at or below N, an
// item at or above N, or a rise of at least N points from the patient's
// previous total of that instrument — with the severity and text of the alert
// it raises. N is the clinic's choice (nothing here assumes a threshold);
// validation only checks it against the instrument's own ranges. Pure,
// no I/O; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "clinical/instruments/instrument_scoring.h"

namespace ketachart {

enum class AlertRuleCondition : uint8_t { kTotalAtLeast, kTotalAtMost, kItemAtLeast, kRiseAtLeast };

// "total_at_least" | "total_at_most" | "item_at_least" | "rise_at_least".
std::string_view AlertRuleConditionName(AlertRuleCondition condition);
std::optional<AlertRuleCondition> ParseAlertRuleCondition(std::string_view name);
std::vector<std::string> AlertRuleConditionNames();

struct ClinicAlertRule {
  int64_t id = 0;
  std::string instrument;  // instrument key ("gad7")
  AlertRuleCondition condition = AlertRuleCondition::kTotalAtLeast;
  int threshold = 0;        // N
  std::string item;         // kItemAtLeast: the item's linkId (resolved by validation)
  std::string severity;     // "urgent" | "advisory"
  std::string display;      // the alert's text
};

// How a rule names its item before validation: a linkId, or a 1-based item
// number in the instrument's item order.
struct AlertRuleItemRef {
  std::optional<std::string> link_id;
  std::optional<int> number;
};

// Checks `rule` against `instrument` (whose key it must carry) and resolves
// `item_ref` into rule.item. Errors are kInvalidInput naming the field:
// "condition" (no total to compare), "item" (missing, unknown or not wanted),
// "threshold" (outside the instrument's total or item range; a rise outside
// 1..max−min), "severity", "display".
Status ValidateClinicAlertRule(const CompiledInstrument& instrument, const AlertRuleItemRef& item_ref,
                               ClinicAlertRule& rule);

// The indices (into `rules`) of the rules that fire for one scored response of
// `instrument`: rules of other instruments are skipped; a rise needs a
// previous total; an item rule needs the item answered. `answers` in item
// order (kNotAnswered for none); `outcome` a successful ScoreResponse.
std::vector<size_t> FiringClinicAlertRules(const CompiledInstrument& instrument,
                                           std::span<const ClinicAlertRule> rules,
                                           std::span<const int16_t> answers, const ScoreOutcome& outcome,
                                           std::optional<int> previous_total);

}  // namespace ketachart
