// Strict intake reading (see intake.h).
#include "clinical/intake/intake.h"

#include <fmt/format.h>

#include <cmath>

#include "base/crypto.h"
#include "clinical/intake/intake_vocabulary.h"

namespace ketachart {
namespace {

constexpr StringRule kNotes{0, 4000};
constexpr size_t kMaxEntries = 100;

std::vector<std::string> Words(std::span<const std::string_view> vocabulary) {
  return std::vector<std::string>(vocabulary.begin(), vocabulary.end());
}

std::string Indexed(const std::string& path, size_t index) {
  return fmt::format("{}[{}]", path, index);
}

// Reads an array of vocabulary words into a mask; duplicates are refused.
Status ReadWordMask(const Json* value, const std::string& path,
                    std::span<const std::string_view> vocabulary, uint64_t& mask) {
  if (!value) return Status::Ok();
  for (size_t i = 0; i < value->size(); ++i) {
    const Json& word = (*value)[i];
    std::optional<unsigned> index;
    if (word.is_string()) index = VocabularyIndex(vocabulary, word.get_ref<const std::string&>());
    if (!index) {
      return InvalidInput(Indexed(path, i),
                          fmt::format("must be one of: {}", fmt::join(Words(vocabulary), ", ")));
    }
    if (mask & VocabularyBit(*index)) return InvalidInput(Indexed(path, i), "is listed twice");
    mask |= VocabularyBit(*index);
  }
  return Status::Ok();
}

unsigned IndexOf(std::span<const std::string_view> vocabulary, const std::string& word) {
  return *VocabularyIndex(vocabulary, word);  // the reader already checked the enum
}

std::optional<int64_t> Milli(std::optional<double> value) {
  if (!value) return std::nullopt;
  return std::llround(*value * 1000.0);
}

Status ReadMedication(const Json& value, const std::string& path, IntakeMedication& out) {
  JsonObjectReader reader(value, path);
  auto name = reader.RequiredString("name", {1, 200});
  auto rxnorm = reader.OptionalString("rxnorm", {0, 12});
  auto dose = reader.OptionalNumber("daily_dose_mg", 0, 100'000);
  const Json* classes = reader.OptionalArray("classes", kMedicationClasses.size());
  auto equivalent = reader.OptionalNumber("diazepam_equivalent_mg_per_day", 0, 10'000);
  KC_RETURN_IF_ERROR(reader.Finish());
  out.name = *name;
  out.rxnorm = rxnorm.value_or("");
  for (char c : out.rxnorm) {
    if (c < '0' || c > '9')
      return InvalidInput(path + ".rxnorm", "must be an RxNorm concept id (digits only)");
  }
  out.daily_dose_ug = Milli(dose);
  out.diazepam_equivalent_ug_per_day = Milli(equivalent);
  KC_RETURN_IF_ERROR(ReadWordMask(classes, path + ".classes", kMedicationClasses, out.classes));
  const uint64_t benzodiazepine = VocabularyBit(IndexOf(kMedicationClasses, "benzodiazepine"));
  if (out.diazepam_equivalent_ug_per_day && !(out.classes & benzodiazepine)) {
    return InvalidInput(path + ".diazepam_equivalent_mg_per_day",
                        "is only recorded for a benzodiazepine");
  }
  return Status::Ok();
}

Status ReadVitals(const Json& value, IntakeVitals& out) {
  JsonObjectReader reader(value, "vitals");
  auto to_int = [](std::optional<int64_t> v) {
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
  };
  out.systolic_mmhg = to_int(reader.OptionalInteger("systolic_mmhg", 40, 300));
  out.diastolic_mmhg = to_int(reader.OptionalInteger("diastolic_mmhg", 20, 200));
  out.heart_rate_bpm = to_int(reader.OptionalInteger("heart_rate_bpm", 20, 250));
  out.spo2_percent = to_int(reader.OptionalInteger("spo2_percent", 50, 100));
  out.respiratory_rate_per_min = to_int(reader.OptionalInteger("respiratory_rate_per_min", 2, 80));
  KC_RETURN_IF_ERROR(reader.Finish());
  if (out.systolic_mmhg.has_value() != out.diastolic_mmhg.has_value()) {
    return InvalidInput(out.systolic_mmhg ? "vitals.diastolic_mmhg" : "vitals.systolic_mmhg",
                        "is required with the other blood-pressure value");
  }
  if (out.systolic_mmhg && *out.diastolic_mmhg >= *out.systolic_mmhg) {
    return InvalidInput("vitals.diastolic_mmhg", "must be below the systolic pressure");
  }
  return Status::Ok();
}

}  // namespace

void DeriveIntakeFacts(Intake& intake) {
  const uint64_t benzodiazepine = VocabularyBit(IndexOf(kMedicationClasses, "benzodiazepine"));
  intake.medication_classes = 0;
  intake.benzodiazepine_diazepam_equivalent_ug_per_day = 0;
  intake.benzodiazepines_without_equivalent = 0;
  for (const auto& medication : intake.medications) {
    intake.medication_classes |= medication.classes;
    if (medication.classes & benzodiazepine) {
      if (medication.diazepam_equivalent_ug_per_day) {
        intake.benzodiazepine_diazepam_equivalent_ug_per_day +=
            *medication.diazepam_equivalent_ug_per_day;
      } else {
        ++intake.benzodiazepines_without_equivalent;
      }
    }
  }
  intake.hypersensitivities = 0;
  for (const auto& allergy : intake.allergies)
    intake.hypersensitivities |= VocabularyBit(allergy.category);
  intake.substances_by_pattern = {};
  for (const auto& use : intake.substance_use) {
    intake.substances_by_pattern[use.pattern] |= VocabularyBit(use.substance);
  }
}

Result<Intake> ReadIntake(const Json& document) {
  Intake intake;
  JsonObjectReader reader(document);
  auto age = reader.OptionalInteger("age_years", 0, 130);
  auto weight = reader.OptionalNumber("weight_kg", 0.5, 700);
  const Json* conditions = reader.OptionalArray("conditions", kIntakeConditions.size());
  auto medical_notes = reader.OptionalString("medical_history_notes", kNotes);
  auto psychiatric_notes = reader.OptionalString("psychiatric_history_notes", kNotes);
  const Json* substance_use = reader.OptionalArray("substance_use", kMaxEntries);
  const Json* medications = reader.OptionalArray("medications", kMaxEntries);
  const Json* allergies = reader.OptionalArray("allergies", kMaxEntries);
  const Json* vitals = reader.OptionalObject("vitals");
  auto goals = reader.OptionalString("goals", kNotes);
  auto referring = reader.OptionalString("referring_provider", {0, 300});
  KC_RETURN_IF_ERROR(reader.Finish());

  if (age) intake.age_years = static_cast<int>(*age);
  if (weight) intake.weight_g = std::llround(*weight * 1000.0);
  KC_RETURN_IF_ERROR(ReadWordMask(conditions, "conditions", kIntakeConditions, intake.conditions));
  intake.medical_history_notes = medical_notes.value_or("");
  intake.psychiatric_history_notes = psychiatric_notes.value_or("");
  intake.goals = goals.value_or("");
  intake.referring_provider = referring.value_or("");

  if (substance_use) {
    for (size_t i = 0; i < substance_use->size(); ++i) {
      const std::string path = Indexed("substance_use", i);
      JsonObjectReader entry((*substance_use)[i], path);
      auto substance = entry.RequiredEnum("substance", Words(kSubstances));
      auto pattern = entry.RequiredEnum("pattern", Words(kSubstanceUsePatterns));
      auto notes = entry.OptionalString("notes", kNotes);
      KC_RETURN_IF_ERROR(entry.Finish());
      intake.substance_use.push_back({IndexOf(kSubstances, *substance),
                                      IndexOf(kSubstanceUsePatterns, *pattern),
                                      notes.value_or("")});
    }
  }
  if (medications) {
    for (size_t i = 0; i < medications->size(); ++i) {
      IntakeMedication medication;
      KC_RETURN_IF_ERROR(ReadMedication((*medications)[i], Indexed("medications", i), medication));
      intake.medications.push_back(std::move(medication));
    }
  }
  if (allergies) {
    for (size_t i = 0; i < allergies->size(); ++i) {
      const std::string path = Indexed("allergies", i);
      JsonObjectReader entry((*allergies)[i], path);
      auto substance = entry.RequiredString("substance", {1, 200});
      auto reaction = entry.OptionalString("reaction", {0, 500});
      auto category = entry.RequiredEnum("category", Words(kHypersensitivityCategories));
      KC_RETURN_IF_ERROR(entry.Finish());
      intake.allergies.push_back(
          {*substance, reaction.value_or(""), IndexOf(kHypersensitivityCategories, *category)});
    }
  }
  if (vitals) KC_RETURN_IF_ERROR(ReadVitals(*vitals, intake.vitals));
  DeriveIntakeFacts(intake);
  intake.digest = Sha256Hex(document.dump());
  return intake;
}

}  // namespace ketachart
