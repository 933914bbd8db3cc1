// /api/v1/instrument-settings: a clinic's choices within the ranges each
// instrument's data file allows and cites (the PCL-5 provisional-PTSD cut-off,
// the MADRS severe cut-off and remission threshold): read for measure.read,
// save a new version with a reason for protocol.admin. Measures record the
// version they were scored with (/api/v1/patients/{id}/measures).
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {

void AddInstrumentSettingsRoutes(Router& router, ApiServices& services) {
  router.Add({"GET", "/api/v1/instrument-settings", Access::kSession, "measures",
              "Each configurable instrument setting with its default, allowed range, citation, the value in force "
              "and the clinic's history of versions (newest first)",
              "measure.read", "", {}, 200, [&services](RouteContext& ctx) {
                return ResultResponse(services.instrument_settings.ListSettings(ctx.actor()));
              }});
  router.Add({"PUT", "/api/v1/instrument-settings", Access::kSession, "measures",
              "Save the next version of one instrument's settings with a reason (settings not named keep the "
              "value in force; 400 naming the setting and its cited range; 409 when the version is not the next)",
              "protocol.admin",
              "{\"instrument\": key, \"version\": the next number, \"settings\": {\"cutoff.<code>\"|"
              "\"remission_at_most\": int}, \"reason\": string}",
              {}, 200, [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.instrument_settings.SaveSettings(ctx.actor(), body.value()));
              }});
}

}  // namespace ketachart
