// Settings loading (see settings.h).
#include "config/settings.h"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <toml++/toml.h>

namespace ketachart {
namespace {

Result<int64_t> ParseInteger(const std::string& name, const std::string& text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return InvalidInput(name, "must be a whole number between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

Result<bool> ParseBool(const std::string& name, const std::string& text) {
  if (text == "1" || text == "true" || text == "yes") return true;
  if (text == "0" || text == "false" || text == "no" || text.empty()) return false;
  return InvalidInput(name, "must be true or false");
}

// One entry per setting: how to read it from TOML (section.key) and from the environment.
struct Key {
  const char* toml_path;
  const char* env_name;
  enum Kind { kString, kInteger, kBool } kind;
  int64_t min, max;
  std::function<void(Settings&, const std::string&, int64_t, bool)> apply;
};

const std::vector<Key>& Keys() {
  static const std::vector<Key> keys = {
      {"data_dir", "KETACHART_DATA_DIR", Key::kString, 0, 0,
       [](Settings& s, const std::string& v, int64_t, bool) { s.data_dir = v; }},
      {"database.url", "KETACHART_DATABASE", Key::kString, 0, 0,
       [](Settings& s, const std::string& v, int64_t, bool) { s.database_url = v; }},
      {"database.max_connections", "KETACHART_DATABASE_MAX_CONNECTIONS", Key::kInteger, 1, 500,
       [](Settings& s, const std::string&, int64_t n, bool) { s.database_max_connections = static_cast<size_t>(n); }},
      {"server.bind", "KETACHART_BIND", Key::kString, 0, 0,
       [](Settings& s, const std::string& v, int64_t, bool) { s.http.bind_address = v; }},
      {"server.port", "KETACHART_PORT", Key::kInteger, 0, 65535,
       [](Settings& s, const std::string&, int64_t n, bool) { s.http.port = static_cast<unsigned short>(n); }},
      {"server.threads", "KETACHART_THREADS", Key::kInteger, 1, 256,
       [](Settings& s, const std::string&, int64_t n, bool) { s.http.threads = static_cast<int>(n); }},
      {"server.event_loop_threads", "KETACHART_EVENT_LOOP_THREADS", Key::kInteger, 0, 64,
       [](Settings& s, const std::string&, int64_t n, bool) { s.http.event_loop_threads = static_cast<int>(n); }},
      {"server.max_body_bytes", "KETACHART_MAX_BODY_BYTES", Key::kInteger, 1024, 64 << 20,
       [](Settings& s, const std::string&, int64_t n, bool) { s.http.max_body_bytes = static_cast<size_t>(n); }},
      {"server.request_timeout_seconds", "KETACHART_REQUEST_TIMEOUT_SECONDS", Key::kInteger, 1, 3600,
       [](Settings& s, const std::string&, int64_t n, bool) { s.http.request_timeout_seconds = static_cast<int>(n); }},
      {"server.max_connections", "KETACHART_MAX_CONNECTIONS", Key::kInteger, 1, 100000,
       [](Settings& s, const std::string&, int64_t n, bool) { s.http.max_connections = static_cast<size_t>(n); }},
      {"server.insecure_http", "KETACHART_INSECURE_HTTP", Key::kBool, 0, 0,
       [](Settings& s, const std::string&, int64_t, bool b) { s.insecure_http = b; }},
      {"tls.certificate_file", "KETACHART_TLS_CERTIFICATE_FILE", Key::kString, 0, 0,
       [](Settings& s, const std::string& v, int64_t, bool) { s.http.tls_certificate_file = v; }},
      {"tls.private_key_file", "KETACHART_TLS_PRIVATE_KEY_FILE", Key::kString, 0, 0,
       [](Settings& s, const std::string& v, int64_t, bool) { s.http.tls_private_key_file = v; }},
      {"security.session_idle_minutes", "KETACHART_SESSION_IDLE_MINUTES", Key::kInteger, 1, 24 * 60,
       [](Settings& s, const std::string&, int64_t n, bool) { s.security.session_idle_timeout = std::chrono::minutes(n); }},
      {"security.session_absolute_minutes", "KETACHART_SESSION_ABSOLUTE_MINUTES", Key::kInteger, 5, 7 * 24 * 60,
       [](Settings& s, const std::string&, int64_t n, bool) {
         s.security.session_absolute_timeout = std::chrono::minutes(n);
       }},
      {"security.max_failed_logins", "KETACHART_MAX_FAILED_LOGINS", Key::kInteger, 1, 100,
       [](Settings& s, const std::string&, int64_t n, bool) { s.security.max_failed_logins = static_cast<int>(n); }},
      {"security.lockout_minutes", "KETACHART_LOCKOUT_MINUTES", Key::kInteger, 1, 24 * 60,
       [](Settings& s, const std::string&, int64_t n, bool) { s.security.lockout_duration = std::chrono::minutes(n); }},
      {"security.session_cache_seconds", "KETACHART_SESSION_CACHE_SECONDS", Key::kInteger, 0, 10,
       [](Settings& s, const std::string&, int64_t n, bool) { s.security.session_cache_ttl = std::chrono::seconds(n); }},
      {"security.min_password_length", "KETACHART_MIN_PASSWORD_LENGTH", Key::kInteger, 8, 128,
       [](Settings& s, const std::string&, int64_t n, bool) { s.security.min_password_length = static_cast<size_t>(n); }},
      {"audit.patient_index_interval_seconds", "KETACHART_AUDIT_PATIENT_INDEX_INTERVAL_SECONDS", Key::kInteger, 1,
       3600,
       [](Settings& s, const std::string&, int64_t n, bool) {
         s.audit_patient_index_interval = std::chrono::seconds(n);
       }},
      {"logging.level", "KETACHART_LOG_LEVEL", Key::kString, 0, 0,
       [](Settings& s, const std::string& v, int64_t, bool) { s.log_level = v; }},
  };
  return keys;
}

Status CheckLogLevel(const Settings& settings) {
  static const std::set<std::string> levels = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  if (!levels.count(settings.log_level)) {
    return InvalidInput("logging.level", "must be one of trace, debug, info, warn, error, critical, off");
  }
  return Status::Ok();
}

void CollectPaths(const toml::table& table, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [key, node] : table) {
    const std::string path = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const toml::table* nested = node.as_table()) {
      CollectPaths(*nested, path, out);
    } else {
      out.push_back(path);
    }
  }
}

}  // namespace

std::string Settings::DatabaseLocation() const {
  if (!database_url.empty()) return database_url;
  return (std::filesystem::path(data_dir) / "ketachart.db").string();
}

Status LoadSettingsFile(const std::string& path, Settings& settings) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    return InvalidInput("config", path + ":" + std::to_string(error.source().begin.line) + ": " +
                                      std::string(error.description()));
  }
  std::vector<std::string> present;
  CollectPaths(table, "", present);
  for (const std::string& key_path : present) {
    const Key* key = nullptr;
    for (const Key& candidate : Keys()) {
      if (key_path == candidate.toml_path) key = &candidate;
    }
    if (!key) return InvalidInput(key_path, "is not a known setting (see docs/configuration.md)");
    const auto node = table.at_path(key_path);
    switch (key->kind) {
      case Key::kString: {
        auto value = node.value<std::string>();
        if (!value) return InvalidInput(key_path, "must be a string");
        key->apply(settings, *value, 0, false);
        break;
      }
      case Key::kInteger: {
        auto value = node.value<int64_t>();
        if (!value || *value < key->min || *value > key->max) {
          return InvalidInput(key_path, "must be a whole number between " + std::to_string(key->min) + " and " +
                                            std::to_string(key->max));
        }
        key->apply(settings, "", *value, false);
        break;
      }
      case Key::kBool: {
        auto value = node.value<bool>();
        if (!value) return InvalidInput(key_path, "must be true or false");
        key->apply(settings, "", 0, *value);
        break;
      }
    }
  }
  return CheckLogLevel(settings);
}

