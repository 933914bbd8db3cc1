// Tests of HL7 v2 date/time parsing.
#include "interop/hl7v2/hl7_timestamp.h"

#include <gtest/gtest.h>

namespace ketachart::hl7v2 {
namespace {

using std::chrono::minutes;

std::string Utc(std::string_view value, minutes assumed = minutes(0)) {
  auto parsed = ParseHl7Timestamp(value, assumed, "OBX-14");
  if (!parsed.ok()) return "error: " + parsed.error().message;
  return FormatTimestamp(parsed->utc);
}

TEST(Hl7Timestamp, PrecisionsFractionsAndOffsets) {
  EXPECT_EQ(Utc("20261122091500"), "2026-11-22T09:15:00.000Z");
  EXPECT_EQ(Utc("20261122091500+0000"), "2026-11-22T09:15:00.000Z");
  EXPECT_EQ(Utc("20261122091500+0100"), "2026-11-22T08:15:00.000Z");
  EXPECT_EQ(Utc("20261122091500-0530"), "2026-11-22T14:45:00.000Z");
  EXPECT_EQ(Utc("20261122091500.5+0100"), "2026-11-22T08:15:00.500Z");
  EXPECT_EQ(Utc("20261122091500.25"), "2026-11-22T09:15:00.250Z");
  EXPECT_EQ(Utc("20261122091500.1239"), "2026-11-22T09:15:00.123Z");  // 4th digit truncated
  EXPECT_EQ(Utc("202611220915"), "2026-11-22T09:15:00.000Z");
  EXPECT_EQ(Utc("2026112209"), "2026-11-22T09:00:00.000Z");
  EXPECT_EQ(Utc("20261122"), "2026-11-22T00:00:00.000Z");
  EXPECT_EQ(Utc("2026"), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(Utc("20261122000500+0800"), "2026-11-21T16:05:00.000Z");  // crosses midnight
  EXPECT_EQ(Utc("20280229120000"), "2028-02-29T12:00:00.000Z");       // leap day
}

TEST(Hl7Timestamp, AssumedOffsetAppliesOnlyWithoutAnOffset) {
  EXPECT_EQ(Utc("20261122143000", minutes(-300)), "2026-11-22T19:30:00.000Z");
  EXPECT_EQ(Utc("20261122143000+0000", minutes(-300)), "2026-11-22T14:30:00.000Z");
  auto with = ParseHl7Timestamp("20261122143000+0000", minutes(60), "MSH-7");
  auto without = ParseHl7Timestamp("20261122143000", minutes(60), "MSH-7");
  ASSERT_TRUE(with.ok() && without.ok());
  EXPECT_TRUE(with->offset_given);
  EXPECT_FALSE(without->offset_given);
  EXPECT_EQ(without->precision_digits, 14);
}

TEST(Hl7Timestamp, RejectsMalformedValuesNamingTheField) {
  for (const char* bad : {"", "2026112", "20261322", "20260230", "20261122250000", "20261122096000",
                          "20261122091500.", "20261122091500.12345", "202611220915.5", "20261122091500+01",
                          "20261122091500+2400", "2026-11-22", "18991231", "20261122091500Z"}) {
    auto parsed = ParseHl7Timestamp(bad, minutes(0), "OBX-14");
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.error().field, "OBX-14");
    }
  }
}

TEST(Hl7Timestamp, FormatsForAcknowledgements) {
  auto t = ParseTimestamp("2026-11-22T07:38:48.123Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatHl7Timestamp(*t), "20261122073848.123+0000");
}

}  // namespace
}  // namespace ketachart::hl7v2
