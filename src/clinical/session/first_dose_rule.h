// The esketamine day-1 dose rule, pure: the first dose of a course may not be
// above the protocol's day-1 dose for the patient's age band (Spravato TRD:
// 56 mg under 65, 28 mg at 65 and over; MDD with acute suicidal ideation:
// 84 mg), unless a prescriber overrides it with a reason. The numbers come
// from the protocol version (data/protocols/intranasal-esketamine.json, each
// cited there, the age-65 values flagged unconfirmed: clinical-reference.md B
// says to check the US label); nothing clinical is a constant here.
// No I/O, no clock. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ketachart {

// One cited day-1 dose from the protocol (value absent: the clinic must set it).
struct FirstDoseLimit {
  std::string quantity_id;  // e.g. "first_dose_65_and_over"
  std::optional<double> value_mg;
  bool unconfirmed = false;
};

struct FirstDoseRules {
  std::string protocol_name;          // "Intranasal esketamine (Spravato) v2"
  FirstDoseLimit younger;             // first_dose_under_65
  FirstDoseLimit older;               // first_dose_65_and_over
  std::optional<int> older_from_age;  // age_older_adult
  bool older_from_age_unconfirmed = false;
  FirstDoseLimit suicidal_ideation;   // mdsi_dose
};

enum class EsketamineIndication : uint8_t { kTreatmentResistant, kSuicidalIdeation };
std::optional<EsketamineIndication> ParseEsketamineIndication(std::string_view name);  // "trd", "mdd_suicidal_ideation"
std::string_view EsketamineIndicationName(EsketamineIndication indication);

// The rule that applies and what it says about a dose.
struct FirstDoseCheck {
  std::string rule_id;             // the quantity applied, e.g. "first_dose_under_65"
  std::string band;                // "under 65", "65 and over", "MDD with acute suicidal ideation"
  std::optional<double> limit_mg;  // absent: not set by the clinic
  bool unconfirmed = false;        // the limit or the age band is flagged unconfirmed
  std::optional<std::string> refusal;  // why the dose is refused, naming the rule
};

// The check for the first dose of a course; `age_years` on the session date.
FirstDoseCheck CheckFirstDose(const FirstDoseRules& rules, int age_years, EsketamineIndication indication,
                              double dose_mg);

// Whole years from `birth_date` to `on_date` (both "YYYY-MM-DD"), or nullopt
// when either is malformed or the birth is after the date.
std::optional<int> AgeInYears(std::string_view birth_date, std::string_view on_date);

}  // namespace ketachart
