// Schedule rules: each kind with occurrences that fall due and that do not,
// a measure on the due day satisfying it, late completion clearing an overdue
// item, reset moving the every-N-days anchor to the latest session, and the
// rules a schedule must follow. Days are UTC days here (the caller converts).
#include "clinical/measure_schedule/measure_schedule.h"

#include <gtest/gtest.h>

namespace ketachart {
namespace {

ClinicMoment M(std::string_view timestamp) {
  const TimePoint at = *ParseTimestamp(timestamp);
  return ClinicMoment{at, *DateToDays(FormatDate(at))};
}
int64_t Day(std::string_view date) { return *DateToDays(date); }

MeasureScheduleRule Rule(MeasureScheduleKind kind, int interval, const char* start, bool reset = false) {
  return MeasureScheduleRule{kind, interval, reset, Day(start)};
}

MeasureScheduleFacts Facts(const char* now, std::vector<const char*> sessions = {},
                           std::vector<const char*> completions = {}) {
  MeasureScheduleFacts facts;
  facts.now = M(now);
  for (const char* s : sessions) facts.sessions.push_back(M(s));
  for (const char* c : completions) facts.completions.push_back(M(c));
  return facts;
}

constexpr auto kBefore = MeasureScheduleKind::kBeforeEachSession;
constexpr auto kEvery = MeasureScheduleKind::kEveryNDays;
constexpr auto kAfter = MeasureScheduleKind::kNDaysAfterEachSession;

TEST(MeasureScheduleTest, EveryNDaysIsDueOnTheStartDayAndEveryNDaysAfter) {
  const auto rule = Rule(kEvery, 14, "2026-03-01");
  auto items = ComputeDueOccurrences(rule, Facts("2026-03-01T08:00:00Z"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].due_day, Day("2026-03-01"));
  EXPECT_EQ(items[0].status, DueStatus::kDue);
  EXPECT_EQ(items[0].rule, "every 14 days from 2026-03-01");
  EXPECT_EQ(items[1].due_day, Day("2026-03-15"));
  EXPECT_EQ(items[1].status, DueStatus::kDue);

  // Day 20: the occurrence of 2026-03-15 is overdue by 5 days; the next is 2026-03-29.
  items = ComputeDueOccurrences(rule, Facts("2026-03-20T08:00:00Z"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].due_day, Day("2026-03-15"));
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
  EXPECT_EQ(items[0].days_overdue, 5);
  EXPECT_EQ(items[1].due_day, Day("2026-03-29"));
}

TEST(MeasureScheduleTest, EveryNDaysBeforeItsStartIsOnlyUpcoming) {
  auto items = ComputeDueOccurrences(Rule(kEvery, 7, "2026-04-01"), Facts("2026-03-20T08:00:00Z"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].due_day, Day("2026-04-01"));
  EXPECT_EQ(items[0].status, DueStatus::kDue);
}

TEST(MeasureScheduleTest, AMeasureOnTheDueDaySatisfiesIt) {
  const auto rule = Rule(kEvery, 14, "2026-03-01");
  // Completed late in the evening of the due day, checked the next morning.
  auto items = ComputeDueOccurrences(rule, Facts("2026-03-16T07:00:00Z", {}, {"2026-03-15T23:30:00Z"}));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].due_day, Day("2026-03-15"));
  EXPECT_EQ(items[0].status, DueStatus::kCompleted);
  EXPECT_EQ(items[0].completed_at, M("2026-03-15T23:30:00Z").at);
  EXPECT_EQ(items[0].days_overdue, 0);
}

TEST(MeasureScheduleTest, AMeasureForThePreviousOccurrenceDoesNotCount) {
  const auto rule = Rule(kEvery, 14, "2026-03-01");
  // Done on 2026-03-01 (the previous due day): the 2026-03-15 one is still open.
  auto items = ComputeDueOccurrences(rule, Facts("2026-03-17T07:00:00Z", {}, {"2026-03-01T10:00:00Z"}));
  EXPECT_EQ(items[0].due_day, Day("2026-03-15"));
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
  EXPECT_EQ(items[0].days_overdue, 2);
  // Done early, the day before it was due: that counts.
  items = ComputeDueOccurrences(rule, Facts("2026-03-17T07:00:00Z", {}, {"2026-03-14T10:00:00Z"}));
  EXPECT_EQ(items[0].status, DueStatus::kCompleted);
}

TEST(MeasureScheduleTest, ALateMeasureClearsTheOverdueItem) {
  const auto rule = Rule(kEvery, 14, "2026-03-01");
  auto items = ComputeDueOccurrences(rule, Facts("2026-03-20T12:00:00Z", {}, {"2026-03-20T09:00:00Z"}));
  EXPECT_EQ(items[0].status, DueStatus::kCompleted);
  // A measure recorded after "now" (a clock skew) does not count.
  items = ComputeDueOccurrences(rule, Facts("2026-03-20T08:00:00Z", {}, {"2026-03-20T09:00:00Z"}));
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
}

