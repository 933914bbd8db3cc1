// An intranasal esketamine session through the services with a fake clock:
// REMS enrolment gates the checklist, the order counts 28 mg devices, the
// 2-hour observation holds discharge back, and the Patient Monitoring Form
// is pre-filled from the session, refused with fields open, submitted once
// (a correction amends it), and tracked against its 7-day deadline.
#include "services/rems_service.h"

#include <gtest/gtest.h>

#include "services/consent_service.h"
#include "services/course_service.h"
#include "services/eligibility_service.h"
#include "services/intake_service.h"
#include "services/patient_service.h"
#include "services/session_service.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

constexpr const char* kEsketamine = "intranasal-esketamine";
constexpr const char* kPng =
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5E"
    "rkJggg==";

class RemsServiceTest : public ServiceTest {
 protected:
  RemsServiceTest()
      : patients_(context()), intakes_(context()), eligibility_(context()), consents_(context()),
        courses_(context()), sessions_(context()), rems_(context()) {
    clinic_ = AddClinic("NRK");
    prescriber_ = AddStaff("dr.okoro", clinic_, {Role::kPrescriber});
    nurse_ = AddStaff("nurse.ada", clinic_, {Role::kNurse});
    admin_ = AddStaff("admin.lee", clinic_, {Role::kAdmin});
    patient_ = Must(patients_.RegisterPatient(nurse_.actor, {{"family_name", "Okafor"},
                                                             {"given_names", "Adaeze"},
                                                             {"birth_date", "1984-03-09"},
                                                             {"sex", "female"}}))["id"];
    Must(patients_.RecordMeasurement(nurse_.actor, patient_,
                                     {{"kind", "weight"}, {"weight_kg", 64}, {"measured_on", "2026-03-10"}}));
    Json intake = {{"age_years", 41},
                   {"weight_kg", 64},
                   {"medications", {{{"name", "lorazepam 1 mg"}, {"classes", {"benzodiazepine"}},
                                     {"diazepam_equivalent_mg_per_day", 10}}}},
                   {"vitals", {{"systolic_mmhg", 124}, {"diastolic_mmhg", 78}}}};
    Must(intakes_.RecordIntake(nurse_.actor, patient_, {{"intake", intake}}));
    Json decision = Must(eligibility_.Evaluate(nurse_.actor, patient_, {{"protocol_id", kEsketamine}}));
    for (const Json& finding : decision["findings"]) {
      if (finding["severity"] == "warning") {
        Must(eligibility_.OverrideWarning(prescriber_.actor, decision["id"],
                                          {{"rule_id", finding["rule_id"]}, {"reason", "reviewed"}}));
      }
    }
    const int64_t document = Must(consents_.PublishDocument(admin_.actor, {{"protocol_id", kEsketamine},
                                                                           {"title", "Consent to esketamine"},
                                                                           {"body", "..."},
                                                                           {"valid_for_days", 365},
                                                                           {"change_reason", "first"}}))["id"];
    Must(consents_.RecordConsent(nurse_.actor, patient_, {{"document_id", document}, {"signed_name", "A. Okafor"},
                                                          {"signature_png", kPng}, {"signed_on", "2026-03-10"},
                                                          {"witness_name", "Ada"}}));
    course_ = Must(courses_.OpenCourse(prescriber_.actor, patient_, {{"protocol_id", kEsketamine}}))["id"];
    Must(courses_.Transition(prescriber_.actor, course_, {{"to", "induction"}}));
  }

  Json Ready() {
    return Json{{"fasting_confirmed", true}, {"escort_name", "Sam"}, {"held_medications_confirmed", true},
                {"pregnancy_test", "negative"},
                {"vitals", {{"systolic_mmhg", 128}, {"diastolic_mmhg", 84}, {"heart_rate_bpm", 70}}}};
  }
  Json Event(const std::string& kind, Json extra = Json::object()) {
    extra["kind"] = kind;
    return extra;
  }

