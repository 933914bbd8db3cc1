// Unit-safe quantities for the pharmacology engine: every dose, weight,
// concentration, time and rate that crosses a module line carries its unit in
// its type (Milligrams, Kilograms, NanogramsPerMillilitre, Minutes, ...), so a
// mg/kg dose cannot be passed where mg is expected. Plain values; thread-safe.
#pragma once

#include <compare>

namespace ketachart::pk {

// A double tagged with its unit. Same-unit addition, subtraction and
// comparison are allowed; scaling by a dimensionless factor is allowed; every
// change of unit is a named function below.
template <typename Unit>
class Quantity {
 public:
  constexpr Quantity() = default;
  constexpr explicit Quantity(double value) : value_(value) {}
  constexpr double value() const { return value_; }

  constexpr Quantity operator+(Quantity other) const { return Quantity(value_ + other.value_); }
  constexpr Quantity operator-(Quantity other) const { return Quantity(value_ - other.value_); }
  constexpr Quantity& operator+=(Quantity other) {
    value_ += other.value_;
    return *this;
  }
  constexpr Quantity operator*(double factor) const { return Quantity(value_ * factor); }
  constexpr Quantity operator/(double divisor) const { return Quantity(value_ / divisor); }
  constexpr double operator/(Quantity other) const { return value_ / other.value_; }  // a ratio
  constexpr auto operator<=>(const Quantity&) const = default;

 private:
  double value_ = 0;
};

struct MilligramUnit {};
struct MilligramPerKilogramUnit {};
struct KilogramUnit {};
struct NanogramPerMillilitreUnit {};
struct MinuteUnit {};
struct MillilitrePerHourUnit {};
struct MillilitreUnit {};
struct MilligramPerMillilitreUnit {};
struct MilligramPerMinuteUnit {};
struct LitreUnit {};
struct NanogramMinutePerMillilitreUnit {};

using Milligrams = Quantity<MilligramUnit>;
using MilligramsPerKilogram = Quantity<MilligramPerKilogramUnit>;
using Kilograms = Quantity<KilogramUnit>;
using NanogramsPerMillilitre = Quantity<NanogramPerMillilitreUnit>;
using Minutes = Quantity<MinuteUnit>;
using MillilitresPerHour = Quantity<MillilitrePerHourUnit>;
using Millilitres = Quantity<MillilitreUnit>;
using MilligramsPerMillilitre = Quantity<MilligramPerMillilitreUnit>;
using MilligramsPerMinute = Quantity<MilligramPerMinuteUnit>;
using Litres = Quantity<LitreUnit>;
// Area under the concentration-time curve.
using NanogramMinutesPerMillilitre = Quantity<NanogramMinutePerMillilitreUnit>;

constexpr Milligrams operator*(MilligramsPerKilogram dose, Kilograms weight) {
  return Milligrams(dose.value() * weight.value());
}
constexpr MilligramsPerMinute operator/(Milligrams amount, Minutes duration) {
  return MilligramsPerMinute(amount.value() / duration.value());
}
constexpr Milligrams operator*(MilligramsPerMinute rate, Minutes duration) {
  return Milligrams(rate.value() * duration.value());
}
constexpr Millilitres operator/(Milligrams amount, MilligramsPerMillilitre strength) {
  return Millilitres(amount.value() / strength.value());
}
constexpr MilligramsPerMillilitre operator/(Milligrams amount, Millilitres volume) {
  return MilligramsPerMillilitre(amount.value() / volume.value());
}
constexpr Milligrams operator*(MilligramsPerMillilitre strength, Millilitres volume) {
  return Milligrams(strength.value() * volume.value());
}
// 1 mg/L = 1 µg/mL = 1000 ng/mL.
constexpr NanogramsPerMillilitre ConcentrationOf(Milligrams amount, Litres volume) {
  return NanogramsPerMillilitre(amount.value() / volume.value() * 1000.0);
}
constexpr MillilitresPerHour PumpRate(Millilitres volume, Minutes duration) {
  return MillilitresPerHour(volume.value() / duration.value() * 60.0);
}
constexpr MilligramsPerMinute DrugRate(MillilitresPerHour pump_rate, MilligramsPerMillilitre strength) {
  return MilligramsPerMinute(pump_rate.value() * strength.value() / 60.0);
}
constexpr MillilitresPerHour PumpRate(MilligramsPerMinute drug_rate, MilligramsPerMillilitre strength) {
  return MillilitresPerHour(drug_rate.value() * 60.0 / strength.value());
}

}  // namespace ketachart::pk