TEST(MeasureScheduleTest, MeasuresBeforeTheStartDayDoNotCount) {
  auto items = ComputeDueOccurrences(Rule(kEvery, 7, "2026-03-10"),
                                     Facts("2026-03-11T08:00:00Z", {}, {"2026-03-09T10:00:00Z"}));
  EXPECT_EQ(items[0].due_day, Day("2026-03-10"));
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
  EXPECT_EQ(items[0].days_overdue, 1);
}

TEST(MeasureScheduleTest, ResetMovesTheAnchorToTheLatestSession) {
  const auto rule = Rule(kEvery, 14, "2026-03-01", true);
  // Sessions on 03-05 and 03-12: the clock restarts at 03-12, next due 03-26.
  auto items = ComputeDueOccurrences(
      rule, Facts("2026-03-20T08:00:00Z", {"2026-03-05T09:00:00Z", "2026-03-12T09:00:00Z"}));
  ASSERT_EQ(items.size(), 1u);  // the missed occurrence before the reset is superseded
  EXPECT_EQ(items[0].due_day, Day("2026-03-26"));
  EXPECT_EQ(items[0].status, DueStatus::kDue);
  EXPECT_EQ(items[0].rule, "every 14 days since the session on 2026-03-12");

  // Without reset the same facts leave 03-15 overdue.
  items = ComputeDueOccurrences(Rule(kEvery, 14, "2026-03-01"),
                                Facts("2026-03-20T08:00:00Z", {"2026-03-05T09:00:00Z", "2026-03-12T09:00:00Z"}));
  EXPECT_EQ(items[0].due_day, Day("2026-03-15"));
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
}

TEST(MeasureScheduleTest, AfterAResetOnlyAMeasureAfterTheSessionCounts) {
  const auto rule = Rule(kEvery, 7, "2026-03-01", true);
  // Session at 09:00 on 03-12; due 03-19. A measure at 08:00 that morning
  // (before the treatment) does not count; one at 15:00 does.
  auto items = ComputeDueOccurrences(
      rule, Facts("2026-03-20T08:00:00Z", {"2026-03-12T09:00:00Z"}, {"2026-03-12T08:00:00Z"}));
  EXPECT_EQ(items[0].due_day, Day("2026-03-19"));
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
  items = ComputeDueOccurrences(
      rule, Facts("2026-03-20T08:00:00Z", {"2026-03-12T09:00:00Z"}, {"2026-03-12T15:00:00Z"}));
  EXPECT_EQ(items[0].status, DueStatus::kCompleted);
}

TEST(MeasureScheduleTest, ABookedSessionAheadDoesNotReset) {
  const auto rule = Rule(kEvery, 14, "2026-03-01", true);
  auto items = ComputeDueOccurrences(rule, Facts("2026-03-16T08:00:00Z", {"2026-03-18T09:00:00Z"}));
  EXPECT_EQ(items[0].due_day, Day("2026-03-15"));
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
}

TEST(MeasureScheduleTest, BeforeEachSessionIsDueOnTheSessionDay) {
  const auto rule = Rule(kBefore, 0, "2026-03-01");
  // Sessions on 03-05 (done) and 03-12 (booked). Nothing completed.
  auto items = ComputeDueOccurrences(
      rule, Facts("2026-03-10T08:00:00Z", {"2026-03-05T09:00:00Z", "2026-03-12T09:00:00Z"}));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].due_day, Day("2026-03-05"));
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
  EXPECT_EQ(items[0].days_overdue, 5);
  EXPECT_EQ(items[0].rule, "before the session on 2026-03-05");
  EXPECT_EQ(items[1].due_day, Day("2026-03-12"));
  EXPECT_EQ(items[1].due_at, M("2026-03-12T09:00:00Z").at);
  EXPECT_EQ(items[1].status, DueStatus::kDue);
}

