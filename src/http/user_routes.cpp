// /api/v1/users: staff accounts and their roles in the active clinic.
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {
namespace {

Json UserJson(const UserView& user, int64_t active_clinic_id) {
  Json roles = Json::array();
  for (const auto& clinic : user.clinics) {
    if (clinic.clinic_id == active_clinic_id) roles = clinic.roles;
  }
  return {{"id", user.id},           {"username", user.username}, {"display_name", user.display_name},
          {"disabled", user.disabled}, {"locked", user.locked},    {"created_at", user.created_at},
          {"roles", roles}};
}

Result<std::vector<std::string>> ReadRoles(JsonObjectReader& reader) {
  const Json* roles = reader.OptionalArray("roles", 6);
  std::vector<std::string> out;
  if (!roles) return out;
  for (const Json& role : *roles) {
    if (!role.is_string()) return InvalidInput("roles", "must be a list of role names");
    out.push_back(role.get<std::string>());
  }
  return out;
}

}  // namespace

void AddUserRoutes(Router& router, ApiServices& services) {
  router.Add({"GET", "/api/v1/users", Access::kSession, "users", "Staff of the active clinic with their roles",
              "user.read", "", {}, 200, [&services](RouteContext& ctx) {
                auto users = services.users.ListUsers(ctx.actor());
                if (!users.ok()) return ErrorResponse(users.error());
                Json items = Json::array();
                for (const auto& user : users.value()) items.push_back(UserJson(user, ctx.actor().clinic_id));
                return JsonResponse(200, {{"items", items}, {"next_cursor", nullptr}});
              }});
  router.Add({"POST", "/api/v1/users", Access::kSession, "users",
              "Create a staff account with roles in the active clinic", "user.admin",
              "{\"username\", \"display_name\", \"password\", \"roles\": [role]}", {}, 201,
              [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                JsonObjectReader reader(body.value());
                NewUser user;
                user.username = reader.RequiredString("username", {1, 64}).value_or("");
                user.display_name = reader.RequiredString("display_name", {1, 200}).value_or("");
                user.password = reader.RequiredString("password", {1, 512}).value_or("");
                auto roles = ReadRoles(reader);
                Status valid = reader.Finish();
                if (!valid.ok()) return ErrorResponse(valid.error());
                if (!roles.ok()) return ErrorResponse(roles.error());
                user.roles = roles.value();
                auto created = services.users.CreateUser(ctx.actor(), user);
                if (!created.ok()) return ErrorResponse(created.error());
                return JsonResponse(201, UserJson(created.value(), ctx.actor().clinic_id));
              }});
  router.Add({"PUT", "/api/v1/users/{id}/roles", Access::kSession, "users",
              "Replace the user's roles in the active clinic", "user.admin", "{\"roles\": [role]}", {}, 200,
              [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                JsonObjectReader reader(body.value());
                if (!body.value().contains("roles")) reader.Fail(InvalidInput("roles", "is required"));
                auto roles = ReadRoles(reader);
                Status valid = reader.Finish();
                if (!valid.ok()) return ErrorResponse(valid.error());
                if (!roles.ok()) return ErrorResponse(roles.error());
                auto user = services.users.SetRoles(ctx.actor(), id.value(), roles.value());
                if (!user.ok()) return ErrorResponse(user.error());
                return JsonResponse(200, UserJson(user.value(), ctx.actor().clinic_id));
              }});
  router.Add({"POST", "/api/v1/users/{id}/disable", Access::kSession, "users",
              "Disable the account and end its sessions", "user.admin", "", {}, 204,
              [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                Status status = services.users.DisableUser(ctx.actor(), id.value());
                return status.ok() ? NoContent() : ErrorResponse(status.error());
              }});
  router.Add({"POST", "/api/v1/users/{id}/password", Access::kSession, "users",
              "Set a new password (ends the user's sessions, clears a lock-out)", "user.admin",
              "{\"password\": string}", {}, 204, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                JsonObjectReader reader(body.value());
                auto password = reader.RequiredString("password", {1, 512});
                Status valid = reader.Finish();
                if (!valid.ok()) return ErrorResponse(valid.error());
                Status status = services.users.ResetPassword(ctx.actor(), id.value(), *password);
                return status.ok() ? NoContent() : ErrorResponse(status.error());
              }});
}

}  // namespace ketachart
