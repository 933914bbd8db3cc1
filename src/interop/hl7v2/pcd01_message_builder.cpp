// PCD-01 ORU^R01 writer (see pcd01_message_builder.h). The layout follows the
// IHE PCD Technical Framework Vol. 2 (PCD-01 "Communicate PCD Data"): MSH-21
// names the IHE PCD-01 profile, OBR-4 the SNOMED CT "monitoring of patient"
// order, OBX-4 the dotted MDS.VMD.channel.metric containment, OBX-18 the
// EUI-64 with "EUI-64" as its universal id type (as tests/hl7-corpus's
// Philips-style message does).
#include "interop/hl7v2/pcd01_message_builder.h"

#include <fmt/format.h>

#include "interop/hl7v2/hl7_message.h"
#include "interop/hl7v2/hl7_text.h"
#include "interop/hl7v2/hl7_timestamp.h"

namespace ketachart::hl7v2 {
namespace {

const Delimiters kDelimiters{};  // |^~\&

std::string Escape(std::string_view text) { return EncodeEscapes(text, kDelimiters); }

}  // namespace

std::string BuildPcd01Message(const Pcd01DeviceReport& report) {
  const std::string device = Escape(report.device_eui64);
  const std::string application = Escape(report.sending_application);
  const std::string control_id = Escape(report.control_id);
  // EI "entity^namespace^universal id^type" for OBR-2/3 (placer/filler order).
  const std::string order_id = fmt::format("{}^{}^{}^EUI-64", control_id, application, device);
  const std::string equipment = fmt::format("{}^^{}^EUI-64", device, device);

  std::string out;
  out += fmt::format(
      "MSH|^~\\&|{}^{}^EUI-64|{}|KETACHART|CLINIC|{}||ORU^R01^ORU_R01|{}|P|2.6|||NE|AL||UNICODE UTF-8|||"
      "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r",
      application, device, Escape(report.sending_facility), FormatHl7Timestamp(report.message_time), control_id);
  if (report.patient_id.empty()) {
    out += "PID|\r";
  } else {
    out += fmt::format("PID|||{}\r", Escape(report.patient_id));
  }
  out += fmt::format("OBR|1|{}|{}|182777000^monitoring of patient^SNOMED-CT|||{}\r", order_id, order_id,
                     FormatHl7Timestamp(report.observation_time));
  // The MDS row: no value type and no value, so readers take it as containment.
  out += fmt::format("OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1|||||||X|||||||{}\r", equipment);
  int set_id = 2;
  for (const Pcd01Metric& metric : report.metrics) {
    out += fmt::format("OBX|{}|NM|{}^{}^MDC|{}|{}|{}^{}^MDC|||||{}|||{}||||{}\r", set_id++, metric.mdc_code,
                       Escape(metric.mdc_name), Escape(metric.containment_id), Escape(metric.value),
                       metric.unit_code, Escape(metric.unit_name), Escape(metric.result_status),
                       FormatHl7Timestamp(metric.observed_at), equipment);
  }
  return out;
}

}  // namespace ketachart::hl7v2
