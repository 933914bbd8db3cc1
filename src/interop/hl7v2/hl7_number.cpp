// HL7 v2 numeric values (see hl7_number.h).
#include "interop/hl7v2/hl7_number.h"

#include <cmath>
#include <cstdlib>

namespace ketachart::hl7v2 {
namespace {

int64_t PowerOfTen(int n) {
  int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

}  // namespace

std::string DecimalValue::ToString() const {
  const uint64_t magnitude = digits < 0 ? static_cast<uint64_t>(-(digits + 1)) + 1 : static_cast<uint64_t>(digits);
  std::string text = std::to_string(magnitude);
  if (scale > 0) {
    if (text.size() <= static_cast<size_t>(scale)) text.insert(0, static_cast<size_t>(scale) + 1 - text.size(), '0');
    text.insert(text.size() - static_cast<size_t>(scale), 1, '.');
  }
  if (digits < 0) text.insert(0, 1, '-');
  return text;
}

double DecimalValue::ToDouble() const { return static_cast<double>(digits) / std::pow(10.0, scale); }

bool DecimalValue::EqualsInteger(int64_t n) const {
  const int64_t factor = PowerOfTen(scale);
  return digits % factor == 0 && digits / factor == n;
}

std::optional<DecimalValue> ParseHl7Number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '+' || text.front() == '-') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  DecimalValue value;
  int digit_count = 0;
  bool seen_point = false;
  for (char c : text) {
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (digit_count == 0 && c == '0' && !seen_point) {
      // Leading zeros add nothing and must not use up the 18 digits.
    } else {
      if (++digit_count > 18) return std::nullopt;
    }
    value.digits = value.digits * 10 + (c - '0');
    if (seen_point && ++value.scale > 9) return std::nullopt;
  }
  const bool any_digit = text.find_first_of("0123456789") != std::string_view::npos;
  if (!any_digit) return std::nullopt;
  if (negative) value.digits = -value.digits;
  return value;
}

}  // namespace ketachart::hl7v2
