// Modal (sum-of-exponentials) population fast path (see modal_population.h).
#include "clinical/pk/modal_population.h"

#include "clinical/pk/vector_math.h"
#include "clinical/pk/vector_math_avx2.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

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

namespace {

#if defined(__x86_64__)
#ifndef KC_AVX2
#define KC_AVX2 [[gnu::target("avx2,fma"), gnu::always_inline]] inline
#endif

// ModesFromMicroConstants' cubic branch for patients p..p+3 (all with
// k13 or k31 non-zero), four lanes at once.
[[gnu::target("avx2,fma")]] void CubicModes4(const double* const micro[6], size_t p, PlasmaModes* out, bool* ok) {
  using namespace vector_math_detail;
  const __m256d k10 = _mm256_loadu_pd(micro[1] + p), k12 = _mm256_loadu_pd(micro[2] + p),
                k21 = _mm256_loadu_pd(micro[3] + p), k13 = _mm256_loadu_pd(micro[4] + p),
                k31 = _mm256_loadu_pd(micro[5] + p);
  const __m256d scale = _mm256_div_pd(_mm256_set1_pd(1000.0), _mm256_loadu_pd(micro[0] + p));
  const __m256d a0 = _mm256_mul_pd(_mm256_mul_pd(k10, k21), k31);
  // a1 = k10 k31 + k21 k31 + k21 k13 + k10 k21 + k31 k12, summed in that order.
  __m256d a1 = _mm256_mul_pd(k10, k31);
  a1 = _mm256_add_pd(a1, _mm256_mul_pd(k21, k31));
  a1 = _mm256_add_pd(a1, _mm256_mul_pd(k21, k13));
  a1 = _mm256_add_pd(a1, _mm256_mul_pd(k10, k21));
  a1 = _mm256_add_pd(a1, _mm256_mul_pd(k31, k12));
  const __m256d a2 = _mm256_add_pd(
      _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(k10, k12), k13), k21), k31);
  const __m256d third = _mm256_set1_pd(1.0 / 3);
  const __m256d a2_sq = _mm256_mul_pd(a2, a2);
  const __m256d pp = _mm256_sub_pd(a1, _mm256_div_pd(a2_sq, _mm256_set1_pd(3)));
  const __m256d q = _mm256_sub_pd(
      _mm256_add_pd(_mm256_div_pd(_mm256_mul_pd(_mm256_set1_pd(-2), _mm256_mul_pd(a2_sq, a2)), _mm256_set1_pd(27)),
                    _mm256_div_pd(_mm256_mul_pd(a1, a2), _mm256_set1_pd(3))),
      a0);
  __m256d valid = _mm256_cmp_pd(pp, _mm256_setzero_pd(), _CMP_LT_OQ);
  const __m256d r = _mm256_sqrt_pd(_mm256_max_pd(_mm256_div_pd(_mm256_sub_pd(_mm256_setzero_pd(), pp), _mm256_set1_pd(3)),
                                                 _mm256_setzero_pd()));
  const __m256d r3 = _mm256_mul_pd(_mm256_mul_pd(r, r), r);
  __m256d x = _mm256_div_pd(_mm256_sub_pd(_mm256_setzero_pd(), q), _mm256_mul_pd(_mm256_set1_pd(2), r3));
  x = _mm256_and_pd(x, valid);  // invalid lanes (r = 0): any finite argument
  const __m256d phi = _mm256_mul_pd(Acos4(x), third);
  __m256d sin_phi, cos_phi;
  SinCos4(phi, sin_phi, cos_phi);
  // cos(phi - 2 pi i / 3) for i = 0, 1, 2 from cos phi and sin phi.
  const __m256d half_c = _mm256_mul_pd(_mm256_set1_pd(-0.5), cos_phi);
  const __m256d root3_s = _mm256_mul_pd(_mm256_set1_pd(0.86602540378443864676), sin_phi);
  const __m256d cos_i[3] = {cos_phi, _mm256_add_pd(half_c, root3_s), _mm256_sub_pd(half_c, root3_s)};
  const __m256d base = _mm256_div_pd(a2, _mm256_set1_pd(3)), two_r = _mm256_add_pd(r, r);
  __m256d alpha[3], coef[3];
  for (int i = 0; i < 3; ++i) alpha[i] = _mm256_fmadd_pd(two_r, cos_i[i], base);
  const __m256d tiny = _mm256_mul_pd(_mm256_set1_pd(1e-12), a2_sq);
  const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFFll));
  for (int i = 0; i < 3; ++i) {
    const __m256d denominator =
        _mm256_mul_pd(_mm256_sub_pd(alpha[(i + 1) % 3], alpha[i]), _mm256_sub_pd(alpha[(i + 2) % 3], alpha[i]));
    valid = _mm256_and_pd(valid, _mm256_cmp_pd(_mm256_and_pd(denominator, abs_mask), tiny, _CMP_GT_OQ));
    coef[i] = _mm256_div_pd(
        _mm256_mul_pd(_mm256_mul_pd(scale, _mm256_sub_pd(k21, alpha[i])), _mm256_sub_pd(k31, alpha[i])), denominator);
  }
  alignas(32) double a[3][4], c[3][4];
  for (int i = 0; i < 3; ++i) {
    _mm256_store_pd(a[i], alpha[i]);
    _mm256_store_pd(c[i], coef[i]);
  }
  const int mask = _mm256_movemask_pd(valid);
  for (int lane = 0; lane < 4; ++lane) {
    ok[p + lane] = (mask >> lane) & 1;
    PlasmaModes& m = out[p + lane];
    m.count = 3;
    for (int i = 0; i < 3; ++i) {
      m.alpha[i] = a[i][lane];
      m.coef[i] = c[i][lane];
    }
  }
}

