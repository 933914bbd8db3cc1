// The schedule through SchedulingService with a real SQLite store: chairs and
// working hours, booking with each conflict rule, a course's series from its
// protocol's quantities booked all or nothing, reschedule and cancel history,
// reminders per slot, the calendar by chair with its read audit, permissions,
// and the append-only tables.
#include "services/scheduling_service.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "services/patient_service.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

// The fixture's clock: Tuesday 2026-03-10 10:00 in Chicago (UTC-5 since 2026-03-08).
class SchedulingServiceTest : public ServiceTest {
 protected:
  SchedulingServiceTest() : schedule_(context()), patients_(context()) {
    clinic_ = AddClinic("NRK");
    admin_ = AddStaff("admin.lee", clinic_, {Role::kAdmin});
    nurse_ = AddStaff("nurse.ada", clinic_, {Role::kNurse});
    nurse2_ = AddStaff("nurse.tom", clinic_, {Role::kNurse});
    desk_ = AddStaff("desk.priya", clinic_, {Role::kFrontDesk});
    therapist_ = AddStaff("therapist.jo", clinic_, {Role::kTherapist});
    auditor_ = AddStaff("auditor.helen", clinic_, {Role::kAuditor});
    chair1_ = Must(schedule_.CreateChair(admin_.actor, {{"name", "Chair 1"}, {"room", "Room A"}}))["id"];
    chair2_ = Must(schedule_.CreateChair(admin_.actor, {{"name", "Chair 2"}, {"room", "Room A"}}))["id"];
    const Json weekdays = {{"start", "08:00"}, {"end", "17:00"}};
    const Json hours = {{"monday", {weekdays}}, {"tuesday", {weekdays}}, {"wednesday", {weekdays}},
                        {"thursday", {weekdays}}, {"friday", {weekdays}}};
    Must(schedule_.SetWorkingHours(admin_.actor, nurse_.id, {{"hours", hours}}));
    Must(schedule_.SetWorkingHours(admin_.actor, nurse2_.id, {{"hours", hours}}));
    patient_ = Register("Okafor", "Adaeze");
    other_patient_ = Register("Lindgren", "Erik");
  }

  int64_t Register(const std::string& family, const std::string& given) {
    return Must(patients_.RegisterPatient(nurse_.actor, {{"family_name", family},
                                                         {"given_names", given},
                                                         {"birth_date", "1984-03-09"},
                                                         {"sex", "female"}}))["id"];
  }

  Json Booking(int64_t patient, int64_t chair, int64_t staff, const std::string& start, int minutes = 60) {
    return {{"patient_id", patient}, {"kind", "dosing"}, {"chair_id", chair}, {"staff_user_id", staff},
            {"start", start},        {"duration_minutes", minutes}};
  }

  // A course row as the course service writes it (state: its last transition).
  int64_t AddCourse(int64_t patient, const std::string& protocol, const std::string& state = "induction") {
    ExecuteScript(fmt::format("INSERT INTO treatment_courses (clinic_id, patient_id, protocol_id, goal, created_at, "
                              "created_by) VALUES ({}, {}, '{}', 'remission', '{}', {})",
                              clinic_, patient, protocol, Now(), admin_.id));
    const int64_t id = CountRows("SELECT MAX(id) FROM treatment_courses");
    ExecuteScript(fmt::format("INSERT INTO course_transitions (clinic_id, course_id, sequence, from_state, to_state, "
                              "reason, protocol_version, at, by_user) VALUES ({}, {}, 1, NULL, '{}', 'test', 1, '{}', "
                              "{})",
                              clinic_, id, state, Now(), admin_.id));
    return id;
  }

  Json Series(const std::string& first, int sessions, int per_week) {
    return {{"first_start", first}, {"sessions", sessions},     {"per_week", per_week},
            {"duration_minutes", 120}, {"chair_id", chair1_}, {"staff_user_id", nurse_.id}};
  }

  SchedulingService schedule_;
  PatientService patients_;
  int64_t clinic_ = 0, chair1_ = 0, chair2_ = 0, patient_ = 0, other_patient_ = 0;
  Staff admin_, nurse_, nurse2_, desk_, therapist_, auditor_;
};

