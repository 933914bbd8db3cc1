// Settings precedence and validation: a mistyped key or value must stop the
// server with a message naming it, never be silently ignored.
#include "config/settings.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace ketachart {
namespace {

std::string WriteFile(const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() / ("kc-settings-" + std::to_string(::getpid()) +
                                                                        "-" + std::to_string(rand()) + ".toml"))
                               .string();
  std::ofstream(path) << text;
  return path;
}

TEST(SettingsTest, DefaultsAreLoopbackAndSqliteInTheDataDir) {
  Settings settings;
  EXPECT_EQ(settings.http.bind_address, "127.0.0.1");
  EXPECT_EQ(settings.http.port, 8080);
  EXPECT_EQ(settings.DatabaseLocation(), "./ketachart-data/ketachart.db");
}

TEST(SettingsTest, ReadsEveryKindOfKeyFromToml) {
  Settings settings;
  const std::string path = WriteFile(
      "data_dir = \"/srv/kc\"\n[server]\nport = 9090\ninsecure_http = true\n[security]\nlockout_minutes = 5\n");
  ASSERT_TRUE(LoadSettingsFile(path, settings).ok());
  EXPECT_EQ(settings.data_dir, "/srv/kc");
  EXPECT_EQ(settings.http.port, 9090);
  EXPECT_TRUE(settings.insecure_http);
  EXPECT_EQ(settings.security.lockout_duration, std::chrono::minutes(5));
  std::filesystem::remove(path);
}

TEST(SettingsTest, UnknownKeyIsNamed) {
  Settings settings;
  const std::string path = WriteFile("[server]\nprot = 9090\n");
  Status status = LoadSettingsFile(path, settings);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "server.prot");
  std::filesystem::remove(path);
}

TEST(SettingsTest, OutOfRangeAndWrongTypeAreNamed) {
  Settings settings;
  const std::string range = WriteFile("[server]\nport = 70000\n");
  EXPECT_EQ(LoadSettingsFile(range, settings).error().field, "server.port");
  const std::string type = WriteFile("[server]\nport = \"8080\"\n");
  EXPECT_EQ(LoadSettingsFile(type, settings).error().field, "server.port");
  const std::string syntax = WriteFile("[server\nport = 1\n");
  EXPECT_EQ(LoadSettingsFile(syntax, settings).error().field, "config");
  std::filesystem::remove(range);
  std::filesystem::remove(type);
  std::filesystem::remove(syntax);
}

TEST(SettingsTest, EnvironmentOverridesTheFile) {
  Settings settings;
  const std::string path = WriteFile("[server]\nport = 9090\n");
  ASSERT_TRUE(LoadSettingsFile(path, settings).ok());
  setenv("KETACHART_PORT", "9191", 1);
  ASSERT_TRUE(ApplyEnvironment(settings).ok());
  EXPECT_EQ(settings.http.port, 9191);
  setenv("KETACHART_PORT", "ninety", 1);
  EXPECT_EQ(ApplyEnvironment(settings).error().field, "KETACHART_PORT");
  unsetenv("KETACHART_PORT");
  std::filesystem::remove(path);
}

TEST(SettingsTest, NonLoopbackBindNeedsTlsOrExplicitInsecureHttp) {
  Settings settings;
  EXPECT_TRUE(CheckListenSafety(settings).ok());
  settings.http.bind_address = "0.0.0.0";
  Status refused = CheckListenSafety(settings);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "bind");
  settings.insecure_http = true;
  EXPECT_TRUE(CheckListenSafety(settings).ok());
  settings.insecure_http = false;
  settings.http.tls_certificate_file = "cert.pem";
  settings.http.tls_private_key_file = "key.pem";
  EXPECT_TRUE(CheckListenSafety(settings).ok());
  settings.http.bind_address = "::1";
  settings.http.tls_certificate_file.clear();
  EXPECT_TRUE(CheckListenSafety(settings).ok());
}

}  // namespace
}  // namespace ketachart
