// Transport-neutral HTTP request and response values. The Beast server
// (server.cpp) converts to and from these, so routing, authentication and
// handlers never include Beast (slow to compile). Plain values.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ketachart {

struct HttpRequest {
  std::string method;                         // "GET", "POST", ...
  std::string path;                           // decoded path without the query
  std::map<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> headers; // lower-case names
  std::string body;
  std::string client_address;
  bool over_tls = false;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::optional<std::string> Query(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
  // The value of one cookie, or "".
  std::string Cookie(const std::string& name) const;
};

// A response body sent in pieces as they become due (Server-Sent Events).
// The server asks for the next piece on its own timer, so a long-lived
// stream never holds one of its threads. Poll() must not block for long.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Text to send now ("" when there is nothing yet); std::nullopt ends the
  // response (the connection then closes).
  virtual std::optional<std::string> Poll() = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;  // sent first; for a stream, usually empty
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<ResponseStream> stream;  // set: the body continues with the stream's pieces
};

// Sends the response to a request whose handler answered later (after its
// audit event was committed); called once, from any thread.
using Respond = std::function<void(HttpResponse)>;

// Headers every response carries (CSP, no framing, no sniffing, no referrer);
// API responses (`api`) are also never cached.
void AddSecurityHeaders(HttpResponse& response, bool api);

// Splits "/a/b?x=1&y=%20" into path and query, percent-decoding both.
// Returns false for malformed percent-encoding or text that is not UTF-8.
bool SplitTarget(std::string_view target, std::string& path, std::map<std::string, std::string>& query);

}  // namespace ketachart
