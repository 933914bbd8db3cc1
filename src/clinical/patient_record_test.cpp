// The patient's demographic record: what the clinic may store, how every
// rejected field is named for the form to highlight, and the name keys that
// make "smith jo" find "Smith, John".
#include "clinical/patient_record.h"

#include <gtest/gtest.h>

namespace ketachart {
namespace {

PatientRecordRules Rules() { return PatientRecordRules{"2026-03-10"}; }

Json Minimal() {
  return {{"family_name", "Okafor"}, {"given_names", "Adaeze"}, {"birth_date", "1984-03-09"}, {"sex", "female"}};
}

// The field named by the first error, or "<ok>" when the document is accepted.
std::string FirstErrorField(const Json& body, const PatientRecordRules& rules = Rules()) {
  auto result = ValidatePatientDocument(body, rules);
  if (result.ok()) return "<ok>";
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput) << result.error().message;
  return result.error().field;
}

TEST(PatientRecordTest, AcceptsTheMinimalDocument) {
  auto result = ValidatePatientDocument(Minimal(), Rules());
  ASSERT_TRUE(result.ok()) << result.error().field << ": " << result.error().message;
  Json expected = Minimal();
  expected["allergies"] = Json::array();
  expected["medications"] = Json::array();
  expected["diagnoses"] = Json::array();
  EXPECT_EQ(result.value(), expected);
}

TEST(PatientRecordTest, EveryMissingRequiredFieldIsNamed) {
  for (const char* field : {"family_name", "given_names", "birth_date", "sex"}) {
    SCOPED_TRACE(field);
    Json body = Minimal();
    body.erase(field);
    auto result = ValidatePatientDocument(body, Rules());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(result.error().field, field);
    EXPECT_EQ(result.error().message, "is required");

    body[field] = nullptr;  // null is the same as absent
    EXPECT_EQ(FirstErrorField(body), field);
  }
  Json blank = Minimal();
  blank["family_name"] = "   ";
  EXPECT_EQ(FirstErrorField(blank), "family_name");
}

TEST(PatientRecordTest, MrnIsRequiredOnlyWhenTheRulesSaySo) {
  PatientRecordRules update = Rules();
  update.mrn_required = true;
  EXPECT_EQ(FirstErrorField(Minimal(), update), "mrn");
  EXPECT_EQ(FirstErrorField(Minimal()), "<ok>");

  Json with_mrn = Minimal();
  with_mrn["mrn"] = "NRK-000042";
  EXPECT_EQ(FirstErrorField(with_mrn, update), "<ok>");
  for (const char* bad : {"-NRK1", "NRK 0001", "NRK_0001", "ÄBC"}) {
    SCOPED_TRACE(bad);
    with_mrn["mrn"] = bad;
    EXPECT_EQ(FirstErrorField(with_mrn), "mrn");
  }
}

TEST(PatientRecordTest, EveryFieldErrorNamesItsPath) {
  struct Case {
    const char* name;
    Json patch;  // merged into the minimal document
    const char* field;
  };
  const std::vector<Case> cases = {
      {"bad top-level phone", {{"phone", "call me"}}, "phone"},
      {"bad email", {{"email", "ada.example.org"}}, "email"},
      {"unknown sex", {{"sex", "f"}}, "sex"},
      {"impossible birth date", {{"birth_date", "1990-02-30"}}, "birth_date"},
      {"birth date not a string", {{"birth_date", 19900101}}, "birth_date"},
      {"emergency contact phone", {{"emergency_contact", {{"name", "Chidi Okafor"}, {"phone", "call me"}}}},
       "emergency_contact.phone"},
      {"emergency contact without name", {{"emergency_contact", {{"phone", "+1 555 0100"}}}},
       "emergency_contact.name"},
      {"emergency contact unknown field", {{"emergency_contact", {{"name", "Chidi"}, {"email", "c@example.org"}}}},
       "emergency_contact.email"},
      {"emergency contact not an object", {{"emergency_contact", "Chidi"}}, "emergency_contact"},
      {"referrer phone", {{"referring_provider", {{"name", "Dr. Cole"}, {"phone", "ext. 12"}}}},
       "referring_provider.phone"},
      {"referrer relationship is not a referrer field",
       {{"referring_provider", {{"name", "Dr. Cole"}, {"relationship", "psychiatrist"}}}},
       "referring_provider.relationship"},
      {"lower-case ICD-10 code", {{"diagnoses", {{{"icd10_code", "f43.10"}}}}}, "diagnoses[0].icd10_code"},
      {"second diagnosis bad", {{"diagnoses", {{{"icd10_code", "F43.10"}}, {{"icd10_code", "43.10"}}}}},
       "diagnoses[1].icd10_code"},
      {"diagnosis without code", {{"diagnoses", {{{"description", "PTSD"}}}}}, "diagnoses[0].icd10_code"},
      {"second allergy without substance",
       {{"allergies", {{{"substance", "penicillin"}}, {{"reaction", "rash"}}}}},
       "allergies[1].substance"},
      {"unknown allergy severity", {{"allergies", {{{"substance", "latex"}, {"severity", "deadly"}}}}},
       "allergies[0].severity"},
      {"allergy not an object", {{"allergies", {"penicillin"}}}, "allergies[0]"},
      {"allergies not a list", {{"allergies", "penicillin"}}, "allergies"},
      {"medication RxNorm code with letters",
       {{"medications", {{{"name", "sertraline 100 mg daily"}, {"rxnorm_code", "RX312940"}}}}},
       "medications[0].rxnorm_code"},
      {"medication unknown field", {{"medications", {{{"name", "sertraline"}, {"dose", "100 mg"}}}}},
       "medications[0].dose"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Json body = Minimal();
    body.merge_patch(c.patch);
    EXPECT_EQ(FirstErrorField(body), c.field);
  }
}

TEST(PatientRecordTest, ListsAreCapped) {
  Json body = Minimal();
  body["allergies"] = Json::array();
  for (int i = 0; i < 51; ++i) body["allergies"].push_back({{"substance", "substance " + std::to_string(i)}});
  EXPECT_EQ(FirstErrorField(body), "allergies");
  body["allergies"].erase(body["allergies"].size() - 1);
  EXPECT_EQ(FirstErrorField(body), "<ok>");
}

TEST(PatientRecordTest, BirthDateMayNotBeInTheFutureOrBefore1900) {
  Json body = Minimal();
  body["birth_date"] = "2026-03-11";  // tomorrow
  auto future = ValidatePatientDocument(body, Rules());
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().field, "birth_date");
  EXPECT_EQ(future.error().message, "must not be in the future");

  body["birth_date"] = "2026-03-10";  // born today
  EXPECT_EQ(FirstErrorField(body), "<ok>");

  body["birth_date"] = "1899-12-31";
  auto ancient = ValidatePatientDocument(body, Rules());
  ASSERT_FALSE(ancient.ok());
  EXPECT_EQ(ancient.error().field, "birth_date");
  EXPECT_EQ(ancient.error().message, "must be on or after 1900-01-01");

  body["birth_date"] = "1900-01-01";
  EXPECT_EQ(FirstErrorField(body), "<ok>");
}

TEST(PatientRecordTest, UnknownFieldsAreRejectedUnlessTheCallerReadsThem) {
  Json body = Minimal();
  body["nickname"] = "Ada";
  auto result = ValidatePatientDocument(body, Rules());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().field, "nickname");
  EXPECT_EQ(result.error().message, "is not a known field");

