// A clinic's IANA time zone ("America/Chicago"): converts UTC instants to the
// wall-clock time the clinic's calendar and working hours are written in, and
// back. Backed by Howard Hinnant's date/tz over the system tzdata
// (/usr/share/zoneinfo, USE_OS_TZDB), built as its own small library so only
// this file carries date/tz's compile definitions. Thread-safe; the zone
// database is loaded once per process.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/local_time.h"
#include "base/result.h"

namespace ketachart {

class ClinicTimeZone {
 public:
  // kInvalidInput naming field "timezone" when the zone is unknown.
  static Result<ClinicTimeZone> Find(std::string_view iana_name);

  const std::string& name() const { return name_; }
  // The wall-clock minute `t` falls in.
  LocalDateTime ToLocal(TimePoint t) const;
  // The UTC instant of a wall-clock minute. A time skipped by a daylight-saving
  // change (02:30 on a spring-forward night) does not exist: nullopt. A time
  // that happens twice (fall-back) means the first of the two.
  std::optional<TimePoint> ToUtc(LocalDateTime t) const;

 private:
  ClinicTimeZone(std::string name, const void* zone) : name_(std::move(name)), zone_(zone) {}
  std::string name_;
  const void* zone_;  // const date::time_zone*, owned by the process-wide tzdb
};

}  // namespace ketachart
