// The dosing session's rules: the readiness checklist item by item (fires and
// does not fire), and the timeline's state machine for every event in every
// phase, including the two rules that matter most — no dose before the
// checklist passes and the prescriber orders it, no discharge before the
// protocol's recovery criteria are met.
#include "clinical/session/session_rules.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace ketachart {
namespace {

using K = SessionEventKind;
using P = SessionPhase;

ReadinessLimits IvLimits() {
  ReadinessLimits limits;
  limits.protocol_name = "IV racemic ketamine infusion v1";
  limits.systolic_max = {180, true, "pre_dose_systolic_max"};
  limits.diastolic_max = {100, true, "pre_dose_diastolic_max"};
  limits.heart_rate_max = {110, true, "pre_dose_heart_rate_max"};
  return limits;
}

ReadinessAnswers ReadyAnswers() {
  ReadinessAnswers a;
  a.fasting_confirmed = true;
  a.escort_name = "Sam (partner)";
  a.held_medications_confirmed = true;
  a.pregnancy_test = PregnancyTest::kNotApplicable;
  a.systolic_mmhg = 128;
  a.diastolic_mmhg = 82;
  a.heart_rate_bpm = 74;
  return a;
}

ReadinessGates OpenGates() { return ReadinessGates{true, "", true, "", true, "", false, false, ""}; }

const ReadinessItem& Item(const ReadinessResult& result, const std::string& id) {
  for (const auto& item : result.items) {
    if (item.id == id) return item;
  }
  throw std::runtime_error("no item " + id);
}

TEST(ReadinessTest, PassesWhenEveryItemIsMet) {
  const ReadinessResult result = EvaluateReadiness(IvLimits(), ReadyAnswers(), OpenGates());
  EXPECT_TRUE(result.passed);
  EXPECT_EQ(result.items.size(), 10u);
  for (const auto& item : result.items) EXPECT_TRUE(item.ok) << item.id << ": " << item.message;
}

TEST(ReadinessTest, EachItemFiresAlone) {
  struct Case {
    std::string id;
    std::function<void(ReadinessAnswers&, ReadinessGates&)> breaks;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"consent", [](auto&, auto& g) { g.consent_valid = false; g.consent_message = "consent for X v1 expired on 2026-01-01"; },
       "consent for X v1 expired on 2026-01-01"},
      {"eligibility", [](auto&, auto& g) { g.eligibility_cleared = false; g.eligibility_message = "warning W open"; },
       "warning W open"},
      {"course", [](auto&, auto& g) { g.course_allows_dose = false; g.course_message = "course is in evaluation"; },
       "course is in evaluation"},
      {"fasting", [](auto& a, auto&) { a.fasting_confirmed = false; },
       "fasting is not confirmed (the protocol's preparation instructions)"},
      {"escort", [](auto& a, auto&) { a.escort_name = "  "; }, "no escort or ride home is recorded"},
      {"held_medications", [](auto& a, auto&) { a.held_medications_confirmed = false; },
       "held medications are not confirmed"},
      {"pregnancy_test", [](auto& a, auto&) { a.pregnancy_test = PregnancyTest::kPositive; },
       "the pregnancy test is positive"},
      {"baseline_systolic", [](auto& a, auto&) { a.systolic_mmhg = 181; },
       "baseline systolic blood pressure 181 mmHg is above the protocol's limit of 180 mmHg (pre_dose_systolic_max, "
       "IV racemic ketamine infusion v1; unconfirmed: the clinic must confirm it)"},
      {"baseline_diastolic", [](auto& a, auto&) { a.diastolic_mmhg.reset(); },
       "baseline diastolic blood pressure is not recorded"},
      {"baseline_heart_rate", [](auto& a, auto&) { a.heart_rate_bpm = 111; },
       "baseline heart rate 111 bpm is above the protocol's limit of 110 bpm (pre_dose_heart_rate_max, IV racemic "
       "ketamine infusion v1; unconfirmed: the clinic must confirm it)"},
  };
  for (const Case& c : cases) {
    ReadinessAnswers answers = ReadyAnswers();
    ReadinessGates gates = OpenGates();
    c.breaks(answers, gates);
    const ReadinessResult result = EvaluateReadiness(IvLimits(), answers, gates);
    EXPECT_FALSE(result.passed) << c.id;
    for (const auto& item : result.items) {
      if (item.id == c.id) {
        EXPECT_FALSE(item.ok) << c.id;
        EXPECT_EQ(item.message, c.message);
      } else {
        EXPECT_TRUE(item.ok) << c.id << " also broke " << item.id;
      }
    }
  }
}

