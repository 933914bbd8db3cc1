// Clinic alert rules in the service layer: admins create and retire them (a
// nurse cannot), bad rules are 400s naming the field with nothing written,
// firing rules raise ordinary measure_alerts rows in the measure's transaction
// (staff entry and self-report links alike), a rise compares with the
// previous measure, retiring stops a rule, and every step is audited.
#include "services/clinic_alert_rule_service.h"

#include <gtest/gtest.h>

#include "services/measure_service.h"
#include "services/patient_service.h"
#include "services/self_report_service.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

class ClinicAlertRuleServiceTest : public ServiceTest {
 protected:
  ClinicAlertRuleServiceTest() : rules_(context()), measures_(context()), links_(context()), patients_(context()) {
    north_ = AddClinic("NRK");
    harbor_ = AddClinic("HMC");
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
    admin_ = AddStaff("admin.lee", north_, {Role::kAdmin});
    harbor_admin_ = AddStaff("admin.tomasz", harbor_, {Role::kAdmin});
    patient_ = Must(patients_.RegisterPatient(nurse_.actor, {{"family_name", "Okafor"},
                                                             {"given_names", "Adaeze"},
                                                             {"birth_date", "1984-03-09"},
                                                             {"sex", "female"}}))["id"]
                   .get<int64_t>();
  }

  static Json Gad7Rule(int n = 15) {
    return {{"instrument", "gad7"}, {"condition", "total_at_least"}, {"threshold", n},
            {"severity", "urgent"}, {"display", "GAD-7 severe: call today"}};
  }
  Json Gad7(std::vector<int> answers) {
    return Must(measures_.RecordMeasure(nurse_.actor, patient_, {{"instrument", "gad7"}, {"answers", answers}}));
  }

  ClinicAlertRuleService rules_;
  MeasureService measures_;
  SelfReportService links_;
  PatientService patients_;
  int64_t north_ = 0, harbor_ = 0, patient_ = 0;
  Staff nurse_, admin_, harbor_admin_;
};

TEST_F(ClinicAlertRuleServiceTest, AdminCreatesARuleThatRaisesAnAlertInTheMeasuresTransaction) {
  const Json rule = Must(rules_.CreateRule(admin_.actor, Gad7Rule()));
  EXPECT_EQ(rule["status"], "active");
  EXPECT_EQ(rule["created_by"], "admin.lee");
  EXPECT_EQ(CountAudit("alert_rule.create"), 1);

  const Json sixteen = Gad7({3, 3, 3, 3, 3, 1, 0});
  ASSERT_EQ(sixteen["alerts"].size(), 1u);
  EXPECT_EQ(sixteen["alerts"][0]["code"], "clinic_rule_" + std::to_string(rule["id"].get<int64_t>()));
  EXPECT_EQ(sixteen["alerts"][0]["severity"], "urgent");
  EXPECT_EQ(sixteen["alerts"][0]["display"], "GAD-7 severe: call today");
  EXPECT_EQ(CountAudit("measure_alert.raise"), 1);
  EXPECT_EQ(Must(measures_.ListAlerts(nurse_.actor, {}))["items"].size(), 1u);

  const Json fifteen = Gad7({3, 3, 3, 3, 3, 0, 0});
  EXPECT_EQ(fifteen["alerts"].size(), 1u);  // exactly N
  const Json fourteen = Gad7({3, 3, 3, 3, 2, 0, 0});
  EXPECT_TRUE(fourteen["alerts"].empty());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM measure_alerts"), 2);
}

TEST_F(ClinicAlertRuleServiceTest, ARuleOfAnotherClinicNeverFires) {
  Must(rules_.CreateRule(harbor_admin_.actor, Gad7Rule(0)));
  EXPECT_TRUE(Gad7({3, 3, 3, 3, 3, 3, 3})["alerts"].empty());
  EXPECT_TRUE(Must(rules_.ListRules(nurse_.actor, true))["items"].empty());
}

TEST_F(ClinicAlertRuleServiceTest, ARiseComparesWithThePreviousMeasure) {
  Must(rules_.CreateRule(admin_.actor, {{"instrument", "phq9"}, {"condition", "rise_at_least"}, {"threshold", 5},
                                        {"severity", "advisory"}, {"display", "PHQ-9 up 5 points"}}));
  auto phq9 = [&](std::vector<int> answers) {
    return Must(measures_.RecordMeasure(nurse_.actor, patient_, {{"instrument", "phq9"}, {"answers", answers}}));
  };
  clock().Advance(std::chrono::hours(1));
  EXPECT_TRUE(phq9({1, 1, 1, 1, 0, 0, 0, 0, 0})["alerts"].empty());  // 4: no previous measure
  clock().Advance(std::chrono::hours(1));
  EXPECT_TRUE(phq9({1, 1, 1, 1, 1, 1, 1, 1, 0})["alerts"].empty());  // 8: +4
  clock().Advance(std::chrono::hours(1));
  const Json thirteen = phq9({2, 2, 2, 2, 2, 1, 1, 1, 0});         // 13: +5
  ASSERT_EQ(thirteen["alerts"].size(), 1u);
  EXPECT_EQ(thirteen["alerts"][0]["severity"], "advisory");
}

