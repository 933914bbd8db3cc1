// Staff accounts (see user_service.h).
#include "services/user_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "base/crypto.h"
#include "services/audit_trail.h"
#include "services/guard.h"

namespace ketachart {
namespace {

Result<std::vector<Role>> ParseRoles(const std::vector<std::string>& names) {
  std::vector<Role> roles;
  for (const auto& name : names) {
    auto role = ParseRole(name);
    if (!role) {
      return InvalidInput("roles", fmt::format("'{}' is not a role; roles are: {}", name,
                                               fmt::join(AllRoleNames(), ", ")));
    }
    if (std::find(roles.begin(), roles.end(), *role) == roles.end()) roles.push_back(*role);
  }
  return roles;
}

Result<UserView> LoadUser(Transaction& txn, int64_t user_id, const std::string& now_text) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT id, username, display_name, disabled, locked_until, "
                                              "created_at FROM users WHERE id = ?",
                                              {user_id}));
  if (rows.empty()) return NotFound("no such user");
  UserView view{rows[0].Int(0), rows[0].Text(1), rows[0].Text(2), rows[0].Int(3) != 0,
                rows[0].OptionalText(4).value_or("") > now_text, rows[0].Text(5), {}};
  KC_ASSIGN_OR_RETURN(view.clinics, LoadMemberships(txn, user_id));
  return view;
}

bool IsMemberOf(const UserView& user, int64_t clinic_id) {
  return std::any_of(user.clinics.begin(), user.clinics.end(),
                     [&](const ClinicMembership& m) { return m.clinic_id == clinic_id; });
}

// The account as the actor's clinic may see it: a member of that clinic, or an
// account with no clinic yet; anyone else's account is "not found".
Result<UserView> LoadUserVisibleTo(Transaction& txn, const Actor& actor, int64_t user_id,
                                   const std::string& now_text) {
  KC_ASSIGN_OR_RETURN(UserView user, LoadUser(txn, user_id, now_text));
  if (!user.clinics.empty() && !IsMemberOf(user, actor.clinic_id)) return NotFound("no such user");
  return user;
}

Status EndSessionsOf(Transaction& txn, int64_t user_id, const std::string& now_text) {
  return txn.Execute("UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", {now_text, user_id})
      .status();
}

// A password or the disabled flag applies to the account in every clinic, so
// only someone who administers every clinic the account belongs to may change
// them (or the local operator). Otherwise the admin of one clinic could take
// over an account that is admin of another.
Status RequireAdminOfEveryClinicOf(Transaction& txn, const Actor& actor, const UserView& user) {
  if (actor.user_id == 0 && actor.client_address == "cli") return Status::Ok();
  for (const ClinicMembership& clinic : user.clinics) {
    KC_ASSIGN_OR_RETURN(SqlRows admin, txn.Query("SELECT 1 FROM user_clinic_roles WHERE user_id = ? AND "
                                                 "clinic_id = ? AND role = 'admin'",
                                                 {actor.user_id, clinic.clinic_id}));
    if (admin.empty()) {
      return Forbidden("this account also works in clinic " + clinic.code +
                       ", which you do not administer; ask an administrator of every clinic it works in");
    }
  }
  return Status::Ok();
}

}  // namespace

Status UserService::ValidateUsername(const std::string& username) {
  static const std::regex pattern("^[a-z0-9][a-z0-9._-]{2,63}$");
  if (!std::regex_match(username, pattern)) {
    return InvalidInput("username",
                        "must be 3-64 characters: lowercase letters, digits, '.', '_' or '-', starting with a "
                        "letter or digit");
  }
  return Status::Ok();
}

Status UserService::ValidatePassword(const std::string& password) const {
  if (password.size() < context_.security.min_password_length) {
    return InvalidInput("password",
                        fmt::format("must be at least {} characters", context_.security.min_password_length));
  }
  if (password.size() > 512) return InvalidInput("password", "must be at most 512 characters");
  return Status::Ok();
}

