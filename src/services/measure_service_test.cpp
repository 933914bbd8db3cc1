// Measures in the chart: scoring on entry, safety alerts raised in the same
// transaction as the measure and never silently dropped, acknowledgement once
// with an action note, change against the baseline, clinic isolation,
// permissions and the audit of every step.
#include "services/measure_service.h"

#include <gtest/gtest.h>

#include "services/patient_service.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

class MeasureServiceTest : public ServiceTest {
 protected:
  MeasureServiceTest() : measures_(context()), patients_(context()) {
    north_ = AddClinic("NRK");
    harbor_ = AddClinic("HMC");
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
    desk_ = AddStaff("desk.priya", north_, {Role::kFrontDesk});
    therapist_ = AddStaff("therapist.jordan", north_, {Role::kTherapist});
    admin_ = AddStaff("admin.lee", north_, {Role::kAdmin});
    harbor_nurse_ = AddStaff("nurse.tomasz", harbor_, {Role::kNurse});
    patient_ = Must(patients_.RegisterPatient(nurse_.actor, {{"family_name", "Okafor"},
                                                             {"given_names", "Adaeze"},
                                                             {"birth_date", "1984-03-09"},
                                                             {"sex", "female"}}))["id"]
                   .get<int64_t>();
  }

  static Json Phq9(std::vector<int> answers, const std::string& at = "") {
    Json body = {{"instrument", "phq9"}, {"answers", answers}};
    if (!at.empty()) body["administered_at"] = at;
    return body;
  }

  MeasureService measures_;
  PatientService patients_;
  int64_t north_ = 0, harbor_ = 0, patient_ = 0;
  Staff nurse_, desk_, therapist_, admin_, harbor_nurse_;
};

TEST_F(MeasureServiceTest, EntersAScoredMeasure) {
  Json measure = Must(measures_.RecordMeasure(nurse_.actor, patient_, Phq9({2, 2, 2, 2, 1, 1, 1, 0, 0})));
  EXPECT_EQ(measure["instrument"], "phq9");
  EXPECT_EQ(measure["total"], 11);
  EXPECT_EQ(measure["band"], "moderate");
  EXPECT_EQ(measure["answers"].size(), 9u);
  EXPECT_EQ(measure["score"]["cutoffs"]["major_depression_screen"], true);
  EXPECT_EQ(measure["score"]["band_display"], "Moderate");
  EXPECT_EQ(measure["recorded_by"], "nurse.ada");
  EXPECT_EQ(measure["administered_at"], Now());
  EXPECT_TRUE(measure["alerts"].empty());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM measure_alerts"), 0);
  EXPECT_EQ(CountAudit("measure.record"), 1);
}

TEST_F(MeasureServiceTest, PositiveItemNineRaisesAnAlertInTheSameTransaction) {
  Json measure = Must(measures_.RecordMeasure(therapist_.actor, patient_, Phq9({0, 0, 0, 0, 0, 0, 0, 0, 1})));
  ASSERT_EQ(measure["alerts"].size(), 1u);
  const Json& alert = measure["alerts"][0];
  EXPECT_EQ(alert["code"], "phq9_item9_positive");
  EXPECT_EQ(alert["severity"], "urgent");
  EXPECT_EQ(alert["patient"]["mrn"], "NRK-000001");
  EXPECT_TRUE(alert["acknowledged"].is_null());
  EXPECT_EQ(CountAudit("measure_alert.raise"), 1);
  Json open = Must(measures_.ListAlerts(nurse_.actor, {}));
  ASSERT_EQ(open["items"].size(), 1u);
  EXPECT_EQ(open["items"][0]["id"], alert["id"]);
}

TEST_F(MeasureServiceTest, CssrsHighRiskRaisesAnAlert) {
  Json body = {{"instrument", "cssrs"}, {"answers", {1, 1, 0, 1, 0, 0, nullptr}}};
  Json measure = Must(measures_.RecordMeasure(nurse_.actor, patient_, body));
  EXPECT_TRUE(measure["total"].is_null());
  EXPECT_EQ(measure["band"], "high_risk");
  ASSERT_EQ(measure["alerts"].size(), 1u);
  EXPECT_EQ(measure["alerts"][0]["code"], "cssrs_high_risk");
}

