// An appointment series from a protocol's rhythm (issue 6: "the plan
// generates its appointment series from the protocol, e.g. six infusions over
// two weeks"). Given the first session's local date and time, the number of
// sessions and the sessions per week, sessions are spread evenly through each
// week: session k is planned floor(k * 7 / per_week) days after the first
// (3 a week: Mon/Wed/Fri; 2 a week: 3 and 4 days apart), at the same wall-clock
// time. A planned day that falls on a closed weekday moves to the next open
// day, and never so far that any 7 consecutive days hold more than per_week
// sessions. The numbers come from the caller (the protocol's quantities);
// none is assumed here. Pure: no I/O, no clock. Thread-safe.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "base/local_time.h"
#include "base/result.h"

namespace ketachart {

struct SeriesRequest {
  LocalDateTime first_start;
  int sessions = 0;                      // >= 1
  int per_week = 0;                      // 1..7
  std::array<bool, 7> closed_weekdays{};  // Monday (0) .. Sunday (6)
};

// The local start of every session, first to last. kInvalidInput naming
// "first_start" when the first day is closed or every weekday is closed, and
// "sessions"/"per_week" when out of range.
Result<std::vector<LocalDateTime>> PlanSeries(const SeriesRequest& request);

}  // namespace ketachart
