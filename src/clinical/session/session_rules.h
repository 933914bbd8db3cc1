// The dosing session's rules, pure: the readiness checklist that must pass
// before a dose (consent, eligibility, course state, fasting, escort, held
// medications, pregnancy test, baseline vitals within the protocol's limits)
// and the session's state machine over its append-only timeline (checked in
// → dosing ⇄ paused → recovery → ready for discharge → discharged, or
// cancelled before dosing). Every refusal names its rule. The protocol's
// numbers come in as ReadinessLimits / SessionRules read from the protocol
// version the session runs under; nothing clinical is a constant here.
// Esketamine is given in nasal-spray devices, each its own kDevice event:
// the first starts dosing, none comes before the protocol's rest since the
// previous one, and no more than the dose order counts.
// No I/O, no clock: times are milliseconds since the epoch given by the
// caller. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ketachart {

enum class SessionPhase : uint8_t { kCheckedIn, kDosing, kPaused, kRecovery, kReadyForDischarge, kDischarged, kCancelled };

enum class SessionEventKind : uint8_t {
  kCheckIn,
  kReadiness,        // a checklist evaluation (passed or not)
  kDoseOrder,        // the prescriber's order
  kStart,            // administration starts (first device for esketamine)
  kRateChange,
  kPause,
  kResume,
  kStop,             // administration ends; recovery begins
  kRescueMedication,
  kVitals,
  kScore,            // MOAA/S, CADSS, modified Aldrete
  kAdverseEvent,
  kReadyForDischarge,
  kDischarge,
  kCancel,
  kDevice,           // one esketamine nasal-spray device self-administered (device 1 starts dosing)
};
inline constexpr SessionEventKind kLastSessionEventKind = SessionEventKind::kDevice;

std::string_view SessionPhaseName(SessionPhase phase);
std::string_view SessionEventKindName(SessionEventKind kind);
std::optional<SessionEventKind> ParseSessionEventKind(std::string_view name);

// ---- Readiness ----

// A cited limit from the protocol version (value absent: the clinic must set it).
struct ReadinessLimit {
  std::optional<int> value;
  bool unconfirmed = false;
  std::string quantity_id;  // e.g. "pre_dose_systolic_max"
};

struct ReadinessLimits {
  std::string protocol_name;  // "IV racemic ketamine infusion v1"
  ReadinessLimit systolic_max, diastolic_max, heart_rate_max;
  bool pregnancy_test_required = true;  // a clinic setting; the default asks for a result or "not applicable"
};

enum class PregnancyTest : uint8_t { kNotRecorded, kNegative, kPositive, kNotApplicable };

struct ReadinessAnswers {
  bool fasting_confirmed = false;
  std::string escort_name;
  bool held_medications_confirmed = false;
  PregnancyTest pregnancy_test = PregnancyTest::kNotRecorded;
  std::optional<int> systolic_mmhg, diastolic_mmhg, heart_rate_bpm, spo2_percent;
};

// What the services found (each message names the rule when not met).
struct ReadinessGates {
  bool consent_valid = false;
  std::string consent_message;
  bool eligibility_cleared = false;
  std::string eligibility_message;
  bool course_allows_dose = false;
  std::string course_message;
  // When the protocol has the pre-dose check "rems_enrolment" (esketamine).
  bool rems_required = false;
  bool rems_enrolled = false;
  std::string rems_message;
};

struct ReadinessItem {
  std::string id;
  std::string label;
  bool ok = false;
  std::string message;     // why not (empty when ok)
  bool unconfirmed = false;  // the limit it used is marked UNCONFIRMED in the protocol
};

struct ReadinessResult {
  bool passed = false;
  std::vector<ReadinessItem> items;
};

ReadinessResult EvaluateReadiness(const ReadinessLimits& limits, const ReadinessAnswers& answers,
                                  const ReadinessGates& gates);

// ---- The timeline ----

// The protocol's timing and recovery rules the state machine applies.
struct SessionRules {
  std::optional<int> aldrete_min;              // e.g. 9 (modified Aldrete), when the protocol sets one
  std::optional<int64_t> observation_min_ms;  // e.g. 2 h after dosing starts (esketamine)
  std::optional<int64_t> device_rest_ms;      // e.g. 5 min between esketamine devices (rest_between_devices)
};

// What the timeline so far established.
struct SessionProgress {
  SessionPhase phase = SessionPhase::kCheckedIn;
  bool readiness_passed = false;
  bool dose_ordered = false;
  int64_t phase_started_ms = 0;
  int64_t checked_in_ms = 0;
  std::optional<int64_t> started_ms;   // first kStart
  std::optional<int64_t> stopped_ms;
  std::optional<int64_t> last_vitals_ms;
  bool vitals_in_recovery = false;
  std::optional<int> last_aldrete_total;
  int devices_ordered = 0;  // the latest dose order's device count (0: not a device dose)
  int devices_given = 0;
  std::optional<int64_t> last_device_ms;
};

// Facts an event carries that the state machine cares about.
struct SessionEventFacts {
  bool readiness_passed = false;            // kReadiness
  std::optional<int> aldrete_total;         // kScore of the modified Aldrete
  bool escort_present = false;              // kDischarge
  bool instructions_given = false;          // kDischarge
  std::string reason;                       // kCancel, kPause
  int devices_ordered = 0;                  // kDoseOrder: nasal-spray devices the dose takes
};

// The reason `kind` may not happen now (naming the rule), or nullopt.
std::optional<std::string> CheckSessionEvent(const SessionProgress& progress, SessionEventKind kind,
                                             const SessionEventFacts& facts, const SessionRules& rules,
                                             int64_t at_ms);
// The reason an event cannot have happened at `at_ms`, a time entered after the
// fact (naming the rule), or nullopt: no event is before the check-in, and an
// event that belongs to the current phase or ends it (start, device, rate change,
// pause, resume, stop, ready for discharge, discharge, cancel) is not before
// that phase began, so the phases stay in the order they happened. Records that
// may fall in any phase (vitals, scores, rescue medication, adverse events) need
// only be after the check-in. The service reports it on occurred_at.
std::optional<std::string> CheckEventTime(const SessionProgress& progress, SessionEventKind kind, int64_t at_ms);
// Applies an event already checked.
void ApplySessionEvent(SessionProgress& progress, SessionEventKind kind, const SessionEventFacts& facts,
                       int64_t at_ms);

// When the next esketamine device may be given (the previous one plus the
// protocol's rest), or nullopt when no device is pending or no rest applies.
// Before device 1 the answer is nullopt too: only the checklist and order gate it.
std::optional<int64_t> NextDeviceAllowedMs(const SessionProgress& progress, const SessionRules& rules);

}  // namespace ketachart
