// Series planning: the weekly rhythm (3 a week is Mon/Wed/Fri-like, 2 a week
// is 3-4 days apart), closed weekdays moving a session forward without
// crowding a week, and the inputs it refuses.
#include "clinical/scheduling/series.h"

#include <gtest/gtest.h>

namespace ketachart {
namespace {

std::vector<std::string> Plan(const char* first, int sessions, int per_week, std::array<bool, 7> closed = {}) {
  auto planned = PlanSeries({*ParseLocalDateTime(first), sessions, per_week, closed});
  EXPECT_TRUE(planned.ok()) << planned.error().message;
  std::vector<std::string> out;
  if (planned.ok()) {
    for (const LocalDateTime& t : planned.value()) out.push_back(FormatLocalDateTime(t));
  }
  return out;
}

constexpr std::array<bool, 7> kWeekend = {false, false, false, false, false, true, true};

// 2026-03-09 is a Monday.
TEST(SchedulingSeriesTest, ThreeAWeekIsMondayWednesdayFriday) {
  EXPECT_EQ(Plan("2026-03-09T09:00", 6, 3, kWeekend),
            (std::vector<std::string>{"2026-03-09T09:00", "2026-03-11T09:00", "2026-03-13T09:00", "2026-03-16T09:00",
                                      "2026-03-18T09:00", "2026-03-20T09:00"}));
}

TEST(SchedulingSeriesTest, TwoAWeekIsThreeOrFourDaysApart) {
  EXPECT_EQ(Plan("2026-03-10T14:30", 4, 2, kWeekend),
            (std::vector<std::string>{"2026-03-10T14:30", "2026-03-13T14:30", "2026-03-17T14:30", "2026-03-20T14:30"}));
}

TEST(SchedulingSeriesTest, OneAWeekIsWeekly) {
  EXPECT_EQ(Plan("2026-03-11T10:00", 3, 1),
            (std::vector<std::string>{"2026-03-11T10:00", "2026-03-18T10:00", "2026-03-25T10:00"}));
}

TEST(SchedulingSeriesTest, ASingleSessionIsTheFirstStart) {
  EXPECT_EQ(Plan("2026-03-11T10:00", 1, 3), (std::vector<std::string>{"2026-03-11T10:00"}));
}

TEST(SchedulingSeriesTest, ClosedDayMovesToTheNextOpenDay) {
  // Starting on a Wednesday, 3 a week: nominal Wed, Fri, Sun -> Sunday is closed, Monday.
  EXPECT_EQ(Plan("2026-03-11T09:00", 4, 3, kWeekend),
            (std::vector<std::string>{"2026-03-11T09:00", "2026-03-13T09:00", "2026-03-16T09:00", "2026-03-18T09:00"}));
}

TEST(SchedulingSeriesTest, MovedSessionsNeverCrowdSevenDays) {
  // Closed Friday to Sunday: 3 a week from Monday must not put 4 sessions in any 7 days.
  const std::array<bool, 7> closed = {false, false, false, false, true, true, true};
  const auto planned = PlanSeries({*ParseLocalDateTime("2026-03-09T09:00"), 9, 3, closed});
  ASSERT_TRUE(planned.ok());
  for (size_t i = 0; i < planned.value().size(); ++i) {
    const int64_t day = planned.value()[i].day();
    EXPECT_FALSE(closed[WeekdayOfDay(day)]) << FormatLocalDateTime(planned.value()[i]);
    if (i > 0) {
      EXPECT_GT(day, planned.value()[i - 1].day());
    }
    if (i >= 3) {
      EXPECT_GE(day - planned.value()[i - 3].day(), 7) << "4 sessions within 7 days at " << i;
    }
  }
}

TEST(SchedulingSeriesTest, DaylightSavingDoesNotMoveTheWallClockTime) {
  // Local wall-clock times: the series keeps 09:00 across the US change on 2026-03-08.
  EXPECT_EQ(Plan("2026-03-06T09:00", 2, 3), (std::vector<std::string>{"2026-03-06T09:00", "2026-03-08T09:00"}));
}

TEST(SchedulingSeriesTest, RefusesBadInput) {
  const LocalDateTime monday = *ParseLocalDateTime("2026-03-09T09:00");
  const LocalDateTime saturday = *ParseLocalDateTime("2026-03-14T09:00");
  EXPECT_EQ(PlanSeries({monday, 0, 3, {}}).error().field, "sessions");
  EXPECT_EQ(PlanSeries({monday, 6, 0, {}}).error().field, "per_week");
  EXPECT_EQ(PlanSeries({monday, 6, 8, {}}).error().field, "per_week");
  const auto closed_first = PlanSeries({saturday, 6, 3, kWeekend});
  ASSERT_FALSE(closed_first.ok());
  EXPECT_EQ(closed_first.error().field, "first_start");
  EXPECT_EQ(closed_first.error().message, "falls on a closed day (saturday)");
  std::array<bool, 7> all_closed;
  all_closed.fill(true);
  EXPECT_EQ(PlanSeries({monday, 6, 3, all_closed}).error().field, "first_start");
}

}  // namespace
}  // namespace ketachart
