// MDC -> LOINC/UCUM tables (see mdc_nomenclature.h).
//
// Sources. MDC reference ids: ISO/IEEE 11073-10101 nomenclature as published
// in NIST RTMMS and used in IHE PCD-01 (PCD Technical Framework Vol. 2); the
// context-free id is partition * 65536 + term code (partition 2 = SCADA
// metrics, partition 4 = dimensions/units), e.g. MDC_DIM_MMHG term 3872 ->
// 266016. LOINC codes: the vital-sign codes of the HL7 FHIR R4 vital-signs
// profile (SpO2 59408-5, heart rate 8867-4, pulse-oximetry heart rate 8889-8,
// systolic 8480-6, diastolic 8462-4, respiratory rate 9279-1, body temperature
// 8310-5) and LOINC 8478-0 "Mean blood pressure". UCUM spellings per UCUM.
#include "interop/hl7v2/mdc_nomenclature.h"

#include <array>

namespace ketachart::hl7v2 {
namespace {

constexpr std::string_view kPercent[] = {"%"};
constexpr std::string_view kPerMinute[] = {"/min"};
constexpr std::string_view kPressure[] = {"mm[Hg]", "kPa"};
constexpr std::string_view kTemperature[] = {"Cel", "[degF]"};

constexpr std::array kVitalSigns = {
    VitalSignCode{150456, "MDC_PULS_OXIM_SAT_O2", VitalSign::kOxygenSaturation, "SpO2", "59408-5",
                  "Oxygen saturation in Arterial blood by Pulse oximetry", kPercent, true},
    VitalSignCode{147842, "MDC_ECG_HEART_RATE", VitalSign::kHeartRate, "HR", "8867-4", "Heart rate",
                  kPerMinute, true},
    VitalSignCode{149530, "MDC_PULS_OXIM_PULS_RATE", VitalSign::kPulseRate, "PR", "8889-8",
                  "Heart rate by Pulse oximetry", kPerMinute, true},
    VitalSignCode{150021, "MDC_PRESS_BLD_NONINV_SYS", VitalSign::kSystolicPressure, "NIBP sys", "8480-6",
                  "Systolic blood pressure", kPressure, true},
    VitalSignCode{150022, "MDC_PRESS_BLD_NONINV_DIA", VitalSign::kDiastolicPressure, "NIBP dia", "8462-4",
                  "Diastolic blood pressure", kPressure, true},
    VitalSignCode{150023, "MDC_PRESS_BLD_NONINV_MEAN", VitalSign::kMeanPressure, "NIBP mean", "8478-0",
                  "Mean blood pressure", kPressure, true},
    VitalSignCode{150301, "MDC_PRESS_CUFF_SYS", VitalSign::kSystolicPressure, "NIBP sys", "8480-6",
                  "Systolic blood pressure", kPressure, true},
    VitalSignCode{150302, "MDC_PRESS_CUFF_DIA", VitalSign::kDiastolicPressure, "NIBP dia", "8462-4",
                  "Diastolic blood pressure", kPressure, true},
    VitalSignCode{150303, "MDC_PRESS_CUFF_MEAN", VitalSign::kMeanPressure, "NIBP mean", "8478-0",
                  "Mean blood pressure", kPressure, true},
    VitalSignCode{151562, "MDC_RESP_RATE", VitalSign::kRespiratoryRate, "RR", "9279-1", "Respiratory rate",
                  kPerMinute, true},
    VitalSignCode{150344, "MDC_TEMP", VitalSign::kBodyTemperature, "Temp", "8310-5", "Body temperature",
                  kTemperature, true},
    VitalSignCode{150364, "MDC_TEMP_BODY", VitalSign::kBodyTemperature, "Temp", "8310-5", "Body temperature",
                  kTemperature, true},
};

constexpr std::array kUnits = {
    UnitCode{262656, "MDC_DIM_DIMLESS", "1"},
    UnitCode{262688, "MDC_DIM_PERCENT", "%"},
    UnitCode{264864, "MDC_DIM_BEAT_PER_MIN", "/min"},
    UnitCode{264928, "MDC_DIM_RESP_PER_MIN", "/min"},
    UnitCode{265987, "MDC_DIM_KILO_PASCAL", "kPa"},
    UnitCode{266016, "MDC_DIM_MMHG", "mm[Hg]"},
    UnitCode{266560, "MDC_DIM_FAHR", "[degF]"},
    UnitCode{268192, "MDC_DIM_DEGC", "Cel"},
};

struct Spelling {
  std::string_view text;
  std::string_view ucum;
};
constexpr std::array kSpellings = {
    Spelling{"%", "%"},           Spelling{"/min", "/min"},      Spelling{"1/min", "/min"},
    Spelling{"{beats}/min", "/min"}, Spelling{"{breaths}/min", "/min"}, Spelling{"bpm", "/min"},
    Spelling{"BPM", "/min"},      Spelling{"rpm", "/min"},       Spelling{"brpm", "/min"},
    Spelling{"mm[Hg]", "mm[Hg]"}, Spelling{"mmHg", "mm[Hg]"},    Spelling{"mm Hg", "mm[Hg]"},
    Spelling{"kPa", "kPa"},       Spelling{"Cel", "Cel"},        Spelling{"degC", "Cel"},
    Spelling{"\xC2\xB0" "C", "Cel"}, Spelling{"[degF]", "[degF]"}, Spelling{"degF", "[degF]"},
    Spelling{"\xC2\xB0" "F", "[degF]"},
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const VitalSignCode* FindVitalSign(uint32_t mdc_code) {
  for (const VitalSignCode& code : kVitalSigns) {
    if (code.mdc_code == mdc_code) return &code;
  }
  return nullptr;
}

const UnitCode* FindUnitByCode(uint32_t mdc_code) {
  for (const UnitCode& unit : kUnits) {
    if (unit.mdc_code == mdc_code) return &unit;
  }
  return nullptr;
}

const UnitCode* FindUnitByName(std::string_view mdc_name) {
  for (const UnitCode& unit : kUnits) {
    if (unit.mdc_name == mdc_name) return &unit;
  }
  // Some gateways write MDC_DIM_DEG_C for MDC_DIM_DEGC.
  if (mdc_name == "MDC_DIM_DEG_C") return FindUnitByName("MDC_DIM_DEGC");
  return nullptr;
}

std::optional<std::string_view> UcumFromSpelling(std::string_view unit) {
  for (const Spelling& spelling : kSpellings) {
    if (spelling.text == unit) return spelling.ucum;
  }
  return std::nullopt;
}

std::optional<uint32_t> ParseMdcCode(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    uint64_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    if (value > 0xFFFFFFFFu) return std::nullopt;
    return static_cast<uint32_t>(value);
  }
  // "PPPP-CCCC": 16-bit partition and term code in hex.
  const std::string_view partition = text.substr(0, dash), term = text.substr(dash + 1);
  if (partition.empty() || partition.size() > 4 || term.empty() || term.size() > 4) return std::nullopt;
  uint32_t p = 0, t = 0;
  for (char c : partition) {
    const int v = HexValue(c);
    if (v < 0) return std::nullopt;
    p = p * 16 + static_cast<uint32_t>(v);
  }
  for (char c : term) {
    const int v = HexValue(c);
    if (v < 0) return std::nullopt;
    t = t * 16 + static_cast<uint32_t>(v);
  }
  return p * 65536u + t;
}

}  // namespace ketachart::hl7v2
