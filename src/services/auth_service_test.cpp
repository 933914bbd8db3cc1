// Log-in, lock-out, session expiry, CSRF and clinic switching: the rules that
// keep a stolen laptop, a guessed password or a forged form out of the charts.
#include "services/auth_service.h"

#include <gtest/gtest.h>

#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using namespace std::chrono_literals;
using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

class AuthServiceTest : public ServiceTest {
 protected:
  AuthServiceTest() : auth_(context()) {
    north_ = AddClinic("NRK", "North River Ketamine Clinic");
    harbor_ = AddClinic("HMC", "Harbor Mind Clinic");
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
  }

  Result<LoginResult> LoginAs(const std::string& username, const std::string& password) {
    return auth_.Login(username, password, "203.0.113.7");
  }
  std::string LoginToken(const Staff& staff) {
    return Must(LoginAs(staff.username, staff.password), "log in " + staff.username).session_token;
  }
  Result<AuthenticatedRequest> Authenticate(const std::string& token) {
    return auth_.Authenticate(token, "203.0.113.7");
  }
  void Disable(int64_t user_id) {
    ExecuteScript("UPDATE users SET disabled = 1 WHERE id = " + std::to_string(user_id));
  }

  AuthService auth_;
  int64_t north_ = 0, harbor_ = 0;
  Staff nurse_;
};

TEST_F(AuthServiceTest, LoginStartsASessionInTheFirstClinic) {
  auto login = LoginAs("nurse.ada", nurse_.password);
  KC_ASSERT_OK(login);
  const LoginResult& result = login.value();
  EXPECT_GE(result.session_token.size(), 40u);
  EXPECT_EQ(result.session.user_id, nurse_.id);
  EXPECT_EQ(result.session.username, "nurse.ada");
  EXPECT_EQ(result.session.active_clinic_id, north_);
  ASSERT_EQ(result.session.clinics.size(), 1u);
  EXPECT_EQ(result.session.clinics[0].code, "NRK");
  EXPECT_EQ(result.session.clinics[0].roles, std::vector<std::string>{"nurse"});
  EXPECT_EQ(result.session.permissions,
            (std::vector<std::string>{"patient.read", "patient.write", "user.read", "monitor.read", "ledger.read",
                                      "ledger.record", "measure.read", "measure.write", "measure.alert.acknowledge", "course.read", "intake.write", "consent.record", "schedule.read", "schedule.write", "session.read", "session.record", "monitor.setup"}));
  EXPECT_EQ(result.session.csrf_token, AuthService::CsrfTokenFor(result.session_token));
  EXPECT_NE(result.session.csrf_token, result.session_token);

  // The token is stored only as a hash.
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", {result.session_token}), 0);

  auto request = Authenticate(result.session_token);
  KC_ASSERT_OK(request);
  EXPECT_EQ(request.value().actor.user_id, nurse_.id);
  EXPECT_EQ(request.value().actor.username, "nurse.ada");
  EXPECT_EQ(request.value().actor.clinic_id, north_);
  EXPECT_EQ(request.value().actor.roles, std::set<Role>{Role::kNurse});
  EXPECT_EQ(request.value().actor.client_address, "203.0.113.7");
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  auto wrong_password = LoginAs("nurse.ada", "not the password");
  auto unknown_user = LoginAs("nurse.nobody", "not the password");
  ASSERT_TRUE(FailsWith(wrong_password, ErrorCode::kUnauthenticated));
  ASSERT_TRUE(FailsWith(unknown_user, ErrorCode::kUnauthenticated));
  EXPECT_EQ(wrong_password.error().message, unknown_user.error().message);
  EXPECT_EQ(wrong_password.error().field, unknown_user.error().field);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sessions"), 0);
}

TEST_F(AuthServiceTest, AccountLocksAfterMaxFailedLoginsAndUnlocksAfterTheLockoutDuration) {
  security().max_failed_logins = 3;
  security().lockout_duration = 15min;
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(FailsWith(LoginAs("nurse.ada", "guess " + std::to_string(i)), ErrorCode::kUnauthenticated));
  }
  // Locked: even the right password is refused, with its own answer.
  auto locked = LoginAs("nurse.ada", nurse_.password);
  EXPECT_TRUE(FailsWith(locked, ErrorCode::kLocked));
  EXPECT_EQ(HttpStatusFor(ErrorCode::kLocked), 423);

  clock().Advance(15min - 1s);
  EXPECT_TRUE(FailsWith(LoginAs("nurse.ada", nurse_.password), ErrorCode::kLocked));
  clock().Advance(1s);
  KC_EXPECT_OK(LoginAs("nurse.ada", nurse_.password));
}

TEST_F(AuthServiceTest, WrongPasswordsWhileLockedDoNotExtendTheLock) {
  security().max_failed_logins = 2;
  LoginAs("nurse.ada", "guess 1");
  LoginAs("nurse.ada", "guess 2");
  clock().Advance(10min);
  EXPECT_TRUE(FailsWith(LoginAs("nurse.ada", "guess 3"), ErrorCode::kLocked));
  clock().Advance(5min);
  KC_EXPECT_OK(LoginAs("nurse.ada", nurse_.password));
}

