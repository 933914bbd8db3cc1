// IHE PCD-01 ORU^R01 -> canonical observations (see pcd01_report.h).
#include "interop/hl7v2/pcd01_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "interop/hl7v2/hl7_timestamp.h"

namespace ketachart::hl7v2 {
namespace {

// OBX field numbers (HL7 v2.6 chapter 7).
constexpr uint32_t kObxValueType = 2, kObxIdentifier = 3, kObxSubId = 4, kObxValue = 5, kObxUnits = 6,
                   kObxStatus = 11, kObxTime = 14, kObxEquipment = 18;
constexpr uint32_t kObrObservationTime = 7;

// IEEE 11073-20601 FLOAT-Type special values (24-bit mantissa, exponent 0):
// NaN 0x007FFFFF, +INF 0x007FFFFE, NRes 0x00800000, -INF 0x00800002,
// reserved 0x00800001.
constexpr std::array<int64_t, 5> kIeee11073Specials = {8388607, 8388606, -8388608, -8388606, -8388607};

std::string JoinComponents(const Segment& segment, uint32_t field, uint32_t count) {
  std::string out;
  uint32_t last = 0;
  std::vector<std::string> parts;
  for (uint32_t c = 1; c <= count; ++c) {
    parts.push_back(segment.Text(field, c));
    if (!parts.back().empty()) last = c;
  }
  for (uint32_t c = 1; c <= last; ++c) {
    if (c > 1) out.push_back('^');
    out += parts[c - 1];
  }
  return out;
}

Error AtSegment(const Segment& segment, uint32_t field, std::string rule) {
  return InvalidInput(segment.FieldName(field),
                      fmt::format("segment {} ({}): {}", segment.position(), segment.id(), rule));
}

bool IsContainedIn(std::string_view child, std::string_view parent) {
  return child.size() > parent.size() && child.compare(0, parent.size(), parent) == 0 &&
         child[parent.size()] == '.';
}

// OBX-18 (EI): "entity^namespace^universal id^universal id type".
std::optional<std::string> DeviceFromEquipment(const Segment& obx) {
  for (uint32_t repetition = 0; repetition < std::max<uint32_t>(1, obx.RepetitionCount(kObxEquipment));
       ++repetition) {
    const std::string type = obx.Text(kObxEquipment, 4, 1, repetition);
    const std::string universal = obx.Text(kObxEquipment, 3, 1, repetition);
    const std::string entity = obx.Text(kObxEquipment, 1, 1, repetition);
    if (type == "EUI-64") {
      if (auto eui = NormaliseEui64(universal.empty() ? entity : universal)) return eui;
    }
    if (auto eui = NormaliseEui64(entity)) return eui;
  }
  const std::string entity = obx.Text(kObxEquipment, 1);
  if (!entity.empty()) {
    const std::string name_space = obx.Text(kObxEquipment, 2);
    return name_space.empty() ? entity : fmt::format("{}:{}", name_space, entity);
  }
  return std::nullopt;
}

// MSH-3 (HD): "namespace^universal id^universal id type".
std::optional<std::string> DeviceFromSendingApplication(const Segment& msh) {
  if (msh.Text(3, 3) == "EUI-64" || !msh.Text(3, 2).empty()) {
    if (auto eui = NormaliseEui64(msh.Text(3, 2))) return eui;
  }
  return std::nullopt;
}

Result<TimePoint> ReadTime(const Segment& segment, uint32_t field, const Pcd01Options& options, bool* has_offset) {
  const std::string value = segment.Text(field, 1);
  // The field is named by AtSegment, only when there is an error.
  auto parsed = ParseHl7Timestamp(value, options.assumed_utc_offset, {});
  if (!parsed.ok()) return AtSegment(segment, field, parsed.error().message);
  if (has_offset != nullptr) *has_offset = parsed->offset_given;
  return parsed->utc;
}

std::string UnitUcum(const Segment& obx) {
  const std::string code = obx.Text(kObxUnits, 1);
  const std::string name = obx.Text(kObxUnits, 2);
  const std::string system = obx.Text(kObxUnits, 3);
  if (system == "MDC" || system.empty()) {
    if (auto mdc = ParseMdcCode(code)) {
      if (const UnitCode* unit = FindUnitByCode(*mdc)) return std::string(unit->ucum);
    }
    if (const UnitCode* unit = FindUnitByName(name)) return std::string(unit->ucum);
    if (const UnitCode* unit = FindUnitByName(code)) return std::string(unit->ucum);
  }
  if (auto ucum = UcumFromSpelling(code)) return std::string(*ucum);
  if (auto ucum = UcumFromSpelling(name)) return std::string(*ucum);
  return {};
}

}  // namespace

std::string_view ObservationStateName(ObservationState state) {
  switch (state) {
    case ObservationState::kMeasured: return "measured";
    case ObservationState::kNotAvailable: return "not_available";
    case ObservationState::kNoSensor: return "no_sensor";
    case ObservationState::kCannotBeObtained: return "cannot_be_obtained";
    case ObservationState::kWithdrawn: return "withdrawn";
  }
  return "measured";
}

std::optional<std::string> NormaliseEui64(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '-' || c == ':') continue;
    if (c >= '0' && c <= '9') {
      out.push_back(c);
    } else if (c >= 'a' && c <= 'f') {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if (c >= 'A' && c <= 'F') {
      out.push_back(c);
    } else {
      return std::nullopt;
    }
  }
  if (out.size() != 16) return std::nullopt;
  return out;
}

