// Writes IHE PCD-01 ORU^R01 messages the way a bedside monitor sends them:
// the other direction of pcd01_report.h, used by `ketachart monitor-sim` and
// by tests that need realistic monitor traffic. One MSH (MSH-3 names the
// device by its EUI-64, MSH-10 is the caller's control id), a PID that is
// empty unless a patient id is given (a monitor not yet associated with a
// patient), one OBR, the device's MDS containment row carrying OBX-18, then
// one OBX per metric with its MDC code, MDC unit, OBX-11 status, OBX-14 time
// and OBX-18 device id. Segments end in CR. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace ketachart::hl7v2 {

// One numeric observation of the device.
struct Pcd01Metric {
  uint32_t mdc_code = 0;          // context-free MDC reference id, 150456
  std::string_view mdc_name;      // "MDC_PULS_OXIM_SAT_O2"
  std::string containment_id;     // OBX-4 "1.1.1.150456" (MDS.VMD.channel.metric)
  std::string value;              // OBX-5 NM text: "97", "36.8", "8388607"; empty when not obtained
  uint32_t unit_code = 0;         // 262688
  std::string_view unit_name;     // "MDC_DIM_PERCENT"
  std::string result_status = "R";  // OBX-11: "R" result, "X" cannot be obtained (probe off)
  TimePoint observed_at;          // OBX-14
};

struct Pcd01DeviceReport {
  std::string sending_application = "KETACHART_SIM";  // MSH-3.1
  std::string device_eui64;       // 16 hex digits: MSH-3.2, the MDS row and every OBX-18
  std::string sending_facility;   // MSH-4
  std::string control_id;         // MSH-10, unique per message (a resend repeats it)
  TimePoint message_time;         // MSH-7
  TimePoint observation_time;     // OBR-7
  std::string patient_id;         // PID-3; empty: PID left empty
  std::vector<Pcd01Metric> metrics;
};

// The message text (unframed). Text fields are escaped, so any value is safe.
std::string BuildPcd01Message(const Pcd01DeviceReport& report);

}  // namespace ketachart::hl7v2
