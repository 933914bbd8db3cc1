// The monitor alarm engine and policy: every tier edge, persistence by
// readings and by seconds, hysteresis, rises over baseline, the fold of an
// alarm's events, escalation, and the policy document's validation.
#include "clinical/monitoring/alarm_engine.h"

#include <gtest/gtest.h>

namespace ketachart {
namespace {

AlarmRule Rule(const char* id, VitalParameter p, AlarmLimitKind kind, AlarmTier tier, double limit) {
  return AlarmRule{id, id, p, kind, tier, limit, "test", false, "clinic"};
}

std::vector<VitalReading> Readings(std::initializer_list<double> values, int64_t step_ms = 5000) {
  std::vector<VitalReading> out;
  int64_t t = 1'000'000;
  for (double v : values) out.push_back({t += step_ms, v});
  return out;
}

struct Fixture {
  AlarmRule advisory = Rule("sys_140", VitalParameter::kSystolic, AlarmLimitKind::kAbove, AlarmTier::kAdvisory, 140);
  AlarmRule warning = Rule("sys_180", VitalParameter::kSystolic, AlarmLimitKind::kAbove, AlarmTier::kWarning, 180);
  AlarmRule rise = Rule("sys_rise_50", VitalParameter::kSystolic, AlarmLimitKind::kRiseAboveBaseline,
                        AlarmTier::kCritical, 50);
  std::vector<const AlarmRule*> rules{&advisory, &warning, &rise};
  ParameterTiming one_reading{1, 0, 5};
};

TEST(MonitorAlarmEngine, LimitEdgesFollowTheRuleKind) {
  const AlarmRule above = Rule("a", VitalParameter::kSystolic, AlarmLimitKind::kAbove, AlarmTier::kWarning, 180);
  EXPECT_FALSE(RuleBreached(above, 180, std::nullopt));
  EXPECT_TRUE(RuleBreached(above, 180.1, std::nullopt));
  const AlarmRule at_or_below = Rule("s", VitalParameter::kSpo2, AlarmLimitKind::kAtOrBelow, AlarmTier::kWarning, 92);
  EXPECT_TRUE(RuleBreached(at_or_below, 92, std::nullopt));
  EXPECT_FALSE(RuleBreached(at_or_below, 93, std::nullopt));
  const AlarmRule below = Rule("c", VitalParameter::kSpo2, AlarmLimitKind::kBelow, AlarmTier::kCritical, 90);
  EXPECT_FALSE(RuleBreached(below, 90, std::nullopt));
  EXPECT_TRUE(RuleBreached(below, 89, std::nullopt));
  const AlarmRule rise = Rule("r", VitalParameter::kSystolic, AlarmLimitKind::kRiseAboveBaseline, AlarmTier::kAdvisory, 20);
  EXPECT_FALSE(RuleBreached(rise, 200, std::nullopt)) << "no baseline, no rise alarm";
  EXPECT_FALSE(RuleBreached(rise, 140, 120.0));
  EXPECT_TRUE(RuleBreached(rise, 141, 120.0));
  // Hysteresis moves the limit toward the safe side.
  EXPECT_TRUE(RuleBreached(above, 176, std::nullopt, 5));
  EXPECT_FALSE(RuleBreached(above, 175, std::nullopt, 5));
  EXPECT_TRUE(RuleBreached(below, 94, std::nullopt, 5));
}

TEST(MonitorAlarmEngine, RaisesAtTheHighestTierThatPersisted) {
  Fixture f;
  auto readings = Readings({130, 150});
  auto d = EvaluateVitalSign(f.rules, f.one_reading, 125.0, readings, std::nullopt);
  EXPECT_EQ(d.kind, AlarmDecisionKind::kRaise);
  EXPECT_EQ(d.tier, AlarmTier::kAdvisory);
  EXPECT_EQ(d.rule->id, "sys_140");
  readings = Readings({130, 185});
  d = EvaluateVitalSign(f.rules, f.one_reading, 140.0, readings, std::nullopt);
  EXPECT_EQ(d.tier, AlarmTier::kWarning) << "185 is 45 over a baseline of 140";
  EXPECT_EQ(d.value, 185);
  d = EvaluateVitalSign(f.rules, f.one_reading, 130.0, readings, std::nullopt);
  EXPECT_EQ(d.tier, AlarmTier::kCritical) << "185 is 55 over a baseline of 130";
  readings = Readings({120, 139});
  EXPECT_EQ(EvaluateVitalSign(f.rules, f.one_reading, 125.0, readings, std::nullopt).kind, AlarmDecisionKind::kNone);
}

TEST(MonitorAlarmEngine, PersistenceByReadingsOrBySeconds) {
  const AlarmRule low = Rule("spo2", VitalParameter::kSpo2, AlarmLimitKind::kAtOrBelow, AlarmTier::kWarning, 92);
  const std::vector<const AlarmRule*> rules{&low};
  const ParameterTiming timing{5, 15, 1};
  // Four low readings 2 s apart: neither 5 readings nor 15 s yet.
  auto readings = Readings({97, 91, 91, 91, 91}, 2000);
  EXPECT_EQ(EvaluateVitalSign(rules, timing, std::nullopt, readings, std::nullopt).kind, AlarmDecisionKind::kNone);
  // The fifth consecutive low reading alarms.
  readings = Readings({97, 91, 91, 91, 91, 91}, 2000);
  EXPECT_EQ(EvaluateVitalSign(rules, timing, std::nullopt, readings, std::nullopt).kind, AlarmDecisionKind::kRaise);
  // Readings 5 s apart: the fourth low one is 15 s after the first.
  readings = Readings({97, 91, 91, 91}, 5000);
  EXPECT_EQ(EvaluateVitalSign(rules, timing, std::nullopt, readings, std::nullopt).kind, AlarmDecisionKind::kNone);
  readings = Readings({97, 91, 91, 91, 91}, 5000);
  EXPECT_EQ(EvaluateVitalSign(rules, timing, std::nullopt, readings, std::nullopt).kind, AlarmDecisionKind::kRaise);
  // A good reading in between restarts the count.
  readings = Readings({91, 91, 91, 97, 91, 91}, 2000);
  EXPECT_EQ(EvaluateVitalSign(rules, timing, std::nullopt, readings, std::nullopt).kind, AlarmDecisionKind::kNone);
}

TEST(MonitorAlarmEngine, ClearsOnlyPastTheHysteresis) {
  Fixture f;
  const ActiveCondition active{AlarmTier::kWarning, "sys_180"};
  // 178 is back under 180 but not by the 5 mmHg hysteresis; it still holds the advisory tier too.
  auto readings = Readings({185, 178});
  auto d = EvaluateVitalSign(f.rules, f.one_reading, std::nullopt, readings, active);
  EXPECT_EQ(d.kind, AlarmDecisionKind::kNone);
  // 170 no longer holds the warning tier but holds the advisory one: the tier falls.
  readings = Readings({185, 170});
  d = EvaluateVitalSign(f.rules, f.one_reading, std::nullopt, readings, active);
  EXPECT_EQ(d.kind, AlarmDecisionKind::kTierChange);
  EXPECT_EQ(d.tier, AlarmTier::kAdvisory);
  // 135 is within 5 of 140 (still held), 134 clears.
  const ActiveCondition advisory{AlarmTier::kAdvisory, "sys_140"};
  readings = Readings({150, 136});
  EXPECT_EQ(EvaluateVitalSign(f.rules, f.one_reading, std::nullopt, readings, advisory).kind, AlarmDecisionKind::kNone);
  readings = Readings({150, 135});
  EXPECT_EQ(EvaluateVitalSign(f.rules, f.one_reading, std::nullopt, readings, advisory).kind,
            AlarmDecisionKind::kClear);
}

TEST(MonitorAlarmEngine, ATierRiseNeedsPersistenceToo) {
  const AlarmRule warn = Rule("w", VitalParameter::kSpo2, AlarmLimitKind::kAtOrBelow, AlarmTier::kWarning, 92);
  const AlarmRule crit = Rule("c", VitalParameter::kSpo2, AlarmLimitKind::kBelow, AlarmTier::kCritical, 90);
  const std::vector<const AlarmRule*> rules{&warn, &crit};
  const ParameterTiming timing{3, 0, 1};
  const ActiveCondition active{AlarmTier::kWarning, "w"};
  auto readings = Readings({91, 88, 88});
  EXPECT_EQ(EvaluateVitalSign(rules, timing, std::nullopt, readings, active).kind, AlarmDecisionKind::kNone);
  readings = Readings({91, 88, 88, 88});
  auto d = EvaluateVitalSign(rules, timing, std::nullopt, readings, active);
  EXPECT_EQ(d.kind, AlarmDecisionKind::kTierChange);
  EXPECT_EQ(d.tier, AlarmTier::kCritical);
}

TEST(MonitorAlarmEngine, FoldAndEscalation) {
  using K = AlarmEventKind;
  std::vector<AlarmEventFact> events{{K::kRaised, AlarmTier::kAdvisory, "sys_140", 0}};
  AlarmState s = FoldAlarm(events);
  EXPECT_TRUE(s.open());
  EXPECT_FALSE(EscalationDue(s, 119'999, 120));
  ASSERT_TRUE(EscalationDue(s, 120'000, 120));
  EXPECT_EQ(*EscalationDue(s, 120'000, 120), AlarmTier::kWarning);
  events.push_back({K::kEscalated, AlarmTier::kWarning, "sys_140", 120'000});
  s = FoldAlarm(events);
  EXPECT_EQ(s.shown_tier, AlarmTier::kWarning);
  EXPECT_EQ(s.condition_tier, AlarmTier::kAdvisory);
  EXPECT_TRUE(s.escalated);
  EXPECT_FALSE(EscalationDue(s, 200'000, 120));
  EXPECT_EQ(*EscalationDue(s, 240'000, 120), AlarmTier::kCritical);
  events.push_back({K::kEscalated, AlarmTier::kCritical, "sys_140", 240'000});
  s = FoldAlarm(events);
  EXPECT_EQ(s.shown_tier, AlarmTier::kCritical);
  EXPECT_FALSE(EscalationDue(s, 10'000'000, 120)) << "escalated to critical: it waits";
  events.push_back({K::kAcknowledged, AlarmTier::kCritical, "sys_140", 250'000});
  s = FoldAlarm(events);
  EXPECT_TRUE(s.acknowledged);
  EXPECT_TRUE(s.open()) << "still active";
  events.push_back({K::kCleared, AlarmTier::kCritical, "sys_140", 260'000});
  EXPECT_FALSE(FoldAlarm(events).open());
}

TEST(MonitorAlarmEngine, AWorseConditionAfterAcknowledgementNeedsAnotherOne) {
  using K = AlarmEventKind;
  std::vector<AlarmEventFact> events{{K::kRaised, AlarmTier::kWarning, "w", 0},
                                     {K::kAcknowledged, AlarmTier::kWarning, "w", 1000}};
  EXPECT_FALSE(EscalationDue(FoldAlarm(events), 1'000'000, 120));
  events.push_back({K::kTierChanged, AlarmTier::kAdvisory, "a", 2000});
  EXPECT_TRUE(FoldAlarm(events).acknowledged) << "a lower tier keeps the acknowledgement";
  events.push_back({K::kTierChanged, AlarmTier::kCritical, "c", 3000});
  const AlarmState s = FoldAlarm(events);
  EXPECT_FALSE(s.acknowledged);
  EXPECT_EQ(s.shown_tier, AlarmTier::kCritical);
  EXPECT_EQ(*EscalationDue(s, 123'000, 120), AlarmTier::kCritical);
  // A cleared alarm that nobody acknowledged stays open but does not escalate.
  events.push_back({K::kCleared, AlarmTier::kCritical, "c", 4000});
  EXPECT_TRUE(FoldAlarm(events).open());
  EXPECT_FALSE(EscalationDue(FoldAlarm(events), 1'000'000, 120));
}

TEST(MonitorAlarmPolicy, DefaultsAreCitedAndRoundTrip) {
  const AlarmPolicy& p = DefaultAlarmPolicy();
  ASSERT_FALSE(p.rules.empty());
  for (const AlarmRule& r : p.rules) EXPECT_FALSE(r.source.empty()) << r.id;
  EXPECT_TRUE(p.timing_unconfirmed);
  auto read = ReadAlarmPolicy(AlarmPolicyJson(p));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(AlarmPolicyJson(read.value()), AlarmPolicyJson(p));
}

TEST(MonitorAlarmPolicy, BadDocumentsNameTheField) {
  Json doc = AlarmPolicyJson(DefaultAlarmPolicy());
  doc["rules"][1]["tier"] = "urgent";
  auto r = ReadAlarmPolicy(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "rules[1].tier");
  doc = AlarmPolicyJson(DefaultAlarmPolicy());
  doc["rules"][0]["id"] = "systolic_max";
  r = ReadAlarmPolicy(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "rules[0].id");
  doc = AlarmPolicyJson(DefaultAlarmPolicy());
  doc["rules"][1]["id"] = doc["rules"][0]["id"];
  EXPECT_EQ(ReadAlarmPolicy(doc).error().field, "rules[1].id");
  doc = AlarmPolicyJson(DefaultAlarmPolicy());
  doc["timing"]["spo2"]["persistence_readings"] = 0;
  EXPECT_EQ(ReadAlarmPolicy(doc).error().field, "timing.spo2.persistence_readings");
  doc = AlarmPolicyJson(DefaultAlarmPolicy());
  doc["escalation_seconds"] = 5;
  EXPECT_EQ(ReadAlarmPolicy(doc).error().field, "escalation_seconds");
  doc = AlarmPolicyJson(DefaultAlarmPolicy());
  doc["rules"][2]["limit"] = 0;
  EXPECT_EQ(ReadAlarmPolicy(doc).error().field, "rules[2].limit") << "a rise of 0 is no rise";
}

TEST(MonitorAlarmPolicy, ProtocolThresholdIdsMapToVitalSigns) {
  EXPECT_EQ(ProtocolAlarmThreshold("spo2_min")->kind, AlarmLimitKind::kAtOrBelow);
  EXPECT_EQ(ProtocolAlarmThreshold("systolic_max")->parameter, VitalParameter::kSystolic);
  EXPECT_FALSE(ProtocolAlarmThreshold("systolic_peak"));
  EXPECT_EQ(VitalParameterFromLoinc("8889-8"), VitalParameter::kHeartRate);
  EXPECT_EQ(VitalParameterFromLoinc("59408-5"), VitalParameter::kSpo2);
}

}  // namespace
}  // namespace ketachart