  Json update = Minimal();
  update["version"] = 3;
  update["change_reason"] = "typo";
  auto accepted = ValidatePatientDocument(update, Rules(), {"version", "change_reason"});
  ASSERT_TRUE(accepted.ok()) << accepted.error().field;
  EXPECT_FALSE(accepted.value().contains("version"));
  EXPECT_FALSE(accepted.value().contains("change_reason"));
}

TEST(PatientRecordTest, NonObjectBodyIsRejected) {
  auto result = ValidatePatientDocument(Json::array({Minimal()}), Rules());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(result.error().field, "");
}

TEST(PatientRecordTest, CanonicalDocumentIsTrimmedWithEmptyOptionalsOmitted) {
  Json body = {
      {"mrn", ""},
      {"family_name", "  Okafor "},
      {"given_names", "\tAdaeze Grace  "},
      {"birth_date", "1984-03-09"},
      {"sex", "female"},
      {"gender_identity", ""},
      {"pronouns", "   "},
      {"phone", " +1 (555) 010-0199 "},
      {"email", ""},
      {"address", nullptr},
      {"emergency_contact", {{"name", " Chidi Okafor "}, {"relationship", ""}, {"phone", "+1 555 0100"}}},
      {"referring_provider", {{"name", "Dr. Imani Cole"}, {"organization", " "}}},
      {"allergies",
       {{{"substance", " penicillin "}, {"reaction", "rash"}},
        {{"substance", "latex"}, {"severity", "severe"}, {"reaction", ""}}}},
      {"medications", {{{"name", "sertraline 100 mg daily"}, {"rxnorm_code", " 312940 "}}, {{"name", "prazosin"}}}},
      {"diagnoses", {{{"icd10_code", "F43.10"}, {"description", " PTSD, unspecified "}}}},
  };
  auto result = ValidatePatientDocument(body, Rules());
  ASSERT_TRUE(result.ok()) << result.error().field << ": " << result.error().message;
  const Json expected = {
      {"family_name", "Okafor"},
      {"given_names", "Adaeze Grace"},
      {"birth_date", "1984-03-09"},
      {"sex", "female"},
      {"phone", "+1 (555) 010-0199"},
      {"emergency_contact", {{"name", "Chidi Okafor"}, {"phone", "+1 555 0100"}}},
      {"referring_provider", {{"name", "Dr. Imani Cole"}}},
      {"allergies",
       {{{"substance", "penicillin"}, {"reaction", "rash"}, {"severity", "unknown"}},
        {{"substance", "latex"}, {"severity", "severe"}}}},
      {"medications", {{{"name", "sertraline 100 mg daily"}, {"rxnorm_code", "312940"}}, {{"name", "prazosin"}}}},
      {"diagnoses", {{{"icd10_code", "F43.10"}, {"description", "PTSD, unspecified"}}}},
  };
  EXPECT_EQ(result.value(), expected) << result.value().dump(2);
}

