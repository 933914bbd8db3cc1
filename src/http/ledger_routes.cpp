// /api/v1/ledger: the controlled-substance ledger — products, locations,
// lots, events (entries), balances, count sheets and counts, discrepancy
// cases, and a patient's administration history.
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {
namespace {

Result<LedgerEntryQuery> EntryQuery(const HttpRequest& request) {
  LedgerEntryQuery query;
  KC_ASSIGN_OR_RETURN(query.limit, QueryPageLimit(request, 50, LedgerService::kMaxPageSize));
  KC_ASSIGN_OR_RETURN(query.lot_id, OptionalQueryId(request, "lot_id"));
  KC_ASSIGN_OR_RETURN(query.before_sequence, OptionalQueryId(request, "before_sequence"));
  auto kind = request.Query("kind");
  if (kind && !kind->empty()) query.kind = *kind;
  return query;
}

// A report as a CSV or PDF download (format=csv|pdf, default csv).
HttpResponse ReportResponse(const HttpRequest& request, const Result<TabularReport>& report) {
  const std::string format = request.Query("format").value_or("csv");
  if (format != "csv" && format != "pdf") return ErrorResponse(InvalidInput("format", "must be csv or pdf"));
  if (!report.ok()) return ErrorResponse(report.error());
  HttpResponse response;
  if (format == "csv") {
    response.content_type = "text/csv; charset=utf-8";
    response.body = RenderCsv(report.value());
  } else {
    auto pdf = RenderPdf(report.value());
    if (!pdf.ok()) return ErrorResponse(pdf.error());
    response.content_type = "application/pdf";
    response.body = std::move(pdf).value();
  }
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"" + report.value().file_stem + "." + format + "\"");
  return response;
}

const std::vector<QueryParameter> kFormatParam = {{"format", "csv (default) or pdf"}};

}  // namespace

