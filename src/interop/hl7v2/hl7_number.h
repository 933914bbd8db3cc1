// HL7 v2 numeric values (NM) held exactly: "36.80" is 3680 hundredths, never
// a binary double, so a stored vital reads back digit for digit. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ketachart::hl7v2 {

struct DecimalValue {
  int64_t digits = 0;  // the value times 10^scale
  int scale = 0;       // number of digits after the decimal point (0..9)

  // Canonical text: "-0.5", "120", "36.80" (scale kept as sent).
  std::string ToString() const;
  double ToDouble() const;
  // True when the value is the integer `n` exactly (any scale).
  bool EqualsInteger(int64_t n) const;
  bool IsNegative() const { return digits < 0; }
};

// Parses an NM value: optional sign, digits, optional '.' and digits (at
// least one digit in all; at most 18 digits and 9 after the point);
// surrounding spaces are ignored. nullopt when it is not a number.
std::optional<DecimalValue> ParseHl7Number(std::string_view text);

}  // namespace ketachart::hl7v2
