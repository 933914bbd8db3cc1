// The schedule's conflict rules: each rule fires when it should and stays
// quiet at its edges (back-to-back slots, cancelled appointments, the
// appointment being rescheduled, hours ending exactly at the slot's end).
#include "clinical/scheduling/conflicts.h"

#include <gtest/gtest.h>

namespace ketachart {
namespace {

LocalDateTime At(const char* text) { return *ParseLocalDateTime(text); }

// 2026-03-09 is a Monday.
ScheduledSlot Slot(int64_t id, int64_t chair, int64_t staff, int64_t patient, const char* start, const char* end) {
  return ScheduledSlot{id, chair, "chair " + std::to_string(chair), staff, "nurse " + std::to_string(staff),
                       patient, At(start), At(end), false};
}

WeeklyHours Weekdays(int start, int end) {
  WeeklyHours hours;
  for (int d = 0; d < 5; ++d) hours.days[d] = {{start, end}};
  return hours;
}

class SchedulingConflictsTest : public ::testing::Test {
 protected:
  ProposedSlot Propose(ScheduledSlot slot) { return ProposedSlot{std::move(slot), true, &hours_}; }
  WeeklyHours hours_ = Weekdays(8 * 60, 17 * 60);
};

TEST_F(SchedulingConflictsTest, FreeSlotHasNoConflict) {
  const std::vector<ScheduledSlot> booked = {Slot(1, 3, 20, 100, "2026-03-09T09:00", "2026-03-09T11:00")};
  EXPECT_TRUE(FindConflicts(Propose(Slot(0, 4, 21, 101, "2026-03-09T09:00", "2026-03-09T11:00")), booked).empty());
}

TEST_F(SchedulingConflictsTest, SameChairOverlapNamesTheChairAndItsSlot) {
  const std::vector<ScheduledSlot> booked = {Slot(7, 3, 20, 100, "2026-03-09T09:00", "2026-03-09T11:00")};
  const auto conflicts = FindConflicts(Propose(Slot(0, 3, 21, 101, "2026-03-09T10:30", "2026-03-09T12:00")), booked);
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].rule, ConflictRule::kChairDoubleBooked);
  EXPECT_EQ(conflicts[0].with_appointment_id, 7);
  EXPECT_EQ(conflicts[0].message, "chair 3 is booked 2026-03-09 09:00-11:00 for another appointment");
  EXPECT_EQ(ConflictRuleName(conflicts[0].rule), "chair_double_booked");
  EXPECT_EQ(ConflictRuleField(conflicts[0].rule), "chair_id");
}

TEST_F(SchedulingConflictsTest, SameStaffAndSamePatientOverlapsFireSeparately) {
  const std::vector<ScheduledSlot> booked = {Slot(7, 3, 20, 100, "2026-03-09T09:00", "2026-03-09T11:00")};
  const auto staff = FindConflicts(Propose(Slot(0, 4, 20, 101, "2026-03-09T08:00", "2026-03-09T09:30")), booked);
  ASSERT_EQ(staff.size(), 1u);
  EXPECT_EQ(staff[0].rule, ConflictRule::kStaffDoubleBooked);
  EXPECT_EQ(staff[0].message, "nurse 20 is booked 2026-03-09 09:00-11:00 for another appointment");
  const auto patient = FindConflicts(Propose(Slot(0, 4, 21, 100, "2026-03-09T10:59", "2026-03-09T12:00")), booked);
  ASSERT_EQ(patient.size(), 1u);
  EXPECT_EQ(patient[0].rule, ConflictRule::kPatientDoubleBooked);
  EXPECT_EQ(patient[0].message, "the patient already has an appointment 2026-03-09 09:00-11:00 (chair 3)");
}

TEST_F(SchedulingConflictsTest, AllThreeCollisionsAreListed) {
  const std::vector<ScheduledSlot> booked = {Slot(7, 3, 20, 100, "2026-03-09T09:00", "2026-03-09T11:00")};
  const auto conflicts = FindConflicts(Propose(Slot(0, 3, 20, 100, "2026-03-09T09:00", "2026-03-09T11:00")), booked);
  ASSERT_EQ(conflicts.size(), 3u);
  EXPECT_EQ(conflicts[0].rule, ConflictRule::kChairDoubleBooked);
  EXPECT_EQ(conflicts[1].rule, ConflictRule::kStaffDoubleBooked);
  EXPECT_EQ(conflicts[2].rule, ConflictRule::kPatientDoubleBooked);
}

TEST_F(SchedulingConflictsTest, BackToBackAppointmentsDoNotConflict) {
  const std::vector<ScheduledSlot> booked = {Slot(7, 3, 20, 100, "2026-03-09T09:00", "2026-03-09T11:00")};
  EXPECT_TRUE(FindConflicts(Propose(Slot(0, 3, 20, 100, "2026-03-09T11:00", "2026-03-09T12:00")), booked).empty());
  EXPECT_TRUE(FindConflicts(Propose(Slot(0, 3, 20, 100, "2026-03-09T08:00", "2026-03-09T09:00")), booked).empty());
}

