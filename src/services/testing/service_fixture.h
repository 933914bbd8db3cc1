// Shared GoogleTest fixture for service tests (header-only): a fresh, migrated
// SQLite database in its own temporary directory, a FakeClock, a
// ServiceContext with the cheapest password hashing, and helpers that set up
// clinics, staff with roles, actors, and read back the audit trail.
// One fixture instance per test; not thread-safe (like the FakeClock).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/audit_trail.h"
#include "services/clinic_setup.h"
#include "services/patient_service.h"
#include "services/service_context.h"
#include "services/user_service.h"
#include "store/database.h"

namespace ketachart::test_support {

// "2026-03-10T15:00:00Z" -> TimePoint; throws on a malformed literal (a test bug).
inline TimePoint At(std::string_view timestamp) {
  auto parsed = ParseTimestamp(timestamp);
  if (!parsed) throw std::invalid_argument("bad timestamp literal: " + std::string(timestamp));
  return *parsed;
}

// Where every service test's FakeClock starts ("today" is 2026-03-10).
inline constexpr std::string_view kStartTime = "2026-03-10T15:00:00.000Z";
inline constexpr std::string_view kToday = "2026-03-10";
inline constexpr std::string_view kClientAddress = "203.0.113.7";

inline std::string ErrorText(const Error& error) {
  return std::string(ErrorCodeName(error.code)) + " [" + error.field + "] " + error.message;
}
template <typename R>
std::string ErrorText(const R& result) {
  return result.ok() ? std::string("ok") : ErrorText(result.error());
}

// Unwraps a Result in a helper that cannot ASSERT; a failure throws, which
// GoogleTest reports as a failed test with the message.
template <typename T>
T Must(Result<T> result, std::string_view what = "") {
  if (!result.ok()) throw std::runtime_error(std::string(what) + ": " + ErrorText(result.error()));
  return std::move(result).value();
}
inline void Must(const Status& status, std::string_view what = "") {
  if (!status.ok()) throw std::runtime_error(std::string(what) + ": " + ErrorText(status.error()));
}

// Passes when `result` (Status or Result<T>) failed with `code` and, unless
// `field` is nullopt, names exactly `field`.
template <typename R>
::testing::AssertionResult FailsWith(const R& result, ErrorCode code,
                                     const std::optional<std::string>& field = std::nullopt) {
  if (result.ok()) return ::testing::AssertionFailure() << "succeeded; expected " << ErrorCodeName(code);
  const Error& error = result.error();
  if (error.code != code || (field && error.field != *field)) {
    return ::testing::AssertionFailure() << "failed with " << ErrorText(error) << "; expected "
                                         << ErrorCodeName(code) << (field ? " [" + *field + "]" : "");
  }
  return ::testing::AssertionSuccess();
}

// Passes when `result` (Status or Result<T>) is OK; otherwise shows the error.
template <typename R>
::testing::AssertionResult IsOk(const R& result) {
  if (result.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "failed with " << ErrorText(result.error());
}

// Both accept a streamed message: KC_EXPECT_OK(x) << "context";
#define KC_EXPECT_OK(expr) EXPECT_TRUE(::ketachart::test_support::IsOk(expr))
#define KC_ASSERT_OK(expr) ASSERT_TRUE(::ketachart::test_support::IsOk(expr))

// A directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ketachart-unit-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A staff account created by the fixture, with an Actor acting in the clinic
// it was created for (with its roles there).
struct Staff {
  int64_t id = 0;
  std::string username;
  std::string password;
  Actor actor;
};

class ServiceTest : public ::testing::Test {
 protected:
  static constexpr const char* kPassword = "correct horse battery staple";

  ServiceTest() : clock_(At(kStartTime)) {
    InitCrypto();
    SecuritySettings security;
    security.password_hash_cost = PasswordHashCost::Minimum();
    DatabaseOptions options;
    options.location = (dir_.path() / "ketachart.db").string();
    options.max_connections = 4;
    database_ = Must(Database::Open(options), "open test database");
    Must(database_->Migrate().status(), "migrate test database");
    context_ = std::make_unique<ServiceContext>(ServiceContext{*database_, clock_, security});
  }

  Database& database() { return *database_; }
  FakeClock& clock() { return clock_; }
  ServiceContext& context() { return *context_; }
  SecuritySettings& security() { return context_->security; }
  std::string Now() const { return FormatTimestamp(clock_.Now()); }

  int64_t AddClinic(const std::string& code, const std::string& name = "") {
    const ClinicSpec spec{code, name.empty() ? code + " Ketamine Clinic" : name, "America/Chicago"};
    return Must(database_->Run<int64_t>(TransactionMode::kReadWrite,
                                        [&](Transaction& txn) { return CreateClinic(txn, spec, clock_.Now()); }),
                "create clinic " + code);
  }

  // A user with `roles` in `clinic_id` (none when empty), password kPassword.
  Staff AddStaff(const std::string& username, int64_t clinic_id, const std::vector<Role>& roles,
                 const std::string& password = kPassword) {
    const std::string hash = HashPassword(password, context_->security.password_hash_cost);
    const int64_t id = Must(database_->Run<int64_t>(TransactionMode::kReadWrite,
                                                    [&](Transaction& txn) -> Result<int64_t> {
                                                      KC_ASSIGN_OR_RETURN(int64_t user_id,
                                                                          InsertUser(txn, username, username + " (test)",
                                                                                     hash, clock_.Now()));
                                                      for (Role role : roles) {
                                                        KC_RETURN_IF_ERROR(
                                                            GrantRole(txn, user_id, clinic_id, role, clock_.Now()));
                                                      }
                                                      return user_id;
                                                    }),
                            "create user " + username);
    return Staff{id, username, password,
                 Actor{id, username, clinic_id, std::set<Role>(roles.begin(), roles.end()), std::string(kClientAddress)}};
  }

  void Grant(int64_t user_id, int64_t clinic_id, Role role) {
    Must(database_->Run(TransactionMode::kReadWrite,
                        [&](Transaction& txn) { return GrantRole(txn, user_id, clinic_id, role, clock_.Now()); }),
         "grant role");
  }

  // The same person acting in another clinic (roles as the caller claims them).
  static Actor ActingIn(const Staff& staff, int64_t clinic_id, std::set<Role> roles) {
    Actor actor = staff.actor;
    actor.clinic_id = clinic_id;
    actor.roles = std::move(roles);
    return actor;
  }
  // The local operator of the CLI (no staff account), as cli_support.cpp builds it.
  static Actor LocalOperator(int64_t clinic_id) { return Actor{0, "cli:root", clinic_id, {Role::kAdmin}, "cli"}; }

  // Registers Adaeze Okafor (born 1984-03-09) as `actor` in the actor's clinic; returns her id.
  int64_t RegisterSamplePatient(const Actor& actor) {
    return Must(PatientService(*context_).RegisterPatient(actor, {{"family_name", "Okafor"},
                                                                  {"given_names", "Adaeze"},
                                                                  {"birth_date", "1984-03-09"},
                                                                  {"sex", "female"}}),
                "register sample patient")["id"]
        .get<int64_t>();
  }

  // Runs SQL outside any service (inspection and deliberate tampering).
  SqlRows Query(const std::string& sql, const SqlParams& params = {}) {
    return Must(database_->Run<SqlRows>(TransactionMode::kReadOnly,
                                        [&](Transaction& txn) { return txn.Query(sql, params); }),
                sql);
  }
  int64_t CountRows(const std::string& sql, const SqlParams& params = {}) { return Query(sql, params).at(0).Int(0); }
  void ExecuteScript(const std::string& sql) {
    Must(database_->Run(TransactionMode::kReadWrite, [&](Transaction& txn) { return txn.ExecuteScript(sql); }), sql);
  }

  // The whole audit trail, oldest first.
  std::vector<AuditEventView> AuditEvents() {
    AuditQuery query;
    query.limit = 1000000;
    AuditPage page = Must(database_->Run<AuditPage>(TransactionMode::kReadOnly,
                                                    [&](Transaction& txn) { return QueryAuditEvents(txn, query); }),
                          "read audit trail");
    std::reverse(page.items.begin(), page.items.end());
    return page.items;
  }
  // Events with this action (and outcome, when given).
  std::vector<AuditEventView> AuditEvents(const std::string& action, const std::string& outcome = "") {
    std::vector<AuditEventView> out;
    for (auto& event : AuditEvents()) {
      if (event.action == action && (outcome.empty() || event.outcome == outcome)) out.push_back(std::move(event));
    }
    return out;
  }
  int CountAudit(const std::string& action, const std::string& outcome = "") {
    return static_cast<int>(AuditEvents(action, outcome).size());
  }

 private:
  // Declaration order is destruction order reversed: the context and the
  // database go before the directory holding the file.
  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<ServiceContext> context_;
};

}  // namespace ketachart::test_support