bool HasAvx2FmaForModes() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}
#endif

}  // namespace

void ModesFromMicroConstantsMany(const double* const micro[6], size_t n, PlasmaModes* out, bool* ok) {
  size_t p = 0;
#if defined(__x86_64__)
  if (HasAvx2FmaForModes()) {
    auto cubic = [&](size_t q) { return micro[4][q] != 0 || micro[5][q] != 0; };
    for (; p + 4 <= n; p += 4) {
      if (cubic(p) && cubic(p + 1) && cubic(p + 2) && cubic(p + 3)) {
        CubicModes4(micro, p, out, ok);
        continue;
      }
      for (size_t q = p; q < p + 4; ++q) {
        const auto m = ModesFromMicroConstants(micro[0][q], micro[1][q], micro[2][q], micro[3][q], micro[4][q], micro[5][q]);
        ok[q] = m.has_value();
        if (m) out[q] = *m;
      }
    }
  }
#endif
  for (; p < n; ++p) {
    const auto m = ModesFromMicroConstants(micro[0][p], micro[1][p], micro[2][p], micro[3][p], micro[4][p], micro[5][p]);
    ok[p] = m.has_value();
    if (m) out[p] = *m;
  }
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

constexpr size_t kBlock = 256;  // patients whose factors are set up together
constexpr size_t kGroup = 16;   // patients advanced together in registers (one 64-byte line of floats per row)

// A run of steps [first, last) with one infusion rate; a bolus (if any) at
// `first` is given before that point's concentration is written.
struct Segment {
  size_t first, last;
  double rate, bolus_mg;
};

std::vector<Segment> Segments(const GridPlan& grid) {
  std::vector<Segment> segments;
  for (size_t k = 0; k + 1 < grid.count; ++k) {
    if (segments.empty() || grid.bolus_mg[k] != 0 || grid.rate_mg_per_min[k] != segments.back().rate) {
      segments.push_back({k, k + 1, grid.rate_mg_per_min[k], grid.bolus_mg[k]});
    } else {
      segments.back().last = k + 1;
    }
  }
  return segments;
}

// Per-block factors, one row per mode, patients contiguous.
template <int N>
struct BlockFactors {
  alignas(64) double decay[N][kBlock], gain[N][kBlock], coef[N][kBlock];
};

template <int N>
[[gnu::always_inline]] inline void SetUpFactors(const PlasmaModes* patients, size_t count, double step,
                                                BlockFactors<N>& f) {
  for (int i = 0; i < N; ++i) {
    for (size_t p = 0; p < count; ++p) f.decay[i][p] = -patients[p].alpha[i] * step;
    ExpInPlace(f.decay[i], count);
  }
  for (size_t p = 0; p < kBlock; ++p) {
    for (int i = 0; i < N; ++i) {
      if (p < count) {
        const double e = f.decay[i][p];
        f.coef[i][p] = patients[p].coef[i];
        // Zero-order input over one step: coef (1 - e^{-alpha h}) / alpha per mg/min.
        f.gain[i][p] = patients[p].coef[i] * (1 - e) / patients[p].alpha[i];
      } else {  // padding lanes of a partial group: stay at zero
        f.decay[i][p] = f.coef[i][p] = f.gain[i][p] = 0;
      }
    }
  }
}

// Portable form: the whole block advanced one step at a time (vectorised
// across patients by the compiler).
template <int N>
[[gnu::always_inline]] inline void SimulateBlockPortable(const PlasmaModes* patients, size_t count, const GridPlan& grid,
                                                         const std::vector<Segment>& segments, float* out,
                                                         size_t stride) {
  BlockFactors<N> f;
  SetUpFactors<N>(patients, count, grid.step, f);
  alignas(64) double y[N][kBlock] = {}, input[N][kBlock];
  auto write = [&](size_t k) {
    float* row = out + k * stride;
    for (size_t p = 0; p < count; ++p) {
      double sum = y[0][p];
      for (int i = 1; i < N; ++i) sum += y[i][p];
      row[p] = static_cast<float>(sum);
    }
  };
  auto bolus = [&](double mg) {
    for (int i = 0; i < N; ++i) {
      for (size_t p = 0; p < kBlock; ++p) y[i][p] += f.coef[i][p] * mg;
    }
  };
  for (const Segment& s : segments) {
    if (s.bolus_mg != 0) bolus(s.bolus_mg);
    for (int i = 0; i < N; ++i) {
      for (size_t p = 0; p < kBlock; ++p) input[i][p] = f.gain[i][p] * s.rate;
    }
    for (size_t k = s.first; k < s.last; ++k) {
      write(k);
      if (s.rate == 0) {
        for (int i = 0; i < N; ++i) {
          for (size_t p = 0; p < kBlock; ++p) y[i][p] *= f.decay[i][p];
        }
      } else {
        for (int i = 0; i < N; ++i) {
          for (size_t p = 0; p < kBlock; ++p) y[i][p] = f.decay[i][p] * y[i][p] + input[i][p];
        }
      }
    }
  }
  if (const double mg = grid.bolus_mg[grid.count - 1]; mg != 0) bolus(mg);
  write(grid.count - 1);
}

void SimulateBlockDefault(int n, const PlasmaModes* patients, size_t count, const GridPlan& grid,
                          const std::vector<Segment>& segments, float* out, size_t stride) {
  switch (n) {
    case 1: SimulateBlockPortable<1>(patients, count, grid, segments, out, stride); break;
    case 2: SimulateBlockPortable<2>(patients, count, grid, segments, out, stride); break;
    default: SimulateBlockPortable<3>(patients, count, grid, segments, out, stride); break;
  }
}

#if defined(__x86_64__)
#ifndef KC_AVX2
#define KC_AVX2 [[gnu::target("avx2,fma"), gnu::always_inline]] inline
#endif

// Writes one row (16 patients) from the mode states: the sum of the modes,
// rounded to float. With `stream` (an output far larger than the caches, not
// read back soon) full aligned 64-byte lines go out as streaming stores,
// otherwise as ordinary stores; a partial group writes `count` floats.
template <int N, bool kPartial>
KC_AVX2 void WriteRow(const __m256d (&y)[N][4], float* row, size_t count, bool stream) {
  __m128 f[4];
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) {
    __m256d sum = y[0][j];
#pragma GCC unroll 3
    for (int i = 1; i < N; ++i) sum = _mm256_add_pd(sum, y[i][j]);
    f[j] = _mm256_cvtpd_ps(sum);
  }
  const __m256 lo = _mm256_set_m128(f[1], f[0]), hi = _mm256_set_m128(f[3], f[2]);
  if constexpr (kPartial) {
    alignas(32) float tmp[kGroup];
    _mm256_store_ps(tmp, lo);
    _mm256_store_ps(tmp + 8, hi);
    for (size_t p = 0; p < count; ++p) row[p] = tmp[p];
  } else if (stream && (reinterpret_cast<uintptr_t>(row) & 31) == 0) {
    _mm256_stream_ps(row, lo);
    _mm256_stream_ps(row + 8, hi);
  } else {
    _mm256_storeu_ps(row, lo);
    _mm256_storeu_ps(row + 8, hi);
  }
}

