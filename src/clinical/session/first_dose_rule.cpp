// The esketamine day-1 dose rule (see first_dose_rule.h).
#include "clinical/session/first_dose_rule.h"

#include <charconv>
#include <cmath>

namespace ketachart {
namespace {

std::string Mg(double mg) {
  const double rounded = std::round(mg * 10) / 10;
  std::string text = std::to_string(rounded);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text + " mg";
}

std::optional<int> Number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

struct Date {
  int year, month, day;
};

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = Number(text.substr(0, 4));
  auto m = Number(text.substr(5, 2));
  auto d = Number(text.substr(8, 2));
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > 31) return std::nullopt;
  return Date{*y, *m, *d};
}

}  // namespace

std::optional<EsketamineIndication> ParseEsketamineIndication(std::string_view name) {
  if (name == "trd") return EsketamineIndication::kTreatmentResistant;
  if (name == "mdd_suicidal_ideation") return EsketamineIndication::kSuicidalIdeation;
  return std::nullopt;
}

std::string_view EsketamineIndicationName(EsketamineIndication indication) {
  return indication == EsketamineIndication::kSuicidalIdeation ? "mdd_suicidal_ideation" : "trd";
}

FirstDoseCheck CheckFirstDose(const FirstDoseRules& rules, int age_years, EsketamineIndication indication,
                              double dose_mg) {
  FirstDoseCheck check;
  const FirstDoseLimit* limit = nullptr;
  std::string patient;
  if (indication == EsketamineIndication::kSuicidalIdeation) {
    limit = &rules.suicidal_ideation;
    check.band = "MDD with acute suicidal ideation";
    patient = "for MDD with acute suicidal ideation";
  } else if (!rules.older_from_age) {
    // Without the age band the older-adult dose cannot be told apart: the
    // stricter dose applies until the clinic sets the age.
    limit = &rules.older;
    check.band = "older adult (age band not set)";
    patient = "while the protocol's older-adult age (age_older_adult) is not set";
    check.unconfirmed = true;
  } else if (age_years >= *rules.older_from_age) {
    limit = &rules.older;
    check.band = std::to_string(*rules.older_from_age) + " and over";
    patient = "for a patient aged " + std::to_string(age_years) + " (" + check.band + ")";
    check.unconfirmed = rules.older_from_age_unconfirmed;
  } else {
    // The under-65 dose is the one both sources agree on (Medscape, MIMS HK);
    // only the older-adult wording is unconfirmed for the US label.
    limit = &rules.younger;
    check.band = "under " + std::to_string(*rules.older_from_age);
    patient = "for a patient aged " + std::to_string(age_years) + " (" + check.band + ")";
  }
  check.rule_id = limit->quantity_id;
  check.limit_mg = limit->value_mg;
  check.unconfirmed = check.unconfirmed || limit->unconfirmed;
  const std::string note = " (" + limit->quantity_id + ", " + rules.protocol_name +
                           (check.unconfirmed ? "; unconfirmed: check the US label" : "") +
                           "); a prescriber may override with a reason";
  if (!limit->value_mg) {
    check.refusal = "the protocol's day-1 dose " + patient + " is not set" + note;
  } else if (dose_mg > *limit->value_mg + 1e-9) {
    check.refusal = Mg(dose_mg) + " is above the day-1 dose of " + Mg(*limit->value_mg) + " " + patient + note;
  }
  return check;
}

std::optional<int> AgeInYears(std::string_view birth_date, std::string_view on_date) {
  const auto birth = ParseDate(birth_date);
  const auto on = ParseDate(on_date);
  if (!birth || !on) return std::nullopt;
  int age = on->year - birth->year;
  if (on->month < birth->month || (on->month == birth->month && on->day < birth->day)) --age;
  if (age < 0) return std::nullopt;
  return age;
}

}  // namespace ketachart
