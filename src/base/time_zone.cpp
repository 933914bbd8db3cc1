// Clinic time zones over date/tz (see time_zone.h).
#include "base/time_zone.h"

#include <date/tz.h>

#include <stdexcept>

namespace ketachart {
namespace {

const date::time_zone* Zone(const void* zone) { return static_cast<const date::time_zone*>(zone); }

}  // namespace

Result<ClinicTimeZone> ClinicTimeZone::Find(std::string_view iana_name) {
  try {
    const date::time_zone* zone = date::locate_zone(iana_name);
    return ClinicTimeZone(std::string(iana_name), zone);
  } catch (const std::exception&) {
    return InvalidInput("timezone", "'" + std::string(iana_name) + "' is not a known IANA time zone");
  }
}

LocalDateTime ClinicTimeZone::ToLocal(TimePoint t) const {
  // to_local returns seconds (the offsets' precision); the calendar works in minutes.
  const auto local = std::chrono::floor<std::chrono::minutes>(Zone(zone_)->to_local(t));
  return LocalDateTime{local.time_since_epoch().count()};
}

std::optional<TimePoint> ClinicTimeZone::ToUtc(LocalDateTime t) const {
  const date::local_time<std::chrono::minutes> local{std::chrono::minutes(t.minutes)};
  const date::local_info info = Zone(zone_)->get_info(local);
  if (info.result == date::local_info::nonexistent) return std::nullopt;
  // unique or ambiguous: the first offset is the earlier instant.
  const auto utc = local.time_since_epoch() - info.first.offset;
  return TimePoint(std::chrono::duration_cast<std::chrono::milliseconds>(utc));
}

}  // namespace ketachart
