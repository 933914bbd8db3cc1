// The eligibility engine. Every rule in every shipped protocol is checked
// twice: against a clean, complete intake (must not fire) and against an
// intake built to meet exactly that rule's trigger (must fire, with its
// severity). Then each trigger kind is checked by hand at its boundary, with
// the exact message a clinician reads.
#include "clinical/eligibility/eligibility.h"

#include <gtest/gtest.h>

#include <bit>

#include "clinical/intake/intake_vocabulary.h"
#include "clinical/protocols/protocol_catalog.h"

namespace ketachart {
namespace {

const ProtocolCatalog& Catalog() {
  static const ProtocolCatalog catalog = ProtocolCatalog::LoadEmbedded().value();
  return catalog;
}

// Complete, unremarkable intake: no rule of any shipped protocol fires.
Json CleanIntake() {
  return Json::parse(R"({
    "age_years": 40, "weight_kg": 70,
    "vitals": {"systolic_mmhg": 120, "diastolic_mmhg": 80, "heart_rate_bpm": 70, "spo2_percent": 98, "respiratory_rate_per_min": 14},
    "medications": [{"name": "Sertraline", "daily_dose_mg": 100, "classes": []}],
    "goals": "feel able to work again"
  })");
}

Intake Read(const Json& document) {
  auto intake = ReadIntake(document);
  EXPECT_TRUE(intake.ok()) << intake.error().field << ": " << intake.error().message;
  return intake.ok() ? std::move(intake).value() : Intake{};
}

std::string_view FirstWord(uint64_t mask, std::span<const std::string_view> vocabulary) {
  return vocabulary[std::countr_zero(mask)];
}

// An intake that meets `rule`'s trigger (built from the compiled rule).
Json FiringIntake(const EligibilityRule& rule) {
  Json intake = CleanIntake();
  switch (rule.trigger) {
    case RuleTrigger::kConditionAny:
      intake["conditions"] = {FirstWord(rule.mask, kIntakeConditions)};
      break;
    case RuleTrigger::kHypersensitivityAny:
      intake["allergies"] = {{{"substance", "test agent"},
                              {"category", FirstWord(rule.mask, kHypersensitivityCategories)}}};
      break;
    case RuleTrigger::kMedicationClassAny:
      intake["medications"].push_back(
          {{"name", "Test drug"}, {"classes", {FirstWord(rule.mask, kMedicationClasses)}}});
      break;
    case RuleTrigger::kDiazepamEquivalentAbove:
      intake["medications"].push_back(
          {{"name", "Diazepam"},
           {"classes", {"benzodiazepine"}},
           {"diazepam_equivalent_mg_per_day",
            static_cast<double>(rule.diazepam_equivalent_limit_ug_per_day + 1) / 1000.0}});
      break;
    case RuleTrigger::kBaselineBloodPressureAbove:
      intake["vitals"]["systolic_mmhg"] = rule.systolic_limit_mmhg + 1;
      break;
    case RuleTrigger::kSubstanceUseAny:
      intake["substance_use"] = {
          {{"substance", FirstWord(rule.mask, kSubstances)},
           {"pattern", FirstWord(rule.pattern_mask, kSubstanceUsePatterns)}}};
      break;
    case RuleTrigger::kAgeAtLeast:
      intake["age_years"] = rule.age_limit_years;
      break;
    case RuleTrigger::kMissingIntake: {
      const auto field = static_cast<IntakeField>(std::countr_zero(rule.mask));
      if (field == IntakeField::kWeight) intake.erase("weight_kg");
      if (field == IntakeField::kAge) intake.erase("age_years");
      if (field == IntakeField::kBaselineBloodPressure) {
        intake["vitals"].erase("systolic_mmhg");
        intake["vitals"].erase("diastolic_mmhg");
      }
      if (field == IntakeField::kBaselineHeartRate) intake["vitals"].erase("heart_rate_bpm");
      if (field == IntakeField::kBaselineSpo2) intake["vitals"].erase("spo2_percent");
      break;
    }
  }
  return intake;
}

const EligibilityFinding* FindingFor(const EligibilityDecision& decision,
                                     std::string_view rule_id) {
  for (const auto& finding : decision.findings) {
    if (finding.rule->id == rule_id) return &finding;
  }
  return nullptr;
}

TEST(EligibilityTest, ACleanCompleteIntakeIsEligibleUnderEveryProtocol) {
  const Intake intake = Read(CleanIntake());
  for (const auto& protocol : Catalog().protocols()) {
    const auto decision = EvaluateEligibility(protocol, intake);
    EXPECT_EQ(decision.outcome, EligibilityOutcome::kEligible) << protocol->id;
    for (const auto& finding : decision.findings)
      ADD_FAILURE() << protocol->id << ": " << finding.message;
  }
}

TEST(EligibilityTest, EveryShippedRuleFiresOnItsTriggerAndNotOnACleanIntake) {
  const Intake clean = Read(CleanIntake());
  size_t rules = 0;
  for (const auto& protocol : Catalog().protocols()) {
    const auto clean_decision = EvaluateEligibility(protocol, clean);
    for (const auto& rule : protocol->eligibility_rules) {
      ++rules;
      SCOPED_TRACE(protocol->id + " / " + rule.id);
      EXPECT_EQ(FindingFor(clean_decision, rule.id), nullptr);
      const auto decision = EvaluateEligibility(protocol, Read(FiringIntake(rule)));
      const EligibilityFinding* finding = FindingFor(decision, rule.id);
      ASSERT_NE(finding, nullptr);
      EXPECT_EQ(finding->severity, rule.severity);
      EXPECT_NE(finding->message.find("rule " + rule.id), std::string::npos) << finding->message;
      EXPECT_FALSE(finding->rule->citation.empty());
      const auto expected = rule.severity == FindingSeverity::kHardStop
                                ? EligibilityOutcome::kNotEligible
                            : rule.severity == FindingSeverity::kWarning
                                ? EligibilityOutcome::kEligibleWithWarnings
                                : decision.outcome;  // info never changes the outcome on its own
      if (rule.severity != FindingSeverity::kInfo) {
        EXPECT_TRUE(decision.outcome == expected ||
                    decision.outcome == EligibilityOutcome::kNotEligible);
      }
    }
  }
  EXPECT_GE(rules, 80u);
}

TEST(EligibilityTest, UncontrolledHypertensionFiresAboveNotAtTheLimit) {
  const auto iv = Catalog().Find("iv-racemic-ketamine");
  Json intake = CleanIntake();
  intake["vitals"]["systolic_mmhg"] = 182;
  intake["vitals"]["diastolic_mmhg"] = 104;
  auto decision = EvaluateEligibility(iv, Read(intake));
  const auto* finding = FindingFor(decision, "C3-uncontrolled-hypertension");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->message,
            "uncontrolled hypertension: baseline 182/104 mmHg exceeds 180/100 (protocol IV racemic "
            "ketamine "
            "infusion v1, rule C3-uncontrolled-hypertension)");
  EXPECT_TRUE(finding->rule->unconfirmed);
  EXPECT_TRUE(finding->needs_override());
  EXPECT_EQ(decision.outcome, EligibilityOutcome::kEligibleWithWarnings);

