// Cursor pagination shared by the list use cases (see page_cursor.h).
#include "services/page_cursor.h"

#include <fmt/format.h>

#include <charconv>

namespace ketachart {

Status CheckPageLimit(int limit, int max) {
  if (limit < 1 || limit > max) return InvalidInput("limit", fmt::format("must be between 1 and {}", max));
  return Status::Ok();
}

Result<std::optional<int64_t>> ParseIdPageCursor(const std::string& cursor) {
  if (cursor.empty()) return std::optional<int64_t>();
  int64_t value = 0;
  auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), value);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || value <= 0) {
    return InvalidInput("cursor", "is not a cursor from this list");
  }
  return std::optional<int64_t>(value);
}

}  // namespace ketachart