void AddLedgerRoutes(Router& router, ApiServices& services) {
  router.Add({"POST", "/api/v1/ledger/products", Access::kSession, "ledger",
              "Define a controlled-substance product (drug, form, strength, container volume, NDC)", "ledger.setup",
              "{\"drug_name\", \"finished_form\", \"strength_mg_per_ml\": \"50\", \"container_volume_ml\": \"10\", "
              "\"ndc\": \"12345-678-90\"}",
              {}, 201, [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.ledger.CreateProduct(ctx.actor(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/ledger/products", Access::kSession, "ledger", "The clinic's controlled-substance products",
              "ledger.read", "", {}, 200,
              [&services](RouteContext& ctx) { return ResultResponse(services.ledger.ListProducts(ctx.actor())); }});
  router.Add({"POST", "/api/v1/ledger/locations", Access::kSession, "ledger", "Define a storage location",
              "ledger.setup", "{\"name\", \"description\"}", {}, 201, [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.ledger.CreateLocation(ctx.actor(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/ledger/locations", Access::kSession, "ledger", "The clinic's storage locations",
              "ledger.read", "", {}, 200,
              [&services](RouteContext& ctx) { return ResultResponse(services.ledger.ListLocations(ctx.actor())); }});
  router.Add({"GET", "/api/v1/ledger/lots", Access::kSession, "ledger",
              "Lots with expiry and total balance (exact mg and mL)", "ledger.read", "", {}, 200,
              [&services](RouteContext& ctx) { return ResultResponse(services.ledger.ListLots(ctx.actor())); }});
  router.Add({"GET", "/api/v1/ledger/lots/{id}", Access::kSession, "ledger",
              "One lot: its balances per location and its ledger entries, newest first", "ledger.read", "",
              {{"limit", "entries per page, 1-500 (default 50)"},
               {"before_sequence", "next_before_sequence from the previous page"}},
              200, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto query = EntryQuery(ctx.request);
                if (!query.ok()) return ErrorResponse(query.error());
                return ResultResponse(services.ledger.GetLot(ctx.actor(), id.value(), query.value()));
              }});
  router.Add({"GET", "/api/v1/ledger/entries", Access::kSession, "ledger",
              "Ledger entries of the clinic, newest first; paginated", "ledger.read", "",
              {{"lot_id", "only this lot"},
               {"kind", "only this event kind"},
               {"limit", "page size, 1-500 (default 50)"},
               {"before_sequence", "next_before_sequence from the previous page"}},
              200, [&services](RouteContext& ctx) {
                auto query = EntryQuery(ctx.request);
                if (!query.ok()) return ErrorResponse(query.error());
                return ResultResponse(services.ledger.ListEntries(ctx.actor(), query.value()));
              }});
  router.Add({"POST", "/api/v1/ledger/entries", Access::kSession, "ledger",
              "Record a ledger event: receive, administer, waste (witness), return, transfer, destruction (two "
              "witnesses), loss, correction",
              "ledger.record", "ledger event (see docs/controlled-substances.md)", {}, 201,
              [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.ledger.RecordEvent(ctx.actor(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/ledger/balances", Access::kSession, "ledger",
              "Running balance of every lot at every location", "ledger.read", "", {}, 200,
              [&services](RouteContext& ctx) { return ResultResponse(services.ledger.Balances(ctx.actor())); }});
  router.Add({"GET", "/api/v1/ledger/count-sheet", Access::kSession, "ledger",
              "What a count must find (expected balances), and when the biennial inventory is due", "ledger.read", "",
              {}, 200,
              [&services](RouteContext& ctx) { return ResultResponse(services.ledger.CountSheet(ctx.actor())); }});
  router.Add({"POST", "/api/v1/ledger/counts", Access::kSession, "ledger",
              "Record a count sheet (initial, biennial or routine); each mismatch opens a discrepancy case",
              "ledger.record",
              "{\"count_kind\", \"lines\": [{\"lot_id\", \"location_id\", \"counted_mg\", \"estimated\", \"note\"}]}",
              {}, 201, [&services](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.ledger.RecordCount(ctx.actor(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/ledger/discrepancies", Access::kSession, "ledger",
              "Discrepancy cases (count mismatches and losses)", "ledger.read", "",
              {{"status", "open (default) or all"}}, 200, [&services](RouteContext& ctx) {
                const std::string status = ctx.request.Query("status").value_or("open");
                if (status != "open" && status != "all") {
                  return ErrorResponse(InvalidInput("status", "must be open or all"));
                }
                return ResultResponse(services.ledger.ListDiscrepancies(ctx.actor(), status == "open"));
              }});
  router.Add({"POST", "/api/v1/ledger/discrepancies/{id}/resolve", Access::kSession, "ledger",
              "Resolve a discrepancy case with a reason (a resolution entry in the ledger)", "ledger.record",
              "{\"reason\"}", {}, 200, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.ledger.ResolveDiscrepancy(ctx.actor(), id.value(), body.value()));
              }});
  router.Add({"GET", "/api/v1/ledger/patients/{id}/administrations", Access::kSession, "ledger",
              "A patient's controlled-substance administrations and wastes, newest first", "ledger.read", "",
              {{"limit", "page size, 1-500 (default 50)"},
               {"before_sequence", "next_before_sequence from the previous page"}},
              200, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto query = EntryQuery(ctx.request);
                if (!query.ok()) return ErrorResponse(query.error());
                LedgerEntryQuery q = query.value();
                q.patient_id = id.value();
                return ResultResponse(services.ledger.ListEntries(ctx.actor(), q));
              }});
  router.Add({"GET", "/api/v1/ledger/patients/{id}/administrations/report", Access::kSession, "ledger",
              "A patient's administration history as CSV or PDF", "ledger.read", "", kFormatParam, 200,
              [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                return ReportResponse(ctx.request, services.ledger.PatientAdministrationReport(ctx.actor(), id.value()));
              }});
  router.Add({"GET", "/api/v1/ledger/reports/dispensing", Access::kSession, "ledger",
              "Dispensing record of one product in the 21 CFR 1304.22(c) layout, as CSV or PDF", "ledger.read", "",
              {{"product_id", "the product"},
               {"from", "first date YYYY-MM-DD (UTC)"},
               {"to", "last date YYYY-MM-DD (UTC), inclusive"},
               {"format", "csv (default) or pdf"}},
              200, [&services](RouteContext& ctx) {
                auto product = OptionalQueryId(ctx.request, "product_id");
                if (!product.ok()) return ErrorResponse(product.error());
                if (!product.value()) return ErrorResponse(InvalidInput("product_id", "is required"));
                return ReportResponse(ctx.request,
                                      services.ledger.DispensingRecord(ctx.actor(), *product.value(),
                                                                       ctx.request.Query("from").value_or(""),
                                                                       ctx.request.Query("to").value_or("")));
              }});
  router.Add({"GET", "/api/v1/ledger/reports/inventory", Access::kSession, "ledger",
              "Inventory report (balances per product, lot and location, last counts) as CSV or PDF", "ledger.read",
              "", kFormatParam, 200, [&services](RouteContext& ctx) {
                return ReportResponse(ctx.request, services.ledger.InventoryReport(ctx.actor()));
              }});
}

}  // namespace ketachart