  intake["vitals"]["systolic_mmhg"] = 180;
  intake["vitals"]["diastolic_mmhg"] = 100;
  EXPECT_EQ(FindingFor(EvaluateEligibility(iv, Read(intake)), "C3-uncontrolled-hypertension"),
            nullptr);
  intake["vitals"]["diastolic_mmhg"] = 101;  // either pressure above its limit is enough
  EXPECT_NE(FindingFor(EvaluateEligibility(iv, Read(intake)), "C3-uncontrolled-hypertension"),
            nullptr);
}

TEST(EligibilityTest, EsketamineUsesTheLabelsLowerBloodPressureLimit) {
  const auto esketamine = Catalog().Find("intranasal-esketamine");
  Json intake = CleanIntake();
  intake["vitals"]["systolic_mmhg"] = 141;
  intake["vitals"]["diastolic_mmhg"] = 85;
  const auto* finding =
      FindingFor(EvaluateEligibility(esketamine, Read(intake)), "C1-spravato-elevated-bp");
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("baseline 141/85 mmHg exceeds 140/90"), std::string::npos);
  intake["vitals"]["systolic_mmhg"] = 140;
  EXPECT_EQ(FindingFor(EvaluateEligibility(esketamine, Read(intake)), "C1-spravato-elevated-bp"),
            nullptr);
}

