// JSON that is already serialised. The chart is stored as canonical JSON text;
// serving it as text (with the record's own fields merged in) avoids parsing
// and re-serialising the whole document on every read.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "base/result.h"

namespace ketachart {

struct JsonText {
  JsonText() = default;
  // Explicit, so that a braced JSON literal never converts to JsonText.
  explicit JsonText(std::string serialised) : text(std::move(serialised)) {}
  std::string text;
};

// One JSON object holding the members of `first` and then those of `second`,
// both serialised JSON objects (e.g. "{\"id\":1}" and "{\"name\":\"x\"}" give
// "{\"id\":1,\"name\":\"x\"}"). The caller guarantees that no key appears in
// both. kInternal when either is not an object's text.
Result<JsonText> MergeJsonObjects(std::string_view first, std::string_view second);

}  // namespace ketachart
