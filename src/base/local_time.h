// Wall-clock time in a clinic's own time zone, as people read a calendar:
// "2026-03-10T09:00". A LocalDateTime is minutes since 1970-01-01T00:00 on
// the wall clock (no zone attached), so the scheduling rules can reason about
// weekdays, dates and working hours without a clock or a time-zone database;
// base/time_zone.h converts to and from UTC. Plain values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ketachart {

inline constexpr int64_t kMinutesPerDay = 24 * 60;

struct LocalDateTime {
  int64_t minutes = 0;  // since 1970-01-01T00:00 wall-clock time

  int64_t day() const { return minutes >= 0 ? minutes / kMinutesPerDay : (minutes - kMinutesPerDay + 1) / kMinutesPerDay; }
  int minute_of_day() const { return static_cast<int>(minutes - day() * kMinutesPerDay); }
  auto operator<=>(const LocalDateTime&) const = default;
};

// 0 = Monday ... 6 = Sunday (ISO order) for a day count since 1970-01-01 (a Thursday).
int WeekdayOfDay(int64_t day);
// "monday".."sunday".
std::string_view WeekdayName(int weekday);
std::optional<int> ParseWeekday(std::string_view name);

// "YYYY-MM-DDTHH:MM" (a real date, hours 00-23, minutes 00-59).
std::optional<LocalDateTime> ParseLocalDateTime(std::string_view text);
std::string FormatLocalDateTime(LocalDateTime t);
// "YYYY-MM-DD" <-> day count since 1970-01-01.
std::optional<int64_t> ParseLocalDate(std::string_view text);
std::string FormatLocalDate(int64_t day);
// "HH:MM" <-> minute of the day (0..1440; "24:00" only when allow_end_of_day).
std::optional<int> ParseClockTime(std::string_view text, bool allow_end_of_day = false);
std::string FormatClockTime(int minute_of_day);

}  // namespace ketachart
