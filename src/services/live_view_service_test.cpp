// Tests of the live-update stream's text and life: the opening "ready" event,
// one event per changed topic of the subscriber's own clinic, a heartbeat
// comment after quiet, the end after log-out and after idling out (a stream
// is not activity), topic and permission checks.
#include "services/live_view_service.h"

#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::IsOk;
using test_support::Must;
using test_support::Staff;

class LiveViewServiceTest : public test_support::ServiceTest {
 protected:
  LiveViewServiceTest() { context().changes = &feed_; }

  AuthenticatedRequest LogIn(const Staff& staff) {
    LoginResult login = Must(auth_.Login(staff.username, staff.password, "127.0.0.1"), "log in");
    return Must(auth_.Authenticate(login.session_token, "127.0.0.1"), "authenticate");
  }

  ChangeFeed feed_;
  AuthService auth_{context()};
  LiveViewService live_{context(), auth_};
};

TEST_F(LiveViewServiceTest, OpensWithCountersThenNamesEachChangedTopicOfItsClinicOnly) {
  const int64_t clinic = AddClinic("NRK");
  const int64_t other = AddClinic("HMC");
  const Staff nurse = AddStaff("nurse", clinic, {Role::kNurse});
  feed_.Publish(clinic, "monitor");
  auto stream = Must(live_.Open(LogIn(nurse), "monitor,sessions,monitor"), "open");
  EXPECT_EQ(stream->Opening(), "retry: 5000\nevent: ready\ndata: {\"monitor\":1,\"sessions\":0}\n\n");
  EXPECT_EQ(stream->Next(), "");
  feed_.Publish(other, "sessions");
  feed_.Publish(clinic, "alarms");  // not followed
  EXPECT_EQ(stream->Next(), "") << "another clinic's and unfollowed topics stay silent";
  feed_.Publish(clinic, "sessions");
  feed_.Publish(clinic, "monitor");
  feed_.Publish(clinic, "monitor");
  EXPECT_EQ(stream->Next(), "event: monitor\ndata: {\"version\":3}\n\nevent: sessions\ndata: {\"version\":1}\n\n");
  EXPECT_EQ(stream->Next(), "");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events WHERE action = 'events.subscribe' AND outcome = 'success' "
                      "AND detail = 'monitor,sessions'"),
            1);
}

TEST_F(LiveViewServiceTest, SendsAHeartbeatAfterFifteenQuietSeconds) {
  const int64_t clinic = AddClinic("NRK");
  auto stream = Must(live_.Open(LogIn(AddStaff("nurse", clinic, {Role::kNurse})), "sessions"), "open");
  stream->Opening();
  clock().Advance(std::chrono::milliseconds(14'999));
  EXPECT_EQ(stream->Next(), "");
  clock().Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(stream->Next(), ": still here\n\n");
  EXPECT_EQ(stream->Next(), "");
}

TEST_F(LiveViewServiceTest, EndsOnceTheSessionIsLoggedOut) {
  const int64_t clinic = AddClinic("NRK");
  const AuthenticatedRequest request = LogIn(AddStaff("nurse", clinic, {Role::kNurse}));
  auto stream = Must(live_.Open(request, "monitor"), "open");
  ASSERT_TRUE(IsOk(auth_.Logout(request)));
  ForgetCachedSessions(context());
  EXPECT_EQ(stream->Next(), "event: ended\ndata: {\"reason\":\"session\"}\n\n");
  EXPECT_EQ(stream->Next(), std::nullopt);
}

TEST_F(LiveViewServiceTest, ListeningIsNotActivitySoAnIdleSessionEndsTheStream) {
  const int64_t clinic = AddClinic("NRK");
  auto stream = Must(live_.Open(LogIn(AddStaff("nurse", clinic, {Role::kNurse})), "monitor"), "open");
  for (int i = 0; i < 60; ++i) {  // 30 minutes of 30-second checks
    clock().Advance(std::chrono::seconds(30));
    auto piece = stream->Next();
    ASSERT_TRUE(piece.has_value()) << "still open after " << (i + 1) * 30 << " s";
    if (piece->rfind("event: ended", 0) == 0) {
      EXPECT_EQ(i + 1, 60) << "ended at the idle timeout (30 min), not before";
      EXPECT_EQ(stream->Next(), std::nullopt);
      return;
    }
  }
  FAIL() << "the stream outlived the idle timeout";
}

TEST_F(LiveViewServiceTest, RefusesUnknownTopicsAndTopicsWithoutTheirReadPermission) {
  const int64_t clinic = AddClinic("NRK");
  const AuthenticatedRequest therapist = LogIn(AddStaff("therapist", clinic, {Role::kTherapist}));
  EXPECT_TRUE(test_support::FailsWith(live_.Open(therapist, ""), ErrorCode::kInvalidInput, "topics"));
  EXPECT_TRUE(test_support::FailsWith(live_.Open(therapist, "sessions,patients"), ErrorCode::kInvalidInput, "topics"));
  EXPECT_TRUE(test_support::FailsWith(live_.Open(therapist, "monitor"), ErrorCode::kForbidden));
  EXPECT_TRUE(IsOk(live_.Open(therapist, "sessions")));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events WHERE action = 'events.subscribe' AND outcome = 'denied'"), 1);
  context().changes = nullptr;
  EXPECT_TRUE(test_support::FailsWith(live_.Open(therapist, "sessions"), ErrorCode::kUnavailable));
}

}  // namespace
}  // namespace ketachart
