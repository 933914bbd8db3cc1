// NDC and DEA registration formats (see identifiers.h).
#include "clinical/ledger/identifiers.h"

#include <cctype>
#include <vector>

namespace ketachart::ledger {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

}  // namespace

std::optional<std::string> NormalizeNdc(std::string_view text) {
  if (text.size() == 11 && AllDigits(text)) {
    return std::string(text.substr(0, 5)) + "-" + std::string(text.substr(5, 4)) + "-" +
           std::string(text.substr(9, 2));
  }
  const auto parts = Split(text, '-');
  if (parts.size() != 3) return std::nullopt;
  for (auto p : parts) {
    if (!AllDigits(p)) return std::nullopt;
  }
  const size_t a = parts[0].size(), b = parts[1].size(), c = parts[2].size();
  const bool ten_digit = (a == 4 && b == 4 && c == 2) || (a == 5 && b == 3 && c == 2) || (a == 5 && b == 4 && c == 1);
  const bool eleven_digit = a == 5 && b == 4 && c == 2;
  if (!ten_digit && !eleven_digit) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> NormalizeDeaRegistration(std::string_view text) {
  if (text.size() != 9) return std::nullopt;
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (out[0] < 'A' || out[0] > 'Z') return std::nullopt;
  if (!((out[1] >= 'A' && out[1] <= 'Z') || out[1] == '9')) return std::nullopt;
  if (!AllDigits(std::string_view(out).substr(2))) return std::nullopt;
  return out;
}

}  // namespace ketachart::ledger
