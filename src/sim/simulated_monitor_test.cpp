// Tests of one simulated monitor: stable EUI-64 ids; the report schedule
// (cuff pressure only once per cuff cycle); and that each report, built into
// a PCD-01 message, reads back through KetaChart's own parser and PCD-01
// reader into the expected observations, MDC codes, UCUM units, device id,
// times and, with the probe off, the two "not a measurement" states.
#include "sim/simulated_monitor.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "interop/hl7v2/hl7_message.h"
#include "interop/hl7v2/pcd01_report.h"

namespace ketachart::sim {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kStart = *ParseTimestamp("2026-11-22T09:00:00.000Z");

Result<hl7v2::MonitorReport> ReadBack(const hl7v2::Pcd01DeviceReport& report) {
  KC_ASSIGN_OR_RETURN(const hl7v2::Message message, hl7v2::Message::Parse(hl7v2::BuildPcd01Message(report)));
  return hl7v2::ReadPcd01Report(message, hl7v2::Pcd01Options{});
}

SimulatedMonitor Monitor(uint32_t index, double probe_offs_per_hour = 0) {
  SimulatedMonitorOptions options;
  options.seed = 1;
  options.index = index;
  options.probe_offs_per_hour = probe_offs_per_hour;
  return SimulatedMonitor(options);
}

TEST(SimMonitor, DeviceIdsAreStableEui64sPerSeedAndIndex) {
  EXPECT_EQ(SimulatedDeviceEui64(1, 0), SimulatedDeviceEui64(1, 0));
  EXPECT_EQ(SimulatedDeviceEui64(1, 0).size(), 16u);
  EXPECT_EQ(SimulatedDeviceEui64(1, 0).substr(0, 6), "024B43");
  EXPECT_EQ(SimulatedDeviceEui64(1, 0).substr(12), "0001");
  EXPECT_EQ(SimulatedDeviceEui64(1, 3).substr(12), "0004");
  EXPECT_EQ(SimulatedDeviceEui64(1, 0).substr(0, 12), SimulatedDeviceEui64(1, 3).substr(0, 12));
  EXPECT_NE(SimulatedDeviceEui64(1, 0), SimulatedDeviceEui64(2, 0));
  EXPECT_EQ(hl7v2::NormaliseEui64(SimulatedDeviceEui64(99, 7)), SimulatedDeviceEui64(99, 7));
}

TEST(SimMonitor, CuffPressureOncePerCycle) {
  const SimulatedMonitor monitor = Monitor(0);  // reports every 5 s, cuff every 5 min
  EXPECT_EQ(monitor.ReportTime(12), seconds(60));
  std::vector<uint64_t> with_cuff;
  for (uint64_t k = 0; k < 200; ++k) {
    if (monitor.CuffTimeFor(k)) with_cuff.push_back(k);
  }
  EXPECT_EQ(with_cuff, (std::vector<uint64_t>{0, 60, 120, 180}));
  EXPECT_EQ(*monitor.CuffTimeFor(60), minutes(5));
  SimulatedMonitorOptions slow;
  slow.report_interval = seconds(7);
  slow.cuff_interval = minutes(1);
  const SimulatedMonitor odd(slow);
  EXPECT_EQ(*odd.CuffTimeFor(9), minutes(1));  // 63 s: the cycle at 60 s
  EXPECT_FALSE(odd.CuffTimeFor(10).has_value());  // 70 s: already reported
}

TEST(SimMonitor, ReportReadsBackWithMdcCodesUnitsDeviceAndTimes) {
  const SimulatedMonitor monitor = Monitor(2);
  auto report = ReadBack(monitor.ReportFor(60, kStart, "SIM3-RUN-000061"));
  ASSERT_TRUE(report.ok()) << report.error().field << ": " << report.error().message;
  EXPECT_EQ(report->header.control_id, "SIM3-RUN-000061");
  std::vector<std::string> seen;
  for (const hl7v2::MonitorObservation& o : report->observations) {
    EXPECT_EQ(o.device_id, monitor.device_eui64());
    EXPECT_EQ(o.state, hl7v2::ObservationState::kMeasured) << o.observation_code;
    EXPECT_TRUE(o.value.has_value());
    EXPECT_EQ(o.mapping_note, "");
    EXPECT_EQ(o.observed_at, kStart + minutes(5));  // report 60 and its cuff cycle are both at 5 min
    seen.push_back(o.observation_code + " " + o.loinc + " " + o.unit_ucum);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"150456 59408-5 %", "149530 8889-8 /min", "147842 8867-4 /min",
                                            "151562 9279-1 /min", "150021 8480-6 mm[Hg]", "150022 8462-4 mm[Hg]",
                                            "150023 8478-0 mm[Hg]", "150364 8310-5 Cel"}));
  const CuffReading cuff = monitor.vitals().CuffAt(minutes(5));
  EXPECT_EQ(report->observations[4].value->ToString(), std::to_string(cuff.systolic_mmhg));
  const ContinuousReading continuous = monitor.vitals().ContinuousAt(minutes(5));
  EXPECT_EQ(report->observations[2].value->ToString(), std::to_string(continuous.heart_rate_per_min));

  auto between = ReadBack(monitor.ReportFor(61, kStart, "SIM3-RUN-000062"));
  ASSERT_TRUE(between.ok());
  EXPECT_EQ(between->observations.size(), 5u);  // no cuff reading between cycles
  EXPECT_EQ(between->observations[0].observed_at, kStart + seconds(305));
}

TEST(SimMonitor, ProbeOffIsSentAsResultStatusXOrAsTheIeee11073NaN) {
  for (uint32_t index : {0u, 1u}) {
    const SimulatedMonitor monitor = Monitor(index, 30);  // one probe-off per 2 minutes
    uint64_t off = 0;
    while (!monitor.vitals().ProbeOffAt(monitor.ReportTime(off))) ++off;
    auto report = ReadBack(monitor.ReportFor(off, kStart, fmt::format("C{}", off)));
    ASSERT_TRUE(report.ok()) << report.error().message;
    const hl7v2::ObservationState expected = monitor.probe_off_style() == ProbeOffStyle::kResultStatusX
                                                 ? hl7v2::ObservationState::kCannotBeObtained
                                                 : hl7v2::ObservationState::kNotAvailable;
    std::set<std::string> blank;
    for (const hl7v2::MonitorObservation& o : report->observations) {
      if (o.state == hl7v2::ObservationState::kMeasured) continue;
      EXPECT_EQ(o.state, expected);
      EXPECT_FALSE(o.value.has_value());
      EXPECT_FALSE(o.loinc.empty());  // still a known vital sign, just not a measurement
      blank.insert(o.observation_code);
    }
    EXPECT_EQ(blank, (std::set<std::string>{"150456", "149530"})) << "index " << index;
  }
  EXPECT_EQ(Monitor(0).probe_off_style(), ProbeOffStyle::kResultStatusX);
  EXPECT_EQ(Monitor(1).probe_off_style(), ProbeOffStyle::kNotAvailableValue);
}

}  // namespace
}  // namespace ketachart::sim
