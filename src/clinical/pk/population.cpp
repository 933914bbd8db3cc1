// Population simulation (see population.h).
#include "clinical/pk/population.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "clinical/pk/simulation.h"

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

RandomEffects RandomEffectSampler::Draw(NormalStream& normals) const {
  const size_t k = names_.size();
  std::vector<double> z(k);
  for (double& v : z) v = normals.Next();
  RandomEffects effects;
  for (size_t i = 0; i < k; ++i) {
    double eta = 0;
    for (size_t j = 0; j <= i; ++j) eta += cholesky_[i * k + j] * z[j];
    effects.eta[names_[i]] = eta;
  }
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

Result<PopulationResult> SimulatePopulation(const PkModel& model, const PopulationRequest& request) {
  if (request.patients < 1 || request.patients > 1000000) return InvalidInput("patients", "must be 1-1000000");
  if (request.times.empty()) return InvalidInput("times", "no times given");
  if (request.patients * request.times.size() > 50000000) {
    return InvalidInput("patients", "patients x time points must be at most 50 million");
  }
  KC_ASSIGN_OR_RETURN(RandomEffectSampler sampler, RandomEffectSampler::For(model, request.assumed_cv));
  NormalStream normals(request.seed);
  const size_t t_count = request.times.size();
  // Time-major so each time's column is contiguous for the percentiles.
  std::vector<std::vector<float>> columns(t_count, std::vector<float>(request.patients));
  const size_t report_every = std::max<size_t>(1, request.patients / 100);
  for (size_t p = 0; p < request.patients; ++p) {
    const RandomEffects effects = sampler.Draw(normals);
    KC_ASSIGN_OR_RETURN(CompartmentSystem system, BuildCompartmentSystem(model, request.patient, effects));
    KC_ASSIGN_OR_RETURN(std::vector<NanogramsPerMillilitre> plasma, SimulatePlasma(system, request.plan, request.times));
    for (size_t t = 0; t < t_count; ++t) columns[t][p] = static_cast<float>(plasma[t].value());
    if (request.progress && ((p + 1) % report_every == 0 || p + 1 == request.patients)) {
      request.progress(p + 1, request.patients);
    }
  }
  PopulationResult result;
  result.variability_source = sampler.source();
  for (size_t t = 0; t < t_count; ++t) {
    PopulationBand band;
    band.time = request.times[t];
    band.p5 = NanogramsPerMillilitre(Percentile(columns[t], 0.05));
    band.p50 = NanogramsPerMillilitre(Percentile(columns[t], 0.50));
    band.p95 = NanogramsPerMillilitre(Percentile(columns[t], 0.95));
    result.bands.push_back(band);
  }
  return result;
}

}  // namespace ketachart::pk
