// Measure schedules in the chart: each kind computed from the FakeClock, the
// patient's dosing sessions and the measures entered; the clinic's overdue
// list; stopping as an appended row; bad input writing nothing; permissions,
// clinic isolation and audit; the responsible clinician and "my" alerts.
#include "services/measure_schedule_service.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "services/measure_service.h"
#include "services/patient_service.h"
#include "services/responsible_clinician_service.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

// The fixture's clock: 2026-03-10T15:00Z, 10:00 in the clinic (America/Chicago, CDT).
class MeasureScheduleServiceTest : public ServiceTest {
 protected:
  MeasureScheduleServiceTest()
      : schedules_(context()), measures_(context()), patients_(context()), clinicians_(context()) {
    north_ = AddClinic("NRK");
    harbor_ = AddClinic("HMC");
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
    prescriber_ = AddStaff("dr.chen", north_, {Role::kPrescriber});
    desk_ = AddStaff("desk.priya", north_, {Role::kFrontDesk});
    harbor_nurse_ = AddStaff("nurse.tomasz", harbor_, {Role::kNurse});
    patient_ = Register("Okafor", "Adaeze");
    other_ = Register("Lindqvist", "Maja");
  }

  int64_t Register(const std::string& family, const std::string& given) {
    return Must(patients_.RegisterPatient(nurse_.actor, {{"family_name", family},
                                                         {"given_names", given},
                                                         {"birth_date", "1984-03-09"},
                                                         {"sex", "female"}}))["id"]
        .get<int64_t>();
  }

  // A dosing session whose dosing began at `start` (written directly: the
  // session service's gates are tested elsewhere).
  void AddStartedSession(int64_t patient, const std::string& start) {
    if (course_.count(patient) == 0) {
      ExecuteScript(fmt::format("INSERT INTO treatment_courses (clinic_id, patient_id, protocol_id, goal, created_at, "
                                "created_by) VALUES ({}, {}, 'iv-racemic', 'test', '{}', {})",
                                north_, patient, Now(), nurse_.id));
      course_[patient] = Query("SELECT MAX(id) FROM treatment_courses").at(0).Int(0);
    }
    ExecuteScript(fmt::format("INSERT INTO dosing_sessions (clinic_id, patient_id, course_id, protocol_id, "
                              "protocol_version, chair, checked_in_at, checked_in_by) VALUES ({}, {}, {}, "
                              "'iv-racemic', 1, 'Chair 1', '{}', {})",
                              north_, patient, course_[patient], start, nurse_.id));
    const int64_t session = Query("SELECT MAX(id) FROM dosing_sessions").at(0).Int(0);
    ExecuteScript(fmt::format("INSERT INTO session_events (clinic_id, session_id, sequence, kind, occurred_at, data, "
                              "recorded_at, recorded_by) VALUES ({}, {}, 1, 'start', '{}', '{{}}', '{}', {})",
                              north_, session, start, start, nurse_.id));
  }

  Json Schedule(const Json& body, int64_t patient = 0) {
    return Must(schedules_.CreateSchedule(nurse_.actor, patient ? patient : patient_, body), "create schedule");
  }
  void Phq9(const std::string& at, int64_t patient = 0) {
    Must(measures_.RecordMeasure(nurse_.actor, patient ? patient : patient_,
                                 {{"instrument", "phq9"}, {"answers", {1, 1, 1, 1, 1, 1, 1, 1, 0}},
                                  {"administered_at", at}}));
  }
  Json Due(int64_t patient = 0) { return Must(schedules_.DueMeasures(nurse_.actor, patient ? patient : patient_)); }

  MeasureScheduleService schedules_;
  MeasureService measures_;
  PatientService patients_;
  ResponsibleClinicianService clinicians_;
  int64_t north_ = 0, harbor_ = 0, patient_ = 0, other_ = 0;
  std::map<int64_t, int64_t> course_;
  Staff nurse_, prescriber_, desk_, harbor_nurse_;
};

