// When a patient's rating-scale measures fall due (issue 3: "schedules per
// patient ... create due measures automatically; an overdue list"). A
// schedule names an instrument and one rule:
//   before_each_session        due on the day of every dosing session, to be
//                              completed after the previous session;
//   every_n_days (N)           due on the start day and every N days after;
//                              with reset_on_treatment each dosing session
//                              restarts the clock (next due N days after it,
//                              and only a measure after that session counts);
//   n_days_after_each_session  due N days after every dosing session, to be
//                              completed after that session.
// An occurrence is satisfied by a measure of the instrument inside its window,
// however late (an overdue item clears when the measure is done), and a
// measure on the due day itself always satisfies it. Only the latest
// occurrence on or before today matters: an older missed one is superseded
// (nobody fills in last month's PHQ-9), so a schedule yields at most the
// current occurrence and the next one. N is the clinic's choice; no interval
// is assumed here. Days are the clinic's local calendar days, computed by the
// caller. Pure: no I/O, no clock. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace ketachart {

enum class MeasureScheduleKind { kBeforeEachSession, kEveryNDays, kNDaysAfterEachSession };

std::string_view MeasureScheduleKindName(MeasureScheduleKind kind);
std::optional<MeasureScheduleKind> ParseMeasureScheduleKind(std::string_view name);

inline constexpr int kMaxMeasureScheduleIntervalDays = 365;

struct MeasureScheduleRule {
  MeasureScheduleKind kind = MeasureScheduleKind::kEveryNDays;
  int interval_days = 0;            // 1..365 for every_n_days and n_days_after_each_session; 0 otherwise
  bool reset_on_treatment = false;  // every_n_days only
  int64_t start_day = 0;            // local day number (days since 1970-01-01) the schedule starts on
};

// An instant and the clinic-local day it falls on.
struct ClinicMoment {
  TimePoint at;
  int64_t day = 0;
};

struct MeasureScheduleFacts {
  // The patient's dosing sessions, ascending: those that began (their start)
  // and those booked ahead. Only those at or before `now` reset the clock.
  std::vector<ClinicMoment> sessions;
  // When the schedule's instrument was administered to the patient, ascending.
  std::vector<ClinicMoment> completions;
  ClinicMoment now;
};

enum class DueStatus { kCompleted, kDue, kOverdue };
std::string_view DueStatusName(DueStatus status);

struct DueOccurrence {
  int64_t due_day = 0;
  std::optional<TimePoint> due_at;      // the session's time for before_each_session
  DueStatus status = DueStatus::kDue;   // overdue: due before today and not completed since
  int64_t days_overdue = 0;             // today - due_day when overdue, else 0
  std::optional<TimePoint> completed_at;  // the latest measure that satisfied it
  std::string rule;                     // why it is due, e.g. "every 14 days since the session on 2026-03-02"
};

// Empty when the rule is valid, else the field ("interval_days",
// "reset_on_treatment") and the rule broken, as "field: rule".
std::optional<std::pair<std::string, std::string>> CheckMeasureScheduleRule(const MeasureScheduleRule& rule);

// The current occurrence (the latest due on or before today), if any, then the
// next one after today, if any; due_day ascending. The rule must pass
// CheckMeasureScheduleRule; `facts` lists must be ascending.
std::vector<DueOccurrence> ComputeDueOccurrences(const MeasureScheduleRule& rule, const MeasureScheduleFacts& facts);

}  // namespace ketachart