Result<MessageHeader> ReadMessageHeader(const Message& message) {
  const Segment msh = message.header();
  MessageHeader header;
  header.sending_application = JoinComponents(msh, 3, 3);
  header.sending_facility = JoinComponents(msh, 4, 3);
  header.receiving_application = JoinComponents(msh, 5, 3);
  header.receiving_facility = JoinComponents(msh, 6, 3);
  header.message_type = msh.Text(9, 1);
  header.trigger_event = msh.Text(9, 2);
  header.control_id = msh.Text(10, 1);
  header.processing_id = msh.Text(11, 1);
  header.version = msh.Text(12, 1);
  if (header.message_type.empty()) return InvalidInput("MSH-9", "required: the message type (e.g. ORU^R01) is missing");
  if (header.control_id.empty()) return InvalidInput("MSH-10", "required: the message control id is missing");
  if (header.control_id.size() > 199) return InvalidInput("MSH-10", "the message control id is longer than 199 characters");
  return header;
}

Result<MonitorReport> ReadPcd01Report(const Message& message, const Pcd01Options& options) {
  MonitorReport report;
  KC_ASSIGN_OR_RETURN(report.header, ReadMessageHeader(message));
  if (report.header.message_type != "ORU" || report.header.trigger_event != "R01") {
    return InvalidInput("MSH-9", fmt::format("message type {}^{} is not accepted: monitors send ORU^R01 (IHE PCD-01)",
                                             report.header.message_type, report.header.trigger_event));
  }
  const Segment msh = message.header();
  const std::optional<std::string> header_device = DeviceFromSendingApplication(msh);
  bool header_time_offset = false;
  std::optional<TimePoint> message_time;
  if (!msh.Text(7, 1).empty()) {
    KC_ASSIGN_OR_RETURN(message_time, ReadTime(msh, 7, options, &header_time_offset));
  }

  // Devices named by OBX-18, by containment id (in message order).
  std::vector<std::pair<std::string, std::string>> devices;
  std::optional<TimePoint> order_time;
  bool order_time_offset = false;

  for (uint32_t i = 1; i < message.segment_count(); ++i) {
    const Segment segment = message.segment(i);
    const std::string_view id = segment.id();
    if (id == "OBR") {
      order_time.reset();
      if (!segment.Text(kObrObservationTime, 1).empty()) {
        KC_ASSIGN_OR_RETURN(order_time, ReadTime(segment, kObrObservationTime, options, &order_time_offset));
      }
      continue;
    }
    if (id != "OBX") continue;

    const std::string containment = segment.Text(kObxSubId, 1);
    const std::optional<std::string> own_device = DeviceFromEquipment(segment);
    if (own_device) devices.emplace_back(containment, *own_device);

    const std::string value_type = segment.Text(kObxValueType, 1);
    const std::string_view raw_value = segment.Field(kObxValue);
    if (value_type.empty() && raw_value.empty()) continue;  // containment row (MDS/VMD/channel)

    MonitorObservation observation;
    observation.segment_position = segment.position();
    observation.containment_id = containment;
    observation.value_type = value_type;
    const std::string code = segment.Text(kObxIdentifier, 1);
    observation.observation_name = segment.Text(kObxIdentifier, 2);
    observation.coding_system = segment.Text(kObxIdentifier, 3);
    if (code.empty() && observation.observation_name.empty()) {
      return AtSegment(segment, kObxIdentifier, "required: the observation identifier is missing");
    }
    const std::optional<uint32_t> mdc =
        (observation.coding_system == "MDC" || observation.coding_system.empty()) ? ParseMdcCode(code)
                                                                                 : std::nullopt;
    observation.observation_code = mdc ? std::to_string(*mdc) : code;
    observation.value_text = segment.Text(kObxValue, 1);
    for (uint32_t c = 2; c <= 3 && observation.value_type != "NM"; ++c) {
      // Coded and structured values: keep the whole first repetition.
      if (!segment.Value(kObxValue, c).empty()) {
        observation.value_text = message.Decode(NthPiece(segment.Field(kObxValue), message.delimiters().repetition, 1));
        break;
      }
    }
    observation.unit_as_sent = JoinComponents(segment, kObxUnits, 3);
    observation.unit_ucum = UnitUcum(segment);
    observation.result_status = segment.Text(kObxStatus, 1);

    // Device: own OBX-18, else nearest container's, else MSH-3.
    if (own_device) {
      observation.device_id = *own_device;
    } else {
      if (containment.empty()) {
        // No containment id: the device named last before this row.
        if (!devices.empty()) observation.device_id = devices.back().second;
      } else {
        size_t best_length = 0;
        for (const auto& [container, device] : devices) {
          if (IsContainedIn(containment, container) && container.size() > best_length) {
            observation.device_id = device;
            best_length = container.size();
          }
        }
      }
      if (observation.device_id.empty() && header_device) observation.device_id = *header_device;
      if (observation.device_id.empty()) {
        return AtSegment(segment, kObxEquipment,
                         "required: no device identity (an EUI-64 in OBX-18 of the observation or its "
                         "containing device, or in MSH-3)");
      }
    }

    // Time: OBX-14, else OBR-7, else MSH-7.
    if (!segment.Text(kObxTime, 1).empty()) {
      KC_ASSIGN_OR_RETURN(observation.observed_at,
                          ReadTime(segment, kObxTime, options, &observation.observed_time_has_offset));
    } else if (order_time) {
      observation.observed_at = *order_time;
      observation.observed_time_has_offset = order_time_offset;
    } else if (message_time) {
      observation.observed_at = *message_time;
      observation.observed_time_has_offset = header_time_offset;
    } else {
      return AtSegment(segment, kObxTime, "required: no observation time in OBX-14, OBR-7 or MSH-7");
    }

    // State and value.
    const std::string& status = observation.result_status;
    std::optional<DecimalValue> number;
    if (observation.value_type == "NM" || observation.value_type.empty()) number = ParseHl7Number(observation.value_text);
    if (observation.value_type == "NM" && !observation.value_text.empty() && !number && status != "X") {
      return AtSegment(segment, kObxValue,
                       fmt::format("'{}' is not a number but OBX-2 says NM", observation.value_text.substr(0, 40)));
    }
    if (status == "X") {
      observation.state = ObservationState::kCannotBeObtained;
    } else if (status == "W" || status == "D") {
      observation.state = ObservationState::kWithdrawn;
    } else if (number && std::any_of(kIeee11073Specials.begin(), kIeee11073Specials.end(),
                                     [&](int64_t special) { return number->EqualsInteger(special); })) {
      observation.state = ObservationState::kNotAvailable;
    } else if (observation.value_type == "NM" && observation.value_text.empty()) {
      observation.state = ObservationState::kNotAvailable;
    }

    observation.vital_sign = FindVitalSign(mdc.value_or(0));  // 0 is no MDC code
    if (observation.vital_sign != nullptr) {
      const VitalSignCode& sign = *observation.vital_sign;
      const bool unit_fits = std::find(sign.ucum_units.begin(), sign.ucum_units.end(), observation.unit_ucum) !=
                             sign.ucum_units.end();
      if (observation.state == ObservationState::kMeasured && number && number->IsNegative() && sign.never_negative) {
        observation.state = ObservationState::kNoSensor;
      }
      if (observation.state == ObservationState::kMeasured && !number) {
        observation.mapping_note = fmt::format("{} sent as {} without a number: kept raw", sign.label,
                                               observation.value_type.empty() ? "no type" : observation.value_type);
        observation.vital_sign = nullptr;
      } else if (!unit_fits && observation.state == ObservationState::kMeasured) {
        observation.mapping_note = fmt::format("unit '{}' is not a unit of {}: kept raw", observation.unit_as_sent,
                                               sign.label);
        observation.vital_sign = nullptr;
      } else {
        observation.loinc = std::string(sign.loinc);
      }
    }
    if (observation.state == ObservationState::kMeasured && number) observation.value = number;
    report.observations.push_back(std::move(observation));
  }
  return report;
}

}  // namespace ketachart::hl7v2
