// Tests of plasma-targeted infusion schedules: the prediction reaches the
// target at every pump update, rates are never negative, the pump maximum
// holds, and the text form.
#include "clinical/pk/target_controlled_infusion.h"

#include <gtest/gtest.h>

#include "clinical/pk/pk_model_catalog.h"
#include "clinical/pk/simulation.h"

namespace ketachart::pk {
namespace {

CompartmentSystem Domino70() {
  return BuildCompartmentSystem(*FindModel("domino-1984").value(), {Kilograms(70)}).value();
}

TEST(TargetControlledInfusion, HoldsTheTargetAtEveryPumpUpdate) {
  const CompartmentSystem system = Domino70();
  TciRequest request;
  Minutes end;
  request.targets = ParseTargetProfileText("150 ng/mL for 40 min, 0 ng/mL for 20 min", end, "target").value();
  request.end = end;
  request.update_interval = Minutes(1);
  auto tci = PlanTargetControlledInfusion(system, request);
  ASSERT_TRUE(tci.ok());
  ASSERT_EQ(tci.value().schedule.size(), 60u);
  std::vector<Minutes> times;
  for (int t = 1; t <= 40; ++t) times.push_back(Minutes(t));
  auto plasma = SimulatePlasma(system, tci.value().plan, times);
  ASSERT_TRUE(plasma.ok());
  for (const auto& c : plasma.value()) EXPECT_NEAR(c.value(), 150, 1e-8);
  for (const auto& step : tci.value().schedule) {
    EXPECT_GE(step.rate.value(), 0);
    if (step.start.value() >= 40) {
      EXPECT_EQ(step.rate.value(), 0);
    }
  }
  // Holding a target needs less drug each minute once the peripheral compartments fill.
  EXPECT_GT(tci.value().schedule[0].rate.value(), tci.value().schedule[39].rate.value());
}

TEST(TargetControlledInfusion, RespectsThePumpMaximum) {
  TciRequest request;
  request.targets = {{Minutes(0), NanogramsPerMillilitre(150)}};
  request.end = Minutes(30);
  request.update_interval = Minutes(0.5);
  request.maximum_rate = MilligramsPerMinute(0.5);
  auto tci = PlanTargetControlledInfusion(Domino70(), request);
  ASSERT_TRUE(tci.ok());
  for (const auto& step : tci.value().schedule) EXPECT_LE(step.rate.value(), 0.5);
  EXPECT_EQ(tci.value().schedule[0].rate.value(), 0.5);
}

TEST(TargetControlledInfusion, RejectsMalformedProfiles) {
  Minutes end;
  EXPECT_FALSE(ParseTargetProfileText("150 for 40 min", end, "target").ok());
  EXPECT_FALSE(ParseTargetProfileText("150 ng/mL for 0 min", end, "target").ok());
  TciRequest request;
  request.targets = {{Minutes(0), NanogramsPerMillilitre(150)}};
  request.end = Minutes(30);
  request.update_interval = Minutes(0);
  EXPECT_FALSE(PlanTargetControlledInfusion(Domino70(), request).ok());
}

}  // namespace
}  // namespace ketachart::pk
