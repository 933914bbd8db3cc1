// The clinic's monitor alarm policy (see alarm_policy.h).
#include "clinical/monitoring/alarm_policy.h"

#include <fmt/format.h>

#include <set>

namespace ketachart {

namespace {

constexpr std::array<std::string_view, kVitalParameterCount> kParameterNames = {
    "spo2", "heart_rate", "systolic", "diastolic", "mean_pressure", "respiratory_rate", "temperature"};
constexpr std::array<std::string_view, kVitalParameterCount> kParameterUnits = {"%",      "/min",   "mm[Hg]", "mm[Hg]",
                                                                                "mm[Hg]", "/min", "Cel"};
constexpr std::array<std::string_view, 4> kKindNames = {"above", "below", "at_or_below", "rise_above_baseline"};

// Citations for the shipped defaults (../shared/clinical-reference.md).
constexpr const char* kSpravatoElevatedBp =
    "Spravato label: assess BP before dosing; if elevated (e.g. SBP >140 or DBP >90 mmHg) weigh the short-term rise "
    "against benefit (PDR Spravato summary; clinical-reference.md C1). Used here as an advisory level";
constexpr const char* kAldreteSpo2 =
    "Modified Aldrete (1995) SpO2 item: <90% even with O2 scores 0 (Kim N et al., World J Gastroenterol 2015 Table 2; "
    "clinical-reference.md C2)";
constexpr const char* kAldreteCirculation20 =
    "Modified Aldrete (1995) circulation item: BP within +/-20 mmHg of the pre-anaesthetic level scores 2 (Kim N et "
    "al. 2015 Table 2; clinical-reference.md C2). Rise over the readiness baseline";
constexpr const char* kAldreteCirculation50 =
    "Modified Aldrete (1995) circulation item: BP beyond +/-50 mmHg of the pre-anaesthetic level scores 0 (Kim N et "
    "al. 2015 Table 2; clinical-reference.md C2). Rise over the readiness baseline";
constexpr const char* kTimingUnconfirmed =
    "UNCONFIRMED: no retrieved source gives alarm persistence, hysteresis or escalation times for ketamine sessions "
    "(the alarm-systems standard IEC 60601-1-8 was not retrieved). Engineering defaults; the clinic must review them";

AlarmPolicy BuildDefault() {
  AlarmPolicy p;
  auto rule = [&](const char* id, const char* label, VitalParameter parameter, AlarmLimitKind kind, AlarmTier tier,
                  double limit, const char* source) {
    p.rules.push_back({id, label, parameter, kind, tier, limit, source, false, "clinic"});
  };
  rule("systolic_elevated", "Systolic above 140 mmHg", VitalParameter::kSystolic, AlarmLimitKind::kAbove,
       AlarmTier::kAdvisory, 140, kSpravatoElevatedBp);
  rule("diastolic_elevated", "Diastolic above 90 mmHg", VitalParameter::kDiastolic, AlarmLimitKind::kAbove,
       AlarmTier::kAdvisory, 90, kSpravatoElevatedBp);
  rule("systolic_rise_20", "Systolic more than 20 mmHg over baseline", VitalParameter::kSystolic,
       AlarmLimitKind::kRiseAboveBaseline, AlarmTier::kAdvisory, 20, kAldreteCirculation20);
  rule("systolic_rise_50", "Systolic more than 50 mmHg over baseline", VitalParameter::kSystolic,
       AlarmLimitKind::kRiseAboveBaseline, AlarmTier::kWarning, 50, kAldreteCirculation50);
  rule("spo2_below_90", "SpO2 below 90 %", VitalParameter::kSpo2, AlarmLimitKind::kBelow, AlarmTier::kCritical, 90,
       kAldreteSpo2);
  // Timing (all unconfirmed, see kTimingUnconfirmed). Continuous signals
  // (SpO2, heart rate, respiratory rate) must hold for a few readings or
  // seconds so a moving finger does not alarm; a cuff pressure is a single
  // deliberate measurement every few minutes, so one reading alarms.
  auto timing = [&](VitalParameter parameter, int readings, int seconds, double hysteresis) {
    p.timing[static_cast<size_t>(parameter)] = {readings, seconds, hysteresis};
  };
  timing(VitalParameter::kSpo2, 5, 15, 1);
  timing(VitalParameter::kHeartRate, 5, 15, 5);
  timing(VitalParameter::kSystolic, 1, 0, 5);
  timing(VitalParameter::kDiastolic, 1, 0, 5);
  timing(VitalParameter::kMeanPressure, 1, 0, 5);
  timing(VitalParameter::kRespiratoryRate, 5, 30, 2);
  timing(VitalParameter::kTemperature, 1, 0, 0.3);
  p.escalation_seconds = 120;
  p.timing_source = kTimingUnconfirmed;
  p.timing_unconfirmed = true;
  return p;
}

}  // namespace

std::string_view VitalParameterName(VitalParameter parameter) { return kParameterNames[static_cast<size_t>(parameter)]; }

std::optional<VitalParameter> VitalParameterFromName(std::string_view name) {
  for (size_t i = 0; i < kParameterNames.size(); ++i) {
    if (kParameterNames[i] == name) return static_cast<VitalParameter>(i);
  }
  return std::nullopt;
}

std::string_view VitalParameterUnit(VitalParameter parameter) { return kParameterUnits[static_cast<size_t>(parameter)]; }

std::optional<VitalParameter> VitalParameterFromLoinc(std::string_view loinc) {
  // The LOINC codes interop/hl7v2/mdc_nomenclature maps MDC codes to.
  if (loinc == "59408-5") return VitalParameter::kSpo2;
  if (loinc == "8867-4" || loinc == "8889-8") return VitalParameter::kHeartRate;
  if (loinc == "8480-6") return VitalParameter::kSystolic;
  if (loinc == "8462-4") return VitalParameter::kDiastolic;
  if (loinc == "8478-0") return VitalParameter::kMeanPressure;
  if (loinc == "9279-1") return VitalParameter::kRespiratoryRate;
  if (loinc == "8310-5") return VitalParameter::kTemperature;
  return std::nullopt;
}

std::string_view AlarmTierName(AlarmTier tier) {
  switch (tier) {
    case AlarmTier::kAdvisory: return "advisory";
    case AlarmTier::kWarning: return "warning";
    case AlarmTier::kCritical: return "critical";
  }
  return "warning";
}

std::optional<AlarmTier> AlarmTierFromName(std::string_view name) {
  if (name == "advisory") return AlarmTier::kAdvisory;
  if (name == "warning") return AlarmTier::kWarning;
  if (name == "critical") return AlarmTier::kCritical;
  return std::nullopt;
}

std::string_view AlarmLimitKindName(AlarmLimitKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

const AlarmPolicy& DefaultAlarmPolicy() {
  static const AlarmPolicy policy = BuildDefault();
  return policy;
}

std::optional<ProtocolAlarmMeaning> ProtocolAlarmThreshold(std::string_view id) {
  using P = VitalParameter;
  using K = AlarmLimitKind;
  if (id == "systolic_max") return ProtocolAlarmMeaning{P::kSystolic, K::kAbove};
  if (id == "diastolic_max") return ProtocolAlarmMeaning{P::kDiastolic, K::kAbove};
  if (id == "heart_rate_max") return ProtocolAlarmMeaning{P::kHeartRate, K::kAbove};
  if (id == "heart_rate_min") return ProtocolAlarmMeaning{P::kHeartRate, K::kBelow};
  if (id == "spo2_min") return ProtocolAlarmMeaning{P::kSpo2, K::kAtOrBelow};
  if (id == "respiratory_rate_min") return ProtocolAlarmMeaning{P::kRespiratoryRate, K::kBelow};
  if (id == "respiratory_rate_max") return ProtocolAlarmMeaning{P::kRespiratoryRate, K::kAbove};
  return std::nullopt;
}

Result<AlarmPolicy> ReadAlarmPolicy(const Json& document) {
  if (!document.is_object()) return InvalidInput("", "the alarm policy must be a JSON object");
  JsonObjectReader reader(document);
  const Json* rules = reader.OptionalArray("rules", 50);
  const Json* timing = reader.OptionalObject("timing");
  auto escalation = reader.RequiredInteger("escalation_seconds", 10, 3600);
  auto timing_source = reader.OptionalString("timing_source", {0, 1000});
  auto timing_unconfirmed = reader.OptionalBool("timing_unconfirmed");
  KC_RETURN_IF_ERROR(reader.Finish());
  AlarmPolicy policy;
  policy.escalation_seconds = static_cast<int>(*escalation);
  policy.timing_source = timing_source.value_or("");
  policy.timing_unconfirmed = timing_unconfirmed.value_or(true);
  std::set<std::string> ids;
  if (rules) {
    for (size_t i = 0; i < rules->size(); ++i) {
      const std::string path = fmt::format("rules[{}]", i);
      if (!(*rules)[i].is_object()) return InvalidInput(path, "must be an object");
      JsonObjectReader r((*rules)[i], path);
      auto id = r.RequiredString("id", {1, 60});
      auto label = r.RequiredString("label", {1, 200});
      auto parameter = r.RequiredEnum("parameter", std::vector<std::string>(kParameterNames.begin(), kParameterNames.end()));
      auto kind = r.RequiredEnum("kind", std::vector<std::string>(kKindNames.begin(), kKindNames.end()));
      auto tier = r.RequiredEnum("tier", {"advisory", "warning", "critical"});
      auto limit = r.OptionalNumber("limit", -1000, 1000);
      auto source = r.RequiredString("source", {1, 1000});
      auto unconfirmed = r.OptionalBool("unconfirmed");
      r.Allow("origin");
      KC_RETURN_IF_ERROR(r.Finish());
      if (!limit) return InvalidInput(path + ".limit", "is required");
      if (ProtocolAlarmThreshold(*id)) {
        return InvalidInput(path + ".id", "'" + *id + "' is a protocol alarm threshold; set it in the protocol");
      }
      if (!ids.insert(*id).second) return InvalidInput(path + ".id", "'" + *id + "' is used by another rule");
      AlarmRule rule;
      rule.id = *id;
      rule.label = *label;
      rule.parameter = *VitalParameterFromName(*parameter);
      for (size_t k = 0; k < kKindNames.size(); ++k) {
        if (kKindNames[k] == *kind) rule.kind = static_cast<AlarmLimitKind>(k);
      }
      rule.tier = *AlarmTierFromName(*tier);
      rule.limit = *limit;
      if (rule.kind == AlarmLimitKind::kRiseAboveBaseline && rule.limit <= 0) {
        return InvalidInput(path + ".limit", "a rise over baseline must be greater than 0");
      }
      rule.source = *source;
      rule.unconfirmed = unconfirmed.value_or(false);
      rule.origin = "clinic";
      policy.rules.push_back(std::move(rule));
    }
  }
  policy.timing = DefaultAlarmPolicy().timing;
  if (timing) {
    JsonObjectReader t(*timing, "timing");
    for (size_t i = 0; i < kParameterNames.size(); ++i) {
      const std::string name(kParameterNames[i]);
      const Json* entry = t.OptionalObject(name);
      if (!entry) continue;
      JsonObjectReader e(*entry, "timing." + name);
      auto readings = e.RequiredInteger("persistence_readings", 1, 30);
      auto seconds = e.RequiredInteger("persistence_seconds", 0, 120);
      auto hysteresis = e.OptionalNumber("hysteresis", 0, 50);
      KC_RETURN_IF_ERROR(e.Finish());
      policy.timing[i] = {static_cast<int>(*readings), static_cast<int>(*seconds), hysteresis.value_or(0)};
    }
    KC_RETURN_IF_ERROR(t.Finish());
  }
  return policy;
}

Json AlarmPolicyJson(const AlarmPolicy& policy) {
  Json rules = Json::array();
  for (const AlarmRule& r : policy.rules) {
    rules.push_back({{"id", r.id},
                     {"label", r.label},
                     {"parameter", VitalParameterName(r.parameter)},
                     {"kind", AlarmLimitKindName(r.kind)},
                     {"tier", AlarmTierName(r.tier)},
                     {"limit", r.limit},
                     {"source", r.source},
                     {"unconfirmed", r.unconfirmed}});
  }
  Json timing = Json::object();
  for (size_t i = 0; i < kParameterNames.size(); ++i) {
    const ParameterTiming& t = policy.timing[i];
    timing[std::string(kParameterNames[i])] = {{"persistence_readings", t.persistence_readings},
                                               {"persistence_seconds", t.persistence_seconds},
                                               {"hysteresis", t.hysteresis}};
  }
  return {{"rules", std::move(rules)},
          {"timing", std::move(timing)},
          {"escalation_seconds", policy.escalation_seconds},
          {"timing_source", policy.timing_source},
          {"timing_unconfirmed", policy.timing_unconfirmed}};
}

}  // namespace ketachart
