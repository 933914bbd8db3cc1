// First clinic and administrator (see clinic_setup.h).
#include "services/clinic_setup.h"

#include <regex>

#include "base/crypto.h"
#include "services/audit_trail.h"
#include "services/user_service.h"

namespace ketachart {

Result<int64_t> CreateClinic(Transaction& txn, const ClinicSpec& clinic, TimePoint now) {
  static const std::regex code_pattern("^[A-Z][A-Z0-9]{1,9}$");
  if (!std::regex_match(clinic.code, code_pattern)) {
    return InvalidInput("clinic_code", "must be 2-10 capital letters or digits, starting with a letter");
  }
  if (clinic.name.empty() || clinic.name.size() > 200) return InvalidInput("clinic_name", "must be 1-200 characters");
  auto rows = txn.Query("INSERT INTO clinics (code, name, timezone, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                        {clinic.code, clinic.name, clinic.timezone, FormatTimestamp(now)});
  if (!rows.ok()) {
    if (rows.error().code == ErrorCode::kConflict) return Conflict("a clinic with this code exists", "clinic_code");
    return rows.error();
  }
  return rows.value().at(0).Int(0);
}

Result<int64_t> FindClinicId(Transaction& txn, const std::string& code) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT id FROM clinics WHERE code = ?", {code}));
  if (rows.empty()) return NotFound("no clinic with code " + code);
  return rows[0].Int(0);
}

Result<bool> DatabaseHasUsers(Database& database) {
  return database.Run<bool>(TransactionMode::kReadOnly, [](Transaction& txn) -> Result<bool> {
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT COUNT(*) FROM users"));
    return rows.at(0).Int(0) > 0;
  });
}

Status InitialiseClinic(ServiceContext& context, const ClinicSpec& clinic, const std::string& admin_username,
                        const std::string& admin_password, const std::string& operator_name) {
  KC_RETURN_IF_ERROR(UserService::ValidateUsername(admin_username));
  UserService users(context);
  KC_RETURN_IF_ERROR(users.ValidatePassword(admin_password));
  const std::string hash = HashPassword(admin_password, context.security.password_hash_cost);
  const TimePoint now = context.clock.Now();
  return context.database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_ASSIGN_OR_RETURN(SqlRows existing, txn.Query("SELECT id FROM clinics ORDER BY id LIMIT 1"));
    int64_t clinic_id = 0;
    if (existing.empty()) {
      KC_ASSIGN_OR_RETURN(clinic_id, CreateClinic(txn, clinic, now));
    } else {
      clinic_id = existing[0].Int(0);
    }
    KC_ASSIGN_OR_RETURN(int64_t user_id, InsertUser(txn, admin_username, admin_username, hash, now));
    KC_RETURN_IF_ERROR(GrantRole(txn, user_id, clinic_id, Role::kAdmin, now));
    Actor local{0, "cli:" + operator_name, clinic_id, {Role::kAdmin}, "cli"};
    return AppendAuditEvent(txn, local,
                            {"user.create", "user", std::to_string(user_id), std::nullopt, AuditOutcome::kSuccess,
                             "first administrator (init)"},
                            now);
  });
}

}  // namespace ketachart