  // A dosed esketamine session (two devices), observed for the protocol's 2 hours and discharged.
  int64_t DosedAndDischarged() {
    const int64_t id = Must(sessions_.CheckIn(nurse_.actor, {{"course_id", course_}, {"chair", "Room 2"}}))["id"];
    Must(sessions_.RecordReadiness(nurse_.actor, id, Ready()));
    Must(sessions_.OrderDose(prescriber_.actor, id, {{"dose_mg", 56}}));
    Must(sessions_.RecordEvent(nurse_.actor, id, Event("device")));
    clock().Advance(std::chrono::minutes(5));
    Must(sessions_.RecordEvent(nurse_.actor, id, Event("device")));
    Must(sessions_.RecordEvent(nurse_.actor, id, Event("stop")));
    Must(sessions_.RecordEvent(nurse_.actor, id, Event("vitals", {{"systolic_mmhg", 130}, {"spo2_percent", 97}})));
    clock().Advance(std::chrono::minutes(120));
    Must(sessions_.RecordEvent(nurse_.actor, id, Event("ready_for_discharge")));
    Must(sessions_.RecordEvent(nurse_.actor, id, Event("discharge", {{"instructions_given", true}})));
    clock().Advance(std::chrono::hours(24));
    return id;
  }
  static std::vector<int64_t> SessionIds(const Json& page) {
    std::vector<int64_t> ids;
    for (const Json& item : page["items"]) ids.push_back(item["session"]["id"].get<int64_t>());
    return ids;
  }

  PatientService patients_;
  IntakeService intakes_;
  EligibilityService eligibility_;
  ConsentService consents_;
  CourseService courses_;
  SessionService sessions_;
  RemsService rems_;
  int64_t clinic_ = 0, patient_ = 0, course_ = 0;
  Staff prescriber_, nurse_, admin_;
};