template <int N>
KC_AVX2 void BolusAvx2(const BlockFactors<N>& f, size_t p0, double mg, __m256d (&y)[N][4]) {
  const __m256d m = _mm256_set1_pd(mg);
#pragma GCC unroll 3
  for (int i = 0; i < N; ++i) {
#pragma GCC unroll 4
    for (int j = 0; j < 4; ++j) y[i][j] = _mm256_fmadd_pd(_mm256_load_pd(&f.coef[i][p0 + 4 * j]), m, y[i][j]);
  }
}

// One group of 16 patients through the whole grid, the mode states held in
// registers; decay and input factors are read from the block's arrays.
template <int N, bool kPartial>
KC_AVX2 void SimulateGroupAvx2(const BlockFactors<N>& f, size_t p0, size_t count, const GridPlan& grid,
                               const std::vector<Segment>& segments, float* out, size_t stride, bool stream) {
  __m256d y[N][4];
  alignas(32) double input[N][kGroup];
#pragma GCC unroll 3
  for (int i = 0; i < N; ++i) {
#pragma GCC unroll 4
    for (int j = 0; j < 4; ++j) y[i][j] = _mm256_setzero_pd();
  }
  for (const Segment& s : segments) {
    if (s.bolus_mg != 0) BolusAvx2<N>(f, p0, s.bolus_mg, y);
    float* row = out + s.first * stride;
    if (s.rate == 0) {
      for (size_t k = s.first; k < s.last; ++k, row += stride) {
        WriteRow<N, kPartial>(y, row, count, stream);
#pragma GCC unroll 3
        for (int i = 0; i < N; ++i) {
#pragma GCC unroll 4
          for (int j = 0; j < 4; ++j) y[i][j] = _mm256_mul_pd(_mm256_load_pd(&f.decay[i][p0 + 4 * j]), y[i][j]);
        }
      }
    } else {
      const __m256d rate = _mm256_set1_pd(s.rate);
#pragma GCC unroll 3
      for (int i = 0; i < N; ++i) {
#pragma GCC unroll 4
        for (int j = 0; j < 4; ++j) {
          _mm256_store_pd(&input[i][4 * j], _mm256_mul_pd(_mm256_load_pd(&f.gain[i][p0 + 4 * j]), rate));
        }
      }
      for (size_t k = s.first; k < s.last; ++k, row += stride) {
        WriteRow<N, kPartial>(y, row, count, stream);
#pragma GCC unroll 3
        for (int i = 0; i < N; ++i) {
#pragma GCC unroll 4
          for (int j = 0; j < 4; ++j) {
            y[i][j] = _mm256_fmadd_pd(_mm256_load_pd(&f.decay[i][p0 + 4 * j]), y[i][j], _mm256_load_pd(&input[i][4 * j]));
          }
        }
      }
    }
  }
  if (const double mg = grid.bolus_mg[grid.count - 1]; mg != 0) BolusAvx2<N>(f, p0, mg, y);
  WriteRow<N, kPartial>(y, out + (grid.count - 1) * stride, count, stream);
}

