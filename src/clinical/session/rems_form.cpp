// The REMS Patient Monitoring Form's pre-fill and deadline (see rems_form.h).
#include "clinical/session/rems_form.h"

#include <fmt/format.h>

#include "base/clock.h"

namespace ketachart {
namespace {

// The form's fields in order (the PMF sections, clinical-reference.md G).
const std::vector<std::pair<std::string, std::string>>& Fields() {
  static const std::vector<std::pair<std::string, std::string>> fields = {
      {"concomitant_benzodiazepines", "Concomitant benzodiazepines"},
      {"concomitant_non_benzodiazepine_hypnotics", "Concomitant non-benzodiazepine hypnotics"},
      {"concomitant_psychostimulants", "Concomitant psychostimulants"},
      {"concomitant_maois", "Concomitant MAOIs"},
      {"dose", "Dose (56 mg, 84 mg or other)"},
      {"lot_number", "Lot number"},
      {"total_minutes", "Total minutes from the first device to the end of monitoring"},
      {"ready_to_leave_minutes", "When would the patient have been ready to leave (minutes after the first device)"},
      {"vitals_acceptable_before_dosing", "Vital signs acceptable before dosing"},
      {"vitals_acceptable_at_completion", "Vital signs acceptable at completion of monitoring"},
      {"sedation", "Sedation"},
      {"dissociation", "Dissociation"},
      {"respiratory_depression", "Respiratory depression"},
      {"serious_adverse_events", "Serious adverse events"},
  };
  return fields;
}

}  // namespace

std::vector<RemsFormField> PrefillRemsForm(const RemsSessionFacts& f) {
  std::vector<RemsFormField> out;
  for (const auto& [id, label] : Fields()) out.push_back({id, label, nullptr, ""});
  auto set = [&](const std::string& id, Json value, std::string basis) {
    for (auto& field : out) {
      if (field.id == id) {
        field.value = std::move(value);
        field.basis = std::move(basis);
      }
    }
  };
  const std::string intake = "the intake's current medications";
  set("concomitant_benzodiazepines", f.benzodiazepine, intake);
  set("concomitant_non_benzodiazepine_hypnotics", f.non_benzodiazepine_hypnotic, intake);
  set("concomitant_psychostimulants", f.psychostimulant, intake);
  set("concomitant_maois", f.maoi, intake);
  if (f.dose_mg) {
    const bool standard = *f.dose_mg == 56 || *f.dose_mg == 84;
    set("dose", Json(standard ? fmt::format("{:g} mg", *f.dose_mg) : fmt::format("other: {:g} mg", *f.dose_mg)),
        "the dose order");
  }
  if (!f.lot_number.empty()) set("lot_number", f.lot_number, "the controlled-substance ledger entry");
  if (f.first_device_ms && f.monitoring_end_ms) {
    set("total_minutes", (*f.monitoring_end_ms - *f.first_device_ms) / 60'000, "start and discharge times");
  }
  if (f.first_device_ms && f.ready_to_leave_ms) {
    set("ready_to_leave_minutes", (*f.ready_to_leave_ms - *f.first_device_ms) / 60'000,
        "the time it was ready for discharge");
  }
  if (f.pre_dose_vitals_acceptable) {
    set("vitals_acceptable_before_dosing", *f.pre_dose_vitals_acceptable,
        "the readiness checklist's baseline vital signs");
  }
  if (f.lowest_moaas) {
    set("sedation", *f.lowest_moaas < f.moaas_max, "the lowest MOAA/S score recorded (below the maximum: sedated)");
  }
  if (f.highest_cadss) set("dissociation", *f.highest_cadss > 0, "the highest CADSS total recorded");
  if (f.lowest_spo2 && f.spo2_alarm_min) {
    set("respiratory_depression", *f.lowest_spo2 <= *f.spo2_alarm_min,
        "the lowest SpO2 recorded against the protocol's spo2_min");
  }
  if (f.any_adverse_event_recorded || f.first_device_ms) {
    set("serious_adverse_events", f.serious_adverse_event,
        "adverse events recorded on the session (severe or life-threatening)");
  }
  return out;
}

std::vector<std::string> UnansweredRemsFields(const Json& answers) {
  std::vector<std::string> open;
  for (const auto& [id, label] : Fields()) {
    const auto it = answers.find(id);
    if (it == answers.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())) open.push_back(id);
  }
  return open;
}

std::string RemsDueDate(const std::string& session_date, int deadline_days) {
  const auto days = DateToDays(session_date);
  return days ? DateFromDays(*days + deadline_days) : session_date;
}

}  // namespace ketachart
