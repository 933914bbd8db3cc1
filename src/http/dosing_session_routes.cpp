// /api/v1/sessions: the dosing session at the chair — check-in, the readiness
// checklist, the dose order, the timeline of events, the day list — and its
// note (docs/sessions.md). Handlers only translate; the services check
// permissions, run one transaction each and audit.
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {

void AddSessionTimelineRoutes(Router& router, ApiServices& s) {
  router.Add({"POST", "/api/v1/sessions", Access::kSession, "sessions",
              "Check a patient in for a dosing session under a treatment course", "session.record",
              "{\"course_id\": int, \"chair\": string, \"appointment_id\": int}", {}, 201, [&s](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(s.sessions.CheckIn(ctx.actor(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/sessions", Access::kSession, "sessions",
              "The day list: the clinic's sessions checked in on a date, each with phase, timer and what is due",
              "session.read", "", {{"date", "YYYY-MM-DD, the clinic's local day (default today there)"}}, 200,
              [&s](RouteContext& ctx) {
                return ResultResponse(s.sessions.DayList(ctx.actor(), ctx.request.Query("date").value_or("")));
              }});
  router.Add({"GET", "/api/v1/sessions/{id}", Access::kSession, "sessions",
              "One session: phase, timers, readiness, dose order, timeline, what is allowed and due", "session.read",
              "", {}, 200, [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                return ResultResponse(s.sessions.GetSession(ctx.actor(), id.value()));
              }});
  router.Add({"POST", "/api/v1/sessions/{id}/readiness", Access::kSession, "sessions",
              "Record the readiness checklist; dosing needs a passed checklist", "session.record",
              "{\"fasting_confirmed\", \"escort_name\", \"held_medications_confirmed\", \"pregnancy_test\": "
              "negative|positive|not_applicable, \"vitals\": {...}, \"note\"}",
              {}, 201, [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(s.sessions.RecordReadiness(ctx.actor(), id.value(), body.value()), 201);
              }});
  router.Add({"POST", "/api/v1/sessions/{id}/dose-order", Access::kSession, "sessions",
              "The prescriber's dose order from the recorded weight (protocol maximum enforced; esketamine: the "
              "day-1 dose rule on a course's first dose, overridable with a reason)",
              "session.order",
              "{\"dose_mg_per_kg\" | \"dose_mg\", \"vial_strength_mg_per_ml\", \"diluent_ml\", \"duration_min\", "
              "\"rounding_step_mg\", \"indication\": \"trd\"|\"mdd_suicidal_ideation\", "
              "\"first_dose_override\": {\"rule_id\", \"reason\"}}",
              {}, 201, [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(s.sessions.OrderDose(ctx.actor(), id.value(), body.value()), 201);
              }});
  router.Add({"POST", "/api/v1/sessions/{id}/events", Access::kSession, "sessions",
              "Record a timeline event (start, device, rate_change, pause, resume, stop, rescue_medication, vitals, "
              "score, adverse_event, ready_for_discharge, discharge, cancel); refused with the rule that forbids it. "
              "start and device may carry ledger_sequence or administer {lot_id, location_id} (recorded in the "
              "ledger in the same transaction)",
              "session.record", "{\"kind\": string, \"occurred_at\": timestamp, ...the kind's fields}", {}, 201,
              [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(s.sessions.RecordEvent(ctx.actor(), id.value(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/sessions/{id}/note", Access::kSession, "sessions",
              "The session's note: the summary assembled from the timeline, the prescriber's fields, signature, "
              "addenda",
              "session.read", "", {}, 200, [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                return ResultResponse(s.notes.GetNote(ctx.actor(), id.value()));
              }});
  router.Add({"PUT", "/api/v1/sessions/{id}/note", Access::kSession, "sessions",
              "Save a draft of the note as a new version (refused once signed)", "note.sign",
              "{\"fields\": {\"assessment\", \"response\", \"plan\", \"complications\"}, \"version\": int}", {}, 200,
              [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(s.notes.SaveDraft(ctx.actor(), id.value(), body.value()));
              }});
  router.Add({"POST", "/api/v1/sessions/{id}/note/sign", Access::kSession, "sessions",
              "Sign and lock the note (the session ended, every required field filled)", "note.sign",
              "{\"version\": int}", {}, 200, [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(s.notes.Sign(ctx.actor(), id.value(), body.value()));
              }});
  router.Add({"POST", "/api/v1/sessions/{id}/note/addenda", Access::kSession, "sessions",
              "Add a signed addendum to a signed note", "session.record", "{\"text\": string}", {}, 201,
              [&s](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(s.notes.AddAddendum(ctx.actor(), id.value(), body.value()), 201);
              }});
}

}  // namespace ketachart