TEST_F(MeasureScheduleServiceTest, EveryNDaysFallsDueAndTurnsOverdue) {
  Json created = Schedule({{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 14},
                           {"start_date", "2026-02-20"}, {"note", "fortnightly"}});
  EXPECT_EQ(created["status"], "active");
  EXPECT_EQ(created["created_by"], "nurse.ada");
  ASSERT_EQ(created["due"].size(), 2u);
  EXPECT_EQ(created["due"][0]["due_on"], "2026-03-06");
  EXPECT_EQ(created["due"][0]["status"], "overdue");
  EXPECT_EQ(created["due"][0]["days_overdue"], 4);
  EXPECT_EQ(created["due"][0]["rule"], "every 14 days from 2026-02-20");
  EXPECT_EQ(created["due"][1]["due_on"], "2026-03-20");
  EXPECT_EQ(created["due"][1]["status"], "due");

  Json overdue = Must(schedules_.ListOverdue(nurse_.actor, {}));
  ASSERT_EQ(overdue["items"].size(), 1u);
  EXPECT_EQ(overdue["items"][0]["patient"]["family_name"], "Okafor");
  EXPECT_FALSE(overdue["items"][0]["patient"]["mrn"].get<std::string>().empty());
  EXPECT_EQ(overdue["items"][0]["instrument"], "phq9");
  EXPECT_EQ(overdue["items"][0]["days_overdue"], 4);

  // Entering the measure (late) clears it at once.
  Phq9("2026-03-10T14:00:00Z");
  EXPECT_EQ(Due()["items"][0]["status"], "completed");
  EXPECT_TRUE(Must(schedules_.ListOverdue(nurse_.actor, {}))["items"].empty());
  EXPECT_EQ(CountAudit("measure_schedule.create", "success"), 1);
  EXPECT_EQ(CountAudit("measure_overdue.list", "success"), 2);
  EXPECT_EQ(CountAudit("measure_due.read", "success"), 1);
}

TEST_F(MeasureScheduleServiceTest, SessionKindsFollowTheDosingSessions) {
  AddStartedSession(patient_, "2026-03-03T14:00:00.000Z");
  AddStartedSession(patient_, "2026-03-06T14:00:00.000Z");
  Schedule({{"instrument", "gad7"}, {"kind", "before_each_session"}, {"start_date", "2026-03-01"}});
  Schedule({{"instrument", "phq9"}, {"kind", "n_days_after_each_session"}, {"interval_days", 2},
            {"start_date", "2026-03-01"}});
  Json due = Due();
  ASSERT_EQ(due["items"].size(), 2u) << due.dump();
  EXPECT_EQ(due["today"], "2026-03-10");
  // Sorted by due date: the GAD-7 before the 03-06 session, then PHQ-9 two days after it.
  EXPECT_EQ(due["items"][0]["instrument"], "gad7");
  EXPECT_EQ(due["items"][0]["due_on"], "2026-03-06");
  EXPECT_EQ(due["items"][0]["due_at"], "2026-03-06T14:00:00.000Z");
  EXPECT_EQ(due["items"][0]["days_overdue"], 4);
  EXPECT_EQ(due["items"][1]["instrument"], "phq9");
  EXPECT_EQ(due["items"][1]["due_on"], "2026-03-08");
  EXPECT_EQ(due["items"][1]["rule"], "2 days after the session on 2026-03-06");
  EXPECT_EQ(due["items"][1]["status"], "overdue");
  // A PHQ-9 before the 03-06 session does not satisfy "after it"; one after does.
  Phq9("2026-03-06T13:00:00Z");
  EXPECT_EQ(Due()["items"][1]["status"], "overdue");
  Phq9("2026-03-07T13:00:00Z");
  EXPECT_EQ(Due()["items"][1]["status"], "completed");

  Json starts = Must(schedules_.SessionStarts(nurse_.actor, patient_, {500, ""}));
  ASSERT_EQ(starts["items"].size(), 2u);
  EXPECT_EQ(starts["items"][0]["started_at"], "2026-03-03T14:00:00.000Z");
  EXPECT_EQ(CountAudit("session_start.list", "success"), 1);
}

TEST_F(MeasureScheduleServiceTest, ResetOnTreatmentRestartsTheClockAtTheLatestSession) {
  AddStartedSession(patient_, "2026-03-05T14:00:00.000Z");
  Json created = Schedule({{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 7},
                           {"reset_on_treatment", true}, {"start_date", "2026-02-20"}});
  ASSERT_EQ(created["due"].size(), 1u);
  EXPECT_EQ(created["due"][0]["due_on"], "2026-03-12");
  EXPECT_EQ(created["due"][0]["status"], "due");
  EXPECT_EQ(created["due"][0]["rule"], "every 7 days since the session on 2026-03-05");
}

