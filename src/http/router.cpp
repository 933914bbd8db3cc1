// Route matching (see router.h). Segment by segment; "{name}" captures one segment.
#include "http/router.h"

namespace ketachart {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= path.size()) {
    const auto slash = path.find('/', pos);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    if (end > pos) out.push_back(path.substr(pos, end - pos));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return out;
}

bool MatchPattern(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params) {
  const auto expected = Segments(pattern);
  const auto actual = Segments(path);
  if (expected.size() != actual.size()) return false;
  std::map<std::string, std::string> captured;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (expected[i].size() > 2 && expected[i].front() == '{' && expected[i].back() == '}') {
      captured[std::string(expected[i].substr(1, expected[i].size() - 2))] = std::string(actual[i]);
    } else if (expected[i] != actual[i]) {
      return false;
    }
  }
  params = std::move(captured);
  return true;
}

}  // namespace

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match match;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(route.pattern, path, params)) continue;
    match.path_known = true;
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      match.route = &route;
      match.path_params = std::move(params);
      return match;
    }
  }
  return match;
}

}  // namespace ketachart
