// The permission check every service call starts with. A denial is written to
// the audit trail in its own transaction (the work never runs) and returned
// as kForbidden naming the missing permission.
#pragma once

#include "services/audit_trail.h"
#include "services/permissions.h"
#include "services/service_context.h"

namespace ketachart {

Status RequirePermission(ServiceContext& context, const Actor& actor, Permission permission,
                         const AuditEntry& attempted);
// The same rule without its audit: the actor has an active clinic and a
// role there that grants `permission`.
bool Permitted(const Actor& actor, Permission permission);

// For refusals found inside a use case's transaction (which then rolled
// back): records the denial in a transaction of its own and returns `status`.
Status AuditIfDenied(ServiceContext& context, const Actor& actor, const AuditEntry& attempted, Status status);

}  // namespace ketachart
