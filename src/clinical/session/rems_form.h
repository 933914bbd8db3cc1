// The Spravato REMS Patient Monitoring Form (clinical-reference.md G): its
// fields, pre-filled from a session's facts, and its submission deadline
// (the protocol's `pmf_deadline`, 7 calendar days). Pre-filled answers are
// suggestions staff confirm or change before submitting; a field the
// session cannot answer stays empty and must be answered. The thresholds a
// suggestion uses come from the protocol and instrument data (SpO2 alarm
// level, MOAA/S maximum), never from constants here. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/json_input.h"

namespace ketachart {

struct RemsSessionFacts {
  // Concomitant medication classes from the intake.
  bool benzodiazepine = false, non_benzodiazepine_hypnotic = false, psychostimulant = false, maoi = false;
  std::optional<double> dose_mg;
  std::string lot_number;
  std::optional<int64_t> first_device_ms, ready_to_leave_ms, monitoring_end_ms;
  std::optional<bool> pre_dose_vitals_acceptable;  // the readiness checklist's baseline items
  std::optional<int> lowest_moaas;
  int moaas_max = 5;  // the instrument's highest score (fully alert)
  std::optional<int> highest_cadss;
  std::optional<int> lowest_spo2;
  std::optional<int> spo2_alarm_min;  // the protocol's spo2_min
  bool serious_adverse_event = false;
  bool any_adverse_event_recorded = false;
};

struct RemsFormField {
  std::string id;
  std::string label;
  Json value;           // null when the session cannot answer it
  std::string basis;    // what the suggestion came from ("" when not pre-filled)
};

std::vector<RemsFormField> PrefillRemsForm(const RemsSessionFacts& facts);

// The ids of fields still unanswered in `answers` (id -> value; null = unanswered).
std::vector<std::string> UnansweredRemsFields(const Json& answers);

// The due date: `session_date` ("YYYY-MM-DD") + `deadline_days`.
std::string RemsDueDate(const std::string& session_date, int deadline_days);

}  // namespace ketachart
