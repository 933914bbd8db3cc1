// What the course services (intake, eligibility, consent, course, protocol
// publishing) share: the patient-in-clinic check, the audit entry shape, the
// trace a probe for another clinic's patient leaves, and the reading of a
// request body as a strict JSON object. Internal to services/.
#pragma once

#include <optional>
#include <string>

#include "base/clock.h"
#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/audit_trail.h"
#include "services/service_context.h"

namespace ketachart {

AuditEntry CourseAudit(std::string action, std::string type, int64_t id, std::optional<int64_t> patient_id,
                       std::string detail = {});

// NotFound unless the patient belongs to the clinic.
Status RequireCoursePatient(Transaction& txn, int64_t clinic_id, int64_t patient_id);

// A NotFound from a use case is written to the audit trail as a failed
// attempt (probing ids leaves a trace); other results pass through.
Result<Json> AuditNotFound(ServiceContext& context, const Actor& actor, const std::string& action,
                           const std::string& type, int64_t id, TimePoint now, Result<Json> result);

// invalid_input unless the body is a JSON object.
Status RequireObjectBody(const Json& body);

// "alice" for a user id (for the records' "recorded_by" fields).
std::string UsernameColumn(const std::string& alias);

}  // namespace ketachart
