// Request targets, cookies and the one error format clients rely on.
#include "http/http_types.h"

#include <gtest/gtest.h>

#include <tuple>

#include "http/responses.h"

namespace ketachart {
namespace {

struct Target {
  bool ok = false;
  std::string path;
  std::map<std::string, std::string> query;
};

Target Split(std::string_view target) {
  Target out;
  out.ok = SplitTarget(target, out.path, out.query);
  return out;
}

TEST(SplitTargetTest, SeparatesPathAndQuery) {
  Target t = Split("/api/v1/patients?q=okafor&limit=20");
  ASSERT_TRUE(t.ok);
  EXPECT_EQ(t.path, "/api/v1/patients");
  EXPECT_EQ(t.query, (std::map<std::string, std::string>{{"q", "okafor"}, {"limit", "20"}}));

  t = Split("/api/v1/patients");
  ASSERT_TRUE(t.ok);
  EXPECT_EQ(t.path, "/api/v1/patients");
  EXPECT_TRUE(t.query.empty());
}

TEST(SplitTargetTest, PercentDecodesPathAndQuery) {
  Target t = Split("/a%20b/c?x=1&y=%20&name=O%27Brien%2C%20Siobhan");
  ASSERT_TRUE(t.ok);
  EXPECT_EQ(t.path, "/a b/c");
  EXPECT_EQ(t.query.at("x"), "1");
  EXPECT_EQ(t.query.at("y"), " ");
  EXPECT_EQ(t.query.at("name"), "O'Brien, Siobhan");
  EXPECT_EQ(Split("/x?%C3%BC=%c3%bc").query.at("\xc3\xbc"), "\xc3\xbc") << "upper and lower case hex";
}

TEST(SplitTargetTest, PlusIsASpaceInTheQueryOnly) {
  Target t = Split("/a+b?q=smith+jo&plus=%2B1+555");
  ASSERT_TRUE(t.ok);
  EXPECT_EQ(t.path, "/a+b");
  EXPECT_EQ(t.query.at("q"), "smith jo");
  EXPECT_EQ(t.query.at("plus"), "+1 555") << "an encoded plus stays a plus";
}

TEST(SplitTargetTest, HandlesEmptyAndValuelessParameters) {
  Target t = Split("/p?&a=1&&flag&b=&=x");
  ASSERT_TRUE(t.ok);
  EXPECT_EQ(t.query.at("a"), "1");
  EXPECT_EQ(t.query.at("flag"), "");
  EXPECT_EQ(t.query.at("b"), "");
  EXPECT_EQ(t.query.at(""), "x");
  EXPECT_EQ(Split("/p?a=1&a=2").query.at("a"), "2") << "the last of a repeated parameter wins";
  EXPECT_EQ(Split("/p?a=b=c").query.at("a"), "b=c");
  t = Split("/p?");
  ASSERT_TRUE(t.ok);
  EXPECT_EQ(t.path, "/p");
  EXPECT_TRUE(t.query.empty());
}

TEST(SplitTargetTest, RejectsMalformedPercentEncoding) {
  for (const char* target : {"/a%zz", "/a%2", "/a%", "/a?q=%zz", "/a?q=%4", "/a?%g1=1", "/a?q=100%", "/%%41"}) {
    std::string path;
    std::map<std::string, std::string> query;
    EXPECT_FALSE(SplitTarget(target, path, query)) << target;
  }
  EXPECT_TRUE(Split("/a%41").ok) << "a complete escape at the very end is fine";
  EXPECT_EQ(Split("/a%41").path, "/aA");
}

HttpRequest WithCookies(const std::string& header) {
  HttpRequest request;
  request.headers["cookie"] = header;
  return request;
}

TEST(CookieTest, FindsOneCookieAmongSeveral) {
  HttpRequest request = WithCookies("theme=dark; ketachart_session=abc123; lang=en");
  EXPECT_EQ(request.Cookie("ketachart_session"), "abc123");
  EXPECT_EQ(request.Cookie("theme"), "dark");
  EXPECT_EQ(request.Cookie("lang"), "en");
  EXPECT_EQ(request.Cookie("missing"), "");
}

TEST(CookieTest, MatchesTheWholeName) {
  HttpRequest request = WithCookies("xketachart_session=evil; ketachart_session_old=stale; ketachart_session=good");
  EXPECT_EQ(request.Cookie("ketachart_session"), "good");
  EXPECT_EQ(WithCookies("ketachart_session_old=stale").Cookie("ketachart_session"), "");
}

TEST(CookieTest, KeepsEqualsSignsInValuesAndToleratesSpacing) {
  EXPECT_EQ(WithCookies("a=1;b=x=y==;c=3").Cookie("b"), "x=y==");
  EXPECT_EQ(WithCookies("  a=1 ;;  b=2;").Cookie("b"), "2");
  EXPECT_EQ(WithCookies("a=").Cookie("a"), "");
  EXPECT_EQ(WithCookies("novalue; a=1").Cookie("a"), "1");
}

TEST(CookieTest, NoCookieHeader) {
  HttpRequest request;
  EXPECT_EQ(request.Cookie("ketachart_session"), "");
  EXPECT_EQ(request.Header("cookie"), "");
  EXPECT_FALSE(request.Query("q").has_value());
}

Json BodyOf(const HttpResponse& response) { return Json::parse(response.body); }

TEST(ErrorResponseTest, HasTheDocumentedShape) {
  HttpResponse response = ErrorResponse(InvalidInput("birth_date", "must be a real calendar date in the form YYYY-MM-DD"));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(BodyOf(response), (Json{{"error",
                                     {{"code", "invalid_input"},
                                      {"message", "must be a real calendar date in the form YYYY-MM-DD"},
                                      {"field", "birth_date"}}}}));
}

TEST(ErrorResponseTest, FieldIsNullWhenTheErrorIsNotAboutAField) {
  Json body = BodyOf(ErrorResponse(NotFound("no such patient in this clinic")));
  ASSERT_TRUE(body["error"].contains("field"));
  EXPECT_TRUE(body["error"]["field"].is_null());
  EXPECT_EQ(body["error"]["code"], "not_found");
}

TEST(ErrorResponseTest, StatusCodesFollowTheCatalog) {
  const std::vector<std::tuple<ErrorCode, int, std::string>> table = {
      {ErrorCode::kInvalidInput, 400, "invalid_input"},
      {ErrorCode::kUnauthenticated, 401, "unauthenticated"},
      {ErrorCode::kForbidden, 403, "forbidden"},
      {ErrorCode::kNotFound, 404, "not_found"},
      {ErrorCode::kMethodNotAllowed, 405, "method_not_allowed"},
      {ErrorCode::kConflict, 409, "conflict"},
      {ErrorCode::kPayloadTooLarge, 413, "payload_too_large"},
      {ErrorCode::kUnsupportedMedia, 415, "unsupported_media_type"},
      {ErrorCode::kLocked, 423, "account_locked"},
      {ErrorCode::kTooManyRequests, 429, "too_many_requests"},
      {ErrorCode::kUnavailable, 503, "unavailable"},
      {ErrorCode::kInternal, 500, "internal"},
  };
  for (const auto& [code, status, name] : table) {
    SCOPED_TRACE(name);
    HttpResponse response = ErrorResponse(Error{code, "message", {}});
    EXPECT_EQ(response.status, status);
    EXPECT_EQ(BodyOf(response)["error"]["code"], name);
  }
}

TEST(ErrorResponseTest, InternalErrorsHideTheirDetails) {
  HttpResponse response =
      ErrorResponse(Internal("sqlite: no such table: patients (SELECT * FROM patients WHERE mrn = 'NRK-000001')"));
  EXPECT_EQ(response.status, 500);
  const Json body = BodyOf(response);
  EXPECT_EQ(body["error"]["code"], "internal");
  const std::string message = body["error"]["message"];
  EXPECT_EQ(message.find("sqlite"), std::string::npos) << message;
  EXPECT_EQ(message.find("NRK-000001"), std::string::npos) << message;
  EXPECT_EQ(response.body.find("SELECT"), std::string::npos);
}

TEST(ErrorResponseTest, ResultResponseUsesTheSuccessStatusOrTheError) {
  Result<Json> created = Json{{"id", 7}};
  HttpResponse ok = ResultResponse(created, 201);
  EXPECT_EQ(ok.status, 201);
  EXPECT_EQ(BodyOf(ok), (Json{{"id", 7}}));
  Result<Json> conflict = Conflict("stale", "version");
  HttpResponse failed = ResultResponse(conflict, 201);
  EXPECT_EQ(failed.status, 409);
  EXPECT_EQ(BodyOf(failed)["error"]["field"], "version");
  EXPECT_EQ(NoContent().status, 204);
  EXPECT_TRUE(NoContent().body.empty());
}

TEST(PathIdTest, AcceptsOnlyPositiveWholeNumbers) {
  auto id = PathId({{"id", "42"}}, "id");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id.value(), 42);
  for (const char* bad : {"0", "-1", "abc", "12abc", " 12", "1.5", "", "1234567890123456789"}) {
    SCOPED_TRACE(bad);
    auto parsed = PathId({{"id", bad}}, "id");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(parsed.error().field, "id");
  }
  EXPECT_FALSE(PathId({}, "id").ok());
}

HttpRequest WithQuery(std::map<std::string, std::string> query) {
  HttpRequest request;
  request.query = std::move(query);
  return request;
}

TEST(QueryPageTest, DefaultsTheLimitAndPassesTheCursorOn) {
  auto first = QueryPage(WithQuery({}), 20, 200);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->limit, 20);
  EXPECT_EQ(first->cursor, "");
  auto next = QueryPage(WithQuery({{"limit", "200"}, {"cursor", "not-read-here"}}), 20, 200);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->limit, 200);
  EXPECT_EQ(next->cursor, "not-read-here");  // the service reads its own cursors
  for (const char* bad : {"0", "201", "-1", "1.5", "", "ten", " 5"}) {
    SCOPED_TRACE(bad);
    auto refused = QueryPage(WithQuery({{"limit", bad}, {"cursor", "7"}}), 20, 200);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(refused.error().field, "limit");
    EXPECT_EQ(refused.error().message, "must be a whole number between 1 and 200");
  }
}

