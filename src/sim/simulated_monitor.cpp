// A simulated monitor's schedule and PCD-01 reports (see simulated_monitor.h).
// The containment ids follow the MDS.VMD.channel.metric layout of IHE PCD-01
// messages (tests/hl7-corpus): 1.1 pulse oximeter, 1.2 ECG and respiration,
// 1.3 cuff pressure, 1.4 temperature.
#include "sim/simulated_monitor.h"

#include <fmt/format.h>

#include "interop/hl7v2/mdc_nomenclature.h"
#include "sim/counter_hash.h"

namespace ketachart::sim {
namespace {

// IEEE 11073-20601 FLOAT NaN ("not a number / not available"), as the PCD-01
// reader knows it (pcd01_report.h).
constexpr std::string_view kNotAvailable = "8388607";

hl7v2::Pcd01Metric Metric(uint32_t code, std::string_view unit_name, std::string containment, std::string value,
                          TimePoint at) {
  const hl7v2::VitalSignCode* sign = hl7v2::FindVitalSign(code);
  const hl7v2::UnitCode* unit = hl7v2::FindUnitByName(unit_name);
  hl7v2::Pcd01Metric metric;
  metric.mdc_code = code;
  metric.mdc_name = sign != nullptr ? sign->mdc_name : std::string_view();
  metric.containment_id = std::move(containment);
  metric.value = std::move(value);
  metric.unit_code = unit != nullptr ? unit->mdc_code : 0;
  metric.unit_name = unit_name;
  metric.observed_at = at;
  return metric;
}

}  // namespace

std::string SimulatedDeviceEui64(uint64_t seed, uint32_t index) {
  return fmt::format("024B43{:06X}{:04X}", SplitMix64(seed) & 0xFFFFFF, (index + 1) & 0xFFFF);
}

SimulatedMonitor::SimulatedMonitor(const SimulatedMonitorOptions& options)
    : options_(options),
      device_eui64_(SimulatedDeviceEui64(options.seed, options.index)),
      vitals_(VitalsModelOptions{options.seed, options.index, options.scenario, options.peak_systolic_rise_mmhg,
                                 options.probe_offs_per_hour}) {}

ProbeOffStyle SimulatedMonitor::probe_off_style() const {
  return options_.index % 2 == 0 ? ProbeOffStyle::kResultStatusX : ProbeOffStyle::kNotAvailableValue;
}

SimulatedTime SimulatedMonitor::ReportTime(uint64_t sequence) const {
  return options_.report_interval * static_cast<int64_t>(sequence);
}

std::optional<SimulatedTime> SimulatedMonitor::CuffTimeFor(uint64_t sequence) const {
  const SimulatedTime now = ReportTime(sequence);
  const SimulatedTime cycle = (now / options_.cuff_interval) * options_.cuff_interval;
  if (sequence == 0 || cycle > ReportTime(sequence - 1)) return cycle;
  return std::nullopt;
}

hl7v2::Pcd01DeviceReport SimulatedMonitor::ReportFor(uint64_t sequence, TimePoint session_start,
                                                     std::string control_id) const {
  const SimulatedTime t = ReportTime(sequence);
  const TimePoint at = session_start + t;
  hl7v2::Pcd01DeviceReport report;
  report.device_eui64 = device_eui64_;
  report.sending_facility = "SIMULATED";
  report.control_id = std::move(control_id);
  report.message_time = at;
  report.observation_time = at;

  const ContinuousReading reading = vitals_.ContinuousAt(t);
  const auto oximeter = [&](uint32_t code, std::string_view unit, std::optional<int> value) {
    hl7v2::Pcd01Metric metric = Metric(code, unit, fmt::format("1.1.1.{}", code), "", at);
    if (value) {
      metric.value = std::to_string(*value);
    } else if (probe_off_style() == ProbeOffStyle::kResultStatusX) {
      metric.result_status = "X";
    } else {
      metric.value = std::string(kNotAvailable);
    }
    report.metrics.push_back(std::move(metric));
  };
  oximeter(150456, "MDC_DIM_PERCENT", reading.spo2_percent);          // MDC_PULS_OXIM_SAT_O2
  oximeter(149530, "MDC_DIM_BEAT_PER_MIN", reading.pulse_rate_per_min);  // MDC_PULS_OXIM_PULS_RATE
  report.metrics.push_back(Metric(147842, "MDC_DIM_BEAT_PER_MIN", "1.2.1.147842",  // MDC_ECG_HEART_RATE
                                  std::to_string(reading.heart_rate_per_min), at));
  report.metrics.push_back(Metric(151562, "MDC_DIM_RESP_PER_MIN", "1.2.1.151562",  // MDC_RESP_RATE
                                  std::to_string(reading.respiratory_rate_per_min), at));
  if (const std::optional<SimulatedTime> cuff_time = CuffTimeFor(sequence)) {
    const CuffReading cuff = vitals_.CuffAt(*cuff_time);
    const TimePoint measured = session_start + *cuff_time;
    report.metrics.push_back(Metric(150021, "MDC_DIM_MMHG", "1.3.1.150021",  // MDC_PRESS_BLD_NONINV_SYS
                                    std::to_string(cuff.systolic_mmhg), measured));
    report.metrics.push_back(Metric(150022, "MDC_DIM_MMHG", "1.3.1.150022",  // MDC_PRESS_BLD_NONINV_DIA
                                    std::to_string(cuff.diastolic_mmhg), measured));
    report.metrics.push_back(Metric(150023, "MDC_DIM_MMHG", "1.3.1.150023",  // MDC_PRESS_BLD_NONINV_MEAN
                                    std::to_string(cuff.mean_mmhg), measured));
  }
  report.metrics.push_back(Metric(150364, "MDC_DIM_DEGC", "1.4.1.150364",  // MDC_TEMP_BODY
                                  fmt::format("{:.1f}", reading.temperature_cel), at));
  return report;
}

}  // namespace ketachart::sim
