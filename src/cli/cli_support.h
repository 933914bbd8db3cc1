// What every `ketachart` subcommand shares: settings from file, environment
// and flags; opening (and migrating) the database; reading a password from a
// file or a no-echo prompt; and the one-line error format
// "ketachart: <what>: <why>" with a non-zero exit.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/result.h"
#include "config/settings.h"
#include "services/actor.h"
#include "store/database.h"

namespace ketachart {

// Common flags, filled by CLI11 before the command runs.
struct CommonOptions {
  std::string config_file;
  std::optional<std::string> data_dir;
  std::optional<std::string> database_url;
};

// Prints "ketachart: <what>: <message> (field)" to stderr and returns 1.
int ReportFailure(const std::string& what, const Error& error);

Result<Settings> LoadSettings(const CommonOptions& options);
// Opens the configured database and applies pending migrations when `migrate`.
Result<std::unique_ptr<Database>> OpenDatabase(const Settings& settings, bool migrate, bool create_data_dir);
// First line of `file`, or a prompt on the terminal without echo (asked twice when `confirm`).
Result<std::string> ReadPassword(const std::string& file, const std::string& prompt, bool confirm);
// The operating-system user running the command, for the audit trail.
std::string OperatorName();
// A local operator acting as administrator of the clinic with `clinic_code`
// (the first clinic when empty).
Result<Actor> LocalOperator(Database& database, const std::string& clinic_code);

}  // namespace ketachart
