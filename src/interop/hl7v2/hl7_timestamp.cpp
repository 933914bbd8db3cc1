// HL7 v2 date/time values (see hl7_timestamp.h).
#include "interop/hl7v2/hl7_timestamp.h"

#include <fmt/format.h>

namespace ketachart::hl7v2 {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int Number(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

}  // namespace

Result<Hl7Timestamp> ParseHl7Timestamp(std::string_view value, std::chrono::minutes assumed_utc_offset,
                                       std::string_view field) {
  const auto bad = [&](std::string_view rule) {
    return InvalidInput(std::string(field), fmt::format("'{}' is not an HL7 date/time: {}",
                                                        value.substr(0, 40), rule));
  };
  std::string_view rest = value;
  // Offset: the last '+' or '-' (a date never contains one).
  std::optional<std::chrono::minutes> offset;
  const size_t sign_at = rest.find_first_of("+-");
  if (sign_at != std::string_view::npos) {
    const std::string_view zone = rest.substr(sign_at + 1);
    if (zone.size() != 4 || !AllDigits(zone)) return bad("the UTC offset must be +HHMM or -HHMM");
    const int hours = Number(zone.substr(0, 2)), minutes = Number(zone.substr(2, 2));
    if (hours > 23 || minutes > 59) return bad("the UTC offset is out of range");
    offset = std::chrono::minutes((rest[sign_at] == '-' ? -1 : 1) * (hours * 60 + minutes));
    rest = rest.substr(0, sign_at);
  }
  std::string_view fraction;
  const size_t dot = rest.find('.');
  if (dot != std::string_view::npos) {
    fraction = rest.substr(dot + 1);
    rest = rest.substr(0, dot);
    if (rest.size() != 14) return bad("fractions of a second need all of YYYYMMDDHHMMSS");
    if (fraction.empty() || fraction.size() > 4 || !AllDigits(fraction)) {
      return bad("the fraction of a second must be 1 to 4 digits");
    }
  }
  if (!AllDigits(rest)) return bad("only digits may precede the fraction and offset");
  if (rest.size() < 4 || rest.size() > 14 || rest.size() % 2 != 0) {
    return bad("the precision must be YYYY, YYYYMM, YYYYMMDD, YYYYMMDDHH, YYYYMMDDHHMM or YYYYMMDDHHMMSS");
  }
  const auto part = [&](size_t at, int absent) { return rest.size() > at ? Number(rest.substr(at, 2)) : absent; };
  const int year = Number(rest.substr(0, 4));
  const int month = part(4, 1), day = part(6, 1), hour = part(8, 0), minute = part(10, 0), second = part(12, 0);
  if (year < 1900) return bad("the year is before 1900");
  if (month < 1 || month > 12) return bad("the month is out of range");
  if (day < 1 || day > DaysInMonth(year, month)) return bad("the day does not exist in that month");
  if (hour > 23 || minute > 59 || second > 59) return bad("the time of day is out of range");
  int milliseconds = 0;
  for (size_t i = 0; i < 3; ++i) milliseconds = milliseconds * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);

  const int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::chrono::minutes applied = offset.value_or(assumed_utc_offset);
  const auto local = std::chrono::milliseconds(((days * 24 + hour) * 60 + minute) * 60 * 1000LL +
                                               second * 1000LL + milliseconds);
  Hl7Timestamp out;
  out.utc = TimePoint(local - std::chrono::duration_cast<std::chrono::milliseconds>(applied));
  out.offset_given = offset.has_value();
  out.precision_digits = static_cast<int>(rest.size() + (fraction.empty() ? 0 : 1 + fraction.size()));
  return out;
}

std::string FormatHl7Timestamp(TimePoint utc) {
  const std::string iso = FormatTimestamp(utc);  // 2026-11-22T07:38:48.123Z
  return fmt::format("{}{}{}{}{}{}.{}+0000", iso.substr(0, 4), iso.substr(5, 2), iso.substr(8, 2),
                     iso.substr(11, 2), iso.substr(14, 2), iso.substr(17, 2), iso.substr(20, 3));
}

}  // namespace ketachart::hl7v2