TEST_F(SchedulingServiceTest, BooksInLocalTimeAndStoresUtc) {
  Json a = Must(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair1_, nurse_.id, "2026-03-11T09:00", 90)));
  EXPECT_EQ(a["start"], "2026-03-11T09:00");
  EXPECT_EQ(a["end"], "2026-03-11T10:30");
  EXPECT_EQ(a["starts_at"], "2026-03-11T14:00:00.000Z");
  EXPECT_EQ(a["status"], "booked");
  EXPECT_EQ(a["patient"]["family_name"], "Okafor");
  EXPECT_EQ(a["chair"]["name"], "Chair 1");
  EXPECT_EQ(a["booked_by"], "desk.priya");
  EXPECT_EQ(CountAudit("appointment.book"), 1);
}

TEST_F(SchedulingServiceTest, EachConflictRuleRefusesAndNamesWhatCollides) {
  Must(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair1_, nurse_.id, "2026-03-11T09:00", 120)));
  const int64_t before = CountRows("SELECT COUNT(*) FROM appointments");
  auto chair = schedule_.BookAppointment(desk_.actor, Booking(other_patient_, chair1_, nurse2_.id, "2026-03-11T10:00"));
  ASSERT_TRUE(FailsWith(chair, ErrorCode::kConflict, "chair_id"));
  EXPECT_EQ(chair.error().message, "[chair_double_booked] Chair 1 is booked 2026-03-11 09:00-11:00 for another appointment");
  auto staff = schedule_.BookAppointment(desk_.actor, Booking(other_patient_, chair2_, nurse_.id, "2026-03-11T10:00"));
  ASSERT_TRUE(FailsWith(staff, ErrorCode::kConflict, "staff_user_id"));
  auto patient = schedule_.BookAppointment(desk_.actor, Booking(patient_, chair2_, nurse2_.id, "2026-03-11T10:00"));
  ASSERT_TRUE(FailsWith(patient, ErrorCode::kConflict, "patient_id"));
  auto saturday = schedule_.BookAppointment(desk_.actor, Booking(other_patient_, chair2_, nurse2_.id, "2026-03-14T10:00"));
  ASSERT_TRUE(FailsWith(saturday, ErrorCode::kConflict, "start"));
  EXPECT_NE(saturday.error().message.find("outside_working_hours"), std::string::npos);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appointments"), before);
  // Back to back is fine.
  KC_EXPECT_OK(schedule_.BookAppointment(desk_.actor, Booking(other_patient_, chair1_, nurse_.id, "2026-03-11T11:00")));
}

TEST_F(SchedulingServiceTest, ChairOutOfServiceBlocksBookingUntilBackInService) {
  Must(schedule_.SetChairService(admin_.actor, chair2_, {{"in_service", false}, {"reason", "pump repair"}}));
  auto refused = schedule_.BookAppointment(desk_.actor, Booking(patient_, chair2_, nurse_.id, "2026-03-11T09:00"));
  ASSERT_TRUE(FailsWith(refused, ErrorCode::kConflict, "chair_id"));
  EXPECT_EQ(refused.error().message, "[chair_out_of_service] Chair 2 is out of service");
  EXPECT_TRUE(FailsWith(schedule_.SetChairService(admin_.actor, chair2_, {{"in_service", false}, {"reason", "again"}}),
                        ErrorCode::kConflict, "in_service"));
  Must(schedule_.SetChairService(admin_.actor, chair2_, {{"in_service", true}, {"reason", "repaired"}}));
  KC_EXPECT_OK(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair2_, nurse_.id, "2026-03-11T09:00")));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM chair_status_changes WHERE chair_id = ?", {chair2_}), 3);
}

TEST_F(SchedulingServiceTest, SeriesFollowsTheProtocolAndBooksSixInfusions) {
  const int64_t course = AddCourse(patient_, "iv-racemic-ketamine");
  Json series = Must(schedule_.BookSeries(nurse_.actor, course, Series("2026-03-16T09:00", 6, 3)));
  ASSERT_EQ(series["items"].size(), 6u);
  std::vector<std::string> starts;
  for (const Json& a : series["items"]) starts.push_back(a["start"]);
  EXPECT_EQ(starts, (std::vector<std::string>{"2026-03-16T09:00", "2026-03-18T09:00", "2026-03-20T09:00",
                                              "2026-03-23T09:00", "2026-03-25T09:00", "2026-03-27T09:00"}));
  EXPECT_EQ(series["items"][5]["series_position"], 6);
  EXPECT_EQ(series["items"][0]["course_id"], course);
  EXPECT_EQ(CountAudit("appointment.book"), 6);
}