TEST(ReadinessTest, RemsEnrolmentIsCheckedOnlyWhereTheProtocolAsksForIt) {
  ReadinessGates gates = OpenGates();
  gates.rems_enrolled = false;
  gates.rems_message = "not enrolled";
  EXPECT_TRUE(EvaluateReadiness(IvLimits(), ReadyAnswers(), gates).passed);
  gates.rems_required = true;
  const ReadinessResult result = EvaluateReadiness(IvLimits(), ReadyAnswers(), gates);
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(Item(result, "rems_enrolment").message, "not enrolled");
  gates.rems_enrolled = true;
  EXPECT_TRUE(EvaluateReadiness(IvLimits(), ReadyAnswers(), gates).passed);
}

TEST(ReadinessTest, LimitEdgesAndUnsetLimits) {
  ReadinessAnswers answers = ReadyAnswers();
  answers.systolic_mmhg = 180;  // at the limit: allowed ("do not start above")
  answers.diastolic_mmhg = 100;
  EXPECT_TRUE(EvaluateReadiness(IvLimits(), answers, OpenGates()).passed);
  ReadinessLimits unset = IvLimits();
  unset.systolic_max.value.reset();
  const ReadinessResult result = EvaluateReadiness(unset, answers, OpenGates());
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(Item(result, "baseline_systolic").message,
            "the protocol's limit for baseline systolic blood pressure is not set (pre_dose_systolic_max, IV racemic "
            "ketamine infusion v1; unconfirmed: the clinic must confirm it)");
  ReadinessLimits no_pregnancy = IvLimits();
  no_pregnancy.pregnancy_test_required = false;
  answers.pregnancy_test = PregnancyTest::kNotRecorded;
  EXPECT_TRUE(EvaluateReadiness(no_pregnancy, answers, OpenGates()).passed);
  ReadinessLimits no_heart_rate = IvLimits();
  no_heart_rate.heart_rate_max = {};
  EXPECT_EQ(EvaluateReadiness(no_heart_rate, ReadyAnswers(), OpenGates()).items.size(), 9u);
}

// Drives a progress through events, checking each.
struct Timeline {
  SessionProgress progress;
  SessionRules rules;
  int64_t now = 1'000'000;
  Timeline() { ApplySessionEvent(progress, K::kCheckIn, {}, now); }
  std::optional<std::string> Try(K kind, SessionEventFacts facts = {}, int64_t advance_ms = 60'000) {
    now += advance_ms;
    auto refusal = CheckSessionEvent(progress, kind, facts, rules, now);
    if (!refusal) ApplySessionEvent(progress, kind, facts, now);
    return refusal;
  }
};

TEST(SessionStateTest, NoDoseBeforeTheChecklistPassesAndTheOrder) {
  Timeline t;
  EXPECT_EQ(t.Try(K::kStart), "no dose before the readiness checklist passes");
  EXPECT_FALSE(t.Try(K::kReadiness, {.readiness_passed = false}));
  EXPECT_EQ(t.Try(K::kStart), "no dose before the readiness checklist passes");
  EXPECT_FALSE(t.Try(K::kReadiness, {.readiness_passed = true}));
  EXPECT_EQ(t.Try(K::kStart), "no dose before a prescriber orders it");
  EXPECT_FALSE(t.Try(K::kDoseOrder));
  EXPECT_FALSE(t.Try(K::kStart));
  EXPECT_EQ(t.progress.phase, P::kDosing);
}

// The phase reached by a standard path, for the matrix below.
SessionProgress ProgressIn(P phase) {
  Timeline t;
  if (phase == P::kCheckedIn) return t.progress;
  if (phase == P::kCancelled) {
    t.Try(K::kCancel, {.reason = "no escort"});
    return t.progress;
  }
  t.Try(K::kReadiness, {.readiness_passed = true});
  t.Try(K::kDoseOrder);
  t.Try(K::kStart);
  if (phase == P::kDosing) return t.progress;
  if (phase == P::kPaused) {
    t.Try(K::kPause, {.reason = "nausea"});
    return t.progress;
  }
  t.Try(K::kStop);
  if (phase == P::kRecovery) return t.progress;
  t.Try(K::kVitals);
  t.Try(K::kReadyForDischarge);
  if (phase == P::kReadyForDischarge) return t.progress;
  t.Try(K::kDischarge, {.escort_present = true, .instructions_given = true});
  return t.progress;
}