TEST_F(RemsServiceTest, AnEsketamineSessionFromEnrolmentToASubmittedMonitoringForm) {
  const int64_t id = Must(sessions_.CheckIn(nurse_.actor, {{"course_id", course_}, {"chair", "Room 2"}}))["id"];
  Json readiness = Must(sessions_.RecordReadiness(nurse_.actor, id, Ready()))["readiness"];
  EXPECT_FALSE(readiness["passed"].get<bool>());
  bool rems_item = false;
  for (const Json& item : readiness["items"]) {
    if (item["id"] == "rems_enrolment") {
      rems_item = true;
      EXPECT_EQ(item["message"], "the patient is not enrolled in the REMS programme (required before the first dose)");
    }
  }
  EXPECT_TRUE(rems_item);
  EXPECT_TRUE(FailsWith(rems_.RecordEnrolment(nurse_.actor, patient_, {{"status", "enrolled"},
                                                                       {"effective_on", "2026-03-10"}}),
                        ErrorCode::kInvalidInput, "rems_patient_id"));
  Must(rems_.RecordEnrolment(nurse_.actor, patient_,
                             {{"status", "enrolled"}, {"rems_patient_id", "RP-1234"}, {"effective_on", "2026-03-10"}}));
  EXPECT_TRUE(Must(sessions_.RecordReadiness(nurse_.actor, id, Ready()))["readiness"]["passed"].get<bool>());

  EXPECT_TRUE(FailsWith(sessions_.OrderDose(prescriber_.actor, id, {{"dose_mg", 112}}), ErrorCode::kInvalidInput));
  Json order = Must(sessions_.OrderDose(prescriber_.actor, id, {{"dose_mg", 56}}))["dose_order"];
  EXPECT_EQ(order["devices"], 2);
  EXPECT_EQ(order["rest_between_devices_min"], 5);

  // Two devices 5 min apart (rest_between_devices); device 1 starts dosing.
  Must(sessions_.RecordEvent(nurse_.actor, id, Event("device")));
  clock().Advance(std::chrono::minutes(4) + std::chrono::seconds(59));
  auto soon = sessions_.RecordEvent(nurse_.actor, id, Event("device"));
  ASSERT_TRUE(FailsWith(soon, ErrorCode::kConflict, "kind"));
  EXPECT_EQ(soon.error().message,
            "device 2 is too soon: the protocol's rest between devices is 5 min (rest_between_devices); 0:01 to go");
  clock().Advance(std::chrono::seconds(1));
  Json dosing = Must(sessions_.RecordEvent(nurse_.actor, id, Event("device")));
  EXPECT_EQ(dosing["devices"]["given"], 2);
  EXPECT_EQ(dosing["next_due"], "vitals");
  Must(sessions_.RecordEvent(nurse_.actor, id, Event("score", {{"instrument", "moaas"}, {"answers", {4}}})));
  clock().Advance(std::chrono::minutes(35));
  Must(sessions_.RecordEvent(nurse_.actor, id, Event("vitals", {{"systolic_mmhg", 148}, {"spo2_percent", 95}})));
  Must(sessions_.RecordEvent(nurse_.actor, id, Event("stop")));
  Must(sessions_.RecordEvent(nurse_.actor, id, Event("vitals", {{"systolic_mmhg", 132}, {"spo2_percent", 97}})));
  auto early = sessions_.RecordEvent(nurse_.actor, id, Event("ready_for_discharge"));
  ASSERT_TRUE(FailsWith(early, ErrorCode::kConflict, "kind"));
  EXPECT_EQ(early.error().message,
            "observation must last at least 120 min after dosing starts (observation_min_discharge); 80 min to go");

  // The form is open and pre-filled while the session runs; it cannot be submitted yet.
  Json form = Must(rems_.GetForm(nurse_.actor, id));
  EXPECT_EQ(form["status"], "open");
  EXPECT_EQ(form["due_on"], "2026-03-17");
  auto value = [&](const Json& f, const std::string& field) {
    for (const Json& entry : f["fields"]) {
      if (entry["id"] == field) return entry["value"];
    }
    return Json("missing");
  };
  EXPECT_EQ(value(form, "concomitant_benzodiazepines"), true);
  EXPECT_EQ(value(form, "dose"), "56 mg");
  EXPECT_EQ(value(form, "sedation"), true);
  EXPECT_EQ(value(form, "respiratory_depression"), false);
  EXPECT_EQ(value(form, "vitals_acceptable_before_dosing"), true);
  EXPECT_TRUE(FailsWith(rems_.SubmitForm(nurse_.actor, id, {{"submitted_on", "2026-03-10"}, {"confirmation", "X"}}),
                        ErrorCode::kConflict));

  clock().Advance(std::chrono::minutes(80));
  Must(sessions_.RecordEvent(nurse_.actor, id, Event("ready_for_discharge")));
  clock().Advance(std::chrono::minutes(5));
  Must(sessions_.RecordEvent(nurse_.actor, id, Event("discharge", {{"instructions_given", true}})));
  form = Must(rems_.GetForm(nurse_.actor, id));
  EXPECT_EQ(value(form, "total_minutes"), 125);
  EXPECT_EQ(value(form, "ready_to_leave_minutes"), 120);

  Json tracker = Must(rems_.Tracker(nurse_.actor, RemsService::TrackerFilter::kOpen));
  ASSERT_EQ(tracker["items"].size(), 1u);
  EXPECT_EQ(tracker["items"][0]["days_left"], 7);
  EXPECT_EQ(tracker["items"][0]["enrolled"], true);
  EXPECT_TRUE(tracker["items"][0]["submitted_on"].is_null());
  EXPECT_TRUE(Must(rems_.Tracker(nurse_.actor, RemsService::TrackerFilter::kOverdue))["items"].empty());
  clock().Advance(std::chrono::hours(24 * 8));
  EXPECT_EQ(Must(rems_.Tracker(nurse_.actor, RemsService::TrackerFilter::kOverdue))["items"][0]["status"], "overdue");

  // Fields the session could not answer must be answered; then it is submitted once.
  auto open = rems_.SubmitForm(nurse_.actor, id, {{"submitted_on", "2026-03-18"}, {"confirmation", "PMF-77"}});
  ASSERT_TRUE(FailsWith(open, ErrorCode::kInvalidInput, "answers.lot_number"));
  EXPECT_EQ(open.error().message,
            "the form cannot be submitted with fields unanswered: lot_number, vitals_acceptable_at_completion, "
            "dissociation");
  EXPECT_TRUE(FailsWith(rems_.SubmitForm(nurse_.actor, id, {{"answers", {{"colour", "blue"}}},
                                                           {"submitted_on", "2026-03-18"}, {"confirmation", "x"}}),
                        ErrorCode::kInvalidInput, "answers.colour"));
  const Json answers = {{"lot_number", "ESK-001"}, {"vitals_acceptable_at_completion", true}, {"dissociation", false}};
  Json submitted = Must(rems_.SubmitForm(nurse_.actor, id, {{"answers", answers}, {"submitted_on", "2026-03-18"},
                                                            {"confirmation", "PMF-77"}}));
  EXPECT_EQ(submitted["status"], "submitted");
  EXPECT_TRUE(FailsWith(rems_.SubmitForm(nurse_.actor, id, {{"answers", answers}, {"submitted_on", "2026-03-18"},
                                                           {"confirmation", "PMF-78"}}),
                        ErrorCode::kConflict, "amends_id"));
  // A correction names the submission it amends and says why; without a reason nothing is stored.
  const Json correction = {{"answers", {{"lot_number", "ESK-002"}}}, {"submitted_on", "2026-03-18"},
                           {"confirmation", "PMF-78"}, {"amends_id", submitted["submissions"][0]["id"]}};
  Json no_reason = correction;
  no_reason["reason"] = "  ";
  EXPECT_TRUE(FailsWith(rems_.SubmitForm(nurse_.actor, id, correction), ErrorCode::kInvalidInput, "reason"));
  EXPECT_TRUE(FailsWith(rems_.SubmitForm(nurse_.actor, id, no_reason), ErrorCode::kInvalidInput, "reason"));
  EXPECT_EQ(Must(rems_.GetForm(nurse_.actor, id))["submissions"].size(), 1u);
  Json with_reason = correction;
  with_reason["reason"] = "lot number misread from the carton";
  Json amended = Must(rems_.SubmitForm(nurse_.actor, id, with_reason));
  EXPECT_EQ(amended["submissions"].size(), 2u);
  EXPECT_EQ(amended["submissions"][1]["answers"]["lot_number"], "ESK-002");
  EXPECT_EQ(amended["submissions"][1]["reason"], "lot number misread from the carton");
  EXPECT_EQ(amended["submissions"][0]["reason"], "");
  EXPECT_TRUE(Must(rems_.Tracker(nurse_.actor, RemsService::TrackerFilter::kOpen))["items"].empty());
  // The whole tracker still lists it, submitted, with the latest submission's date.
  Json all = Must(rems_.Tracker(nurse_.actor, RemsService::TrackerFilter::kAll));
  ASSERT_EQ(all["items"].size(), 1u);
  EXPECT_EQ(all["items"][0]["status"], "submitted");
  EXPECT_EQ(all["items"][0]["submitted_on"], "2026-03-18");

  TabularReport report = Must(rems_.FormReport(nurse_.actor, id));
  EXPECT_EQ(report.rows.size(), 14u);
  EXPECT_EQ(report.rows[5][1], "ESK-002");
  EXPECT_EQ(report.heading_lines.back(), "Correction of submission #" +
                                             std::to_string(submitted["submissions"][0]["id"].get<int64_t>()) +
                                             ": lot number misread from the carton");
  EXPECT_EQ(CountAudit("rems.form_submit", "success"), 2);
}

