// Log-in, session checks, clinic switching and log-out (see auth_service.h).
#include "services/auth_service.h"

#include <fmt/format.h>

#include <map>

#include "base/crypto.h"
#include "services/audit_trail.h"
#include "services/change_feed.h"
#include "services/session_cache.h"

namespace ketachart {
namespace {

// A hash that VerifyPassword can check, used for unknown usernames so that a
// failed log-in takes as long whether or not the account exists.
const std::string& DummyHash(PasswordHashCost cost) {
  static const std::string hash = HashPassword("not-a-real-password", cost);
  return hash;
}

constexpr auto kLastSeenResolution = std::chrono::seconds(60);

}  // namespace

std::string AuthService::CsrfTokenFor(const std::string& session_token) {
  return Sha256Hex("ketachart-csrf\x1f" + session_token);
}

Result<std::vector<ClinicMembership>> LoadMemberships(Transaction& txn, int64_t user_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query("SELECT c.id, c.code, c.name, r.role FROM user_clinic_roles r "
                                "JOIN clinics c ON c.id = r.clinic_id WHERE r.user_id = ? ORDER BY c.id, r.role",
                                {user_id}));
  std::vector<ClinicMembership> out;
  for (const SqlRow& row : rows) {
    if (out.empty() || out.back().clinic_id != row.Int(0)) {
      out.push_back({row.Int(0), row.Text(1), row.Text(2), {}});
    }
    out.back().roles.push_back(row.Text(3));
  }
  return out;
}

static SessionView BuildView(int64_t user_id, std::string username, std::string display_name,
                             int64_t active_clinic_id, std::vector<ClinicMembership> clinics) {
  SessionView view{user_id, std::move(username), std::move(display_name), active_clinic_id,
                   std::move(clinics), {}, {}};
  std::set<Role> roles;
  for (const auto& clinic : view.clinics) {
    if (clinic.clinic_id != active_clinic_id) continue;
    for (const auto& name : clinic.roles) {
      if (auto role = ParseRole(name)) roles.insert(*role);
    }
  }
  for (Permission permission : AllPermissions()) {
    if (RolesGrant(roles, permission)) view.permissions.emplace_back(PermissionName(permission));
  }
  return view;
}

Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password,
                                       const std::string& client_address) {
  const TimePoint now = context_.clock.Now();
  Actor attempt{0, username.substr(0, 64), 0, {}, client_address};
  const Error wrong_credentials = Unauthenticated("the username or password is not correct");

  struct Account {
    int64_t id;
    std::string display_name;
    std::string password_hash;
    bool disabled;
    std::optional<std::string> locked_until;
  };
  KC_ASSIGN_OR_RETURN(
      std::optional<Account> account,
      context_.database.Run<std::optional<Account>>(
          TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<std::optional<Account>> {
            KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT id, display_name, password_hash, disabled, "
                                                        "locked_until FROM users WHERE username = ?",
                                                        {username}));
            if (rows.empty()) return std::optional<Account>();
            return std::optional<Account>(Account{rows[0].Int(0), rows[0].Text(1), rows[0].Text(2),
                                                  rows[0].Int(3) != 0, rows[0].OptionalText(4)});
          }));

  // Verify outside any transaction: argon2id takes tens of milliseconds by design.
  const bool password_ok = VerifyPassword(
      password, account ? account->password_hash : DummyHash(context_.security.password_hash_cost));

  const std::string now_text = FormatTimestamp(now);
  if (!account || account->disabled) {
    KC_RETURN_IF_ERROR(RecordAuditEventAlone(
        context_.database, attempt,
        {"session.login", "user", account ? std::to_string(account->id) : "", std::nullopt,
         AuditOutcome::kFailed, account ? "account disabled" : "unknown username"},
        now));
    return wrong_credentials;
  }
  attempt.user_id = account->id;
  if (account->locked_until && *account->locked_until > now_text) {
    KC_RETURN_IF_ERROR(RecordAuditEventAlone(
        context_.database, attempt,
        {"session.login", "user", std::to_string(account->id), std::nullopt, AuditOutcome::kDenied,
         "account locked"},
        now));
    return Error{ErrorCode::kLocked,
                 "this account is locked after too many failed log-ins; try again later or ask an "
                 "administrator",
                 {}};
  }

  if (!password_ok) {
    KC_RETURN_IF_ERROR(context_.database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("UPDATE users SET failed_logins = failed_logins + 1 "
                                                  "WHERE id = ? RETURNING failed_logins",
                                                  {account->id}));
      const int64_t failures = rows.empty() ? 0 : rows[0].Int(0);
      std::string detail = fmt::format("wrong password ({} in a row)", failures);
      if (failures >= context_.security.max_failed_logins) {
        KC_RETURN_IF_ERROR(txn.Execute(
            "UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ?",
            {FormatTimestamp(now + context_.security.lockout_duration), account->id}));
        detail += "; account locked";
      }
      return AppendAuditEvent(txn, attempt,
                              {"session.login", "user", std::to_string(account->id), std::nullopt,
                               AuditOutcome::kFailed, detail},
                              now);
    }));
    return wrong_credentials;
  }

  LoginResult result;
  result.session_token = RandomToken(32);
  bool locked_meanwhile = false;
  KC_RETURN_IF_ERROR(context_.database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    // Parallel wrong guesses may have locked (or an admin disabled) the account
    // while this password was being checked: a right guess does not slip through.
    KC_ASSIGN_OR_RETURN(SqlRows state, txn.Query("SELECT locked_until, disabled FROM users WHERE id = ?",
                                                 {account->id}));
    locked_meanwhile = state.empty() || state[0].Int(1) != 0 || state[0].OptionalText(0).value_or("") > now_text;
    if (locked_meanwhile) {
      return AppendAuditEvent(txn, attempt,
                              {"session.login", "user", std::to_string(account->id), std::nullopt,
                               AuditOutcome::kDenied, "account locked or disabled during the log-in"},
                              now);
    }
    KC_ASSIGN_OR_RETURN(std::vector<ClinicMembership> clinics, LoadMemberships(txn, account->id));
    const int64_t active_clinic = clinics.empty() ? 0 : clinics.front().clinic_id;
    KC_RETURN_IF_ERROR(txn.Execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?",
                                   {account->id}));
    KC_ASSIGN_OR_RETURN(
        SqlRows inserted,
        txn.Query("INSERT INTO sessions (token_hash, user_id, active_clinic_id, created_at, last_seen_at, "
                  "expires_at, client_address) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {Sha256Hex(result.session_token), account->id,
                   active_clinic ? SqlValue(active_clinic) : SqlNull(), now_text, now_text,
                   FormatTimestamp(now + context_.security.session_absolute_timeout), client_address}));
    attempt.clinic_id = active_clinic;
    result.session = BuildView(account->id, username, account->display_name, active_clinic, clinics);
    result.session.csrf_token = CsrfTokenFor(result.session_token);
    return AppendAuditEvent(txn, attempt,
                            {"session.login", "session", std::to_string(inserted.at(0).Int(0)), std::nullopt,
                             AuditOutcome::kSuccess, ""},
                            now);
  }));
  if (locked_meanwhile) {
    return Error{ErrorCode::kLocked,
                 "this account is locked after too many failed log-ins; try again later or ask an "
                 "administrator",
                 {}};
  }
  return result;
}