TEST_F(SchedulingServiceTest, SeriesBeyondTheProtocolNamesTheQuantity) {
  const int64_t course = AddCourse(patient_, "iv-racemic-ketamine");
  auto too_many = schedule_.BookSeries(nurse_.actor, course, Series("2026-03-16T09:00", 7, 3));
  ASSERT_TRUE(FailsWith(too_many, ErrorCode::kInvalidInput, "sessions"));
  EXPECT_EQ(too_many.error().message,
            "must be at most 6 (induction_sessions of protocol iv-racemic-ketamine v1 is 6)");
  auto too_often = schedule_.BookSeries(nurse_.actor, course, Series("2026-03-16T09:00", 6, 4));
  ASSERT_TRUE(FailsWith(too_often, ErrorCode::kInvalidInput, "per_week"));
  EXPECT_EQ(too_often.error().message,
            "must be at most 3 (induction_per_week of protocol iv-racemic-ketamine v1 is 3)");
  const int64_t kap = AddCourse(other_patient_, "kap-oral-sublingual-ketamine");
  EXPECT_TRUE(FailsWith(schedule_.BookSeries(nurse_.actor, kap, Series("2026-03-16T09:00", 9, 2)),
                        ErrorCode::kInvalidInput, "sessions"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appointments"), 0);
}

TEST_F(SchedulingServiceTest, SeriesIsAllOrNothingAndListsEveryConflict) {
  const int64_t course = AddCourse(patient_, "iv-racemic-ketamine");
  Must(schedule_.BookAppointment(desk_.actor, Booking(other_patient_, chair1_, nurse2_.id, "2026-03-18T10:00")));
  Must(schedule_.BookAppointment(desk_.actor, Booking(other_patient_, chair2_, nurse_.id, "2026-03-25T08:30")));
  auto refused = schedule_.BookSeries(nurse_.actor, course, Series("2026-03-16T09:00", 6, 3));
  ASSERT_TRUE(FailsWith(refused, ErrorCode::kConflict, "chair_id"));
  EXPECT_EQ(refused.error().message,
            "the series was not booked: session 2 (2026-03-18T09:00): [chair_double_booked] Chair 1 is booked "
            "2026-03-18 10:00-11:00 for another appointment; session 5 (2026-03-25T09:00): [staff_double_booked] "
            "nurse.ada (test) is booked 2026-03-25 08:30-09:30 for another appointment");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appointments"), 2);
  EXPECT_EQ(CountAudit("appointment.book"), 2);
}

TEST_F(SchedulingServiceTest, DiscontinuedCourseTakesNoSeries) {
  const int64_t course = AddCourse(patient_, "iv-racemic-ketamine", "discontinued");
  EXPECT_TRUE(FailsWith(schedule_.BookSeries(nurse_.actor, course, Series("2026-03-16T09:00", 6, 3)),
                        ErrorCode::kConflict, "course_id"));
  EXPECT_TRUE(FailsWith(schedule_.BookSeries(nurse_.actor, 9999, Series("2026-03-16T09:00", 6, 3)),
                        ErrorCode::kNotFound));
}

TEST_F(SchedulingServiceTest, RescheduleKeepsTheOldSlotAndCancelNeedsAReason) {
  const int64_t id =
      Must(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair1_, nurse_.id, "2026-03-11T09:00")))["id"];
  EXPECT_TRUE(FailsWith(schedule_.Reschedule(desk_.actor, id, {{"start", "2026-03-12T09:00"}}), ErrorCode::kInvalidInput,
                        "reason"));
  Json moved = Must(schedule_.Reschedule(desk_.actor, id,
                                         {{"start", "2026-03-11T09:30"}, {"reason", "patient running late"}}));
  EXPECT_EQ(moved["start"], "2026-03-11T09:30");
  EXPECT_EQ(moved["end"], "2026-03-11T10:30");  // the duration is kept; overlapping its own old slot is fine
  EXPECT_TRUE(FailsWith(schedule_.Cancel(desk_.actor, id, {{"reason", ""}}), ErrorCode::kInvalidInput, "reason"));
  Json cancelled = Must(schedule_.Cancel(desk_.actor, id, {{"reason", "patient unwell"}}));
  EXPECT_EQ(cancelled["status"], "cancelled");
  EXPECT_EQ(cancelled["cancel_reason"], "patient unwell");
  EXPECT_TRUE(FailsWith(schedule_.Cancel(desk_.actor, id, {{"reason", "twice"}}), ErrorCode::kConflict));
  EXPECT_TRUE(FailsWith(schedule_.Reschedule(desk_.actor, id, {{"start", "2026-03-12T09:00"}, {"reason", "x"}}),
                        ErrorCode::kConflict));
  Json read = Must(schedule_.GetAppointment(therapist_.actor, id));
  ASSERT_EQ(read["history"].size(), 3u);
  EXPECT_EQ(read["history"][0]["action"], "book");
  EXPECT_EQ(read["history"][0]["start"], "2026-03-11T09:00");
  EXPECT_EQ(read["history"][1]["action"], "reschedule");
  EXPECT_EQ(read["history"][1]["reason"], "patient running late");
  EXPECT_EQ(read["history"][2]["action"], "cancel");
  EXPECT_EQ(CountAudit("appointment.read"), 1);
  // The cancelled slot no longer blocks.
  KC_EXPECT_OK(schedule_.BookAppointment(desk_.actor, Booking(other_patient_, chair1_, nurse_.id, "2026-03-11T09:30")));
}

