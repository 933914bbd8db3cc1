// Audit trail reading (see audit_service.h).
#include "services/audit_service.h"

#include <fmt/format.h>

#include "services/guard.h"

namespace ketachart {

Result<AuditPage> ReadAuditTrail(ServiceContext& context, const Actor& actor, AuditQuery query) {
  KC_RETURN_IF_ERROR(RequirePermission(context, actor, Permission::kAuditRead,
                                       {"audit.query", "audit", "", std::nullopt}));
  if (query.limit < 1 || query.limit > 200) return InvalidInput("limit", "must be between 1 and 200");
  query.clinic_id = actor.clinic_id;
  const TimePoint now = context.clock.Now();
  return context.database.Run<AuditPage>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<AuditPage> {
    KC_ASSIGN_OR_RETURN(AuditPage page, QueryAuditEvents(txn, query));
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        {"audit.query", "audit", "", query.patient_id, AuditOutcome::kSuccess,
                                         fmt::format("results={}", page.items.size())},
                                        now));
    return page;
  });
}

}  // namespace ketachart
