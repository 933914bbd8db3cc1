// The scored response as the CLI and the API print it:
// {"instrument","title","version","total","total_range","band","band_display",
//  "subscales":{…},"cutoffs":{…},"symptom_rules":{…},"alerts":[…],"change":{…}},
// and the comma-separated answer list the CLI reads ("2,1,,0": empty = no answer).
// Pure; not on the scoring hot path.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "base/json_input.h"
#include "base/result.h"
#include "clinical/instruments/instrument.h"
#include "clinical/instruments/instrument_change.h"
#include "clinical/instruments/instrument_scoring.h"

namespace ketachart {

// "3,1,,0" -> {3, 1, kNotAnswered, 0}. Values must be whole numbers within ±1000.
Result<std::vector<int16_t>> ParseAnswerList(std::string_view text);

Json ScoreReportJson(const CompiledInstrument& instrument, const ScoreOutcome& outcome,
                     const std::optional<ChangeAssessment>& change);

// The "change" object of a report: baseline, current, percent reduction and
// each change rule the instrument defines.
Json ChangeJson(const ChangeAssessment& change);

// Scores `answers` and, with a baseline total, assesses change; bad answers
// or a baseline outside the total range are kInvalidInput naming the field.
Result<Json> ScoreAnswers(const CompiledInstrument& instrument, const std::vector<int16_t>& answers,
                          std::optional<int> baseline_total);

// One line per instrument for `ketachart measure list` and the API.
Json InstrumentSummaryJson(const CompiledInstrument& instrument);

}  // namespace ketachart
