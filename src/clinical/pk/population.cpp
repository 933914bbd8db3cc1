// Population simulation (see population.h).
#include "clinical/pk/population.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <fmt/format.h>

#include "clinical/pk/modal_population.h"
#include "clinical/pk/simulation.h"
#include "clinical/pk/vector_math.h"

namespace ketachart::pk {
namespace {

uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

NormalStream::NormalStream(uint64_t seed) {
  for (auto& s : s_) s = SplitMix(seed);
}

uint64_t NormalStream::NextBits() {  // xoshiro256** (Blackman & Vigna)
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double NormalStream::Next() {
  if (spare_) {
    const double v = *spare_;
    spare_.reset();
    return v;
  }
  // Box-Muller on (0, 1] uniforms.
  const double u1 = (static_cast<double>(NextBits() >> 11) + 1.0) * 0x1.0p-53;
  const double u2 = static_cast<double>(NextBits() >> 11) * 0x1.0p-53;
  const double r = std::sqrt(-2.0 * std::log(u1));
  spare_ = r * std::sin(2 * M_PI * u2);
  return r * std::cos(2 * M_PI * u2);
}

void NormalStream::Fill(double* out, size_t n) {
  size_t i = 0;
  if (spare_ && n > 0) {
    out[i++] = *spare_;
    spare_.reset();
  }
  constexpr size_t kPairs = 256;
  double u1[kPairs], u2[kPairs], z[2 * kPairs];
  while (i < n) {
    const size_t pairs = std::min(kPairs, (n - i + 1) / 2);
    for (size_t j = 0; j < pairs; ++j) {  // the same order as Next: u1, then u2
      u1[j] = (static_cast<double>(NextBits() >> 11) + 1.0) * 0x1.0p-53;
      u2[j] = static_cast<double>(NextBits() >> 11) * 0x1.0p-53;
    }
    BoxMuller(u1, u2, z, pairs);
    const size_t take = std::min(2 * pairs, n - i);
    std::copy(z, z + take, out + i);
    i += take;
    if (take < 2 * pairs) spare_ = z[2 * pairs - 1];  // odd n: the sine waits, as in Next
  }
}

Result<RandomEffectSampler> RandomEffectSampler::For(const PkModel& model, std::optional<double> assumed_cv) {
  RandomEffectSampler sampler;
  std::vector<double> variance;
  if (model.iiv.published) {
    if (assumed_cv) return InvalidInput("assumed_cv", model.id + " has published variability; do not assume one");
    for (const auto& [name, omega2] : model.iiv.omega_squared) {
      sampler.names_.push_back(name);
      sampler.logit_.push_back(false);
      variance.push_back(omega2);
    }
    for (const auto& [name, v] : model.iiv.logit_variance) {
      sampler.names_.push_back(name);
      sampler.logit_.push_back(true);
      variance.push_back(v);
    }
    sampler.source_ = model.iiv.note;
  } else {
    if (!assumed_cv) {
      return InvalidInput("assumed_cv", model.id + " has no published inter-individual variability; "
                                                   "give an assumed CV to simulate a population");
    }
    if (!(*assumed_cv > 0) || *assumed_cv > 2) return InvalidInput("assumed_cv", "must be above 0 and at most 2 (200%)");
    for (const auto& [name, value] : model.parameters) {
      sampler.names_.push_back(name);
      sampler.logit_.push_back(false);
      variance.push_back(std::log1p(*assumed_cv * *assumed_cv));
    }
    sampler.source_ = fmt::format("ASSUMED: {:g}% CV on every parameter, independent (no published variability for {})",
                                  *assumed_cv * 100, model.id);
  }
  const size_t k = sampler.names_.size();
  if (k > 32) return Internal(model.id + ": more than 32 random effects");
  std::vector<double> cov(k * k, 0.0);
  for (size_t i = 0; i < k; ++i) cov[i * k + i] = variance[i];
  for (const auto& c : model.iiv.covariances) {
    auto a = std::find(sampler.names_.begin(), sampler.names_.end(), c.first) - sampler.names_.begin();
    auto b = std::find(sampler.names_.begin(), sampler.names_.end(), c.second) - sampler.names_.begin();
    if (static_cast<size_t>(a) == k || static_cast<size_t>(b) == k) continue;
    cov[a * k + b] = cov[b * k + a] = c.value;
  }
  sampler.cholesky_.assign(k * k, 0.0);
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j <= i; ++j) {
      double sum = cov[i * k + j];
      for (size_t p = 0; p < j; ++p) sum -= sampler.cholesky_[i * k + p] * sampler.cholesky_[j * k + p];
      if (i == j) {
        if (!(sum > 0)) return Internal(model.id + ": variability matrix is not positive definite");
        sampler.cholesky_[i * k + i] = std::sqrt(sum);
      } else {
        sampler.cholesky_[i * k + j] = sum / sampler.cholesky_[j * k + j];
      }
    }
  }
  return sampler;
}

void RandomEffectSampler::DrawInto(NormalStream& normals, double* eta) const {
  const size_t k = names_.size();
  double z[32];
  for (size_t i = 0; i < k; ++i) z[i] = normals.Next();
  for (size_t i = 0; i < k; ++i) {
    double sum = 0;
    for (size_t j = 0; j <= i; ++j) sum += cholesky_[i * k + j] * z[j];
    eta[i] = sum;
  }
}

void RandomEffectSampler::DrawManyInto(NormalStream& normals, size_t count, double* eta) const {
  const size_t k = names_.size();
  std::vector<double> z(count * k);
  normals.Fill(z.data(), z.size());
  for (size_t p = 0; p < count; ++p) {
    const double* zp = z.data() + p * k;
    for (size_t i = 0; i < k; ++i) {
      double sum = 0;
      for (size_t j = 0; j <= i; ++j) sum += cholesky_[i * k + j] * zp[j];
      eta[p * k + i] = sum;
    }
  }
}

RandomEffects RandomEffectSampler::Draw(NormalStream& normals) const {
  double eta[32];
  DrawInto(normals, eta);
  RandomEffects effects;
  for (size_t i = 0; i < names_.size(); ++i) effects.eta[names_[i]] = eta[i];
  return effects;
}

double Percentile(std::vector<float>& values, double p) {
  const double h = (static_cast<double>(values.size()) - 1) * p;
  const size_t lo = static_cast<size_t>(std::floor(h));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double low = values[lo];
  if (lo + 1 >= values.size()) return low;
  const double high = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
  return low + (h - static_cast<double>(lo)) * (high - low);
}

namespace {

// Typical micro constants of a mammillary model for `patient`, and where each
// random effect applies, so a virtual patient costs a few exp() calls.
struct MammillaryTypical {
  bool rate_constants = true;
  double value[6] = {0, 0, 0, 0, 0, 0};  // v1 k10 k12 k21 k13 k31, or v1 cl v2 q2 v3 q3
  int eta_index[6] = {-1, -1, -1, -1, -1, -1};
};

MammillaryTypical TypicalFor(const PkModel& model, const PatientCovariates& patient,
                             const RandomEffectSampler& sampler) {
  MammillaryTypical t;
  t.rate_constants = model.parameterisation == Parameterisation::kRateConstants;
  static const char* kRateNames[6] = {"v1", "k10", "k12", "k21", "k13", "k31"};
  static const char* kClearanceNames[6] = {"v1", "cl", "v2", "q2", "v3", "q3"};
  const double weight = patient.weight.value();
  for (int i = 0; i < 6; ++i) {
    const std::string name = t.rate_constants ? kRateNames[i] : kClearanceNames[i];
    if (!model.Has(name)) continue;
    double v = model.Parameter(name);
    if (t.rate_constants && name == "v1") v *= weight;  // L/kg
    if (auto e = model.allometric_exponents.find(name); e != model.allometric_exponents.end()) {
      v *= std::pow(weight / model.allometry_reference_weight_kg, e->second);
    }
    t.value[i] = v;
    const auto& names = sampler.names();
    auto it = std::find(names.begin(), names.end(), name);
    if (it != names.end()) t.eta_index[i] = static_cast<int>(it - names.begin());
  }
  return t;
}

// The modes of `count` patients, eta[p * stride + i] their random effects: the exp() of the random effects and the cubics' trigonometry
// vectorised across patients.
void PatientModesMany(const MammillaryTypical& t, const double* eta, size_t stride, size_t count, PlasmaModes* out,
                      bool* ok) {
  std::vector<double> storage(6 * count);
  double* v[6];
  for (int i = 0; i < 6; ++i) {
    v[i] = storage.data() + i * count;
    if (t.eta_index[i] < 0) {
      std::fill(v[i], v[i] + count, t.value[i]);
      continue;
    }
    for (size_t p = 0; p < count; ++p) v[i][p] = eta[p * stride + t.eta_index[i]];
    ExpInPlace(v[i], count);
    for (size_t p = 0; p < count; ++p) v[i][p] *= t.value[i];
  }
  if (!t.rate_constants) {  // v1 cl v2 q2 v3 q3 -> v1 k10 k12 k21 k13 k31
    for (size_t p = 0; p < count; ++p) {
      const double v1 = v[0][p], cl = v[1][p], v2 = v[2][p], q2 = v[3][p], v3 = v[4][p], q3 = v[5][p];
      v[1][p] = cl / v1;
      v[2][p] = q2 / v1;
      v[3][p] = q2 / v2;
      v[4][p] = v3 > 0 ? q3 / v1 : 0;
      v[5][p] = v3 > 0 ? q3 / v3 : 0;
    }
  }
  ModesFromMicroConstantsMany(v, count, out, ok);
}

}  // namespace

Result<PopulationConcentrations> SimulatePopulationConcentrations(const PkModel& model, const PopulationRequest& request,
                                                                  PopulationConcentrations* reuse) {
  if (request.patients < 1 || request.patients > 1000000) return InvalidInput("patients", "must be 1-1000000");
  if (request.times.empty()) return InvalidInput("times", "no times given");
  if (request.patients * request.times.size() > 50000000) {
    return InvalidInput("patients", "patients x time points must be at most 50 million");
  }
  KC_RETURN_IF_ERROR(request.plan.Validate());
  KC_ASSIGN_OR_RETURN(RandomEffectSampler sampler, RandomEffectSampler::For(model, request.assumed_cv));
  KC_ASSIGN_OR_RETURN(CompartmentSystem typical_system, BuildCompartmentSystem(model, request.patient));
  (void)typical_system;  // validates the covariates once
  NormalStream normals(request.seed);
  PopulationConcentrations out;
  if (reuse) out.values = std::move(reuse->values);
  out.times = request.times.size();
  out.patients = request.patients;
  out.variability_source = sampler.source();
  out.values.resize(out.times * out.patients);
  const size_t n = request.patients;
  // About 1% of the patients per progress call, in whole blocks of 256 (so
  // every block's rows start on a cache line when the patient count allows).
  const size_t chunk = std::max<size_t>(512, (n / 100 + 255) / 256 * 256);
  std::optional<GridPlan> grid;
  if (model.parameterisation != Parameterisation::kHepaticFirstPass) grid = LayOnGrid(request.plan, request.times);
  out.modal_fast_path = grid.has_value();
  if (grid) {
    const MammillaryTypical typical = TypicalFor(model, request.patient, sampler);
    const size_t k = sampler.names().size();
    std::vector<PlasmaModes> modes;
    std::vector<double> etas;
    std::unique_ptr<bool[]> ok(new bool[chunk]);
    std::vector<std::pair<size_t, RandomEffects>> fallback;
    for (size_t start = 0; start < n; start += chunk) {
      const size_t end = std::min(n, start + chunk);
      modes.resize(end - start);
      etas.resize((end - start) * k);
      fallback.clear();
      sampler.DrawManyInto(normals, end - start, etas.data());
      PatientModesMany(typical, etas.data(), k, end - start, modes.data(), ok.get());
      for (size_t p = start; p < end; ++p) {
        if (ok[p - start]) continue;
        // Coinciding exponents: this patient takes the general path below;
        // its slot keeps the block's mode count.
        RandomEffects effects;
        for (size_t i = 0; i < k; ++i) effects.eta[sampler.names()[i]] = etas[(p - start) * k + i];
        fallback.emplace_back(p, std::move(effects));
        modes[p - start] = p > start ? modes[p - start - 1] : PlasmaModes{3, {1, 1, 1}, {0, 0, 0}};
      }
      SimulateModes(modes, *grid, out.values.data() + start, n);
      for (const auto& [p, effects] : fallback) {
        KC_ASSIGN_OR_RETURN(CompartmentSystem system, BuildCompartmentSystem(model, request.patient, effects));
        KC_ASSIGN_OR_RETURN(auto plasma, SimulatePlasma(system, request.plan, request.times));
        for (size_t t = 0; t < out.times; ++t) out.values[t * n + p] = static_cast<float>(plasma[t].value());
      }
      if (request.progress) request.progress(end, n);
    }
    return out;
  }
  for (size_t p = 0; p < n; ++p) {
    const RandomEffects effects = sampler.Draw(normals);
    KC_ASSIGN_OR_RETURN(CompartmentSystem system, BuildCompartmentSystem(model, request.patient, effects));
    KC_ASSIGN_OR_RETURN(std::vector<NanogramsPerMillilitre> plasma, SimulatePlasma(system, request.plan, request.times));
    for (size_t t = 0; t < out.times; ++t) out.values[t * n + p] = static_cast<float>(plasma[t].value());
    if (request.progress && ((p + 1) % chunk == 0 || p + 1 == n)) request.progress(p + 1, n);
  }
  return out;
}

namespace {

// Places the order statistics targets[a..b) (sorted, all within [lo, hi)) at
// their positions, each selection only within the part left by the previous.
void SelectOrderStatistics(std::vector<float>& v, size_t lo, size_t hi, const std::vector<size_t>& targets, size_t a,
                           size_t b) {
  if (a >= b || lo >= hi) return;
  const size_t m = (a + b) / 2, k = targets[m];
  std::nth_element(v.begin() + static_cast<std::ptrdiff_t>(lo), v.begin() + static_cast<std::ptrdiff_t>(k),
                   v.begin() + static_cast<std::ptrdiff_t>(hi));
  SelectOrderStatistics(v, lo, k, targets, a, m);
  SelectOrderStatistics(v, k + 1, hi, targets, m + 1, b);
}

// A float's bits as an unsigned key in the same order as the floats
// (negative values below positive ones; -0 just below +0, which is harmless
// for order statistics since their values compare equal).
inline uint32_t OrderKey(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

// Exact order statistics of one column without reordering it: a histogram
// of the keys' top 16 bits finds the bucket holding each target rank; only
// those buckets' values are gathered and selected (nth_element). `ranks`
// sorted and distinct; the values at those ranks go to `selected`.
constexpr size_t kHistogramSelectionMinimum = 16384;

class OrderStatistics {
 public:
  OrderStatistics() : counts_(kBuckets), slot_(kBuckets, -1) {}

  void Select(const float* v, size_t n, const std::vector<size_t>& ranks, std::vector<double>& selected) {
    std::fill(counts_.begin(), counts_.end(), 0u);
    for (size_t i = 0; i < n; ++i) ++counts_[OrderKey(v[i]) >> kShift];
    // The bucket of each rank, and each bucket's first rank.
    std::vector<uint32_t> buckets;
    std::vector<size_t> first_rank, rank_bucket(ranks.size());
    size_t below = 0, r = 0;
    for (uint32_t b = 0; b < kBuckets && r < ranks.size(); ++b) {
      const size_t next = below + counts_[b];
      while (r < ranks.size() && ranks[r] < next) {
        if (buckets.empty() || buckets.back() != b) {
          slot_[b] = static_cast<int>(buckets.size());
          buckets.push_back(b);
          first_rank.push_back(below);
        }
        rank_bucket[r++] = buckets.size() - 1;
      }
      below = next;
    }
    gathered_.resize(buckets.size());
    for (size_t j = 0; j < buckets.size(); ++j) {
      gathered_[j].clear();
      gathered_[j].reserve(counts_[buckets[j]]);
    }
    for (size_t i = 0; i < n; ++i) {
      if (const int j = slot_[OrderKey(v[i]) >> kShift]; j >= 0) gathered_[static_cast<size_t>(j)].push_back(v[i]);
    }
    selected.assign(ranks.size(), 0);
    for (size_t j = 0; j < buckets.size(); ++j) {
      std::vector<size_t> local;
      for (size_t q = 0; q < ranks.size(); ++q) {
        if (rank_bucket[q] == j) local.push_back(ranks[q] - first_rank[j]);
      }
      SelectOrderStatistics(gathered_[j], 0, gathered_[j].size(), local, 0, local.size());
      for (size_t q = 0; q < ranks.size(); ++q) {
        if (rank_bucket[q] == j) selected[q] = gathered_[j][ranks[q] - first_rank[j]];
      }
      slot_[buckets[j]] = -1;
    }
  }

 private:
  static constexpr int kShift = 16;
  static constexpr uint32_t kBuckets = 1u << (32 - kShift);
  std::vector<uint32_t> counts_;
  std::vector<int> slot_;
  std::vector<std::vector<float>> gathered_;
};

}  // namespace

std::vector<PopulationBand> PercentileBands(const PopulationConcentrations& c, const std::vector<Minutes>& times) {
  std::vector<PopulationBand> bands;
  if (c.patients == 0) return bands;
  const double ps[3] = {0.05, 0.50, 0.95};
  std::vector<size_t> ranks;
  for (double p : ps) {
    const size_t low = static_cast<size_t>(std::floor((static_cast<double>(c.patients) - 1) * p));
    ranks.push_back(low);
    if (low + 1 < c.patients) ranks.push_back(low + 1);
  }
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  // Small populations: nth_element on a copy of each column is cheaper than
  // clearing and scanning the 65,536-bucket histogram.
  const bool by_histogram = c.patients >= kHistogramSelectionMinimum;
  std::optional<OrderStatistics> order;
  if (by_histogram) order.emplace();
  std::vector<float> column(by_histogram ? 0 : c.patients);
  std::vector<double> selected(ranks.size());
  auto at_rank = [&](size_t rank) {
    return selected[static_cast<size_t>(std::lower_bound(ranks.begin(), ranks.end(), rank) - ranks.begin())];
  };
  auto type7 = [&](double p) {  // R's type 7, from the selected order statistics
    const double h = (static_cast<double>(c.patients) - 1) * p;
    const size_t low = static_cast<size_t>(std::floor(h));
    if (low + 1 >= c.patients) return at_rank(low);
    const double lo = at_rank(low), hi = at_rank(low + 1);
    return lo + (h - static_cast<double>(low)) * (hi - lo);
  };
  for (size_t t = 0; t < c.times; ++t) {
    const float* values = c.values.data() + t * c.patients;
    if (by_histogram) {
      order->Select(values, c.patients, ranks, selected);
    } else {
      std::copy(values, values + c.patients, column.begin());
      SelectOrderStatistics(column, 0, column.size(), ranks, 0, ranks.size());
      for (size_t q = 0; q < ranks.size(); ++q) selected[q] = column[ranks[q]];
    }
    PopulationBand band;
    band.time = times[t];
    band.p5 = NanogramsPerMillilitre(type7(ps[0]));
    band.p50 = NanogramsPerMillilitre(type7(ps[1]));
    band.p95 = NanogramsPerMillilitre(type7(ps[2]));
    bands.push_back(band);
  }
  return bands;
}

Result<PopulationResult> SimulatePopulation(const PkModel& model, const PopulationRequest& request) {
  KC_ASSIGN_OR_RETURN(PopulationConcentrations concentrations, SimulatePopulationConcentrations(model, request));
  PopulationResult result;
  result.variability_source = concentrations.variability_source;
  result.bands = PercentileBands(concentrations, request.times);
  return result;
}

}  // namespace ketachart::pk
