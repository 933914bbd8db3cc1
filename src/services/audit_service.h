// Reading the audit trail (auditors and administrators): permission check,
// the query limited to the actor's active clinic, and an audit event for the
// reading itself, in one transaction. Thread-safe.
#pragma once

#include "services/audit_trail.h"
#include "services/service_context.h"

namespace ketachart {

Result<AuditPage> ReadAuditTrail(ServiceContext& context, const Actor& actor, AuditQuery query);

}  // namespace ketachart
