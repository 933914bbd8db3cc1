// Response helpers and error translation (see responses.h).
#include "http/responses.h"

#include <spdlog/spdlog.h>

#include <charconv>

namespace ketachart {

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

HttpResponse JsonTextResponse(int status, const JsonText& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.text;
  return response;
}

HttpResponse ErrorResponse(const Error& error) {
  Error shown = error;
  if (error.code == ErrorCode::kInternal) {
    spdlog::error("internal error: {}", error.message);
    shown.message = "an internal error occurred; it has been logged";
  } else if (error.code == ErrorCode::kUnavailable || error.code == ErrorCode::kSerializationFailure) {
    // Store messages name hosts, databases and users: log them, do not send them.
    spdlog::warn("database unavailable: {}", error.message);
    shown.code = ErrorCode::kUnavailable;
    shown.message = "the database is busy or unavailable; try again shortly";
    shown.field.clear();
  }
  Json body = {{"error", {{"code", ErrorCodeName(shown.code)}, {"message", shown.message}}}};
  body["error"]["field"] = shown.field.empty() ? Json(nullptr) : Json(shown.field);
  return JsonResponse(HttpStatusFor(shown.code), body);
}

HttpResponse NoContent() {
  HttpResponse response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

Result<int64_t> ParsePositiveId(std::string_view text, const std::string& field) {
  int64_t value = 0;
  if (text.empty() || text.size() > 18) return InvalidInput(field, "must be a positive whole number");
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return InvalidInput(field, "must be a positive whole number");
  }
  return value;
}

Result<int64_t> PathId(const std::map<std::string, std::string>& params, const std::string& name) {
  auto it = params.find(name);
  return ParsePositiveId(it == params.end() ? std::string_view() : std::string_view(it->second), name);
}

Result<std::optional<int64_t>> OptionalQueryId(const HttpRequest& request, const std::string& name) {
  auto text = request.Query(name);
  if (!text || text->empty()) return std::optional<int64_t>();
  KC_ASSIGN_OR_RETURN(int64_t id, ParsePositiveId(*text, name));
  return std::optional<int64_t>(id);
}

Result<int> QueryPageLimit(const HttpRequest& request, int default_limit, int max_limit) {
  auto text = request.Query("limit");
  if (!text) return default_limit;
  int value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 1 || value > max_limit) {
    return InvalidInput("limit", "must be a whole number between 1 and " + std::to_string(max_limit));
  }
  return value;
}

Result<PageQuery> QueryPage(const HttpRequest& request, int default_limit, int max_limit) {
  KC_ASSIGN_OR_RETURN(int limit, QueryPageLimit(request, default_limit, max_limit));
  return PageQuery{limit, request.Query("cursor").value_or("")};
}

Result<IdPageQuery> QueryIdPage(const HttpRequest& request, int default_limit, int max_limit) {
  auto cursor = OptionalQueryId(request, "cursor");
  if (!cursor.ok()) return InvalidInput("cursor", "is not a cursor returned by this list");
  KC_ASSIGN_OR_RETURN(int limit, QueryPageLimit(request, default_limit, max_limit));
  return IdPageQuery{limit, cursor.value()};
}

Result<Json> JsonBody(const HttpRequest& request) {
  const std::string type = request.Header("content-type");
  if (type.rfind("application/json", 0) != 0) {
    return Error{ErrorCode::kUnsupportedMedia, "the request body must be JSON (Content-Type: application/json)", {}};
  }
  return ParseJsonBody(request.body);
}

}  // namespace ketachart
