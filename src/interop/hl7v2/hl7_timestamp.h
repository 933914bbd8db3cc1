// HL7 v2 date/time values (DTM, and the first component of TS):
// YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ] -> a UTC TimePoint. Pure.
//
// Monitors send fractional seconds with one to four digits (kept to the
// millisecond, further digits truncated) and usually a UTC offset. A value
// without an offset is in the sender's local time, which the message does not
// state: the caller passes the offset to assume (a clinic setting).
#pragma once

#include <chrono>
#include <string_view>

#include "base/clock.h"
#include "base/result.h"

namespace ketachart::hl7v2 {

struct Hl7Timestamp {
  TimePoint utc;
  bool offset_given = false;  // false: `assumed_utc_offset` was applied
  int precision_digits = 0;   // 4 = year only ... 14 = seconds, 15+ = fractions
};

// Parses `value`; `field` ("OBX-14") names the field in the error.
Result<Hl7Timestamp> ParseHl7Timestamp(std::string_view value, std::chrono::minutes assumed_utc_offset,
                                       std::string_view field);

// "20261122073848.123+0000" for a UTC TimePoint (ACK MSH-7).
std::string FormatHl7Timestamp(TimePoint utc);

}  // namespace ketachart::hl7v2
