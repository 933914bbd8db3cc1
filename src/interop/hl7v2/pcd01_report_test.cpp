// Tests of the IHE PCD-01 reader: the vendor-style corpus in tests/hl7-corpus
// (each NAME.hl7 beside NAME.expected, written by hand from the message), and
// focused cases for device identity, special values and errors.
#include "interop/hl7v2/pcd01_report.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "interop/hl7v2/hl7_number.h"

namespace ketachart::hl7v2 {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Describe(const MonitorObservation& o) {
  return fmt::format("{} {} {} {} {} {} {} {} {}", o.segment_position, o.device_id, o.containment_id,
                     o.observation_code, o.loinc.empty() ? "-" : o.loinc, ObservationStateName(o.state),
                     o.value ? o.value->ToString() : "-", o.unit_ucum.empty() ? "-" : o.unit_ucum,
                     FormatTimestamp(o.observed_at));
}

Result<MonitorReport> Read(std::string text, std::chrono::minutes offset = std::chrono::minutes(0)) {
  KC_ASSIGN_OR_RETURN(const Message message, Message::Parse(std::move(text)));
  Pcd01Options options;
  options.assumed_utc_offset = offset;
  return ReadPcd01Report(message, options);
}

TEST(Pcd01Corpus, EveryVendorStyleMessageMapsAsExpected) {
  const std::filesystem::path corpus = KETACHART_HL7_CORPUS_DIR;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".hl7") continue;
    ++files;
    SCOPED_TRACE(entry.path().filename().string());
    std::filesystem::path expected_path = entry.path();
    expected_path.replace_extension(".expected");
    ASSERT_TRUE(std::filesystem::exists(expected_path));
    std::istringstream expected(ReadFile(expected_path));
    std::vector<std::string> expected_lines;
    std::string control_id;
    int offset_minutes = 0;
    for (std::string line; std::getline(expected, line);) {
      if (line.empty() || line[0] == '#') continue;
      if (line.rfind("control_id ", 0) == 0) {
        control_id = line.substr(11);
      } else if (line.rfind("assumed_utc_offset_minutes ", 0) == 0) {
        offset_minutes = std::stoi(line.substr(27));
      } else {
        expected_lines.push_back(line);
      }
    }
    auto report = Read(ReadFile(entry.path()), std::chrono::minutes(offset_minutes));
    ASSERT_TRUE(report.ok()) << report.error().field << ": " << report.error().message;
    EXPECT_EQ(report->header.control_id, control_id);
    std::vector<std::string> actual;
    for (const MonitorObservation& o : report->observations) actual.push_back(Describe(o));
    EXPECT_EQ(actual, expected_lines);
  }
  EXPECT_GE(files, 5);
}

TEST(Pcd01Corpus, TextFieldsDecodeAcrossCharacterSets) {
  const std::filesystem::path corpus = KETACHART_HL7_CORPUS_DIR;
  auto nk = Message::Parse(ReadFile(corpus / "nihon_kohden_style_latin1_probe_off.hl7"));
  ASSERT_TRUE(nk.ok());
  const Segment pid = nk->SegmentsWithId("PID").at(0);
  EXPECT_EQ(pid.Text(5, 1), "M\xC3\xBCller");
  EXPECT_EQ(pid.Text(11), "Stra\xC3\x9F" "e 5");
  EXPECT_EQ(nk->SegmentsWithId("NTE").at(0).Text(3), "Cuff on left arm\nre-measured & confirmed; ratio 3|4 A");
  auto philips = Message::Parse(ReadFile(corpus / "philips_style_utf8_cr.hl7"));
  ASSERT_TRUE(philips.ok());
  EXPECT_EQ(philips->SegmentsWithId("PID").at(0).Text(5, 2), "Zo\xC3\xAB");
  auto legacy = Message::Parse(ReadFile(corpus / "legacy_gateway_v23_hex_codes.hl7"));
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(legacy->SegmentsWithId("PID").at(0).Text(5, 2), "In\xC3\xAAs");
}

constexpr const char* kHeader =
    "MSH|^~\\&|GW^0011223344556677^EUI-64|F|||20261122100000+0000||ORU^R01^ORU_R01|C1|P|2.6\r";

