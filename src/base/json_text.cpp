// Serialised JSON helpers (see json_text.h).
#include "base/json_text.h"

namespace ketachart {
namespace {

// The object's text without surrounding whitespace, or empty when it is not
// delimited by braces.
std::string_view ObjectText(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  const auto end = text.find_last_not_of(" \t\r\n");
  if (begin == std::string_view::npos || text[begin] != '{' || text[end] != '}') return {};
  return text.substr(begin, end - begin + 1);
}

bool HasMembers(std::string_view object) {
  return object.substr(1, object.size() - 2).find_first_not_of(" \t\r\n") != std::string_view::npos;
}

}  // namespace

Result<JsonText> MergeJsonObjects(std::string_view first, std::string_view second) {
  const std::string_view a = ObjectText(first);
  const std::string_view b = ObjectText(second);
  if (a.empty() || b.empty()) return Internal("cannot merge JSON: not an object");
  JsonText out;
  out.text.reserve(a.size() + b.size());
  out.text.append(a.substr(0, a.size() - 1));  // without the closing brace
  if (!HasMembers(b)) {
    out.text.push_back('}');
    return out;
  }
  if (HasMembers(a)) out.text.push_back(',');
  out.text.append(b.substr(1));                // without the opening brace
  return out;
}

}  // namespace ketachart
