// The eligibility engine (see eligibility.h).
#include "clinical/eligibility/eligibility.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>

#include "clinical/intake/intake_vocabulary.h"

namespace ketachart {
namespace {

// "12.5" for 12500 µg; whole numbers without decimals.
std::string MilligramsText(int64_t micrograms) {
  if (micrograms % 1000 == 0) return fmt::format("{}", micrograms / 1000);
  std::string text = fmt::format("{:.3f}", static_cast<double>(micrograms) / 1000.0);
  while (text.back() == '0') text.pop_back();
  return text;
}

// The vocabulary words set in `mask`, joined with ", ".
std::string WordsIn(uint64_t mask, std::span<const std::string_view> vocabulary) {
  std::string out;
  for (unsigned i = 0; i < vocabulary.size(); ++i) {
    if (!(mask & VocabularyBit(i))) continue;
    if (!out.empty()) out += ", ";
    out += vocabulary[i];
  }
  return out;
}

void AddFinding(EligibilityDecision& decision, const Protocol& protocol,
                const EligibilityRule& rule, std::string detail) {
  decision.findings.push_back(
      EligibilityFinding{rule.severity, &rule,
                         fmt::format("{}: {} (protocol {} v{}, rule {})", rule.message, detail,
                                     protocol.title, protocol.version, rule.id)});
}

bool HasBloodPressure(const Intake& intake) {
  return intake.vitals.systolic_mmhg && intake.vitals.diastolic_mmhg;
}

bool FieldMissing(const Intake& intake, unsigned field) {
  switch (static_cast<IntakeField>(field)) {
    case IntakeField::kWeight:
      return !intake.weight_g;
    case IntakeField::kBaselineBloodPressure:
      return !HasBloodPressure(intake);
    case IntakeField::kBaselineHeartRate:
      return !intake.vitals.heart_rate_bpm;
    case IntakeField::kBaselineSpo2:
      return !intake.vitals.spo2_percent;
    case IntakeField::kAge:
      return !intake.age_years;
  }
  return false;
}

// Checks one rule; adds a finding when it fires. The common path (rule does
// not fire) is a few integer comparisons.
void Apply(const Protocol& protocol, const EligibilityRule& rule, const Intake& intake,
           EligibilityDecision& decision) {
  switch (rule.trigger) {
    case RuleTrigger::kConditionAny: {
      const uint64_t hit = intake.conditions & rule.mask;
      if (hit) AddFinding(decision, protocol, rule, "recorded " + WordsIn(hit, kIntakeConditions));
      return;
    }
    case RuleTrigger::kHypersensitivityAny: {
      if (!(intake.hypersensitivities & rule.mask)) return;
      std::string detail = "allergy recorded to ";
      bool first = true;
      for (const auto& allergy : intake.allergies) {
        if (!(rule.mask & VocabularyBit(allergy.category))) continue;
        detail += fmt::format("{}{} ({})", first ? "" : ", ", allergy.substance,
                              kHypersensitivityCategories[allergy.category]);
        first = false;
      }
      AddFinding(decision, protocol, rule, std::move(detail));
      return;
    }
    case RuleTrigger::kMedicationClassAny: {
      if (!(intake.medication_classes & rule.mask)) return;
      std::string detail = "taking ";
      bool first = true;
      for (const auto& medication : intake.medications) {
        const uint64_t hit = medication.classes & rule.mask;
        if (!hit) continue;
        detail += fmt::format("{}{} ({})", first ? "" : ", ", medication.name,
                              WordsIn(hit, kMedicationClasses));
        first = false;
      }
      AddFinding(decision, protocol, rule, std::move(detail));
      return;
    }
    case RuleTrigger::kDiazepamEquivalentAbove: {
      const int64_t total = intake.benzodiazepine_diazepam_equivalent_ug_per_day;
      const int64_t limit = rule.diazepam_equivalent_limit_ug_per_day;
      if (total > limit) {
        AddFinding(decision, protocol, rule,
                   fmt::format("benzodiazepines {} mg/day diazepam-equivalent exceed {} mg/day",
                               MilligramsText(total), MilligramsText(limit)));
      } else if (intake.benzodiazepines_without_equivalent > 0) {
        AddFinding(decision, protocol, rule,
                   fmt::format("diazepam-equivalent dose not entered for {} benzodiazepine(s), so "
                               "the {} mg/day limit "
                               "cannot be checked",
                               intake.benzodiazepines_without_equivalent, MilligramsText(limit)));
      }
      return;
    }
    case RuleTrigger::kBaselineBloodPressureAbove: {
      if (!HasBloodPressure(intake)) return;  // a missing_intake rule reports absence
      const int systolic = *intake.vitals.systolic_mmhg;
      const int diastolic = *intake.vitals.diastolic_mmhg;
      if (systolic > rule.systolic_limit_mmhg || diastolic > rule.diastolic_limit_mmhg) {
        AddFinding(decision, protocol, rule,
                   fmt::format("baseline {}/{} mmHg exceeds {}/{}", systolic, diastolic,
                               rule.systolic_limit_mmhg, rule.diastolic_limit_mmhg));
      }
      return;
    }
    case RuleTrigger::kSubstanceUseAny: {
      if (!(rule.mask & intake.substances_by_pattern[0] && rule.pattern_mask & 1) &&
          !(rule.mask & intake.substances_by_pattern[1] && rule.pattern_mask & 2) &&
          !(rule.mask & intake.substances_by_pattern[2] && rule.pattern_mask & 4)) {
        return;
      }
      std::string detail = "recorded ";
      bool first = true;
      for (const auto& use : intake.substance_use) {
        if (!(rule.mask & VocabularyBit(use.substance)) ||
            !(rule.pattern_mask & VocabularyBit(use.pattern)))
          continue;
        detail += fmt::format("{}{} ({})", first ? "" : ", ", kSubstances[use.substance],
                              kSubstanceUsePatterns[use.pattern]);
        first = false;
      }
      AddFinding(decision, protocol, rule, std::move(detail));
      return;
    }
    case RuleTrigger::kAgeAtLeast:
      if (intake.age_years && *intake.age_years >= rule.age_limit_years) {
        AddFinding(decision, protocol, rule,
                   fmt::format("age {} is at least {}", *intake.age_years, rule.age_limit_years));
      }
      return;
    case RuleTrigger::kMissingIntake: {
      uint64_t missing = 0;
      for (uint64_t bits = rule.mask; bits; bits &= bits - 1) {
        const unsigned field = static_cast<unsigned>(std::countr_zero(bits));
        if (FieldMissing(intake, field)) missing |= VocabularyBit(field);
      }
      if (missing)
        AddFinding(decision, protocol, rule, "not recorded: " + WordsIn(missing, kIntakeFields));
      return;
    }
  }
}

}  // namespace

std::string_view EligibilityOutcomeName(EligibilityOutcome outcome) {
  switch (outcome) {
    case EligibilityOutcome::kEligible:
      return "eligible";
    case EligibilityOutcome::kEligibleWithWarnings:
      return "eligible_with_warnings";
    case EligibilityOutcome::kNotEligible:
      return "not_eligible";
  }
  return "not_eligible";
}

std::string EligibilityDecision::Fingerprint() const {
  if (!protocol) return {};
  return fmt::format("{}@{}:{}+{}", protocol->id, protocol->version, protocol->digest,
                     IntakeDigest());
}

void EvaluateEligibilityInto(const std::shared_ptr<const Protocol>& protocol, const Intake& intake,
                             EligibilityDecision& decision) {
  decision.findings.clear();
  if (decision.protocol != protocol) decision.protocol = protocol;
  std::fill(decision.intake_digest.begin(), decision.intake_digest.end(), '0');
  std::copy_n(intake.digest.begin(), std::min(intake.digest.size(), decision.intake_digest.size()),
              decision.intake_digest.begin());
  bool hard_stop = false;
  bool warning = false;
  for (const auto& rule : protocol->eligibility_rules) {
    const size_t before = decision.findings.size();
    Apply(*protocol, rule, intake, decision);
    if (decision.findings.size() != before) {
      hard_stop |= rule.severity == FindingSeverity::kHardStop;
      warning |= rule.severity == FindingSeverity::kWarning;
    }
  }
  decision.outcome = hard_stop ? EligibilityOutcome::kNotEligible
                     : warning ? EligibilityOutcome::kEligibleWithWarnings
                               : EligibilityOutcome::kEligible;
}

EligibilityDecision EvaluateEligibility(std::shared_ptr<const Protocol> protocol,
                                        const Intake& intake) {
  EligibilityDecision decision;
  EvaluateEligibilityInto(protocol, intake, decision);
  return decision;
}

Json EligibilityDecisionToJson(const EligibilityDecision& decision) {
  Json findings = Json::array();
  for (const auto& finding : decision.findings) {
    const auto* source = decision.protocol->FindSource(finding.rule->source);
    findings.push_back({{"rule_id", finding.rule->id},
                        {"severity", FindingSeverityName(finding.severity)},
                        {"message", finding.message},
                        {"needs_override", finding.needs_override()},
                        {"unconfirmed", finding.rule->unconfirmed},
                        {"source",
                         {{"key", finding.rule->source},
                          {"citation", finding.rule->citation},
                          {"reference", source ? source->reference : ""}}}});
  }
  return Json{{"outcome", EligibilityOutcomeName(decision.outcome)},
              {"protocol",
               {{"id", decision.protocol->id},
                {"version", decision.protocol->version},
                {"title", decision.protocol->title},
                {"digest", decision.protocol->digest}}},
              {"intake_digest", decision.IntakeDigest()},
              {"fingerprint", decision.Fingerprint()},
              {"findings", std::move(findings)}};
}

}  // namespace ketachart
