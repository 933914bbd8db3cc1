// The audited read of one page of one patient's records (see patient_page_read.h).
#include "services/patient_page_read.h"

#include "services/course_records.h"
#include "services/guard.h"
#include "services/read_audit_log.h"

namespace ketachart {

Result<Json> ReadPatientPage(ServiceContext& context, const Actor& actor, int64_t patient_id,
                             const PatientPageRead& read, const PageQuery& page, const PatientPageLoader& load) {
  KC_RETURN_IF_ERROR(
      RequirePermission(context, actor, read.permission, CourseAudit(read.action, "patient", patient_id, patient_id)));
  KC_RETURN_IF_ERROR(CheckPageLimit(page.limit, read.max_limit));
  KC_ASSIGN_OR_RETURN(std::optional<int64_t> cursor, ParseIdPageCursor(page.cursor));
  const TimePoint now = context.clock.Now();
  auto result = context.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    return load(txn, cursor, now);
  });
  if (!result.ok()) return AuditNotFound(context, actor, read.action, "patient", patient_id, now, std::move(result));
  KC_RETURN_IF_ERROR(
      RecordReadAudit(context, actor, CourseAudit(read.action, "patient", patient_id, patient_id, read.detail), now));
  return result;
}

}  // namespace ketachart
