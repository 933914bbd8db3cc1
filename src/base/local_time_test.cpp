// Wall-clock dates and the clinic time zone: parsing refuses what is not a
// real date or time, weekdays are ISO-ordered, and the conversion through the
// tz database handles daylight-saving gaps and repeats.
#include "base/local_time.h"

#include <gtest/gtest.h>

#include "base/time_zone.h"

namespace ketachart {
namespace {

TEST(SchedulingLocalTimeTest, ParsesAndFormats) {
  const auto t = ParseLocalDateTime("2026-03-09T09:05");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatLocalDateTime(*t), "2026-03-09T09:05");
  EXPECT_EQ(t->minute_of_day(), 9 * 60 + 5);
  EXPECT_EQ(WeekdayName(WeekdayOfDay(t->day())), "monday");
  EXPECT_EQ(WeekdayOfDay(0), 3);  // 1970-01-01, a Thursday
  EXPECT_EQ(FormatLocalDate(*ParseLocalDate("2028-02-29")), "2028-02-29");
  EXPECT_EQ(ParseClockTime("24:00", true), 1440);
  EXPECT_FALSE(ParseClockTime("24:00"));
  for (const char* bad : {"2026-02-29T09:00", "2026-03-09 09:00", "2026-03-09T25:00", "2026-03-09T09:60",
                          "2026-03-09T9:00", "2026-03-09T09:00Z", ""}) {
    EXPECT_FALSE(ParseLocalDateTime(bad)) << bad;
  }
  EXPECT_EQ(ParseWeekday("sunday"), 6);
  EXPECT_FALSE(ParseWeekday("Sunday"));
}

TEST(SchedulingLocalTimeTest, ClinicTimeZoneConvertsBothWays) {
  const auto zone = ClinicTimeZone::Find("America/Chicago");
  ASSERT_TRUE(zone.ok());
  // Winter: UTC-6; summer: UTC-5.
  EXPECT_EQ(FormatTimestamp(*zone->ToUtc(*ParseLocalDateTime("2026-03-06T09:00"))), "2026-03-06T15:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(*zone->ToUtc(*ParseLocalDateTime("2026-03-09T09:00"))), "2026-03-09T14:00:00.000Z");
  EXPECT_EQ(FormatLocalDateTime(zone->ToLocal(*ParseTimestamp("2026-03-09T14:00:59.999Z"))), "2026-03-09T09:00");
  // 02:30 on 2026-03-08 does not exist in Chicago; 01:30 on 2026-11-01 happens twice (the first is CDT).
  EXPECT_FALSE(zone->ToUtc(*ParseLocalDateTime("2026-03-08T02:30")));
  EXPECT_EQ(FormatTimestamp(*zone->ToUtc(*ParseLocalDateTime("2026-11-01T01:30"))), "2026-11-01T06:30:00.000Z");
  const auto unknown = ClinicTimeZone::Find("Mars/Olympus_Mons");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "timezone");
}

}  // namespace
}  // namespace ketachart
