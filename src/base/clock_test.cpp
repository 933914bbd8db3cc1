// Timestamp and date text forms: the database and API depend on them sorting
// and comparing correctly.
#include "base/clock.h"

#include <gtest/gtest.h>

namespace ketachart {
namespace {

TEST(ClockTest, FormatsAndParsesUtcMilliseconds) {
  auto parsed = ParseTimestamp("2026-11-22T04:07:12.123Z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(FormatTimestamp(*parsed), "2026-11-22T04:07:12.123Z");
}

TEST(ClockTest, ParsesOffsetsIntoUtc) {
  auto parsed = ParseTimestamp("2026-11-22T06:07:12+02:00");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(FormatTimestamp(*parsed), "2026-11-22T04:07:12.000Z");
}

TEST(ClockTest, RejectsMalformedTimestamps) {
  EXPECT_FALSE(ParseTimestamp("2026-11-22 04:07:12Z"));
  EXPECT_FALSE(ParseTimestamp("2026-02-30T04:07:12Z"));
  EXPECT_FALSE(ParseTimestamp("2026-11-22T24:00:00Z"));
  EXPECT_FALSE(ParseTimestamp("2026-11-22T04:07:12"));
}

TEST(ClockTest, ValidatesCalendarDates) {
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2023-02-29"));
  EXPECT_FALSE(IsValidDate("1900-02-29"));
  EXPECT_TRUE(IsValidDate("2000-02-29"));
  EXPECT_FALSE(IsValidDate("2026-13-01"));
  EXPECT_FALSE(IsValidDate("2026-1-01"));
  EXPECT_FALSE(IsValidDate("26-01-01"));
}

TEST(ClockTest, FormatsDatesBeforeTheEpoch) {
  auto parsed = ParseTimestamp("1950-06-15T12:00:00Z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(FormatDate(*parsed), "1950-06-15");
}

}  // namespace
}  // namespace ketachart
