// The API dispatcher without a socket: 404 vs 405, the session cookie, CSRF on
// mutations, the audit of refused requests, and the chart read answered
// without waiting.
#include "http/api_server.h"

#include <gtest/gtest.h>

#include <future>

#include "services/read_audit_log.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::ServiceTest;
using test_support::Staff;

class ApiServerTest : public ServiceTest {
 protected:
  ApiServerTest() {
    north_ = AddClinic("NRK");
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
    server_ = std::make_unique<ApiServer>(context());
  }

  HttpResponse Send(const std::string& method, const std::string& path, const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {}) {
    HttpRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    request.headers = headers;
    if (!body.empty()) request.headers.emplace("content-type", "application/json");
    request.client_address = "198.51.100.4";
    return server_->Handle(request);
  }
  static std::string HeaderOf(const HttpResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return "";
  }
  static Json BodyOf(const HttpResponse& response) { return Json::parse(response.body); }

  struct LoggedIn {
    std::string cookie;  // "ketachart_session=..."
    std::string csrf;
  };
  LoggedIn LogIn() {
    HttpResponse response =
        Send("POST", "/api/v1/session", Json{{"username", "nurse.ada"}, {"password", nurse_.password}}.dump());
    EXPECT_EQ(response.status, 200) << response.body;
    const std::string set_cookie = HeaderOf(response, "Set-Cookie");
    return {set_cookie.substr(0, set_cookie.find(';')), BodyOf(response).value("csrf_token", "")};
  }

  int64_t north_ = 0;
  Staff nurse_;
  std::unique_ptr<ApiServer> server_;
};

TEST_F(ApiServerTest, UnknownEndpointIs404AndWrongMethodIs405) {
  HttpResponse missing = Send("GET", "/api/v1/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(BodyOf(missing)["error"]["code"], "not_found");

  HttpResponse wrong_method = Send("PATCH", "/api/v1/patients");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(BodyOf(wrong_method)["error"]["code"], "method_not_allowed");
}

TEST_F(ApiServerTest, LoginSetsAnHttpOnlySameSiteCookie) {
  HttpResponse response =
      Send("POST", "/api/v1/session", Json{{"username", "nurse.ada"}, {"password", nurse_.password}}.dump());
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string cookie = HeaderOf(response, "Set-Cookie");
  EXPECT_EQ(cookie.rfind("ketachart_session=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "not over plain HTTP";
  const Json body = BodyOf(response);
  EXPECT_FALSE(body["csrf_token"].get<std::string>().empty());
  EXPECT_EQ(response.body.find(cookie.substr(18, cookie.find(';') - 18)), std::string::npos)
      << "the session token is only in the cookie";

  HttpResponse wrong =
      Send("POST", "/api/v1/session", Json{{"username", "nurse.ada"}, {"password", "wrong password"}}.dump());
  EXPECT_EQ(wrong.status, 401);
  EXPECT_TRUE(HeaderOf(wrong, "Set-Cookie").empty());
}

TEST_F(ApiServerTest, ProtectedRouteWithoutASessionIs401AndAudited) {
  HttpResponse response = Send("GET", "/api/v1/patients");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(BodyOf(response)["error"]["code"], "unauthenticated");
  const auto denied = AuditEvents("GET /api/v1/patients", "denied");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].username, "anonymous");
  EXPECT_EQ(denied[0].client_address, "198.51.100.4");
}

TEST_F(ApiServerTest, AChartReadIsAnsweredWithoutWaitingAndTheRestIsLeftToHandle) {
  ReadAuditLog log(database());
  context().read_audit = &log;
  const int64_t patient = RegisterSamplePatient(nurse_.actor);
  const LoggedIn session = LogIn();
  auto request_for = [&](const std::string& method, const std::string& path, const std::string& cookie) {
    HttpRequest request;
    request.method = method;
    request.path = path;
    if (!cookie.empty()) request.headers.emplace("cookie", cookie);
    request.client_address = "198.51.100.4";
    return request;
  };
  const std::string chart_path = "/api/v1/patients/" + std::to_string(patient);

  std::promise<HttpResponse> answered;
  ASSERT_TRUE(server_->HandleWithoutWaiting(request_for("GET", chart_path, session.cookie),
                                            [&](HttpResponse response) { answered.set_value(std::move(response)); }));
  const HttpResponse response = answered.get_future().get();
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(BodyOf(response)["id"], patient);
  EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-store");
  const auto reads = AuditEvents("patient.read", "success");
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].client_address, "198.51.100.4");
  // The same bytes as the blocking path serves.
  EXPECT_EQ(Send("GET", chart_path, "", {{"cookie", session.cookie}}).body, response.body);

  // Without a session, for a patient not in this clinic, on another route or
  // method: nothing is answered or written here; Handle() does it (and audits).
  const int64_t events_before = CountRows("SELECT COUNT(*) FROM audit_events");
  const Respond never = [](HttpResponse) { ADD_FAILURE() << "answered a request it should have left"; };
  EXPECT_FALSE(server_->HandleWithoutWaiting(request_for("GET", chart_path, ""), never));
  EXPECT_FALSE(server_->HandleWithoutWaiting(request_for("GET", chart_path + "0", session.cookie), never));
  EXPECT_FALSE(server_->HandleWithoutWaiting(request_for("GET", "/api/v1/patients", session.cookie), never));
  EXPECT_FALSE(server_->HandleWithoutWaiting(request_for("PUT", chart_path, session.cookie), never));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events"), events_before);
  context().read_audit = nullptr;
}

TEST_F(ApiServerTest, MutationNeedsTheCsrfTokenOfItsSession) {
  LoggedIn session = LogIn();
  const std::string body = Json{{"family_name", "Okafor"}, {"given_names", "Adaeze"}, {"birth_date", "1984-03-09"},
                                {"sex", "female"}}
                               .dump();
  HttpResponse refused = Send("POST", "/api/v1/patients", body, {{"cookie", session.cookie}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM patients"), 0);
  EXPECT_EQ(CountAudit("POST /api/v1/patients", "denied"), 1);

  HttpResponse forged =
      Send("POST", "/api/v1/patients", body, {{"cookie", session.cookie}, {"x-csrf-token", "forged"}});
  EXPECT_EQ(forged.status, 403);

  HttpResponse created =
      Send("POST", "/api/v1/patients", body, {{"cookie", session.cookie}, {"x-csrf-token", session.csrf}});
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(BodyOf(created)["mrn"], "NRK-000001");

  // Reads need the session but no CSRF token.
  HttpResponse listed = Send("GET", "/api/v1/patients", "", {{"cookie", session.cookie}});
  EXPECT_EQ(listed.status, 200);
  EXPECT_EQ(BodyOf(listed)["items"].size(), 1u);
}

TEST_F(ApiServerTest, ApiResponsesCarrySecurityHeaders) {
  HttpResponse response = Send("GET", "/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(BodyOf(response)["database"], "sqlite");
  EXPECT_EQ(HeaderOf(response, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(HeaderOf(response, "X-Frame-Options"), "DENY");
  EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-store");
}

}  // namespace
}  // namespace ketachart
