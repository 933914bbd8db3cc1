// Exact piecewise-constant-input simulation (see simulation.h).
#include "clinical/pk/simulation.h"

#include <algorithm>
#include <cmath>

namespace ketachart::pk {
namespace {

// Grid on which time above threshold looks for crossings; each crossing is
// then located by bisection on the exact solution.
constexpr double kThresholdGridMinutes = 0.25;

struct BolusEvent {
  double time;
  size_t state;
  double mg;
};
struct InputSegment {
  double start, end;
  size_t state;
  double mg_per_min;
  bool intravenous;  // counts as administered as it runs (swallowed drug was counted at the device)
};
struct ExpandedPlan {
  std::vector<BolusEvent> boluses;
  std::vector<InputSegment> segments;
  std::vector<std::pair<double, double>> administered;  // (time, mg) for boluses and devices
  std::vector<std::pair<double, double>> losses;        // (time, mg) presystemic
};

Result<ExpandedPlan> Expand(const CompartmentSystem& system, const DosingPlan& plan) {
  ExpandedPlan out;
  for (const Bolus& b : plan.boluses) {
    out.boluses.push_back({b.at.value(), system.central, b.amount.value()});
    out.administered.emplace_back(b.at.value(), b.amount.value());
  }
  for (const Infusion& f : plan.infusions) {
    const double rate = f.rate().value();
    for (const RunningInterval& run : RunningIntervals(f, plan.pauses)) {
      out.segments.push_back({run.start.value(), run.end.value(), system.central, rate, true});
    }
  }
  for (const IntranasalDose& dose : plan.intranasal) {
    if (!system.intranasal || !system.nasal_depot || !system.gut_depot) {
      return InvalidInput("intranasal", "this model has no intranasal absorption");
    }
    const IntranasalAbsorption& in = *system.intranasal;
    for (int d = 0; d < dose.devices; ++d) {
      const double t = dose.at.value() + d * in.between_devices.value();
      const double mg = in.per_device.value();
      const double nasal_fraction =
          std::min(1.0, in.first_device_fraction * (d == 0 ? 1.0 : in.subsequent_device_factor));
      const double swallowed = (1 - nasal_fraction) * mg;
      out.administered.emplace_back(t, mg);
      out.boluses.push_back({t, *system.nasal_depot, nasal_fraction * mg});
      const double duration = in.swallowed_duration.value();
      out.segments.push_back({t, t + duration, *system.gut_depot, swallowed * in.gut_fraction / duration, false});
      out.losses.emplace_back(t, swallowed * (1 - in.gut_fraction));
    }
  }
  return out;
}

// Propagates the augmented state over intervals of constant input, caching
// the exact propagator per distinct (step, input).
class Propagator {
 public:
  explicit Propagator(SquareMatrix a) : a_(std::move(a)), m_(a_.size()) {}

  void Step(std::vector<double>& x, double h, const std::vector<double>& u, bool cache = true) {
    if (h <= 0) return;
    const SquareMatrix* phi = nullptr;
    SquareMatrix uncached;
    if (cache) {
      phi = &Cached(h, u);
    } else {
      uncached = Compute(h, u);
      phi = &uncached;
    }
    std::vector<double> next(m_);
    for (size_t i = 0; i < m_; ++i) {
      double sum = (*phi)(i, m_);
      for (size_t j = 0; j < m_; ++j) sum += (*phi)(i, j) * x[j];
      next[i] = sum;
    }
    x.swap(next);
  }

 private:
  SquareMatrix Compute(double h, const std::vector<double>& u) const {
    SquareMatrix augmented(m_ + 1);
    for (size_t i = 0; i < m_; ++i) {
      for (size_t j = 0; j < m_; ++j) augmented(i, j) = a_(i, j) * h;
      augmented(i, m_) = u[i] * h;
    }
    return MatrixExponential(augmented);
  }
  const SquareMatrix& Cached(double h, const std::vector<double>& u) {
    for (const Entry& e : cache_) {
      if (e.h == h && e.u == u) return e.phi;
    }
    if (cache_.size() >= 64) cache_.erase(cache_.begin());
    cache_.push_back({h, u, Compute(h, u)});
    return cache_.back().phi;
  }