TEST_F(SchedulingServiceTest, RemindersListUnsentSlotsAndARescheduleNeedsANewOne) {
  const int64_t soon =
      Must(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair1_, nurse_.id, "2026-03-11T09:00")))["id"];
  Must(schedule_.BookAppointment(desk_.actor, Booking(other_patient_, chair1_, nurse_.id, "2026-03-13T09:00")));
  Json due = Must(schedule_.Reminders(desk_.actor, 48));
  ASSERT_EQ(due["items"].size(), 1u);
  EXPECT_EQ(due["items"][0]["id"], soon);
  Must(schedule_.MarkReminderSent(desk_.actor, soon, {{"channel_note", "phoned, left voicemail"}}));
  EXPECT_TRUE(Must(schedule_.Reminders(desk_.actor, 48))["items"].empty());
  EXPECT_TRUE(FailsWith(schedule_.MarkReminderSent(desk_.actor, soon, {{"channel_note", "again"}}), ErrorCode::kConflict));
  Must(schedule_.Reschedule(desk_.actor, soon, {{"start", "2026-03-11T13:00"}, {"reason", "clinic request"}}));
  EXPECT_EQ(Must(schedule_.Reminders(desk_.actor, 48))["items"].size(), 1u);
  EXPECT_TRUE(FailsWith(schedule_.Reminders(desk_.actor, 0), ErrorCode::kInvalidInput, "within_hours"));
}

TEST_F(SchedulingServiceTest, CalendarShowsEveryChairWithItsDayAndIsAudited) {
  Must(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair2_, nurse_.id, "2026-03-11T09:00")));
  Must(schedule_.BookAppointment(desk_.actor, Booking(other_patient_, chair2_, nurse_.id, "2026-03-12T09:00")));
  Json day = Must(schedule_.Calendar(therapist_.actor, "2026-03-11", 1));
  ASSERT_EQ(day["chairs"].size(), 2u);
  EXPECT_EQ(day["timezone"], "America/Chicago");
  EXPECT_TRUE(day["chairs"][0]["appointments"].empty());
  ASSERT_EQ(day["chairs"][1]["appointments"].size(), 1u);
  EXPECT_EQ(day["chairs"][1]["appointments"][0]["patient"]["given_names"], "Adaeze");
  EXPECT_FALSE(day["chairs"][1]["appointments"][0]["patient"]["mrn"].get<std::string>().empty());
  Json week = Must(schedule_.Calendar(therapist_.actor, "2026-03-09", 7));
  EXPECT_EQ(week["dates"].size(), 7u);
  EXPECT_EQ(week["chairs"][1]["appointments"].size(), 2u);
  const auto events = AuditEvents("schedule.calendar");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].detail, "2026-03-11 +1 day(s), 1 appointment(s)");
  EXPECT_TRUE(FailsWith(schedule_.Calendar(therapist_.actor, "2026-02-30", 1), ErrorCode::kInvalidInput, "date"));
  EXPECT_TRUE(FailsWith(schedule_.Calendar(therapist_.actor, "2026-03-11", 3), ErrorCode::kInvalidInput, "days"));
}

