// The coded words an intake and a protocol's eligibility rules share: history
// conditions, medication classes, hypersensitivity categories, substances and
// patterns of use, and intake fields a rule may require. Each list is a fixed
// vocabulary (an index is a bit in a 64-bit mask, so evaluation compares masks
// instead of strings). Adding a word here is a schema change: protocols and
// intakes written against the old list stay valid. Immutable; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ketachart {

// Conditions named in clinical-reference.md C3 (Spravato contraindications and
// warnings, Ketalar contraindications and warnings, the Oxford Health NHS list)
// and G (history of hypertension predicts BP surges, Yale 2024).
inline constexpr std::array<std::string_view, 27> kIntakeConditions = {
    "psychosis_current_or_recent",
    "psychosis_history",
    "mania_history",
    "mania_drug_induced",
    "cardiovascular_disease",
    "cerebrovascular_disease",
    "hypertension",
    "severe_hypertension",
    "hypertensive_encephalopathy",
    "aneurysmal_vascular_disease",
    "arteriovenous_malformation",
    "intracerebral_haemorrhage_history",
    "raised_intracranial_pressure",
    "raised_intraocular_pressure",
    "epilepsy_recent",
    "hepatic_impairment_moderate",
    "hepatic_impairment_severe",
    "pregnancy",
    "breastfeeding",
    "ivf_treatment",
    "ulcerative_or_interstitial_cystitis",
    "bp_elevation_serious_hazard",
    "haemodynamic_instability",
    "substance_use_disorder",
    "bipolar_disorder",
    "sleep_apnoea",
    "other",
};

// Medication classes named in clinical-reference.md C4 (and G: nasal products
// before Spravato). The clinician assigns classes to each medication.
inline constexpr std::array<std::string_view, 14> kMedicationClasses = {
    "benzodiazepine",
    "opioid",
    "non_benzodiazepine_hypnotic",
    "other_cns_depressant",
    "psychostimulant",
    "maoi",
    "lamotrigine",
    "cyp2b6_inhibitor",
    "cyp2b6_inducer",
    "cyp3a4_inhibitor",
    "cyp3a4_inducer",
    "theophylline_or_aminophylline",
    "nasal_corticosteroid_or_decongestant",
    "antihypertensive",
};

// What an allergy is to, as far as the C3 hypersensitivity contraindications care.
inline constexpr std::array<std::string_view, 4> kHypersensitivityCategories = {
    "ketamine", "esketamine", "spravato_excipient", "other"};

inline constexpr std::array<std::string_view, 7> kSubstances = {
    "alcohol", "cannabis", "stimulants", "opioids", "sedatives", "ketamine", "other"};

// "cannot_abstain_24h": the Oxford Health NHS list (C3) names inability to
// abstain from alcohol for 24 h.
inline constexpr std::array<std::string_view, 3> kSubstanceUsePatterns = {"history", "current",
                                                                          "cannot_abstain_24h"};

inline constexpr std::array<std::string_view, 5> kIntakeFields = {
    "weight", "baseline_blood_pressure", "baseline_heart_rate", "baseline_spo2", "age"};

enum class IntakeField : uint8_t {
  kWeight,
  kBaselineBloodPressure,
  kBaselineHeartRate,
  kBaselineSpo2,
  kAge,
};

// Index of `word` in `vocabulary`, or nullopt.
inline std::optional<unsigned> VocabularyIndex(std::span<const std::string_view> vocabulary,
                                               std::string_view word) {
  for (unsigned i = 0; i < vocabulary.size(); ++i) {
    if (vocabulary[i] == word) return i;
  }
  return std::nullopt;
}

inline constexpr uint64_t VocabularyBit(unsigned index) { return uint64_t{1} << index; }

static_assert(kIntakeConditions.size() <= 64 && kMedicationClasses.size() <= 64);

}  // namespace ketachart
