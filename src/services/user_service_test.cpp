// Staff accounts: who can create them, what a valid account is, and that
// disabling or resetting a password really shuts the door on old sessions.
#include "services/user_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using namespace std::chrono_literals;
using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

constexpr const char* kNewPassword = "a brand new passphrase";

class UserServiceTest : public ServiceTest {
 protected:
  UserServiceTest() : users_(context()), auth_(context()) {
    north_ = AddClinic("NRK");
    harbor_ = AddClinic("HMC");
    admin_ = AddStaff("admin.dana", north_, {Role::kAdmin});
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
  }

  NewUser Maria(std::vector<std::string> roles = {"nurse"}) {
    return NewUser{"nurse.maria", "Maria Lindqvist, RN", "long enough password", std::move(roles)};
  }
  std::string Token(const std::string& username, const std::string& password) {
    return Must(auth_.Login(username, password, "203.0.113.7"), "log in " + username).session_token;
  }
  bool SessionValid(const std::string& token) { return auth_.Authenticate(token, "203.0.113.7").ok(); }
  std::vector<std::string> RolesIn(int64_t user_id, int64_t clinic_id) {
    std::vector<std::string> roles;
    for (const SqlRow& row : Query("SELECT role FROM user_clinic_roles WHERE user_id = ? AND clinic_id = ? ORDER BY role",
                                   {user_id, clinic_id})) {
      roles.push_back(row.Text(0));
    }
    return roles;
  }

  UserService users_;
  AuthService auth_;
  int64_t north_ = 0, harbor_ = 0;
  Staff admin_, nurse_;
};

TEST_F(UserServiceTest, AdminCreatesAUserWithRolesWhoCanThenLogIn) {
  auto created = users_.CreateUser(admin_.actor, Maria({"nurse", "therapist", "nurse"}));
  KC_ASSERT_OK(created);
  const UserView& user = created.value();
  EXPECT_GT(user.id, 0);
  EXPECT_EQ(user.username, "nurse.maria");
  EXPECT_EQ(user.display_name, "Maria Lindqvist, RN");
  EXPECT_FALSE(user.disabled);
  EXPECT_FALSE(user.locked);
  EXPECT_EQ(user.created_at, Now());
  ASSERT_EQ(user.clinics.size(), 1u);
  EXPECT_EQ(user.clinics[0].clinic_id, north_);
  EXPECT_EQ(user.clinics[0].roles, (std::vector<std::string>{"nurse", "therapist"}));

  auto login = auth_.Login("nurse.maria", "long enough password", "203.0.113.7");
  KC_ASSERT_OK(login);
  auto request = Must(auth_.Authenticate(login.value().session_token, "203.0.113.7"));
  EXPECT_EQ(request.actor.roles, (std::set<Role>{Role::kNurse, Role::kTherapist}));

  const auto audited = AuditEvents("user.create", "success");
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0].username, "admin.dana");
  EXPECT_EQ(audited[0].resource_id, std::to_string(user.id));
  EXPECT_EQ(audited[0].detail.find("long enough password"), std::string::npos);
}