TEST(EligibilityTest, BenzodiazepinesAboveEightMilligramsDiazepamEquivalent) {
  const auto iv = Catalog().Find("iv-racemic-ketamine");
  Json intake = CleanIntake();
  intake["medications"] = Json::parse(R"([
    {"name": "Diazepam", "classes": ["benzodiazepine"], "diazepam_equivalent_mg_per_day": 5},
    {"name": "Clonazepam", "classes": ["benzodiazepine"], "diazepam_equivalent_mg_per_day": 3}])");
  EXPECT_EQ(FindingFor(EvaluateEligibility(iv, Read(intake)), "C4-benzodiazepine-dose"),
            nullptr);  // 8 is not above 8
  intake["medications"][1]["diazepam_equivalent_mg_per_day"] = 3.5;
  const auto decision = EvaluateEligibility(iv, Read(intake));
  const auto* finding = FindingFor(decision, "C4-benzodiazepine-dose");
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("benzodiazepines 8.5 mg/day diazepam-equivalent exceed 8 mg/day"),
            std::string::npos)
      << finding->message;
  EXPECT_NE(finding->rule->citation.find("Andrashko"), std::string::npos);
  // Sedation (CNS depressant) is a separate info finding under the IV protocol.
  EXPECT_EQ(FindingFor(decision, "C4-cns-depressant")->severity, FindingSeverity::kInfo);
}

TEST(EligibilityTest, ABenzodiazepineWithoutAnEnteredEquivalentIsReported) {
  const auto iv = Catalog().Find("iv-racemic-ketamine");
  Json intake = CleanIntake();
  intake["medications"] = Json::parse(R"([{"name": "Alprazolam", "classes": ["benzodiazepine"]}])");
  const auto* finding = FindingFor(EvaluateEligibility(iv, Read(intake)), "C4-benzodiazepine-dose");
  ASSERT_NE(finding, nullptr);
  EXPECT_NE(finding->message.find("not entered for 1 benzodiazepine"), std::string::npos);
}

TEST(EligibilityTest, AnAbsoluteContraindicationIsAHardStop) {
  const auto esketamine = Catalog().Find("intranasal-esketamine");
  Json intake = CleanIntake();
  intake["conditions"] = {"arteriovenous_malformation", "pregnancy"};
  const auto decision = EvaluateEligibility(esketamine, Read(intake));
  EXPECT_EQ(decision.outcome, EligibilityOutcome::kNotEligible);
  const auto* finding = FindingFor(decision, "C3-spravato-aneurysm");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity, FindingSeverity::kHardStop);
  EXPECT_FALSE(finding->needs_override());
  EXPECT_NE(finding->message.find("recorded arteriovenous_malformation"), std::string::npos);
  EXPECT_NE(FindingFor(decision, "C3-spravato-pregnancy"), nullptr);
}

TEST(EligibilityTest, InteractionsNameTheMedication) {
  const auto esketamine = Catalog().Find("intranasal-esketamine");
  Json intake = CleanIntake();
  intake["medications"].push_back({{"name", "Ticlopidine"}, {"classes", {"cyp2b6_inhibitor"}}});
  intake["medications"].push_back({{"name", "Phenelzine"}, {"classes", {"maoi"}}});
  const auto decision = EvaluateEligibility(esketamine, Read(intake));
  EXPECT_NE(FindingFor(decision, "C4-cyp2b6-inhibitor")
                ->message.find("taking Ticlopidine (cyp2b6_inhibitor)"),
            std::string::npos);
  EXPECT_NE(FindingFor(decision, "C4-maoi")->message.find("taking Phenelzine (maoi)"),
            std::string::npos);
  EXPECT_EQ(FindingFor(decision, "C4-psychostimulant"), nullptr);
  EXPECT_EQ(decision.outcome, EligibilityOutcome::kEligibleWithWarnings);
}

