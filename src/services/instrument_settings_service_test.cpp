// A clinic's instrument settings in the service layer: admins save versions
// with a reason (a nurse cannot), bad values are 400s naming the setting and
// its cited range with nothing written, each version is a new row and the
// newest is in force, measures (staff entry and self-report links) are scored
// with the settings in force and name the version, a measure scored earlier
// keeps its result, one clinic's settings never reach another, and every
// step is audited.
#include "services/instrument_settings_service.h"

#include <gtest/gtest.h>

#include "base/crypto.h"

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

class InstrumentSettingsServiceTest : public ServiceTest {
 protected:
  InstrumentSettingsServiceTest()
      : settings_(context()), measures_(context()), links_(context()), patients_(context()) {
    north_ = AddClinic("NRK");
    harbor_ = AddClinic("HMC");
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
    admin_ = AddStaff("admin.lee", north_, {Role::kAdmin});
    harbor_nurse_ = AddStaff("nurse.tomasz", harbor_, {Role::kNurse});
    harbor_admin_ = AddStaff("admin.tomasz", harbor_, {Role::kAdmin});
    patient_ = Register(nurse_);
    harbor_patient_ = Register(harbor_nurse_);
  }

  int64_t Register(const Staff& staff) {
    return Must(patients_.RegisterPatient(staff.actor, {{"family_name", "Okafor"},
                                                        {"given_names", "Adaeze"},
                                                        {"birth_date", "1984-03-09"},
                                                        {"sex", "female"}}))["id"]
        .get<int64_t>();
  }
  static Json Pcl5Cutoff(int version, int cutoff, const std::string& reason = "clinic policy") {
    return {{"instrument", "pcl5"},
            {"version", version},
            {"settings", {{"cutoff.provisional_ptsd", cutoff}}},
            {"reason", reason}};
  }
  // A PCL-5 response totalling 32: sixteen items rated 2, four rated 0.
  static std::vector<int> Pcl5Of32() {
    std::vector<int> answers(20, 0);
    for (int i = 0; i < 16; ++i) answers[i] = 2;
    return answers;
  }
  Json RecordPcl5(const Staff& staff, int64_t patient) {
    return Must(measures_.RecordMeasure(staff.actor, patient, {{"instrument", "pcl5"}, {"answers", Pcl5Of32()}}));
  }
  Json Entry(const Staff& staff, const std::string& key) {
    const Json list = Must(settings_.ListSettings(staff.actor));
    for (const Json& item : list["items"]) {
      if (item["instrument"] == key) return item;
    }
    return nullptr;
  }

  InstrumentSettingsService settings_;
  MeasureService measures_;
  SelfReportService links_;
  PatientService patients_;
  int64_t north_ = 0, harbor_ = 0, patient_ = 0, harbor_patient_ = 0;
  Staff nurse_, admin_, harbor_nurse_, harbor_admin_;
};

TEST_F(InstrumentSettingsServiceTest, ListsEveryConfigurableSettingWithItsDefaultRangeAndCitation) {
  const Json list = Must(settings_.ListSettings(nurse_.actor));
  ASSERT_EQ(list["items"].size(), 2u);  // madrs and pcl5
  const Json pcl5 = Entry(nurse_, "pcl5");
  ASSERT_TRUE(pcl5.is_object());
  EXPECT_EQ(pcl5["version"], 0);
  EXPECT_EQ(pcl5["origin"], "default");
  ASSERT_EQ(pcl5["settings"].size(), 1u);
  EXPECT_EQ(pcl5["settings"][0]["name"], "cutoff.provisional_ptsd");
  EXPECT_EQ(pcl5["settings"][0]["default"], 33);
  EXPECT_EQ(pcl5["settings"][0]["value"], 33);
  EXPECT_EQ(pcl5["settings"][0]["min"], 31);
  EXPECT_EQ(pcl5["settings"][0]["max"], 33);
  EXPECT_NE(pcl5["settings"][0]["source"].get<std::string>().find("clinical-reference.md D1"), std::string::npos);
  EXPECT_TRUE(pcl5["history"].empty());
  EXPECT_GE(CountAudit("instrument_settings.list"), 1);
}