Result<int64_t> InsertUser(Transaction& txn, const std::string& username, const std::string& display_name,
                           const std::string& password_hash, TimePoint now) {
  const std::string now_text = FormatTimestamp(now);
  auto rows = txn.Query("INSERT INTO users (username, display_name, password_hash, created_at, "
                        "password_changed_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                        {username, display_name, password_hash, now_text, now_text});
  if (!rows.ok()) {
    if (rows.error().code == ErrorCode::kConflict) return Conflict("this username is already taken", "username");
    return rows.error();
  }
  return rows.value().at(0).Int(0);
}

Status GrantRole(Transaction& txn, int64_t user_id, int64_t clinic_id, Role role, TimePoint now) {
  return txn
      .Execute("INSERT INTO user_clinic_roles (user_id, clinic_id, role, granted_at) VALUES (?, ?, ?, ?)",
               {user_id, clinic_id, std::string(RoleName(role)), FormatTimestamp(now)})
      .status();
}

Result<UserView> UserService::CreateUser(const Actor& actor, const NewUser& user) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kUserAdmin, {"user.create", "user", "", {}}));
  KC_RETURN_IF_ERROR(ValidateUsername(user.username));
  if (user.display_name.empty() || user.display_name.size() > 200) {
    return InvalidInput("display_name", "must be 1-200 characters");
  }
  KC_RETURN_IF_ERROR(ValidatePassword(user.password));
  KC_ASSIGN_OR_RETURN(std::vector<Role> roles, ParseRoles(user.roles));
  const std::string hash = HashPassword(user.password, context_.security.password_hash_cost);
  const TimePoint now = context_.clock.Now();
  return context_.database.Run<UserView>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<UserView> {
    KC_ASSIGN_OR_RETURN(int64_t id, InsertUser(txn, user.username, user.display_name, hash, now));
    for (Role role : roles) KC_RETURN_IF_ERROR(GrantRole(txn, id, actor.clinic_id, role, now));
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        {"user.create", "user", std::to_string(id), std::nullopt, AuditOutcome::kSuccess,
         fmt::format("roles: {}", fmt::join(user.roles, ","))},
        now));
    return LoadUser(txn, id, FormatTimestamp(now));
  });
}

Result<std::vector<UserView>> UserService::ListUsers(const Actor& actor, bool all_clinics) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kUserRead, {"user.list", "user", "", {}}));
  const TimePoint now = context_.clock.Now();
  return context_.database.Run<std::vector<UserView>>(
      TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<std::vector<UserView>> {
        // Members of this clinic, plus accounts with no clinic at all (just
        // created by the CLI, or stripped of every role) so an admin can grant them.
        // Every clinic's staff only for the local operator (the CLI), never for a signed-in admin.
        const bool every_clinic = all_clinics && actor.user_id == 0 && actor.client_address == "cli";
        KC_ASSIGN_OR_RETURN(
            SqlRows rows,
            every_clinic ? txn.Query("SELECT id FROM users ORDER BY username")
                        : txn.Query("SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM user_clinic_roles r "
                                    "WHERE r.user_id = u.id AND r.clinic_id = ?) OR NOT EXISTS (SELECT 1 FROM "
                                    "user_clinic_roles r WHERE r.user_id = u.id) ORDER BY u.username LIMIT 1000",
                                    {actor.clinic_id}));
        std::vector<UserView> out;
        const std::string now_text = FormatTimestamp(now);
        for (const SqlRow& row : rows) {
          KC_ASSIGN_OR_RETURN(UserView view, LoadUser(txn, row.Int(0), now_text));
          out.push_back(std::move(view));
        }
        KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                            {"user.list", "user", "", std::nullopt, AuditOutcome::kSuccess,
                                             fmt::format("results={}", out.size())},
                                            now));
        return out;
      });
}

Result<UserView> UserService::SetRoles(const Actor& actor, int64_t user_id, const std::vector<std::string>& names) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kUserAdmin,
                                       {"user.set_roles", "user", std::to_string(user_id), {}}));
  KC_ASSIGN_OR_RETURN(std::vector<Role> roles, ParseRoles(names));
  const TimePoint now = context_.clock.Now();
  auto updated = context_.database.Run<UserView>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<UserView> {
    const std::string now_text = FormatTimestamp(now);
    KC_RETURN_IF_ERROR(LoadUserVisibleTo(txn, actor, user_id, now_text));
    KC_RETURN_IF_ERROR(txn.Execute("DELETE FROM user_clinic_roles WHERE user_id = ? AND clinic_id = ?",
                                   {user_id, actor.clinic_id}));
    for (Role role : roles) KC_RETURN_IF_ERROR(GrantRole(txn, user_id, actor.clinic_id, role, now));
    KC_ASSIGN_OR_RETURN(SqlRows admins,
                        txn.Query("SELECT COUNT(*) FROM user_clinic_roles r JOIN users u ON u.id = r.user_id "
                                  "WHERE r.clinic_id = ? AND r.role = 'admin' AND u.disabled = 0",
                                  {actor.clinic_id}));
    if (admins.at(0).Int(0) == 0) {
      return Conflict("this would leave the clinic without an administrator", "roles");
    }
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        {"user.set_roles", "user", std::to_string(user_id), std::nullopt,
                                         AuditOutcome::kSuccess, fmt::format("roles: {}", fmt::join(names, ","))},
                                        now));
    return LoadUser(txn, user_id, now_text);
  });
  // The user's open sessions act with the new roles from the next request.
  if (updated.ok()) ForgetCachedSessions(context_);
  return updated;
}

