// Booster signals from a trajectory (see booster_suggestion.h).
#include "clinical/course/booster_suggestion.h"

#include <fmt/format.h>

#include "clinical/instruments/instrument_change.h"

namespace ketachart {

std::vector<BoosterSignal> BoosterSignals(const CompiledInstrument& instrument, const std::vector<TotalAt>& totals) {
  std::vector<BoosterSignal> signals;
  if (totals.size() < 2 || !instrument.change.defined) return signals;
  const TotalAt& baseline = totals.front();
  const TotalAt& latest = totals.back();
  bool responded = false;
  int nadir = baseline.total;
  std::string nadir_at = baseline.at;
  for (size_t i = 1; i + 1 < totals.size(); ++i) {
    const ChangeAssessment change = AssessChange(instrument, baseline.total, totals[i].total);
    responded = responded || change.response.value_or(false);
    if (totals[i].total < nadir) {
      nadir = totals[i].total;
      nadir_at = totals[i].at;
    }
  }
  const ChangeAssessment now = AssessChange(instrument, baseline.total, latest.total);
  if (responded && now.response.has_value() && !*now.response) {
    signals.push_back({instrument.key, "loss_of_response",
                       fmt::format("{} {} on {}: response lost (baseline {}; {:.0f}% reduction now, response needs "
                                   "≥{}%)",
                                   instrument.title, latest.total, latest.at.substr(0, 10), baseline.total,
                                   now.percent_reduction.value_or(0),
                                   instrument.change.response_percent_reduction.value_or(0))});
  }
  if (totals.size() >= 3) {
    const ChangeAssessment from_nadir = AssessChange(instrument, nadir, latest.total);
    if (from_nadir.reliable_change && std::string(from_nadir.reliable_change) == "deteriorated") {
      signals.push_back({instrument.key, "reliable_deterioration",
                         fmt::format("{} rose from {} ({}) to {} ({}): a reliable deterioration (more than {:.1f} "
                                     "points, Jacobson-Truax)",
                                     instrument.title, nadir, nadir_at.substr(0, 10), latest.total,
                                     latest.at.substr(0, 10),
                                     from_nadir.reliable_change_threshold_points.value_or(0))});
    }
  }
  return signals;
}

}  // namespace ketachart
