// Scoring one completed response to a compiled instrument: range and
// skip-logic checks, the instrument's missing-item rule, total, subscales,
// band, cut-offs, symptom rules and safety alerts. The hot path of
// measurement-based care: pure, noexcept, no allocation; the outcome is a
// flat value the caller renders (score_report.h). Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "base/result.h"
#include "clinical/instruments/instrument.h"

namespace ketachart {

enum class ScoreProblem : uint8_t {
  kNone,
  kWrongAnswerCount,  // answers.size() is not an accepted count
  kOutOfRange,        // `item` holds a value outside its range
  kMissingItem,       // `item` is required (and asked) but has no value
  kNotAsked,          // `item` has a value but the skip logic did not ask it
  kTotalMismatch,     // clinician_total: entered total differs from the items' sum
};

struct ScoreOutcome {
  ScoreProblem problem = ScoreProblem::kNone;
  int8_t item = -1;  // the item the problem is about
  bool has_total = false;
  int16_t total = 0;
  int8_t band = -1;  // index into CompiledInstrument::bands, -1 when none applies
  uint8_t subscales_present = 0;  // bit per subscale with a value
  std::array<int16_t, kMaxInstrumentSubscales> subscales{};
  uint32_t cutoffs_met = 0;        // bit per cut-off
  uint32_t symptom_rules_met = 0;  // bit per symptom rule
  uint32_t alerts_raised = 0;      // bit per alert

  bool ok() const { return problem == ScoreProblem::kNone; }
};

// Scores `answers` (one slot per item in item order; kNotAnswered for none).
// A clinician_total instrument also accepts a single slot: the entered total.
void ScoreResponse(const CompiledInstrument& instrument, std::span<const int16_t> answers,
                   ScoreOutcome& outcome) noexcept;

// The problem of a failed outcome as kInvalidInput naming the item, e.g.
// field "answers[9]" "item 9: 4 is outside 0–3".
Error DescribeScoreProblem(const CompiledInstrument& instrument, const ScoreOutcome& outcome, size_t answer_count);

}  // namespace ketachart
