// The part of the ISO/IEEE 11073-10101 (MDC) nomenclature KetaChart maps to
// canonical vital signs: observation codes -> LOINC, unit codes -> UCUM.
// Codes outside these tables are kept raw by the PCD-01 reader, not dropped.
// Pure data; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ketachart::hl7v2 {

enum class VitalSign {
  kOxygenSaturation,
  kHeartRate,        // from the ECG
  kPulseRate,        // from the pulse oximeter
  kSystolicPressure,
  kDiastolicPressure,
  kMeanPressure,
  kRespiratoryRate,
  kBodyTemperature,
};

struct VitalSignCode {
  uint32_t mdc_code;             // context-free reference id, e.g. 150456
  std::string_view mdc_name;     // "MDC_PULS_OXIM_SAT_O2"
  VitalSign sign;
  std::string_view label;        // short label for people, "SpO2"
  std::string_view loinc;        // "59408-5"
  std::string_view loinc_display;
  // UCUM units this sign may be reported in; the first is canonical.
  std::span<const std::string_view> ucum_units;
  // A physically non-negative quantity: a negative value means "no sensor".
  bool never_negative;
};

struct UnitCode {
  uint32_t mdc_code;          // e.g. 266016
  std::string_view mdc_name;  // "MDC_DIM_MMHG"
  std::string_view ucum;      // "mm[Hg]"
};

const VitalSignCode* FindVitalSign(uint32_t mdc_code);
const UnitCode* FindUnitByCode(uint32_t mdc_code);
const UnitCode* FindUnitByName(std::string_view mdc_name);
// A unit spelled in UCUM or one of the loose spellings gateways use instead
// ("mmHg", "bpm", "degC", "°C") -> its UCUM form; nullopt when unknown.
std::optional<std::string_view> UcumFromSpelling(std::string_view unit);

// Reads an MDC observation or unit code as sent in OBX-3.1 / OBX-6.1:
// decimal ("150456") or the partition-hex form some gateways use
// ("0002-4bb8" = partition 2, term 0x4BB8 = 150456). nullopt otherwise.
std::optional<uint32_t> ParseMdcCode(std::string_view text);

}  // namespace ketachart::hl7v2
