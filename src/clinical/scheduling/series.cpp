// Appointment series planning (see series.h).
#include "clinical/scheduling/series.h"

#include <algorithm>

namespace ketachart {

Result<std::vector<LocalDateTime>> PlanSeries(const SeriesRequest& request) {
  if (request.sessions < 1) return InvalidInput("sessions", "must be at least 1");
  if (request.per_week < 1 || request.per_week > 7) return InvalidInput("per_week", "must be between 1 and 7");
  if (std::all_of(request.closed_weekdays.begin(), request.closed_weekdays.end(), [](bool c) { return c; })) {
    return InvalidInput("first_start", "every weekday is closed");
  }
  const int64_t first_day = request.first_start.day();
  const auto closed = [&](int64_t day) { return request.closed_weekdays[static_cast<size_t>(WeekdayOfDay(day))]; };
  if (closed(first_day)) {
    return InvalidInput("first_start", std::string("falls on a closed day (") +
                                           std::string(WeekdayName(WeekdayOfDay(first_day))) + ")");
  }
  std::vector<int64_t> days = {first_day};
  for (int k = 1; k < request.sessions; ++k) {
    const int64_t nominal = first_day + (static_cast<int64_t>(k) * 7) / request.per_week;
    int64_t day = std::max(nominal, days.back() + 1);
    while (true) {
      const int64_t in_week = std::count_if(days.begin(), days.end(), [&](int64_t d) { return d > day - 7; });
      if (!closed(day) && in_week < request.per_week) break;
      ++day;
    }
    days.push_back(day);
  }
  std::vector<LocalDateTime> starts;
  starts.reserve(days.size());
  const int minute = request.first_start.minute_of_day();
  for (int64_t day : days) starts.push_back(LocalDateTime{day * kMinutesPerDay + minute});
  return starts;
}

}  // namespace ketachart
