// Synthetic vital signs of one simulated patient through a monitored IV
// ketamine session, for `ketachart monitor-sim` (the demo and the tests). Not
// a clinical model: a plausible shape built from the published observations
// cited in vitals_model.cpp, so that charts, queues and alarms get realistic
// input. Simulated time 0 is the start of a 40-minute infusion.
//
// What it produces: a baseline per patient (drawn from the seed); a
// blood-pressure rise that peaks at the end of the infusion and is gone 90
// minutes later; measurement noise and a slow drift on every channel; SpO2
// mostly 95-99 %; brief pulse-oximeter probe-off periods; in the
// "desaturation" scenario one SpO2 dip, in the "hypertensive" scenario a
// high baseline and a larger rise (to exercise alarms).
//
// Pure and deterministic: every value is a function of (seed, patient index,
// simulated time) through a counter-based hash, with no generator state, so
// the same seed gives the same patient on every run and values may be asked
// for in any order. Thread-safe: immutable after construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ketachart::sim {

// Time since the infusion started.
using SimulatedTime = std::chrono::milliseconds;

enum class Scenario { kTypical, kHypertensive, kDesaturation };
std::string_view ScenarioName(Scenario scenario);
// "typical", "hypertensive", "desaturation"; nullopt otherwise.
std::optional<Scenario> ParseScenario(std::string_view name);

struct VitalsModelOptions {
  uint64_t seed = 1;
  uint32_t patient_index = 0;
  Scenario scenario = Scenario::kTypical;
  // Systolic rise above baseline at the peak; nullopt: the scenario's default.
  // The diastolic rise keeps the scenario's diastolic/systolic ratio.
  std::optional<double> peak_systolic_rise_mmhg;
  // Pulse-oximeter probe-off periods per hour (0 to 30; 0: none).
  double probe_offs_per_hour = 2.0;
};

struct PatientBaseline {
  double systolic_mmhg = 0;
  double diastolic_mmhg = 0;
  double heart_rate_per_min = 0;
  double spo2_percent = 0;
  double respiratory_rate_per_min = 0;
  double temperature_cel = 0;
};

// One non-invasive (cuff) blood-pressure measurement, as a monitor rounds it.
struct CuffReading {
  int systolic_mmhg = 0;
  int diastolic_mmhg = 0;
  int mean_mmhg = 0;
};

// The continuously measured channels at one instant, as a monitor rounds them.
struct ContinuousReading {
  std::optional<int> spo2_percent;        // nullopt: probe off
  std::optional<int> pulse_rate_per_min;  // from the oximeter; nullopt: probe off
  int heart_rate_per_min = 0;             // from the ECG
  int respiratory_rate_per_min = 0;
  double temperature_cel = 0;             // to 0.1
};

class VitalsModel {
 public:
  explicit VitalsModel(const VitalsModelOptions& options);

  const VitalsModelOptions& options() const { return options_; }
  const PatientBaseline& baseline() const { return baseline_; }
  double peak_systolic_rise_mmhg() const { return peak_systolic_rise_mmhg_; }
  double peak_diastolic_rise_mmhg() const { return peak_diastolic_rise_mmhg_; }

  // The noise-free blood-pressure rise above baseline at `t` (0 before the
  // infusion, the peak at 40 min, 0 again from 130 min).
  double SystolicRiseAt(SimulatedTime t) const;
  double DiastolicRiseAt(SimulatedTime t) const;
  // The noise-free SpO2 fall below baseline at `t` (non-zero only in the
  // desaturation scenario).
  double Spo2FallAt(SimulatedTime t) const;
  // True while the pulse-oximeter probe is off the finger.
  bool ProbeOffAt(SimulatedTime t) const;

  CuffReading CuffAt(SimulatedTime t) const;
  ContinuousReading ContinuousAt(SimulatedTime t) const;

 private:
  double Gaussian(uint32_t channel, int64_t key) const;
  double Drift(uint32_t channel, SimulatedTime t) const;

  VitalsModelOptions options_;
  PatientBaseline baseline_;
  double peak_systolic_rise_mmhg_ = 0;
  double peak_diastolic_rise_mmhg_ = 0;
};

}  // namespace ketachart::sim
