// Tests of the PCD-01 writer: what it builds reads back through KetaChart's
// own parser and PCD-01 reader (pcd01_report.h) into the same observations,
// MDC codes, UCUM units, states, times and device id; text is escaped.
#include "interop/hl7v2/pcd01_message_builder.h"

#include <gtest/gtest.h>

#include "interop/hl7v2/hl7_message.h"
#include "interop/hl7v2/pcd01_report.h"

namespace ketachart::hl7v2 {
namespace {

const TimePoint kTime = *ParseTimestamp("2026-11-22T09:15:00.500Z");

Pcd01DeviceReport SampleReport() {
  Pcd01DeviceReport report;
  report.device_eui64 = "024B43A1B2C30001";
  report.control_id = "SIM1-ABC-000001";
  report.message_time = kTime;
  report.observation_time = kTime;
  report.metrics = {
      {150456, "MDC_PULS_OXIM_SAT_O2", "1.1.1.150456", "97", 262688, "MDC_DIM_PERCENT", "R", kTime},
      {149530, "MDC_PULS_OXIM_PULS_RATE", "1.1.1.149530", "", 264864, "MDC_DIM_BEAT_PER_MIN", "X", kTime},
      {151562, "MDC_RESP_RATE", "1.2.1.151562", "8388607", 264928, "MDC_DIM_RESP_PER_MIN", "R", kTime},
      {150021, "MDC_PRESS_BLD_NONINV_SYS", "1.3.1.150021", "131", 266016, "MDC_DIM_MMHG", "R",
       kTime - std::chrono::minutes(2)},
      {150364, "MDC_TEMP_BODY", "1.4.1.150364", "36.8", 268192, "MDC_DIM_DEGC", "R", kTime},
  };
  return report;
}

Result<MonitorReport> ReadBack(const std::string& text) {
  KC_ASSIGN_OR_RETURN(const Message message, Message::Parse(text));
  return ReadPcd01Report(message, Pcd01Options{});
}

TEST(SimPcd01Builder, BuiltMessageReadsBackIntoTheSameObservations) {
  const std::string text = BuildPcd01Message(SampleReport());
  auto report = ReadBack(text);
  ASSERT_TRUE(report.ok()) << report.error().field << ": " << report.error().message << "\n" << text;
  EXPECT_EQ(report->header.control_id, "SIM1-ABC-000001");
  EXPECT_EQ(report->header.sending_application, "KETACHART_SIM^024B43A1B2C30001^EUI-64");
  EXPECT_EQ(report->header.message_type, "ORU");
  EXPECT_EQ(report->header.trigger_event, "R01");
  ASSERT_EQ(report->observations.size(), 5u);  // the MDS row is containment, not an observation

  const MonitorObservation& spo2 = report->observations[0];
  EXPECT_EQ(spo2.device_id, "024B43A1B2C30001");
  EXPECT_EQ(spo2.observation_code, "150456");
  EXPECT_EQ(spo2.loinc, "59408-5");
  EXPECT_EQ(spo2.unit_ucum, "%");
  EXPECT_EQ(spo2.state, ObservationState::kMeasured);
  ASSERT_TRUE(spo2.value.has_value());
  EXPECT_EQ(spo2.value->ToString(), "97");
  EXPECT_EQ(spo2.observed_at, kTime);
  EXPECT_TRUE(spo2.observed_time_has_offset);

  const MonitorObservation& pulse = report->observations[1];
  EXPECT_EQ(pulse.state, ObservationState::kCannotBeObtained);  // probe off: OBX-11 X
  EXPECT_FALSE(pulse.value.has_value());
  EXPECT_EQ(pulse.loinc, "8889-8");

  const MonitorObservation& respiration = report->observations[2];
  EXPECT_EQ(respiration.state, ObservationState::kNotAvailable);  // IEEE 11073 NaN
  EXPECT_FALSE(respiration.value.has_value());
  EXPECT_EQ(respiration.unit_ucum, "/min");

  const MonitorObservation& systolic = report->observations[3];
  EXPECT_EQ(systolic.loinc, "8480-6");
  EXPECT_EQ(systolic.unit_ucum, "mm[Hg]");
  EXPECT_EQ(systolic.observed_at, kTime - std::chrono::minutes(2));  // the cuff's own time

  const MonitorObservation& temperature = report->observations[4];
  EXPECT_EQ(temperature.loinc, "8310-5");
  EXPECT_EQ(temperature.unit_ucum, "Cel");
  EXPECT_EQ(temperature.value->ToString(), "36.8");
  EXPECT_EQ(temperature.containment_id, "1.4.1.150364");
  for (const MonitorObservation& o : report->observations) {
    EXPECT_EQ(o.device_id, "024B43A1B2C30001") << o.observation_code;
    EXPECT_EQ(o.mapping_note, "") << o.observation_code;
  }
}

TEST(SimPcd01Builder, SegmentsEndInCrAndPidIsEmptyWithoutAPatient) {
  Pcd01DeviceReport sample = SampleReport();
  const std::string text = BuildPcd01Message(sample);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_EQ(text.back(), '\r');
  EXPECT_NE(text.find("\rPID|\r"), std::string::npos);
  sample.patient_id = "MRN-1";
  auto message = Message::Parse(BuildPcd01Message(sample));
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->SegmentsWithId("PID").at(0).Text(3), "MRN-1");
  EXPECT_EQ(message->SegmentsWithId("OBX").size(), 6u);
  EXPECT_EQ(message->SegmentsWithId("OBX").at(1).Text(18, 4), "EUI-64");
}

TEST(SimPcd01Builder, TextFieldsAreEscaped) {
  Pcd01DeviceReport sample = SampleReport();
  sample.sending_facility = "Ward|3^A&B";
  sample.control_id = "C|1";
  auto message = Message::Parse(BuildPcd01Message(sample));
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->header().Text(4), "Ward|3^A&B");
  auto report = ReadPcd01Report(*message, Pcd01Options{});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->header.control_id, "C|1");
}

}  // namespace
}  // namespace ketachart::hl7v2
