// The permission matrix, cell by cell: a wrong cell lets a role see charts or
// accounts it must not (or locks staff out of their work). docs/security.md
// reproduces the same table.
#include "services/permissions.h"

#include <gtest/gtest.h>

#include <map>

#include "services/actor.h"

namespace ketachart {
namespace {

using P = Permission;

// The expected matrix, written out in full. Anything not listed is denied.
const std::map<Role, std::set<Permission>>& ExpectedMatrix() {
  static const std::map<Role, std::set<Permission>> matrix = {
      {Role::kAdmin,
       {P::kPatientRead, P::kPatientWrite, P::kUserRead, P::kUserAdmin, P::kAuditRead, P::kMonitorRead,
        P::kLedgerRead, P::kLedgerSetup, P::kMeasureRead, P::kMeasureWrite, P::kCourseRead, P::kProtocolAdmin,
        P::kScheduleRead, P::kScheduleWrite, P::kScheduleSetup, P::kSessionRead, P::kMonitorSetup}},
      {Role::kPrescriber,
       {P::kPatientRead, P::kPatientWrite, P::kUserRead, P::kMonitorRead, P::kLedgerRead, P::kLedgerRecord,
        P::kMeasureRead, P::kMeasureWrite, P::kMeasureAlertAcknowledge, P::kCourseRead, P::kIntakeWrite,
        P::kEligibilityOverride, P::kConsentRecord, P::kCoursePlan, P::kScheduleRead, P::kScheduleWrite,
        P::kSessionRead, P::kSessionRecord, P::kSessionOrder, P::kNoteSign, P::kIntegrationWrite}},
      {Role::kNurse,
       {P::kPatientRead, P::kPatientWrite, P::kUserRead, P::kMonitorRead, P::kLedgerRead, P::kLedgerRecord,
        P::kMeasureRead, P::kMeasureWrite, P::kMeasureAlertAcknowledge, P::kCourseRead, P::kIntakeWrite,
        P::kConsentRecord, P::kScheduleRead, P::kScheduleWrite, P::kSessionRead, P::kSessionRecord,
        P::kMonitorSetup}},
      {Role::kTherapist,
       {P::kPatientRead, P::kUserRead, P::kMeasureRead, P::kMeasureWrite, P::kMeasureAlertAcknowledge,
        P::kCourseRead, P::kIntakeWrite, P::kScheduleRead, P::kSessionRead, P::kIntegrationWrite}},
      {Role::kFrontDesk, {P::kPatientRead, P::kPatientWrite, P::kScheduleRead, P::kScheduleWrite}},
      {Role::kAuditor, {P::kAuditRead, P::kUserRead, P::kLedgerRead}},
  };
  return matrix;
}

TEST(PermissionsTest, EveryRoleAndPermissionIsInTheTable) {
  EXPECT_EQ(AllRoles().size(), ExpectedMatrix().size());
  for (Role role : AllRoles()) EXPECT_TRUE(ExpectedMatrix().count(role)) << RoleName(role);
  EXPECT_EQ(AllPermissions().size(), 27u);
}

TEST(PermissionsTest, MatrixCellByCell) {
  for (Role role : AllRoles()) {
    for (Permission permission : AllPermissions()) {
      const bool expected = ExpectedMatrix().at(role).count(permission) > 0;
      EXPECT_EQ(RolesGrant({role}, permission), expected)
          << RoleName(role) << " x " << PermissionName(permission) << " should be "
          << (expected ? "granted" : "denied");
    }
  }
}

TEST(PermissionsTest, NoRolesMeansNothingIsAllowed) {
  for (Permission permission : AllPermissions()) {
    EXPECT_FALSE(RolesGrant({}, permission)) << PermissionName(permission);
    EXPECT_FALSE(Actor{}.Can(permission)) << PermissionName(permission);
  }
}

TEST(PermissionsTest, AuditorCannotReadCharts) {
  EXPECT_FALSE(RolesGrant({Role::kAuditor}, P::kPatientRead));
  EXPECT_FALSE(RolesGrant({Role::kAuditor}, P::kPatientWrite));
  EXPECT_TRUE(RolesGrant({Role::kAuditor}, P::kAuditRead));
}

// "Only prescribers and nurses administer or waste; auditors read" (issue 8).
TEST(PermissionsTest, OnlyPrescribersAndNursesRecordControlledSubstances) {
  for (Role role : AllRoles()) {
    EXPECT_EQ(RolesGrant({role}, P::kLedgerRecord), role == Role::kPrescriber || role == Role::kNurse)
        << RoleName(role);
  }
  EXPECT_TRUE(RolesGrant({Role::kAuditor}, P::kLedgerRead));
  EXPECT_FALSE(RolesGrant({Role::kTherapist}, P::kLedgerRead));
  EXPECT_FALSE(RolesGrant({Role::kFrontDesk}, P::kLedgerRead));
}

TEST(PermissionsTest, FrontDeskCannotReadTheAuditTrailOrStaffList) {
  EXPECT_FALSE(RolesGrant({Role::kFrontDesk}, P::kAuditRead));
  EXPECT_FALSE(RolesGrant({Role::kFrontDesk}, P::kUserRead));
}

TEST(PermissionsTest, OnlyAdminCanAdministerAccounts) {
  for (Role role : AllRoles()) {
    EXPECT_EQ(RolesGrant({role}, P::kUserAdmin), role == Role::kAdmin) << RoleName(role);
  }
  // Every non-admin role together still cannot.
  std::set<Role> everyone_but_admin;
  for (Role role : AllRoles()) {
    if (role != Role::kAdmin) everyone_but_admin.insert(role);
  }
  EXPECT_FALSE(RolesGrant(everyone_but_admin, P::kUserAdmin));
}

TEST(PermissionsTest, SeveralRolesGrantTheUnionOfTheirPermissions) {
  const std::set<Role> roles = {Role::kAuditor, Role::kFrontDesk};
  EXPECT_TRUE(RolesGrant(roles, P::kAuditRead));
  EXPECT_TRUE(RolesGrant(roles, P::kPatientWrite));
  EXPECT_TRUE(RolesGrant(roles, P::kUserRead));
  EXPECT_FALSE(RolesGrant(roles, P::kUserAdmin));

  Actor actor;
  actor.roles = roles;
  EXPECT_TRUE(actor.Can(P::kPatientRead));
  EXPECT_FALSE(actor.Can(P::kUserAdmin));
}

TEST(PermissionsTest, RoleNamesRoundTripAndUnknownNamesAreRejected) {
  const std::map<Role, std::string> names = {{Role::kAdmin, "admin"},         {Role::kPrescriber, "prescriber"},
                                             {Role::kNurse, "nurse"},         {Role::kTherapist, "therapist"},
                                             {Role::kFrontDesk, "front_desk"}, {Role::kAuditor, "auditor"}};
  for (const auto& [role, name] : names) {
    EXPECT_EQ(RoleName(role), name);
    EXPECT_EQ(ParseRole(name), role);
  }
  EXPECT_EQ(AllRoleNames(), (std::vector<std::string>{"admin", "prescriber", "nurse", "therapist", "front_desk",
                                                      "auditor"}));
  for (const char* bad : {"", "Admin", "ADMIN", "administrator", "front-desk", "frontdesk", " admin"}) {
    EXPECT_FALSE(ParseRole(bad).has_value()) << '"' << bad << '"';
  }
}

TEST(PermissionsTest, PermissionNamesAreTheDocumentedOnes) {
  EXPECT_EQ(PermissionName(P::kPatientRead), "patient.read");
  EXPECT_EQ(PermissionName(P::kPatientWrite), "patient.write");
  EXPECT_EQ(PermissionName(P::kUserRead), "user.read");
  EXPECT_EQ(PermissionName(P::kUserAdmin), "user.admin");
  EXPECT_EQ(PermissionName(P::kAuditRead), "audit.read");
  EXPECT_EQ(PermissionName(P::kMonitorRead), "monitor.read");
}

}  // namespace
}  // namespace ketachart
