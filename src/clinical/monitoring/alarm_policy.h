// The clinic's monitor alarm policy: which vital-sign conditions raise an
// alarm at which tier (advisory, warning, critical), how long a condition must
// hold before it alarms (persistence), how far a value must come back before
// the alarm clears (hysteresis), and how long an unacknowledged alarm waits
// before it escalates. The absolute warning limits come from the session's
// protocol version (monitoring.alarm_thresholds); the clinic's policy adds the
// other tiers, the rises over the patient's baseline and the timing. Every
// default carries its citation; defaults with no retrieved source are marked
// unconfirmed and the UI says so. Pure; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_input.h"
#include "base/result.h"

namespace ketachart {

enum class VitalParameter : uint8_t {
  kSpo2,
  kHeartRate,  // the ECG heart rate or, without one, the oximeter's pulse rate
  kSystolic,
  kDiastolic,
  kMeanPressure,
  kRespiratoryRate,
  kTemperature,
};
inline constexpr size_t kVitalParameterCount = 7;

enum class AlarmTier : uint8_t { kAdvisory = 1, kWarning = 2, kCritical = 3 };

enum class AlarmLimitKind : uint8_t {
  kAbove,              // value > limit
  kBelow,              // value < limit
  kAtOrBelow,          // value <= limit
  kRiseAboveBaseline,  // value - baseline > limit (needs a baseline)
};

struct AlarmRule {
  std::string id;
  std::string label;
  VitalParameter parameter = VitalParameter::kSystolic;
  AlarmLimitKind kind = AlarmLimitKind::kAbove;
  AlarmTier tier = AlarmTier::kWarning;
  double limit = 0;
  std::string source;  // the citation, or why there is none
  bool unconfirmed = false;
  std::string origin;  // "protocol" or "clinic"
};

struct ParameterTiming {
  // A condition alarms once it has held for this many consecutive readings,
  // or (when persistence_seconds > 0) for this many seconds, whichever first.
  int persistence_readings = 1;
  int persistence_seconds = 0;
  // An active alarm clears only when the value is back inside its limit by
  // at least this much (in the parameter's unit).
  double hysteresis = 0;
};

struct AlarmPolicy {
  std::vector<AlarmRule> rules;  // the clinic's own (origin "clinic")
  std::array<ParameterTiming, kVitalParameterCount> timing{};
  int escalation_seconds = 120;
  std::string timing_source;
  bool timing_unconfirmed = true;
};

std::string_view VitalParameterName(VitalParameter parameter);  // "spo2", "heart_rate", ...
std::optional<VitalParameter> VitalParameterFromName(std::string_view name);
std::string_view VitalParameterUnit(VitalParameter parameter);  // UCUM: "%", "/min", "mm[Hg]", "Cel"
// The parameter a canonical observation's LOINC code measures; nullopt otherwise.
std::optional<VitalParameter> VitalParameterFromLoinc(std::string_view loinc);
std::string_view AlarmTierName(AlarmTier tier);  // "advisory", "warning", "critical"
std::optional<AlarmTier> AlarmTierFromName(std::string_view name);
std::string_view AlarmLimitKindName(AlarmLimitKind kind);

// The shipped default policy (cited in alarm_policy.cpp).
const AlarmPolicy& DefaultAlarmPolicy();

// Reads a policy document as the API and the store hold it; an error names
// the JSON path and the rule ("rules[2].limit", "timing.spo2.hysteresis").
Result<AlarmPolicy> ReadAlarmPolicy(const Json& document);
Json AlarmPolicyJson(const AlarmPolicy& policy);

// The alarm rule a protocol alarm threshold id stands for (all warning tier):
// "systolic_max" -> systolic above, "spo2_min" -> SpO2 at or below, ...;
// nullopt for an id the alarm engine does not know.
struct ProtocolAlarmMeaning {
  VitalParameter parameter;
  AlarmLimitKind kind;
};
std::optional<ProtocolAlarmMeaning> ProtocolAlarmThreshold(std::string_view threshold_id);

}  // namespace ketachart
