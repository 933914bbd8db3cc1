// Route matching: the right handler for a path, {id} captures, and the
// difference between "no such endpoint" (404) and "wrong method" (405).
#include "http/router.h"

#include <gtest/gtest.h>

namespace ketachart {
namespace {

Route MakeRoute(std::string method, std::string pattern, std::string name) {
  Route route;
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.summary = name;
  route.handler = [name](RouteContext&) {
    HttpResponse response;
    response.body = name;
    return response;
  };
  return route;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add(MakeRoute("GET", "/api/v1/patients", "search"));
    router_.Add(MakeRoute("POST", "/api/v1/patients", "register"));
    router_.Add(MakeRoute("GET", "/api/v1/patients/{id}", "read"));
    router_.Add(MakeRoute("PUT", "/api/v1/patients/{id}", "update"));
    router_.Add(MakeRoute("GET", "/api/v1/patients/{id}/versions/{version}", "version"));
    router_.Add(MakeRoute("PUT", "/api/v1/session/clinic", "switch"));
    router_.Add(MakeRoute("DELETE", "/api/v1/session", "logout"));
  }

  // The summary of the matched route, or "" when none matched.
  std::string Matched(const std::string& method, const std::string& path) {
    Router::Match match = router_.Find(method, path);
    return match.route ? match.route->summary : "";
  }

  Router router_;
};

TEST_F(RouterTest, MatchesLiteralPathsByMethod) {
  EXPECT_EQ(Matched("GET", "/api/v1/patients"), "search");
  EXPECT_EQ(Matched("POST", "/api/v1/patients"), "register");
  EXPECT_EQ(Matched("PUT", "/api/v1/session/clinic"), "switch");
  EXPECT_EQ(Matched("DELETE", "/api/v1/session"), "logout");
}

TEST_F(RouterTest, CapturesPathParameters) {
  Router::Match match = router_.Find("GET", "/api/v1/patients/42");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->summary, "read");
  EXPECT_EQ(match.path_params, (std::map<std::string, std::string>{{"id", "42"}}));

  match = router_.Find("GET", "/api/v1/patients/42/versions/3");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->summary, "version");
  EXPECT_EQ(match.path_params, (std::map<std::string, std::string>{{"id", "42"}, {"version", "3"}}));

  // A capture takes one whole segment, whatever it holds (handlers validate it).
  match = router_.Find("GET", "/api/v1/patients/not-a-number");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.path_params.at("id"), "not-a-number");
}

TEST_F(RouterTest, LaterRouteWithTheSamePatternIsFoundForItsMethod) {
  Router::Match match = router_.Find("PUT", "/api/v1/patients/7");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->summary, "update");
  EXPECT_EQ(match.path_params.at("id"), "7");
}

TEST_F(RouterTest, UnknownPathIsNotKnown) {
  for (const char* path : {"/api/v1/nothing", "/api/v1/patients/42/versions", "/api/v1/patients/42/versions/3/x",
                           "/api/v2/patients", "/", ""}) {
    SCOPED_TRACE(path);
    Router::Match match = router_.Find("GET", path);
    EXPECT_EQ(match.route, nullptr);
    EXPECT_FALSE(match.path_known) << "must be answered 404";
  }
}

TEST_F(RouterTest, KnownPathWithTheWrongMethodIsPathKnown) {
  Router::Match match = router_.Find("DELETE", "/api/v1/patients/42");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_known) << "must be answered 405";
  EXPECT_TRUE(match.path_params.empty());

  match = router_.Find("PATCH", "/api/v1/patients");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_known);

  match = router_.Find("GET", "/api/v1/session");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_known);
}

TEST_F(RouterTest, MethodsAreCaseSensitive) {
  Router::Match match = router_.Find("get", "/api/v1/patients");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_known);
}

TEST_F(RouterTest, HeadMatchesGetRoutes) {
  Router::Match match = router_.Find("HEAD", "/api/v1/patients/9");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->summary, "read");
  EXPECT_EQ(match.route->method, "GET");
  EXPECT_EQ(match.path_params.at("id"), "9");

  // ...but not routes that only exist for other methods.
  match = router_.Find("HEAD", "/api/v1/session");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_known);
}

TEST_F(RouterTest, EmptySegmentsAreIgnored) {
  EXPECT_EQ(Matched("GET", "/api/v1/patients/"), "search");
  EXPECT_EQ(Matched("GET", "/api/v1//patients/5"), "read");
}

TEST_F(RouterTest, HandlerOfTheMatchedRouteRuns) {
  Router::Match match = router_.Find("GET", "/api/v1/patients/5");
  ASSERT_NE(match.route, nullptr);
  HttpRequest request;
  RouteContext context{request, match.path_params, nullptr};
  EXPECT_EQ(match.route->handler(context).body, "read");
  EXPECT_EQ(router_.routes().size(), 7u);
}

}  // namespace
}  // namespace ketachart