Status UserService::DisableUser(const Actor& actor, int64_t user_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kUserAdmin,
                                       {"user.disable", "user", std::to_string(user_id), {}}));
  if (user_id == actor.user_id) return Conflict("you cannot disable your own account");
  const TimePoint now = context_.clock.Now();
  Status status = context_.database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    const std::string now_text = FormatTimestamp(now);
    KC_ASSIGN_OR_RETURN(UserView user, LoadUserVisibleTo(txn, actor, user_id, now_text));
    KC_RETURN_IF_ERROR(RequireAdminOfEveryClinicOf(txn, actor, user));
    KC_RETURN_IF_ERROR(txn.Execute("UPDATE users SET disabled = 1 WHERE id = ?", {user_id}));
    // No clinic the user administers may be left without an active admin.
    KC_ASSIGN_OR_RETURN(SqlRows orphaned,
                        txn.Query("SELECT c.code FROM user_clinic_roles r JOIN clinics c ON c.id = r.clinic_id "
                                  "WHERE r.user_id = ? AND r.role = 'admin' AND NOT EXISTS (SELECT 1 FROM "
                                  "user_clinic_roles o JOIN users u ON u.id = o.user_id WHERE o.clinic_id = "
                                  "r.clinic_id AND o.role = 'admin' AND u.disabled = 0)",
                                  {user_id}));
    if (!orphaned.empty()) {
      return Conflict("this would leave clinic " + orphaned[0].Text(0) + " without an administrator");
    }
    KC_RETURN_IF_ERROR(EndSessionsOf(txn, user_id, now_text));
    return AppendAuditEvent(txn, actor,
                            {"user.disable", "user", std::to_string(user_id), std::nullopt,
                             AuditOutcome::kSuccess, ""},
                            now);
  });
  if (status.ok()) ForgetCachedSessions(context_);
  return AuditIfDenied(context_, actor, {"user.disable", "user", std::to_string(user_id), {}}, status);
}

Status UserService::ResetPassword(const Actor& actor, int64_t user_id, const std::string& password) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kUserAdmin,
                                       {"user.reset_password", "user", std::to_string(user_id), {}}));
  KC_RETURN_IF_ERROR(ValidatePassword(password));
  const std::string hash = HashPassword(password, context_.security.password_hash_cost);
  const TimePoint now = context_.clock.Now();
  Status status = context_.database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    const std::string now_text = FormatTimestamp(now);
    KC_ASSIGN_OR_RETURN(UserView user, LoadUserVisibleTo(txn, actor, user_id, now_text));
    KC_RETURN_IF_ERROR(RequireAdminOfEveryClinicOf(txn, actor, user));
    KC_RETURN_IF_ERROR(txn.Execute("UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, "
                                   "locked_until = NULL WHERE id = ?",
                                   {hash, now_text, user_id}));
    // A new password ends existing sessions (someone else may hold one).
    KC_RETURN_IF_ERROR(EndSessionsOf(txn, user_id, now_text));
    return AppendAuditEvent(txn, actor,
                            {"user.reset_password", "user", std::to_string(user_id), std::nullopt,
                             AuditOutcome::kSuccess, ""},
                            now);
  });
  if (status.ok()) ForgetCachedSessions(context_);
  return AuditIfDenied(context_, actor, {"user.reset_password", "user", std::to_string(user_id), {}}, status);
}

Result<int64_t> UserService::FindUserId(const std::string& username) {
  return context_.database.Run<int64_t>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<int64_t> {
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT id FROM users WHERE username = ?", {username}));
    if (rows.empty()) return NotFound("no user named " + username);
    return rows[0].Int(0);
  });
}

}  // namespace ketachart
