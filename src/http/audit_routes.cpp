// /api/v1/audit: the audit trail for auditors and administrators.
#include "http/api_server.h"
#include "http/responses.h"
#include "services/audit_trail.h"
#include "services/audit_service.h"

namespace ketachart {
namespace {

Result<std::optional<std::string>> OptionalTime(const HttpRequest& request, const std::string& name) {
  auto text = request.Query(name);
  if (!text || text->empty()) return std::optional<std::string>();
  if (IsValidDate(*text)) return std::optional<std::string>(*text + "T00:00:00.000Z");
  auto parsed = ParseTimestamp(*text);
  if (!parsed) return InvalidInput(name, "must be a date YYYY-MM-DD or a timestamp like 2026-11-22T09:30:00Z");
  return std::optional<std::string>(FormatTimestamp(*parsed));
}

Json EventJson(const AuditEventView& e) {
  auto optional = [](const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); };
  return {{"id", e.id},
          {"occurred_at", e.occurred_at},
          {"user_id", optional(e.user_id)},
          {"username", e.username},
          {"clinic_id", optional(e.clinic_id)},
          {"action", e.action},
          {"resource_type", e.resource_type},
          {"resource_id", e.resource_id},
          {"patient_id", optional(e.patient_id)},
          {"outcome", e.outcome},
          {"client_address", e.client_address},
          {"detail", e.detail}};
}

}  // namespace

void AddAuditRoutes(Router& router, ApiServices& services) {
  router.Add(
      {"GET", "/api/v1/audit", Access::kSession, "audit",
       "Audit events of the active clinic, newest first, filtered by patient, user and time; paginated",
       "audit.read", "",
       {{"patient", "patient id"}, {"user", "username"}, {"from", "inclusive date or timestamp"},
        {"to", "exclusive date or timestamp"}, {"limit", "1-200 (default 50)"}, {"cursor", "next_cursor"}},
       200, [&services](RouteContext& ctx) {
         AuditQuery query;
         auto patient = OptionalQueryId(ctx.request, "patient");
         if (!patient.ok()) return ErrorResponse(patient.error());
         query.patient_id = patient.value();
         if (auto user = ctx.request.Query("user"); user && !user->empty()) query.username = *user;
         auto from = OptionalTime(ctx.request, "from");
         if (!from.ok()) return ErrorResponse(from.error());
         auto to = OptionalTime(ctx.request, "to");
         if (!to.ok()) return ErrorResponse(to.error());
         query.from = from.value();
         query.to = to.value();
         auto page_query = QueryIdPage(ctx.request, 50, 200);
         if (!page_query.ok()) return ErrorResponse(page_query.error());
         query.before_id = page_query->cursor;
         query.limit = page_query->limit;
         auto page = ReadAuditTrail(services.context, ctx.actor(), query);
         if (!page.ok()) return ErrorResponse(page.error());
         Json items = Json::array();
         for (const auto& event : page.value().items) items.push_back(EventJson(event));
         Json next = page.value().next_before_id ? Json(std::to_string(*page.value().next_before_id)) : Json(nullptr);
         return JsonResponse(200, {{"items", items}, {"next_cursor", next}});
       }});
}

}  // namespace ketachart
