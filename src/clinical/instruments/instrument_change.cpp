// Change rules over two totals; see instrument_change.h. Percentages are
// compared in integers (100·Δ ≥ p·baseline) so an exact 50 % reduction counts
// as a response without floating-point doubt.
#include "clinical/instruments/instrument_change.h"

#include <cmath>

namespace ketachart {

ChangeAssessment AssessChange(const CompiledInstrument& c, int baseline, int current) {
  ChangeAssessment a;
  a.baseline = baseline;
  a.current = current;
  a.improvement_points = baseline - current;
  const ChangeRules& rules = c.change;
  if (!rules.defined) return a;
  const int delta = baseline - current;
  if (baseline > 0) a.percent_reduction = 100.0 * delta / baseline;
  // A ≥ p % reduction needs a positive baseline: from 0 nothing can fall.
  auto reduced_by = [&](int percent) { return baseline > 0 && 100 * delta >= percent * baseline; };
  if (rules.response_percent_reduction) a.response = reduced_by(*rules.response_percent_reduction);
  if (rules.remission_at_most) a.remission = current <= *rules.remission_at_most;
  if (rules.clinically_significant_post_at_most) {
    a.clinically_significant =
        current <= *rules.clinically_significant_post_at_most && reduced_by(*rules.clinically_significant_percent);
  }
  if (rules.reliable_improvement_points) a.reliable_improvement = delta >= *rules.reliable_improvement_points;
  if (rules.response_points) a.response_points_met = delta >= *rules.response_points;
  if (rules.clinically_meaningful_points) a.clinically_meaningful = delta >= *rules.clinically_meaningful_points;
  if (rules.reliable_change) {
    const ReliableChangeConstants& k = *rules.reliable_change;
    const double rc = (current - baseline) / k.s_diff;
    a.reliable_change_index = rc;
    a.reliable_change_threshold_points = k.z * k.s_diff;
    a.reliable_change = std::fabs(rc) <= k.z ? "no_reliable_change" : (rc < 0 ? "improved" : "deteriorated");
  }
  return a;
}

}  // namespace ketachart
