// /api/v1/patients/{id}/measure-schedules, /measure-due, /session-starts,
// /responsible-clinician, /api/v1/measure-schedules/{id}/stop,
// /api/v1/measure-overdue and /api/v1/responsible-clinician-candidates: a
// patient's measure schedules and what is due, the clinic's overdue list, the
// session start times the trajectory chart marks, and the responsible
// clinician who receives the patient's safety alerts.
#include "http/api_server.h"
#include "http/responses.h"
#include "http/route_handlers.h"

namespace ketachart {

void AddMeasureScheduleRoutes(Router& router, ApiServices& services) {
  router.Add({"POST", "/api/v1/patients/{id}/measure-schedules", Access::kSession, "measures",
              "Schedule an instrument for the patient: before each session, every N days (optionally reset at each "
              "session) or N days after each session",
              "measure.write",
              "{\"instrument\": key, \"kind\": before_each_session|every_n_days|n_days_after_each_session, "
              "\"interval_days\": 1-365, \"reset_on_treatment\": bool, \"start_date\": YYYY-MM-DD, \"note\": string}",
              {}, 201, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.measure_schedules.CreateSchedule(ctx.actor(), id.value(), body.value()),
                                      201);
              }});
  router.Add({"GET", "/api/v1/patients/{id}/measure-schedules", Access::kSession, "measures",
              "The patient's measure schedules, newest first, active ones with their due items", "measure.read", "",
              {{"limit", "page size, 1-200 (default 50)"}, {"cursor", "next_cursor from the previous page"}}, 200,
              WithIdAndPage([&services](const Actor& a, int64_t id, const PageQuery& page) {
                return services.measure_schedules.ListSchedules(a, id, page);
              }, 50, MeasureScheduleService::kMaxSchedulePage)});
  router.Add({"POST", "/api/v1/measure-schedules/{id}/stop", Access::kSession, "measures",
              "Stop a measure schedule with a reason (once; the schedule is kept)", "measure.write",
              "{\"reason\": string}", {}, 200, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.measure_schedules.StopSchedule(ctx.actor(), id.value(), body.value()));
              }});
  router.Add({"GET", "/api/v1/patients/{id}/measure-due", Access::kSession, "measures",
              "The patient's due measures: the current and next occurrence of each active schedule", "measure.read",
              "", {}, 200, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                return ResultResponse(services.measure_schedules.DueMeasures(ctx.actor(), id.value()));
              }});
  router.Add({"GET", "/api/v1/measure-overdue", Access::kSession, "measures",
              "The clinic's overdue measures, most overdue first, each with the patient, instrument, due date, days "
              "overdue and rule",
              "measure.read", "",
              {{"limit", "page size, 1-200 (default 50)"}, {"cursor", "next_cursor from the previous page"}}, 200,
              [&services](RouteContext& ctx) {
                auto page = QueryPage(ctx.request, 50, MeasureScheduleService::kMaxOverduePage);
                if (!page.ok()) return ErrorResponse(page.error());
                return ResultResponse(services.measure_schedules.ListOverdue(ctx.actor(), page.value()));
              }});
  router.Add({"GET", "/api/v1/patients/{id}/session-starts", Access::kSession, "measures",
              "When dosing began in each of the patient's sessions, oldest first (the trajectory's session marks)",
              "measure.read", "",
              {{"limit", "page size, 1-500 (default 500)"}, {"cursor", "next_cursor from the previous page"}}, 200,
              WithIdAndPage([&services](const Actor& a, int64_t id, const PageQuery& page) {
                return services.measure_schedules.SessionStarts(a, id, page);
              }, 500, MeasureScheduleService::kMaxSessionStartPage)});
  router.Add({"GET", "/api/v1/patients/{id}/responsible-clinician", Access::kSession, "measures",
              "The patient's responsible clinician (who receives the safety alerts) and earlier assignments",
              "measure.read", "", {}, 200, [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                return ResultResponse(services.responsible_clinicians.Current(ctx.actor(), id.value()));
              }});
  router.Add({"POST", "/api/v1/patients/{id}/responsible-clinician", Access::kSession, "measures",
              "Assign the patient's responsible clinician (a new assignment; earlier ones are kept)",
              "measure.write", "{\"clinician_id\": user id, \"reason\": string}", {}, 200,
              [&services](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(services.responsible_clinicians.Assign(ctx.actor(), id.value(), body.value()));
              }});
  router.Add({"GET", "/api/v1/responsible-clinician-candidates", Access::kSession, "measures",
              "Staff of the clinic who may be a responsible clinician (they may acknowledge safety alerts)",
              "measure.read", "", {}, 200, [&services](RouteContext& ctx) {
                return ResultResponse(services.responsible_clinicians.Candidates(ctx.actor()));
              }});
}

}  // namespace ketachart
