// The treatment course's state machine (see course_state.h).
#include "clinical/course/course_state.h"

#include <array>
#include <utility>

namespace ketachart {
namespace {

constexpr std::array<std::pair<CourseState, std::string_view>, 5> kNames = {{
    {CourseState::kEvaluation, "evaluation"},
    {CourseState::kInduction, "induction"},
    {CourseState::kMaintenance, "maintenance"},
    {CourseState::kBooster, "booster"},
    {CourseState::kDiscontinued, "discontinued"},
}};

std::string JoinStates(const std::vector<CourseState>& states) {
  std::string out;
  for (CourseState state : states) {
    if (!out.empty()) out += ", ";
    out += CourseStateName(state);
  }
  return out.empty() ? "none" : out;
}

}  // namespace

std::string_view CourseStateName(CourseState state) {
  for (const auto& [s, name] : kNames) {
    if (s == state) return name;
  }
  return "unknown";
}

std::optional<CourseState> ParseCourseState(std::string_view name) {
  for (const auto& [state, state_name] : kNames) {
    if (state_name == name) return state;
  }
  return std::nullopt;
}

std::vector<std::string> CourseStateNames() {
  std::vector<std::string> out;
  for (const auto& [state, name] : kNames) out.emplace_back(name);
  return out;
}

std::vector<CourseState> NextCourseStates(CourseState from) {
  switch (from) {
    case CourseState::kEvaluation:
      return {CourseState::kInduction, CourseState::kDiscontinued};
    case CourseState::kInduction:
      return {CourseState::kMaintenance, CourseState::kDiscontinued};
    case CourseState::kMaintenance:
      return {CourseState::kBooster, CourseState::kDiscontinued};
    case CourseState::kBooster:
      return {CourseState::kMaintenance, CourseState::kDiscontinued};
    case CourseState::kDiscontinued:
      return {};
  }
  return {};
}

bool TransitionNeedsGates(CourseState to) { return to == CourseState::kInduction || to == CourseState::kBooster; }

std::vector<std::string> CheckCourseTransition(CourseState from, CourseState to, const CourseGates& gates,
                                               std::string_view reason) {
  std::vector<std::string> refusals;
  if (from == CourseState::kDiscontinued) {
    refusals.push_back("a discontinued course cannot change state; open a new course");
    return refusals;
  }
  const std::vector<CourseState> next = NextCourseStates(from);
  bool defined = false;
  for (CourseState state : next) defined = defined || state == to;
  if (!defined) {
    refusals.push_back("a course in " + std::string(CourseStateName(from)) + " cannot move to " +
                       std::string(CourseStateName(to)) + " (allowed: " + JoinStates(next) + ")");
    return refusals;
  }
  if (to == CourseState::kDiscontinued && reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    refusals.push_back("discontinuing a course needs a reason");
  }
  if (TransitionNeedsGates(to)) {
    if (!gates.eligibility_cleared) refusals.push_back(gates.eligibility_message);
    if (!gates.consent_valid) refusals.push_back(gates.consent_message);
  }
  return refusals;
}

}  // namespace ketachart