Status ApplyEnvironment(Settings& settings) {
  for (const Key& key : Keys()) {
    const char* raw = std::getenv(key.env_name);
    if (!raw) continue;
    const std::string text(raw);
    switch (key.kind) {
      case Key::kString: key.apply(settings, text, 0, false); break;
      case Key::kInteger: {
        KC_ASSIGN_OR_RETURN(int64_t value, ParseInteger(key.env_name, text, key.min, key.max));
        key.apply(settings, "", value, false);
        break;
      }
      case Key::kBool: {
        KC_ASSIGN_OR_RETURN(bool value, ParseBool(key.env_name, text));
        key.apply(settings, "", 0, value);
        break;
      }
    }
  }
  return CheckLogLevel(settings);
}

Status CheckListenSafety(const Settings& settings) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(settings.http.bind_address, ec);
  if (ec) return InvalidInput("bind", "'" + settings.http.bind_address + "' is not an IP address");
  const bool tls = !settings.http.tls_certificate_file.empty() && !settings.http.tls_private_key_file.empty();
  if (!address.is_loopback() && !tls && !settings.insecure_http) {
    return InvalidInput("bind",
                        "refusing to serve patient data on " + settings.http.bind_address +
                            " without TLS; set tls.certificate_file and tls.private_key_file, or pass "
                            "--insecure-http if a TLS proxy terminates in front of KetaChart");
  }
  return Status::Ok();
}

}  // namespace ketachart