TEST(MeasureScheduleTest, BeforeEachSessionCountsOnlyMeasuresAfterThePreviousSession) {
  const auto rule = Rule(kBefore, 0, "2026-03-01");
  const std::vector<const char*> sessions = {"2026-03-05T09:00:00Z", "2026-03-12T09:00:00Z"};
  // Measure at 08:00 before the 03-05 session: that one is done, the 03-12 one is not.
  auto items = ComputeDueOccurrences(rule, Facts("2026-03-10T08:00:00Z", sessions, {"2026-03-05T08:00:00Z"}));
  EXPECT_EQ(items[0].status, DueStatus::kCompleted);
  EXPECT_EQ(items[1].status, DueStatus::kDue);
  // Measure on 03-11 (after 03-05's session): the coming session is covered.
  items = ComputeDueOccurrences(rule, Facts("2026-03-11T18:00:00Z", sessions, {"2026-03-11T17:00:00Z"}));
  EXPECT_EQ(items[1].due_day, Day("2026-03-12"));
  EXPECT_EQ(items[1].status, DueStatus::kCompleted);
  // On the session day itself it is due, not overdue.
  items = ComputeDueOccurrences(rule, Facts("2026-03-12T07:00:00Z", sessions));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].due_day, Day("2026-03-12"));
  EXPECT_EQ(items[0].status, DueStatus::kDue);
}

TEST(MeasureScheduleTest, BeforeEachSessionWithoutSessionsIsNeverDue) {
  EXPECT_TRUE(ComputeDueOccurrences(Rule(kBefore, 0, "2026-03-01"), Facts("2026-03-10T08:00:00Z")).empty());
  // Sessions before the schedule's start do not count.
  EXPECT_TRUE(ComputeDueOccurrences(Rule(kBefore, 0, "2026-03-08"),
                                    Facts("2026-03-10T08:00:00Z", {"2026-03-05T09:00:00Z"}))
                  .empty());
}

TEST(MeasureScheduleTest, NDaysAfterEachSession) {
  const auto rule = Rule(kAfter, 7, "2026-03-01");
  const std::vector<const char*> sessions = {"2026-03-02T09:00:00Z", "2026-03-05T09:00:00Z"};
  // 03-08: the 03-09 occurrence (7 days after 03-02) is not due yet.
  auto items = ComputeDueOccurrences(rule, Facts("2026-03-08T08:00:00Z", sessions));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].due_day, Day("2026-03-09"));
  EXPECT_EQ(items[0].status, DueStatus::kDue);
  EXPECT_EQ(items[0].rule, "7 days after the session on 2026-03-02");
  // 03-14: 03-12 (7 days after 03-05) is overdue by 2 days; 03-09 is superseded.
  items = ComputeDueOccurrences(rule, Facts("2026-03-14T08:00:00Z", sessions));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].due_day, Day("2026-03-12"));
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
  EXPECT_EQ(items[0].days_overdue, 2);
  // A measure before the 03-05 session does not count for it; one after does.
  items = ComputeDueOccurrences(rule, Facts("2026-03-14T08:00:00Z", sessions, {"2026-03-05T08:00:00Z"}));
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
  items = ComputeDueOccurrences(rule, Facts("2026-03-14T08:00:00Z", sessions, {"2026-03-12T10:00:00Z"}));
  EXPECT_EQ(items[0].status, DueStatus::kCompleted);
  // No session: nothing due.
  EXPECT_TRUE(ComputeDueOccurrences(rule, Facts("2026-03-14T08:00:00Z")).empty());
}

TEST(MeasureScheduleTest, TwoSessionsOnOneDayAreOneOccurrence) {
  const auto rule = Rule(kAfter, 1, "2026-03-01");
  auto items = ComputeDueOccurrences(
      rule, Facts("2026-03-04T08:00:00Z", {"2026-03-02T09:00:00Z", "2026-03-02T14:00:00Z"}, {"2026-03-02T12:00:00Z"}));
  ASSERT_EQ(items.size(), 1u);
  // The measure at 12:00 was between the two: it must follow the day's last session.
  EXPECT_EQ(items[0].status, DueStatus::kOverdue);
}

TEST(MeasureScheduleTest, TheRulesAScheduleMustFollow) {
  EXPECT_FALSE(CheckMeasureScheduleRule(Rule(kEvery, 14, "2026-03-01", true)));
  EXPECT_FALSE(CheckMeasureScheduleRule(Rule(kBefore, 0, "2026-03-01")));
  EXPECT_FALSE(CheckMeasureScheduleRule(Rule(kAfter, 365, "2026-03-01")));
  EXPECT_EQ(CheckMeasureScheduleRule(Rule(kEvery, 0, "2026-03-01"))->first, "interval_days");
  EXPECT_EQ(CheckMeasureScheduleRule(Rule(kAfter, 366, "2026-03-01"))->first, "interval_days");
  EXPECT_EQ(CheckMeasureScheduleRule(Rule(kBefore, 3, "2026-03-01"))->first, "interval_days");
  EXPECT_EQ(CheckMeasureScheduleRule(Rule(kAfter, 7, "2026-03-01", true))->first, "reset_on_treatment");
  EXPECT_EQ(ParseMeasureScheduleKind("n_days_after_each_session"), kAfter);
  EXPECT_FALSE(ParseMeasureScheduleKind("weekly"));
}

}  // namespace
}  // namespace ketachart