TEST(PatientRecordTest, Icd10CmShapeAcceptsRealCodes) {
  // PTSD unspecified / chronic, MDD single episode unspecified (letter 7th-position
  // style code F32.A), MDD recurrent unspecified, MDD single episode mild.
  for (const char* code : {"F43.10", "F43.12", "F32.A", "F33.9", "F32.0", "F32", "T40.7X1A", "Z91.19"}) {
    EXPECT_TRUE(LooksLikeIcd10CmCode(code)) << code;
  }
}

TEST(PatientRecordTest, Icd10CmShapeRejectsMalformedCodes) {
  for (const char* code : {"f43.10", "F4", "43.10", "F43.10000", "F43.", "F43-10", "F43 10", "FF3.1", " F43.10", ""}) {
    EXPECT_FALSE(LooksLikeIcd10CmCode(code)) << '"' << code << '"';
  }
}

TEST(PatientRecordTest, Icd10CmShapeAcceptsUCodesUsedInTheUs) {
  // US ICD-10-CM uses U07.1 (COVID-19) and U09.9 (post-COVID condition) as
  // billable codes, so the first letter may be any capital letter.
  EXPECT_TRUE(LooksLikeIcd10CmCode("U07.1"));
  EXPECT_TRUE(LooksLikeIcd10CmCode("U09.9"));
  EXPECT_TRUE(LooksLikeIcd10CmCode("T07"));
  EXPECT_TRUE(LooksLikeIcd10CmCode("V00.01XA"));
}

TEST(PatientRecordTest, NameKeysAreLowerCasedWithSeparatorsCollapsed) {
  EXPECT_EQ(NormaliseNameKey("  O'Brien ,  Siobhan "), "o'brien siobhan");
  EXPECT_EQ(NormaliseNameKey("SMITH,JOHN\tPaul\n"), "smith john paul");
  EXPECT_EQ(NormaliseNameKey(""), "");
  EXPECT_EQ(NormaliseNameKey(" , , "), "");
  // Accented Latin letters are lowered and unaccented, so staff can type
  // names without accents and still find the patient.
  EXPECT_EQ(NormaliseNameKey("MÜLLER, Zoë"), "muller zoe");
  EXPECT_EQ(NormaliseNameKey("Östberg Élodie"), "ostberg elodie");
  EXPECT_EQ(NormaliseNameKey("ŁUKASZ Weiß"), "lukasz weiss");
  EXPECT_EQ(NormaliseNameKey("Ærø"), "aero");
  // Cyrillic and Greek capitals are lowered.
  EXPECT_EQ(NormaliseNameKey("ЖУКОВ"), "жуков");
  EXPECT_EQ(NormaliseNameKey("ΆΝΝΑ"), "αννα");
  // Characters outside the table (CJK) pass through unchanged.
  EXPECT_EQ(NormaliseNameKey("山田 太郎"), "山田 太郎");
}

TEST(PatientRecordTest, FamilyFirstAndGivenFirstKeys) {
  EXPECT_EQ(FamilyFirstKey("  O'Brien ", "  Siobhan "), "o'brien siobhan");
  EXPECT_EQ(GivenFirstKey("  O'Brien ", "  Siobhan "), "siobhan o'brien");
  EXPECT_EQ(FamilyFirstKey("Smith", "John Paul"), "smith john paul");
  EXPECT_EQ(GivenFirstKey("Smith", "John Paul"), "john paul smith");
  EXPECT_EQ(FamilyFirstKey("van der Berg", "Anna"), "van der berg anna");
}

}  // namespace
}  // namespace ketachart
