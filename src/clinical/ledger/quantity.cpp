// Exact quantities (see quantity.h).
#include "clinical/ledger/quantity.h"

#include <cstdlib>

namespace ketachart::ledger {

std::optional<int64_t> ParseThousandths(std::string_view text) {
  if (text.empty() || text.size() > 24) return std::nullopt;
  int64_t whole = 0;
  size_t i = 0;
  size_t whole_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++whole_digits) {
    whole = whole * 10 + (text[i] - '0');
    if (whole > kMaxQuantityThousandths / 1000) return std::nullopt;
  }
  int64_t fraction = 0;
  size_t decimals = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (++decimals > 3) return std::nullopt;
      fraction = fraction * 10 + (text[i] - '0');
    }
    if (decimals == 0) return std::nullopt;
  }
  if (i != text.size() || whole_digits == 0) return std::nullopt;
  for (size_t d = decimals; d < 3; ++d) fraction *= 10;
  const int64_t total = whole * 1000 + fraction;
  if (total > kMaxQuantityThousandths) return std::nullopt;
  return total;
}

std::string FormatThousandths(int64_t thousandths) {
  const bool negative = thousandths < 0;
  // Magnitudes are bounded far below INT64_MIN by kMaxQuantityThousandths sums.
  const int64_t magnitude = negative ? -thousandths : thousandths;
  std::string out = (negative ? "-" : "") + std::to_string(magnitude / 1000);
  int64_t fraction = magnitude % 1000;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, 3 - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

std::optional<Micrograms> DrugInVolume(MicrogramsPerMillilitre strength, Microlitres volume) {
  if (strength.value < 0 || volume.value < 0) return std::nullopt;
  // Both are bounded by kMaxQuantityThousandths (1e12); the product could
  // overflow, so use 128-bit arithmetic.
  const __int128 product = static_cast<__int128>(strength.value) * volume.value;
  if (product % 1000 != 0) return std::nullopt;
  const __int128 result = product / 1000;
  if (result > kMaxQuantityThousandths) return std::nullopt;
  return Micrograms{static_cast<int64_t>(result)};
}

Microlitres VolumeForDrug(MicrogramsPerMillilitre strength, Micrograms amount) {
  if (strength.value <= 0) return Microlitres{0};
  const __int128 scaled = static_cast<__int128>(amount.value) * 1000;
  const __int128 half = strength.value / 2;
  const __int128 rounded = scaled >= 0 ? (scaled + half) / strength.value : (scaled - half) / strength.value;
  return Microlitres{static_cast<int64_t>(rounded)};
}

}  // namespace ketachart::ledger
