// Clinic-configured alert rules: validation and evaluation (see clinic_alert_rule.h).
#include "clinical/instruments/clinic_alert_rule.h"

#include <fmt/format.h>

namespace ketachart {
namespace {

constexpr std::string_view kConditionNames[] = {"total_at_least", "total_at_most", "item_at_least",
                                                "rise_at_least"};

bool UsesTotal(AlertRuleCondition c) { return c != AlertRuleCondition::kItemAtLeast; }

}  // namespace

std::string_view AlertRuleConditionName(AlertRuleCondition condition) {
  return kConditionNames[static_cast<size_t>(condition)];
}

std::optional<AlertRuleCondition> ParseAlertRuleCondition(std::string_view name) {
  for (size_t i = 0; i < std::size(kConditionNames); ++i) {
    if (kConditionNames[i] == name) return static_cast<AlertRuleCondition>(i);
  }
  return std::nullopt;
}

std::vector<std::string> AlertRuleConditionNames() {
  return std::vector<std::string>(std::begin(kConditionNames), std::end(kConditionNames));
}

Status ValidateClinicAlertRule(const CompiledInstrument& instrument, const AlertRuleItemRef& item_ref,
                               ClinicAlertRule& rule) {
  if (rule.instrument != instrument.key) return InvalidInput("instrument", "does not match the rule's instrument");
  const bool has_item_ref = item_ref.link_id || item_ref.number;
  if (UsesTotal(rule.condition)) {
    if (!instrument.has_total) {
      return InvalidInput("condition", fmt::format("{} has no total: only item_at_least applies", instrument.key));
    }
    if (has_item_ref) return InvalidInput("item", "applies only to item_at_least");
    rule.item.clear();
    if (rule.condition == AlertRuleCondition::kRiseAtLeast) {
      const int most = instrument.total_max - instrument.total_min;
      if (rule.threshold < 1 || rule.threshold > most) {
        return InvalidInput("threshold", fmt::format("a rise on {} must be between 1 and {} points", instrument.key,
                                                     most));
      }
    } else if (rule.threshold < instrument.total_min || rule.threshold > instrument.total_max) {
      return InvalidInput("threshold", fmt::format("must be within the {} total range {}–{}", instrument.key,
                                                   instrument.total_min, instrument.total_max));
    }
  } else {
    int index = -1;
    if (item_ref.link_id) {
      index = instrument.ItemIndex(*item_ref.link_id);
      if (index < 0) return InvalidInput("item", fmt::format("'{}' is not an item of {}", *item_ref.link_id,
                                                             instrument.key));
    } else if (item_ref.number) {
      if (*item_ref.number < 1 || *item_ref.number > instrument.item_count) {
        return InvalidInput("item", fmt::format("item number must be between 1 and {} for {}", instrument.item_count,
                                                instrument.key));
      }
      index = *item_ref.number - 1;
    } else {
      return InvalidInput("item", "is required for item_at_least: a linkId or an item number");
    }
    if (index == instrument.entered_total_item) {
      return InvalidInput("item", "is the entered total: use total_at_least or total_at_most");
    }
    const InstrumentItem& item = instrument.items[index];
    if (rule.threshold < item.min || rule.threshold > item.max) {
      return InvalidInput("threshold", fmt::format("must be within item {}'s range {}–{}", item.link_id, item.min,
                                                   item.max));
    }
    rule.item = item.link_id;
  }
  if (rule.severity != "urgent" && rule.severity != "advisory") {
    return InvalidInput("severity", "must be urgent or advisory");
  }
  if (rule.display.empty() || rule.display.size() > 200) {
    return InvalidInput("display", "must be 1 to 200 characters");
  }
  return Status::Ok();
}

std::vector<size_t> FiringClinicAlertRules(const CompiledInstrument& instrument,
                                           std::span<const ClinicAlertRule> rules,
                                           std::span<const int16_t> answers, const ScoreOutcome& outcome,
                                           std::optional<int> previous_total) {
  std::vector<size_t> firing;
  if (!outcome.ok()) return firing;
  for (size_t i = 0; i < rules.size(); ++i) {
    const ClinicAlertRule& rule = rules[i];
    if (rule.instrument != instrument.key) continue;
    bool fires = false;
    switch (rule.condition) {
      case AlertRuleCondition::kTotalAtLeast:
        fires = outcome.has_total && outcome.total >= rule.threshold;
        break;
      case AlertRuleCondition::kTotalAtMost:
        fires = outcome.has_total && outcome.total <= rule.threshold;
        break;
      case AlertRuleCondition::kRiseAtLeast:
        fires = outcome.has_total && previous_total && outcome.total - *previous_total >= rule.threshold;
        break;
      case AlertRuleCondition::kItemAtLeast: {
        const int index = instrument.ItemIndex(rule.item);
        fires = index >= 0 && static_cast<size_t>(index) < answers.size() && answers[index] != kNotAnswered &&
                answers[index] >= rule.threshold;
        break;
      }
    }
    if (fires) firing.push_back(i);
  }
  return firing;
}

}  // namespace ketachart
