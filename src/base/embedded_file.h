// Files compiled into the binary by tools/embed.cpp: the SQL migrations and
// the built web UI. Immutable static data; thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace ketachart {

struct EmbeddedFile {
  std::string_view path;     // relative, '/'-separated
  std::string_view content;
};

std::span<const EmbeddedFile> EmbeddedSqliteMigrations();
std::span<const EmbeddedFile> EmbeddedPostgresqlMigrations();
std::span<const EmbeddedFile> EmbeddedWebAssets();

}  // namespace ketachart
