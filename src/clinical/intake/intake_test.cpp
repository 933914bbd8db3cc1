// The intake reader: a full intake reads into exact units and derived facts;
// bad input names the field and the rule.
#include "clinical/intake/intake.h"

#include <gtest/gtest.h>

#include "clinical/intake/intake_vocabulary.h"

namespace ketachart {
namespace {

Json FullIntake() {
  return Json::parse(R"({
    "age_years": 52, "weight_kg": 81.35,
    "conditions": ["hypertension", "raised_intraocular_pressure"],
    "medical_history_notes": "treated hypertension since 2019",
    "psychiatric_history_notes": "recurrent depression, three antidepressant trials",
    "substance_use": [{"substance": "alcohol", "pattern": "current", "notes": "two units a week"}],
    "medications": [
      {"name": "Diazepam", "rxnorm": "3322", "daily_dose_mg": 5, "classes": ["benzodiazepine"], "diazepam_equivalent_mg_per_day": 5},
      {"name": "Clonazepam", "daily_dose_mg": 0.5, "classes": ["benzodiazepine"], "diazepam_equivalent_mg_per_day": 10},
      {"name": "Lorazepam", "classes": ["benzodiazepine"]},
      {"name": "Phenelzine", "classes": ["maoi"]}
    ],
    "allergies": [{"substance": "Ketalar", "reaction": "rash", "category": "ketamine"}],
    "vitals": {"systolic_mmhg": 150, "diastolic_mmhg": 95, "heart_rate_bpm": 72, "spo2_percent": 97, "respiratory_rate_per_min": 14},
    "goals": "return to work", "referring_provider": "Dr. A. Mensah"
  })");
}

std::string ErrorField(const Json& document) {
  auto result = ReadIntake(document);
  return result.ok() ? "<ok>" : result.error().field;
}

uint64_t Bit(std::span<const std::string_view> vocabulary, std::string_view word) {
  return VocabularyBit(*VocabularyIndex(vocabulary, word));
}

TEST(IntakeTest, ReadsAFullIntakeInExactUnits) {
  auto intake = ReadIntake(FullIntake());
  ASSERT_TRUE(intake.ok()) << intake.error().field << ": " << intake.error().message;
  EXPECT_EQ(*intake->age_years, 52);
  EXPECT_EQ(*intake->weight_g, 81350);
  EXPECT_EQ(intake->conditions, Bit(kIntakeConditions, "hypertension") |
                                    Bit(kIntakeConditions, "raised_intraocular_pressure"));
  ASSERT_EQ(intake->medications.size(), 4u);
  EXPECT_EQ(intake->medications[0].rxnorm, "3322");
  EXPECT_EQ(*intake->medications[1].daily_dose_ug, 500);
  EXPECT_EQ(*intake->vitals.systolic_mmhg, 150);
  EXPECT_EQ(intake->referring_provider, "Dr. A. Mensah");
  EXPECT_EQ(intake->digest.size(), 64u);
}

TEST(IntakeTest, DerivesTheFactsTheEngineCompares) {
  auto intake = ReadIntake(FullIntake());
  ASSERT_TRUE(intake.ok());
  EXPECT_EQ(intake->medication_classes,
            Bit(kMedicationClasses, "benzodiazepine") | Bit(kMedicationClasses, "maoi"));
  EXPECT_EQ(intake->benzodiazepine_diazepam_equivalent_ug_per_day, 15000);
  EXPECT_EQ(intake->benzodiazepines_without_equivalent, 1);
  EXPECT_EQ(intake->hypersensitivities, Bit(kHypersensitivityCategories, "ketamine"));
  EXPECT_EQ(intake->substances_by_pattern[1], Bit(kSubstances, "alcohol"));
  EXPECT_EQ(intake->substances_by_pattern[0], 0u);
}

TEST(IntakeTest, AnEmptyIntakeIsValid) {
  auto intake = ReadIntake(Json::object());
  ASSERT_TRUE(intake.ok());
  EXPECT_FALSE(intake->weight_g);
  EXPECT_EQ(intake->conditions, 0u);
}

TEST(IntakeTest, DigestIgnoresKeyOrderButNotContent) {
  auto a = ReadIntake(Json::parse(R"({"age_years": 40, "weight_kg": 70})"));
  auto b = ReadIntake(Json::parse(R"({"weight_kg": 70, "age_years": 40})"));
  auto c = ReadIntake(Json::parse(R"({"weight_kg": 71, "age_years": 40})"));
  EXPECT_EQ(a->digest, b->digest);
  EXPECT_NE(a->digest, c->digest);
}

TEST(IntakeTest, BadInputNamesTheField) {
  Json document = FullIntake();
  document["conditions"][1] = "glaucoma";
  EXPECT_EQ(ErrorField(document), "conditions[1]");
  document = FullIntake();
  document["conditions"][1] = "hypertension";
  EXPECT_EQ(ErrorField(document), "conditions[1]");  // listed twice
  document = FullIntake();
  document["medications"][3]["classes"][0] = "ssri";
  EXPECT_EQ(ErrorField(document), "medications[3].classes[0]");
  document = FullIntake();
  document["medications"][3]["diazepam_equivalent_mg_per_day"] = 5;
  EXPECT_EQ(ErrorField(document), "medications[3].diazepam_equivalent_mg_per_day");
  document = FullIntake();
  document["medications"][0]["rxnorm"] = "RX-1";
  EXPECT_EQ(ErrorField(document), "medications[0].rxnorm");
  document = FullIntake();
  document["medications"][0].erase("name");
  EXPECT_EQ(ErrorField(document), "medications[0].name");
  document = FullIntake();
  document["vitals"]["systolic_mmhg"] = 150.5;
  EXPECT_EQ(ErrorField(document), "vitals.systolic_mmhg");
  document = FullIntake();
  document["vitals"].erase("diastolic_mmhg");
  EXPECT_EQ(ErrorField(document), "vitals.diastolic_mmhg");
  document = FullIntake();
  document["vitals"]["diastolic_mmhg"] = 160;
  EXPECT_EQ(ErrorField(document), "vitals.diastolic_mmhg");
  document = FullIntake();
  document["weight_kg"] = -3;
  EXPECT_EQ(ErrorField(document), "weight_kg");
  document = FullIntake();
  document["allergies"][0]["category"] = "penicillin";
  EXPECT_EQ(ErrorField(document), "allergies[0].category");
  document = FullIntake();
  document["substance_use"][0]["pattern"] = "weekends";
  EXPECT_EQ(ErrorField(document), "substance_use[0].pattern");
  document = FullIntake();
  document["smoker"] = true;
  EXPECT_EQ(ErrorField(document), "smoker");
  EXPECT_EQ(ErrorField(Json::array()), "");
}

}  // namespace
}  // namespace ketachart