TEST_F(MeasureScheduleServiceTest, StoppingAppendsARowAndEndsTheDueItems) {
  const int64_t id = Schedule({{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 7},
                               {"start_date", "2026-03-01"}})["id"]
                         .get<int64_t>();
  EXPECT_TRUE(FailsWith(schedules_.CreateSchedule(nurse_.actor, patient_, {{"instrument", "phq9"},
                                                                          {"kind", "every_n_days"},
                                                                          {"interval_days", 28}}),
                        ErrorCode::kConflict));
  EXPECT_TRUE(FailsWith(schedules_.StopSchedule(nurse_.actor, id, {{"reason", ""}}), ErrorCode::kInvalidInput,
                        "reason"));
  Json stopped = Must(schedules_.StopSchedule(nurse_.actor, id, {{"reason", "course finished"}}));
  EXPECT_EQ(stopped["status"], "stopped");
  EXPECT_EQ(stopped["stopped"]["reason"], "course finished");
  EXPECT_EQ(stopped["stopped"]["by"], "nurse.ada");
  EXPECT_TRUE(FailsWith(schedules_.StopSchedule(nurse_.actor, id, {{"reason", "again"}}), ErrorCode::kConflict));
  EXPECT_TRUE(Due()["items"].empty());
  Json list = Must(schedules_.ListSchedules(nurse_.actor, patient_, {}));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["status"], "stopped");
  // A new schedule of the same kind may follow the stopped one.
  Schedule({{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 28}});
  for (const char* sql : {"UPDATE measure_schedules SET interval_days = 1", "DELETE FROM measure_schedules",
                          "DELETE FROM measure_schedule_stops", "UPDATE measure_schedule_stops SET reason = 'x'"}) {
    auto status = database().Run(TransactionMode::kReadWrite,
                                 [&](Transaction& txn) { return txn.Execute(sql).status(); });
    EXPECT_FALSE(status.ok()) << sql;
  }
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM measure_schedules"), 2);
  EXPECT_EQ(CountAudit("measure_schedule.stop", "success"), 1);
}

