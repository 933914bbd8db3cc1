// Shared CLI plumbing (see cli_support.h).
#include "cli/cli_support.h"
#include "cli/command_table.h"

#include <pwd.h>
#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "services/clinic_setup.h"

namespace ketachart {

int ReportFailure(const std::string& what, const Error& error) {
  std::cerr << "ketachart: " << what << ": " << (error.field.empty() ? "" : error.field + " ") << error.message
            << "\n";
  return 1;
}

Result<Settings> LoadSettings(const CommonOptions& options) {
  Settings settings;
  std::string config = options.config_file;
  if (config.empty()) {
    if (const char* env = std::getenv("KETACHART_CONFIG")) config = env;
  }
  if (!config.empty()) {
    if (!std::filesystem::exists(config)) return InvalidInput("config", "file " + config + " does not exist");
    KC_RETURN_IF_ERROR(LoadSettingsFile(config, settings));
  }
  KC_RETURN_IF_ERROR(ApplyEnvironment(settings));
  if (options.data_dir) settings.data_dir = *options.data_dir;
  if (options.database_url) settings.database_url = *options.database_url;
  return settings;
}

Result<std::unique_ptr<Database>> OpenDatabase(const Settings& settings, bool migrate, bool create_data_dir) {
  const std::string location = settings.DatabaseLocation();
  if (!IsPostgresqlLocation(location)) {
    std::error_code ec;
    const bool created = create_data_dir && std::filesystem::create_directories(settings.data_dir, ec);
    if (!std::filesystem::exists(settings.data_dir)) {
      return InvalidInput("data-dir", "directory " + settings.data_dir + " does not exist (run `ketachart init`)");
    }
    // A directory made here holds clinical data only: the service account alone
    // may read it. An existing directory keeps the permissions its owner chose.
    if (created) {
      std::filesystem::permissions(settings.data_dir, std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::replace, ec);
    }
  }
  DatabaseOptions options;
  options.location = location;
  options.max_connections = settings.database_max_connections;
  KC_ASSIGN_OR_RETURN(std::unique_ptr<Database> database, Database::Open(options));
  if (migrate) {
    auto applied = database->Migrate();
    if (!applied.ok()) return applied.error();
    // Every use case appends to the audit chain, whose head is one row.
    database->SerializeWritersOn("audit_chain_head");
  }
  return database;
}

Result<std::string> ReadPassword(const std::string& file, const std::string& prompt, bool confirm) {
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return InvalidInput("password-file", "cannot read " + file);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) return InvalidInput("password-file", "the first line of " + file + " is empty");
    return line;
  }
  if (!isatty(STDIN_FILENO)) {
    return InvalidInput("password-file", "no terminal to prompt on; pass --password-file FILE");
  }
  auto ask = [](const std::string& text) {
    std::cerr << text << std::flush;
    termios old_mode{};
    tcgetattr(STDIN_FILENO, &old_mode);
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::string line;
    std::getline(std::cin, line);
    tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
    std::cerr << "\n";
    return line;
  };
  std::string password = ask(prompt);
  if (confirm && ask("Repeat the password: ") != password) {
    return InvalidInput("password", "the two entries differ");
  }
  return password;
}

std::string OperatorName() {
  if (const passwd* entry = getpwuid(geteuid())) return entry->pw_name;
  return "uid" + std::to_string(geteuid());
}

Result<Actor> LocalOperator(Database& database, const std::string& clinic_code) {
  KC_ASSIGN_OR_RETURN(int64_t clinic_id,
                      database.Run<int64_t>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<int64_t> {
                        if (!clinic_code.empty()) return FindClinicId(txn, clinic_code);
                        KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT id FROM clinics ORDER BY id LIMIT 1"));
                        if (rows.empty()) return NotFound("the database has no clinic yet; run `ketachart init`");
                        return rows[0].Int(0);
                      }));
  return Actor{0, "cli:" + OperatorName(), clinic_id, {Role::kAdmin}, "cli"};
}

}  // namespace ketachart

namespace ketachart {

void AddCommonOptions(CLI::App* command, CommonOptions& common) {
  command->add_option("--config", common.config_file, "TOML settings file (see docs/configuration.md)");
  command->add_option("--data-dir", common.data_dir, "directory for the SQLite database (default ./ketachart-data)");
  command->add_option("--database", common.database_url,
                      "postgresql://user:password@host:port/dbname (default: SQLite in the data directory)");
}

}  // namespace ketachart
