// Witness re-authentication (see ledger_witness.h).
#include "services/ledger_witness.h"

#include <fmt/format.h>

#include <optional>

#include "base/crypto.h"
#include "services/audit_trail.h"
#include "services/permissions.h"

namespace ketachart {
namespace {

struct WitnessAccount {
  int64_t id = 0;
  std::string password_hash;
  bool disabled = false;
  std::optional<std::string> locked_until;
  std::set<Role> roles;
};

Result<std::set<Role>> RolesIn(Transaction& txn, int64_t user_id, int64_t clinic_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT role FROM user_clinic_roles WHERE user_id = ? AND clinic_id = ?",
                                              {user_id, clinic_id}));
  std::set<Role> roles;
  for (const SqlRow& row : rows) {
    if (auto role = ParseRole(row.Text(0))) roles.insert(*role);
  }
  return roles;
}

}  // namespace

Result<WitnessCredentials> ReadWitnessCredentials(const Json& body, const std::string& field) {
  if (!body.is_object()) return InvalidInput(field, "must be an object with the witness's username and password");
  JsonObjectReader reader(body, field);
  auto username = reader.RequiredString("username", {1, 64});
  auto password = reader.RequiredString("password", {1, 1024});
  KC_RETURN_IF_ERROR(reader.Finish());
  return WitnessCredentials{*username, *password};
}

Result<int64_t> AuthenticateWitness(ServiceContext& context, const Actor& recorder,
                                    const WitnessCredentials& credentials, const std::string& field) {
  const TimePoint now = context.clock.Now();
  const std::string now_text = FormatTimestamp(now);
  if (credentials.username == recorder.username) {
    return InvalidInput(field, "the witness must be a different person from the one recording the event");
  }
  KC_ASSIGN_OR_RETURN(std::optional<WitnessAccount> account,
                      context.database.Run<std::optional<WitnessAccount>>(
                          TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<std::optional<WitnessAccount>> {
                            KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT id, password_hash, disabled, "
                                                                        "locked_until FROM users WHERE username = ?",
                                                                        {credentials.username}));
                            if (rows.empty()) return std::optional<WitnessAccount>();
                            WitnessAccount a{rows[0].Int(0), rows[0].Text(1), rows[0].Int(2) != 0,
                                             rows[0].OptionalText(3), {}};
                            KC_ASSIGN_OR_RETURN(a.roles, RolesIn(txn, a.id, recorder.clinic_id));
                            return std::optional<WitnessAccount>(std::move(a));
                          }));
  const Error wrong = InvalidInput(field, "the witness's username or password is not correct");
  const Actor witness_actor{account ? account->id : 0, credentials.username.substr(0, 64), recorder.clinic_id, {},
                            recorder.client_address};
  if (!account || account->disabled) {
    KC_RETURN_IF_ERROR(RecordAuditEventAlone(context.database, recorder,
                                             {"ledger.witness", "user", "", std::nullopt, AuditOutcome::kFailed,
                                              account ? "witness account disabled" : "unknown witness username"},
                                             now));
    return wrong;
  }
  if (account->id == recorder.user_id) {
    return InvalidInput(field, "the witness must be a different person from the one recording the event");
  }
  if (account->locked_until && *account->locked_until > now_text) {
    return Error{ErrorCode::kLocked, "the witness's account is locked after too many failed password entries",
                 field};
  }
  if (!VerifyPassword(credentials.password, account->password_hash)) {
    KC_RETURN_IF_ERROR(context.database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? "
                                                  "RETURNING failed_logins",
                                                  {account->id}));
      const int64_t failures = rows.empty() ? 0 : rows[0].Int(0);
      std::string detail = fmt::format("wrong witness password ({} in a row)", failures);
      if (failures >= context.security.max_failed_logins) {
        KC_RETURN_IF_ERROR(txn.Execute("UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ?",
                                       {FormatTimestamp(now + context.security.lockout_duration), account->id}));
        detail += "; account locked";
      }
      return AppendAuditEvent(txn, witness_actor,
                              {"ledger.witness", "user", std::to_string(account->id), std::nullopt,
                               AuditOutcome::kFailed, detail},
                              now);
    }));
    return wrong;
  }
  if (!RolesGrant(account->roles, Permission::kLedgerRecord)) {
    return InvalidInput(field, "the witness must be a prescriber or nurse of this clinic");
  }
  return account->id;
}

Status ConfirmWitness(Transaction& txn, int64_t clinic_id, int64_t witness_user_id, const std::string& field) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT disabled FROM users WHERE id = ?", {witness_user_id}));
  if (rows.empty() || rows[0].Int(0) != 0) return InvalidInput(field, "the witness's account is disabled");
  KC_ASSIGN_OR_RETURN(std::set<Role> roles, RolesIn(txn, witness_user_id, clinic_id));
  if (!RolesGrant(roles, Permission::kLedgerRecord)) {
    return InvalidInput(field, "the witness must be a prescriber or nurse of this clinic");
  }
  return Status::Ok();
}

}  // namespace ketachart
