// The course state machine, every allowed and every refused transition: a
// wrong cell would let a patient be dosed without eligibility or consent, or
// trap a course in a state staff cannot leave.
#include "clinical/course/course_state.h"

#include <gtest/gtest.h>

#include <set>

namespace ketachart {
namespace {

using S = CourseState;

const std::set<std::pair<S, S>>& AllowedMoves() {
  static const std::set<std::pair<S, S>> moves = {
      {S::kEvaluation, S::kInduction},   {S::kEvaluation, S::kDiscontinued}, {S::kInduction, S::kMaintenance},
      {S::kInduction, S::kDiscontinued}, {S::kMaintenance, S::kBooster},     {S::kMaintenance, S::kDiscontinued},
      {S::kBooster, S::kMaintenance},    {S::kBooster, S::kDiscontinued},
  };
  return moves;
}

const std::vector<S> kAll = {S::kEvaluation, S::kInduction, S::kMaintenance, S::kBooster, S::kDiscontinued};

CourseGates Open() { return CourseGates{true, "", true, ""}; }

TEST(CourseStateTest, EveryTransitionCellAllowedOrRefused) {
  for (S from : kAll) {
    for (S to : kAll) {
      const auto refusals = CheckCourseTransition(from, to, Open(), "reason given");
      const bool allowed = AllowedMoves().count({from, to}) > 0;
      EXPECT_EQ(refusals.empty(), allowed) << CourseStateName(from) << " -> " << CourseStateName(to);
      if (!allowed) {
        ASSERT_EQ(refusals.size(), 1u);
        if (from == S::kDiscontinued) {
          EXPECT_EQ(refusals[0], "a discontinued course cannot change state; open a new course");
        } else {
          EXPECT_NE(refusals[0].find(std::string("cannot move to ") + std::string(CourseStateName(to))),
                    std::string::npos)
              << refusals[0];
        }
      }
    }
  }
}

TEST(CourseStateTest, NextStatesMatchTheAllowedMoves) {
  for (S from : kAll) {
    std::set<std::pair<S, S>> listed;
    for (S to : NextCourseStates(from)) listed.insert({from, to});
    for (S to : kAll) {
      EXPECT_EQ(listed.count({from, to}), AllowedMoves().count({from, to}))
          << CourseStateName(from) << " -> " << CourseStateName(to);
    }
  }
}

TEST(CourseStateTest, RefusalNamesTheAllowedStates) {
  const auto refusals = CheckCourseTransition(S::kInduction, S::kBooster, Open(), "");
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0], "a course in induction cannot move to booster (allowed: maintenance, discontinued)");
}

TEST(CourseStateTest, InductionAndBoosterNeedBothGates) {
  for (auto [from, to] : std::vector<std::pair<S, S>>{{S::kEvaluation, S::kInduction}, {S::kMaintenance, S::kBooster}}) {
    CourseGates gates{false, "eligibility: rule X needs an override", false, "consent expired on 2026-10-01"};
    auto refusals = CheckCourseTransition(from, to, gates, "");
    ASSERT_EQ(refusals.size(), 2u);
    EXPECT_EQ(refusals[0], "eligibility: rule X needs an override");
    EXPECT_EQ(refusals[1], "consent expired on 2026-10-01");
    gates.eligibility_cleared = true;
    refusals = CheckCourseTransition(from, to, gates, "");
    ASSERT_EQ(refusals.size(), 1u);
    EXPECT_EQ(refusals[0], "consent expired on 2026-10-01");
    gates.consent_valid = true;
    EXPECT_TRUE(CheckCourseTransition(from, to, gates, "").empty());
  }
}

TEST(CourseStateTest, GatesDoNotApplyToMaintenanceOrDiscontinuing) {
  const CourseGates closed{false, "not cleared", false, "no consent"};
  EXPECT_TRUE(CheckCourseTransition(S::kInduction, S::kMaintenance, closed, "").empty());
  EXPECT_TRUE(CheckCourseTransition(S::kBooster, S::kMaintenance, closed, "").empty());
  EXPECT_TRUE(CheckCourseTransition(S::kEvaluation, S::kDiscontinued, closed, "patient declined").empty());
}

TEST(CourseStateTest, DiscontinuingNeedsAReason) {
  for (S from : {S::kEvaluation, S::kInduction, S::kMaintenance, S::kBooster}) {
    auto refusals = CheckCourseTransition(from, S::kDiscontinued, Open(), "  \n");
    ASSERT_EQ(refusals.size(), 1u) << CourseStateName(from);
    EXPECT_EQ(refusals[0], "discontinuing a course needs a reason");
    EXPECT_TRUE(CheckCourseTransition(from, S::kDiscontinued, Open(), "moved away").empty());
  }
}

TEST(CourseStateTest, NamesRoundTrip) {
  for (S state : kAll) EXPECT_EQ(ParseCourseState(CourseStateName(state)), state);
  EXPECT_FALSE(ParseCourseState("Induction").has_value());
  EXPECT_FALSE(ParseCourseState("").has_value());
  EXPECT_EQ(CourseStateNames().size(), 5u);
}

}  // namespace
}  // namespace ketachart
