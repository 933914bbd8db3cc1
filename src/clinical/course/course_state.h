// The treatment course's state machine: evaluation → induction → maintenance
// ⇄ booster, and discontinued (with a reason) from any state but itself.
// Entering induction or a booster doses the patient, so those moves also need
// the course's gates: a cleared eligibility decision for the protocol's
// active version and a valid consent for the protocol. CheckCourseTransition
// returns every reason a move is refused, each naming its rule, so the UI can
// show all of them at once. Pure: no I/O, no clock; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ketachart {

enum class CourseState { kEvaluation, kInduction, kMaintenance, kBooster, kDiscontinued };

std::string_view CourseStateName(CourseState state);
std::optional<CourseState> ParseCourseState(std::string_view name);
std::vector<std::string> CourseStateNames();

// The states a course in `from` may move to, in display order.
std::vector<CourseState> NextCourseStates(CourseState from);
// True when entering `to` needs the eligibility and consent gates.
bool TransitionNeedsGates(CourseState to);

// What the service found about the course's gates (each with the message
// that names the rule when it is not met).
struct CourseGates {
  bool eligibility_cleared = false;
  std::string eligibility_message;
  bool consent_valid = false;
  std::string consent_message;
};

// Every reason moving from `from` to `to` is refused; empty when it is allowed.
std::vector<std::string> CheckCourseTransition(CourseState from, CourseState to, const CourseGates& gates,
                                               std::string_view reason);

}  // namespace ketachart
