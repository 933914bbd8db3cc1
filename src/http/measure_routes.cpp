// /api/v1/instruments, /api/v1/patients/{id}/measures, /api/v1/measure-alerts and
// self-report links: the instrument list, entering and listing a patient's
// rating-scale measures, the clinic's safety alerts with their acknowledgement,
// and the public form a patient completes through a single-use link (the token
// travels in the body, never in the URL).
#include "clinical/instruments/fhir_resources.h"
#include "clinical/instruments/instrument_catalog.h"
#include "clinical/instruments/score_report.h"
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {

void AddMeasureRoutes(Router& router, ApiServices& services) {
  router.Add({"GET", "/api/v1/instruments", Access::kSession, "measures",
              "The rating-scale instruments (no patient data): key, title, kind, total range, total-range bands, "
              "LOINC code and the FHIR Questionnaire",
              "", "", {}, 200, [](RouteContext&) {
                Json list = Json::array();
                for (const auto& instrument : InstrumentCatalog::Builtin().instruments()) {
                  Json summary = InstrumentSummaryJson(instrument);
                  // The total-range bands the trajectory chart shades (rule bands, as the
                  // C-SSRS triage's, have no range and are left out).
                  Json bands = Json::array();
                  if (!instrument.rule_bands) {
                    for (int b = 0; b < instrument.band_count; ++b) {
                      const Band& band = instrument.bands[b];
                      bands.push_back({{"code", band.code}, {"display", band.display}, {"min", band.min},
                                       {"max", band.max}, {"unconfirmed", band.unconfirmed}});
                    }
                  }
                  summary["bands"] = std::move(bands);
                  summary["questionnaire"] = QuestionnaireResource(instrument);
                  list.push_back(std::move(summary));
                }
                return JsonResponse(200, {{"items", std::move(list)}});
              }});
  router.Add({"POST", "/api/v1/patients/{id}/measures", Access::kSession, "measures",
              "Enter a scored rating-scale measure in the chart; raises its safety alerts in the same transaction",
              "measure.write",
              "{\"instrument\": key, \"answers\": [int|null...] in item order, \"administered_at\": timestamp, "
              "\"note\": string}",
              {}, 201, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.measures.RecordMeasure(ctx.actor(), id.value(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/patients/{id}/measures", Access::kSession, "measures",
              "The patient's measures, oldest first, with alerts and change against each instrument's baseline",
              "measure.read", "",
              {{"instrument", "only this instrument (key)"},
               {"limit", "page size, 1-500 (default 100)"},
               {"cursor", "next_cursor from the previous page"}},
              200, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto page = QueryPage(ctx.request, 100, MeasureService::kMaxMeasurePage);
                if (!page.ok()) return ErrorResponse(page.error());
                MeasureQuery query{ctx.request.Query("instrument").value_or(""), page->limit, page->cursor};
                return ResultResponse(services.measures.ListMeasures(ctx.actor(), id.value(), query));
              }});
  router.Add({"GET", "/api/v1/measure-alerts", Access::kSession, "measures",
              "The clinic's safety alerts, newest first (open ones unless status=all; mine=1: only patients "
              "whose responsible clinician is the caller)",
              "measure.read", "",
              {{"status", "open (default) or all"},
               {"mine", "1: only alerts of patients whose responsible clinician is the caller; 0 (default): all"},
               {"limit", "page size, 1-200 (default 50)"},
               {"cursor", "next_cursor from the previous page"}},
              200, [&services](RouteContext& ctx) {
                auto page = QueryPage(ctx.request, 50, MeasureService::kMaxAlertPage);
                if (!page.ok()) return ErrorResponse(page.error());
                const std::string status = ctx.request.Query("status").value_or("open");
                if (status != "open" && status != "all") {
                  return ErrorResponse(InvalidInput("status", "must be open or all"));
                }
                const std::string mine = ctx.request.Query("mine").value_or("0");
                if (mine != "0" && mine != "1") return ErrorResponse(InvalidInput("mine", "must be 0 or 1"));
                AlertQuery query{status == "open", mine == "1", page->limit, page->cursor};
                return ResultResponse(services.measures.ListAlerts(ctx.actor(), query));
              }});
  router.Add({"POST", "/api/v1/measure-alerts/{id}/acknowledge", Access::kSession, "measures",
              "Acknowledge a safety alert with the action taken (once; append-only)", "measure.alert.acknowledge",
              "{\"action_note\": string}", {}, 200, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.measures.AcknowledgeAlert(ctx.actor(), id.value(), body.value()));
              }});
  router.Add({"POST", "/api/v1/patients/{id}/self-report-links", Access::kSession, "measures",
              "Create a single-use, expiring self-report link (the token is returned once)", "measure.write",
              "{\"instrument\": key of a self-report instrument, \"expires_in_hours\": 1-336 (default 72)}", {},
              201, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.self_reports.CreateLink(ctx.actor(), id.value(), body.value()), 201);
              }});
  router.Add({"POST", "/api/v1/self-report/form", Access::kPublic, "self-report",
              "The form of a usable self-report link (no account; no patient data)", "", "{\"token\": string}", {},
              200, [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                JsonObjectReader reader(body.value());
                auto token = reader.RequiredString("token", {1, 100});
                if (auto status = reader.Finish(); !status.ok()) return ErrorResponse(status.error());
                return ResultResponse(services.self_reports.OpenForm(*token, ctx.request.client_address));
              }});
  router.Add({"POST", "/api/v1/self-report/submit", Access::kPublic, "self-report",
              "Submit the answers of a self-report link once; they land in the chart with their safety alerts", "",
              "{\"token\": string, \"answers\": [int|null...]}", {}, 200, [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.self_reports.Submit(body.value(), ctx.request.client_address));
              }});
}

}  // namespace ketachart
