// Tests of the dose calculator: the 0.5 mg/kg example, rounding,
// the protocol maximum guard, vial and dilution rules, pump rate, devices.
#include "clinical/pk/dose_calculator.h"

#include <gtest/gtest.h>

namespace ketachart::pk {
namespace {

DoseOrder StandardOrder() {
  DoseOrder order;
  order.dose_per_kg = MilligramsPerKilogram(0.5);  // clinical-reference.md B standard dose
  order.weight = {Kilograms(72.4), "2026-11-20"};
  order.vial_strength = MilligramsPerMillilitre(50);
  order.diluent = Millilitres(100);
  order.infusion_duration = Minutes(40);
  return order;
}

TEST(DoseCalculator, HalfMgPerKgOverFortyMinutes) {
  auto r = CalculateDose(StandardOrder());
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r.value().dose.value(), 36.2);
  EXPECT_EQ(r.value().weight.recorded_on, "2026-11-20");
  EXPECT_DOUBLE_EQ(r.value().volume_to_draw.value(), 36.2 / 50);
  EXPECT_DOUBLE_EQ(r.value().final_volume.value(), 100 + 36.2 / 50);
  EXPECT_NEAR(r.value().final_concentration.value(), 36.2 / 100.724, 1e-12);
  EXPECT_NEAR(r.value().pump_rate->value(), 100.724 * 60 / 40, 1e-12);
  EXPECT_NEAR(r.value().drug_rate->value(), 36.2 / 40, 1e-12);
}

TEST(DoseCalculator, RoundsToTheNearestStepInWholeMicrograms) {
  DoseOrder order = StandardOrder();
  order.rounding_step = Milligrams(0.5);
  order.weight.weight = Kilograms(72.7);  // 36.35 mg -> 36.5
  auto r = CalculateDose(order);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r.value().unrounded_dose.value(), 36.35);
  EXPECT_DOUBLE_EQ(r.value().dose.value(), 36.5);
  order.weight.weight = Kilograms(72.2);  // 36.1 -> 36.0
  EXPECT_DOUBLE_EQ(CalculateDose(order).value().dose.value(), 36.0);
}

TEST(DoseCalculator, RefusesAboveTheProtocolMaximum) {
  DoseOrder order = StandardOrder();
  order.protocol_maximum = Milligrams(36);
  auto r = CalculateDose(order);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "dose_mg_per_kg");
  order.protocol_maximum = Milligrams(36.2);
  EXPECT_TRUE(CalculateDose(order).ok());
}

TEST(DoseCalculator, EnforcesVialAndDilutionRules) {
  DoseOrder order = StandardOrder();
  order.vial_strength = MilligramsPerMillilitre(100);
  order.diluent.reset();
  EXPECT_EQ(CalculateDose(order).error().field, "diluent_ml");
  order.vial_strength = MilligramsPerMillilitre(10);
  order.diluent = Millilitres(10);
  EXPECT_EQ(CalculateDose(order).error().field, "diluent_ml");
  order.diluent.reset();
  auto undiluted = CalculateDose(order);
  ASSERT_TRUE(undiluted.ok());
  EXPECT_DOUBLE_EQ(undiluted.value().final_concentration.value(), 10);
  order.vial_strength = MilligramsPerMillilitre(25);
  EXPECT_EQ(CalculateDose(order).error().field, "vial_mg_per_ml");
}

TEST(DoseCalculator, RefusesImplausibleWeights) {
  DoseOrder order = StandardOrder();
  for (double kg : {19.9, 300.1, 0.0, -5.0}) {
    order.weight.weight = Kilograms(kg);
    EXPECT_EQ(CalculateDose(order).error().field, "weight_kg") << kg;
  }
  order.weight = {Kilograms(70), ""};
  EXPECT_EQ(CalculateDose(order).error().field, "weight_recorded_on");
}

TEST(DoseCalculator, CountsEsketamineDevices) {
  EXPECT_EQ(EsketamineDevices(Milligrams(28)).value(), 1);
  EXPECT_EQ(EsketamineDevices(Milligrams(56)).value(), 2);
  EXPECT_EQ(EsketamineDevices(Milligrams(84)).value(), 3);
  EXPECT_FALSE(EsketamineDevices(Milligrams(50)).ok());
  EXPECT_FALSE(EsketamineDevices(Milligrams(112)).ok());
  EXPECT_FALSE(EsketamineDevices(Milligrams(0)).ok());
}

}  // namespace
}  // namespace ketachart::pk
