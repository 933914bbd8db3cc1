// Explicit route tables. Each API module adds its routes with a method, a
// path pattern ("/api/v1/patients/{id}"), who may call it, and a description
// that the OpenAPI document is generated from, so the documentation cannot
// drift from the code. Built once at start; read-only afterwards, so
// matching is thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/http_types.h"
#include "services/auth_service.h"

namespace ketachart {

enum class Access {
  kPublic,   // no session needed (log-in, health, OpenAPI)
  kSession,  // a valid session; mutations also need the X-CSRF-Token header
};

struct RouteContext {
  const HttpRequest& request;
  std::map<std::string, std::string> path_params;
  const AuthenticatedRequest* auth = nullptr;  // set for Access::kSession routes

  const Actor& actor() const { return auth->actor; }
};

using RouteHandler = std::function<HttpResponse(RouteContext&)>;
// Answers on the server's event loop without blocking (the response goes to
// `respond` later) and returns true; or returns false having written
// nothing, and the request goes to the route's blocking handler on a worker.
using EventLoopHandler = std::function<bool(RouteContext&, const Respond&)>;

struct QueryParameter {
  std::string name;
  std::string description;
};

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kSession;
  std::string tag;                      // OpenAPI grouping: "patients", "session", ...
  std::string summary;                  // one line for the OpenAPI document
  std::string permission;               // required permission name, documentation only ("" for none)
  std::string request_body;             // description of the JSON body; "" when none
  std::vector<QueryParameter> query;    // documented query parameters
  int success_status = 200;
  RouteHandler handler;
  // Optional, for the busiest reads (GET, Access::kSession): tried first.
  EventLoopHandler event_loop_handler;
};

class Router {
 public:
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> path_params;
    bool path_known = false;  // some route has this path (for 405 vs 404)
  };
  Match Find(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace ketachart
