// The dose calculator (see dose_calculator.h).
#include "clinical/pk/dose_calculator.h"

#include <cmath>
#include <cstdint>
#include <fmt/format.h>

namespace ketachart::pk {
namespace {

int64_t Micrograms(double mg) { return std::llround(mg * 1000.0); }
Milligrams FromMicrograms(int64_t ug) { return Milligrams(static_cast<double>(ug) / 1000.0); }

}  // namespace

Result<DoseCalculation> CalculateDose(const DoseOrder& order) {
  const double kg = order.weight.weight.value();
  if (!(kg >= 20 && kg <= 300)) return InvalidInput("weight_kg", "must be between 20 and 300 kg");
  if (order.weight.recorded_on.empty()) return InvalidInput("weight_recorded_on", "the weight's date is required");
  if (!(order.dose_per_kg.value() > 0) || order.dose_per_kg.value() > 10) {
    return InvalidInput("dose_mg_per_kg", "must be above 0 and at most 10 mg/kg");
  }
  const double strength = order.vial_strength.value();
  if (strength != 10 && strength != 50 && strength != 100) {
    return InvalidInput("vial_mg_per_ml", "must be a strength that is sold: 10, 50 or 100 mg/mL");
  }
  const double diluent_ml = order.diluent ? order.diluent->value() : 0;
  if (diluent_ml < 0 || diluent_ml > 1000) return InvalidInput("diluent_ml", "must be 0-1000 mL");
  if (strength == 100 && diluent_ml <= 0) {
    return InvalidInput("diluent_ml", "100 mg/mL ketamine must not be given IV undiluted (Ketalar PI)");
  }
  if (strength == 10 && diluent_ml > 0) {
    return InvalidInput("diluent_ml", "the 10 mg/mL strength should not be diluted (Ketalar PI)");
  }
  if (order.rounding_step.value() < 0) return InvalidInput("rounding_mg", "must be >= 0");

  DoseCalculation out;
  out.weight = order.weight;
  const int64_t exact_ug = Micrograms((order.dose_per_kg * order.weight.weight).value());
  int64_t dose_ug = exact_ug;
  const int64_t step_ug = Micrograms(order.rounding_step.value());
  if (step_ug > 0) dose_ug = (exact_ug + step_ug / 2) / step_ug * step_ug;  // nearest step, halves up
  if (dose_ug <= 0) return InvalidInput("rounding_mg", "rounds the dose to 0 mg");
  out.unrounded_dose = FromMicrograms(exact_ug);
  out.dose = FromMicrograms(dose_ug);
  if (order.protocol_maximum && dose_ug > Micrograms(order.protocol_maximum->value())) {
    return InvalidInput("dose_mg_per_kg", fmt::format("{:g} mg is above the protocol maximum of {:g} mg",
                                                      out.dose.value(), order.protocol_maximum->value()));
  }
  out.volume_to_draw = out.dose / order.vial_strength;
  out.final_volume = out.volume_to_draw + Millilitres(diluent_ml);
  out.final_concentration = out.dose / out.final_volume;
  if (order.infusion_duration) {
    if (!(order.infusion_duration->value() > 0) || order.infusion_duration->value() > 24 * 60) {
      return InvalidInput("duration_min", "must be above 0 and at most 1440 min");
    }
    out.pump_rate = PumpRate(out.final_volume, *order.infusion_duration);
    out.drug_rate = out.dose / *order.infusion_duration;
  }
  return out;
}

Result<int> EsketamineDevices(Milligrams dose, Milligrams per_device) {
  const int64_t dose_ug = Micrograms(dose.value()), device_ug = Micrograms(per_device.value());
  if (device_ug <= 0 || dose_ug <= 0 || dose_ug % device_ug != 0 || dose_ug / device_ug > 3) {
    return InvalidInput("dose_mg", fmt::format("esketamine doses are 28, 56 or 84 mg ({:g} mg devices)",
                                               per_device.value()));
  }
  return static_cast<int>(dose_ug / device_ug);
}

}  // namespace ketachart::pk
