// What every service needs: the database, the clock and the clinic settings
// that services consult. Owned by the process (serve or a CLI command) and
// shared by all services; the referenced objects must outlive them.
#pragma once

#include <chrono>

#include "base/clock.h"
#include "base/crypto.h"
#include "store/database.h"

namespace ketachart {

struct SecuritySettings {
  std::chrono::minutes session_idle_timeout{30};
  std::chrono::minutes session_absolute_timeout{12 * 60};
  int max_failed_logins = 5;                  // before a temporary lockout
  std::chrono::minutes lockout_duration{15};
  PasswordHashCost password_hash_cost = PasswordHashCost::Interactive();
  size_t min_password_length = 12;
  // How long a validated session may be served from memory (0: never).
  std::chrono::seconds session_cache_ttl{2};
};

class ChangeFeed;
class ReadAuditLog;
class SessionCache;

struct ServiceContext {
  Database& database;
  const Clock& clock;
  SecuritySettings security;
  // Group commit for read audit events (the server sets it); when null each
  // read's event is committed in a transaction of its own.
  ReadAuditLog* read_audit = nullptr;
  // Validated sessions kept for a moment (the server sets it); when null
  // every request reads its session from the database.
  SessionCache* session_cache = nullptr;
  // Change notices for live views (the server sets it); null: none sent.
  ChangeFeed* changes = nullptr;
};

// After a committed change that can end sessions or change their rights.
void ForgetCachedSessions(ServiceContext& context);

}  // namespace ketachart
