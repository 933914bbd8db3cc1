// /api/v1/monitor: vitals received from bedside monitors over HL7 v2 / MLLP,
// the devices and their chairs, the unassigned queue, the chair board, alarms
// and the clinic's alarm policy; /api/v1/sessions/{id}/monitor. Handlers only
// translate; the services check permissions and audit.
#include <cctype>

#include "http/api_server.h"
#include "http/responses.h"
#include "http/route_handlers.h"
#include "services/monitor_service.h"

namespace ketachart {
namespace {

Json ObservationJson(const QueuedObservation& o) {
  const auto optional = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); };
  return {{"id", o.id},
          {"device", o.device_id},
          {"code", o.code},
          {"code_system", o.code_system},
          {"code_name", o.code_name},
          {"loinc", optional(o.loinc)},
          {"state", o.state},
          {"value", optional(o.value)},
          {"value_text", o.value_text},
          {"unit", optional(o.unit)},
          {"unit_as_sent", o.unit_as_sent},
          {"observed_at", o.observed_at},
          {"received_at", o.received_at}};
}

// A device id as monitors send it (EUI-64 hex, or a gateway's name for it).
Result<std::string> DeviceIdParam(const RouteContext& ctx) {
  const auto it = ctx.path_params.find("device");
  const std::string id = it == ctx.path_params.end() ? "" : it->second;
  if (id.empty() || id.size() > 100) return InvalidInput("device", "must be 1-100 characters");
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != ':' && c != '-') {
      return InvalidInput("device", "may hold only letters, digits and . _ : -");
    }
  }
  return id;
}

}  // namespace

void AddMonitorRoutes(Router& router, ApiServices& services) {
  router.Add(
      {"GET", "/api/v1/monitor/unassigned", Access::kSession, "monitor",
       "Observations from bedside monitors that no session has taken, oldest first; value is exact decimal text "
       "(null unless state is measured), unit is UCUM (null when unknown); paginated",
       "monitor.read", "",
       {{"limit", "1-500 (default 100)"}, {"cursor", "next_cursor"}},
       200, [&services](RouteContext& ctx) {
         auto query = QueryIdPage(ctx.request, 100, kMaxMonitorPageSize);
         if (!query.ok()) return ErrorResponse(query.error());
         auto page = ListUnassignedObservations(services.context, ctx.actor(), query->cursor, query->limit);
         if (!page.ok()) return ErrorResponse(page.error());
         Json items = Json::array();
         for (const auto& o : page.value().items) items.push_back(ObservationJson(o));
         Json next = page.value().next_after_id ? Json(std::to_string(*page.value().next_after_id)) : Json(nullptr);
         return JsonResponse(200, {{"items", items}, {"next_cursor", next}});
       }});
  MonitorChairService& chairs = services.monitor_chairs;
  MonitorAlarmService& alarms = services.monitor_alarms;
  router.Add({"GET", "/api/v1/monitor/devices", Access::kSession, "monitor",
              "Every monitor that has sent vitals, with the chair it is bound to", "monitor.read", "", {}, 200,
              [&chairs](RouteContext& ctx) { return ResultResponse(chairs.ListDevices(ctx.actor())); }});
  router.Add({"PUT", "/api/v1/monitor/devices/{device}/chair", Access::kSession, "monitor",
              "Bind a monitor to a chair (or unbind it with null); its vitals then go to the chair's active session",
              "monitor.setup", "{\"chair_id\": integer | null}", {}, 200, [&chairs](RouteContext& ctx) {
                auto device = DeviceIdParam(ctx);
                if (!device.ok()) return ErrorResponse(device.error());
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(chairs.BindDevice(ctx.actor(), device.value(), body.value()));
              }});
  router.Add({"POST", "/api/v1/monitor/unassigned/assign", Access::kSession, "monitor",
              "Assign queued observations to a dosing session (audited; counts toward its alarms while it runs)",
              "session.record", "{\"observation_ids\": [integer], \"session_id\": integer}", {}, 200,
              WithBody([&chairs](const Actor& a, const Json& b) { return chairs.Assign(a, b); })});
  router.Add({"POST", "/api/v1/monitor/unassigned/discard", Access::kSession, "monitor",
              "Discard queued observations with a reason (audited; the observations stay stored)", "session.record",
              "{\"observation_ids\": [integer], \"reason\": string}", {}, 200,
              WithBody([&chairs](const Actor& a, const Json& b) { return chairs.Discard(a, b); })});
  router.Add({"GET", "/api/v1/monitor/board", Access::kSession, "monitor",
              "The chair board: every chair, its monitors, the active session's phase, latest vitals, 30-minute "
              "trends and open alarms",
              "monitor.read", "", {}, 200,
              [&alarms](RouteContext& ctx) { return ResultResponse(alarms.Board(ctx.actor())); }});
  router.Add({"GET", "/api/v1/monitor/alarms", Access::kSession, "monitor",
              "The clinic's open alarms (active, or cleared but not yet acknowledged), oldest first", "monitor.read",
              "", {}, 200, [&alarms](RouteContext& ctx) { return ResultResponse(alarms.OpenAlarms(ctx.actor())); }});
  router.Add({"POST", "/api/v1/monitor/alarms/{id}/acknowledge", Access::kSession, "monitor",
              "Acknowledge an alarm with a note saying what was done", "session.record", "{\"note\": string}", {},
              200, WithIdAndBody([&alarms](const Actor& a, int64_t id, const Json& b) {
                return alarms.Acknowledge(a, id, b);
              })});
  router.Add({"GET", "/api/v1/monitor/alarm-policy", Access::kSession, "monitor",
              "The clinic's alarm policy (tiers, rises over baseline, persistence, hysteresis, escalation) and each "
              "protocol's alarm limits, with citations and unconfirmed flags",
              "monitor.read", "", {}, 200,
              [&alarms](RouteContext& ctx) { return ResultResponse(alarms.GetPolicy(ctx.actor())); }});
  router.Add({"PUT", "/api/v1/monitor/alarm-policy", Access::kSession, "monitor",
              "Save the next version of the clinic's alarm policy", "protocol.admin",
              "{\"version\": integer, \"policy\": policy document}", {}, 200,
              WithBody([&alarms](const Actor& a, const Json& b) { return alarms.SavePolicy(a, b); })});
  router.Add({"GET", "/api/v1/sessions/{id}/monitor", Access::kSession, "sessions",
              "A session's monitor record: vitals by sign ([epoch ms, value]), units, the readiness baseline, "
              "alarms with their history and the rules in force",
              "session.read", "", {}, 200, WithId([&alarms](const Actor& a, int64_t id, RouteContext&) {
                return alarms.SessionMonitor(a, id);
              })});
}

}  // namespace ketachart
