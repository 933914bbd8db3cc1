// One simulated bedside monitor for `ketachart monitor-sim`: its stable
// EUI-64 device id, its patient's VitalsModel, its reporting schedule
// (continuous channels every report, a cuff blood pressure every few
// minutes) and the IHE PCD-01 report it sends at each step. Pure and
// deterministic; the network part is monitor_sim_runner.h. Thread-safe:
// immutable after construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "base/clock.h"
#include "interop/hl7v2/pcd01_message_builder.h"
#include "sim/vitals_model.h"

namespace ketachart::sim {

// How a monitor says "probe off": gateways differ, and both reach KetaChart.
enum class ProbeOffStyle {
  kResultStatusX,      // OBX-5 empty, OBX-11 "X" (result cannot be obtained)
  kNotAvailableValue,  // OBX-5 8388607, the IEEE 11073-20601 FLOAT NaN
};

struct SimulatedMonitorOptions {
  uint64_t seed = 1;
  uint32_t index = 0;  // 0-based position among the simulated monitors
  Scenario scenario = Scenario::kTypical;
  std::optional<double> peak_systolic_rise_mmhg;
  double probe_offs_per_hour = 2.0;
  std::chrono::milliseconds report_interval = std::chrono::seconds(5);
  std::chrono::milliseconds cuff_interval = std::chrono::minutes(5);
};

// "024B43" (a locally administered EUI-64 prefix: the U/L bit of the first
// octet is set, so no vendor's OUI is used) + 6 hex digits from the seed +
// the 1-based index in 4 hex digits: "024B43A1B2C30001".
std::string SimulatedDeviceEui64(uint64_t seed, uint32_t index);

class SimulatedMonitor {
 public:
  explicit SimulatedMonitor(const SimulatedMonitorOptions& options);

  const SimulatedMonitorOptions& options() const { return options_; }
  const std::string& device_eui64() const { return device_eui64_; }
  const VitalsModel& vitals() const { return vitals_; }
  // Even-indexed monitors send OBX-11 X, odd-indexed ones 8388607.
  ProbeOffStyle probe_off_style() const;

  // When report `sequence` (0-based) is taken: sequence x report interval.
  SimulatedTime ReportTime(uint64_t sequence) const;
  // The cuff cycle reported with `sequence`: the latest multiple of the cuff
  // interval at or before its time that the previous report did not carry.
  std::optional<SimulatedTime> CuffTimeFor(uint64_t sequence) const;

  // The PCD-01 report for `sequence`: SpO2, oximeter pulse, ECG heart rate,
  // respiratory rate and body temperature, plus systolic/diastolic/mean cuff
  // pressure when a cuff cycle is due. `session_start` is the wall-clock time
  // of simulated time 0 (OBX-14 = session_start + simulated time).
  hl7v2::Pcd01DeviceReport ReportFor(uint64_t sequence, TimePoint session_start, std::string control_id) const;

 private:
  SimulatedMonitorOptions options_;
  std::string device_eui64_;
  VitalsModel vitals_;
};

}  // namespace ketachart::sim