Result<CachedSession> AuthService::ValidSession(const std::string& session_token, TimePoint now) {
  if (session_token.empty() || session_token.size() > 128) {
    return Unauthenticated("please log in");
  }
  const std::string token_hash = Sha256Hex(session_token);
  SessionCache* cache = context_.session_cache;
  std::optional<CachedSession> session = cache ? cache->Find(token_hash, now) : std::nullopt;
  if (!session) {
    const SessionCache::Generation generation = cache ? cache->CurrentGeneration() : 0;
    KC_ASSIGN_OR_RETURN(session, LoadSession(token_hash));
    if (cache) cache->Remember(token_hash, *session, generation, now);
  }
  // Checked on every request, cached or not.
  if (session->expires_at <= now || session->last_seen + context_.security.session_idle_timeout <= now) {
    if (cache) cache->Forget(token_hash);
    return Unauthenticated("your session has ended; please log in again");
  }
  return std::move(session).value();
}

Result<AuthenticatedRequest> AuthService::Authenticate(const std::string& session_token,
                                                       const std::string& client_address) {
  const TimePoint now = context_.clock.Now();
  KC_ASSIGN_OR_RETURN(CachedSession session, ValidSession(session_token, now));
  // Idle tracking is written at most once a minute per session, so most
  // requests stay read-only here.
  if (now - session.last_seen >= kLastSeenResolution) {
    KC_RETURN_IF_ERROR(context_.database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) {
      return txn.Execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {FormatTimestamp(now), session.session_id})
          .status();
    }));
    if (context_.session_cache) context_.session_cache->Forget(Sha256Hex(session_token));
  }
  AuthenticatedRequest request{session.actor, session.session_id, session_token};
  request.actor.client_address = client_address;
  return request;
}

std::optional<AuthenticatedRequest> AuthService::AuthenticateWithoutWriting(const std::string& session_token,
                                                                            const std::string& client_address) {
  const TimePoint now = context_.clock.Now();
  auto session = ValidSession(session_token, now);
  if (!session.ok() || now - session->last_seen >= kLastSeenResolution) return std::nullopt;
  AuthenticatedRequest request{session->actor, session->session_id, session_token};
  request.actor.client_address = client_address;
  return request;
}

bool AuthService::StillValid(const AuthenticatedRequest& request) {
  const TimePoint now = context_.clock.Now();
  auto session = LoadSession(Sha256Hex(request.session_token));
  if (!session.ok()) return false;
  const CachedSession& current = session.value();
  if (current.expires_at <= now || current.last_seen + context_.security.session_idle_timeout <= now) return false;
  return current.session_id == request.session_id && current.actor.user_id == request.actor.user_id &&
         current.actor.clinic_id == request.actor.clinic_id && current.actor.roles == request.actor.roles;
}

