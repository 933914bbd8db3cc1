// After the dose: esketamine REMS (enrolment, a session's Patient Monitoring
// Form as JSON or printable PDF, its submission, the 7-day deadline tracker),
// integration notes and the shared care summary (docs/sessions.md). Handlers
// only translate; the services check permissions, run one transaction each
// and audit.
#include "http/api_server.h"
#include "http/responses.h"
#include "http/route_handlers.h"

namespace ketachart {

void AddRemsRoutes(Router& router, ApiServices& s) {
  router.Add({"GET", "/api/v1/patients/{id}/rems", Access::kSession, "sessions",
              "The patient's REMS enrolment status and its history", "session.read", "", {}, 200,
              [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                return ResultResponse(s.rems.GetEnrolment(ctx.actor(), id.value()));
              }});
  router.Add({"GET", "/api/v1/patients/{id}/rems/history", Access::kSession, "sessions",
              "The patient's REMS enrolment records, latest first, a page at a time (the enrolment view holds the "
              "latest 50 and history_next_cursor)",
              "session.read", "",
              {{"limit", "page size, 1-200 (default 50)"}, {"cursor", "next_cursor, or history_next_cursor"}}, 200,
              WithIdAndPage([&s](const Actor& a, int64_t id, const PageQuery& page) {
                return s.rems.EnrolmentHistory(a, id, page);
              }, RemsService::kEnrolmentHistory, RemsService::kMaxEnrolmentPage)});
  router.Add({"POST", "/api/v1/patients/{id}/rems", Access::kSession, "sessions",
              "Record the patient's REMS enrolment (or its end)", "session.record",
              "{\"status\": enrolled|not_enrolled, \"rems_patient_id\", \"effective_on\": date, \"note\"}", {}, 201,
              [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(s.rems.RecordEnrolment(ctx.actor(), id.value(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/sessions/{id}/rems-form", Access::kSession, "sessions",
              "The session's REMS Patient Monitoring Form: pre-filled fields, due date, submissions", "session.read",
              "", {{"format", "json (default) or pdf (printable)"}}, 200, [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                const std::string format = ctx.request.Query("format").value_or("json");
                if (format == "json") return ResultResponse(s.rems.GetForm(ctx.actor(), id.value()));
                if (format != "pdf") return ErrorResponse(InvalidInput("format", "must be json or pdf"));
                auto report = s.rems.FormReport(ctx.actor(), id.value());
                if (!report.ok()) return ErrorResponse(report.error());
                auto pdf = RenderPdf(report.value());
                if (!pdf.ok()) return ErrorResponse(pdf.error());
                HttpResponse response;
                response.content_type = "application/pdf";
                response.body = std::move(pdf).value();
                response.headers.emplace_back("Content-Disposition",
                                              "inline; filename=\"" + report.value().file_stem + ".pdf\"");
                return response;
              }});
  router.Add({"POST", "/api/v1/sessions/{id}/rems-form", Access::kSession, "sessions",
              "Submit the session's REMS monitoring form (every field answered; a correction names amends_id)",
              "session.record",
              "{\"answers\": {field: value}, \"submitted_on\": date, \"confirmation\": string, \"amends_id\": int, "
              "\"reason\": string (required with amends_id)}",
              {},
              201, [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(s.rems.SubmitForm(ctx.actor(), id.value(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/rems/tracker", Access::kSession, "sessions",
              "Dosed REMS sessions with their monitoring form's due date and status and the patient's enrolment "
              "(7-day tracker), a page at a time: forms still due oldest session first, submitted ones latest first",
              "session.read", "",
              {{"status", "open (default: every unsubmitted form), overdue, submitted, or all (both)"},
               {"limit", "page size, 1-200 (default 50)"},
               {"cursor", "next_cursor from the previous page"}},
              200, [&s](RouteContext& ctx) {
                const std::string status = ctx.request.Query("status").value_or("open");
                using Filter = RemsService::TrackerFilter;
                if (status != "open" && status != "overdue" && status != "submitted" && status != "all") {
                  return ErrorResponse(InvalidInput("status", "must be open, overdue, submitted or all"));
                }
                const Filter filter = status == "all"         ? Filter::kAll
                                      : status == "overdue"   ? Filter::kOverdue
                                      : status == "submitted" ? Filter::kSubmitted
                                                              : Filter::kOpen;
                auto page = QueryPage(ctx.request, 50, RemsService::kMaxTrackerPage);
                if (!page.ok()) return ErrorResponse(page.error());
                return ResultResponse(s.rems.Tracker(ctx.actor(), filter, page.value()));
              }});
  router.Add({"POST", "/api/v1/patients/{id}/integration-notes", Access::kSession, "sessions",
              "Write a signed SOAP or DAP integration note on a dosing session (a correction names amends_id)",
              "integration.write",
              "{\"session_id\", \"format\": soap|dap, \"fields\": {...}, \"homework\", \"coping_plan\", \"amends_id\"}", {},
              201, [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(s.integration.WriteNote(ctx.actor(), id.value(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/patients/{id}/care-summary", Access::kSession, "sessions",
              "The view prescribers and therapists share: courses, sessions and their notes, integration notes, "
              "booster signals from the measures",
              "session.read", "", {}, 200, [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                return ResultResponse(s.integration.CareSummary(ctx.actor(), id.value()));
              }});
  router.Add({"GET", "/api/v1/patients/{id}/care-summary/sessions", Access::kSession, "sessions",
              "The care summary's sessions, latest first, a page at a time (the summary shows the latest 20 and "
              "sessions_next_cursor for the older ones)",
              "session.read", "",
              {{"limit", "page size, 1-200 (default 20)"}, {"cursor", "next_cursor, or the summary's sessions_next_cursor"}},
              200,
              WithIdAndPage([&s](const Actor& a, int64_t id, const PageQuery& page) {
                return s.integration.CareSummarySessions(a, id, page);
              }, IntegrationService::kCareSummarySessions, IntegrationService::kMaxSessionPage)});
}

}  // namespace ketachart
