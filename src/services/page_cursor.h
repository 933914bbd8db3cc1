// Cursor pagination shared by the list use cases: a page size within the list's
// hard maximum and the cursor a previous page handed out as next_cursor. Lists
// ordered by id use the id the next page continues from as the cursor; the
// response is {"items": [...], "next_cursor": string|null}. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"

namespace ketachart {

struct PageQuery {
  int limit = 50;
  std::string cursor;  // "" for the first page
};

// invalid_input on `limit` unless 1 <= limit <= max.
Status CheckPageLimit(int limit, int max);

// The positive id an id cursor holds (or the position a list not ordered by
// id continues from), nullopt for the first page (""); invalid_input on
// `cursor` for anything else, signs and spaces included.
Result<std::optional<int64_t>> ParseIdPageCursor(const std::string& cursor);

}  // namespace ketachart
