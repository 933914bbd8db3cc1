// Tests of the simulated patient: deterministic for a seed; the noise-free
// blood-pressure rise peaks at 40 minutes and is gone by 130; noisy cuff
// readings averaged over many patients peak near 40 minutes and come back to
// baseline; SpO2 stays mostly in 95-99 %; probe-off periods happen at the
// configured rate and blank the oximeter channels; the scenarios differ as
// documented.
#include "sim/vitals_model.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

namespace ketachart::sim {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

VitalsModel Patient(uint64_t seed, uint32_t index, Scenario scenario = Scenario::kTypical) {
  return VitalsModel(VitalsModelOptions{seed, index, scenario, std::nullopt, 2.0});
}

TEST(SimVitalsModel, SameSeedSameValuesDifferentSeedDifferentPatient) {
  const VitalsModel a = Patient(7, 1), b = Patient(7, 1), c = Patient(8, 1), d = Patient(7, 2);
  EXPECT_EQ(a.baseline().systolic_mmhg, b.baseline().systolic_mmhg);
  for (int s = 0; s < 7200; s += 37) {
    const SimulatedTime t = seconds(s);
    EXPECT_EQ(a.CuffAt(t).systolic_mmhg, b.CuffAt(t).systolic_mmhg);
    EXPECT_EQ(a.ContinuousAt(t).heart_rate_per_min, b.ContinuousAt(t).heart_rate_per_min);
    EXPECT_EQ(a.ContinuousAt(t).spo2_percent, b.ContinuousAt(t).spo2_percent);
  }
  // Order does not matter: asking again later gives the same reading.
  const auto early = a.ContinuousAt(minutes(3)).respiratory_rate_per_min;
  (void)a.ContinuousAt(minutes(90));
  EXPECT_EQ(a.ContinuousAt(minutes(3)).respiratory_rate_per_min, early);
  EXPECT_NE(a.baseline().systolic_mmhg, c.baseline().systolic_mmhg);
  EXPECT_NE(a.baseline().heart_rate_per_min, d.baseline().heart_rate_per_min);
}

TEST(SimVitalsModel, BaselinesLieInTheDocumentedRanges) {
  for (uint32_t i = 0; i < 200; ++i) {
    const PatientBaseline typical = Patient(1, i).baseline();
    EXPECT_GE(typical.systolic_mmhg, 100);
    EXPECT_LE(typical.systolic_mmhg, 138);
    EXPECT_LE(typical.diastolic_mmhg, 88);
    EXPECT_GE(typical.systolic_mmhg - typical.diastolic_mmhg, 30);
    EXPECT_GE(typical.spo2_percent, 96);
    EXPECT_LE(typical.spo2_percent, 99);
    EXPECT_GE(typical.heart_rate_per_min, 60);
    EXPECT_LE(typical.heart_rate_per_min, 96);
    EXPECT_GE(typical.temperature_cel, 36.5);
    EXPECT_LE(typical.temperature_cel, 37.2);
    const PatientBaseline high = Patient(1, i, Scenario::kHypertensive).baseline();
    EXPECT_GT(high.systolic_mmhg, 140);  // above the Spravato 140/90 caution
    EXPECT_GT(high.diastolic_mmhg, 90);
  }
}

TEST(SimVitalsModel, NoiseFreeRisePeaksAtFortyMinutesAndIsGoneByOneHundredThirty) {
  const VitalsModel patient = Patient(1, 0);
  EXPECT_DOUBLE_EQ(patient.peak_systolic_rise_mmhg(), 16);
  EXPECT_DOUBLE_EQ(patient.peak_diastolic_rise_mmhg(), 11);
  int peak_minute = -1;
  double peak = -1;
  for (int m = -10; m <= 180; ++m) {
    const double rise = patient.SystolicRiseAt(minutes(m));
    if (rise > peak) {
      peak = rise;
      peak_minute = m;
    }
  }
  EXPECT_EQ(peak_minute, 40);
  EXPECT_DOUBLE_EQ(peak, 16);
  EXPECT_DOUBLE_EQ(patient.SystolicRiseAt(minutes(-5)), 0);
  EXPECT_GT(patient.SystolicRiseAt(minutes(30)), 0.8 * peak);  // Emory: largest mean rise by 30 min
  EXPECT_LT(patient.SystolicRiseAt(minutes(120)), 0.05 * peak);
  EXPECT_DOUBLE_EQ(patient.SystolicRiseAt(minutes(130)), 0);  // Szarmach: baseline within 1.5 h
  EXPECT_DOUBLE_EQ(patient.DiastolicRiseAt(minutes(40)), 11);
}

TEST(SimVitalsModel, NoisyCuffReadingsPeakNearFortyMinutesAndReturnToBaseline) {
  // Mean rise above each patient's baseline over 300 patients, every 5 minutes.
  std::map<int, double> mean_rise;
  constexpr int kPatients = 300;
  for (uint32_t i = 0; i < kPatients; ++i) {
    const VitalsModel patient = Patient(42, i);
    for (int m = 0; m <= 150; m += 5) {
      mean_rise[m] += (patient.CuffAt(minutes(m)).systolic_mmhg - patient.baseline().systolic_mmhg) / kPatients;
    }
  }
  int peak_minute = 0;
  for (const auto& [m, rise] : mean_rise) {
    if (rise > mean_rise[peak_minute]) peak_minute = m;
  }
  EXPECT_GE(peak_minute, 30);
  EXPECT_LE(peak_minute, 50);
  EXPECT_GT(mean_rise[40], 12);
  EXPECT_LT(std::abs(mean_rise[0]), 2);
  EXPECT_LT(std::abs(mean_rise[135]), 2);
  EXPECT_LT(std::abs(mean_rise[150]), 2);
}

TEST(SimVitalsModel, PeakRiseCanBeSetAndHypertensiveRisesMore) {
  VitalsModelOptions options{3, 0, Scenario::kTypical, 30.0, 0};
  const VitalsModel set(options);
  EXPECT_DOUBLE_EQ(set.SystolicRiseAt(minutes(40)), 30);
  EXPECT_NEAR(set.DiastolicRiseAt(minutes(40)), 30 * 11.0 / 16.0, 1e-9);
  const VitalsModel high = Patient(3, 0, Scenario::kHypertensive);
  EXPECT_DOUBLE_EQ(high.peak_systolic_rise_mmhg(), 40);
  EXPECT_DOUBLE_EQ(high.peak_diastolic_rise_mmhg(), 25);
  // At the peak the hypertensive patient is well above 180 systolic (alarms).
  EXPECT_GT(high.baseline().systolic_mmhg + high.SystolicRiseAt(minutes(40)), 180);
}

TEST(SimVitalsModel, CuffReadingsAreConsistent) {
  const VitalsModel patient = Patient(5, 3, Scenario::kHypertensive);
  for (int m = 0; m <= 120; m += 5) {
    const CuffReading r = patient.CuffAt(minutes(m));
    EXPECT_GE(r.systolic_mmhg - r.diastolic_mmhg, 20) << m;
    EXPECT_GT(r.mean_mmhg, r.diastolic_mmhg);
    EXPECT_LT(r.mean_mmhg, r.systolic_mmhg);
  }
}

TEST(SimVitalsModel, Spo2MostlyNinetyFiveToNinetyNine) {
  int in_range = 0, readings = 0;
  for (uint32_t i = 0; i < 20; ++i) {
    const VitalsModel patient(VitalsModelOptions{9, i, Scenario::kTypical, std::nullopt, 0});
    for (int s = 0; s < 7200; s += 5) {
      const ContinuousReading r = patient.ContinuousAt(seconds(s));
      ASSERT_TRUE(r.spo2_percent.has_value());
      EXPECT_LE(*r.spo2_percent, 100);
      EXPECT_GE(*r.spo2_percent, 92);
      ++readings;
      if (*r.spo2_percent >= 95 && *r.spo2_percent <= 99) ++in_range;
    }
  }
  EXPECT_GT(in_range, readings * 95 / 100);
}

TEST(SimVitalsModel, ProbeOffBlanksTheOximeterAtTheConfiguredRate) {
  const VitalsModel patient(VitalsModelOptions{11, 0, Scenario::kTypical, std::nullopt, 6.0});
  int episodes = 0, off_seconds = 0;
  bool was_off = false;
  for (int s = 0; s < 4 * 3600; ++s) {
    const bool off = patient.ProbeOffAt(seconds(s));
    const ContinuousReading r = patient.ContinuousAt(seconds(s));
    EXPECT_EQ(off, !r.spo2_percent.has_value()) << s;
    EXPECT_EQ(off, !r.pulse_rate_per_min.has_value()) << s;
    EXPECT_GT(r.heart_rate_per_min, 0);  // the ECG keeps reading
    if (off) ++off_seconds;
    if (off && !was_off) ++episodes;
    was_off = off;
  }
  EXPECT_EQ(episodes, 24);  // one per 10-minute window over 4 hours
  EXPECT_GE(off_seconds, 24 * 20);
  EXPECT_LE(off_seconds, 24 * 60);
  const VitalsModel never(VitalsModelOptions{11, 0, Scenario::kTypical, std::nullopt, 0});
  for (int s = 0; s < 7200; s += 3) EXPECT_FALSE(never.ProbeOffAt(seconds(s)));
}

TEST(SimVitalsModel, DesaturationScenarioDipsBelowNinetyAndRecovers) {
  const VitalsModel patient(VitalsModelOptions{2, 0, Scenario::kDesaturation, std::nullopt, 0});
  EXPECT_DOUBLE_EQ(patient.Spo2FallAt(minutes(10)), 0);
  int lowest = 100;
  for (int s = 20 * 60; s < 30 * 60; s += 5) lowest = std::min(lowest, *patient.ContinuousAt(seconds(s)).spo2_percent);
  EXPECT_LE(lowest, 90);
  EXPECT_GE(*patient.ContinuousAt(minutes(45)).spo2_percent, 94);
  EXPECT_LT(patient.ContinuousAt(minutes(24)).respiratory_rate_per_min,
            patient.baseline().respiratory_rate_per_min);
  EXPECT_DOUBLE_EQ(Patient(2, 0).Spo2FallAt(minutes(24)), 0);  // typical patients do not dip
}

TEST(SimVitalsModel, ScenarioNames) {
  EXPECT_EQ(ParseScenario("hypertensive"), Scenario::kHypertensive);
  EXPECT_EQ(ScenarioName(Scenario::kDesaturation), "desaturation");
  EXPECT_FALSE(ParseScenario("Typical").has_value());
}

}  // namespace
}  // namespace ketachart::sim
