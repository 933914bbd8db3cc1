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

Result<int64_t> PathId(const std::map<std::string, std::string>& params, const std::string& name) {
  auto it = params.find(name);
  int64_t value = 0;
  if (it == params.end() || it->second.empty() || it->second.size() > 18) {
    return InvalidInput(name, "must be a positive whole number");
  }
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  if (ec != std::errc() || end != it->second.data() + it->second.size() || value <= 0) {
    return InvalidInput(name, "must be a positive whole number");
  }
  return value;
}

Result<Json> JsonBody(const HttpRequest& request) {
  const std::string type = request.Header("content-type");
  if (type.rfind("application/json", 0) != 0) {
    return Error{ErrorCode::kUnsupportedMedia, "the request body must be JSON (Content-Type: application/json)", {}};
  }
  return ParseJsonBody(request.body);
}

}  // namespace ketachart
