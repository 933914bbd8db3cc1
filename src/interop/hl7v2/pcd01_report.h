// IHE PCD-01 "Communicate PCD Data": reads an ORU^R01 from a bedside monitor
// or its gateway into canonical observations (MDC codes mapped to LOINC, MDC
// units to UCUM; unknown codes kept raw, not dropped). Pure: no I/O, no
// clock.
//
// What counts as a measurement. An OBX is a measurement only when it carries
// a number that a sensor produced. These are kept but never as measurements:
//   - the IEEE 11073-20601 FLOAT special values (8388607 NaN "not available",
//     -8388608 NRes, 8388606 +INF, -8388606 -INF, -8388607 reserved);
//   - a negative value of a quantity that cannot be negative (gateways send
//     e.g. -1 or -999 when no sensor is attached);
//   - OBX-11 "X" (the result cannot be obtained: probe removed);
//   - OBX-11 "W"/"D" (withdrawn as wrong / deleted).
// OBX rows with neither a value type nor a value are the device containment
// tree (MDS, VMD, channel rows); they only carry device identity (OBX-18).
//
// Device identity: OBX-18 of the observation, else of its nearest container
// by dotted OBX-4 containment id ("1.2.1.150456" lies in "1.2.1", "1.2", "1"),
// else the EUI-64 in MSH-3. An EUI-64 is normalised to 16 upper-case hex
// digits. Observation time: OBX-14, else OBR-7, else MSH-7.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "interop/hl7v2/hl7_message.h"
#include "interop/hl7v2/hl7_number.h"
#include "interop/hl7v2/mdc_nomenclature.h"

namespace ketachart::hl7v2 {

// The MSH fields an acknowledgement and de-duplication need.
struct MessageHeader {
  std::string sending_application;   // MSH-3 as "namespace^id^type" (decoded, '^'-joined)
  std::string sending_facility;      // MSH-4
  std::string receiving_application; // MSH-5
  std::string receiving_facility;    // MSH-6
  std::string message_type;          // MSH-9.1 "ORU"
  std::string trigger_event;         // MSH-9.2 "R01"
  std::string control_id;            // MSH-10
  std::string processing_id;         // MSH-11.1 "P"
  std::string version;               // MSH-12.1 "2.6"
};

// Reads MSH-3..12. Requires MSH-9 and MSH-10; errors name the field.
Result<MessageHeader> ReadMessageHeader(const Message& message);

enum class ObservationState {
  kMeasured,          // a value from a sensor
  kNotAvailable,      // IEEE 11073 special value (8388607 ...)
  kNoSensor,          // negative value of a never-negative quantity
  kCannotBeObtained,  // OBX-11 X: probe removed
  kWithdrawn,         // OBX-11 W or D
};
std::string_view ObservationStateName(ObservationState state);

struct MonitorObservation {
  uint32_t segment_position = 0;  // of the OBX in the message (MSH = 1)
  std::string device_id;          // "00091B0000000001" for an EUI-64
  std::string containment_id;     // OBX-4 "1.2.1.150456"
  std::string observation_code;   // OBX-3.1 as a decimal MDC code when it is one, else as sent
  std::string observation_name;   // OBX-3.2 as sent
  std::string coding_system;      // OBX-3.3 ("MDC" ...)
  const VitalSignCode* vital_sign = nullptr;  // null: not a vital KetaChart maps (kept raw)
  std::string loinc;              // empty unless mapped
  std::string value_type;         // OBX-2 "NM", "ST", ...
  std::string value_text;         // OBX-5 decoded, as sent
  std::optional<DecimalValue> value;  // set only for kMeasured numeric values
  std::string unit_ucum;          // empty when the unit is unknown
  std::string unit_as_sent;       // OBX-6 "266016^MDC_DIM_MMHG^MDC" (decoded)
  std::string result_status;      // OBX-11
  ObservationState state = ObservationState::kMeasured;
  TimePoint observed_at;
  bool observed_time_has_offset = false;
  std::string mapping_note;       // why a known code was kept raw, if it was
};

struct MonitorReport {
  MessageHeader header;
  std::vector<MonitorObservation> observations;
};

struct Pcd01Options {
  // Applied to timestamps sent without a UTC offset (clinic setting).
  std::chrono::minutes assumed_utc_offset{0};
};

// Reads an ORU^R01. kInvalidInput errors name the field ("OBX-14"); an
// unsupported message type names "MSH-9".
Result<MonitorReport> ReadPcd01Report(const Message& message, const Pcd01Options& options);

// "00-09-1b-ff-fe-00-00-01", "00091b0000000001" -> "00091B0000000001";
// nullopt when `text` is not 16 hex digits (separators '-' or ':' allowed).
std::optional<std::string> NormaliseEui64(std::string_view text);

}  // namespace ketachart::hl7v2
