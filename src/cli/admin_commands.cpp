// Administrative subcommands: init, user add|list|disable|reset-password,
// migrate, backup, audit verify.
#include <iostream>

#include "cli/commands.h"
#include "services/audit_trail.h"
#include "services/clinic_setup.h"
#include "services/user_service.h"

namespace ketachart {
namespace {

struct Opened {
  Settings settings;
  std::unique_ptr<Database> database;
};

Result<Opened> Open(const CommonOptions& common, bool create_data_dir = false) {
  KC_ASSIGN_OR_RETURN(Settings settings, LoadSettings(common));
  KC_ASSIGN_OR_RETURN(std::unique_ptr<Database> database, OpenDatabase(settings, true, create_data_dir));
  return Opened{std::move(settings), std::move(database)};
}

}  // namespace

int RunInit(const CommonOptions& common, const InitOptions& options) {
  auto opened = Open(common, /*create_data_dir=*/true);
  if (!opened.ok()) return ReportFailure("init", opened.error());
  auto password = ReadPassword(options.password_file, "Password for " + options.admin_user + ": ", true);
  if (!password.ok()) return ReportFailure("init", password.error());
  SystemClock clock;
  ServiceContext context{*opened.value().database, clock, opened.value().settings.security};
  Status status = InitialiseClinic(context, {options.clinic_code, options.clinic_name, options.timezone},
                                   options.admin_user, password.value(), OperatorName());
  if (!status.ok()) return ReportFailure("init", status.error());
  std::cout << "Created administrator " << options.admin_user << " in " << context.database.Describe() << "\n";
  return 0;
}

namespace {

// What every `ketachart user ...` command needs: the opened database, a
// service context on it, and the local operator acting as admin of a clinic.
struct OperatorSession {
  Opened opened;
  SystemClock clock;
  std::unique_ptr<ServiceContext> context;
  Actor actor;
};

Result<std::unique_ptr<OperatorSession>> OpenOperatorSession(const CommonOptions& common,
                                                             const std::string& clinic_code) {
  auto session = std::make_unique<OperatorSession>();
  KC_ASSIGN_OR_RETURN(session->opened, Open(common));
  session->context = std::make_unique<ServiceContext>(
      ServiceContext{*session->opened.database, session->clock, session->opened.settings.security});
  KC_ASSIGN_OR_RETURN(session->actor, LocalOperator(*session->opened.database, clinic_code));
  return session;
}

}  // namespace

int RunUserAdd(const CommonOptions& common, const UserOptions& options) {
  auto session = OpenOperatorSession(common, options.clinic);
  if (!session.ok()) return ReportFailure("user add", session.error());
  auto password = ReadPassword(options.password_file, "Password for " + options.username + ": ", true);
  if (!password.ok()) return ReportFailure("user add", password.error());
  UserService users(*session.value()->context);
  auto created = users.CreateUser(
      session.value()->actor, {options.username, options.display_name.empty() ? options.username : options.display_name,
                               password.value(), options.roles});
  if (!created.ok()) return ReportFailure("user add", created.error());
  std::cout << "Created " << created.value().username << " (id " << created.value().id << ")\n";
  return 0;
}

int RunUserList(const CommonOptions& common) {
  auto session = OpenOperatorSession(common, "");
  if (!session.ok()) return ReportFailure("user list", session.error());
  auto users = UserService(*session.value()->context).ListUsers(session.value()->actor, /*all_clinics=*/true);
  if (!users.ok()) return ReportFailure("user list", users.error());
  for (const auto& user : users.value()) {
    std::cout << user.username << "\t" << user.display_name << "\t"
              << (user.disabled ? "disabled" : (user.locked ? "locked" : "active"));
    for (const auto& clinic : user.clinics) {
      std::cout << "\t" << clinic.code << ":";
      for (size_t i = 0; i < clinic.roles.size(); ++i) std::cout << (i ? "," : "") << clinic.roles[i];
    }
    std::cout << "\n";
  }
  return 0;
}

int RunUserDisable(const CommonOptions& common, const UserOptions& options) {
  auto session = OpenOperatorSession(common, options.clinic);
  if (!session.ok()) return ReportFailure("user disable", session.error());
  UserService users(*session.value()->context);
  auto id = users.FindUserId(options.username);
  if (!id.ok()) return ReportFailure("user disable", id.error());
  Status status = users.DisableUser(session.value()->actor, id.value());
  if (!status.ok()) return ReportFailure("user disable", status.error());
  std::cout << "Disabled " << options.username << "\n";
  return 0;
}

int RunUserResetPassword(const CommonOptions& common, const UserOptions& options) {
  auto session = OpenOperatorSession(common, options.clinic);
  if (!session.ok()) return ReportFailure("user reset-password", session.error());
  UserService users(*session.value()->context);
  auto id = users.FindUserId(options.username);
  if (!id.ok()) return ReportFailure("user reset-password", id.error());
  auto password = ReadPassword(options.password_file, "New password for " + options.username + ": ", true);
  if (!password.ok()) return ReportFailure("user reset-password", password.error());
  Status status = users.ResetPassword(session.value()->actor, id.value(), password.value());
  if (!status.ok()) return ReportFailure("user reset-password", status.error());
  std::cout << "Password changed for " << options.username << "\n";
  return 0;
}

int RunMigrate(const CommonOptions& common) {
  auto settings = LoadSettings(common);
  if (!settings.ok()) return ReportFailure("migrate", settings.error());
  auto database = OpenDatabase(settings.value(), /*migrate=*/false, /*create_data_dir=*/true);
  if (!database.ok()) return ReportFailure("migrate", database.error());
  auto applied = database.value()->Migrate();
  if (!applied.ok()) return ReportFailure("migrate", applied.error());
  auto version = database.value()->SchemaVersion();
  if (!version.ok()) return ReportFailure("migrate", version.error());
  std::cout << "Applied " << applied.value() << " migration(s); schema version " << version.value() << "\n";
  return 0;
}

int RunBackup(const CommonOptions& common, const std::string& file) {
  auto settings = LoadSettings(common);
  if (!settings.ok()) return ReportFailure("backup", settings.error());
  auto database = OpenDatabase(settings.value(), /*migrate=*/false, /*create_data_dir=*/false);
  if (!database.ok()) return ReportFailure("backup", database.error());
  Status status = database.value()->Backup(file);
  if (!status.ok()) return ReportFailure("backup", status.error());
  std::cout << "Backup written to " << file << "\n";
  return 0;
}

int RunAuditVerify(const CommonOptions& common) {
  auto settings = LoadSettings(common);
  if (!settings.ok()) return ReportFailure("audit verify", settings.error());
  auto database = OpenDatabase(settings.value(), /*migrate=*/false, /*create_data_dir=*/false);
  if (!database.ok()) return ReportFailure("audit verify", database.error());
  auto result = VerifyAuditChain(*database.value());
  if (!result.ok()) return ReportFailure("audit verify", result.error());
  if (!result.value().intact) {
    if (!result.value().first_bad_event_id) {
      std::cerr << "ketachart: audit verify: " << result.value().problem << " (the chain of "
                << result.value().events_checked << " events is intact)\n";
      return 1;
    }
    std::cerr << "ketachart: audit verify: event " << result.value().first_bad_event_id.value_or(0) << ": "
              << result.value().problem << " (" << result.value().events_checked << " events before it are intact)\n";
    return 1;
  }
  std::cout << "Audit trail intact: " << result.value().events_checked << " events verified; patient index agrees ("
            << result.value().patient_index_rows_checked << " rows)\n";
  return 0;
}

}  // namespace ketachart
