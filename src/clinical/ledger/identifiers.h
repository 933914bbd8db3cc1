// Identifiers on controlled-substance records: the product's National Drug
// Code and a supplier's DEA registration number. Format checks only: they
// catch typing errors, they do not prove that the code or registration exists.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ketachart::ledger {

// A 10-digit NDC written with its hyphens in one of the three FDA segment
// layouts 4-4-2, 5-3-2 or 5-4-1, or the 11-digit HIPAA form 5-4-2 (with or
// without hyphens). Sources: HL7 Terminology "Using NDC with HL7 Standards"
// (https://build.fhir.org/ig/HL7/UTG/NDC.html: "1234-5678-90, 12345-6789-0,
// or 12345-678-90"); OHDSI "Converting NDC" for the 11-digit 5-4-2 form.
// Returns the canonical text (as entered, hyphenated) or nullopt.
std::optional<std::string> NormalizeNdc(std::string_view text);

// A DEA registration number: a letter (registrant type), a letter or '9'
// (business-address registrants), then seven digits; letters upper-cased.
// Only the format is checked: KetaChart's clinical reference (section G)
// documents no check-digit rule, so none is enforced.
std::optional<std::string> NormalizeDeaRegistration(std::string_view text);

}  // namespace ketachart::ledger
