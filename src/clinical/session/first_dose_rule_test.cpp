// The esketamine day-1 dose rule: the day-1 dose per age band at its edges
// (64 and 65 years), the suicidal-ideation dose, an unset limit or age band,
// the messages naming the rule (and flagging the unconfirmed older-adult
// values), and whole-year ages around birthdays.
#include "clinical/session/first_dose_rule.h"

#include <gtest/gtest.h>

namespace ketachart {
namespace {

// The shipped protocol's values (data/protocols/intranasal-esketamine.json).
FirstDoseRules Spravato() {
  FirstDoseRules rules;
  rules.protocol_name = "Intranasal esketamine (Spravato) v2";
  rules.younger = {"first_dose_under_65", 56, false};
  rules.older = {"first_dose_65_and_over", 28, true};
  rules.older_from_age = 65;
  rules.older_from_age_unconfirmed = true;
  rules.suicidal_ideation = {"mdsi_dose", 84, false};
  return rules;
}

constexpr auto kTrd = EsketamineIndication::kTreatmentResistant;

TEST(FirstDoseRuleTest, UnderSixtyFive) {
  FirstDoseCheck ok = CheckFirstDose(Spravato(), 64, kTrd, 56);
  EXPECT_FALSE(ok.refusal);
  EXPECT_EQ(ok.rule_id, "first_dose_under_65");
  EXPECT_EQ(ok.band, "under 65");
  EXPECT_EQ(ok.limit_mg, 56);
  EXPECT_FALSE(ok.unconfirmed);
  EXPECT_FALSE(CheckFirstDose(Spravato(), 40, kTrd, 28).refusal);
  EXPECT_EQ(CheckFirstDose(Spravato(), 64, kTrd, 84).refusal,
            "84 mg is above the day-1 dose of 56 mg for a patient aged 64 (under 65) (first_dose_under_65, "
            "Intranasal esketamine (Spravato) v2); a prescriber may override with a reason");
}

TEST(FirstDoseRuleTest, SixtyFiveAndOverIsFlaggedUnconfirmed) {
  FirstDoseCheck ok = CheckFirstDose(Spravato(), 65, kTrd, 28);
  EXPECT_FALSE(ok.refusal);
  EXPECT_EQ(ok.rule_id, "first_dose_65_and_over");
  EXPECT_TRUE(ok.unconfirmed);
  EXPECT_EQ(CheckFirstDose(Spravato(), 65, kTrd, 56).refusal,
            "56 mg is above the day-1 dose of 28 mg for a patient aged 65 (65 and over) (first_dose_65_and_over, "
            "Intranasal esketamine (Spravato) v2; unconfirmed: check the US label); a prescriber may override with "
            "a reason");
  EXPECT_TRUE(CheckFirstDose(Spravato(), 81, kTrd, 56).refusal);
}

TEST(FirstDoseRuleTest, SuicidalIdeation) {
  FirstDoseCheck ok = CheckFirstDose(Spravato(), 70, EsketamineIndication::kSuicidalIdeation, 84);
  EXPECT_FALSE(ok.refusal);
  EXPECT_EQ(ok.rule_id, "mdsi_dose");
  EXPECT_EQ(ok.band, "MDD with acute suicidal ideation");
  EXPECT_EQ(ParseEsketamineIndication("mdd_suicidal_ideation"), EsketamineIndication::kSuicidalIdeation);
  EXPECT_EQ(ParseEsketamineIndication("trd"), kTrd);
  EXPECT_FALSE(ParseEsketamineIndication("TRD"));
  EXPECT_EQ(EsketamineIndicationName(EsketamineIndication::kSuicidalIdeation), "mdd_suicidal_ideation");
}

TEST(FirstDoseRuleTest, UnsetValuesRefuseUntilTheClinicSetsThem) {
  FirstDoseRules rules = Spravato();
  rules.older.value_mg.reset();
  EXPECT_EQ(CheckFirstDose(rules, 70, kTrd, 28).refusal,
            "the protocol's day-1 dose for a patient aged 70 (65 and over) is not set (first_dose_65_and_over, "
            "Intranasal esketamine (Spravato) v2; unconfirmed: check the US label); a prescriber may override with "
            "a reason");
  FirstDoseRules no_age = Spravato();
  no_age.older_from_age.reset();
  const FirstDoseCheck strict = CheckFirstDose(no_age, 30, kTrd, 56);
  EXPECT_EQ(strict.rule_id, "first_dose_65_and_over");
  ASSERT_TRUE(strict.refusal);
  EXPECT_NE(strict.refusal->find("(age_older_adult) is not set"), std::string::npos) << *strict.refusal;
}

TEST(FirstDoseRuleTest, AgeInWholeYears) {
  EXPECT_EQ(AgeInYears("1961-03-10", "2026-03-09"), 64);
  EXPECT_EQ(AgeInYears("1961-03-10", "2026-03-10"), 65);
  EXPECT_EQ(AgeInYears("1961-12-31", "2026-01-01"), 64);
  EXPECT_EQ(AgeInYears("2000-02-29", "2026-02-28"), 25);
  EXPECT_EQ(AgeInYears("2000-02-29", "2026-03-01"), 26);
  EXPECT_FALSE(AgeInYears("2030-01-01", "2026-01-01"));
  EXPECT_FALSE(AgeInYears("1961-3-10", "2026-03-10"));
  EXPECT_FALSE(AgeInYears("1961-13-10", "2026-03-10"));
}

}  // namespace
}  // namespace ketachart
