// /api/v1/pk: the shipped PK models, a simulation for a given weight, and a
// patient's dosing plan on the latest recorded weight.
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {

void AddPkRoutes(Router& router, ApiServices& services) {
  const std::string plan = "{\"model\", \"infusions\": [{\"dose_mg_per_kg\"|\"dose_mg\", \"over_min\", \"at_min\"}], "
                           "\"boluses\": [{\"dose_mg_per_kg\"|\"dose_mg\", \"at_min\"}], \"pauses\": [{\"at_min\", "
                           "\"duration_min\"}], \"intranasal\": [{\"devices\", \"at_min\"}], \"times\": {\"first\", "
                           "\"last\", \"step\"}, \"effect_site\", \"threshold_ng_per_ml\"}";
  router.Add({"GET", "/api/v1/pk/models", Access::kSession, "pharmacology",
              "The shipped pharmacokinetic models with constants, sources and populations", "patient.read", "", {},
              200, [&services](RouteContext& ctx) { return ResultResponse(services.dosing.ListModels(ctx.actor())); }});
  router.Add({"POST", "/api/v1/pk/simulate", Access::kSession, "pharmacology",
              "Predicted plasma (and effect-site) concentration of a plan for a weight", "patient.read",
              plan + " plus \"weight_kg\" (20-300)", {}, 200, [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.dosing.Simulate(ctx.actor(), body.value()));
              }});
  router.Add({"POST", "/api/v1/patients/{id}/dosing-plan", Access::kSession, "pharmacology",
              "Predicted concentration of a plan for the patient's latest recorded weight (chart read audited)",
              "patient.read", plan, {}, 200, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.dosing.PatientDosingPlan(ctx.actor(), id.value(), body.value()));
              }});
}

}  // namespace ketachart