template <int N>
[[gnu::target("avx2,fma")]] void SimulateBlockAvx2(const PlasmaModes* patients, size_t count, const GridPlan& grid,
                                                   const std::vector<Segment>& segments, float* out, size_t stride,
                                                   bool stream) {
  BlockFactors<N> f;
  SetUpFactors<N>(patients, count, grid.step, f);
  size_t p0 = 0;
  for (; p0 + kGroup <= count; p0 += kGroup) {
    SimulateGroupAvx2<N, false>(f, p0, kGroup, grid, segments, out + p0, stride, stream);
  }
  if (p0 < count) SimulateGroupAvx2<N, true>(f, p0, count - p0, grid, segments, out + p0, stride, stream);
  _mm_sfence();  // streaming stores are ordered before anyone reads the output
}

bool HasAvx2Fma() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}
#endif

void SimulateBlockAny(int n, const PlasmaModes* patients, size_t count, const GridPlan& grid,
                      const std::vector<Segment>& segments, float* out, size_t stride, bool stream) {
#if defined(__x86_64__)
  if (HasAvx2Fma()) {
    switch (n) {
      case 1: return SimulateBlockAvx2<1>(patients, count, grid, segments, out, stride, stream);
      case 2: return SimulateBlockAvx2<2>(patients, count, grid, segments, out, stride, stream);
      default: return SimulateBlockAvx2<3>(patients, count, grid, segments, out, stride, stream);
    }
  }
#endif
  SimulateBlockDefault(n, patients, count, grid, segments, out, stride);
}

}  // namespace

void SimulateModes(const std::vector<PlasmaModes>& patients, const GridPlan& grid, float* out, size_t stride) {
  if (grid.count == 0) return;
  const std::vector<Segment> segments = Segments(grid);
  // Streaming stores only pay off when the output is far larger than the caches.
  const bool stream = static_cast<double>(stride) * static_cast<double>(grid.count) * sizeof(float) >= 16e6;
  for (size_t start = 0; start < patients.size();) {
    // A block holds patients with the same number of modes.
    const int n = patients[start].count;
    size_t end = start;
    while (end < patients.size() && end - start < kBlock && patients[end].count == n) ++end;
    SimulateBlockAny(n, patients.data() + start, end - start, grid, segments, out + start, stride, stream);
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