TEST(QueryPageTest, AnIdCursorIsReadBeforeTheLimit) {
  auto first = QueryIdPage(WithQuery({{"cursor", ""}}), 100, 500);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->limit, 100);
  EXPECT_EQ(first->cursor, std::nullopt);
  auto next = QueryIdPage(WithQuery({{"cursor", "41"}, {"limit", "3"}}), 100, 500);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->limit, 3);
  EXPECT_EQ(next->cursor, std::optional<int64_t>(41));
  for (const char* bad : {"0", "-4", "abc", "4x", "1234567890123456789"}) {
    SCOPED_TRACE(bad);
    auto refused = QueryIdPage(WithQuery({{"cursor", bad}, {"limit", "0"}}), 100, 500);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().field, "cursor");
    EXPECT_EQ(refused.error().message, "is not a cursor returned by this list");
  }
  auto limit = QueryIdPage(WithQuery({{"cursor", "41"}, {"limit", "501"}}), 100, 500);
  ASSERT_FALSE(limit.ok());
  EXPECT_EQ(limit.error().field, "limit");
}

TEST(JsonBodyTest, RequiresJsonContentType) {
  HttpRequest request;
  request.body = R"({"a":1})";
  request.headers["content-type"] = "application/json; charset=utf-8";
  auto body = JsonBody(request);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body.value()["a"], 1);

  request.headers["content-type"] = "text/plain";
  auto refused = JsonBody(request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnsupportedMedia);
  EXPECT_EQ(ErrorResponse(refused.error()).status, 415);

  request.headers["content-type"] = "application/json";
  request.body = "{\"a\":";
  auto malformed = JsonBody(request);
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().code, ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace ketachart

namespace ketachart {
namespace {

// PostgreSQL rejects invalid UTF-8; such a URL must be a 400, not a 500 that
// logs the bytes of a patient's name.
TEST(SplitTargetUtf8Test, RejectsMalformedUtf8InPathAndQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  EXPECT_TRUE(SplitTarget("/api/v1/patients?q=Jos%C3%A9", path, query));
  EXPECT_EQ(query["q"], "Jos\xC3\xA9");
  query.clear();
  EXPECT_FALSE(SplitTarget("/api/v1/patients?q=Jos%E9", path, query));       // Latin-1 byte
  EXPECT_FALSE(SplitTarget("/api/v1/patients?q=%C0%AF", path, query));       // overlong '/'
  EXPECT_FALSE(SplitTarget("/api/v1/patients?q=%ED%A0%80", path, query));    // surrogate
  EXPECT_FALSE(SplitTarget("/api/v1/patients/%FF", path, query));
}

}  // namespace
}  // namespace ketachart
