// Clinic-configured alert rules: validation against the shipped instruments
// (every field named), and each condition firing and not firing, at exactly N.
#include "clinical/instruments/clinic_alert_rule.h"

#include <gtest/gtest.h>

#include <vector>

#include "clinical/instruments/instrument_catalog.h"

namespace ketachart {
namespace {

const CompiledInstrument& Get(std::string_view key) { return *InstrumentCatalog::Builtin().Find(key); }

ClinicAlertRule Rule(std::string instrument, AlertRuleCondition condition, int n, std::string item = "") {
  return ClinicAlertRule{1, std::move(instrument), condition, n, std::move(item), "urgent", "Clinic rule"};
}

std::string FieldOf(const Status& status) { return status.ok() ? "ok" : status.error().field; }

Status Validate(const std::string& key, ClinicAlertRule rule, AlertRuleItemRef ref = {}) {
  return ValidateClinicAlertRule(Get(key), ref, rule);
}

struct Scored {
  std::vector<int16_t> answers;
  ScoreOutcome outcome;
};

Scored Score(std::string_view key, std::vector<int16_t> answers) {
  Scored s{std::move(answers), {}};
  ScoreResponse(Get(key), s.answers, s.outcome);
  EXPECT_TRUE(s.outcome.ok());
  return s;
}

bool Fires(const ClinicAlertRule& rule, const Scored& s, std::optional<int> previous = std::nullopt) {
  const std::vector<ClinicAlertRule> rules = {rule};
  return FiringClinicAlertRules(Get(rule.instrument), rules, s.answers, s.outcome, previous).size() == 1;
}

TEST(ClinicAlertRuleTest, ConditionNamesRoundTrip) {
  for (const std::string& name : AlertRuleConditionNames()) {
    ASSERT_TRUE(ParseAlertRuleCondition(name)) << name;
    EXPECT_EQ(AlertRuleConditionName(*ParseAlertRuleCondition(name)), name);
  }
  EXPECT_FALSE(ParseAlertRuleCondition("total_above"));
}

TEST(ClinicAlertRuleTest, ValidatesTheThresholdAgainstTheTotalRange) {
  EXPECT_EQ(FieldOf(Validate("gad7", Rule("gad7", AlertRuleCondition::kTotalAtLeast, 15))), "ok");
  EXPECT_EQ(FieldOf(Validate("gad7", Rule("gad7", AlertRuleCondition::kTotalAtLeast, 21))), "ok");
  EXPECT_EQ(FieldOf(Validate("gad7", Rule("gad7", AlertRuleCondition::kTotalAtLeast, 22))), "threshold");
  EXPECT_EQ(FieldOf(Validate("gad7", Rule("gad7", AlertRuleCondition::kTotalAtMost, 0))), "ok");
  EXPECT_EQ(FieldOf(Validate("gad7", Rule("gad7", AlertRuleCondition::kTotalAtMost, -1))), "threshold");
  EXPECT_EQ(FieldOf(Validate("bprs_positive", Rule("bprs_positive", AlertRuleCondition::kTotalAtMost, 3))),
            "threshold");  // BPRS+ totals start at 4
}

TEST(ClinicAlertRuleTest, ValidatesARise) {
  EXPECT_EQ(FieldOf(Validate("phq9", Rule("phq9", AlertRuleCondition::kRiseAtLeast, 5))), "ok");
  EXPECT_EQ(FieldOf(Validate("phq9", Rule("phq9", AlertRuleCondition::kRiseAtLeast, 27))), "ok");
  EXPECT_EQ(FieldOf(Validate("phq9", Rule("phq9", AlertRuleCondition::kRiseAtLeast, 28))), "threshold");
  EXPECT_EQ(FieldOf(Validate("phq9", Rule("phq9", AlertRuleCondition::kRiseAtLeast, 0))), "threshold");
}

TEST(ClinicAlertRuleTest, ATotalRuleNeedsAnInstrumentWithATotal) {
  EXPECT_EQ(FieldOf(Validate("cssrs", Rule("cssrs", AlertRuleCondition::kTotalAtLeast, 1))), "condition");
  EXPECT_EQ(FieldOf(Validate("phq9", Rule("phq9", AlertRuleCondition::kTotalAtLeast, 10), {"9", std::nullopt})),
            "item");
}

TEST(ClinicAlertRuleTest, ValidatesAndResolvesTheItem) {
  ClinicAlertRule by_number = Rule("phq9", AlertRuleCondition::kItemAtLeast, 2);
  ASSERT_TRUE(ValidateClinicAlertRule(Get("phq9"), {std::nullopt, 9}, by_number).ok());
  EXPECT_EQ(by_number.item, "9");
  ClinicAlertRule by_link = Rule("phq9", AlertRuleCondition::kItemAtLeast, 3);
  ASSERT_TRUE(ValidateClinicAlertRule(Get("phq9"), {"4", std::nullopt}, by_link).ok());
  EXPECT_EQ(by_link.item, "4");
  EXPECT_EQ(FieldOf(Validate("phq9", Rule("phq9", AlertRuleCondition::kItemAtLeast, 1))), "item");  // none named
  EXPECT_EQ(FieldOf(Validate("phq9", Rule("phq9", AlertRuleCondition::kItemAtLeast, 1), {"10", std::nullopt})),
            "item");
  EXPECT_EQ(FieldOf(Validate("phq9", Rule("phq9", AlertRuleCondition::kItemAtLeast, 1), {std::nullopt, 10})),
            "item");
  EXPECT_EQ(FieldOf(Validate("phq9", Rule("phq9", AlertRuleCondition::kItemAtLeast, 1), {std::nullopt, 0})),
            "item");
  EXPECT_EQ(FieldOf(Validate("phq9", Rule("phq9", AlertRuleCondition::kItemAtLeast, 4), {"9", std::nullopt})),
            "threshold");  // PHQ-9 items are 0–3
  EXPECT_EQ(FieldOf(Validate("madrs", Rule("madrs", AlertRuleCondition::kItemAtLeast, 20), {"total", std::nullopt})),
            "item");  // the entered total is not an item
  EXPECT_EQ(FieldOf(Validate("cssrs", Rule("cssrs", AlertRuleCondition::kItemAtLeast, 1), {std::nullopt, 1})), "ok");
}

TEST(ClinicAlertRuleTest, ValidatesSeverityAndDisplay) {
  ClinicAlertRule rule = Rule("gad7", AlertRuleCondition::kTotalAtLeast, 15);
  rule.severity = "critical";
  EXPECT_EQ(FieldOf(Validate("gad7", rule)), "severity");
  rule.severity = "advisory";
  rule.display = "";
  EXPECT_EQ(FieldOf(Validate("gad7", rule)), "display");
  EXPECT_EQ(FieldOf(Validate("phq9", Rule("gad7", AlertRuleCondition::kTotalAtLeast, 15))), "instrument");
}

TEST(ClinicAlertRuleTest, TotalAtLeastFiresAtExactlyN) {
  const ClinicAlertRule rule = Rule("gad7", AlertRuleCondition::kTotalAtLeast, 15);
  EXPECT_TRUE(Fires(rule, Score("gad7", {3, 3, 3, 3, 3, 0, 0})));   // 15
  EXPECT_TRUE(Fires(rule, Score("gad7", {3, 3, 3, 3, 3, 1, 0})));   // 16
  EXPECT_FALSE(Fires(rule, Score("gad7", {3, 3, 3, 3, 2, 0, 0})));  // 14
}

TEST(ClinicAlertRuleTest, TotalAtMostFiresAtExactlyN) {
  const ClinicAlertRule rule = Rule("gad7", AlertRuleCondition::kTotalAtMost, 4);
  EXPECT_TRUE(Fires(rule, Score("gad7", {1, 1, 1, 1, 0, 0, 0})));   // 4
  EXPECT_TRUE(Fires(rule, Score("gad7", {0, 0, 0, 0, 0, 0, 0})));   // 0
  EXPECT_FALSE(Fires(rule, Score("gad7", {1, 1, 1, 1, 1, 0, 0})));  // 5
}

TEST(ClinicAlertRuleTest, ItemAtLeastFiresAtExactlyN) {
  ClinicAlertRule rule = Rule("phq9", AlertRuleCondition::kItemAtLeast, 2, "4");
  EXPECT_TRUE(Fires(rule, Score("phq9", {0, 0, 0, 2, 0, 0, 0, 0, 0})));
  EXPECT_TRUE(Fires(rule, Score("phq9", {0, 0, 0, 3, 0, 0, 0, 0, 0})));
  EXPECT_FALSE(Fires(rule, Score("phq9", {3, 3, 3, 1, 3, 3, 3, 3, 3})));  // only item 4 counts
}

TEST(ClinicAlertRuleTest, AnUnaskedItemNeverFires) {
  // C-SSRS item 3 is asked only when item 2 is yes.
  ClinicAlertRule rule = Rule("cssrs", AlertRuleCondition::kItemAtLeast, 0, Get("cssrs").items[2].link_id);
  Scored s{{0, 0, kNotAnswered, kNotAnswered, kNotAnswered, 0, kNotAnswered}, {}};
  ScoreResponse(Get("cssrs"), s.answers, s.outcome);
  ASSERT_TRUE(s.outcome.ok());
  EXPECT_FALSE(Fires(rule, s));
}

TEST(ClinicAlertRuleTest, RiseFiresFromThePreviousTotalAtExactlyN) {
  const ClinicAlertRule rule = Rule("phq9", AlertRuleCondition::kRiseAtLeast, 5);
  const Scored ten = Score("phq9", {2, 2, 2, 2, 1, 1, 0, 0, 0});
  EXPECT_TRUE(Fires(rule, ten, 5));    // +5
  EXPECT_TRUE(Fires(rule, ten, 2));    // +8
  EXPECT_FALSE(Fires(rule, ten, 6));   // +4
  EXPECT_FALSE(Fires(rule, ten, 15));  // a fall
  EXPECT_FALSE(Fires(rule, ten));      // no previous measure
}

TEST(ClinicAlertRuleTest, OnlyTheInstrumentsRulesAreEvaluated) {
  const std::vector<ClinicAlertRule> rules = {Rule("gad7", AlertRuleCondition::kTotalAtLeast, 0),
                                              Rule("phq9", AlertRuleCondition::kTotalAtLeast, 0),
                                              Rule("phq9", AlertRuleCondition::kTotalAtLeast, 27)};
  const Scored s = Score("phq9", {1, 1, 1, 1, 1, 1, 1, 1, 0});
  EXPECT_EQ(FiringClinicAlertRules(Get("phq9"), rules, s.answers, s.outcome, std::nullopt),
            std::vector<size_t>{1});
}

}  // namespace
}  // namespace ketachart