Result<CachedSession> AuthService::LoadSession(const std::string& token_hash) {
  return context_.database.Run<CachedSession>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<CachedSession> {
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query("SELECT s.id, s.user_id, u.username, s.active_clinic_id, s.last_seen_at, "
                                  "s.expires_at, s.ended_at, u.disabled FROM sessions s "
                                  "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
                                  {token_hash}));
    if (rows.empty()) return Unauthenticated("please log in");
    const SqlRow& row = rows[0];
    const auto last_seen = ParseTimestamp(row.Text(4));
    const auto expires_at = ParseTimestamp(row.Text(5));
    if (!row.IsNull(6) || row.Int(7) != 0 || !last_seen || !expires_at) {
      return Unauthenticated("your session has ended; please log in again");
    }
    CachedSession out;
    out.session_id = row.Int(0);
    out.actor = Actor{row.Int(1), row.Text(2), row.OptionalInt(3).value_or(0), {}, ""};
    out.last_seen = *last_seen;
    out.expires_at = *expires_at;
    if (out.actor.clinic_id) {
      KC_ASSIGN_OR_RETURN(SqlRows roles, txn.Query("SELECT role FROM user_clinic_roles WHERE user_id = ? AND clinic_id = ?",
                                                   {out.actor.user_id, out.actor.clinic_id}));
      for (const SqlRow& role_row : roles) {
        if (auto role = ParseRole(role_row.Text(0))) out.actor.roles.insert(*role);
      }
    }
    return out;
  });
}

void ForgetCachedSessions(ServiceContext& context) {
  if (context.session_cache) context.session_cache->ForgetAll();
  // Open live-update streams check their sessions again at once.
  NotifyChange(context.changes, kSessionsChangedClinic, kSessionsChangedTopic);
}

bool AuthService::CsrfTokenMatches(const AuthenticatedRequest& request, const std::string& presented) const {
  return !presented.empty() && ConstantTimeEquals(CsrfTokenFor(request.session_token), presented);
}

Result<SessionView> AuthService::Describe(const AuthenticatedRequest& request) {
  return context_.database.Run<SessionView>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<SessionView> {
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT username, display_name FROM users WHERE id = ?",
                                                {request.actor.user_id}));
    if (rows.empty()) return Unauthenticated("please log in");
    KC_ASSIGN_OR_RETURN(std::vector<ClinicMembership> clinics, LoadMemberships(txn, request.actor.user_id));
    SessionView view = BuildView(request.actor.user_id, rows[0].Text(0), rows[0].Text(1), request.actor.clinic_id,
                                 std::move(clinics));
    view.csrf_token = CsrfTokenFor(request.session_token);
    return view;
  });
}

Result<SessionView> AuthService::SwitchClinic(const AuthenticatedRequest& request, int64_t clinic_id) {
  const TimePoint now = context_.clock.Now();
  Status status = context_.database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_ASSIGN_OR_RETURN(SqlRows roles, txn.Query("SELECT 1 FROM user_clinic_roles WHERE user_id = ? AND "
                                                 "clinic_id = ? LIMIT 1",
                                                 {request.actor.user_id, clinic_id}));
    if (roles.empty()) return Forbidden("you hold no role in that clinic");
    KC_RETURN_IF_ERROR(txn.Execute("UPDATE sessions SET active_clinic_id = ? WHERE id = ?",
                                   {clinic_id, request.session_id}));
    Actor actor = request.actor;
    actor.clinic_id = clinic_id;
    return AppendAuditEvent(txn, actor,
                            {"session.switch_clinic", "clinic", std::to_string(clinic_id), std::nullopt,
                             AuditOutcome::kSuccess, ""},
                            now);
  });
  if (!status.ok()) {
    if (status.error().code == ErrorCode::kForbidden) {
      KC_RETURN_IF_ERROR(RecordAuditEventAlone(context_.database, request.actor,
                                               {"session.switch_clinic", "clinic", std::to_string(clinic_id),
                                                std::nullopt, AuditOutcome::kDenied, "no role in clinic"},
                                               now));
    }
    return status.error();
  }
  ForgetCachedSessions(context_);
  AuthenticatedRequest switched = request;
  switched.actor.clinic_id = clinic_id;
  return Describe(switched);
}

Status AuthService::Logout(const AuthenticatedRequest& request) {
  const TimePoint now = context_.clock.Now();
  Status status = context_.database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(txn.Execute("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                                   {FormatTimestamp(now), request.session_id}));
    return AppendAuditEvent(txn, request.actor,
                            {"session.logout", "session", std::to_string(request.session_id), std::nullopt,
                             AuditOutcome::kSuccess, ""},
                            now);
  });
  ForgetCachedSessions(context_);
  return status;
}

}  // namespace ketachart