TEST_F(SchedulingServiceTest, PermissionsAreCheckedFirst) {
  EXPECT_TRUE(FailsWith(schedule_.Calendar(auditor_.actor, "2026-03-11", 1), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(schedule_.BookAppointment(therapist_.actor, Booking(patient_, chair1_, nurse_.id,
                                                                           "2026-03-11T09:00")),
                        ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(schedule_.CreateChair(desk_.actor, {{"name", "Chair 9"}, {"room", "B"}}), ErrorCode::kForbidden));
  EXPECT_GE(CountAudit("schedule.calendar", "denied"), 1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appointments"), 0);
}

TEST_F(SchedulingServiceTest, BadInputNamesTheFieldAndChangesNothing) {
  EXPECT_TRUE(FailsWith(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair1_, nurse_.id, "2026-03-11 09:00")),
                        ErrorCode::kInvalidInput, "start"));
  EXPECT_TRUE(FailsWith(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair1_, nurse_.id, "2026-03-09T09:00")),
                        ErrorCode::kInvalidInput, "start"));  // in the past
  EXPECT_TRUE(FailsWith(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair1_, desk_.id, "2026-03-11T09:00")),
                        ErrorCode::kInvalidInput, "staff_user_id"));
  EXPECT_TRUE(FailsWith(schedule_.BookAppointment(desk_.actor, Booking(patient_, 999, nurse_.id, "2026-03-11T09:00")),
                        ErrorCode::kInvalidInput, "chair_id"));
  EXPECT_TRUE(FailsWith(schedule_.BookAppointment(desk_.actor, Booking(99999, chair1_, nurse_.id, "2026-03-11T09:00")),
                        ErrorCode::kInvalidInput, "patient_id"));
  Json bad_kind = Booking(patient_, chair1_, nurse_.id, "2026-03-11T09:00");
  bad_kind["kind"] = "massage";
  EXPECT_TRUE(FailsWith(schedule_.BookAppointment(desk_.actor, bad_kind), ErrorCode::kInvalidInput, "kind"));
  EXPECT_TRUE(FailsWith(schedule_.SetWorkingHours(admin_.actor, nurse_.id,
                                                  {{"hours", {{"monday", {{{"start", "17:00"}, {"end", "08:00"}}}}}}}),
                        ErrorCode::kInvalidInput, "hours.monday[0].end"));
  EXPECT_TRUE(FailsWith(schedule_.SetWorkingHours(admin_.actor, nurse_.id, {{"hours", {{"funday", Json::array()}}}}),
                        ErrorCode::kInvalidInput, "hours.funday"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appointments"), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM staff_working_hours"), 2);
}

TEST_F(SchedulingServiceTest, WorkingHoursAreVersionedAndApplyToTheNextBooking) {
  Json current = Must(schedule_.WorkingHours(desk_.actor, nurse_.id));
  EXPECT_EQ(current["version"], 1);
  EXPECT_EQ(current["hours"]["monday"][0]["start"], "08:00");
  Must(schedule_.SetWorkingHours(admin_.actor, nurse_.id,
                                 {{"hours", {{"wednesday", {{{"start", "12:00"}, {"end", "18:00"}}}}}},
                                  {"reason", "part-time from March"}}));
  EXPECT_EQ(Must(schedule_.WorkingHours(desk_.actor, nurse_.id))["version"], 2);
  EXPECT_TRUE(FailsWith(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair1_, nurse_.id, "2026-03-11T09:00")),
                        ErrorCode::kConflict, "start"));
  KC_EXPECT_OK(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair1_, nurse_.id, "2026-03-11T12:00")));
  Json staff = Must(schedule_.ListStaff(desk_.actor));
  EXPECT_EQ(staff["items"].size(), 3u);  // two nurses and the therapist; not the desk, admin or auditor
}

TEST_F(SchedulingServiceTest, ScheduleTablesAreAppendOnly) {
  Must(schedule_.BookAppointment(desk_.actor, Booking(patient_, chair1_, nurse_.id, "2026-03-11T09:00")));
  for (const char* sql : {"UPDATE appointment_events SET starts_at = '2026-03-12T14:00:00.000Z'",
                          "DELETE FROM appointments", "UPDATE chairs SET name = 'x'", "DELETE FROM chair_status_changes",
                          "UPDATE staff_working_hours SET hours = '{}'"}) {
    auto status = database().Run(TransactionMode::kReadWrite, [&](Transaction& txn) { return txn.ExecuteScript(sql); });
    EXPECT_FALSE(status.ok()) << sql;
  }
}

}  // namespace
}  // namespace ketachart
