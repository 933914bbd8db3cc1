// /api/v1/patients: register, search, read, edit (versioned), history, measurements.
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {

void AddPatientRoutes(Router& router, ApiServices& services) {
  const std::string document = "patient document (see docs/api.md)";
  router.Add({"POST", "/api/v1/patients", Access::kSession, "patients", "Register a patient in the active clinic",
              "patient.write", document, {}, 201, [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.patients.RegisterPatient(ctx.actor(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/patients", Access::kSession, "patients",
              "Search patients by MRN, birth date (YYYY-MM-DD) or name prefix; paginated", "patient.read", "",
              {{"q", "MRN, birth date or name prefix (family or given name first)"},
               {"limit", "page size, 1-200 (default 50)"},
               {"cursor", "next_cursor from the previous page"}},
              200, [&services](RouteContext& ctx) {
                auto page = QueryPage(ctx.request, 50, PatientService::kMaxPageSize);
                if (!page.ok()) return ErrorResponse(page.error());
                PatientSearch search{ctx.request.Query("q").value_or(""), page->limit, page->cursor};
                return ResultResponse(services.patients.SearchPatients(ctx.actor(), search));
              }});
  router.Add({"GET", "/api/v1/patients/{id}", Access::kSession, "patients",
              "The patient's chart: current demographics, measurements, latest weight", "patient.read", "", {}, 200,
              [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                return ResultResponse(services.patients.GetPatient(ctx.actor(), id.value()));
              },
              // The chart is the page staff open most: read it without
              // holding a thread while its audit event is committed.
              [&services](RouteContext& ctx, const Respond& respond) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return false;
                return services.patients.ReadChartWithoutWaiting(
                    ctx.actor(), id.value(), [respond](Result<JsonText> chart) { respond(ResultResponse(chart)); });
              }});
  router.Add({"PUT", "/api/v1/patients/{id}", Access::kSession, "patients",
              "Edit demographics: writes a new version; needs the edited \"version\" and a \"change_reason\"",
              "patient.write", document + " plus version and change_reason", {}, 200,
              [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.patients.UpdatePatient(ctx.actor(), id.value(), body.value()));
              }});
  router.Add({"GET", "/api/v1/patients/{id}/versions", Access::kSession, "patients",
              "Every version of the patient's record, newest first", "patient.read", "", {}, 200,
              [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                return ResultResponse(services.patients.ListVersions(ctx.actor(), id.value()));
              }});
  router.Add({"GET", "/api/v1/patients/{id}/versions/{version}", Access::kSession, "patients",
              "One past version of the patient's record", "patient.read", "", {}, 200,
              [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto version = PathId(ctx.path_params, "version");
                if (!version.ok()) return ErrorResponse(version.error());
                return ResultResponse(services.patients.GetVersion(ctx.actor(), id.value(), version.value()));
              }});
  router.Add({"POST", "/api/v1/patients/{id}/measurements", Access::kSession, "patients",
              "Record a dated weight or height (append-only)", "patient.write",
              "{\"kind\": \"weight\"|\"height\", \"weight_kg\"|\"height_cm\": number, \"measured_on\": date, "
              "\"note\": string}",
              {}, 201, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.patients.RecordMeasurement(ctx.actor(), id.value(), body.value()),
                                      201);
              }});
}

}  // namespace ketachart
