// Entry point of the `ketachart` command: parses subcommands with CLI11 and
// hands each to its function in cli/. Exit code 0 on success, 1 on a failure
// reported as one line on stderr, 2 on a usage error.
#include <CLI/CLI.hpp>
#include <iostream>

#include "base/crypto.h"
#include "cli/cli_support.h"
#include "cli/command_table.h"
#include "cli/commands.h"
#include "cli/pk_commands.h"
#include "cli/ledger_commands.h"
#include "cli/measure_commands.h"
#include "cli/eligibility_commands.h"
#include "cli/monitor_sim_command.h"

int main(int argc, char** argv) {
  using namespace ketachart;
  InitCrypto();
  CLI::App app{"KetaChart: clinical records for ketamine and esketamine clinics", "ketachart"};
  app.require_subcommand(1);
  CommonOptions common;
  CommandTable table;
  auto add_common = [&common](CLI::App* command) { AddCommonOptions(command, common); };

  ServeOptions serve;
  CLI::App* serve_command = app.add_subcommand("serve", "Start the web server (and API)");
  add_common(serve_command);
  serve_command->add_option("--port", serve.port, "TCP port (default 8080)");
  serve_command->add_option("--bind", serve.bind, "IP address to listen on (default 127.0.0.1)");
  serve_command->add_option("--threads", serve.threads, "worker threads (default 16)");
  serve_command->add_flag("--demo", serve.demo, "seed a synthetic demo clinic into an empty database");
  serve_command->add_option("--mllp-port", serve.mllp_port, "also receive HL7 v2 from bedside monitors on this port");
  serve_command->add_option("--mllp-bind", serve.mllp_bind, "IP address for MLLP (default 127.0.0.1)");
  serve_command->add_option("--mllp-clinic", serve.mllp_clinic, "clinic code the monitors belong to (default: the only clinic)");
  serve_command->add_option("--mllp-tls-cert", serve.mllp_tls_certificate, "PEM certificate chain: MLLP over TLS (with --mllp-tls-key)");
  serve_command->add_option("--mllp-tls-key", serve.mllp_tls_key, "PEM private key for MLLP over TLS");
  serve_command->add_flag("--insecure-http", serve.insecure_http,
                          "allow plain HTTP on a non-loopback address (only behind a TLS proxy)");

  InitOptions init;
  CLI::App* init_command = app.add_subcommand("init", "Create the database, the first clinic and its administrator");
  add_common(init_command);
  init_command->add_option("--admin-user", init.admin_user, "username of the first administrator")->required();
  init_command->add_option("--password-file", init.password_file, "file whose first line is the password");
  init_command->add_option("--clinic-code", init.clinic_code, "short clinic code used in MRNs (default CLINIC)");
  init_command->add_option("--clinic-name", init.clinic_name, "clinic name (default \"My Clinic\")");
  init_command->add_option("--timezone", init.timezone, "IANA time zone (default UTC)");

  UserOptions user;
  CLI::App* user_command = app.add_subcommand("user", "Manage staff accounts");
  user_command->require_subcommand(1);
  CLI::App* user_add = user_command->add_subcommand("add", "Create an account");
  add_common(user_add);
  user_add->add_option("username", user.username, "login name")->required();
  user_add->add_option("--display-name", user.display_name, "name shown in the chart (default: the username)");
  user_add->add_option("--role", user.roles, "role in the clinic (repeatable): admin, prescriber, nurse, therapist, "
                                             "front_desk, auditor")
      ->required();
  user_add->add_option("--clinic", user.clinic, "clinic code (default: the first clinic)");
  user_add->add_option("--password-file", user.password_file, "file whose first line is the password");
  CLI::App* user_list = user_command->add_subcommand("list", "List accounts with their roles per clinic");
  add_common(user_list);
  CLI::App* user_disable = user_command->add_subcommand("disable", "Disable an account and end its sessions");
  add_common(user_disable);
  user_disable->add_option("username", user.username, "login name")->required();
  user_disable->add_option("--clinic", user.clinic, "clinic code (default: the first clinic)");
  CLI::App* user_reset = user_command->add_subcommand("reset-password", "Set a new password");
  add_common(user_reset);
  user_reset->add_option("username", user.username, "login name")->required();
  user_reset->add_option("--clinic", user.clinic, "clinic code (default: the first clinic)");
  user_reset->add_option("--password-file", user.password_file, "file whose first line is the password");

  CLI::App* migrate_command = app.add_subcommand("migrate", "Apply pending database migrations");
  add_common(migrate_command);

  std::string backup_file;
  CLI::App* backup_command = app.add_subcommand("backup", "Write an online, consistent backup to FILE");
  add_common(backup_command);
  backup_command->add_option("FILE", backup_file, "backup file to write")->required();

  CLI::App* audit_command = app.add_subcommand("audit", "Audit trail tools");
  audit_command->require_subcommand(1);
  CLI::App* audit_verify = audit_command->add_subcommand("verify", "Check the audit trail's hash chain");
  add_common(audit_verify);

  CLI::App* version_command = app.add_subcommand("version", "Print the version");

  table.On(serve_command, [&] { return RunServe(common, serve); });
  table.On(init_command, [&] { return RunInit(common, init); });
  table.On(user_add, [&] { return RunUserAdd(common, user); });
  table.On(user_list, [&] { return RunUserList(common); });
  table.On(user_disable, [&] { return RunUserDisable(common, user); });
  table.On(user_reset, [&] { return RunUserResetPassword(common, user); });
  table.On(migrate_command, [&] { return RunMigrate(common); });
  table.On(backup_command, [&] { return RunBackup(common, backup_file); });
  table.On(audit_verify, [&] { return RunAuditVerify(common); });
  table.On(version_command, [] {
    std::cout << "ketachart " << KETACHART_VERSION << "\n";
    return 0;
  });
  // Command groups of later capabilities register here, one line each.
  RegisterPkCommands(app, table, common);
  RegisterLedgerCommands(app, table, common);
  RegisterMeasureCommands(app, table, common);
  RegisterEligibilityCommands(app, table, common);
  RegisterMonitorSimCommand(app, table);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  const int exit_code = table.RunParsed();
  return exit_code < 0 ? 2 : exit_code;
}
