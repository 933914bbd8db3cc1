// The dose calculator: a prescribed mg/kg dose times the patient's recorded
// weight (which weight, and from which date, is kept with the result),
// rounded to the clinic's step, checked against the protocol's maximum, then
// turned into the volume to draw from the vial, the final concentration after
// dilution and the pump rate for the infusion's duration. Esketamine doses
// are counted in 28 mg devices. Exact: doses are computed in integer
// micrograms. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "clinical/pk/units.h"

namespace ketachart::pk {

struct RecordedWeight {
  Kilograms weight;
  std::string recorded_on;  // "YYYY-MM-DD" of the measurement used
};

struct DoseOrder {
  MilligramsPerKilogram dose_per_kg;
  RecordedWeight weight;
  Milligrams rounding_step{0};               // 0: no rounding; otherwise to the nearest step
  std::optional<Milligrams> protocol_maximum;  // refused (not capped) above this
  MilligramsPerMillilitre vial_strength;     // 10, 50 or 100 mg/mL (clinical-reference.md B)
  std::optional<Millilitres> diluent;        // added to the drawn volume (bag or syringe)
  std::optional<Minutes> infusion_duration;  // for the pump rate
};

struct DoseCalculation {
  Milligrams unrounded_dose;
  Milligrams dose;
  RecordedWeight weight;
  Millilitres volume_to_draw;
  Millilitres final_volume;
  MilligramsPerMillilitre final_concentration;
  std::optional<MillilitresPerHour> pump_rate;
  std::optional<MilligramsPerMinute> drug_rate;
};

// kInvalidInput naming the field: weight outside 20-300 kg, dose <= 0, dose
// above the protocol maximum, a vial strength not sold (10/50/100 mg/mL),
// 100 mg/mL without dilution, or 10 mg/mL diluted (clinical-reference.md B:
// "100 mg/mL must not be given IV undiluted ... The 10 mg/mL strength should
// not be diluted").
Result<DoseCalculation> CalculateDose(const DoseOrder& order);

// Number of 28 mg esketamine devices for a dose (28, 56 or 84 mg; Spravato
// device 28 mg, clinical-reference.md A3 and B). Other amounts are refused.
Result<int> EsketamineDevices(Milligrams dose, Milligrams per_device = Milligrams(28));

}  // namespace ketachart::pk