TEST(Pcd01Report, UnknownCodesAreKeptRawWithTheirText) {
  auto report = Read(std::string(kHeader) +
                     "OBX|1|NM|151708^MDC_CONC_AWAY_CO2_ET^MDC|1.1|-0.5|266016^MDC_DIM_MMHG^MDC|||||F\r"
                     "OBX|2|CWE|68480^MDC_ATTR_ALERT_TYPE^MDC|1.2|196670^MDC_EVT_LO^MDC||||||F\r"
                     "OBX|3|NM|12345^VENDOR_THING^99VENDOR|1.3|7|x^y^99VENDOR|||||F\r");
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->observations.size(), 3u);
  const MonitorObservation& co2 = report->observations[0];
  EXPECT_EQ(co2.vital_sign, nullptr);
  EXPECT_EQ(co2.state, ObservationState::kMeasured);  // negative is not "no sensor" for unknown codes
  ASSERT_TRUE(co2.value.has_value());
  EXPECT_EQ(co2.value->ToString(), "-0.5");
  EXPECT_EQ(co2.unit_ucum, "mm[Hg]");
  const MonitorObservation& coded = report->observations[1];
  EXPECT_EQ(coded.value_text, "196670^MDC_EVT_LO^MDC");
  EXPECT_FALSE(coded.value.has_value());
  const MonitorObservation& vendor = report->observations[2];
  EXPECT_EQ(vendor.observation_code, "12345");
  EXPECT_EQ(vendor.coding_system, "99VENDOR");
  EXPECT_EQ(vendor.unit_ucum, "");
  EXPECT_EQ(vendor.unit_as_sent, "x^y^99VENDOR");
}

TEST(Pcd01Report, Ieee11073SpecialValuesAndNegativesAreNeverMeasurements) {
  for (const char* special : {"8388607", "8388606", "-8388608", "-8388606", "-8388607", "8388607.0"}) {
    auto report = Read(std::string(kHeader) + "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.1|" + special +
                       "|262688^MDC_DIM_PERCENT^MDC|||||R\r");
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->observations.at(0).state, ObservationState::kNotAvailable) << special;
    EXPECT_FALSE(report->observations.at(0).value.has_value());
  }
  auto negative = Read(std::string(kHeader) +
                       "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1|-999|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R\r");
  ASSERT_TRUE(negative.ok());
  EXPECT_EQ(negative->observations.at(0).state, ObservationState::kNoSensor);
  EXPECT_FALSE(negative->observations.at(0).value.has_value());
  auto withdrawn = Read(std::string(kHeader) +
                        "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1|80|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||W\r");
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->observations.at(0).state, ObservationState::kWithdrawn);
  auto near_special = Read(std::string(kHeader) +
                           "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.1|83886.07|262688^MDC_DIM_PERCENT^MDC|||||R\r");
  ASSERT_TRUE(near_special.ok());
  EXPECT_EQ(near_special->observations.at(0).state, ObservationState::kMeasured);
}

TEST(Pcd01Report, DeviceFromNearestContainerThenMsh3) {
  auto report = Read(
      "MSH|^~\\&|GW^AAAAAAAAAAAAAAAA^EUI-64|F|||20261122100000+0000||ORU^R01|C1|P|2.6\r"
      "OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1|||||||X|||||||^^1111111111111111^EUI-64\r"
      "OBX|2||69642^MDC_DEV_ANALY_SAT_O2_VMD^MDC|1.2|||||||X|||||||22-22-22-22-22-22-22-22\r"
      "OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.2.1.1|97|%|||||R\r"
      "OBX|4|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|70|/min|||||R\r"
      "OBX|5|NM|147842^MDC_ECG_HEART_RATE^MDC|1.12.1.1|71|/min|||||R\r"
      "OBX|6|NM|147842^MDC_ECG_HEART_RATE^MDC|2.1.1.1|72|/min|||||R\r"
      "OBX|7|NM|147842^MDC_ECG_HEART_RATE^MDC|2.1.1.2|73|/min|||||R|||||||3333333333333333\r");
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->observations.size(), 5u);
  EXPECT_EQ(report->observations[0].device_id, "2222222222222222");  // VMD 1.2
  EXPECT_EQ(report->observations[1].device_id, "1111111111111111");  // MDS 1
  EXPECT_EQ(report->observations[2].device_id, "1111111111111111");  // 1.12 is in 1, not in 1.1/1.2
  EXPECT_EQ(report->observations[3].device_id, "AAAAAAAAAAAAAAAA");  // MSH-3
  EXPECT_EQ(report->observations[4].device_id, "3333333333333333");  // its own OBX-18
}