TEST_F(InstrumentSettingsServiceTest, TheNewestVersionIsInForceAndHistoryIsKept) {
  const Json first = Must(settings_.SaveSettings(admin_.actor, Pcl5Cutoff(1, 31, "screening in a trauma service")));
  EXPECT_EQ(first["version"], 1);
  EXPECT_EQ(first["origin"], "clinic");
  EXPECT_EQ(first["saved_by"], "admin.lee");
  EXPECT_EQ(first["reason"], "screening in a trauma service");
  EXPECT_EQ(first["settings"][0]["value"], 31);
  Must(settings_.SaveSettings(admin_.actor, Pcl5Cutoff(2, 32, "medical director's decision")));
  const Json pcl5 = Entry(nurse_, "pcl5");
  EXPECT_EQ(pcl5["version"], 2);
  EXPECT_EQ(pcl5["settings"][0]["value"], 32);
  ASSERT_EQ(pcl5["history"].size(), 2u);
  EXPECT_EQ(pcl5["history"][0]["version"], 2);
  EXPECT_EQ(pcl5["history"][1]["values"]["cutoff.provisional_ptsd"], 31);
  EXPECT_EQ(pcl5["history"][1]["reason"], "screening in a trauma service");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM clinic_instrument_settings"), 2);
  const auto saved = AuditEvents("instrument_settings.save");
  ASSERT_EQ(saved.size(), 2u);
  EXPECT_EQ(saved[1].detail, "pcl5 version 2: cutoff.provisional_ptsd=32");
  // A stale version is a conflict and writes nothing.
  EXPECT_TRUE(FailsWith(settings_.SaveSettings(admin_.actor, Pcl5Cutoff(2, 33)), ErrorCode::kConflict, "version"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM clinic_instrument_settings"), 2);
}

TEST_F(InstrumentSettingsServiceTest, SettingsNotNamedKeepTheValueInForce) {
  Must(settings_.SaveSettings(admin_.actor, {{"instrument", "madrs"},
                                             {"version", 1},
                                             {"settings", {{"cutoff.severe", 31}}},
                                             {"reason", "Müller 2003"}}));
  const Json madrs = Must(settings_.SaveSettings(admin_.actor, {{"instrument", "madrs"},
                                                                {"version", 2},
                                                                {"settings", {{"remission_at_most", 10}}},
                                                                {"reason", "stricter remission"}}));
  EXPECT_EQ(madrs["history"][0]["values"], (Json{{"cutoff.severe", 31}, {"remission_at_most", 10}}));
}

TEST_F(InstrumentSettingsServiceTest, BadValuesNameTheSettingAndItsCitedRangeAndWriteNothing) {
  auto superseded = settings_.SaveSettings(admin_.actor, Pcl5Cutoff(1, 38));
  ASSERT_TRUE(FailsWith(superseded, ErrorCode::kInvalidInput, "settings.cutoff.provisional_ptsd"));
  EXPECT_NE(superseded.error().message.find("between 31 and 33"), std::string::npos);
  EXPECT_NE(superseded.error().message.find("clinical-reference.md D1"), std::string::npos);
  EXPECT_TRUE(FailsWith(settings_.SaveSettings(admin_.actor, Pcl5Cutoff(1, 30)), ErrorCode::kInvalidInput,
                        "settings.cutoff.provisional_ptsd"));
  Json unknown = Pcl5Cutoff(1, 31);
  unknown["settings"] = {{"cutoff.severe", 31}};
  EXPECT_TRUE(FailsWith(settings_.SaveSettings(admin_.actor, unknown), ErrorCode::kInvalidInput,
                        "settings.cutoff.severe"));
  Json phq9 = Pcl5Cutoff(1, 31);
  phq9["instrument"] = "phq9";
  EXPECT_TRUE(FailsWith(settings_.SaveSettings(admin_.actor, phq9), ErrorCode::kInvalidInput, "instrument"));
  Json no_reason = Pcl5Cutoff(1, 31);
  no_reason.erase("reason");
  EXPECT_TRUE(FailsWith(settings_.SaveSettings(admin_.actor, no_reason), ErrorCode::kInvalidInput, "reason"));
  Json no_settings = Pcl5Cutoff(1, 31);
  no_settings.erase("settings");
  EXPECT_TRUE(FailsWith(settings_.SaveSettings(admin_.actor, no_settings), ErrorCode::kInvalidInput, "settings"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM clinic_instrument_settings"), 0);
  EXPECT_EQ(CountAudit("instrument_settings.save"), 0);
  EXPECT_EQ(Entry(nurse_, "pcl5")["settings"][0]["value"], 33);
}

TEST_F(InstrumentSettingsServiceTest, OnlyAdminsSave) {
  EXPECT_TRUE(FailsWith(settings_.SaveSettings(nurse_.actor, Pcl5Cutoff(1, 31)), ErrorCode::kForbidden));
  EXPECT_EQ(CountAudit("instrument_settings.save", "denied"), 1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM clinic_instrument_settings"), 0);
}

TEST_F(InstrumentSettingsServiceTest, MeasuresAreScoredWithTheSettingsInForceAndKeepTheirResult) {
  const Json before = RecordPcl5(nurse_, patient_);
  EXPECT_EQ(before["total"], 32);
  EXPECT_EQ(before["score"]["cutoffs"]["provisional_ptsd"], false);  // 32 is below the default 33
  EXPECT_TRUE(before["instrument_settings"].is_null());

  Must(settings_.SaveSettings(admin_.actor, Pcl5Cutoff(1, 31)));
  const Json after = RecordPcl5(nurse_, patient_);
  EXPECT_EQ(after["score"]["cutoffs"]["provisional_ptsd"], true);  // 32 is above 31
  EXPECT_EQ(after["instrument_settings"]["version"], 1);
  EXPECT_EQ(after["instrument_settings"]["values"]["cutoff.provisional_ptsd"], 31);

  // Back to 33: the two measures keep the results they were scored with.
  Must(settings_.SaveSettings(admin_.actor, Pcl5Cutoff(2, 33)));
  const Json page = Must(measures_.ListMeasures(nurse_.actor, patient_, {"pcl5", 100, ""}));
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["score"]["cutoffs"]["provisional_ptsd"], false);
  EXPECT_TRUE(page["items"][0]["instrument_settings"].is_null());
  EXPECT_EQ(page["items"][1]["score"]["cutoffs"]["provisional_ptsd"], true);
  EXPECT_EQ(page["items"][1]["instrument_settings"]["version"], 1);
  EXPECT_EQ(RecordPcl5(nurse_, patient_)["score"]["cutoffs"]["provisional_ptsd"], false);
}

// PCL-5 links cannot be created yet (its item text does not ship), so the link row is written
// here directly: Submit scores whatever instrument a link names.
TEST_F(InstrumentSettingsServiceTest, ASelfReportIsScoredWithTheLinksClinicSettings) {
  Must(settings_.SaveSettings(admin_.actor, Pcl5Cutoff(1, 31)));
  const std::string token = "pcl5-link-token-for-this-test";
  Must(database().Run<int>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<int> {
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO self_report_links (clinic_id, patient_id, instrument, token_hash, "
                                   "created_at, created_by, expires_at) VALUES (?, ?, 'pcl5', ?, ?, ?, ?)",
                                   {north_, patient_, Sha256Hex(token), Now(), nurse_.id,
                                    std::string("2026-03-13T15:00:00.000Z")})
                           .status());
    return 0;
  }));
  Must(links_.Submit({{"token", token}, {"answers", Pcl5Of32()}}, ""));
  const Json page = Must(measures_.ListMeasures(nurse_.actor, patient_, {"pcl5", 100, ""}));
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["score"]["cutoffs"]["provisional_ptsd"], true);
  EXPECT_EQ(page["items"][0]["instrument_settings"]["version"], 1);
}

TEST_F(InstrumentSettingsServiceTest, ChangeIsJudgedByTheMeasuresOwnRemissionThreshold) {
  auto madrs = [&](int total) {
    return Must(measures_.RecordMeasure(nurse_.actor, patient_, {{"instrument", "madrs"}, {"answers", {total}}}));
  };
  madrs(34);
  madrs(11);  // remission under the default ≤12
  Must(settings_.SaveSettings(admin_.actor, {{"instrument", "madrs"},
                                             {"version", 1},
                                             {"settings", {{"remission_at_most", 10}}},
                                             {"reason", "stricter remission"}}));
  madrs(11);  // not remission under ≤10
  const Json page = Must(measures_.ListMeasures(nurse_.actor, patient_, {"madrs", 100, ""}));
  ASSERT_EQ(page["items"].size(), 3u);
  EXPECT_EQ(page["items"][1]["change"]["remission"], true);
  EXPECT_EQ(page["items"][2]["change"]["remission"], false);
}

TEST_F(InstrumentSettingsServiceTest, OneClinicsSettingsNeverReachAnother) {
  Must(settings_.SaveSettings(admin_.actor, Pcl5Cutoff(1, 31)));
  EXPECT_EQ(RecordPcl5(harbor_nurse_, harbor_patient_)["score"]["cutoffs"]["provisional_ptsd"], false);
  EXPECT_EQ(Entry(harbor_nurse_, "pcl5")["version"], 0);
  // Harbor's own first version is its version 1.
  EXPECT_EQ(Must(settings_.SaveSettings(harbor_admin_.actor, Pcl5Cutoff(1, 32)))["version"], 1);
}

TEST_F(InstrumentSettingsServiceTest, SettingsAreAppendOnly) {
  Must(settings_.SaveSettings(admin_.actor, Pcl5Cutoff(1, 31)));
  EXPECT_FALSE(database().Run<int>(TransactionMode::kReadWrite, [](Transaction& txn) -> Result<int> {
    KC_RETURN_IF_ERROR(txn.Execute("UPDATE clinic_instrument_settings SET reason = 'x'", {}).status());
    return 0;
  }).ok());
  EXPECT_FALSE(database().Run<int>(TransactionMode::kReadWrite, [](Transaction& txn) -> Result<int> {
    KC_RETURN_IF_ERROR(txn.Execute("DELETE FROM clinic_instrument_settings", {}).status());
    return 0;
  }).ok());
}

}  // namespace
}  // namespace ketachart
