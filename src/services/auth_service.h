// Log-in, sessions and who-is-acting. Passwords are argon2id hashes; failed
// log-ins lock the account for a while; session tokens are random, stored
// only as SHA-256 hashes, and expire after an idle period and an absolute
// lifetime. The CSRF token is derived from the session token (so it can be
// returned again after a page reload without being stored). Every log-in,
// failure, lock-out and log-out is audited. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"
#include "services/session_cache.h"

namespace ketachart {

struct ClinicMembership {
  int64_t clinic_id = 0;
  std::string code;
  std::string name;
  std::vector<std::string> roles;
};

// What the UI needs to know about the signed-in user.
struct SessionView {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  int64_t active_clinic_id = 0;
  std::vector<ClinicMembership> clinics;
  std::vector<std::string> permissions;  // in the active clinic
  std::string csrf_token;
};

struct LoginResult {
  std::string session_token;  // goes into the HttpOnly cookie only
  SessionView session;
};

struct AuthenticatedRequest {
  Actor actor;
  int64_t session_id = 0;
  std::string session_token;
};

class AuthService {
 public:
  explicit AuthService(ServiceContext& context) : context_(context) {}

  // Wrong username or password: kUnauthenticated (the same message for both);
  // locked: kLocked; disabled: kUnauthenticated.
  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::string& client_address);
  // The session behind a cookie token, or kUnauthenticated when unknown,
  // ended, idle too long or past its absolute lifetime.
  Result<AuthenticatedRequest> Authenticate(const std::string& session_token,
                                            const std::string& client_address);
  // The same check for the HTTP server's event loop, which must not wait for
  // a write: nullopt when the session is not plainly valid or when this
  // request is the one that would record its activity (once a minute); the
  // caller then goes the blocking way, Authenticate(), which does both.
  std::optional<AuthenticatedRequest> AuthenticateWithoutWriting(const std::string& session_token,
                                                                 const std::string& client_address);
  bool CsrfTokenMatches(const AuthenticatedRequest& request, const std::string& presented) const;
  // Whether the session of an earlier Authenticate() is still open, with the
  // same user, clinic and roles (a long-lived stream checks this now and
  // then). Unlike Authenticate it does not count as activity: a page that only
  // listens still times out when idle.
  bool StillValid(const AuthenticatedRequest& request);
  Result<SessionView> Describe(const AuthenticatedRequest& request);
  // kForbidden when the user holds no role in that clinic.
  Result<SessionView> SwitchClinic(const AuthenticatedRequest& request, int64_t clinic_id);
  Status Logout(const AuthenticatedRequest& request);

  static std::string CsrfTokenFor(const std::string& session_token);

 private:
  // The session row behind a token hash, when it has not ended.
  Result<CachedSession> LoadSession(const std::string& token_hash);
  // The cached or stored session for a token, checked against its expiries.
  Result<CachedSession> ValidSession(const std::string& session_token, TimePoint now);

  ServiceContext& context_;
};

// Shared by AuthService and UserService.
Result<std::vector<ClinicMembership>> LoadMemberships(Transaction& txn, int64_t user_id);

}  // namespace ketachart
