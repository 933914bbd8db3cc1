// /api/v1/session: log in, who am I, switch clinic, log out.
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {
namespace {

Json SessionJson(const SessionView& view) {
  Json clinics = Json::array();
  for (const auto& clinic : view.clinics) {
    clinics.push_back({{"id", clinic.clinic_id}, {"code", clinic.code}, {"name", clinic.name}, {"roles", clinic.roles}});
  }
  return {{"csrf_token", view.csrf_token},
          {"user", {{"id", view.user_id}, {"username", view.username}, {"display_name", view.display_name}}},
          {"active_clinic_id", view.active_clinic_id ? Json(view.active_clinic_id) : Json(nullptr)},
          {"clinics", clinics},
          {"permissions", view.permissions}};
}

std::string SessionCookie(const std::string& token, bool secure) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "");
}

}  // namespace

void AddSessionRoutes(Router& router, ApiServices& services) {
  router.Add({"POST", "/api/v1/session", Access::kPublic, "session",
              "Log in; sets the HttpOnly session cookie and returns the CSRF token", "",
              "{\"username\": string, \"password\": string}", {}, 200, [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                JsonObjectReader reader(body.value());
                auto username = reader.RequiredString("username", {1, 64});
                auto password = reader.RequiredString("password", {1, 512});
                Status valid = reader.Finish();
                if (!valid.ok()) return ErrorResponse(valid.error());
                auto login = services.auth.Login(*username, *password, ctx.request.client_address);
                if (!login.ok()) return ErrorResponse(login.error());
                HttpResponse response = JsonResponse(200, SessionJson(login.value().session));
                response.headers.emplace_back("Set-Cookie",
                                              SessionCookie(login.value().session_token, ctx.request.over_tls));
                return response;
              }});
  router.Add({"GET", "/api/v1/session", Access::kSession, "session",
              "The signed-in user, their clinics and roles, permissions in the active clinic, and the CSRF token",
              "", "", {}, 200, [&services](RouteContext& ctx) {
                auto view = services.auth.Describe(*ctx.auth);
                if (!view.ok()) return ErrorResponse(view.error());
                return JsonResponse(200, SessionJson(view.value()));
              }});
  router.Add({"PUT", "/api/v1/session/clinic", Access::kSession, "session",
              "Switch the active clinic (the user must hold a role there)", "", "{\"clinic_id\": integer}", {},
              200, [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                JsonObjectReader reader(body.value());
                auto clinic_id = reader.RequiredInteger("clinic_id", 1, INT64_MAX);
                Status valid = reader.Finish();
                if (!valid.ok()) return ErrorResponse(valid.error());
                auto view = services.auth.SwitchClinic(*ctx.auth, *clinic_id);
                if (!view.ok()) return ErrorResponse(view.error());
                return JsonResponse(200, SessionJson(view.value()));
              }});
  router.Add({"DELETE", "/api/v1/session", Access::kSession, "session", "Log out (ends the session)", "", "", {},
              204, [&services](RouteContext& ctx) {
                Status status = services.auth.Logout(*ctx.auth);
                if (!status.ok()) return ErrorResponse(status.error());
                HttpResponse response = NoContent();
                response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                                                "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
                return response;
              }});
}

}  // namespace ketachart
