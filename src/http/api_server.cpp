// Request dispatch: API routes with authentication, CSRF and audit of
// refusals; everything else is the embedded web UI (see api_server.h).
#include "http/api_server.h"

#include "http/responses.h"
#include "services/audit_trail.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

bool IsMutation(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

ApiServer::ApiServer(ServiceContext& context) : services_(context) {
  AddSessionRoutes(router_, services_);
  AddPatientRoutes(router_, services_);
  AddUserRoutes(router_, services_);
  AddAuditRoutes(router_, services_);
  AddPkRoutes(router_, services_);
  AddMonitorRoutes(router_, services_);
  AddEventRoutes(router_, services_);
  AddLedgerRoutes(router_, services_);
  AddMeasureRoutes(router_, services_);
  AddMeasureScheduleRoutes(router_, services_);
  AddAlertRuleRoutes(router_, services_);
  AddInstrumentSettingsRoutes(router_, services_);
  AddScheduleRoutes(router_, services_);
  AddCourseRoutes(router_, services_);
  AddSessionTimelineRoutes(router_, services_);
  AddRemsRoutes(router_, services_);
  AddSystemRoutes(router_, services_, &openapi_document_);
  openapi_document_ = BuildOpenApiDocument(router_);
}

HttpResponse ApiServer::Handle(const HttpRequest& request) {
  const bool api = request.path.rfind("/api/", 0) == 0 || request.path == "/healthz";
  HttpResponse response;
  if (api) {
    try {
      response = HandleApi(request);
    } catch (const std::exception& e) {
      response = ErrorResponse(Internal(std::string("unhandled exception: ") + e.what()));
    }
  } else if (request.method != "GET" && request.method != "HEAD") {
    response = ErrorResponse({ErrorCode::kMethodNotAllowed, "only GET is allowed here", {}});
  } else {
    response = ServeWebAsset(request);
  }
  AddSecurityHeaders(response, api);
  return response;
}

bool ApiServer::HandleWithoutWaiting(const HttpRequest& request, const Respond& respond) {
  if (request.method != "GET" || request.path.rfind("/api/", 0) != 0) return false;
  Router::Match match = router_.Find(request.method, request.path);
  if (!match.route || !match.route->event_loop_handler || match.route->access != Access::kSession) return false;
  auto authenticated =
      services_.auth.AuthenticateWithoutWriting(request.Cookie(kSessionCookie), request.client_address);
  if (!authenticated) return false;
  RouteContext context{request, std::move(match.path_params), &*authenticated};
  const Respond respond_api = [respond](HttpResponse response) {
    AddSecurityHeaders(response, /*api=*/true);
    respond(std::move(response));
  };
  try {
    return match.route->event_loop_handler(context, respond_api);
  } catch (const std::exception& e) {
    // Event-loop handlers queue their audit event last, after anything that
    // can throw, so nothing is pending: answer as Handle() would.
    respond_api(ErrorResponse(Internal(std::string("unhandled exception: ") + e.what())));
    return true;
  }
}

HttpResponse ApiServer::HandleApi(const HttpRequest& request) {
  Router::Match match = router_.Find(request.method, request.path);
  if (!match.route) {
    if (match.path_known) {
      return ErrorResponse({ErrorCode::kMethodNotAllowed, request.method + " is not allowed on this path", {}});
    }
    return ErrorResponse(NotFound("no such API endpoint"));
  }
  const Route& route = *match.route;
  RouteContext context{request, std::move(match.path_params), nullptr};
  if (route.access == Access::kPublic) return route.handler(context);

  ServiceContext& services = services_.context;
  const AuditEntry attempted{route.method + " " + route.pattern, "request", "", std::nullopt,
                             AuditOutcome::kDenied, ""};
  auto authenticated = services_.auth.Authenticate(request.Cookie(kSessionCookie), request.client_address);
  if (!authenticated.ok()) {
    if (authenticated.error().code == ErrorCode::kUnauthenticated) {
      AuditEntry entry = attempted;
      entry.detail = "no valid session";
      Actor anonymous{0, "anonymous", 0, {}, request.client_address};
      // Group-committed: a flood of anonymous requests must not become one fsync each.
      Status audited = RecordReadAudit(services, anonymous, entry, services.clock.Now());
      if (!audited.ok()) return ErrorResponse(audited.error());
    }
    return ErrorResponse(authenticated.error());
  }
  if (IsMutation(request.method) &&
      !services_.auth.CsrfTokenMatches(authenticated.value(), request.Header("x-csrf-token"))) {
    AuditEntry entry = attempted;
    entry.detail = "missing or wrong X-CSRF-Token";
    Status audited = RecordReadAudit(services, authenticated.value().actor, entry, services.clock.Now());
    if (!audited.ok()) return ErrorResponse(audited.error());
    return ErrorResponse(Forbidden("this change needs the X-CSRF-Token header from your log-in"));
  }
  context.auth = &authenticated.value();
  return route.handler(context);
}

}  // namespace ketachart
