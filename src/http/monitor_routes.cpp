// /api/v1/monitor: vitals received from bedside monitors over HL7 v2 / MLLP.
#include "http/api_server.h"
#include "http/responses.h"
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

}  // namespace

void AddMonitorRoutes(Router& router, ApiServices& services) {
  router.Add(
      {"GET", "/api/v1/monitor/unassigned", Access::kSession, "monitor",
       "Observations from bedside monitors that no session has taken, oldest first; value is exact decimal text "
       "(null unless state is measured), unit is UCUM (null when unknown); paginated",
       "monitor.read", "",
       {{"limit", "1-500 (default 100)"}, {"cursor", "next_cursor"}},
       200, [&services](RouteContext& ctx) {
         auto cursor = OptionalQueryId(ctx.request, "cursor");
         if (!cursor.ok()) return ErrorResponse(InvalidInput("cursor", "is not a cursor returned by this list"));
         auto limit = QueryPageLimit(ctx.request, 100, kMaxMonitorPageSize);
         if (!limit.ok()) return ErrorResponse(limit.error());
         auto page = ListUnassignedObservations(services.context, ctx.actor(), cursor.value(), limit.value());
         if (!page.ok()) return ErrorResponse(page.error());
         Json items = Json::array();
         for (const auto& o : page.value().items) items.push_back(ObservationJson(o));
         Json next = page.value().next_after_id ? Json(std::to_string(*page.value().next_after_id)) : Json(nullptr);
         return JsonResponse(200, {{"items", items}, {"next_cursor", next}});
       }});
}

}  // namespace ketachart
