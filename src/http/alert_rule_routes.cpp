// /api/v1/alert-rules: the clinic's own alert rules (list for measure.read;
// create and retire for protocol.admin). The alerts they raise are listed and
// acknowledged through /api/v1/measure-alerts like the instruments' own.
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {

void AddAlertRuleRoutes(Router& router, ApiServices& services) {
  router.Add({"GET", "/api/v1/alert-rules", Access::kSession, "measures",
              "The clinic's alert rules, newest first (active ones unless status=all)", "measure.read", "",
              {{"status", "active (default) or all"}}, 200, [&services](RouteContext& ctx) {
                const std::string status = ctx.request.Query("status").value_or("active");
                if (status != "active" && status != "all") {
                  return ErrorResponse(InvalidInput("status", "must be active or all"));
                }
                return ResultResponse(services.alert_rules.ListRules(ctx.actor(), status == "all"));
              }});
  router.Add({"POST", "/api/v1/alert-rules", Access::kSession, "measures",
              "Create a clinic alert rule, validated against its instrument (optionally replacing an active rule)",
              "protocol.admin",
              "{\"instrument\": key, \"condition\": \"total_at_least\"|\"total_at_most\"|\"item_at_least\"|"
              "\"rise_at_least\", \"threshold\": int, \"item\": linkId|item number, \"severity\": "
              "\"urgent\"|\"advisory\", \"display\": string, \"replaces\": rule id}",
              {}, 201, [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.alert_rules.CreateRule(ctx.actor(), body.value()), 201);
              }});
  router.Add({"POST", "/api/v1/alert-rules/{id}/retire", Access::kSession, "measures",
              "Retire a clinic alert rule with a reason (appends the retirement; 409 when already retired)",
              "protocol.admin", "{\"reason\": string}", {}, 200, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.alert_rules.RetireRule(ctx.actor(), id.value(), body.value()));
              }});
}

}  // namespace ketachart
