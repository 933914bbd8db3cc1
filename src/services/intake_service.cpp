// Intake versions (see intake_service.h).
#include "services/intake_service.h"

#include <fmt/format.h>

#include "base/crypto.h"
#include "clinical/intake/intake.h"
#include "clinical/intake/intake_vocabulary.h"
#include "services/course_records.h"
#include "services/eligibility_service.h"
#include "services/guard.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

constexpr std::string_view kIntakeColumns =
    "i.id, i.version, i.document, i.digest, i.reason, i.recorded_at, u.username";

Json IntakeJson(const SqlRow& row) {
  return Json{{"id", row.Int(0)},          {"version", row.Int(1)},        {"intake", Json::parse(row.Text(2))},
              {"digest", row.Text(3)},     {"reason", row.Text(4)},        {"recorded_at", row.Text(5)},
              {"recorded_by", row.Text(6)}};
}

// "raised_intracranial_pressure" -> "Raised intracranial pressure".
std::string Label(std::string_view code) {
  std::string label(code);
  for (char& c : label) {
    if (c == '_') c = ' ';
  }
  if (!label.empty() && label[0] >= 'a' && label[0] <= 'z') label[0] = static_cast<char>(label[0] - 'a' + 'A');
  return label;
}

template <size_t N>
Json Words(const std::array<std::string_view, N>& words) {
  Json out = Json::array();
  for (std::string_view word : words) out.push_back({{"code", word}, {"display", Label(word)}});
  return out;
}

}  // namespace

Result<std::optional<StoredIntake>> LatestIntake(Transaction& txn, int64_t clinic_id, int64_t patient_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT id, version, document, digest FROM patient_intakes WHERE "
                                              "patient_id = ? AND clinic_id = ? ORDER BY version DESC LIMIT 1",
                                              {patient_id, clinic_id}));
  if (rows.empty()) return std::optional<StoredIntake>();
  return std::optional<StoredIntake>(StoredIntake{rows[0].Int(0), rows[0].Int(1), rows[0].Text(2), rows[0].Text(3)});
}

Result<Json> IntakeService::RecordIntake(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kIntakeWrite,
                                       CourseAudit("intake.record", "intake", 0, patient_id)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  const Json* document = reader.OptionalObject("intake");
  auto reason = reader.OptionalString("reason", {0, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!document) return InvalidInput("intake", "is required: the intake document");
  auto intake = ReadIntake(*document);
  if (!intake.ok()) {
    Error error = intake.error();
    error.field = error.field.empty() ? "intake" : "intake." + error.field;
    return error;
  }
  const std::string text = document->dump();
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(std::optional<StoredIntake> latest, LatestIntake(txn, actor.clinic_id, patient_id));
    const int64_t version = latest ? latest->version + 1 : 1;
    if (version > 1 && reason.value_or("").find_first_not_of(" \t\r\n") == std::string::npos) {
      return InvalidInput("reason", "is required when amending an intake (version " + std::to_string(version) + ")");
    }
    KC_ASSIGN_OR_RETURN(SqlRows inserted,
                        txn.Query("INSERT INTO patient_intakes (clinic_id, patient_id, version, document, digest, "
                                  "reason, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                  {actor.clinic_id, patient_id, version, text, intake.value().digest,
                                   reason.value_or(""), FormatTimestamp(now), actor.user_id}));
    const int64_t id = inserted.at(0).Int(0);
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, CourseAudit("intake.record", "intake", id, patient_id, fmt::format("version {}", version)), now));
    // The new intake is evaluated at once against every protocol the patient was evaluated for.
    KC_ASSIGN_OR_RETURN(std::vector<int64_t> reevaluated, ReevaluatePatient(txn, actor, patient_id, now));
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(fmt::format("SELECT {} FROM patient_intakes i JOIN users u ON u.id "
                                                            "= i.recorded_by WHERE i.id = ?",
                                                            kIntakeColumns),
                                                {id}));
    Json out = IntakeJson(rows.at(0));
    out["reevaluated_decisions"] = reevaluated;
    return out;
  });
  return AuditNotFound(context_, actor, "intake.record", "patient", patient_id, now, std::move(result));
}

Result<Json> IntakeService::ListIntakes(const Actor& actor, int64_t patient_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kCourseRead,
                                       CourseAudit("intake.list", "patient", patient_id, patient_id)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query(fmt::format("SELECT {} FROM patient_intakes i JOIN users u ON u.id = "
                                              "i.recorded_by WHERE i.patient_id = ? AND i.clinic_id = ? "
                                              "ORDER BY i.version DESC LIMIT ?",
                                              kIntakeColumns),
                                  {patient_id, actor.clinic_id, int64_t{kMaxVersionsListed}}));
    Json items = Json::array();
    for (const SqlRow& row : rows) items.push_back(IntakeJson(row));
    return Json{{"items", std::move(items)}};
  });
  if (!result.ok()) return AuditNotFound(context_, actor, "intake.list", "patient", patient_id, now, std::move(result));
  KC_RETURN_IF_ERROR(
      RecordReadAudit(context_, actor, CourseAudit("intake.list", "patient", patient_id, patient_id), now));
  return result;
}

Json IntakeService::Vocabulary() {
  return Json{{"conditions", Words(kIntakeConditions)},
              {"medication_classes", Words(kMedicationClasses)},
              {"hypersensitivity_categories", Words(kHypersensitivityCategories)},
              {"substances", Words(kSubstances)},
              {"substance_use_patterns", Words(kSubstanceUsePatterns)}};
}

}  // namespace ketachart