TEST(SessionStateTest, EveryEventInEveryPhase) {
  const std::vector<P> phases = {P::kCheckedIn, P::kDosing, P::kPaused, P::kRecovery, P::kReadyForDischarge,
                                 P::kDischarged, P::kCancelled};
  const std::set<K> anytime = {K::kRescueMedication, K::kVitals, K::kScore, K::kAdverseEvent};
  const std::map<P, std::set<K>> allowed = {
      {P::kCheckedIn, {K::kReadiness, K::kDoseOrder, K::kCancel}},  // kStart, kDevice need facts: tested apart
      {P::kDosing, {K::kRateChange, K::kPause, K::kStop}},
      {P::kPaused, {K::kResume, K::kStop}},
      {P::kRecovery, {K::kReadyForDischarge}},
      {P::kReadyForDischarge, {K::kDischarge}},
      {P::kDischarged, {}},
      {P::kCancelled, {}},
  };
  const SessionEventFacts full{.readiness_passed = true, .aldrete_total = 10, .escort_present = true,
                               .instructions_given = true, .reason = "a reason"};
  for (P phase : phases) {
    SessionProgress progress = ProgressIn(phase);
    ASSERT_EQ(progress.phase, phase) << SessionPhaseName(phase);
    progress.vitals_in_recovery = true;
    for (int k = 0; k <= static_cast<int>(kLastSessionEventKind); ++k) {
      const K kind = static_cast<K>(k);
      const bool terminal = phase == P::kDischarged || phase == P::kCancelled;
      const bool expected = !terminal && (allowed.at(phase).count(kind) || anytime.count(kind));
      const auto refusal = CheckSessionEvent(progress, kind, full, {}, progress.phase_started_ms + 1000);
      EXPECT_EQ(!refusal.has_value(), expected)
          << SessionEventKindName(kind) << " in " << SessionPhaseName(phase) << ": " << refusal.value_or("allowed");
    }
  }
}