TEST_F(AuthServiceTest, SuccessfulLoginResetsTheFailureCounter) {
  security().max_failed_logins = 3;
  LoginAs("nurse.ada", "guess 1");
  LoginAs("nurse.ada", "guess 2");
  KC_ASSERT_OK(LoginAs("nurse.ada", nurse_.password));
  LoginAs("nurse.ada", "guess 3");
  LoginAs("nurse.ada", "guess 4");
  KC_EXPECT_OK(LoginAs("nurse.ada", nurse_.password)) << "two failures after a success must not lock";
  EXPECT_EQ(CountRows("SELECT failed_logins FROM users WHERE id = ?", {nurse_.id}), 0);
}

TEST_F(AuthServiceTest, FailuresOnOneAccountDoNotLockAnother) {
  security().max_failed_logins = 2;
  Staff other = AddStaff("nurse.bea", north_, {Role::kNurse});
  LoginAs("nurse.ada", "guess 1");
  LoginAs("nurse.ada", "guess 2");
  EXPECT_TRUE(FailsWith(LoginAs("nurse.ada", nurse_.password), ErrorCode::kLocked));
  KC_EXPECT_OK(LoginAs("nurse.bea", other.password));
}

TEST_F(AuthServiceTest, DisabledUserIsRefusedLikeAWrongPassword) {
  Disable(nurse_.id);
  auto login = LoginAs("nurse.ada", nurse_.password);
  ASSERT_TRUE(FailsWith(login, ErrorCode::kUnauthenticated));
  auto wrong = LoginAs("nurse.nobody", "whatever");
  EXPECT_EQ(login.error().message, wrong.error().message) << "must not reveal that the account exists";
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sessions"), 0);
}

