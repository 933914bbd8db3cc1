// Self-report links: a patient completes a PHQ-9 once through a link and the
// answers land in the chart with their safety alert; used, expired and
// unknown links are refused and store nothing; bad answers leave the link
// usable; only self-report instruments; only staff with measure.write.
#include "services/self_report_service.h"

#include <gtest/gtest.h>

#include "services/measure_service.h"
#include "services/patient_service.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using namespace std::chrono_literals;
using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

class SelfReportServiceTest : public ServiceTest {
 protected:
  SelfReportServiceTest() : links_(context()), measures_(context()), patients_(context()) {
    north_ = AddClinic("NRK");
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
    desk_ = AddStaff("desk.priya", north_, {Role::kFrontDesk});
    patient_ = Must(patients_.RegisterPatient(nurse_.actor, {{"family_name", "Okafor"},
                                                             {"given_names", "Adaeze"},
                                                             {"birth_date", "1984-03-09"},
                                                             {"sex", "female"}}))["id"]
                   .get<int64_t>();
  }

  std::string NewToken(const std::string& instrument = "phq9", int hours = 72) {
    return Must(links_.CreateLink(nurse_.actor, patient_, {{"instrument", instrument}, {"expires_in_hours", hours}}))
        ["token"]
            .get<std::string>();
  }
  static Json Answers(const std::string& token, std::vector<int> answers) {
    return {{"token", token}, {"answers", answers}};
  }

  SelfReportService links_;
  MeasureService measures_;
  PatientService patients_;
  int64_t north_ = 0, patient_ = 0;
  Staff nurse_, desk_;
};

TEST_F(SelfReportServiceTest, PatientCompletesAPhq9OnceAndTheAlertReachesTheClinic) {
  const std::string token = NewToken();
  EXPECT_EQ(token.size(), 43u);  // 32 random bytes, base64url
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM self_report_links WHERE token_hash = ?", {token}), 0)
      << "only the hash is stored";
  Json form = Must(links_.OpenForm(token, "198.51.100.4"));
  EXPECT_EQ(form["instrument"], "phq9");
  EXPECT_EQ(form["questionnaire"]["resourceType"], "Questionnaire");
  EXPECT_FALSE(form.dump().find("Okafor") != std::string::npos) << "no patient data in the form";

  EXPECT_EQ(Must(links_.Submit(Answers(token, {1, 1, 1, 1, 0, 0, 0, 0, 1}), "198.51.100.4"))["received"], true);
  Json page = Must(measures_.ListMeasures(nurse_.actor, patient_, {}));
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["total"], 5);
  EXPECT_EQ(page["items"][0]["recorded_by"], "nurse.ada");
  EXPECT_EQ(page["items"][0]["alerts"][0]["code"], "phq9_item9_positive");
  EXPECT_EQ(Must(measures_.ListAlerts(nurse_.actor, {}))["items"].size(), 1u);
  EXPECT_EQ(CountAudit("self_report.submit"), 1);
  EXPECT_EQ(CountAudit("measure_alert.raise"), 1);

  // Used: refused, nothing more stored.
  EXPECT_TRUE(FailsWith(links_.Submit(Answers(token, {0, 0, 0, 0, 0, 0, 0, 0, 0}), ""), ErrorCode::kConflict));
  EXPECT_TRUE(FailsWith(links_.OpenForm(token, ""), ErrorCode::kConflict));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM patient_measures"), 1);
}

TEST_F(SelfReportServiceTest, ExpiredAndUnknownLinksStoreNothing) {
  const std::string token = NewToken("gad7", 1);
  clock().Advance(61min);
  EXPECT_TRUE(FailsWith(links_.OpenForm(token, ""), ErrorCode::kConflict));
  EXPECT_TRUE(FailsWith(links_.Submit(Answers(token, {0, 0, 0, 0, 0, 0, 0}), ""), ErrorCode::kConflict));
  EXPECT_TRUE(FailsWith(links_.OpenForm("not-a-token", ""), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(links_.Submit(Answers("not-a-token", {0}), ""), ErrorCode::kNotFound));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM patient_measures"), 0);
}

TEST_F(SelfReportServiceTest, BadAnswersLeaveTheLinkUsable) {
  const std::string token = NewToken();
  EXPECT_TRUE(FailsWith(links_.Submit(Answers(token, {0, 0, 0, 0, 0, 0, 0, 0, 4}), ""), ErrorCode::kInvalidInput,
                        "answers[8]"));
  EXPECT_TRUE(FailsWith(links_.Submit(Answers(token, {0, 0}), ""), ErrorCode::kInvalidInput, "answers"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM patient_measures"), 0);
  KC_EXPECT_OK(links_.Submit(Answers(token, {0, 0, 0, 0, 0, 0, 0, 0, 0}), ""));
}

TEST_F(SelfReportServiceTest, OnlySelfReportInstrumentsAndOnlyClinicalStaff) {
  EXPECT_TRUE(FailsWith(links_.CreateLink(nurse_.actor, patient_, {{"instrument", "madrs"}}),
                        ErrorCode::kInvalidInput, "instrument"));
  EXPECT_TRUE(FailsWith(links_.CreateLink(nurse_.actor, patient_, {{"instrument", "pcl5"}}),
                        ErrorCode::kInvalidInput, "instrument"));  // no item text shipped yet
  EXPECT_TRUE(FailsWith(links_.CreateLink(nurse_.actor, patient_, {{"instrument", "phq9"}, {"expires_in_hours", 400}}),
                        ErrorCode::kInvalidInput, "expires_in_hours"));
  EXPECT_TRUE(FailsWith(links_.CreateLink(desk_.actor, patient_, {{"instrument", "phq9"}}), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(links_.CreateLink(nurse_.actor, 999, {{"instrument", "phq9"}}), ErrorCode::kNotFound));
}

TEST_F(SelfReportServiceTest, ALinkChangesOnlyOnceFromUnusedToUsed) {
  const std::string token = NewToken();
  KC_EXPECT_OK(links_.Submit(Answers(token, {0, 0, 0, 0, 0, 0, 0, 0, 0}), ""));
  for (const char* sql : {"UPDATE self_report_links SET used_at = NULL", "UPDATE self_report_links SET "
                                                                         "expires_at = '2999-01-01T00:00:00.000Z'",
                          "DELETE FROM self_report_links"}) {
    EXPECT_FALSE(database().Run(TransactionMode::kReadWrite, [&](Transaction& txn) {
      return txn.Execute(sql).status();
    }).ok()) << sql;
  }
}

}  // namespace
}  // namespace ketachart
