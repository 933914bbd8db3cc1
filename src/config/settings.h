// KetaChart's settings: defaults, overridden by a TOML file (--config),
// then by KETACHART_* environment variables, then by command-line flags
// (the CLI applies those last). docs/configuration.md documents every key;
// config/ketachart.example.toml is the commented file.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "base/result.h"
#include "http/server.h"
#include "services/service_context.h"

namespace ketachart {

struct Settings {
  std::string data_dir = "./ketachart-data";
  std::string database_url;   // empty: SQLite file <data_dir>/ketachart.db
  // More than the worker and event-loop threads: the audit committer, the
  // indexer and the alarm escalator need connections of their own.
  size_t database_max_connections = 24;
  HttpServerOptions http;
  bool insecure_http = false; // allow a non-loopback bind without TLS
  SecuritySettings security;
  std::string log_level = "info";
  // How often the server adds new audit events to the by-patient lookup
  // (services/audit_patient_index.h). Queries see every event whatever it is.
  std::chrono::seconds audit_patient_index_interval{1};

  // The database location after defaults are applied.
  std::string DatabaseLocation() const;
};

// Reads the TOML file into `settings`; unknown keys are errors naming the key.
Status LoadSettingsFile(const std::string& path, Settings& settings);
// Applies KETACHART_* variables from the environment.
Status ApplyEnvironment(Settings& settings);
// The bind/TLS rule: a non-loopback address needs TLS or insecure_http.
Status CheckListenSafety(const Settings& settings);

}  // namespace ketachart
