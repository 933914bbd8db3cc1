// Plasma-targeted infusion schedules (see target_controlled_infusion.h).
#include "clinical/pk/target_controlled_infusion.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <sstream>

#include "clinical/pk/matrix_exponential.h"

namespace ketachart::pk {
namespace {

// Exact one-interval propagator of the drug states with a unit infusion into central.
struct IntervalPropagator {
  SquareMatrix free;             // e^{Ah}
  std::vector<double> unit_rate; // integral_0^h e^{As} ds e_central
};

IntervalPropagator MakePropagator(const CompartmentSystem& system, double h) {
  const size_t n = system.size();
  SquareMatrix augmented(n + 1);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) augmented(i, j) = system.transfer(i, j) * h;
  }
  augmented(system.central, n) = h;
  const SquareMatrix e = MatrixExponential(augmented);
  IntervalPropagator p{SquareMatrix(n), std::vector<double>(n)};
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) p.free(i, j) = e(i, j);
    p.unit_rate[i] = e(i, n);
  }
  return p;
}

double TargetAt(const std::vector<TargetStep>& targets, double t) {
  double value = targets.front().target.value();
  for (const auto& step : targets) {
    if (step.from.value() <= t) value = step.target.value();
  }
  return value;
}

}  // namespace

Result<TciPlan> PlanTargetControlledInfusion(const CompartmentSystem& system, const TciRequest& request) {
  if (request.targets.empty()) return InvalidInput("target", "at least one target is required");
  if (request.targets.front().from.value() != 0) return InvalidInput("target", "the first target starts at 0 min");
  for (size_t i = 0; i < request.targets.size(); ++i) {
    const double c = request.targets[i].target.value();
    if (!(c >= 0) || c > 5000) return InvalidInput("target", "targets must be 0-5000 ng/mL");
    if (i > 0 && !(request.targets[i].from > request.targets[i - 1].from)) {
      return InvalidInput("target", "target steps must be in increasing time");
    }
  }
  const double h = request.update_interval.value();
  const double end = request.end.value();
  if (!(h >= 1.0 / 60) || h > 60) return InvalidInput("update_interval", "must be 1 s to 60 min");
  if (!(end > 0) || end > 24 * 60) return InvalidInput("end", "must be above 0 and at most 1440 min");
  if (request.maximum_rate && !(request.maximum_rate->value() > 0)) {
    return InvalidInput("max_rate", "must be positive");
  }
  const double to_ng_per_ml = 1000.0 / system.central_volume.value();
  const size_t n = system.size();
  IntervalPropagator full = MakePropagator(system, h);
  std::vector<double> x(n, 0.0), next(n);
  TciPlan out;
  double total = 0;
  for (double t = 0; t < end - 1e-9; t += h) {
    const double step = std::min(h, end - t);
    const IntervalPropagator partial = step < h ? MakePropagator(system, step) : IntervalPropagator{};
    const IntervalPropagator& p = step < h ? partial : full;
    for (size_t i = 0; i < n; ++i) {
      double sum = 0;
      for (size_t j = 0; j < n; ++j) sum += p.free(i, j) * x[j];
      next[i] = sum;
    }
    const double free_end = next[system.central] * to_ng_per_ml;
    const double per_unit = p.unit_rate[system.central] * to_ng_per_ml;
    double rate = std::max(0.0, (TargetAt(request.targets, t) - free_end) / per_unit);
    if (request.maximum_rate) rate = std::min(rate, request.maximum_rate->value());
    for (size_t i = 0; i < n; ++i) x[i] = next[i] + rate * p.unit_rate[i];
    out.schedule.push_back({Minutes(t), Minutes(t + step), MilligramsPerMinute(rate)});
    if (rate > 0) out.plan.infusions.push_back({Minutes(t), Milligrams(rate * step), Minutes(step)});
    total += rate * step;
  }
  out.total = Milligrams(total);
  return out;
}

Result<std::vector<TargetStep>> ParseTargetProfileText(std::string_view text, Minutes& end, const std::string& field) {
  std::vector<TargetStep> steps;
  std::stringstream in{std::string(text)};
  std::string part;
  double t = 0;
  auto number = [](const std::string& word, double& out) {
    auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), out);
    return ec == std::errc() && ptr == word.data() + word.size() && std::isfinite(out);
  };
  while (std::getline(in, part, ',')) {
    std::istringstream words(part);
    std::vector<std::string> w;
    std::string word;
    while (words >> word) w.push_back(word);
    double target = 0, minutes = 0;
    if (w.size() != 5 || !number(w[0], target) || w[1] != "ng/mL" || w[2] != "for" || !number(w[3], minutes) ||
        w[4] != "min" || target < 0 || minutes <= 0) {
      return InvalidInput(field, fmt::format("\"{}\" is not of the form \"<ng/mL> ng/mL for <minutes> min[, ...]\"", text));
    }
    steps.push_back({Minutes(t), NanogramsPerMillilitre(target)});
    t += minutes;
  }
  if (steps.empty()) return InvalidInput(field, "no target given");
  end = Minutes(t);
  return steps;
}

}  // namespace ketachart::pk
