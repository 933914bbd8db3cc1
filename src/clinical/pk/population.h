// Population simulation: N virtual patients drawn from a model's published
// inter-individual variability (log-normal parameters, logit-normal
// fractions, correlated where the covariance is published), each simulated
// exactly, summarised as 5th/50th/95th percentile plasma concentrations at
// each requested time. Deterministic for a given seed (own xoshiro256** and
// Box-Muller, not the standard library's unspecified distributions). Models
// without published variability need an explicit assumed CV, which the
// result carries as a label. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "clinical/pk/compartment_system.h"
#include "clinical/pk/dosing_plan.h"
#include "clinical/pk/pk_model.h"

namespace ketachart::pk {

struct PopulationRequest {
  PatientCovariates patient;
  DosingPlan plan;
  std::vector<Minutes> times;
  size_t patients = 1000;
  uint64_t seed = 1;
  // Only for models without published IIV: the same CV on every parameter, independent.
  std::optional<double> assumed_cv;
  std::function<void(size_t done, size_t total)> progress;  // called every 1% of patients
};

struct PopulationBand {
  Minutes time;
  NanogramsPerMillilitre p5, p50, p95;
};

// Storage for the concentrations, 64-byte aligned so the simulation can write
// whole cache lines with streaming stores.
template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(64))); }
  void deallocate(T* p, size_t) { ::operator delete(p, std::align_val_t(64)); }
  bool operator==(const CacheLineAllocator&) const { return true; }
};

// Every virtual patient's plasma concentration: value(k, p) = values[k * patients + p].
struct PopulationConcentrations {
  size_t times = 0, patients = 0;
  std::vector<float, CacheLineAllocator<float>> values;
  std::string variability_source;
  bool modal_fast_path = false;  // true when the closed-form modal recursion was used
};

struct PopulationResult {
  std::vector<PopulationBand> bands;
  std::string variability_source;  // the published source, or "ASSUMED ..." for --assumed-cv
};

// A deterministic stream of standard normal draws.
class NormalStream {
 public:
  explicit NormalStream(uint64_t seed);
  double Next();
  // The next n draws, as n calls of Next would give them (the same uniforms;
  // log/sin/cos vectorised, so values can differ in the last bits).
  void Fill(double* out, size_t n);

 private:
  uint64_t NextBits();
  uint64_t s_[4];
  std::optional<double> spare_;
};

// The random-effect sampler of `model` (or of the assumed CV): one draw per virtual patient.
class RandomEffectSampler {
 public:
  static Result<RandomEffectSampler> For(const PkModel& model, std::optional<double> assumed_cv);
  RandomEffects Draw(NormalStream& normals) const;
  // The same draw as Draw, into eta[0..names().size()) in names() order.
  void DrawInto(NormalStream& normals, double* eta) const;
  // `count` draws at once (normals from NormalStream::Fill) into
  // eta[p * names().size() + i].
  void DrawManyInto(NormalStream& normals, size_t count, double* eta) const;
  const std::vector<std::string>& names() const { return names_; }
  const std::string& source() const { return source_; }

 private:
  std::vector<std::string> names_;
  std::vector<bool> logit_;
  std::vector<double> cholesky_;  // lower triangular, row-major
  std::string source_;
};

Result<PopulationResult> SimulatePopulation(const PkModel& model, const PopulationRequest& request);
// The two halves of SimulatePopulation: all concentrations, then the bands.
// `reuse`: a previous result whose buffer is reused when large enough (no
// zero-fill; every value is written).
Result<PopulationConcentrations> SimulatePopulationConcentrations(const PkModel& model, const PopulationRequest& request,
                                                                  PopulationConcentrations* reuse = nullptr);
std::vector<PopulationBand> PercentileBands(const PopulationConcentrations& concentrations,
                                            const std::vector<Minutes>& times);

// Percentile p (0-1) of `values` by linear interpolation between order
// statistics (R's type 7); reorders `values`.
double Percentile(std::vector<float>& values, double p);

}  // namespace ketachart::pk