TEST_F(MeasureServiceTest, AcknowledgedOnceWithAnActionNote) {
  Json measure = Must(measures_.RecordMeasure(nurse_.actor, patient_, Phq9({0, 0, 0, 0, 0, 0, 0, 0, 2})));
  const int64_t alert_id = measure["alerts"][0]["id"].get<int64_t>();
  EXPECT_TRUE(FailsWith(measures_.AcknowledgeAlert(nurse_.actor, alert_id, {{"action_note", ""}}),
                        ErrorCode::kInvalidInput, "action_note"));
  EXPECT_TRUE(FailsWith(measures_.AcknowledgeAlert(nurse_.actor, alert_id, Json::object()),
                        ErrorCode::kInvalidInput, "action_note"));
  // Admins and front desk may not acknowledge; another clinic does not see the alert.
  EXPECT_TRUE(FailsWith(measures_.AcknowledgeAlert(admin_.actor, alert_id, {{"action_note", "seen"}}),
                        ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(measures_.AcknowledgeAlert(harbor_nurse_.actor, alert_id, {{"action_note", "seen"}}),
                        ErrorCode::kNotFound));
  Json acked = Must(measures_.AcknowledgeAlert(
      therapist_.actor, alert_id, {{"action_note", "Called the patient same day; safety plan reviewed."}}));
  EXPECT_EQ(acked["acknowledged"]["by"], "therapist.jordan");
  EXPECT_EQ(acked["acknowledged"]["action_note"], "Called the patient same day; safety plan reviewed.");
  EXPECT_TRUE(FailsWith(measures_.AcknowledgeAlert(nurse_.actor, alert_id, {{"action_note", "again"}}),
                        ErrorCode::kConflict));
  EXPECT_TRUE(Must(measures_.ListAlerts(nurse_.actor, {}))["items"].empty());
  AlertQuery all;
  all.open_only = false;
  EXPECT_EQ(Must(measures_.ListAlerts(nurse_.actor, all))["items"].size(), 1u);
  EXPECT_EQ(CountAudit("measure_alert.acknowledge", "success"), 1);
  EXPECT_EQ(CountAudit("measure_alert.acknowledge", "denied"), 1);
}

TEST_F(MeasureServiceTest, AlertsAndMeasuresAreAppendOnly) {
  Must(measures_.RecordMeasure(nurse_.actor, patient_, Phq9({0, 0, 0, 0, 0, 0, 0, 0, 1})));
  for (const char* sql : {"UPDATE measure_alerts SET severity = 'advisory'", "DELETE FROM measure_alerts",
                          "UPDATE patient_measures SET total = 0", "DELETE FROM patient_measures"}) {
    auto status = database().Run(TransactionMode::kReadWrite,
                                 [&](Transaction& txn) { return txn.Execute(sql).status(); });
    EXPECT_FALSE(status.ok()) << sql;
  }
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM measure_alerts"), 1);
}

TEST_F(MeasureServiceTest, BadInputChangesNothing) {
  EXPECT_TRUE(FailsWith(measures_.RecordMeasure(nurse_.actor, patient_, Phq9({0, 0, 0, 0, 0, 0, 0, 0, 4})),
                        ErrorCode::kInvalidInput, "answers[8]"));
  EXPECT_TRUE(FailsWith(measures_.RecordMeasure(nurse_.actor, patient_, Phq9({0, 0, 0})),
                        ErrorCode::kInvalidInput, "answers"));
  EXPECT_TRUE(FailsWith(measures_.RecordMeasure(nurse_.actor, patient_, {{"instrument", "phq10"}, {"answers", {1}}}),
                        ErrorCode::kInvalidInput, "instrument"));
  EXPECT_TRUE(FailsWith(measures_.RecordMeasure(nurse_.actor, patient_,
                                                {{"instrument", "phq9"}, {"answers", {1, 1, 1, 1, "x", 1, 1, 1, 1}}}),
                        ErrorCode::kInvalidInput, "answers[4]"));
  EXPECT_TRUE(FailsWith(measures_.RecordMeasure(nurse_.actor, patient_,
                                                Phq9({0, 0, 0, 0, 0, 0, 0, 0, 0}, "2026-03-11T00:00:00.000Z")),
                        ErrorCode::kInvalidInput, "administered_at"));
  EXPECT_TRUE(FailsWith(measures_.RecordMeasure(nurse_.actor, patient_,
                                                {{"instrument", "phq9"}, {"answers", {0}}, {"colour", "red"}}),
                        ErrorCode::kInvalidInput, "colour"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM patient_measures"), 0);
  EXPECT_EQ(CountAudit("measure.record"), 0);
}

TEST_F(MeasureServiceTest, PermissionsAndClinicIsolation) {
  EXPECT_TRUE(FailsWith(measures_.RecordMeasure(desk_.actor, patient_, Phq9({0, 0, 0, 0, 0, 0, 0, 0, 0})),
                        ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(measures_.ListMeasures(desk_.actor, patient_, {}), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(measures_.RecordMeasure(harbor_nurse_.actor, patient_, Phq9({0, 0, 0, 0, 0, 0, 0, 0, 1})),
                        ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(measures_.ListMeasures(harbor_nurse_.actor, patient_, {}), ErrorCode::kNotFound));
  Must(measures_.RecordMeasure(nurse_.actor, patient_, Phq9({0, 0, 0, 0, 0, 0, 0, 0, 1})));
  EXPECT_TRUE(Must(measures_.ListAlerts(harbor_nurse_.actor, {}))["items"].empty());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM measure_alerts"), 1);
}

TEST_F(MeasureServiceTest, TrajectoryWithChangeAgainstTheBaseline) {
  Must(measures_.RecordMeasure(nurse_.actor, patient_, Phq9({3, 3, 2, 2, 2, 2, 2, 2, 0}, "2026-02-01T10:00:00.000Z")));
  Must(measures_.RecordMeasure(nurse_.actor, patient_, Phq9({1, 1, 1, 1, 0, 0, 0, 0, 0}, "2026-03-01T10:00:00.000Z")));
  // Entered later but administered in between: listed in administration order.
  Must(measures_.RecordMeasure(nurse_.actor, patient_, Phq9({2, 2, 2, 2, 1, 1, 1, 1, 0}, "2026-02-15T10:00:00.000Z")));
  Must(measures_.RecordMeasure(nurse_.actor, patient_, {{"instrument", "madrs"}, {"answers", {30}}}));
  Json page = Must(measures_.ListMeasures(nurse_.actor, patient_, {"phq9", 100, ""}));
  ASSERT_EQ(page["items"].size(), 3u);
  EXPECT_EQ(page["items"][0]["total"], 18);
  EXPECT_EQ(page["items"][0]["baseline"], true);
  EXPECT_FALSE(page["items"][0].contains("change"));
  EXPECT_EQ(page["items"][1]["total"], 12);
  EXPECT_EQ(page["items"][1]["change"]["response"], false);
  EXPECT_EQ(page["items"][2]["total"], 4);
  EXPECT_EQ(page["items"][2]["change"]["response"], true);
  EXPECT_EQ(page["items"][2]["change"]["remission"], true);
  EXPECT_EQ(page["items"][2]["change"]["reliable_change"], "improved");
  // Pages of one: every measure once, in order.
  std::vector<int64_t> totals;
  std::string cursor;
  do {
    Json one = Must(measures_.ListMeasures(nurse_.actor, patient_, {"", 1, cursor}));
    for (const auto& item : one["items"]) totals.push_back(item["total"].get<int64_t>());
    cursor = one["next_cursor"].is_null() ? "" : one["next_cursor"].get<std::string>();
  } while (!cursor.empty());
  EXPECT_EQ(totals, (std::vector<int64_t>{18, 12, 4, 30}));
  EXPECT_TRUE(FailsWith(measures_.ListMeasures(nurse_.actor, patient_, {"", 1, "garbage"}), ErrorCode::kInvalidInput,
                        "cursor"));
  EXPECT_TRUE(FailsWith(measures_.ListMeasures(nurse_.actor, patient_, {"", 501, ""}), ErrorCode::kInvalidInput,
                        "limit"));
  EXPECT_GE(CountAudit("measure.list"), 5);
}

}  // namespace
}  // namespace ketachart
