// Writing one scored measure into the chart, shared by staff entry
// (MeasureService) and patient self-report links (SelfReportService): the
// measure row, one alert row per raised alert (the instrument's and the
// clinic's own rules, clinic_alert_rule_service.h) and their audit events, all in
// the caller's transaction so an alert can never be lost. Not thread-safe
// beyond the transaction it is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/json_input.h"
#include "base/result.h"
#include "clinical/instruments/instrument_scoring.h"
#include "services/actor.h"
#include "store/database.h"

namespace ketachart {

struct ScoredMeasure {
  // The instrument as the clinic scores it (InstrumentInForce(),
  // instrument_settings_service.h), with `outcome` scored by it.
  const CompiledInstrument& instrument;
  const std::vector<int16_t>& answers;  // item order, kNotAnswered for none
  const ScoreOutcome& outcome;          // a successful ScoreResponse of `answers`
  std::string administered_at;          // timestamp text
  std::string note;
  // The clinic_instrument_settings row `instrument` carries; none: the data file's defaults.
  std::optional<int64_t> instrument_settings_id;
};

// Stores the measure for `patient_id` in `actor.clinic_id` (the caller has
// checked the patient belongs there), audited as `actor`, with `recorded_by`
// the staff member answerable for it. Returns the measure with its alerts.
Result<Json> StoreScoredMeasure(Transaction& txn, const Actor& actor, int64_t recorded_by, int64_t patient_id,
                                const ScoredMeasure& measure, TimePoint now);

}  // namespace ketachart
