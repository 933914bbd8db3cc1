// Serves the web UI compiled into the binary. Hashed files under assets/ are
// cached for a year; index.html is never cached and is also the answer for
// client-side routes (any unknown path without a file extension).
#include "base/embedded_file.h"
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {
namespace {

std::string ContentTypeFor(std::string_view path) {
  auto ends = [&](std::string_view suffix) { return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix; };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".json")) return "application/json";
  if (ends(".woff2")) return "font/woff2";
  return "application/octet-stream";
}

const EmbeddedFile* FindAsset(std::string_view path) {
  for (const EmbeddedFile& file : EmbeddedWebAssets()) {
    if (file.path == path) return &file;
  }
  return nullptr;
}

constexpr std::string_view kUiMissing =
    "<!doctype html><html lang=en><meta charset=utf-8><title>KetaChart</title>"
    "<p>The web UI was not built into this binary. Run <code>make run</code> (it builds web/ first).</p></html>";

}  // namespace

HttpResponse ServeWebAsset(const HttpRequest& request) {
  std::string_view path = request.path;
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.find("..") != std::string_view::npos) return ErrorResponse(NotFound("no such file"));
  const EmbeddedFile* file = path.empty() ? nullptr : FindAsset(path);
  const bool looks_like_file = path.find('.') != std::string_view::npos;
  if (!file && looks_like_file) return ErrorResponse(NotFound("no such file"));
  HttpResponse response;
  if (!file) {
    file = FindAsset("index.html");
    response.headers.emplace_back("Cache-Control", "no-cache");
    response.content_type = "text/html; charset=utf-8";
    response.body = file ? std::string(file->content) : std::string(kUiMissing);
    return response;
  }
  response.content_type = ContentTypeFor(file->path);
  response.body = std::string(file->content);
  response.headers.emplace_back("Cache-Control", file->path.rfind("assets/", 0) == 0
                                                     ? "public, max-age=31536000, immutable"
                                                     : "no-cache");
  return response;
}

}  // namespace ketachart
