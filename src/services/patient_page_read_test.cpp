// The audited read of one page of one patient's records: the loader gets the
// cursor and the clock; a refusal (permission, limit, cursor, another clinic's
// patient) never reaches it; denials and not-founds leave their audit trace,
// a read its read event with the detail; a loader's error passes through
// unaudited as a read.
#include "services/patient_page_read.h"

#include <gtest/gtest.h>

#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

class PatientPageReadTest : public ServiceTest {
 protected:
  PatientPageReadTest()
      : north_(AddClinic("NRK")),
        harbor_(AddClinic("HMC")),
        nurse_(AddStaff("nurse.ada", north_, {Role::kNurse})),
        desk_(AddStaff("desk.priya", north_, {Role::kFrontDesk})),
        harbor_nurse_(AddStaff("nurse.tomasz", harbor_, {Role::kNurse})),
        patient_(RegisterSamplePatient(nurse_.actor)) {}

  // Reads with a loader that records what it was given and answers `answer`.
  Result<Json> Read(const Actor& actor, const PageQuery& page, Result<Json> answer = Json{{"items", Json::array()}}) {
    return ReadPatientPage(context(), actor, patient_, {Permission::kSessionRead, "test_page.read", "history", 20},
                           page, [&](Transaction&, std::optional<int64_t> cursor, TimePoint now) {
                             ++loads_;
                             cursor_ = cursor;
                             now_ = now;
                             return answer;
                           });
  }

  const int64_t north_, harbor_;
  const Staff nurse_, desk_, harbor_nurse_;
  const int64_t patient_;
  int loads_ = 0;
  std::optional<int64_t> cursor_;
  TimePoint now_{};
};

TEST_F(PatientPageReadTest, GivesTheLoaderTheCursorAndAuditsTheRead) {
  const Json page = Must(Read(nurse_.actor, {20, ""}));
  EXPECT_EQ(page, (Json{{"items", Json::array()}}));
  EXPECT_EQ(loads_, 1);
  EXPECT_EQ(cursor_, std::nullopt);
  EXPECT_TRUE(now_ == clock().Now());
  Must(Read(nurse_.actor, {1, "42"}));
  EXPECT_EQ(cursor_, std::optional<int64_t>(42));
  const auto reads = AuditEvents("test_page.read", "success");
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[0].resource_type, "patient");
  EXPECT_EQ(reads[0].resource_id, std::to_string(patient_));
  EXPECT_EQ(reads[0].patient_id, std::optional<int64_t>(patient_));
  EXPECT_EQ(reads[0].detail, "history");
  EXPECT_EQ(reads[0].username, "nurse.ada");
}

TEST_F(PatientPageReadTest, RefusesBadLimitsAndCursorsNamingTheField) {
  EXPECT_TRUE(FailsWith(Read(nurse_.actor, {0, ""}), ErrorCode::kInvalidInput, "limit"));
  EXPECT_TRUE(FailsWith(Read(nurse_.actor, {21, ""}), ErrorCode::kInvalidInput, "limit"));
  for (const char* cursor : {"0", "-3", "+3", " 3", "3 ", "3x", "abc", "99999999999999999999"}) {
    EXPECT_TRUE(FailsWith(Read(nurse_.actor, {20, cursor}), ErrorCode::kInvalidInput, "cursor")) << cursor;
  }
  EXPECT_EQ(loads_, 0);
  EXPECT_EQ(CountAudit("test_page.read"), 0);
}

TEST_F(PatientPageReadTest, DeniesWithoutThePermissionAndAuditsTheDenial) {
  EXPECT_TRUE(FailsWith(Read(desk_.actor, {20, ""}), ErrorCode::kForbidden));
  EXPECT_EQ(loads_, 0);
  const auto denied = AuditEvents("test_page.read", "denied");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].patient_id, std::optional<int64_t>(patient_));
  EXPECT_EQ(CountAudit("test_page.read", "success"), 0);
}

TEST_F(PatientPageReadTest, AnotherClinicsPatientIsNotFoundAndLeavesATrace) {
  EXPECT_TRUE(FailsWith(Read(harbor_nurse_.actor, {20, ""}), ErrorCode::kNotFound));
  EXPECT_EQ(loads_, 0);
  const auto failed = AuditEvents("test_page.read", "failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].resource_id, std::to_string(patient_));
  EXPECT_EQ(failed[0].detail, "not found in this clinic");
  EXPECT_EQ(CountAudit("test_page.read", "success"), 0);
}

TEST_F(PatientPageReadTest, ALoadersErrorPassesThroughWithoutAReadEvent) {
  EXPECT_TRUE(FailsWith(Read(nurse_.actor, {20, ""}, Conflict("the page moved")), ErrorCode::kConflict));
  EXPECT_EQ(loads_, 1);
  EXPECT_EQ(CountAudit("test_page.read"), 0);
}

}  // namespace
}  // namespace ketachart
