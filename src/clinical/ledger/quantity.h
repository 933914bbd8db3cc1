// Exact controlled-substance quantities. Drug amounts are whole micrograms and
// volumes whole microlitres (strong types, so a volume can never be added to
// a mass), never floating point: a ledger that drifts by rounding cannot be
// reconciled against a count. Parsing accepts decimal text in mg / mL with at
// most three decimals; display is exact decimal text. Pure; thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ketachart::ledger {

// A mass of drug in whole micrograms (1 mg = 1000 µg).
struct Micrograms {
  int64_t value = 0;
  constexpr auto operator<=>(const Micrograms&) const = default;
  constexpr Micrograms operator+(Micrograms other) const { return {value + other.value}; }
  constexpr Micrograms operator-(Micrograms other) const { return {value - other.value}; }
  constexpr Micrograms operator-() const { return {-value}; }
  constexpr Micrograms& operator+=(Micrograms other) {
    value += other.value;
    return *this;
  }
  constexpr Micrograms& operator-=(Micrograms other) {
    value -= other.value;
    return *this;
  }
};

// A volume in whole microlitres (1 mL = 1000 µL).
struct Microlitres {
  int64_t value = 0;
  constexpr auto operator<=>(const Microlitres&) const = default;
};

// A concentration in whole micrograms per millilitre (50 mg/mL = 50000 µg/mL).
struct MicrogramsPerMillilitre {
  int64_t value = 0;
  constexpr auto operator<=>(const MicrogramsPerMillilitre&) const = default;
};

// The largest quantity the ledger accepts in one field: 1,000,000 g. Far
// above any clinic's stock, far below int64 overflow when summed.
inline constexpr int64_t kMaxQuantityThousandths = int64_t{1'000'000'000'000};

// "12.5" -> 12500 (thousandths of the unit). Accepts digits with an optional
// '.' and at most three decimals; no sign, no exponent. nullopt otherwise or
// above kMaxQuantityThousandths.
std::optional<int64_t> ParseThousandths(std::string_view text);
// 12500 -> "12.5"; 12000 -> "12"; -250 -> "-0.25" (exact, no trailing zeros).
std::string FormatThousandths(int64_t thousandths);

inline std::optional<Micrograms> ParseMilligrams(std::string_view text) {
  auto v = ParseThousandths(text);
  if (!v) return std::nullopt;
  return Micrograms{*v};
}
inline std::optional<Microlitres> ParseMillilitres(std::string_view text) {
  auto v = ParseThousandths(text);
  if (!v) return std::nullopt;
  return Microlitres{*v};
}
inline std::string FormatMilligrams(Micrograms q) { return FormatThousandths(q.value); }
inline std::string FormatMillilitres(Microlitres v) { return FormatThousandths(v.value); }

// The drug in `volume` of a solution of `strength`: strength (µg/mL) × volume
// (µL) / 1000. nullopt when that is not a whole microgram (the caller then
// asks for the amount in mg instead of guessing a rounding).
std::optional<Micrograms> DrugInVolume(MicrogramsPerMillilitre strength, Microlitres volume);
// The volume holding `amount` at `strength`, rounded to the nearest µL (for
// display only; the ledger itself keeps micrograms).
Microlitres VolumeForDrug(MicrogramsPerMillilitre strength, Micrograms amount);

}  // namespace ketachart::ledger
