// Modal (sum-of-exponentials) population fast path (see modal_population.h).
#include "clinical/pk/modal_population.h"

#include <algorithm>
#include <cmath>

namespace ketachart::pk {

std::optional<PlasmaModes> ModesFromMicroConstants(double v1, double k10, double k12, double k21, double k13,
                                                   double k31) {
  PlasmaModes m;
  const double scale = 1000.0 / v1;  // mg in V1 litres -> ng/mL
  if (k13 == 0 && k31 == 0 && k12 == 0 && k21 == 0) {
    m.count = 1;
    m.alpha[0] = k10;
    m.coef[0] = scale;
    return m;
  }
  if (k13 == 0 && k31 == 0) {
    // alpha^2 - (k10 + k12 + k21) alpha + k10 k21 = 0.
    const double s = k10 + k12 + k21, d = std::sqrt(s * s - 4 * k10 * k21);
    m.count = 2;
    m.alpha[0] = 0.5 * (s + d);
    m.alpha[1] = 0.5 * (s - d);
    if (!(d > 1e-9 * s)) return std::nullopt;
    m.coef[0] = scale * (k21 - m.alpha[0]) / (m.alpha[1] - m.alpha[0]);
    m.coef[1] = scale * (k21 - m.alpha[1]) / (m.alpha[0] - m.alpha[1]);
    return m;
  }
  // alpha^3 - a2 alpha^2 + a1 alpha - a0 = 0 (STANPUMP's cubic), three real
  // roots; trigonometric solution after alpha = x + a2/3.
  const double a0 = k10 * k21 * k31;
  const double a1 = k10 * k31 + k21 * k31 + k21 * k13 + k10 * k21 + k31 * k12;
  const double a2 = k10 + k12 + k13 + k21 + k31;
  const double p = a1 - a2 * a2 / 3;
  const double q = -2 * a2 * a2 * a2 / 27 + a1 * a2 / 3 - a0;
  if (!(p < 0)) return std::nullopt;
  const double r = std::sqrt(-p / 3);
  const double phi = std::acos(std::clamp(-q / (2 * r * r * r), -1.0, 1.0)) / 3;
  m.count = 3;
  for (int i = 0; i < 3; ++i) m.alpha[i] = a2 / 3 + 2 * r * std::cos(phi - 2 * M_PI * i / 3);
  for (int i = 0; i < 3; ++i) {
    const double denominator = (m.alpha[(i + 1) % 3] - m.alpha[i]) * (m.alpha[(i + 2) % 3] - m.alpha[i]);
    if (!(std::fabs(denominator) > 1e-12 * a2 * a2)) return std::nullopt;
    m.coef[i] = scale * (k21 - m.alpha[i]) * (k31 - m.alpha[i]) / denominator;
  }
  return m;
}

std::optional<GridPlan> LayOnGrid(const DosingPlan& plan, const std::vector<Minutes>& times) {
  if (times.size() < 2 || times[0].value() != 0 || !plan.intranasal.empty()) return std::nullopt;
  GridPlan grid;
  grid.step = times[1].value();
  grid.count = times.size();
  for (size_t k = 0; k < times.size(); ++k) {
    if (std::fabs(times[k].value() - static_cast<double>(k) * grid.step) > 1e-9 * (1 + times[k].value())) {
      return std::nullopt;
    }
  }
  auto point = [&](double t) -> std::optional<long> {
    const double k = t / grid.step;
    if (std::fabs(k - std::round(k)) > 1e-9) return std::nullopt;
    return std::lround(k);
  };
  grid.rate_mg_per_min.assign(grid.count, 0.0);
  grid.bolus_mg.assign(grid.count, 0.0);
  for (const Bolus& b : plan.boluses) {
    auto k = point(b.at.value());
    if (!k) return std::nullopt;
    if (*k < static_cast<long>(grid.count)) grid.bolus_mg[static_cast<size_t>(*k)] += b.amount.value();
  }
  for (const Infusion& f : plan.infusions) {
    for (const RunningInterval& run : RunningIntervals(f, plan.pauses)) {
      auto first = point(run.start.value()), last = point(run.end.value());
      if (!first || !last) return std::nullopt;
      for (long k = *first; k < *last && k < static_cast<long>(grid.count); ++k) {
        grid.rate_mg_per_min[static_cast<size_t>(k)] += f.rate().value();
      }
    }
  }
  return grid;
}

namespace {

constexpr size_t kBlock = 256;

template <int N>
[[gnu::always_inline]] inline void SimulateBlock(const PlasmaModes* patients, size_t count, const GridPlan& grid, float* out, size_t stride) {
  alignas(64) double y[N][kBlock], decay[N][kBlock], gain[N][kBlock], input[N][kBlock], coef[N][kBlock];
  for (size_t p = 0; p < count; ++p) {
    for (int i = 0; i < N; ++i) {
      const double e = std::exp(-patients[p].alpha[i] * grid.step);
      decay[i][p] = e;
      coef[i][p] = patients[p].coef[i];
      // Zero-order input over one step: coef (1 - e^{-alpha h}) / alpha per mg/min.
      gain[i][p] = patients[p].coef[i] * (1 - e) / patients[p].alpha[i];
      y[i][p] = 0;
      input[i][p] = 0;
    }
  }
  double rate = 0;
  for (size_t k = 0; k < grid.count; ++k) {
    if (const double mg = grid.bolus_mg[k]; mg != 0) {
      for (int i = 0; i < N; ++i) {
        for (size_t p = 0; p < count; ++p) y[i][p] += coef[i][p] * mg;
      }
    }
    float* row = out + k * stride;
    for (size_t p = 0; p < count; ++p) {
      double sum = y[0][p];
      for (int i = 1; i < N; ++i) sum += y[i][p];
      row[p] = static_cast<float>(sum);
    }
    if (k + 1 == grid.count) break;
    if (grid.rate_mg_per_min[k] != rate) {
      rate = grid.rate_mg_per_min[k];
      for (int i = 0; i < N; ++i) {
        for (size_t p = 0; p < count; ++p) input[i][p] = gain[i][p] * rate;
      }
    }
    if (rate == 0) {
      for (int i = 0; i < N; ++i) {
        for (size_t p = 0; p < count; ++p) y[i][p] *= decay[i][p];
      }
    } else {
      for (int i = 0; i < N; ++i) {
        for (size_t p = 0; p < count; ++p) y[i][p] = decay[i][p] * y[i][p] + input[i][p];
      }
    }
  }
}

// One clone per instruction set (AVX2 + FMA where the CPU has them, chosen
// at load time by the dynamic loader; baseline x86-64 otherwise).
[[gnu::target_clones("arch=haswell", "default")]] void SimulateBlockAny(int n, const PlasmaModes* patients,
                                                                        size_t count, const GridPlan& grid,
                                                                        float* out, size_t stride) {
  switch (n) {
    case 1: SimulateBlock<1>(patients, count, grid, out, stride); break;
    case 2: SimulateBlock<2>(patients, count, grid, out, stride); break;
    default: SimulateBlock<3>(patients, count, grid, out, stride); break;
  }
}

}  // namespace

void SimulateModes(const std::vector<PlasmaModes>& patients, const GridPlan& grid, float* out, size_t stride) {
  for (size_t start = 0; start < patients.size();) {
    // A block holds patients with the same number of modes.
    const int n = patients[start].count;
    size_t end = start;
    while (end < patients.size() && end - start < kBlock && patients[end].count == n) ++end;
    const PlasmaModes* block = patients.data() + start;
    SimulateBlockAny(n, block, end - start, grid, out + start, stride);
    start = end;
  }
}

double RecursionFlopsPerPatient(const GridPlan& grid, int modes) {
  double flops = 0;
  for (size_t k = 0; k < grid.count; ++k) {
    flops += modes - 1;  // plasma sum at every point
    if (k + 1 < grid.count) flops += modes + (grid.rate_mg_per_min[k] != 0 ? modes : 0);
  }
  return flops;
}

}  // namespace ketachart::pk