TEST(SessionStateTest, DischargeNeedsTheProtocolsRecoveryCriteria) {
  Timeline t;
  t.rules.aldrete_min = 9;
  t.rules.observation_min_ms = 2 * 3600 * 1000;  // esketamine: at least 2 hours after dosing
  t.Try(K::kReadiness, {.readiness_passed = true});
  t.Try(K::kDoseOrder);
  ASSERT_FALSE(t.Try(K::kStart));
  ASSERT_FALSE(t.Try(K::kStop, {}, 40 * 60'000));
  EXPECT_EQ(t.Try(K::kReadyForDischarge), "no vitals have been recorded in recovery");
  t.Try(K::kVitals);
  EXPECT_EQ(t.Try(K::kReadyForDischarge),
            "the modified Aldrete score must be at least 9 (aldrete_min); none is recorded");
  t.Try(K::kScore, {.aldrete_total = 8});
  EXPECT_EQ(t.Try(K::kReadyForDischarge), "the latest modified Aldrete score 8 is below 9 (aldrete_min)");
  t.Try(K::kScore, {.aldrete_total = 9});
  // 47 minutes since the start (40 of dosing, then one a step).
  EXPECT_EQ(t.Try(K::kReadyForDischarge),
            "observation must last at least 120 min after dosing starts (observation_min_discharge); 73 min to go");
  EXPECT_EQ(t.Try(K::kReadyForDischarge, {}, 72 * 60'000),
            "observation must last at least 120 min after dosing starts (observation_min_discharge); 1 min to go");
  EXPECT_FALSE(t.Try(K::kReadyForDischarge, {}, 60'000));  // exactly 120 minutes
  EXPECT_EQ(t.Try(K::kDischarge, {.escort_present = false, .instructions_given = true}),
            "discharge needs the escort (a responsible adult) recorded");
  EXPECT_EQ(t.Try(K::kDischarge, {.escort_present = true, .instructions_given = false}),
            "discharge needs the after-care instructions given");
  EXPECT_FALSE(t.Try(K::kDischarge, {.escort_present = true, .instructions_given = true}));
  EXPECT_EQ(t.progress.phase, P::kDischarged);
  EXPECT_EQ(t.Try(K::kVitals), "the session is discharged; nothing more can be recorded on it");
}

TEST(SessionStateTest, PauseAndCancelNeedReasonsAndEventsCannotPrecedeCheckIn) {
  Timeline t;
  EXPECT_EQ(t.Try(K::kCancel), "cancelling needs a reason");
  EXPECT_EQ(CheckSessionEvent(t.progress, K::kVitals, {}, {}, t.progress.checked_in_ms - 1),
            "an event cannot be before the check-in");
  t.Try(K::kReadiness, {.readiness_passed = true});
  t.Try(K::kDoseOrder);
  t.Try(K::kStart);
  EXPECT_EQ(t.Try(K::kPause), "pausing needs a reason");
  EXPECT_EQ(t.Try(K::kCancel), "a session can only be cancelled before dosing starts");
  EXPECT_FALSE(t.Try(K::kPause, {.reason = "patient asked for a break"}));
  EXPECT_FALSE(t.Try(K::kResume));
  EXPECT_EQ(t.progress.phase, P::kDosing);
}

TEST(SessionStateTest, AnEventChartedLateIsNotBeforeTheCheckInOrThePhaseItEnds) {
  Timeline t;  // checked in at 1,000,000 ms = 1970-01-01T00:16:40.000Z
  const int64_t checked_in = t.progress.checked_in_ms;
  EXPECT_EQ(CheckEventTime(t.progress, K::kVitals, checked_in - 1),
            "must not be before the check-in (1970-01-01T00:16:40.000Z)");
  EXPECT_EQ(CheckEventTime(t.progress, K::kStop, checked_in - 60'000),
            "must not be before the check-in (1970-01-01T00:16:40.000Z)");
  EXPECT_FALSE(CheckEventTime(t.progress, K::kVitals, checked_in));
  t.Try(K::kReadiness, {.readiness_passed = true});
  t.Try(K::kDoseOrder);
  t.Try(K::kStart);  // dosing from 1,180,000 ms = 00:19:40
  const int64_t started = *t.progress.started_ms;
  t.now += 10 * 60'000;
  // A stop, pause or rate change before dosing started would put the phases out of order.
  for (K kind : {K::kStop, K::kPause, K::kRateChange}) {
    EXPECT_EQ(CheckEventTime(t.progress, kind, started - 1),
              "must not be before the session became dosing (1970-01-01T00:19:40.000Z)")
        << SessionEventKindName(kind);
    EXPECT_FALSE(CheckEventTime(t.progress, kind, started)) << SessionEventKindName(kind);
  }
  // Records that may fall in any phase: only the check-in bounds them.
  for (K kind : {K::kVitals, K::kScore, K::kRescueMedication, K::kAdverseEvent}) {
    EXPECT_FALSE(CheckEventTime(t.progress, kind, started - 1)) << SessionEventKindName(kind);
  }
  // Paused at 00:31:40; the resume charted late cannot precede the pause.
  EXPECT_FALSE(t.Try(K::kPause, {.reason = "nausea"}, 2 * 60'000));
  EXPECT_EQ(CheckEventTime(t.progress, K::kResume, t.now - 1),
            "must not be before the session became paused (1970-01-01T00:31:40.000Z)");
  EXPECT_FALSE(CheckEventTime(t.progress, K::kResume, t.now + 5 * 60'000));
}

TEST(SessionStateTest, VitalsChartedLateWithATimeBeforeTheStopAreNotRecoveryVitals) {
  Timeline t;
  t.Try(K::kReadiness, {.readiness_passed = true});
  t.Try(K::kDoseOrder);
  t.Try(K::kStart);
  t.Try(K::kStop);
  const int64_t stopped = *t.progress.stopped_ms;
  ApplySessionEvent(t.progress, K::kVitals, {}, stopped - 60'000);
  EXPECT_FALSE(t.progress.vitals_in_recovery);
  EXPECT_EQ(t.Try(K::kReadyForDischarge), "no vitals have been recorded in recovery");
  ApplySessionEvent(t.progress, K::kVitals, {}, stopped);
  EXPECT_TRUE(t.progress.vitals_in_recovery);
  EXPECT_FALSE(t.Try(K::kReadyForDischarge));
}

// An esketamine timeline up to an order of `devices` devices, ready for device 1.
Timeline EsketamineOrdered(int devices) {
  Timeline t;
  t.rules.device_rest_ms = 5 * 60'000;  // rest_between_devices (Spravato: jnjmedicalconnect, Medscape)
  t.Try(K::kReadiness, {.readiness_passed = true});
  t.Try(K::kDoseOrder, {.devices_ordered = devices});
  return t;
}

TEST(EsketamineDevicesTest, DeviceOneStartsDosingAndStartIsForOtherRoutes) {
  Timeline t;
  t.rules.device_rest_ms = 5 * 60'000;
  EXPECT_EQ(t.Try(K::kDevice), "no dose before the readiness checklist passes");
  t.Try(K::kReadiness, {.readiness_passed = true});
  EXPECT_EQ(t.Try(K::kDevice), "no dose before a prescriber orders it");
  t.Try(K::kDoseOrder, {.devices_ordered = 2});
  EXPECT_EQ(t.Try(K::kStart), "this dose is given in nasal-spray devices: record device 1 (kind device) to start");
  EXPECT_FALSE(t.Try(K::kDevice));
  EXPECT_EQ(t.progress.phase, P::kDosing);
  EXPECT_EQ(t.progress.started_ms, t.now);
  EXPECT_EQ(t.progress.devices_given, 1);
  EXPECT_EQ(NextDeviceAllowedMs(t.progress, t.rules), t.now + 5 * 60'000);
}

TEST(EsketamineDevicesTest, RestIntervalEdge) {
  Timeline t = EsketamineOrdered(2);
  ASSERT_FALSE(t.Try(K::kDevice));
  const int64_t first = t.now;
  // 4:59 after device 1: refused, naming the rule and the time left.
  EXPECT_EQ(CheckSessionEvent(t.progress, K::kDevice, {}, t.rules, first + 4 * 60'000 + 59'000),
            "device 2 is too soon: the protocol's rest between devices is 5 min (rest_between_devices); 0:01 to go");
  EXPECT_EQ(CheckSessionEvent(t.progress, K::kDevice, {}, t.rules, first + 4 * 60'000 + 59'999),
            "device 2 is too soon: the protocol's rest between devices is 5 min (rest_between_devices); 0:01 to go");
  EXPECT_EQ(CheckSessionEvent(t.progress, K::kDevice, {}, t.rules, first + 60'000),
            "device 2 is too soon: the protocol's rest between devices is 5 min (rest_between_devices); 4:00 to go");
  // 5:00: allowed.
  EXPECT_FALSE(t.Try(K::kDevice, {}, 5 * 60'000));
  EXPECT_EQ(t.progress.devices_given, 2);
  EXPECT_EQ(t.progress.last_device_ms, first + 5 * 60'000);
  EXPECT_FALSE(NextDeviceAllowedMs(t.progress, t.rules)) << "no device is pending";
}

TEST(EsketamineDevicesTest, NoMoreDevicesThanOrdered) {
  Timeline t = EsketamineOrdered(3);
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(t.Try(K::kDevice, {}, 5 * 60'000)) << i;
  EXPECT_EQ(t.Try(K::kDevice, {}, 5 * 60'000),
            "all 3 devices the dose order counts have been given; no more than ordered");
  EXPECT_EQ(t.progress.devices_given, 3);
  EXPECT_FALSE(t.Try(K::kStop));  // a partial administration may stop early too; this one is complete
}

TEST(EsketamineDevicesTest, OtherRefusals) {
  Timeline iv;
  iv.Try(K::kReadiness, {.readiness_passed = true});
  iv.Try(K::kDoseOrder);
  EXPECT_EQ(iv.Try(K::kDevice),
            "devices are recorded only for a dose ordered in nasal-spray devices (the dose order counts none)");
  Timeline t = EsketamineOrdered(2);
  ASSERT_FALSE(t.Try(K::kDevice));
  EXPECT_EQ(CheckSessionEvent(t.progress, K::kDevice, {}, t.rules, t.now - 1), "device 2 cannot be before device 1");
  ASSERT_FALSE(t.Try(K::kPause, {.reason = "nausea"}, 10 * 60'000));
  EXPECT_EQ(t.Try(K::kDevice), "device is not allowed while the session is paused");
  EXPECT_FALSE(NextDeviceAllowedMs(t.progress, SessionRules{})) << "no rest configured";
  ASSERT_FALSE(t.Try(K::kResume));
  ASSERT_FALSE(t.Try(K::kStop));  // partial administration: one of two devices
  EXPECT_EQ(t.Try(K::kDevice), "device is not allowed while the session is recovery");
  // Without a rest in the protocol only the count applies.
  Timeline no_rest = EsketamineOrdered(2);
  no_rest.rules.device_rest_ms.reset();
  EXPECT_FALSE(no_rest.Try(K::kDevice, {}, 0));
  EXPECT_FALSE(no_rest.Try(K::kDevice, {}, 0));
  // A clinic's own rest that is not whole minutes reads as seconds.
  Timeline short_rest = EsketamineOrdered(2);
  short_rest.rules.device_rest_ms = 15'000;
  ASSERT_FALSE(short_rest.Try(K::kDevice));
  EXPECT_EQ(short_rest.Try(K::kDevice, {}, 14'000),
            "device 2 is too soon: the protocol's rest between devices is 15 s (rest_between_devices); 0:01 to go");
}

TEST(SessionStateTest, NamesRoundTrip) {
  for (int k = 0; k <= static_cast<int>(kLastSessionEventKind); ++k) {
    EXPECT_EQ(ParseSessionEventKind(SessionEventKindName(static_cast<K>(k))), static_cast<K>(k));
  }
  EXPECT_FALSE(ParseSessionEventKind("Start"));
}

}  // namespace
}  // namespace ketachart