TEST_F(RemsServiceTest, TheTrackerPagesBeyondOnePage) {
  using F = RemsService::TrackerFilter;
  Must(rems_.RecordEnrolment(nurse_.actor, patient_,
                             {{"status", "enrolled"}, {"rems_patient_id", "RP-9"}, {"effective_on", "2026-03-01"}}));
  const int64_t a = DosedAndDischarged(), b = DosedAndDischarged(), c = DosedAndDischarged();
  // A checked-in session without a dose has no form and is never listed.
  Must(sessions_.CheckIn(nurse_.actor, {{"course_id", course_}, {"chair", "Room 2"}}));

  // Forms due: oldest session first, two to a page; the third is on page 2.
  Json first = Must(rems_.Tracker(nurse_.actor, F::kOpen, {2, ""}));
  EXPECT_EQ(SessionIds(first), (std::vector<int64_t>{a, b}));
  ASSERT_TRUE(first["next_cursor"].is_string());
  Json second = Must(rems_.Tracker(nurse_.actor, F::kOpen, {2, first["next_cursor"].get<std::string>()}));
  EXPECT_EQ(SessionIds(second), (std::vector<int64_t>{c}));
  EXPECT_TRUE(second["next_cursor"].is_null());
  // Exactly a page: no next page.
  EXPECT_TRUE(Must(rems_.Tracker(nurse_.actor, F::kOpen, {3, ""}))["next_cursor"].is_null());
  // The whole tracker: latest first, one to a page.
  std::vector<int64_t> all;
  std::string cursor;
  for (int pages = 0; pages < 5; ++pages) {
    Json page = Must(rems_.Tracker(nurse_.actor, F::kAll, {1, cursor}));
    for (int64_t id : SessionIds(page)) all.push_back(id);
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(all, (std::vector<int64_t>{c, b, a}));
  EXPECT_TRUE(Must(rems_.Tracker(nurse_.actor, F::kSubmitted, {50, ""}))["items"].empty());

  // Sessions examined per call are bounded: with a budget of one, a narrow filter gives
  // empty pages whose cursor still leads on, and every overdue form is reached.
  clock().Advance(std::chrono::hours(24 * 10));
  std::vector<int64_t> overdue;
  cursor.clear();
  int calls = 0;
  for (; calls < 10; ++calls) {
    Json page = Must(rems_.Tracker(nurse_.actor, F::kOverdue, {2, cursor}, /*scan_budget=*/1));
    EXPECT_LE(page["items"].size(), 1u);
    for (int64_t id : SessionIds(page)) overdue.push_back(id);
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(overdue, (std::vector<int64_t>{a, b, c}));
  EXPECT_EQ(calls, 2);

  EXPECT_TRUE(FailsWith(rems_.Tracker(nurse_.actor, F::kOpen, {0, ""}), ErrorCode::kInvalidInput, "limit"));
  EXPECT_TRUE(FailsWith(rems_.Tracker(nurse_.actor, F::kOpen, {201, ""}), ErrorCode::kInvalidInput, "limit"));
  EXPECT_TRUE(FailsWith(rems_.Tracker(nurse_.actor, F::kOpen, {2, "x"}), ErrorCode::kInvalidInput, "cursor"));
  EXPECT_TRUE(FailsWith(rems_.Tracker(nurse_.actor, F::kOpen, {2, "-3"}), ErrorCode::kInvalidInput, "cursor"));
}

TEST_F(RemsServiceTest, AnEndedEnrolmentFailsTheChecklistWithItsDate) {
  Must(rems_.RecordEnrolment(nurse_.actor, patient_,
                             {{"status", "enrolled"}, {"rems_patient_id", "RP-1"}, {"effective_on", "2026-01-02"}}));
  Must(rems_.RecordEnrolment(nurse_.actor, patient_, {{"status", "not_enrolled"}, {"effective_on", "2026-03-01"}}));
  const int64_t id = Must(sessions_.CheckIn(nurse_.actor, {{"course_id", course_}, {"chair", "Room 2"}}))["id"];
  Json readiness = Must(sessions_.RecordReadiness(nurse_.actor, id, Ready()))["readiness"];
  for (const Json& item : readiness["items"]) {
    if (item["id"] == "rems_enrolment") EXPECT_EQ(item["message"], "the patient's REMS enrolment ended on 2026-03-01");
  }
  EXPECT_EQ(Must(rems_.GetEnrolment(prescriber_.actor, patient_))["history"].size(), 2u);
}

}  // namespace
}  // namespace ketachart
