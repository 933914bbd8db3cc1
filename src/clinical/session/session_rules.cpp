// The dosing session's readiness checklist and state machine (see session_rules.h).
#include "clinical/session/session_rules.h"

#include <array>
#include <utility>

#include "base/clock.h"

namespace ketachart {
namespace {

constexpr std::array<std::pair<SessionPhase, std::string_view>, 7> kPhaseNames = {{
    {SessionPhase::kCheckedIn, "checked_in"},
    {SessionPhase::kDosing, "dosing"},
    {SessionPhase::kPaused, "paused"},
    {SessionPhase::kRecovery, "recovery"},
    {SessionPhase::kReadyForDischarge, "ready_for_discharge"},
    {SessionPhase::kDischarged, "discharged"},
    {SessionPhase::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<SessionEventKind, std::string_view>, 16> kKindNames = {{
    {SessionEventKind::kCheckIn, "check_in"},
    {SessionEventKind::kReadiness, "readiness"},
    {SessionEventKind::kDoseOrder, "dose_order"},
    {SessionEventKind::kStart, "start"},
    {SessionEventKind::kRateChange, "rate_change"},
    {SessionEventKind::kPause, "pause"},
    {SessionEventKind::kResume, "resume"},
    {SessionEventKind::kStop, "stop"},
    {SessionEventKind::kRescueMedication, "rescue_medication"},
    {SessionEventKind::kVitals, "vitals"},
    {SessionEventKind::kScore, "score"},
    {SessionEventKind::kAdverseEvent, "adverse_event"},
    {SessionEventKind::kReadyForDischarge, "ready_for_discharge"},
    {SessionEventKind::kDischarge, "discharge"},
    {SessionEventKind::kCancel, "cancel"},
    {SessionEventKind::kDevice, "device"},
}};

std::string LimitNote(const ReadinessLimit& limit, const ReadinessLimits& limits) {
  std::string note = " (" + limit.quantity_id + ", " + limits.protocol_name;
  if (limit.unconfirmed) note += "; unconfirmed: the clinic must confirm it";
  return note + ")";
}

ReadinessItem VitalItem(const char* id, const char* label, const char* what, const char* unit,
                        const std::optional<int>& value, const ReadinessLimit& limit, const ReadinessLimits& limits) {
  ReadinessItem item{id, label, false, "", limit.unconfirmed};
  if (!value) {
    item.message = std::string("baseline ") + what + " is not recorded";
  } else if (!limit.value) {
    item.message = std::string("the protocol's limit for baseline ") + what + " is not set" + LimitNote(limit, limits);
  } else if (*value > *limit.value) {
    item.message = std::string("baseline ") + what + " " + std::to_string(*value) + " " + unit +
                   " is above the protocol's limit of " + std::to_string(*limit.value) + " " + unit +
                   LimitNote(limit, limits);
  } else {
    item.ok = true;
  }
  return item;
}

bool IsBlank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// A duration as m:ss, rounded up to the second (so 1 ms left reads 0:01).
std::string MinutesSeconds(int64_t ms) {
  const int64_t seconds = (ms + 999) / 1000;
  const int64_t s = seconds % 60;
  return std::to_string(seconds / 60) + (s < 10 ? ":0" : ":") + std::to_string(s);
}

std::string RestText(int64_t ms) {
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + " min";
  if (ms < 60'000 && ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return MinutesSeconds(ms) + " (m:ss)";
}

std::optional<std::string> CheckDevice(const SessionProgress& p, const SessionRules& rules, int64_t at_ms) {
  if (p.devices_ordered <= 0) {
    return std::string("devices are recorded only for a dose ordered in nasal-spray devices (the dose order counts "
                       "none)");
  }
  if (p.devices_given >= p.devices_ordered) {
    return "all " + std::to_string(p.devices_ordered) + " devices the dose order counts have been given; no more "
           "than ordered";
  }
  const int number = p.devices_given + 1;
  if (p.last_device_ms && rules.device_rest_ms) {
    if (at_ms < *p.last_device_ms) {
      return "device " + std::to_string(number) + " cannot be before device " + std::to_string(number - 1);
    }
    const int64_t rested = at_ms - *p.last_device_ms;
    if (rested < *rules.device_rest_ms) {
      return "device " + std::to_string(number) + " is too soon: the protocol's rest between devices is " +
             RestText(*rules.device_rest_ms) + " (rest_between_devices); " +
             MinutesSeconds(*rules.device_rest_ms - rested) + " to go";
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view SessionPhaseName(SessionPhase phase) {
  for (const auto& [p, name] : kPhaseNames) {
    if (p == phase) return name;
  }
  return "unknown";
}

std::string_view SessionEventKindName(SessionEventKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<SessionEventKind> ParseSessionEventKind(std::string_view name) {
  for (const auto& [kind, kind_name] : kKindNames) {
    if (kind_name == name) return kind;
  }
  return std::nullopt;
}

ReadinessResult EvaluateReadiness(const ReadinessLimits& limits, const ReadinessAnswers& answers,
                                  const ReadinessGates& gates) {
  ReadinessResult result;
  auto add = [&](const char* id, const char* label, bool ok, std::string message) {
    result.items.push_back({id, label, ok, ok ? "" : std::move(message), false});
  };
  add("consent", "Valid consent for this protocol", gates.consent_valid, gates.consent_message);
  add("eligibility", "Eligibility decision current and cleared", gates.eligibility_cleared, gates.eligibility_message);
  add("course", "Course state allows a dose", gates.course_allows_dose, gates.course_message);
  if (gates.rems_required) {
    add("rems_enrolment", "Enrolled in the REMS programme", gates.rems_enrolled, gates.rems_message);
  }
  add("fasting", "Fasting confirmed", answers.fasting_confirmed,
      "fasting is not confirmed (the protocol's preparation instructions)");
  add("escort", "Ride home or escort", !IsBlank(answers.escort_name), "no escort or ride home is recorded");
  add("held_medications", "Held medications checked", answers.held_medications_confirmed,
      "held medications are not confirmed");
  if (limits.pregnancy_test_required) {
    const bool ok = answers.pregnancy_test == PregnancyTest::kNegative ||
                    answers.pregnancy_test == PregnancyTest::kNotApplicable;
    add("pregnancy_test", "Pregnancy test negative or not applicable", ok,
        answers.pregnancy_test == PregnancyTest::kPositive ? "the pregnancy test is positive"
                                                           : "no pregnancy test result is recorded (or not applicable)");
  }
  result.items.push_back(VitalItem("baseline_systolic", "Baseline systolic within the protocol's limit",
                                   "systolic blood pressure", "mmHg", answers.systolic_mmhg, limits.systolic_max,
                                   limits));
  result.items.push_back(VitalItem("baseline_diastolic", "Baseline diastolic within the protocol's limit",
                                   "diastolic blood pressure", "mmHg", answers.diastolic_mmhg, limits.diastolic_max,
                                   limits));
  if (limits.heart_rate_max.value || !limits.heart_rate_max.quantity_id.empty()) {
    result.items.push_back(VitalItem("baseline_heart_rate", "Baseline heart rate within the protocol's limit",
                                     "heart rate", "bpm", answers.heart_rate_bpm, limits.heart_rate_max, limits));
  }
  result.passed = true;
  for (const ReadinessItem& item : result.items) result.passed = result.passed && item.ok;
  return result;
}

std::optional<std::string> CheckSessionEvent(const SessionProgress& p, SessionEventKind kind,
                                             const SessionEventFacts& facts, const SessionRules& rules,
                                             int64_t at_ms) {
  using K = SessionEventKind;
  using P = SessionPhase;
  const std::string phase(SessionPhaseName(p.phase));
  const std::string kind_name(SessionEventKindName(kind));
  if (p.phase == P::kDischarged || p.phase == P::kCancelled) {
    return "the session is " + phase + "; nothing more can be recorded on it";
  }
  if (at_ms < p.checked_in_ms) return "an event cannot be before the check-in";
  auto not_now = [&]() -> std::optional<std::string> { return kind_name + " is not allowed while the session is " + phase; };
  switch (kind) {
    case K::kCheckIn:
      return std::string("the session is already checked in");
    case K::kReadiness:
    case K::kDoseOrder:
      if (p.phase != P::kCheckedIn) return not_now();
      return std::nullopt;
    case K::kStart:
      if (p.phase != P::kCheckedIn) return not_now();
      if (!p.readiness_passed) return std::string("no dose before the readiness checklist passes");
      if (!p.dose_ordered) return std::string("no dose before a prescriber orders it");
      if (p.devices_ordered > 0) {
        return std::string("this dose is given in nasal-spray devices: record device 1 (kind device) to start");
      }
      return std::nullopt;
    case K::kDevice:
      if (p.phase == P::kCheckedIn) {
        if (!p.readiness_passed) return std::string("no dose before the readiness checklist passes");
        if (!p.dose_ordered) return std::string("no dose before a prescriber orders it");
      } else if (p.phase != P::kDosing) {
        return not_now();
      }
      return CheckDevice(p, rules, at_ms);
    case K::kRateChange:
    case K::kPause:
      if (p.phase != P::kDosing) return not_now();
      if (kind == K::kPause && IsBlank(facts.reason)) return std::string("pausing needs a reason");
      return std::nullopt;
    case K::kResume:
      if (p.phase != P::kPaused) return not_now();
      return std::nullopt;
    case K::kStop:
      if (p.phase != P::kDosing && p.phase != P::kPaused) return not_now();
      return std::nullopt;
    case K::kRescueMedication:
    case K::kVitals:
    case K::kScore:
    case K::kAdverseEvent:
      return std::nullopt;
    case K::kReadyForDischarge: {
      if (p.phase != P::kRecovery) return not_now();
      if (!p.vitals_in_recovery) return std::string("no vitals have been recorded in recovery");
      if (rules.aldrete_min) {
        if (!p.last_aldrete_total) {
          return "the modified Aldrete score must be at least " + std::to_string(*rules.aldrete_min) +
                 " (aldrete_min); none is recorded";
        }
        if (*p.last_aldrete_total < *rules.aldrete_min) {
          return "the latest modified Aldrete score " + std::to_string(*p.last_aldrete_total) + " is below " +
                 std::to_string(*rules.aldrete_min) + " (aldrete_min)";
        }
      }
      if (rules.observation_min_ms && p.started_ms && at_ms - *p.started_ms < *rules.observation_min_ms) {
        const int64_t minutes = (*rules.observation_min_ms - (at_ms - *p.started_ms) + 59'999) / 60'000;
        return "observation must last at least " + std::to_string(*rules.observation_min_ms / 60'000) +
               " min after dosing starts (observation_min_discharge); " + std::to_string(minutes) + " min to go";
      }
      return std::nullopt;
    }
    case K::kDischarge:
      if (p.phase != P::kReadyForDischarge) return not_now();
      if (!facts.escort_present) return std::string("discharge needs the escort (a responsible adult) recorded");
      if (!facts.instructions_given) return std::string("discharge needs the after-care instructions given");
      return std::nullopt;
    case K::kCancel:
      if (p.phase != P::kCheckedIn) return std::string("a session can only be cancelled before dosing starts");
      if (IsBlank(facts.reason)) return std::string("cancelling needs a reason");
      return std::nullopt;
  }
  return not_now();
}

std::optional<std::string> CheckEventTime(const SessionProgress& p, SessionEventKind kind, int64_t at_ms) {
  using K = SessionEventKind;
  auto at = [](int64_t ms) { return FormatTimestamp(TimePoint(std::chrono::milliseconds(ms))); };
  if (at_ms < p.checked_in_ms) return "must not be before the check-in (" + at(p.checked_in_ms) + ")";
  switch (kind) {
    case K::kRescueMedication:
    case K::kVitals:
    case K::kScore:
    case K::kAdverseEvent:
      return std::nullopt;
    default:
      break;
  }
  if (at_ms < p.phase_started_ms) {
    return "must not be before the session became " + std::string(SessionPhaseName(p.phase)) + " (" +
           at(p.phase_started_ms) + ")";
  }
  return std::nullopt;
}

void ApplySessionEvent(SessionProgress& p, SessionEventKind kind, const SessionEventFacts& facts, int64_t at_ms) {
  using K = SessionEventKind;
  using P = SessionPhase;
  auto enter = [&](SessionPhase phase) {
    p.phase = phase;
    p.phase_started_ms = at_ms;
  };
  switch (kind) {
    case K::kCheckIn:
      p.checked_in_ms = at_ms;
      enter(P::kCheckedIn);
      break;
    case K::kReadiness:
      p.readiness_passed = facts.readiness_passed;
      break;
    case K::kDoseOrder:
      p.dose_ordered = true;
      p.devices_ordered = facts.devices_ordered;
      break;
    case K::kDevice:
      if (p.phase == P::kCheckedIn) {
        p.started_ms = at_ms;
        enter(P::kDosing);
      }
      ++p.devices_given;
      p.last_device_ms = at_ms;
      break;
    case K::kStart:
      p.started_ms = at_ms;
      enter(P::kDosing);
      break;
    case K::kPause:
      enter(P::kPaused);
      break;
    case K::kResume:
      enter(P::kDosing);
      break;
    case K::kStop:
      p.stopped_ms = at_ms;
      enter(P::kRecovery);
      break;
    case K::kVitals:
      if (!p.last_vitals_ms || at_ms > *p.last_vitals_ms) p.last_vitals_ms = at_ms;
      // Vitals entered late with a time before the stop were taken during dosing.
      if ((p.phase == P::kRecovery || p.phase == P::kReadyForDischarge) && (!p.stopped_ms || at_ms >= *p.stopped_ms)) {
        p.vitals_in_recovery = true;
      }
      break;
    case K::kScore:
      if (facts.aldrete_total) p.last_aldrete_total = facts.aldrete_total;
      break;
    case K::kReadyForDischarge:
      enter(P::kReadyForDischarge);
      break;
    case K::kDischarge:
      enter(P::kDischarged);
      break;
    case K::kCancel:
      enter(P::kCancelled);
      break;
    case K::kRateChange:
    case K::kRescueMedication:
    case K::kAdverseEvent:
      break;
  }
}

std::optional<int64_t> NextDeviceAllowedMs(const SessionProgress& p, const SessionRules& rules) {
  if (!p.last_device_ms || !rules.device_rest_ms || p.devices_given >= p.devices_ordered) return std::nullopt;
  if (p.phase != SessionPhase::kDosing && p.phase != SessionPhase::kPaused) return std::nullopt;
  return *p.last_device_ms + *rules.device_rest_ms;
}

}  // namespace ketachart