TEST(Pcd01Report, ErrorsNameTheField) {
  const auto error_of = [](std::string text) {
    auto report = Read(std::move(text));
    EXPECT_FALSE(report.ok());
    return report.ok() ? Error{} : report.error();
  };
  EXPECT_EQ(error_of("MSH|^~\\&|A|B|||20261122||ADT^A01|1|P|2.6\r").field, "MSH-9");
  EXPECT_EQ(error_of("MSH|^~\\&|A|B|||20261122||ORU^R30|1|P|2.6\r").field, "MSH-9");
  EXPECT_EQ(error_of("MSH|^~\\&|A|B|||20261122||||P|2.6\r").field, "MSH-9");
  EXPECT_EQ(error_of("MSH|^~\\&|A|B|||20261122||ORU^R01||P|2.6\r").field, "MSH-10");
  EXPECT_EQ(error_of("MSH|^~\\&|A|B|||2026112||ORU^R01|1|P|2.6\r").field, "MSH-7");
  const Error no_device = error_of("MSH|^~\\&|A|B|||20261122||ORU^R01|1|P|2.6\rOBX|1|NM|150456^X^MDC|1|97|%\r");
  EXPECT_EQ(no_device.field, "OBX-18");
  EXPECT_NE(no_device.message.find("segment 2"), std::string::npos);
  EXPECT_EQ(error_of(std::string(kHeader) + "OBX|1|NM|150456^X^MDC|1|ninety|%\r").field, "OBX-5");
  EXPECT_EQ(error_of(std::string(kHeader) + "OBX|1|NM|150456^X^MDC|1|97|%|||||R|||2026-11-22\r").field, "OBX-14");
  EXPECT_EQ(error_of(std::string(kHeader) + "OBX|1|NM||1|97|%\r").field, "OBX-3");
  EXPECT_EQ(error_of("MSH|^~\\&|GW^0011223344556677^EUI-64|F|||||ORU^R01|C1|P|2.6\rOBX|1|NM|150456^X^MDC|1|97|%\r")
                .field,
            "OBX-14");
}

TEST(Pcd01Report, UnitsInMdcUcumAndLooseSpellings) {
  auto report = Read(std::string(kHeader) +
                     "OBX|1|NM|150021^S^MDC|1|120|266016^MDC_DIM_MMHG^MDC\r"
                     "OBX|2|NM|150021^S^MDC|1|120|^MDC_DIM_MMHG^MDC\r"
                     "OBX|3|NM|150021^S^MDC|1|120|mm[Hg]^mm[Hg]^UCUM\r"
                     "OBX|4|NM|150021^S^MDC|1|120|mmHg\r"
                     "OBX|5|NM|150021^S^MDC|1|16.0|265987^MDC_DIM_KILO_PASCAL^MDC\r"
                     "OBX|6|NM|150344^T^MDC|1|36.6|^MDC_DIM_DEG_C^MDC\r"
                     "OBX|7|NM|150344^T^MDC|1|36.6|\xC2\xB0" "C\r");
  ASSERT_TRUE(report.ok());
  std::vector<std::string> units;
  for (const auto& o : report->observations) units.push_back(o.unit_ucum + (o.loinc.empty() ? " raw" : ""));
  EXPECT_EQ(units, (std::vector<std::string>{"mm[Hg]", "mm[Hg]", "mm[Hg]", "mm[Hg]", "kPa", "Cel", "Cel"}));
}

TEST(Hl7Number, ExactDecimalValues) {
  EXPECT_EQ(ParseHl7Number("36.80")->ToString(), "36.80");
  EXPECT_EQ(ParseHl7Number(" +120 ")->ToString(), "120");
  EXPECT_EQ(ParseHl7Number("-0.5")->ToString(), "-0.5");
  EXPECT_EQ(ParseHl7Number(".5")->ToString(), "0.5");
  EXPECT_EQ(ParseHl7Number("007")->ToString(), "7");
  EXPECT_DOUBLE_EQ(ParseHl7Number("98.4")->ToDouble(), 98.4);
  EXPECT_TRUE(ParseHl7Number("8388607.000")->EqualsInteger(8388607));
  EXPECT_FALSE(ParseHl7Number("8388607.001")->EqualsInteger(8388607));
  for (const char* bad : {"", "-", ".", "1.2.3", "1e3", "12a", "1 2", "1234567890123456789", "0.0000000001"}) {
    EXPECT_FALSE(ParseHl7Number(bad).has_value()) << bad;
  }
}

TEST(Eui64, Normalisation) {
  EXPECT_EQ(NormaliseEui64("00091bfffe000101"), "00091BFFFE000101");
  EXPECT_EQ(NormaliseEui64("00:09:1B:FF:FE:00:01:01"), "00091BFFFE000101");
  EXPECT_FALSE(NormaliseEui64("00091BFFFE0001").has_value());
  EXPECT_FALSE(NormaliseEui64("00091BFFFE00010G").has_value());
}

}  // namespace
}  // namespace ketachart::hl7v2
