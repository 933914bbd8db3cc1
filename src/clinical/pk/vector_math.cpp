// Vectorised exp / acos / sin-cos / Box-Muller (see vector_math.h).
//
// Methods: exp by Cody-Waite reduction x = n ln2 + r (|r| <= ln2/2) and the
// Taylor polynomial of e^r to degree 13 (truncation < 1e-17 relative); log
// (inside Box-Muller) by m 2^e with m in [sqrt(1/2), sqrt(2)) and
// log m = 2 atanh(s), s = (m-1)/(m+1), series to s^21; sin/cos by reduction
// to |x| <= pi/4 in quarter turns and Taylor polynomials to degree 17/18;
// acos through asin's Maclaurin series on |y| <= 1/2 (acos x = 2 asin
// sqrt((1-x)/2) for |x| > 1/2), 30 terms (truncation < 1e-18).
#include "clinical/pk/vector_math.h"

#include "clinical/pk/vector_math_avx2.h"

#include <algorithm>
#include <array>
#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ketachart::pk {
namespace {

using namespace vector_math_detail;

// The C library forms of SinCos and BoxMuller from element / pair `from` on: the whole
// array on CPUs without AVX2/FMA, and the elements past the last group of four with them.
void SinCosScalar(const double* x, double* s, double* c, size_t from, size_t n) {
  for (size_t i = from; i < n; ++i) {
    s[i] = std::sin(x[i]);
    c[i] = std::cos(x[i]);
  }
}

void BoxMullerScalar(const double* u1, const double* u2, double* out, size_t from, size_t pairs) {
  for (size_t j = from; j < pairs; ++j) {
    const double r = std::sqrt(-2.0 * std::log(u1[j]));
    out[2 * j] = r * std::cos(2 * kPi * u2[j]);
    out[2 * j + 1] = r * std::sin(2 * kPi * u2[j]);
  }
}

#if defined(__x86_64__)

// F over x[0..n) four at a time; the last partial group padded with zeros.
template <__m256d (*F)(__m256d)>
[[gnu::target("avx2,fma")]] void MapAvx2(double* x, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(x + i, F(_mm256_loadu_pd(x + i)));
  if (i < n) {
    alignas(32) double tmp[4] = {0, 0, 0, 0};
    std::copy(x + i, x + n, tmp);
    _mm256_store_pd(tmp, F(_mm256_load_pd(tmp)));
    std::copy(tmp, tmp + (n - i), x + i);
  }
}

[[gnu::target("avx2,fma")]] void SinCosAvx2(const double* x, double* s, double* c, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    __m256d vs, vc;
    SinCos4(_mm256_loadu_pd(x + i), vs, vc);
    _mm256_storeu_pd(s + i, vs);
    _mm256_storeu_pd(c + i, vc);
  }
  SinCosScalar(x, s, c, i, n);
}

[[gnu::target("avx2,fma")]] void BoxMullerAvx2(const double* u1, const double* u2, double* out, size_t pairs) {
  size_t j = 0;
  for (; j + 4 <= pairs; j += 4) {
    const __m256d r = _mm256_sqrt_pd(_mm256_mul_pd(_mm256_set1_pd(-2.0), Log4(_mm256_loadu_pd(u1 + j))));
    // 2 pi u2 = (q + f) pi/2 with t = 4 u2 exact, q = round(t), f = t - q exact.
    const __m256d t = _mm256_mul_pd(_mm256_loadu_pd(u2 + j), _mm256_set1_pd(4.0));
    const __m256d q = _mm256_round_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256d s, c;
    SinCosQuarterTurns4(q, _mm256_sub_pd(t, q), s, c);
    const __m256d a = _mm256_mul_pd(r, c), b = _mm256_mul_pd(r, s);
    // Interleave: out = a0 b0 a1 b1 | a2 b2 a3 b3.
    const __m256d lo = _mm256_unpacklo_pd(a, b), hi = _mm256_unpackhi_pd(a, b);  // a0 b0 a2 b2 | a1 b1 a3 b3
    _mm256_storeu_pd(out + 2 * j, _mm256_permute2f128_pd(lo, hi, 0x20));
    _mm256_storeu_pd(out + 2 * j + 4, _mm256_permute2f128_pd(lo, hi, 0x31));
  }
  BoxMullerScalar(u1, u2, out, j, pairs);
}
#endif

}  // namespace

bool VectorMathHasAvx2() {
#if defined(__x86_64__)
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
#else
  return false;
#endif
}

void ExpInPlace(double* x, size_t n) {
#if defined(__x86_64__)
  if (VectorMathHasAvx2()) return MapAvx2<Exp4>(x, n);
#endif
  for (size_t i = 0; i < n; ++i) x[i] = std::exp(std::clamp(x[i], -708.0, 709.0));
}

void AcosInPlace(double* x, size_t n) {
#if defined(__x86_64__)
  if (VectorMathHasAvx2()) return MapAvx2<Acos4>(x, n);
#endif
  for (size_t i = 0; i < n; ++i) x[i] = std::acos(std::clamp(x[i], -1.0, 1.0));
}

void SinCos(const double* x, double* s, double* c, size_t n) {
#if defined(__x86_64__)
  if (VectorMathHasAvx2() && std::all_of(x, x + n, [](double v) { return std::fabs(v) <= kPi; })) {
    return SinCosAvx2(x, s, c, n);
  }
#endif
  SinCosScalar(x, s, c, 0, n);
}

void BoxMuller(const double* u1, const double* u2, double* out, size_t pairs) {
#if defined(__x86_64__)
  if (VectorMathHasAvx2()) return BoxMullerAvx2(u1, u2, out, pairs);
#endif
  BoxMullerScalar(u1, u2, out, 0, pairs);
}

}  // namespace ketachart::pk
