// /api/v1/chairs, /api/v1/schedule/staff, /api/v1/staff/{id}/working-hours,
// /api/v1/appointments, /api/v1/courses/{id}/appointment-series,
// /api/v1/calendar and /api/v1/reminders: the clinic's schedule (chairs,
// working hours, booking with conflict detection, series from a course's
// protocol, reschedule/cancel with reasons, the calendar by chair and the
// reminders still to send). Patient ids travel in bodies, never in URLs.
#include <fmt/format.h>

#include "http/api_server.h"
#include "http/responses.h"
#include "http/route_handlers.h"

namespace ketachart {
namespace {

Result<int> QueryInt(const HttpRequest& request, const std::string& name, int fallback, int min, int max) {
  const auto text = request.Query(name);
  if (!text || text->empty()) return fallback;
  try {
    size_t used = 0;
    const int value = std::stoi(*text, &used);
    if (used != text->size() || value < min || value > max) throw std::out_of_range(*text);
    return value;
  } catch (const std::exception&) {
    return InvalidInput(name, fmt::format("must be a whole number from {} to {}", min, max));
  }
}

}  // namespace

void AddScheduleRoutes(Router& router, ApiServices& services) {
  SchedulingService& schedule = services.schedule;
  router.Add({"GET", "/api/v1/chairs", Access::kSession, "schedule", "The clinic's treatment chairs by room",
              "schedule.read", "", {}, 200,
              [&schedule](RouteContext& ctx) { return ResultResponse(schedule.ListChairs(ctx.actor())); }});
  router.Add({"POST", "/api/v1/chairs", Access::kSession, "schedule", "Add a treatment chair (in service)",
              "schedule.setup", "{\"name\": string, \"room\": string}", {}, 201, [&schedule](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(schedule.CreateChair(ctx.actor(), body.value()), 201);
              }});
  router.Add({"POST", "/api/v1/chairs/{id}/service", Access::kSession, "schedule",
              "Take a chair out of service or back in (a new status row with the reason)", "schedule.setup",
              "{\"in_service\": bool, \"reason\": string}", {}, 200,
              WithIdAndBody([&schedule](const Actor& a, int64_t id, const Json& b) {
                return schedule.SetChairService(a, id, b);
              })});
  router.Add({"GET", "/api/v1/schedule/staff", Access::kSession, "schedule",
              "The clinic's clinicians (prescribers, nurses, therapists) with their current working hours",
              "schedule.read", "", {}, 200,
              [&schedule](RouteContext& ctx) { return ResultResponse(schedule.ListStaff(ctx.actor())); }});
  router.Add({"GET", "/api/v1/staff/{id}/working-hours", Access::kSession, "schedule",
              "A clinician's current weekly working hours (clinic local time)", "schedule.read", "", {}, 200,
              [&schedule](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                return ResultResponse(schedule.WorkingHours(ctx.actor(), id.value()));
              }});
  router.Add({"POST", "/api/v1/staff/{id}/working-hours", Access::kSession, "schedule",
              "Set a clinician's weekly working hours (a new version replaces the current one)", "schedule.setup",
              "{\"hours\": {\"monday\": [{\"start\": \"HH:MM\", \"end\": \"HH:MM\"}], ...}, \"reason\": string}", {},
              200, WithIdAndBody([&schedule](const Actor& a, int64_t id, const Json& b) {
                return schedule.SetWorkingHours(a, id, b);
              })});
  router.Add({"POST", "/api/v1/appointments", Access::kSession, "schedule",
              "Book one appointment; 409 naming the rule when the chair, clinician or patient is taken, outside "
              "working hours or the chair is out of service",
              "schedule.write",
              "{\"patient_id\", \"course_id\"?, \"kind\": dosing|integration|assessment|follow_up, \"chair_id\", "
              "\"staff_user_id\", \"start\": local YYYY-MM-DDTHH:MM, \"duration_minutes\": 5-720, \"note\"?}",
              {}, 201, [&schedule](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(schedule.BookAppointment(ctx.actor(), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/appointments/{id}", Access::kSession, "schedule",
              "One appointment with its history of slots and reminders (audited read)", "schedule.read", "", {}, 200,
              [&schedule](RouteContext& ctx) {
                auto id = PathId(ctx.path_params, "id");
                if (!id.ok()) return ErrorResponse(id.error());
                return ResultResponse(schedule.GetAppointment(ctx.actor(), id.value()));
              }});
  router.Add({"POST", "/api/v1/appointments/{id}/reschedule", Access::kSession, "schedule",
              "Move an appointment (the old slot stays in its history); a reason is required", "schedule.write",
              "{\"start\": local YYYY-MM-DDTHH:MM, \"duration_minutes\"?, \"chair_id\"?, \"staff_user_id\"?, "
              "\"reason\": string}",
              {}, 200, WithIdAndBody([&schedule](const Actor& a, int64_t id, const Json& b) {
                return schedule.Reschedule(a, id, b);
              })});
  router.Add({"POST", "/api/v1/appointments/{id}/cancel", Access::kSession, "schedule",
              "Cancel an appointment with a reason (kept in its history)", "schedule.write", "{\"reason\": string}",
              {}, 200, WithIdAndBody([&schedule](const Actor& a, int64_t id, const Json& b) {
                return schedule.Cancel(a, id, b);
              })});
  router.Add({"POST", "/api/v1/appointments/{id}/reminder-sent", Access::kSession, "schedule",
              "Record that a reminder was sent for the appointment's current slot", "schedule.write",
              "{\"channel_note\": string}", {}, 200,
              WithIdAndBody([&schedule](const Actor& a, int64_t id, const Json& b) {
                return schedule.MarkReminderSent(a, id, b);
              })});
  router.Add({"POST", "/api/v1/courses/{id}/appointment-series", Access::kSession, "schedule",
              "Generate and book a course's appointment series from its protocol's quantities, all or none (409 "
              "lists every conflict)",
              "schedule.write",
              "{\"first_start\": local YYYY-MM-DDTHH:MM, \"sessions\", \"per_week\", \"duration_minutes\", "
              "\"chair_id\", \"staff_user_id\", \"kind\"? (default dosing), \"note\"?}",
              {}, 201, WithIdAndBody([&schedule](const Actor& a, int64_t id, const Json& b) {
                return schedule.BookSeries(a, id, b);
              }, 201)});
  router.Add({"GET", "/api/v1/calendar", Access::kSession, "schedule",
              "The day or week calendar by chair in clinic local time, with patient name and MRN (audited read)",
              "schedule.read", "",
              {{"date", "first day, YYYY-MM-DD (clinic local)"}, {"days", "1 (default) or 7"}}, 200,
              [&schedule](RouteContext& ctx) {
                auto days = QueryInt(ctx.request, "days", 1, 1, 7);
                if (!days.ok()) return ErrorResponse(days.error());
                const auto date = ctx.request.Query("date");
                if (!date || date->empty()) return ErrorResponse(InvalidInput("date", "is required: YYYY-MM-DD"));
                return ResultResponse(schedule.Calendar(ctx.actor(), *date, days.value()));
              }});
  router.Add({"GET", "/api/v1/reminders", Access::kSession, "schedule",
              "Booked appointments starting within the next N hours without a reminder sent for their slot "
              "(audited read)",
              "schedule.read", "", {{"within_hours", "1-168 (default 48)"}}, 200, [&schedule](RouteContext& ctx) {
                auto hours = QueryInt(ctx.request, "within_hours", 48, 1, SchedulingService::kMaxReminderWindowHours);
                if (!hours.ok()) return ErrorResponse(hours.error());
                return ResultResponse(schedule.Reminders(ctx.actor(), hours.value()));
              }});
}

}  // namespace ketachart