  struct Entry {
    double h;
    std::vector<double> u;
    SquareMatrix phi;
  };
  SquareMatrix a_;
  size_t m_;
  std::vector<Entry> cache_;
};

}  // namespace

Result<SimulationResult> Simulate(const CompartmentSystem& system, const DosingPlan& plan,
                                  const std::vector<Minutes>& times, const SimulationOptions& options) {
  KC_RETURN_IF_ERROR(plan.Validate());
  if (times.empty()) return InvalidInput("times", "no times given");
  for (size_t i = 0; i < times.size(); ++i) {
    if (times[i].value() < 0 || (i > 0 && !(times[i] > times[i - 1]))) {
      return InvalidInput("times", "times must be >= 0 and increasing");
    }
  }
  if (options.effect_site && !system.ke0_per_min) return InvalidInput("effect_site", "this model has no ke0");
  KC_ASSIGN_OR_RETURN(ExpandedPlan expanded, Expand(system, plan));

  // Augmented state: drug amounts (mg), [effect-site ng/mL], eliminated mg, plasma AUC.
  const size_t n = system.size();
  const bool effect = options.effect_site;
  const size_t effect_index = n;
  const size_t eliminated_index = n + (effect ? 1 : 0);
  const size_t auc_index = eliminated_index + 1;
  const size_t m = auc_index + 1;
  const double to_ng_per_ml = 1000.0 / system.central_volume.value();
  SquareMatrix a(m);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) a(i, j) = system.transfer(i, j);
    a(eliminated_index, i) = system.elimination_per_min[i];
  }
  if (effect) {
    const double ke0 = *system.ke0_per_min;
    a(effect_index, system.central) = ke0 * to_ng_per_ml;
    a(effect_index, effect_index) = -ke0;
  }
  a(auc_index, system.central) = to_ng_per_ml;
  Propagator propagator(a);

  const double end = times.back().value();
  std::vector<double> breakpoints{0.0};
  for (const Minutes& t : times) breakpoints.push_back(t.value());
  for (const BolusEvent& b : expanded.boluses) breakpoints.push_back(b.time);
  for (const InputSegment& s : expanded.segments) {
    breakpoints.push_back(s.start);
    breakpoints.push_back(s.end);
  }
  if (options.threshold) {
    for (double t = 0; t < end; t += kThresholdGridMinutes) breakpoints.push_back(t);
  }
  std::sort(breakpoints.begin(), breakpoints.end());
  breakpoints.erase(std::unique(breakpoints.begin(), breakpoints.end()), breakpoints.end());
  while (!breakpoints.empty() && breakpoints.back() > end) breakpoints.pop_back();

  std::sort(expanded.boluses.begin(), expanded.boluses.end(),
            [](const BolusEvent& x, const BolusEvent& y) { return x.time < y.time; });
  size_t next_bolus = 0;
  std::vector<double> x(m, 0.0);
  auto give_boluses_at = [&](double t) {
    while (next_bolus < expanded.boluses.size() && expanded.boluses[next_bolus].time <= t) {
      x[expanded.boluses[next_bolus].state] += expanded.boluses[next_bolus].mg;
      ++next_bolus;
    }
  };
  auto plasma = [&](const std::vector<double>& state) { return state[system.central] * to_ng_per_ml; };

  SimulationResult result;
  result.state_names = system.state_names;
  size_t next_output = 0;
  auto record = [&](double t) {
    while (next_output < times.size() && times[next_output].value() == t) {
      ConcentrationPoint point;
      point.time = Minutes(t);
      point.plasma = NanogramsPerMillilitre(plasma(x));
      if (effect) point.effect = NanogramsPerMillilitre(x[effect_index]);
      if (options.amounts) {
        for (size_t i = 0; i < n; ++i) point.amounts.push_back(Milligrams(x[i]));
      }
      if (result.points.empty() || point.plasma > result.peak_plasma) {
        result.peak_plasma = point.plasma;
        result.peak_time = point.time;
      }
      result.points.push_back(std::move(point));
      ++next_output;
    }
  };

  double above = 0;
  const double threshold = options.threshold ? options.threshold->value() : 0;
  std::vector<double> u(m, 0.0);
  give_boluses_at(0.0);
  record(0.0);
  for (size_t k = 1; k < breakpoints.size(); ++k) {
    const double t0 = breakpoints[k - 1], t1 = breakpoints[k], h = t1 - t0;
    std::fill(u.begin(), u.end(), 0.0);
    for (const InputSegment& s : expanded.segments) {
      if (s.start <= t0 && s.end >= t1) u[s.state] += s.mg_per_min;
    }
    const std::vector<double> start_state = x;
    const double c0 = plasma(x);
    propagator.Step(x, h, u);
    if (options.threshold) {
      const double c1 = plasma(x);
      if (c0 >= threshold && c1 >= threshold) {
        above += h;
      } else if ((c0 >= threshold) != (c1 >= threshold)) {
        double lo = 0, hi = h;  // c crosses between start + lo and start + hi
        for (int iteration = 0; iteration < 48; ++iteration) {
          const double mid = 0.5 * (lo + hi);
          std::vector<double> probe = start_state;
          propagator.Step(probe, mid, u, /*cache=*/false);
          if ((plasma(probe) >= threshold) == (c0 >= threshold)) {
            lo = mid;
          } else {
            hi = mid;
          }
        }
        const double crossing = 0.5 * (lo + hi);
        above += c0 >= threshold ? crossing : h - crossing;
      }
    }
    give_boluses_at(t1);
    record(t1);
  }

  result.auc = NanogramMinutesPerMillilitre(x[auc_index]);
  if (options.threshold) result.time_above_threshold = Minutes(above);
  MassBalance& balance = result.balance;
  double administered = 0, loss = 0, awaiting = 0, in_body = 0;
  for (const auto& [t, mg] : expanded.administered) {
    if (t <= end) administered += mg;
  }
  for (const auto& [t, mg] : expanded.losses) {
    if (t <= end) loss += mg;
  }
  for (const InputSegment& s : expanded.segments) {
    const double delivered = std::max(0.0, std::min(s.end, end) - s.start) * s.mg_per_min;
    if (s.intravenous) {
      administered += delivered;
    } else if (s.start <= end) {
      awaiting += (s.end - s.start) * s.mg_per_min - delivered;
    }
  }
  for (size_t i = 0; i < n; ++i) in_body += x[i];
  balance.administered = Milligrams(administered);
  balance.in_body = Milligrams(in_body);
  balance.eliminated = Milligrams(x[eliminated_index]);
  balance.presystemic_loss = Milligrams(loss);
  balance.awaiting_absorption = Milligrams(awaiting);
  return result;
}

Result<std::vector<NanogramsPerMillilitre>> SimulatePlasma(const CompartmentSystem& system, const DosingPlan& plan,
                                                           const std::vector<Minutes>& times) {
  SimulationOptions options;
  options.amounts = false;
  KC_ASSIGN_OR_RETURN(SimulationResult result, Simulate(system, plan, times, options));
  std::vector<NanogramsPerMillilitre> out;
  out.reserve(result.points.size());
  for (const auto& p : result.points) out.push_back(p.plasma);
  return out;
}

}  // namespace ketachart::pk
