// The session cache must never let a session outlive a log-out, a disabling or
// a role change made in this server, and must bound what another process's
// change can miss to the cache's time to live.
#include "services/session_cache.h"

#include <gtest/gtest.h>

#include "services/auth_service.h"
#include "services/testing/service_fixture.h"
#include "services/user_service.h"

namespace ketachart {
namespace {

using namespace std::chrono_literals;
using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

TimePoint At(int seconds) { return TimePoint{} + std::chrono::seconds(seconds); }

CachedSession SessionFor(int64_t user_id) {
  CachedSession session;
  session.session_id = 10 + user_id;
  session.actor = Actor{user_id, "user" + std::to_string(user_id), 1, {Role::kNurse}, ""};
  return session;
}

TEST(SessionCache, KeepsAnEntryForItsTimeToLiveOnly) {
  SessionCache cache(2s);
  cache.Remember("h1", SessionFor(1), cache.CurrentGeneration(), At(100));
  ASSERT_TRUE(cache.Find("h1", At(101)).has_value());
  EXPECT_EQ(cache.Find("h1", At(101))->actor.user_id, 1);
  EXPECT_FALSE(cache.Find("h1", At(102)).has_value());
  EXPECT_FALSE(cache.Find("h2", At(100)).has_value());
}

TEST(SessionCache, AReadThatStartedBeforeAChangeIsNotKept) {
  SessionCache cache(2s);
  const auto seen = cache.CurrentGeneration();
  cache.ForgetAll();  // e.g. a log-out committed while the reader was reading
  cache.Remember("h1", SessionFor(1), seen, At(100));
  EXPECT_FALSE(cache.Find("h1", At(100)).has_value());
}

TEST(SessionCache, ForgetRemovesOneAndForgetAllRemovesEvery) {
  SessionCache cache(2s);
  cache.Remember("h1", SessionFor(1), cache.CurrentGeneration(), At(100));
  cache.Remember("h2", SessionFor(2), cache.CurrentGeneration(), At(100));
  cache.Forget("h1");
  EXPECT_FALSE(cache.Find("h1", At(100)).has_value());
  EXPECT_TRUE(cache.Find("h2", At(100)).has_value());
  cache.ForgetAll();
  EXPECT_FALSE(cache.Find("h2", At(100)).has_value());
}

TEST(SessionCache, ZeroTimeToLiveKeepsNothing) {
  SessionCache cache(0s);
  cache.Remember("h1", SessionFor(1), cache.CurrentGeneration(), At(100));
  EXPECT_FALSE(cache.Find("h1", At(100)).has_value());
}

TEST(SessionCache, AFullCacheStartsAgainInsteadOfGrowing) {
  SessionCache cache(2s, /*capacity=*/2);
  cache.Remember("h1", SessionFor(1), cache.CurrentGeneration(), At(100));
  cache.Remember("h2", SessionFor(2), cache.CurrentGeneration(), At(100));
  cache.Remember("h3", SessionFor(3), cache.CurrentGeneration(), At(100));
  EXPECT_FALSE(cache.Find("h1", At(100)).has_value());
  EXPECT_TRUE(cache.Find("h3", At(100)).has_value());
}

class CachedAuthenticationTest : public ServiceTest {
 protected:
  CachedAuthenticationTest() : cache_(2s), auth_(context()), users_(context()) {
    context().session_cache = &cache_;
    north_ = AddClinic("NRK");
    admin_ = AddStaff("admin.ana", north_, {Role::kAdmin});
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
  }

  std::string LoginToken(const Staff& staff) {
    return Must(auth_.Login(staff.username, staff.password, "203.0.113.7"), "log in").session_token;
  }
  Result<AuthenticatedRequest> Authenticate(const std::string& token) {
    return auth_.Authenticate(token, "203.0.113.9");
  }

  SessionCache cache_;
  AuthService auth_;
  UserService users_;
  int64_t north_ = 0;
  Staff admin_, nurse_;
};

TEST_F(CachedAuthenticationTest, ACachedSessionCarriesThisRequestsClientAddress) {
  const std::string token = LoginToken(nurse_);
  KC_ASSERT_OK(Authenticate(token));
  auto again = auth_.Authenticate(token, "198.51.100.4");
  KC_ASSERT_OK(again);
  EXPECT_EQ(again.value().actor.client_address, "198.51.100.4");
  EXPECT_EQ(again.value().actor.roles, std::set<Role>{Role::kNurse});
}

TEST_F(CachedAuthenticationTest, LogoutEndsTheSessionAtOnce) {
  const std::string token = LoginToken(nurse_);
  auto request = Authenticate(token);
  KC_ASSERT_OK(request);
  KC_ASSERT_OK(auth_.Logout(request.value()));
  EXPECT_TRUE(FailsWith(Authenticate(token), ErrorCode::kUnauthenticated));
}

TEST_F(CachedAuthenticationTest, DisablingInThisServerEndsTheSessionAtOnce) {
  const std::string token = LoginToken(nurse_);
  KC_ASSERT_OK(Authenticate(token));
  KC_ASSERT_OK(users_.DisableUser(admin_.actor, nurse_.id));
  EXPECT_TRUE(FailsWith(Authenticate(token), ErrorCode::kUnauthenticated));
}

TEST_F(CachedAuthenticationTest, NewRolesApplyFromTheNextRequest) {
  const std::string token = LoginToken(nurse_);
  KC_ASSERT_OK(Authenticate(token));
  KC_ASSERT_OK(users_.SetRoles(admin_.actor, nurse_.id, {"auditor"}));
  auto request = Authenticate(token);
  KC_ASSERT_OK(request);
  EXPECT_EQ(request.value().actor.roles, std::set<Role>{Role::kAuditor});
}

TEST_F(CachedAuthenticationTest, AChangeByAnotherProcessAppliesWithinTheTimeToLive) {
  const std::string token = LoginToken(nurse_);
  KC_ASSERT_OK(Authenticate(token));
  // As `ketachart user disable` would, from another process.
  ExecuteScript("UPDATE users SET disabled = 1 WHERE id = " + std::to_string(nurse_.id));
  KC_EXPECT_OK(Authenticate(token));  // still cached: the documented window
  clock().Advance(2s);
  EXPECT_TRUE(FailsWith(Authenticate(token), ErrorCode::kUnauthenticated));
}

TEST_F(CachedAuthenticationTest, IdleAndAbsoluteExpiryAreCheckedOnEveryHit) {
  const std::string token = LoginToken(nurse_);
  KC_ASSERT_OK(Authenticate(token));
  // Idle for a moment short of the idle timeout: still valid; then longer: ended.
  clock().Advance(context().security.session_idle_timeout - 1s);
  KC_ASSERT_OK(Authenticate(token));
  KC_ASSERT_OK(Authenticate(token));  // served from the cache
  // Keep the session busy (every 10 minutes) up to its absolute lifetime.
  const TimePoint ends = clock().Now() - (context().security.session_idle_timeout - 1s) +
                         context().security.session_absolute_timeout;
  while (clock().Now() + 10min < ends) {
    clock().Advance(10min);
    KC_ASSERT_OK(Authenticate(token));
    KC_ASSERT_OK(Authenticate(token));
  }
  clock().Advance(ends - clock().Now() - 1ms);
  KC_ASSERT_OK(Authenticate(token));  // cached now, a millisecond before the end
  clock().Advance(1ms);
  EXPECT_TRUE(FailsWith(Authenticate(token), ErrorCode::kUnauthenticated));
}

}  // namespace
}  // namespace ketachart
