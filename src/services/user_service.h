// Staff accounts and their roles per clinic. Used by the HTTP API (admins of
// the active clinic) and by the `ketachart user` command (a local operator
// acting as admin of a named clinic). Every change is audited in its own
// transaction. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "services/actor.h"
#include "services/auth_service.h"
#include "services/service_context.h"

namespace ketachart {

struct NewUser {
  std::string username;
  std::string display_name;
  std::string password;
  std::vector<std::string> roles;  // granted in the actor's active clinic
};

struct UserView {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  bool disabled = false;
  bool locked = false;
  std::string created_at;
  std::vector<ClinicMembership> clinics;
};

class UserService {
 public:
  explicit UserService(ServiceContext& context) : context_(context) {}

  Result<UserView> CreateUser(const Actor& actor, const NewUser& user);
  // Users holding a role in the actor's clinic (all clinics when `all_clinics`
  // and the actor is a local operator, i.e. the CLI).
  Result<std::vector<UserView>> ListUsers(const Actor& actor, bool all_clinics = false);
  Result<UserView> SetRoles(const Actor& actor, int64_t user_id, const std::vector<std::string>& roles);
  Status DisableUser(const Actor& actor, int64_t user_id);
  Status ResetPassword(const Actor& actor, int64_t user_id, const std::string& password);
  Result<int64_t> FindUserId(const std::string& username);

  // Rules shared with `init`: kInvalidInput naming the field.
  static Status ValidateUsername(const std::string& username);
  Status ValidatePassword(const std::string& password) const;

 private:
  ServiceContext& context_;
};

// Inserts a user row and returns its id (no permission check: used by init,
// the demo seed and CreateUser).
Result<int64_t> InsertUser(Transaction& txn, const std::string& username, const std::string& display_name,
                           const std::string& password_hash, TimePoint now);
Status GrantRole(Transaction& txn, int64_t user_id, int64_t clinic_id, Role role, TimePoint now);

}  // namespace ketachart
