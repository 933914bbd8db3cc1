// The patient's demographic record as the clinic keeps it: validation of a
// submitted document into its canonical form, and the normalised name keys
// used for prefix search. Pure: no I/O, no clock (today's date is passed in).
#pragma once

#include <string>

#include "base/json_input.h"
#include "base/result.h"

namespace ketachart {

struct PatientRecordRules {
  std::string today;                  // "YYYY-MM-DD": birth dates may not be later
  std::string earliest_birth_date = "1900-01-01";
  bool mrn_required = false;          // false on create (the clinic's next MRN is used)
};

// Validates `body` (the fields documented in docs/api.md, plus any names in
// `extra_fields`, which the caller reads itself) and returns the canonical
// document: known fields only, strings trimmed, empty optional fields omitted.
// The first broken rule is kInvalidInput naming the field.
Result<Json> ValidatePatientDocument(const Json& body, const PatientRecordRules& rules,
                                     const std::vector<std::string>& extra_fields = {});

// "Smith", "John Paul" -> family-first key "smith john paul" and given-first
// key "john paul smith": letters lowered and unaccented (name_folding.h, so
// "Östberg" and "ostberg" match), runs of spaces and commas collapsed. Other
// bytes are kept as they are.
std::string NormaliseNameKey(std::string_view text);
std::string FamilyFirstKey(std::string_view family_name, std::string_view given_names);
std::string GivenFirstKey(std::string_view family_name, std::string_view given_names);

// True for a code shaped like ICD-10-CM: letter, digit, letter-or-digit,
// optionally '.' and 1-4 more letters or digits (e.g. F43.10, F32.A, F33.9).
bool LooksLikeIcd10CmCode(std::string_view code);

}  // namespace ketachart