TEST_F(ClinicAlertRuleServiceTest, RetiringStopsARuleAndIsANewRow) {
  const int64_t id = Must(rules_.CreateRule(admin_.actor, Gad7Rule()))["id"].get<int64_t>();
  const Json retired = Must(rules_.RetireRule(admin_.actor, id, {{"reason", "replaced by the protocol"}}));
  EXPECT_EQ(retired["status"], "retired");
  EXPECT_EQ(retired["retired"]["reason"], "replaced by the protocol");
  EXPECT_EQ(CountAudit("alert_rule.retire"), 1);
  EXPECT_TRUE(FailsWith(rules_.RetireRule(admin_.actor, id, {{"reason", "again"}}), ErrorCode::kConflict));
  EXPECT_TRUE(Gad7({3, 3, 3, 3, 3, 3, 3})["alerts"].empty());
  EXPECT_TRUE(Must(rules_.ListRules(nurse_.actor, false))["items"].empty());
  EXPECT_EQ(Must(rules_.ListRules(nurse_.actor, true))["items"].size(), 1u);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM clinic_alert_rules"), 1);
}

TEST_F(ClinicAlertRuleServiceTest, ANewVersionRetiresTheRuleItReplaces) {
  const int64_t first = Must(rules_.CreateRule(admin_.actor, Gad7Rule(15)))["id"].get<int64_t>();
  Json next = Gad7Rule(12);
  next["replaces"] = first;
  const Json second = Must(rules_.CreateRule(admin_.actor, next));
  EXPECT_EQ(second["replaces"], first);
  const Json all = Must(rules_.ListRules(admin_.actor, true));
  ASSERT_EQ(all["items"].size(), 2u);
  EXPECT_EQ(all["items"][1]["status"], "retired");
  EXPECT_TRUE(FailsWith(rules_.CreateRule(admin_.actor, next), ErrorCode::kConflict, "replaces"));
  EXPECT_EQ(Gad7({3, 3, 3, 3, 0, 0, 0})["alerts"].size(), 1u);  // 12 fires the new version only
}

TEST_F(ClinicAlertRuleServiceTest, BadRulesNameTheFieldAndWriteNothing) {
  Json unknown_item = {{"instrument", "phq9"}, {"condition", "item_at_least"}, {"item", "10"}, {"threshold", 1},
                       {"severity", "urgent"}, {"display", "x"}};
  EXPECT_TRUE(FailsWith(rules_.CreateRule(admin_.actor, unknown_item), ErrorCode::kInvalidInput, "item"));
  EXPECT_TRUE(FailsWith(rules_.CreateRule(admin_.actor, Gad7Rule(22)), ErrorCode::kInvalidInput, "threshold"));
  Json bad = Gad7Rule();
  bad["instrument"] = "gad8";
  EXPECT_TRUE(FailsWith(rules_.CreateRule(admin_.actor, bad), ErrorCode::kInvalidInput, "instrument"));
  bad = Gad7Rule();
  bad["condition"] = "total_above";
  EXPECT_TRUE(FailsWith(rules_.CreateRule(admin_.actor, bad), ErrorCode::kInvalidInput, "condition"));
  bad = Gad7Rule();
  bad["item"] = true;
  EXPECT_TRUE(FailsWith(rules_.CreateRule(admin_.actor, bad), ErrorCode::kInvalidInput, "item"));
  bad = Gad7Rule();
  bad["replaces"] = 999;
  EXPECT_TRUE(FailsWith(rules_.CreateRule(admin_.actor, bad), ErrorCode::kInvalidInput, "replaces"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM clinic_alert_rules"), 0);
  EXPECT_EQ(CountAudit("alert_rule.create"), 0);
}

TEST_F(ClinicAlertRuleServiceTest, NursesCannotCreateOrRetireRules) {
  EXPECT_TRUE(FailsWith(rules_.CreateRule(nurse_.actor, Gad7Rule()), ErrorCode::kForbidden));
  const int64_t id = Must(rules_.CreateRule(admin_.actor, Gad7Rule()))["id"].get<int64_t>();
  EXPECT_TRUE(FailsWith(rules_.RetireRule(nurse_.actor, id, {{"reason", "x"}}), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(rules_.RetireRule(harbor_admin_.actor, id, {{"reason", "x"}}), ErrorCode::kNotFound));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM clinic_alert_rules"), 1);
}

TEST_F(ClinicAlertRuleServiceTest, AnItemRuleFiresForASelfReportLink) {
  Must(rules_.CreateRule(admin_.actor, {{"instrument", "phq9"}, {"condition", "item_at_least"}, {"item", 4},
                                        {"threshold", 2}, {"severity", "advisory"}, {"display", "Sleep item high"}}));
  const std::string token =
      Must(links_.CreateLink(nurse_.actor, patient_, {{"instrument", "phq9"}, {"expires_in_hours", 72}}))["token"];
  Must(links_.Submit({{"token", token}, {"answers", {0, 0, 0, 2, 0, 0, 0, 0, 0}}}, ""));
  const Json open = Must(measures_.ListAlerts(nurse_.actor, {}));
  ASSERT_EQ(open["items"].size(), 1u);
  EXPECT_EQ(open["items"][0]["display"], "Sleep item high");
}

TEST_F(ClinicAlertRuleServiceTest, RulesAreAppendOnly) {
  Must(rules_.CreateRule(admin_.actor, Gad7Rule()));
  EXPECT_FALSE(database().Run<int>(TransactionMode::kReadWrite, [](Transaction& txn) -> Result<int> {
    KC_RETURN_IF_ERROR(txn.Execute("UPDATE clinic_alert_rules SET threshold = 1", {}).status());
    return 0;
  }).ok());
  EXPECT_FALSE(database().Run<int>(TransactionMode::kReadWrite, [](Transaction& txn) -> Result<int> {
    KC_RETURN_IF_ERROR(txn.Execute("DELETE FROM clinic_alert_rules", {}).status());
    return 0;
  }).ok());
}

}  // namespace
}  // namespace ketachart
