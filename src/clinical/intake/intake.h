// The structured intake a clinic records before anyone is dosed: age, weight,
// medical and psychiatric history (coded conditions plus notes), substance
// use, current medications, allergies, baseline vitals, goals and the
// referring provider. ReadIntake is the one strict JSON reader; it also
// derives the facts the eligibility engine compares (condition, medication
// class, hypersensitivity and substance-use masks, the summed benzodiazepine
// diazepam-equivalent) so evaluation touches no strings.
//
// Diazepam-equivalent: clinical-reference.md gives the >8 mg/day cut-off (C4,
// Andrashko 2020) but no benzodiazepine equivalence table, so each
// benzodiazepine's diazepam-equivalent daily dose is an entered value
// ("diazepam_equivalent_mg_per_day"), not computed here.
//
// Exact units: weight in grams, doses in micrograms, vitals in whole units.
// A value type; not thread-safe to mutate, safe to share read-only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/json_input.h"
#include "base/result.h"

namespace ketachart {

struct IntakeMedication {
  std::string name;
  std::string rxnorm;  // RxNorm concept id (digits) when known, else empty
  std::optional<int64_t> daily_dose_ug;
  uint64_t classes = 0;  // bits of kMedicationClasses
  std::optional<int64_t> diazepam_equivalent_ug_per_day;
};

struct IntakeAllergy {
  std::string substance;
  std::string reaction;
  unsigned category = 0;  // index into kHypersensitivityCategories
};

struct IntakeSubstanceUse {
  unsigned substance = 0;  // index into kSubstances
  unsigned pattern = 0;    // index into kSubstanceUsePatterns
  std::string notes;
};

struct IntakeVitals {
  std::optional<int> systolic_mmhg;
  std::optional<int> diastolic_mmhg;
  std::optional<int> heart_rate_bpm;
  std::optional<int> spo2_percent;
  std::optional<int> respiratory_rate_per_min;
};

struct Intake {
  std::optional<int> age_years;
  std::optional<int64_t> weight_g;
  uint64_t conditions = 0;  // bits of kIntakeConditions
  std::string medical_history_notes;
  std::string psychiatric_history_notes;
  std::vector<IntakeSubstanceUse> substance_use;
  std::vector<IntakeMedication> medications;
  std::vector<IntakeAllergy> allergies;
  IntakeVitals vitals;
  std::string goals;
  std::string referring_provider;

  // Derived by ReadIntake (DeriveIntakeFacts) for the eligibility engine.
  uint64_t medication_classes = 0;
  uint64_t hypersensitivities = 0;
  std::array<uint64_t, 3> substances_by_pattern{};  // per kSubstanceUsePatterns index
  int64_t benzodiazepine_diazepam_equivalent_ug_per_day = 0;
  int benzodiazepines_without_equivalent = 0;
  // SHA-256 (hex) of the canonical intake JSON: with the protocol digest it
  // fingerprints what a stored eligibility decision saw.
  std::string digest;
};

// Strictly reads an intake document; errors name the field ("medications[1].classes[0]").
Result<Intake> ReadIntake(const Json& document);
// Recomputes the derived facts from the recorded fields (ReadIntake calls it).
void DeriveIntakeFacts(Intake& intake);

}  // namespace ketachart
