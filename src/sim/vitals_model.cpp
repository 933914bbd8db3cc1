// The simulated patient's vital signs (see vitals_model.h). Every number is
// either cited (clinical-reference.md sections B, C and G, or the source
// named beside it) or marked as a modelling choice: a value picked so the
// traces look like a monitor's, which no clinical rule depends on.
#include "sim/vitals_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/counter_hash.h"

namespace ketachart::sim {
namespace {

using Minutes = std::chrono::duration<double, std::ratio<60>>;

// --- The infusion and the blood-pressure rise ------------------------------
// 0.5 mg/kg IV over 40 minutes is the standard antidepressant dose (Zanos
// 2018 Table 1 / Zarate 2006; clinical-reference.md B).
constexpr double kInfusionMinutes = 40.0;
// The rise peaks at the end of the infusion: the Yale series (2,342
// infusions, Gen Hosp Psychiatry 2024) found SBP/DBP peaking at 40 minutes;
// the Emory series (684 infusions, J Affect Disord 2018) had its largest mean
// rise at 30 minutes (clinical-reference.md C1 and G). The rising half-cosine
// below is already at 85 % of the peak by 30 minutes.
constexpr double kPeakMinutes = kInfusionMinutes;
// Back to baseline within 1.5 h of the end of the infusion (Szarmach J et
// al., Neuropsychiatr Dis Treat 2020;16:2539; clinical-reference.md C1).
constexpr double kRecoveryMinutes = 90.0;

struct ScenarioShape {
  // Baseline: mean and SD of the draw, clamped to [low, high].
  double systolic_mean, systolic_sd, systolic_low, systolic_high;
  double diastolic_mean, diastolic_sd, diastolic_low, diastolic_high;
  double peak_systolic_rise_mmhg, peak_diastolic_rise_mmhg;
};

// Typical: resting adult pressures around the MedlinePlus normal range
// (90/60 to 120/80 mm Hg; medlineplus.gov/ency/article/002341.htm), clamped
// below the Spravato pre-dose caution of 140/90 (PDR Spravato summary;
// clinical-reference.md C1). Peak rise +16/+11 mm Hg: the Yale series' mean
// at 40 minutes (clinical-reference.md G). The Emory series' mean rise was
// smaller (+3.3/+3.2 mm Hg at 30 minutes) with hypertensive patients rising
// more (C1), so this default is modest for a clinic yet visible above the
// cuff's noise.
constexpr ScenarioShape kTypical{118, 8, 100, 138, 76, 6, 62, 88, 16, 11};
// Hypertensive: baseline above the Spravato 140/90 caution (C1) and below the
// 160/100 uncontrolled-hypertension exclusion some clinics use
// (clinical-reference.md H.10). Peak rise +40/+25 mm Hg: the size of the rise
// the Spravato label counts (SBP >= 40 or DBP >= 25 mm Hg in 8-19 % of
// patients; clinical-reference.md G). The peak (about 188/117) lies above the
// 180/100 hold limits that are often quoted (unconfirmed, C1) and near the
// 180/115 at which Murrough 2013 stopped one patient (B), so it exercises
// blood-pressure alarms.
constexpr ScenarioShape kHypertensive{148, 5, 141, 158, 93, 3, 91, 99, 40, 25};

const ScenarioShape& ShapeOf(Scenario scenario) {
  return scenario == Scenario::kHypertensive ? kHypertensive : kTypical;
}

// --- The other channels' baselines -------------------------------------------
// Inside the MedlinePlus adult resting ranges (pulse 60-100/min, breathing
// 12-18/min, temperature 36.5-37.3 Cel; medlineplus.gov/ency/article/002341.htm)
// and, for SpO2, 96-100 % (the "normal vital signs for adults" health
// library page, Healthwise). Means and SDs are modelling choices.
constexpr double kHeartRateMean = 74, kHeartRateSd = 8, kHeartRateLow = 60, kHeartRateHigh = 96;
constexpr double kSpo2Mean = 97.5, kSpo2Sd = 0.6, kSpo2Low = 96, kSpo2High = 99;
constexpr double kRespiratoryMean = 15, kRespiratorySd = 1.5, kRespiratoryLow = 12, kRespiratoryHigh = 18;
constexpr double kTemperatureMean = 36.8, kTemperatureSd = 0.2, kTemperatureLow = 36.5, kTemperatureHigh = 37.2;

// --- Noise ---------------------------------------------------------------------
// Per-reading noise. Cuff: SD 4/3 mm Hg, inside the ISO 81060-2 validation
// limit for automated cuffs (mean difference <= 5 mm Hg, SD <= 8 mm Hg;
// ANSI/AAMI/ISO 81060-2:2013 as tabulated in Biomed Eng Lett 2019;9:37,
// PMC6431352 Table 3). SpO2: SD 0.5 %, inside the FDA accuracy limit for
// transmittance oximeters (ARMS <= 3 %; opencriticalcare.org "What is the
// ARMS", citing FDA guidance). The others are modelling choices.
constexpr double kSystolicNoiseSd = 4, kDiastolicNoiseSd = 3;
constexpr double kSpo2NoiseSd = 0.5, kPulseNoiseSd = 1.0, kHeartRateNoiseSd = 1.5;
constexpr double kRespiratoryNoiseSd = 0.6, kTemperatureNoiseSd = 0.03;
// Slow drift (modelling choice): smooth wandering with a new target every
// 3 minutes, so consecutive readings are correlated as real ones are.
constexpr std::chrono::milliseconds kDriftKnot = std::chrono::minutes(3);
constexpr double kSystolicDriftSd = 3, kDiastolicDriftSd = 2, kHeartRateDriftSd = 3;
constexpr double kSpo2DriftSd = 0.4, kRespiratoryDriftSd = 1.0, kTemperatureDriftSd = 0.05;
// An oscillometric cuff reports a pulse pressure of at least this, and a
// resting patient has at least the second (modelling choices).
constexpr int kMinimumPulsePressureMmhg = 20;
constexpr double kMinimumBaselinePulsePressureMmhg = 30;
// Correlation of a patient's baseline systolic and diastolic pressure
// (modelling choice).
constexpr double kBaselinePressureCorrelation = 0.7;

// --- Probe off -------------------------------------------------------------------
// A finger probe slips or is taken off for 20-60 s (modelling choice), once
// per window of 60/rate minutes at a place in the window drawn from the seed.
constexpr double kProbeOffShortestSeconds = 20, kProbeOffLongestSeconds = 60;

// --- The desaturation scenario ---------------------------------------------------
// One SpO2 dip during the infusion, to exercise SpO2 alarms: respiratory
// depression is a Ketalar label warning and Spravato sessions require pulse
// oximetry (clinical-reference.md C1, C3). The nadir, 88 %, lies below both
// modified Aldrete SpO2 cut-offs (> 92 % on room air scores 2, < 90 % scores
// 0; C2), the > 92 % being KetaChart's default SpO2 threshold (C1). Timing
// and depth are modelling choices, as is breathing slowing by 5/min at the
// nadir (hypoventilation).
constexpr double kDipStartMinutes = 20, kDipFallMinutes = 2, kDipHoldMinutes = 4, kDipRecoveryMinutes = 3;
constexpr double kDipNadirPercent = 88;
constexpr double kDipRespiratorySlowingPerMin = 5;

// Noise channels: each its own independent stream of the hash.
enum Channel : uint32_t {
  kBaselineSystolic = 1,
  kBaselineDiastolic,
  kBaselineHeartRate,
  kBaselineSpo2,
  kBaselineRespiratory,
  kBaselineTemperature,
  kNoiseSystolic,
  kNoiseDiastolic,
  kNoiseHeartRate,
  kNoisePulse,
  kNoiseSpo2,
  kNoiseRespiratory,
  kNoiseTemperature,
  kDriftSystolic,
  kDriftDiastolic,
  kDriftHeartRate,
  kDriftSpo2,
  kDriftRespiratory,
  kDriftTemperature,
  kProbeOffLength,
  kProbeOffPlace,
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

double Clamp(double value, double low, double high) { return std::min(high, std::max(low, value)); }

int Round(double value) { return static_cast<int>(std::lround(value)); }

double MinutesOf(SimulatedTime t) { return std::chrono::duration_cast<Minutes>(t).count(); }

// 0 before the infusion, rising to 1 at the peak, back to 0 after recovery.
double RiseFraction(SimulatedTime t) {
  const double minutes = MinutesOf(t);
  if (minutes <= 0) return 0;
  if (minutes <= kPeakMinutes) return 0.5 * (1 - std::cos(std::numbers::pi * minutes / kPeakMinutes));
  if (minutes < kPeakMinutes + kRecoveryMinutes) {
    return 0.5 * (1 + std::cos(std::numbers::pi * (minutes - kPeakMinutes) / kRecoveryMinutes));
  }
  return 0;
}

}  // namespace

std::string_view ScenarioName(Scenario scenario) {
  switch (scenario) {
    case Scenario::kTypical: return "typical";
    case Scenario::kHypertensive: return "hypertensive";
    case Scenario::kDesaturation: return "desaturation";
  }
  return "typical";
}

std::optional<Scenario> ParseScenario(std::string_view name) {
  for (Scenario scenario : {Scenario::kTypical, Scenario::kHypertensive, Scenario::kDesaturation}) {
    if (ScenarioName(scenario) == name) return scenario;
  }
  return std::nullopt;
}

VitalsModel::VitalsModel(const VitalsModelOptions& options) : options_(options) {
  const ScenarioShape& shape = ShapeOf(options.scenario);
  const auto draw = [this](uint32_t channel, double mean, double sd, double low, double high) {
    return Clamp(mean + sd * Gaussian(channel, 0), low, high);
  };
  // Systolic and diastolic pressures of one person go together: the
  // diastolic draw shares part of the systolic one.
  const double systolic_z = Gaussian(kBaselineSystolic, 0);
  const double diastolic_z = kBaselinePressureCorrelation * systolic_z +
                             std::sqrt(1 - kBaselinePressureCorrelation * kBaselinePressureCorrelation) *
                                 Gaussian(kBaselineDiastolic, 0);
  baseline_.systolic_mmhg =
      Clamp(shape.systolic_mean + shape.systolic_sd * systolic_z, shape.systolic_low, shape.systolic_high);
  baseline_.diastolic_mmhg =
      Clamp(shape.diastolic_mean + shape.diastolic_sd * diastolic_z, shape.diastolic_low,
            std::min(shape.diastolic_high, baseline_.systolic_mmhg - kMinimumBaselinePulsePressureMmhg));
  baseline_.heart_rate_per_min = draw(kBaselineHeartRate, kHeartRateMean, kHeartRateSd, kHeartRateLow, kHeartRateHigh);
  baseline_.spo2_percent = draw(kBaselineSpo2, kSpo2Mean, kSpo2Sd, kSpo2Low, kSpo2High);
  baseline_.respiratory_rate_per_min =
      draw(kBaselineRespiratory, kRespiratoryMean, kRespiratorySd, kRespiratoryLow, kRespiratoryHigh);
  baseline_.temperature_cel =
      draw(kBaselineTemperature, kTemperatureMean, kTemperatureSd, kTemperatureLow, kTemperatureHigh);
  peak_systolic_rise_mmhg_ = options.peak_systolic_rise_mmhg.value_or(shape.peak_systolic_rise_mmhg);
  peak_diastolic_rise_mmhg_ =
      peak_systolic_rise_mmhg_ * shape.peak_diastolic_rise_mmhg / shape.peak_systolic_rise_mmhg;
}

double VitalsModel::Gaussian(uint32_t channel, int64_t key) const {
  // Box-Muller from two independent uniforms of the same (channel, key).
  const uint64_t bits = CounterHash(options_.seed, options_.patient_index, channel, key);
  const double u1 = UnitInterval(bits), u2 = UnitInterval(SplitMix64(bits));
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

double VitalsModel::Drift(uint32_t channel, SimulatedTime t) const {
  const int64_t knot = FloorDiv(t.count(), kDriftKnot.count());
  const double f = static_cast<double>(t.count() - knot * kDriftKnot.count()) / kDriftKnot.count();
  const double s = f * f * (3 - 2 * f);  // smoothstep between the knots' targets
  return Gaussian(channel, knot) * (1 - s) + Gaussian(channel, knot + 1) * s;
}

double VitalsModel::SystolicRiseAt(SimulatedTime t) const { return peak_systolic_rise_mmhg_ * RiseFraction(t); }

double VitalsModel::DiastolicRiseAt(SimulatedTime t) const { return peak_diastolic_rise_mmhg_ * RiseFraction(t); }

double VitalsModel::Spo2FallAt(SimulatedTime t) const {
  if (options_.scenario != Scenario::kDesaturation) return 0;
  const double depth = std::max(0.0, baseline_.spo2_percent - kDipNadirPercent);
  const double minutes = MinutesOf(t) - kDipStartMinutes;
  if (minutes <= 0) return 0;
  if (minutes < kDipFallMinutes) return depth * minutes / kDipFallMinutes;
  if (minutes < kDipFallMinutes + kDipHoldMinutes) return depth;
  const double recovering = minutes - kDipFallMinutes - kDipHoldMinutes;
  if (recovering < kDipRecoveryMinutes) return depth * (1 - recovering / kDipRecoveryMinutes);
  return 0;
}

bool VitalsModel::ProbeOffAt(SimulatedTime t) const {
  if (options_.probe_offs_per_hour <= 0) return false;
  const int64_t window_ms = static_cast<int64_t>(3'600'000.0 / options_.probe_offs_per_hour);
  const int64_t window = FloorDiv(t.count(), window_ms);
  const double length_ms =
      1000 * (kProbeOffShortestSeconds +
              (kProbeOffLongestSeconds - kProbeOffShortestSeconds) *
                  UnitInterval(CounterHash(options_.seed, options_.patient_index, kProbeOffLength, window)));
  const double place_ms =
      (static_cast<double>(window_ms) - length_ms) * UnitInterval(CounterHash(options_.seed, options_.patient_index, kProbeOffPlace, window));
  const double into_window_ms = static_cast<double>(t.count() - window * window_ms);
  return into_window_ms >= place_ms && into_window_ms < place_ms + length_ms;
}

CuffReading VitalsModel::CuffAt(SimulatedTime t) const {
  const int64_t key = t.count();
  const double systolic = baseline_.systolic_mmhg + SystolicRiseAt(t) + kSystolicDriftSd * Drift(kDriftSystolic, t) +
                          kSystolicNoiseSd * Gaussian(kNoiseSystolic, key);
  const double diastolic = baseline_.diastolic_mmhg + DiastolicRiseAt(t) +
                           kDiastolicDriftSd * Drift(kDriftDiastolic, t) +
                           kDiastolicNoiseSd * Gaussian(kNoiseDiastolic, key);
  CuffReading reading;
  reading.systolic_mmhg = Round(systolic);
  reading.diastolic_mmhg = std::min(Round(diastolic), reading.systolic_mmhg - kMinimumPulsePressureMmhg);
  // Mean arterial pressure by the usual estimate DBP + (SBP - DBP) / 3.
  reading.mean_mmhg = Round(reading.diastolic_mmhg + (reading.systolic_mmhg - reading.diastolic_mmhg) / 3.0);
  return reading;
}

ContinuousReading VitalsModel::ContinuousAt(SimulatedTime t) const {
  const int64_t key = t.count();
  ContinuousReading reading;
  const double heart_rate = baseline_.heart_rate_per_min + kHeartRateDriftSd * Drift(kDriftHeartRate, t) +
                            kHeartRateNoiseSd * Gaussian(kNoiseHeartRate, key);
  reading.heart_rate_per_min = std::max(30, Round(heart_rate));
  const double fall = Spo2FallAt(t);
  const double slowing = fall > 0 ? kDipRespiratorySlowingPerMin * fall / std::max(1.0, baseline_.spo2_percent - kDipNadirPercent) : 0;
  const double respiratory = baseline_.respiratory_rate_per_min - slowing +
                             kRespiratoryDriftSd * Drift(kDriftRespiratory, t) +
                             kRespiratoryNoiseSd * Gaussian(kNoiseRespiratory, key);
  reading.respiratory_rate_per_min = std::max(4, Round(respiratory));
  const double temperature = baseline_.temperature_cel + kTemperatureDriftSd * Drift(kDriftTemperature, t) +
                             kTemperatureNoiseSd * Gaussian(kNoiseTemperature, key);
  reading.temperature_cel = std::round(temperature * 10) / 10;
  if (!ProbeOffAt(t)) {
    const double spo2 = baseline_.spo2_percent - fall + kSpo2DriftSd * Drift(kDriftSpo2, t) +
                        kSpo2NoiseSd * Gaussian(kNoiseSpo2, key);
    reading.spo2_percent = std::min(100, Round(spo2));
    // The oximeter's pulse follows the ECG rate.
    reading.pulse_rate_per_min = std::max(30, Round(heart_rate + kPulseNoiseSd * Gaussian(kNoisePulse, key)));
  }
  return reading;
}

}  // namespace ketachart::sim
