// Building API responses, and the one place where the error catalog is
// translated to HTTP: {"error":{"code","message","field"}} with the status
// from HttpStatusFor(). Internal errors are logged with details and answered
// with a generic message.
#pragma once

#include <optional>
#include <type_traits>

#include "base/json_input.h"
#include "base/json_text.h"
#include "base/result.h"
#include "http/http_types.h"
#include "services/page_cursor.h"

namespace ketachart {

HttpResponse JsonResponse(int status, const Json& body);
HttpResponse ErrorResponse(const Error& error);
HttpResponse NoContent();

// Already-serialised JSON (see base/json_text.h).
HttpResponse JsonTextResponse(int status, const JsonText& body);

template <typename T>
HttpResponse ResultResponse(const Result<T>& result, int success_status = 200) {
  if (!result.ok()) return ErrorResponse(result.error());
  if constexpr (std::is_same_v<T, JsonText>) {
    return JsonTextResponse(success_status, result.value());
  } else {
    return JsonResponse(success_status, result.value());
  }
}

// A positive id from text, or kInvalidInput naming `field`.
Result<int64_t> ParsePositiveId(std::string_view text, const std::string& field);
// A numeric path parameter, or kInvalidInput naming it.
Result<int64_t> PathId(const std::map<std::string, std::string>& params, const std::string& name);
// An optional numeric query parameter (absent or empty: none).
Result<std::optional<int64_t>> OptionalQueryId(const HttpRequest& request, const std::string& name);
// The `limit` query parameter of a paginated list: 1..max_limit, default when absent.
Result<int> QueryPageLimit(const HttpRequest& request, int default_limit = 50, int max_limit = 200);
// A paginated list's `limit` (as QueryPageLimit) and `cursor`, passed on as
// given ("" when absent) for the service, which knows its cursors, to read.
Result<PageQuery> QueryPage(const HttpRequest& request, int default_limit, int max_limit);
// For a list whose cursor is the id the next page continues from, read here:
// kInvalidInput naming `cursor` unless it is absent, empty or a positive id,
// then `limit` as QueryPageLimit.
struct IdPageQuery {
  int limit = 50;
  std::optional<int64_t> cursor;  // nullopt for the first page
};
Result<IdPageQuery> QueryIdPage(const HttpRequest& request, int default_limit, int max_limit);
// The request body as JSON (kUnsupportedMedia unless Content-Type is JSON).
Result<Json> JsonBody(const HttpRequest& request);

}  // namespace ketachart
