// Permission check with audited denial (see guard.h).
#include "services/guard.h"

#include <fmt/format.h>

namespace ketachart {

bool Permitted(const Actor& actor, Permission permission) {
  return actor.clinic_id != 0 && actor.Can(permission);
}

Status RequirePermission(ServiceContext& context, const Actor& actor, Permission permission,
                         const AuditEntry& attempted) {
  if (Permitted(actor, permission)) return Status::Ok();
  AuditEntry denied = attempted;
  denied.outcome = AuditOutcome::kDenied;
  denied.detail = fmt::format("missing permission {}", PermissionName(permission));
  KC_RETURN_IF_ERROR(RecordAuditEventAlone(context.database, actor, denied, context.clock.Now()));
  if (actor.clinic_id == 0) return Forbidden("you have no role in any clinic");
  return Forbidden(fmt::format("your role in this clinic does not allow this ({})", PermissionName(permission)));
}

Status AuditIfDenied(ServiceContext& context, const Actor& actor, const AuditEntry& attempted, Status status) {
  if (status.ok() || status.error().code != ErrorCode::kForbidden) return status;
  AuditEntry denied = attempted;
  denied.outcome = AuditOutcome::kDenied;
  denied.detail = status.error().message.substr(0, 200);
  KC_RETURN_IF_ERROR(RecordAuditEventAlone(context.database, actor, denied, context.clock.Now()));
  return status;
}

}  // namespace ketachart
