// Due measures from a schedule rule (see measure_schedule.h).
#include "clinical/measure_schedule/measure_schedule.h"

#include <fmt/format.h>

namespace ketachart {
namespace {

// A measure counts for an occurrence when it falls on or after `from_day` and,
// if set, after the instant `after` (the session it must follow).
struct Window {
  int64_t from_day = 0;
  std::optional<TimePoint> after;
};

struct Occurrence {
  int64_t due_day = 0;
  std::optional<TimePoint> due_at;
  Window window;
  std::string rule;
};

// "1 day", "14 days".
std::string Days(int64_t n) { return fmt::format("{} {}", n, n == 1 ? "day" : "days"); }

std::optional<TimePoint> SatisfiedBy(const Window& window, const MeasureScheduleFacts& facts) {
  std::optional<TimePoint> latest;
  for (const ClinicMoment& c : facts.completions) {
    if (c.at > facts.now.at || c.day < window.from_day) continue;
    if (window.after && c.at <= *window.after) continue;
    latest = c.at;
  }
  return latest;
}

DueOccurrence Resolve(const Occurrence& occurrence, const MeasureScheduleFacts& facts) {
  DueOccurrence out;
  out.due_day = occurrence.due_day;
  out.due_at = occurrence.due_at;
  out.rule = occurrence.rule;
  out.completed_at = SatisfiedBy(occurrence.window, facts);
  if (out.completed_at) {
    out.status = DueStatus::kCompleted;
  } else if (occurrence.due_day < facts.now.day) {
    out.status = DueStatus::kOverdue;
    out.days_overdue = facts.now.day - occurrence.due_day;
  } else {
    out.status = DueStatus::kDue;
  }
  return out;
}

// The latest occurrence due on or before today and the first after it.
std::vector<DueOccurrence> CurrentAndNext(const std::vector<Occurrence>& occurrences,
                                          const MeasureScheduleFacts& facts) {
  const Occurrence* current = nullptr;
  const Occurrence* next = nullptr;
  for (const Occurrence& o : occurrences) {
    if (o.due_day <= facts.now.day) {
      current = &o;
    } else if (!next) {
      next = &o;
    }
  }
  std::vector<DueOccurrence> out;
  if (current) out.push_back(Resolve(*current, facts));
  if (next) out.push_back(Resolve(*next, facts));
  return out;
}

// Sessions on or after the start day, one per local day. `keep_first` keeps
// the day's first session (the one a pre-session measure must precede),
// otherwise its last (the one a post-session measure must follow).
std::vector<ClinicMoment> SessionDays(const MeasureScheduleRule& rule, const std::vector<ClinicMoment>& sessions,
                                      bool keep_first) {
  std::vector<ClinicMoment> days;
  for (const ClinicMoment& s : sessions) {
    if (s.day < rule.start_day) continue;
    if (!days.empty() && days.back().day == s.day) {
      if (!keep_first) days.back() = s;
      continue;
    }
    days.push_back(s);
  }
  return days;
}

std::vector<DueOccurrence> BeforeEachSession(const MeasureScheduleRule& rule, const MeasureScheduleFacts& facts) {
  const std::vector<ClinicMoment> firsts = SessionDays(rule, facts.sessions, true);
  const std::vector<ClinicMoment> lasts = SessionDays(rule, facts.sessions, false);
  std::vector<Occurrence> occurrences;
  for (size_t i = 0; i < firsts.size(); ++i) {
    Occurrence o{firsts[i].day, firsts[i].at, {rule.start_day, std::nullopt},
                 fmt::format("before the session on {}", DateFromDays(firsts[i].day))};
    if (i > 0) o.window.after = lasts[i - 1].at;
    occurrences.push_back(std::move(o));
  }
  return CurrentAndNext(occurrences, facts);
}

std::vector<DueOccurrence> NDaysAfterEachSession(const MeasureScheduleRule& rule, const MeasureScheduleFacts& facts) {
  std::vector<Occurrence> occurrences;
  for (const ClinicMoment& s : SessionDays(rule, facts.sessions, false)) {
    occurrences.push_back(Occurrence{s.day + rule.interval_days, std::nullopt, {rule.start_day, s.at},
                                     fmt::format("{} after the session on {}", Days(rule.interval_days),
                                                 DateFromDays(s.day))});
  }
  return CurrentAndNext(occurrences, facts);
}

std::vector<DueOccurrence> EveryNDays(const MeasureScheduleRule& rule, const MeasureScheduleFacts& facts) {
  const int64_t n = rule.interval_days;
  // The clock's anchor: the start day, or with reset the latest session that
  // has happened (on or after the start day), whose first due is N days later.
  int64_t begins_day = rule.start_day;
  int64_t first_due = rule.start_day;
  std::optional<TimePoint> after;
  std::string rule_text = fmt::format("every {} from {}", Days(n), DateFromDays(rule.start_day));
  if (rule.reset_on_treatment) {
    for (const ClinicMoment& s : facts.sessions) {
      if (s.at > facts.now.at || s.day < rule.start_day) continue;
      begins_day = s.day;
      first_due = s.day + n;
      after = s.at;
      rule_text = fmt::format("every {} since the session on {}", Days(n), DateFromDays(s.day));
    }
  }
  const int64_t today = facts.now.day;
  std::vector<Occurrence> occurrences;
  if (first_due <= today) {
    const int64_t due = first_due + (today - first_due) / n * n;
    const int64_t from_day = due == first_due ? begins_day : due - n + 1;
    occurrences.push_back(Occurrence{due, std::nullopt, {from_day, after}, rule_text});
    occurrences.push_back(Occurrence{due + n, std::nullopt, {due + 1, after}, rule_text});
  } else {
    occurrences.push_back(Occurrence{first_due, std::nullopt, {begins_day, after}, rule_text});
  }
  return CurrentAndNext(occurrences, facts);
}

}  // namespace

std::string_view MeasureScheduleKindName(MeasureScheduleKind kind) {
  switch (kind) {
    case MeasureScheduleKind::kBeforeEachSession: return "before_each_session";
    case MeasureScheduleKind::kEveryNDays: return "every_n_days";
    case MeasureScheduleKind::kNDaysAfterEachSession: return "n_days_after_each_session";
  }
  return "";
}

std::optional<MeasureScheduleKind> ParseMeasureScheduleKind(std::string_view name) {
  for (MeasureScheduleKind kind : {MeasureScheduleKind::kBeforeEachSession, MeasureScheduleKind::kEveryNDays,
                                   MeasureScheduleKind::kNDaysAfterEachSession}) {
    if (MeasureScheduleKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view DueStatusName(DueStatus status) {
  switch (status) {
    case DueStatus::kCompleted: return "completed";
    case DueStatus::kDue: return "due";
    case DueStatus::kOverdue: return "overdue";
  }
  return "";
}

std::optional<std::pair<std::string, std::string>> CheckMeasureScheduleRule(const MeasureScheduleRule& rule) {
  const bool needs_interval = rule.kind != MeasureScheduleKind::kBeforeEachSession;
  if (needs_interval && (rule.interval_days < 1 || rule.interval_days > kMaxMeasureScheduleIntervalDays)) {
    return std::pair<std::string, std::string>(
        "interval_days", fmt::format("must be between 1 and {} for {}", kMaxMeasureScheduleIntervalDays,
                                     MeasureScheduleKindName(rule.kind)));
  }
  if (!needs_interval && rule.interval_days != 0) {
    return std::pair<std::string, std::string>("interval_days", "is not used by before_each_session");
  }
  if (rule.reset_on_treatment && rule.kind != MeasureScheduleKind::kEveryNDays) {
    return std::pair<std::string, std::string>("reset_on_treatment", "applies only to every_n_days");
  }
  return std::nullopt;
}

std::vector<DueOccurrence> ComputeDueOccurrences(const MeasureScheduleRule& rule, const MeasureScheduleFacts& facts) {
  switch (rule.kind) {
    case MeasureScheduleKind::kBeforeEachSession: return BeforeEachSession(rule, facts);
    case MeasureScheduleKind::kEveryNDays: return EveryNDays(rule, facts);
    case MeasureScheduleKind::kNDaysAfterEachSession: return NDaysAfterEachSession(rule, facts);
  }
  return {};
}

}  // namespace ketachart
