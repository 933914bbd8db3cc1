// Change between a baseline and a later total of the same instrument:
// response (≥ 50 % reduction), remission, clinically significant change, the
// Jacobson–Truax reliable change index and the point conventions the data
// file cites (NHS Talking Therapies reliable improvement, PCL-5 5/10 points).
// Only what the instrument's data file defines is reported. Pure.
#pragma once

#include <optional>

#include "clinical/instruments/instrument.h"

namespace ketachart {

struct ChangeAssessment {
  int baseline = 0;
  int current = 0;
  int improvement_points = 0;  // baseline − current (positive = better)
  // 100·(baseline − current)/baseline; absent when the baseline is 0.
  std::optional<double> percent_reduction;
  std::optional<bool> response;                 // ≥ response_percent_reduction
  std::optional<bool> remission;                // current ≤ remission_at_most
  std::optional<bool> clinically_significant;   // current ≤ post_at_most and ≥ percent
  std::optional<bool> reliable_improvement;     // improvement ≥ reliable_improvement_points
  std::optional<bool> response_points_met;      // improvement ≥ response_points
  std::optional<bool> clinically_meaningful;    // improvement ≥ clinically_meaningful_points
  // Jacobson–Truax: RC = (X₂ − X₁)/S_diff; reliable when |RC| > z.
  std::optional<double> reliable_change_index;
  std::optional<double> reliable_change_threshold_points;  // z·S_diff
  // "improved", "deteriorated" or "no_reliable_change" (with the RCI).
  const char* reliable_change = nullptr;
};

// Compares two totals; absent fields are rules the instrument does not define.
ChangeAssessment AssessChange(const CompiledInstrument& instrument, int baseline_total, int current_total);

}  // namespace ketachart
