// The patient's responsible clinician (see responsible_clinician_service.h).
#include "services/responsible_clinician_service.h"

#include <fmt/format.h>

#include <set>

#include "services/audit_trail.h"
#include "services/guard.h"
#include "services/permissions.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

constexpr int kHistoryShown = 20;

AuditEntry ClinicianAudit(std::string action, std::string type, int64_t id, std::optional<int64_t> patient_id,
                          std::string detail = {}) {
  return AuditEntry{std::move(action), std::move(type), id > 0 ? std::to_string(id) : "", patient_id,
                    AuditOutcome::kSuccess, std::move(detail)};
}

Status RequirePatientInClinic(Transaction& txn, int64_t clinic_id, int64_t patient_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT 1 FROM patients WHERE id = ? AND clinic_id = ?",
                                              {patient_id, clinic_id}));
  if (rows.empty()) return NotFound("no such patient in this clinic");
  return Status::Ok();
}

// True when `user_id` is an enabled account whose roles in the clinic let it
// acknowledge safety alerts.
Result<bool> CanReceiveAlerts(Transaction& txn, int64_t clinic_id, int64_t user_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT r.role FROM user_clinic_roles r JOIN users u ON u.id = r.user_id "
                                              "WHERE r.user_id = ? AND r.clinic_id = ? AND u.disabled = 0",
                                              {user_id, clinic_id}));
  std::set<Role> roles;
  for (const SqlRow& row : rows) {
    if (auto role = ParseRole(row.Text(0))) roles.insert(*role);
  }
  return RolesGrant(roles, Permission::kMeasureAlertAcknowledge);
}

Result<Json> LoadCurrent(Transaction& txn, int64_t clinic_id, int64_t patient_id) {
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      txn.Query("SELECT r.clinician_id, c.username, c.display_name, r.set_at, s.username, r.reason "
                "FROM patient_responsible_clinicians r JOIN users c ON c.id = r.clinician_id "
                "JOIN users s ON s.id = r.set_by WHERE r.patient_id = ? AND r.clinic_id = ? ORDER BY r.id DESC LIMIT ?",
                {patient_id, clinic_id, int64_t{kHistoryShown + 1}}));
  Json out = {{"patient_id", patient_id}, {"clinician", nullptr}, {"set_at", nullptr},
              {"set_by", nullptr},        {"reason", nullptr},    {"history", Json::array()}};
  for (size_t i = 0; i < rows.size(); ++i) {
    const SqlRow& row = rows[i];
    Json entry = {{"clinician", {{"id", row.Int(0)}, {"username", row.Text(1)}, {"display_name", row.Text(2)}}},
                  {"set_at", row.Text(3)},
                  {"set_by", row.Text(4)},
                  {"reason", row.Text(5)}};
    if (i == 0) {
      for (const char* key : {"clinician", "set_at", "set_by", "reason"}) out[key] = entry[key];
    } else {
      out["history"].push_back(std::move(entry));
    }
  }
  return out;
}

}  // namespace

Result<Json> ResponsibleClinicianService::Assign(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(
      context_, actor, Permission::kMeasureWrite,
      ClinicianAudit("patient.responsible_clinician.assign", "patient", patient_id, patient_id)));
  const TimePoint now = context_.clock.Now();
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto clinician_id = reader.RequiredInteger("clinician_id", 1, INT64_MAX);
  auto reason = reader.OptionalString("reason", {0, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequirePatientInClinic(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(bool eligible, CanReceiveAlerts(txn, actor.clinic_id, *clinician_id));
    if (!eligible) {
      return InvalidInput("clinician_id",
                          "must be an active staff member of this clinic who may acknowledge safety alerts");
    }
    KC_ASSIGN_OR_RETURN(Json current, LoadCurrent(txn, actor.clinic_id, patient_id));
    if (!current["clinician"].is_null() && current["clinician"]["id"] == *clinician_id) {
      return Conflict("this clinician is already the patient's responsible clinician");
    }
    KC_ASSIGN_OR_RETURN(SqlRows inserted,
                        txn.Query("INSERT INTO patient_responsible_clinicians (clinic_id, patient_id, clinician_id, "
                                  "reason, set_at, set_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                  {actor.clinic_id, patient_id, *clinician_id, reason.value_or(""),
                                   FormatTimestamp(now), actor.user_id}));
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        ClinicianAudit("patient.responsible_clinician.assign", "patient", patient_id, patient_id,
                       fmt::format("assignment #{} to user #{}", inserted.at(0).Int(0), *clinician_id)),
        now));
    return LoadCurrent(txn, actor.clinic_id, patient_id);
  });
  if (!result.ok() && result.error().code == ErrorCode::kNotFound) {
    AuditEntry failed = ClinicianAudit("patient.responsible_clinician.assign", "patient", patient_id, std::nullopt,
                                       "not found in this clinic");
    failed.outcome = AuditOutcome::kFailed;
    KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor, failed, now));
  }
  return result;
}

Result<Json> ResponsibleClinicianService::Current(const Actor& actor, int64_t patient_id) {
  KC_RETURN_IF_ERROR(RequirePermission(
      context_, actor, Permission::kMeasureRead,
      ClinicianAudit("patient.responsible_clinician.read", "patient", patient_id, patient_id)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequirePatientInClinic(txn, actor.clinic_id, patient_id));
    return LoadCurrent(txn, actor.clinic_id, patient_id);
  });
  AuditEntry entry = ClinicianAudit("patient.responsible_clinician.read", "patient", patient_id, patient_id);
  if (!result.ok()) {
    if (result.error().code != ErrorCode::kNotFound) return result;
    entry.patient_id = std::nullopt;
    entry.outcome = AuditOutcome::kFailed;
    entry.detail = "not found in this clinic";
  }
  KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor, entry, now));
  return result;
}

Result<Json> ResponsibleClinicianService::Candidates(const Actor& actor) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMeasureRead,
                                       ClinicianAudit("responsible_clinician.candidates", "user", 0, std::nullopt)));
  return context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query("SELECT u.id, u.username, u.display_name, r.role FROM user_clinic_roles r JOIN users "
                                  "u ON u.id = r.user_id WHERE r.clinic_id = ? AND u.disabled = 0 "
                                  "ORDER BY u.username, u.id LIMIT 2000",
                                  {actor.clinic_id}));
    Json items = Json::array();
    for (size_t i = 0; i < rows.size();) {
      const int64_t id = rows[i].Int(0);
      std::set<Role> roles;
      size_t j = i;
      for (; j < rows.size() && rows[j].Int(0) == id; ++j) {
        if (auto role = ParseRole(rows[j].Text(3))) roles.insert(*role);
      }
      if (RolesGrant(roles, Permission::kMeasureAlertAcknowledge)) {
        items.push_back({{"id", id}, {"username", rows[i].Text(1)}, {"display_name", rows[i].Text(2)}});
      }
      i = j;
    }
    return Json{{"items", std::move(items)}};
  });
}

}  // namespace ketachart
