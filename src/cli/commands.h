// The `ketachart` subcommands, one function each (serve_command.cpp,
// admin_commands.cpp). Each returns the process exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/cli_support.h"

namespace ketachart {

struct ServeOptions {
  std::optional<int> port;
  std::optional<std::string> bind;
  std::optional<int> threads;
  bool demo = false;
  bool insecure_http = false;
  std::optional<int> mllp_port;          // bedside monitors (HL7 v2 over MLLP); off when absent
  std::string mllp_bind = "127.0.0.1";
  std::string mllp_clinic;               // clinic code; empty: the only clinic
  std::string mllp_tls_certificate;      // PEM; MLLP over TLS when both are set
  std::string mllp_tls_key;
};

struct InitOptions {
  std::string admin_user;
  std::string password_file;
  std::string clinic_code = "CLINIC";
  std::string clinic_name = "My Clinic";
  std::string timezone = "UTC";
};

struct UserOptions {
  std::string username;
  std::string display_name;
  std::vector<std::string> roles;
  std::string clinic;
  std::string password_file;
};

int RunServe(const CommonOptions& common, const ServeOptions& options);
int RunInit(const CommonOptions& common, const InitOptions& options);
int RunUserAdd(const CommonOptions& common, const UserOptions& options);
int RunUserList(const CommonOptions& common);
int RunUserDisable(const CommonOptions& common, const UserOptions& options);
int RunUserResetPassword(const CommonOptions& common, const UserOptions& options);
int RunMigrate(const CommonOptions& common);
int RunBackup(const CommonOptions& common, const std::string& file);
int RunAuditVerify(const CommonOptions& common);

}  // namespace ketachart