TEST_F(SchedulingConflictsTest, CancelledAppointmentDoesNotBlock) {
  ScheduledSlot cancelled = Slot(7, 3, 20, 100, "2026-03-09T09:00", "2026-03-09T11:00");
  cancelled.cancelled = true;
  const std::vector<ScheduledSlot> booked = {cancelled};
  EXPECT_TRUE(FindConflicts(Propose(Slot(0, 3, 20, 100, "2026-03-09T09:00", "2026-03-09T11:00")), booked).empty());
}

TEST_F(SchedulingConflictsTest, ReschedulingDoesNotCollideWithItself) {
  const std::vector<ScheduledSlot> booked = {Slot(7, 3, 20, 100, "2026-03-09T09:00", "2026-03-09T11:00")};
  EXPECT_TRUE(FindConflicts(Propose(Slot(7, 3, 20, 100, "2026-03-09T10:00", "2026-03-09T12:00")), booked).empty());
}

TEST_F(SchedulingConflictsTest, WorkingHoursFireOutsideAndNotAtTheEdges) {
  EXPECT_TRUE(FindConflicts(Propose(Slot(0, 3, 20, 100, "2026-03-09T08:00", "2026-03-09T17:00")), {}).empty());
  const auto early = FindConflicts(Propose(Slot(0, 3, 20, 100, "2026-03-09T07:30", "2026-03-09T09:00")), {});
  ASSERT_EQ(early.size(), 1u);
  EXPECT_EQ(early[0].rule, ConflictRule::kOutsideWorkingHours);
  EXPECT_EQ(early[0].message,
            "nurse 20 works 08:00-17:00 on mondays; monday 2026-03-09 07:30-09:00 is outside those hours");
  const auto late = FindConflicts(Propose(Slot(0, 3, 20, 100, "2026-03-09T16:30", "2026-03-09T17:01")), {});
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].rule, ConflictRule::kOutsideWorkingHours);
  // 2026-03-14 is a Saturday.
  const auto saturday = FindConflicts(Propose(Slot(0, 3, 20, 100, "2026-03-14T09:00", "2026-03-14T10:00")), {});
  ASSERT_EQ(saturday.size(), 1u);
  EXPECT_EQ(saturday[0].message, "nurse 20 does not work on saturdays (saturday 2026-03-14 09:00-10:00 was asked)");
}

TEST_F(SchedulingConflictsTest, SplitShiftNeedsTheSlotInsideOneInterval) {
  hours_.days[0] = {{8 * 60, 12 * 60}, {13 * 60, 17 * 60}};
  EXPECT_TRUE(FindConflicts(Propose(Slot(0, 3, 20, 100, "2026-03-09T13:00", "2026-03-09T15:00")), {}).empty());
  const auto lunch = FindConflicts(Propose(Slot(0, 3, 20, 100, "2026-03-09T11:00", "2026-03-09T13:30")), {});
  ASSERT_EQ(lunch.size(), 1u);
  EXPECT_EQ(lunch[0].message,
            "nurse 20 works 08:00-12:00, 13:00-17:00 on mondays; monday 2026-03-09 11:00-13:30 is outside those hours");
}

TEST_F(SchedulingConflictsTest, StaffWithoutHoursCannotBeBooked) {
  ProposedSlot proposed{Slot(0, 3, 20, 100, "2026-03-09T09:00", "2026-03-09T10:00"), true, nullptr};
  const auto conflicts = FindConflicts(proposed, {});
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].message, "nurse 20 has no working hours set");
}

TEST_F(SchedulingConflictsTest, ChairOutOfServiceFiresFirst) {
  ProposedSlot proposed = Propose(Slot(0, 3, 20, 100, "2026-03-09T09:00", "2026-03-09T10:00"));
  proposed.chair_in_service = false;
  const std::vector<ScheduledSlot> booked = {Slot(7, 3, 21, 101, "2026-03-09T09:30", "2026-03-09T10:30")};
  const auto conflicts = FindConflicts(proposed, booked);
  ASSERT_EQ(conflicts.size(), 2u);
  EXPECT_EQ(conflicts[0].rule, ConflictRule::kChairOutOfService);
  EXPECT_EQ(conflicts[0].message, "chair 3 is out of service");
  EXPECT_EQ(conflicts[1].rule, ConflictRule::kChairDoubleBooked);
}

TEST_F(SchedulingConflictsTest, DescribesIntervalsAcrossDays) {
  EXPECT_EQ(DescribeInterval(At("2026-03-09T22:00"), At("2026-03-10T00:00")), "2026-03-09 22:00-24:00");
  EXPECT_EQ(DescribeInterval(At("2026-03-09T22:00"), At("2026-03-10T01:00")), "2026-03-09T22:00 to 2026-03-10T01:00");
}

}  // namespace
}  // namespace ketachart