TEST_F(UserServiceTest, DuplicateUsernameIsAConflictOnUsername) {
  KC_ASSERT_OK(users_.CreateUser(admin_.actor, Maria()));
  const int64_t before = CountRows("SELECT COUNT(*) FROM users");
  EXPECT_TRUE(FailsWith(users_.CreateUser(admin_.actor, Maria()), ErrorCode::kConflict, "username"));
  NewUser clash = Maria();
  clash.username = "nurse.ada";
  EXPECT_TRUE(FailsWith(users_.CreateUser(admin_.actor, clash), ErrorCode::kConflict, "username"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM users"), before);
  EXPECT_EQ(CountAudit("user.create", "success"), 1);
}

TEST_F(UserServiceTest, InvalidInputNamesTheField) {
  for (const char* bad : {"Maria", "ma", "has space", ".maria", "maria@clinic", ""}) {
    SCOPED_TRACE(bad);
    NewUser user = Maria();
    user.username = bad;
    EXPECT_TRUE(FailsWith(users_.CreateUser(admin_.actor, user), ErrorCode::kInvalidInput, "username"));
  }
  NewUser user = Maria();
  user.username = std::string(65, 'a');
  EXPECT_TRUE(FailsWith(users_.CreateUser(admin_.actor, user), ErrorCode::kInvalidInput, "username"));

  user = Maria();
  user.password = "eleven chrs";  // 11 < the minimum of 12
  EXPECT_TRUE(FailsWith(users_.CreateUser(admin_.actor, user), ErrorCode::kInvalidInput, "password"));
  user.password = std::string(513, 'p');
  EXPECT_TRUE(FailsWith(users_.CreateUser(admin_.actor, user), ErrorCode::kInvalidInput, "password"));

  user = Maria();
  user.display_name = "";
  EXPECT_TRUE(FailsWith(users_.CreateUser(admin_.actor, user), ErrorCode::kInvalidInput, "display_name"));

  EXPECT_TRUE(FailsWith(users_.CreateUser(admin_.actor, Maria({"nurse", "doctor"})), ErrorCode::kInvalidInput,
                        "roles"));
  EXPECT_TRUE(FailsWith(users_.FindUserId("nurse.maria"), ErrorCode::kNotFound)) << "nothing was created";
}

TEST_F(UserServiceTest, ValidUsernamesAndPasswordLengthFollowSettings) {
  for (const char* good : {"ada", "nurse.ada", "n_ada-2", "0ada"}) {
    EXPECT_TRUE(UserService::ValidateUsername(good).ok()) << good;
  }
  security().min_password_length = 20;
  EXPECT_TRUE(FailsWith(users_.ValidatePassword("nineteen characters"), ErrorCode::kInvalidInput, "password"));
  EXPECT_TRUE(users_.ValidatePassword("twenty characters!!!").ok());
}

TEST_F(UserServiceTest, NonAdminIsForbiddenAndTheDenialIsAudited) {
  auto created = users_.CreateUser(nurse_.actor, Maria({"admin"}));
  EXPECT_TRUE(FailsWith(created, ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(users_.FindUserId("nurse.maria"), ErrorCode::kNotFound));
  const auto denied = AuditEvents("user.create", "denied");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].username, "nurse.ada");
  EXPECT_EQ(denied[0].detail, "missing permission user.admin");

  EXPECT_TRUE(FailsWith(users_.SetRoles(nurse_.actor, nurse_.id, {"admin"}), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(users_.DisableUser(nurse_.actor, admin_.id), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(users_.ResetPassword(nurse_.actor, admin_.id, kNewPassword), ErrorCode::kForbidden));
  EXPECT_EQ(RolesIn(nurse_.id, north_), std::vector<std::string>{"nurse"}) << "no self-promotion";
  EXPECT_EQ(CountAudit("user.set_roles", "denied"), 1);
  EXPECT_EQ(CountAudit("user.disable", "denied"), 1);
  EXPECT_EQ(CountAudit("user.reset_password", "denied"), 1);
  KC_EXPECT_OK(auth_.Login("admin.dana", admin_.password, "203.0.113.7"));
}

TEST_F(UserServiceTest, AdminRoleClaimedWithoutAnActiveClinicIsForbidden) {
  Actor adrift = admin_.actor;
  adrift.clinic_id = 0;
  EXPECT_TRUE(FailsWith(users_.CreateUser(adrift, Maria()), ErrorCode::kForbidden));
}

TEST_F(UserServiceTest, SetRolesCannotRemoveTheLastAdmin) {
  auto demoted = users_.SetRoles(admin_.actor, admin_.id, {"nurse"});
  EXPECT_TRUE(FailsWith(demoted, ErrorCode::kConflict, "roles"));
  EXPECT_EQ(RolesIn(admin_.id, north_), std::vector<std::string>{"admin"}) << "nothing changed";
  EXPECT_TRUE(FailsWith(users_.SetRoles(admin_.actor, admin_.id, {}), ErrorCode::kConflict, "roles"));
  EXPECT_EQ(CountAudit("user.set_roles", "success"), 0);

  // With a second (enabled) admin, the first may step down.
  Staff second = AddStaff("admin.eli", north_, {Role::kAdmin});
  auto stepped_down = users_.SetRoles(admin_.actor, admin_.id, {"nurse"});
  KC_ASSERT_OK(stepped_down);
  EXPECT_EQ(RolesIn(admin_.id, north_), std::vector<std::string>{"nurse"});
  EXPECT_EQ(CountAudit("user.set_roles", "success"), 1);
}

TEST_F(UserServiceTest, ADisabledAdminDoesNotCountAsTheRemainingAdmin) {
  Staff second = AddStaff("admin.eli", north_, {Role::kAdmin});
  KC_ASSERT_OK(users_.DisableUser(admin_.actor, second.id));
  EXPECT_TRUE(FailsWith(users_.SetRoles(admin_.actor, admin_.id, {"nurse"}), ErrorCode::kConflict, "roles"));
}

TEST_F(UserServiceTest, AnotherClinicsLastAdminDoesNotCount) {
  Staff harbor_admin = AddStaff("admin.harbor", harbor_, {Role::kAdmin});
  EXPECT_TRUE(FailsWith(users_.SetRoles(admin_.actor, admin_.id, {"nurse"}), ErrorCode::kConflict, "roles"));
  EXPECT_EQ(RolesIn(harbor_admin.id, harbor_), std::vector<std::string>{"admin"});
}

TEST_F(UserServiceTest, SetRolesReplacesRolesInTheActiveClinicOnly) {
  Grant(nurse_.id, harbor_, Role::kNurse);
  auto updated = users_.SetRoles(admin_.actor, nurse_.id, {"therapist", "front_desk"});
  KC_ASSERT_OK(updated);
  EXPECT_EQ(RolesIn(nurse_.id, north_), (std::vector<std::string>{"front_desk", "therapist"}));
  EXPECT_EQ(RolesIn(nurse_.id, harbor_), std::vector<std::string>{"nurse"}) << "the other clinic is untouched";
  EXPECT_TRUE(FailsWith(users_.SetRoles(admin_.actor, nurse_.id, {"superuser"}), ErrorCode::kInvalidInput, "roles"));
}

TEST_F(UserServiceTest, AdminCannotManageStaffOfAnotherClinic) {
  Staff harbor_nurse = AddStaff("nurse.tomasz", harbor_, {Role::kNurse});
  const std::string token = Token("nurse.tomasz", harbor_nurse.password);
  EXPECT_TRUE(FailsWith(users_.SetRoles(admin_.actor, harbor_nurse.id, {"admin"}), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(users_.DisableUser(admin_.actor, harbor_nurse.id), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(users_.ResetPassword(admin_.actor, harbor_nurse.id, kNewPassword), ErrorCode::kNotFound));
  EXPECT_TRUE(RolesIn(harbor_nurse.id, north_).empty());
  EXPECT_TRUE(SessionValid(token));
  KC_EXPECT_OK(auth_.Login("nurse.tomasz", harbor_nurse.password, "203.0.113.7"));
}

TEST_F(UserServiceTest, DisableUserEndsSessionsAndRefusesLogin) {
  const std::string token = Token("nurse.ada", nurse_.password);
  ASSERT_TRUE(SessionValid(token));
  KC_ASSERT_OK(users_.DisableUser(admin_.actor, nurse_.id));
  EXPECT_FALSE(SessionValid(token));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sessions WHERE user_id = ? AND ended_at IS NULL", {nurse_.id}), 0);
  EXPECT_TRUE(FailsWith(auth_.Login("nurse.ada", nurse_.password, "203.0.113.7"), ErrorCode::kUnauthenticated));
  EXPECT_EQ(CountAudit("user.disable", "success"), 1);

  auto listed = users_.ListUsers(admin_.actor);
  KC_ASSERT_OK(listed);
  auto it = std::find_if(listed.value().begin(), listed.value().end(),
                         [](const UserView& u) { return u.username == "nurse.ada"; });
  ASSERT_NE(it, listed.value().end());
  EXPECT_TRUE(it->disabled);
}

TEST_F(UserServiceTest, AdminCannotDisableThemself) {
  const std::string token = Token("admin.dana", admin_.password);
  EXPECT_TRUE(FailsWith(users_.DisableUser(admin_.actor, admin_.id), ErrorCode::kConflict));
  EXPECT_TRUE(SessionValid(token));
  EXPECT_EQ(CountRows("SELECT disabled FROM users WHERE id = ?", {admin_.id}), 0);
}

TEST_F(UserServiceTest, ResetPasswordEndsSessionsAndTheOldPasswordStopsWorking) {
  const std::string token = Token("nurse.ada", nurse_.password);
  KC_ASSERT_OK(users_.ResetPassword(admin_.actor, nurse_.id, kNewPassword));
  EXPECT_FALSE(SessionValid(token));
  EXPECT_TRUE(FailsWith(auth_.Login("nurse.ada", nurse_.password, "203.0.113.7"), ErrorCode::kUnauthenticated));
  KC_EXPECT_OK(auth_.Login("nurse.ada", kNewPassword, "203.0.113.7"));
  EXPECT_EQ(CountAudit("user.reset_password", "success"), 1);
}

TEST_F(UserServiceTest, ResetPasswordRejectsAShortPasswordAndKeepsTheOldOne) {
  EXPECT_TRUE(FailsWith(users_.ResetPassword(admin_.actor, nurse_.id, "short"), ErrorCode::kInvalidInput, "password"));
  KC_EXPECT_OK(auth_.Login("nurse.ada", nurse_.password, "203.0.113.7"));
}

TEST_F(UserServiceTest, ResetPasswordClearsALockout) {
  security().max_failed_logins = 2;
  auth_.Login("nurse.ada", "guess 1", "203.0.113.7");
  auth_.Login("nurse.ada", "guess 2", "203.0.113.7");
  auto users = Must(users_.ListUsers(admin_.actor));
  auto it = std::find_if(users.begin(), users.end(), [](const UserView& u) { return u.username == "nurse.ada"; });
  ASSERT_NE(it, users.end());
  EXPECT_TRUE(it->locked);
  KC_ASSERT_OK(users_.ResetPassword(admin_.actor, nurse_.id, kNewPassword));
  KC_EXPECT_OK(auth_.Login("nurse.ada", kNewPassword, "203.0.113.7"));
}

TEST_F(UserServiceTest, ListUsersShowsThisClinicsStaffAndUnassignedAccounts) {
  AddStaff("nurse.tomasz", harbor_, {Role::kNurse});
  AddStaff("new.hire", north_, {});
  auto listed = users_.ListUsers(nurse_.actor);  // user.read is enough
  KC_ASSERT_OK(listed);
  std::vector<std::string> names;
  for (const auto& user : listed.value()) names.push_back(user.username);
  EXPECT_EQ(names, (std::vector<std::string>{"admin.dana", "new.hire", "nurse.ada"}));
  EXPECT_EQ(CountAudit("user.list", "success"), 1);

  Staff desk = AddStaff("desk.priya", north_, {Role::kFrontDesk});
  EXPECT_TRUE(FailsWith(users_.ListUsers(desk.actor), ErrorCode::kForbidden));
}

TEST_F(UserServiceTest, AllClinicsListingIsOnlyForTheLocalOperator) {
  AddStaff("nurse.tomasz", harbor_, {Role::kNurse});
  // The CLI's local operator sees every account.
  auto everyone = users_.ListUsers(LocalOperator(north_), /*all_clinics=*/true);
  KC_ASSERT_OK(everyone);
  EXPECT_EQ(everyone.value().size(), 3u);

  // A signed-in admin asking for all clinics still sees only their own clinic
  // (user_service.h: "all clinics when `all_clinics` and the actor is a local
  // operator, i.e. the CLI").
  auto staff_view = users_.ListUsers(admin_.actor, /*all_clinics=*/true);
  KC_ASSERT_OK(staff_view);
  for (const auto& user : staff_view.value()) {
    EXPECT_NE(user.username, "nurse.tomasz") << "another clinic's staff leaked to a clinic admin";
  }
}

}  // namespace
}  // namespace ketachart

namespace ketachart {
namespace {

// An account that works in two clinics: the admin of one clinic alone must
// not be able to take it over (its password and disabled flag apply in both).
TEST_F(UserServiceTest, AnAdminOfOneClinicCannotResetOrDisableAnAccountThatAlsoWorksElsewhere) {
  Grant(nurse_.id, harbor_, Role::kAdmin);  // nurse in NRK, admin in HMC
  EXPECT_TRUE(FailsWith(users_.ResetPassword(admin_.actor, nurse_.id, kNewPassword), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(users_.DisableUser(admin_.actor, nurse_.id), ErrorCode::kForbidden));
  KC_EXPECT_OK(auth_.Login("nurse.ada", nurse_.password, "203.0.113.7"));  // nothing changed
  EXPECT_EQ(CountAudit("user.reset_password", "denied"), 1);
  EXPECT_EQ(CountAudit("user.disable", "denied"), 1);

  // An admin of both clinics may; so may the local operator.
  Grant(admin_.id, harbor_, Role::kAdmin);
  KC_EXPECT_OK(users_.ResetPassword(admin_.actor, nurse_.id, kNewPassword));
  KC_EXPECT_OK(users_.ResetPassword(LocalOperator(north_), nurse_.id, std::string(kNewPassword) + "!"));
}

}  // namespace
}  // namespace ketachart