TEST(EligibilityTest, SubstanceUseNeedsTheListedPattern) {
  const auto iv = Catalog().Find("iv-racemic-ketamine");
  Json intake = CleanIntake();
  intake["substance_use"] = Json::parse(R"([{"substance": "alcohol", "pattern": "current"}])");
  EXPECT_EQ(FindingFor(EvaluateEligibility(iv, Read(intake)), "C3-nhs-alcohol"), nullptr);
  intake["substance_use"][0]["pattern"] = "cannot_abstain_24h";
  EXPECT_NE(FindingFor(EvaluateEligibility(iv, Read(intake)), "C3-nhs-alcohol"), nullptr);
}

TEST(EligibilityTest, OlderAdultStartingDoseIsInformationOnly) {
  const auto esketamine = Catalog().Find("intranasal-esketamine");
  Json intake = CleanIntake();
  intake["age_years"] = 64;
  EXPECT_EQ(FindingFor(EvaluateEligibility(esketamine, Read(intake)), "B-older-adult-start"),
            nullptr);
  intake["age_years"] = 65;
  const auto decision = EvaluateEligibility(esketamine, Read(intake));
  EXPECT_EQ(FindingFor(decision, "B-older-adult-start")->severity, FindingSeverity::kInfo);
  EXPECT_EQ(decision.outcome, EligibilityOutcome::kEligible);
}

TEST(EligibilityTest, MissingBaselineBloodPressureStopsUntilRecorded) {
  const auto iv = Catalog().Find("iv-racemic-ketamine");
  Json intake = CleanIntake();
  intake.erase("vitals");
  intake.erase("weight_kg");
  const auto decision = EvaluateEligibility(iv, Read(intake));
  EXPECT_EQ(decision.outcome, EligibilityOutcome::kNotEligible);
  EXPECT_NE(FindingFor(decision, "G-baseline-bp-required")
                ->message.find("not recorded: baseline_blood_pressure"),
            std::string::npos);
  EXPECT_NE(FindingFor(decision, "B-weight-required"), nullptr);
  EXPECT_EQ(FindingFor(decision, "C3-uncontrolled-hypertension"), nullptr);  // nothing to compare
}

TEST(EligibilityTest, FingerprintChangesWithIntakeOrProtocol) {
  const auto iv = Catalog().Find("iv-racemic-ketamine");
  const auto im = Catalog().Find("im-racemic-ketamine");
  const Intake a = Read(CleanIntake());
  Json other = CleanIntake();
  other["age_years"] = 41;
  const Intake b = Read(other);
  const auto first = EvaluateEligibility(iv, a).Fingerprint();
  EXPECT_EQ(first, EvaluateEligibility(iv, a).Fingerprint());
  EXPECT_NE(first, EvaluateEligibility(iv, b).Fingerprint());
  EXPECT_NE(first, EvaluateEligibility(im, a).Fingerprint());
  EXPECT_EQ(first.rfind("iv-racemic-ketamine@1:", 0), 0u);
}

TEST(EligibilityTest, DecisionJsonCarriesRuleSourceAndFlags) {
  const auto iv = Catalog().Find("iv-racemic-ketamine");
  Json intake = CleanIntake();
  intake["vitals"]["systolic_mmhg"] = 190;
  const Json json = EligibilityDecisionToJson(EvaluateEligibility(iv, Read(intake)));
  EXPECT_EQ(json["outcome"], "eligible_with_warnings");
  ASSERT_EQ(json["findings"].size(), 1u);
  EXPECT_EQ(json["findings"][0]["rule_id"], "C3-uncontrolled-hypertension");
  EXPECT_EQ(json["findings"][0]["severity"], "warning");
  EXPECT_EQ(json["findings"][0]["needs_override"], true);
  EXPECT_EQ(json["findings"][0]["unconfirmed"], true);
  EXPECT_EQ(json["findings"][0]["source"]["reference"], "clinical-reference.md C1, F");
  EXPECT_EQ(json["protocol"]["version"], 1);
}

}  // namespace
}  // namespace ketachart
