// Shared pieces of the course services (see course_records.h).
#include "services/course_records.h"

#include "services/read_audit_log.h"

namespace ketachart {

AuditEntry CourseAudit(std::string action, std::string type, int64_t id, std::optional<int64_t> patient_id,
                       std::string detail) {
  return AuditEntry{std::move(action), std::move(type), id > 0 ? std::to_string(id) : "", patient_id,
                    AuditOutcome::kSuccess, std::move(detail)};
}

Status RequireCoursePatient(Transaction& txn, int64_t clinic_id, int64_t patient_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT 1 FROM patients WHERE id = ? AND clinic_id = ?",
                                              {patient_id, clinic_id}));
  if (rows.empty()) return NotFound("no such patient in this clinic");
  return Status::Ok();
}

Result<Json> AuditNotFound(ServiceContext& context, const Actor& actor, const std::string& action,
                           const std::string& type, int64_t id, TimePoint now, Result<Json> result) {
  if (result.ok() || result.error().code != ErrorCode::kNotFound) return result;
  AuditEntry failed = CourseAudit(action, type, id, std::nullopt, "not found in this clinic");
  failed.outcome = AuditOutcome::kFailed;
  KC_RETURN_IF_ERROR(RecordReadAudit(context, actor, failed, now));
  return result;
}

Status RequireObjectBody(const Json& body) {
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  return Status::Ok();
}

std::string UsernameColumn(const std::string& alias) {
  return "(SELECT username FROM users WHERE id = " + alias + ")";
}

}  // namespace ketachart