TEST_F(MeasureScheduleServiceTest, BadInputNamesTheFieldAndWritesNothing) {
  auto fails = [&](const Json& body, const std::string& field) {
    EXPECT_TRUE(FailsWith(schedules_.CreateSchedule(nurse_.actor, patient_, body), ErrorCode::kInvalidInput, field))
        << body.dump();
  };
  fails({{"instrument", "phq10"}, {"kind", "every_n_days"}, {"interval_days", 7}}, "instrument");
  fails({{"instrument", "phq9"}, {"kind", "weekly"}}, "kind");
  fails({{"instrument", "phq9"}, {"kind", "every_n_days"}}, "interval_days");
  fails({{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 0}}, "interval_days");
  fails({{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 366}}, "interval_days");
  fails({{"instrument", "phq9"}, {"kind", "before_each_session"}, {"interval_days", 7}}, "interval_days");
  fails({{"instrument", "phq9"}, {"kind", "n_days_after_each_session"}, {"interval_days", 7},
         {"reset_on_treatment", true}},
        "reset_on_treatment");
  fails({{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 7}, {"start_date", "2026-02-30"}},
        "start_date");
  fails({{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 7}, {"start_date", "2024-01-01"}},
        "start_date");
  fails({{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 7}, {"colour", "red"}}, "colour");
  EXPECT_TRUE(FailsWith(schedules_.ListOverdue(nurse_.actor, {0, ""}), ErrorCode::kInvalidInput, "limit"));
  EXPECT_TRUE(FailsWith(schedules_.ListOverdue(nurse_.actor, {50, "x"}), ErrorCode::kInvalidInput, "cursor"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM measure_schedules"), 0);
  EXPECT_EQ(CountAudit("measure_schedule.create"), 0);
}

TEST_F(MeasureScheduleServiceTest, PermissionsAndClinicIsolation) {
  const Json body = {{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 7}};
  EXPECT_TRUE(FailsWith(schedules_.CreateSchedule(desk_.actor, patient_, body), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(schedules_.DueMeasures(desk_.actor, patient_), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(schedules_.ListOverdue(desk_.actor, {}), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(schedules_.CreateSchedule(harbor_nurse_.actor, patient_, body), ErrorCode::kNotFound));
  const int64_t id = Schedule({{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 7},
                               {"start_date", "2026-03-01"}})["id"]
                         .get<int64_t>();
  EXPECT_TRUE(FailsWith(schedules_.StopSchedule(harbor_nurse_.actor, id, {{"reason", "x"}}), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(schedules_.DueMeasures(harbor_nurse_.actor, patient_), ErrorCode::kNotFound));
  EXPECT_TRUE(Must(schedules_.ListOverdue(harbor_nurse_.actor, {}))["items"].empty());
  EXPECT_EQ(Must(schedules_.ListOverdue(nurse_.actor, {}))["items"].size(), 1u);
  EXPECT_EQ(CountAudit("measure_schedule.create", "denied"), 1);
  EXPECT_EQ(CountAudit("measure_due.read", "failed"), 1);
}

TEST_F(MeasureScheduleServiceTest, OverdueListIsMostOverdueFirstAndPaginated) {
  Schedule({{"instrument", "phq9"}, {"kind", "every_n_days"}, {"interval_days", 30}, {"start_date", "2026-03-05"}});
  Schedule({{"instrument", "gad7"}, {"kind", "every_n_days"}, {"interval_days", 30}, {"start_date", "2026-03-01"}},
           other_);
  Json first = Must(schedules_.ListOverdue(nurse_.actor, {1, ""}));
  ASSERT_EQ(first["items"].size(), 1u);
  EXPECT_EQ(first["items"][0]["patient"]["family_name"], "Lindqvist");
  EXPECT_EQ(first["items"][0]["days_overdue"], 9);
  Json second = Must(schedules_.ListOverdue(nurse_.actor, {1, first["next_cursor"].get<std::string>()}));
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["patient"]["family_name"], "Okafor");
  EXPECT_TRUE(second["next_cursor"].is_null());
}

TEST_F(MeasureScheduleServiceTest, AlertsReachTheResponsibleClinician) {
  EXPECT_TRUE(FailsWith(clinicians_.Assign(nurse_.actor, patient_, {{"clinician_id", desk_.id}}),
                        ErrorCode::kInvalidInput, "clinician_id"));
  EXPECT_TRUE(FailsWith(clinicians_.Assign(nurse_.actor, patient_, {{"clinician_id", harbor_nurse_.id}}),
                        ErrorCode::kInvalidInput, "clinician_id"));
  EXPECT_TRUE(FailsWith(clinicians_.Assign(desk_.actor, patient_, {{"clinician_id", prescriber_.id}}),
                        ErrorCode::kForbidden));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM patient_responsible_clinicians"), 0);
  Json assigned = Must(clinicians_.Assign(nurse_.actor, patient_, {{"clinician_id", nurse_.id}}));
  assigned = Must(clinicians_.Assign(nurse_.actor, patient_, {{"clinician_id", prescriber_.id}, {"reason", "handover"}}));
  EXPECT_EQ(assigned["clinician"]["username"], "dr.chen");
  EXPECT_EQ(assigned["reason"], "handover");
  ASSERT_EQ(assigned["history"].size(), 1u);
  EXPECT_EQ(assigned["history"][0]["clinician"]["username"], "nurse.ada");
  EXPECT_TRUE(FailsWith(clinicians_.Assign(nurse_.actor, patient_, {{"clinician_id", prescriber_.id}}),
                        ErrorCode::kConflict));

  // Item 9 positive for both patients; only the assigned patient's alert is "mine".
  for (int64_t p : {patient_, other_}) {
    Must(measures_.RecordMeasure(nurse_.actor, p, {{"instrument", "phq9"}, {"answers", {0, 0, 0, 0, 0, 0, 0, 0, 1}}}));
  }
  AlertQuery mine;
  mine.mine = true;
  Json mine_list = Must(measures_.ListAlerts(prescriber_.actor, mine));
  ASSERT_EQ(mine_list["items"].size(), 1u);
  EXPECT_EQ(mine_list["items"][0]["patient_id"], patient_);
  EXPECT_EQ(mine_list["items"][0]["responsible_clinician"]["username"], "dr.chen");
  EXPECT_TRUE(Must(measures_.ListAlerts(nurse_.actor, mine))["items"].empty());
  EXPECT_EQ(Must(measures_.ListAlerts(nurse_.actor, {}))["items"].size(), 2u);

  Json candidates = Must(clinicians_.Candidates(nurse_.actor));
  std::vector<std::string> names;
  for (const Json& c : candidates["items"]) names.push_back(c["username"]);
  EXPECT_EQ(names, (std::vector<std::string>{"dr.chen", "nurse.ada"}));
  EXPECT_EQ(Must(clinicians_.Current(nurse_.actor, other_))["clinician"], nullptr);
  EXPECT_EQ(CountAudit("patient.responsible_clinician.assign", "success"), 2);
  EXPECT_EQ(CountAudit("patient.responsible_clinician.read", "success"), 1);
  for (const char* sql : {"UPDATE patient_responsible_clinicians SET clinician_id = 1",
                          "DELETE FROM patient_responsible_clinicians"}) {
    auto status = database().Run(TransactionMode::kReadWrite,
                                 [&](Transaction& txn) { return txn.Execute(sql).status(); });
    EXPECT_FALSE(status.ok()) << sql;
  }
}

}  // namespace
}  // namespace ketachart