TEST_F(AuthServiceTest, DisablingEndsAccessForAnExistingSession) {
  const std::string token = LoginToken(nurse_);
  Disable(nurse_.id);
  EXPECT_TRUE(FailsWith(Authenticate(token), ErrorCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, AuthenticateRejectsUnknownAndMalformedTokens) {
  LoginToken(nurse_);
  EXPECT_TRUE(FailsWith(Authenticate(""), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(FailsWith(Authenticate("not-a-session-token"), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(FailsWith(Authenticate(std::string(129, 'a')), ErrorCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, AuthenticateRejectsAnEndedSession) {
  const std::string token = LoginToken(nurse_);
  auto request = Authenticate(token);
  KC_ASSERT_OK(request);
  KC_ASSERT_OK(auth_.Logout(request.value()));
  EXPECT_TRUE(FailsWith(Authenticate(token), ErrorCode::kUnauthenticated));
  EXPECT_EQ(CountAudit("session.logout", "success"), 1);
}

TEST_F(AuthServiceTest, LoggingOutOneSessionLeavesTheOthers) {
  const std::string laptop = LoginToken(nurse_);
  const std::string tablet = LoginToken(nurse_);
  KC_ASSERT_OK(auth_.Logout(Must(Authenticate(laptop))));
  EXPECT_TRUE(FailsWith(Authenticate(laptop), ErrorCode::kUnauthenticated));
  KC_EXPECT_OK(Authenticate(tablet));
}

TEST_F(AuthServiceTest, IdleTimeoutEndsAnUnusedSessionButActivityKeepsItAlive) {
  security().session_idle_timeout = 30min;
  const std::string token = LoginToken(nurse_);
  clock().Advance(29min);
  KC_ASSERT_OK(Authenticate(token));
  clock().Advance(29min);  // 58 minutes after log-in, 29 after the last use
  KC_ASSERT_OK(Authenticate(token));
  clock().Advance(30min);
  EXPECT_TRUE(FailsWith(Authenticate(token), ErrorCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, IdleTimeoutIsEnforcedWithoutAnyActivity) {
  security().session_idle_timeout = 30min;
  const std::string token = LoginToken(nurse_);
  clock().Advance(30min);
  EXPECT_TRUE(FailsWith(Authenticate(token), ErrorCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, AbsoluteTimeoutEndsEvenABusySession) {
  security().session_idle_timeout = 30min;
  security().session_absolute_timeout = 12h;
  const std::string token = LoginToken(nurse_);
  for (int i = 1; i < 36; ++i) {  // used every 20 minutes up to 11h40
    clock().Advance(20min);
    ASSERT_TRUE(Authenticate(token).ok()) << "after " << i * 20 << " minutes";
  }
  clock().Advance(20min);  // 12h after log-in
  EXPECT_TRUE(FailsWith(Authenticate(token), ErrorCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, CsrfTokenMatchesOnlyItsOwnSession) {
  auto first = Must(LoginAs("nurse.ada", nurse_.password));
  auto second = Must(LoginAs("nurse.ada", nurse_.password));
  auto request = Must(Authenticate(first.session_token));
  EXPECT_TRUE(auth_.CsrfTokenMatches(request, first.session.csrf_token));
  EXPECT_FALSE(auth_.CsrfTokenMatches(request, second.session.csrf_token));
  EXPECT_FALSE(auth_.CsrfTokenMatches(request, ""));
  EXPECT_FALSE(auth_.CsrfTokenMatches(request, first.session_token));
  EXPECT_FALSE(auth_.CsrfTokenMatches(request, first.session.csrf_token.substr(1)));

  // Describe (a page reload) returns the same CSRF token again.
  auto view = auth_.Describe(request);
  KC_ASSERT_OK(view);
  EXPECT_EQ(view.value().csrf_token, first.session.csrf_token);
}

TEST_F(AuthServiceTest, SwitchingToAClinicWithoutARoleIsForbiddenAndAudited) {
  const std::string token = LoginToken(nurse_);
  auto request = Must(Authenticate(token));
  auto switched = auth_.SwitchClinic(request, harbor_);
  EXPECT_TRUE(FailsWith(switched, ErrorCode::kForbidden));
  const auto denied = AuditEvents("session.switch_clinic", "denied");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].user_id, nurse_.id);
  EXPECT_EQ(denied[0].resource_id, std::to_string(harbor_));
  EXPECT_EQ(CountAudit("session.switch_clinic", "success"), 0);
  // The session stays in its clinic.
  EXPECT_EQ(Must(Authenticate(token)).actor.clinic_id, north_);

  EXPECT_TRUE(FailsWith(auth_.SwitchClinic(request, 9999), ErrorCode::kForbidden)) << "no such clinic";
}

TEST_F(AuthServiceTest, SwitchingToAClinicWithARoleChangesRolesAndPermissions) {
  Grant(nurse_.id, harbor_, Role::kFrontDesk);
  const std::string token = LoginToken(nurse_);
  auto request = Must(Authenticate(token));
  auto view = auth_.SwitchClinic(request, harbor_);
  KC_ASSERT_OK(view);
  EXPECT_EQ(view.value().active_clinic_id, harbor_);
  EXPECT_EQ(view.value().clinics.size(), 2u);
  EXPECT_EQ(view.value().permissions, (std::vector<std::string>{"patient.read", "patient.write", "schedule.read", "schedule.write"}));
  auto after = Must(Authenticate(token));
  EXPECT_EQ(after.actor.clinic_id, harbor_);
  EXPECT_EQ(after.actor.roles, std::set<Role>{Role::kFrontDesk});
  EXPECT_EQ(CountAudit("session.switch_clinic", "success"), 1);
}

TEST_F(AuthServiceTest, UserWithoutAnyClinicLogsInWithNoActiveClinic) {
  Staff drifter = AddStaff("new.hire", north_, {});
  auto login = LoginAs("new.hire", drifter.password);
  KC_ASSERT_OK(login);
  EXPECT_EQ(login.value().session.active_clinic_id, 0);
  EXPECT_TRUE(login.value().session.permissions.empty());
  auto request = Must(Authenticate(login.value().session_token));
  EXPECT_EQ(request.actor.clinic_id, 0);
  EXPECT_TRUE(request.actor.roles.empty());
}

TEST_F(AuthServiceTest, EveryLoginAttemptIsAudited) {
  security().max_failed_logins = 2;
  Staff leaver = AddStaff("nurse.leaver", north_, {Role::kNurse});
  Disable(leaver.id);

  LoginAs("ghost", "whatever");                  // unknown user: failed
  LoginAs("nurse.ada", "guess 1");               // wrong password: failed
  KC_ASSERT_OK(LoginAs("nurse.ada", nurse_.password));  // success
  LoginAs("nurse.ada", "guess 2");               // failed
  LoginAs("nurse.ada", "guess 3");               // failed, locks
  LoginAs("nurse.ada", nurse_.password);         // locked: denied
  LoginAs("nurse.leaver", leaver.password);      // disabled: failed

  EXPECT_EQ(CountAudit("session.login"), 7);
  EXPECT_EQ(CountAudit("session.login", "failed"), 5);
  EXPECT_EQ(CountAudit("session.login", "success"), 1);
  EXPECT_EQ(CountAudit("session.login", "denied"), 1);

  const auto events = AuditEvents("session.login");
  ASSERT_EQ(events.size(), 7u);
  EXPECT_EQ(events[0].username, "ghost");
  EXPECT_FALSE(events[0].user_id.has_value());
  EXPECT_EQ(events[0].client_address, "203.0.113.7");
  EXPECT_EQ(events[1].user_id, nurse_.id);
  EXPECT_EQ(events[2].outcome, "success");
  EXPECT_EQ(events[2].clinic_id, north_);
  EXPECT_NE(events[4].detail.find("locked"), std::string::npos) << events[4].detail;
  EXPECT_EQ(events[5].detail, "account locked");
  EXPECT_EQ(events[6].detail, "account disabled");
  for (const auto& event : events) {
    EXPECT_EQ(event.detail.find(nurse_.password), std::string::npos) << "passwords never reach the audit trail";
  }
}

}  // namespace
}  // namespace ketachart
