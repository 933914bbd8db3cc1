// Wall-clock dates and times (see local_time.h).
#include "base/local_time.h"

#include <fmt/format.h>

#include <array>
#include <charconv>

#include "base/clock.h"

namespace ketachart {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {"monday", "tuesday",  "wednesday", "thursday",
                                                       "friday", "saturday", "sunday"};

std::optional<int> Digits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Civil date from a day count (Howard Hinnant's algorithm).
void CivilFromDays(int64_t z, int& year, unsigned& month, unsigned& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int>(y + (month <= 2));
}

}  // namespace

int WeekdayOfDay(int64_t day) {
  // 1970-01-01 was a Thursday (3 in Monday-first order).
  const int64_t w = (day + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

std::string_view WeekdayName(int weekday) { return kWeekdays.at(static_cast<size_t>(weekday)); }

std::optional<int> ParseWeekday(std::string_view name) {
  for (size_t i = 0; i < kWeekdays.size(); ++i) {
    if (kWeekdays[i] == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<int64_t> ParseLocalDate(std::string_view text) {
  if (text.size() != 10 || !IsValidDate(text)) return std::nullopt;
  const auto year = Digits(text.substr(0, 4)), month = Digits(text.substr(5, 2)), day = Digits(text.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  return DaysFromCivil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
}

std::string FormatLocalDate(int64_t day) {
  int year = 0;
  unsigned month = 0, d = 0;
  CivilFromDays(day, year, month, d);
  return fmt::format("{:04}-{:02}-{:02}", year, month, d);
}

std::optional<int> ParseClockTime(std::string_view text, bool allow_end_of_day) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const auto hours = Digits(text.substr(0, 2)), minutes = Digits(text.substr(3, 2));
  if (!hours || !minutes || *minutes > 59) return std::nullopt;
  if (*hours == 24 && *minutes == 0 && allow_end_of_day) return 24 * 60;
  if (*hours > 23) return std::nullopt;
  return *hours * 60 + *minutes;
}

std::string FormatClockTime(int minute_of_day) {
  return fmt::format("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60);
}

std::optional<LocalDateTime> ParseLocalDateTime(std::string_view text) {
  if (text.size() != 16 || text[10] != 'T') return std::nullopt;
  const auto day = ParseLocalDate(text.substr(0, 10));
  const auto minute = ParseClockTime(text.substr(11, 5));
  if (!day || !minute) return std::nullopt;
  return LocalDateTime{*day * kMinutesPerDay + *minute};
}

std::string FormatLocalDateTime(LocalDateTime t) {
  return FormatLocalDate(t.day()) + "T" + FormatClockTime(t.minute_of_day());
}

}  // namespace ketachart
