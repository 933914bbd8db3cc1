// Time for KetaChart: an injectable Clock (so tests can fake time, as LevelDB's
// Env does) and the UTC ISO-8601 text form used in the database and the API.
// SystemClock is thread-safe; FakeClock is for single-threaded tests.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ketachart {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_ms_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(std::chrono::milliseconds(now_ms_.load())); }
  void Advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }

 private:
  std::atomic<int64_t> now_ms_;
};

// "2026-11-22T04:07:12.123Z" (always UTC, always milliseconds).
std::string FormatTimestamp(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" or with "+HH:MM"/"-HH:MM" offset.
std::optional<TimePoint> ParseTimestamp(std::string_view text);

// A calendar date "YYYY-MM-DD" that exists (leap years checked).
bool IsValidDate(std::string_view text);
// Days since 1970-01-01 for a valid date (for comparisons such as "not in the future").
int64_t DaysFromCivil(int year, unsigned month, unsigned day);
// Days since 1970-01-01 of a valid "YYYY-MM-DD" date, or nullopt.
std::optional<int64_t> DateToDays(std::string_view date);
// The "YYYY-MM-DD" date `days` after 1970-01-01.
std::string DateFromDays(int64_t days);
// Today's date in UTC as "YYYY-MM-DD".
std::string FormatDate(TimePoint t);

}  // namespace ketachart
