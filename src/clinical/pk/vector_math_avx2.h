// The four-lane AVX2/FMA kernels behind vector_math.h, shared with other
// AVX2 code of the population fast path (functions compiled with
// target("avx2,fma") inline them). Methods and accuracy: vector_math.cpp.
#pragma once

#include <array>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ketachart::pk::vector_math_detail {

constexpr double kPi = 3.14159265358979323846;

// 1/k! for k = 0..kExpDegree.
constexpr int kExpDegree = 13;
constexpr std::array<double, kExpDegree + 1> ExpCoefficients() {
  std::array<double, kExpDegree + 1> c{};
  double f = 1;
  for (int k = 0; k <= kExpDegree; ++k) {
    if (k > 0) f *= k;
    c[k] = 1.0 / f;
  }
  return c;
}
// asin y = sum_n a_n y^{2n+1}, a_n = (2n)! / (4^n (n!)^2 (2n+1)).
constexpr int kAsinTerms = 30;
constexpr std::array<double, kAsinTerms> AsinCoefficients() {
  std::array<double, kAsinTerms> c{};
  double binomial = 1;  // (2n)! / (4^n (n!)^2)
  for (int n = 0; n < kAsinTerms; ++n) {
    if (n > 0) binomial *= (2.0 * n - 1) / (2.0 * n);
    c[n] = binomial / (2 * n + 1);
  }
  return c;
}
// Odd Taylor coefficients of sin ((-1)^k / (2k+1)!) and even of cos ((-1)^k / (2k)!).
constexpr int kSinTerms = 12;
constexpr std::array<double, kSinTerms> SinCoefficients() {
  std::array<double, kSinTerms> c{};
  double f = 1;
  for (int k = 0; k < kSinTerms; ++k) {
    if (k > 0) f *= -(2.0 * k) * (2.0 * k + 1);
    c[k] = 1.0 / f;
  }
  return c;
}
constexpr std::array<double, kSinTerms> CosCoefficients() {
  std::array<double, kSinTerms> c{};
  double f = 1;
  for (int k = 0; k < kSinTerms; ++k) {
    if (k > 0) f *= -(2.0 * k - 1) * (2.0 * k);
    c[k] = 1.0 / f;
  }
  return c;
}
// 1/(2k+1) for the atanh series of log.
constexpr int kAtanhTerms = 11;

constexpr auto kExp = ExpCoefficients();
constexpr auto kAsin = AsinCoefficients();
constexpr auto kSin = SinCoefficients();
constexpr auto kCos = CosCoefficients();

#if defined(__x86_64__)
#ifndef KC_AVX2
#define KC_AVX2 [[gnu::target("avx2,fma"), gnu::always_inline]] inline
#endif

constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
constexpr double kPio2Hi = 1.57079632679489655800e+00, kPio2Lo = 6.12323399573676603587e-17;

KC_AVX2 __m256d Exp4(__m256d x) {
  // Clamped with the bounds first, so a NaN passes through (max/min return the second operand then).
  x = _mm256_min_pd(_mm256_set1_pd(709.0), _mm256_max_pd(_mm256_set1_pd(-708.0), x));
  const __m256d magic = _mm256_set1_pd(0x1.8p52);
  const __m256d t = _mm256_fmadd_pd(x, _mm256_set1_pd(1.4426950408889634074), magic);
  const __m256d n = _mm256_sub_pd(t, magic);
  __m256d r = _mm256_fnmadd_pd(n, _mm256_set1_pd(kLn2Hi), x);
  r = _mm256_fnmadd_pd(n, _mm256_set1_pd(kLn2Lo), r);
  __m256d p = _mm256_set1_pd(kExp[kExpDegree]);
  for (int k = kExpDegree - 1; k >= 0; --k) p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(kExp[k]));
  // 2^n: the low bits of t hold 2^51 + n; (that + 1023) << 52 keeps n + 1023.
  const __m256i bits = _mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(t), _mm256_set1_epi64x(1023)), 52);
  // On [-708, 709], n is in [-1021, 1023], so 2^n is a normal double.
  return _mm256_mul_pd(p, _mm256_castsi256_pd(bits));
}

// log of positive normal x.
KC_AVX2 __m256d Log4(__m256d x) {
  const __m256i bits = _mm256_castpd_si256(x);
  const __m256i exponent = _mm256_srli_epi64(bits, 52);
  __m256d m = _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi64x(0x000FFFFFFFFFFFFFll)),
                                                  _mm256_set1_epi64x(0x3FF0000000000000ll)));
  // Exponent as a double: 2^52 + e in the bits, minus 2^52.
  __m256d e = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(exponent, _mm256_set1_epi64x(0x4330000000000000ll))),
                            _mm256_set1_pd(0x1p52 + 1023));
  const __m256d big = _mm256_cmp_pd(m, _mm256_set1_pd(1.41421356237309504880), _CMP_GT_OQ);
  m = _mm256_blendv_pd(m, _mm256_mul_pd(m, _mm256_set1_pd(0.5)), big);
  e = _mm256_add_pd(e, _mm256_and_pd(big, _mm256_set1_pd(1.0)));
  const __m256d f = _mm256_sub_pd(m, _mm256_set1_pd(1.0));
  const __m256d s = _mm256_div_pd(f, _mm256_add_pd(f, _mm256_set1_pd(2.0)));
  const __m256d z = _mm256_mul_pd(s, s);
  __m256d p = _mm256_set1_pd(1.0 / (2 * kAtanhTerms - 1));
  for (int k = kAtanhTerms - 2; k >= 1; --k) p = _mm256_fmadd_pd(p, z, _mm256_set1_pd(1.0 / (2 * k + 1)));
  // log m = 2 s (1 + z/3 + z^2/5 + ...) = 2s + 2s z p.
  const __m256d two_s = _mm256_add_pd(s, s);
  const __m256d log_m = _mm256_fmadd_pd(_mm256_mul_pd(two_s, z), p, two_s);
  return _mm256_fmadd_pd(e, _mm256_set1_pd(kLn2Hi), _mm256_fmadd_pd(e, _mm256_set1_pd(kLn2Lo), log_m));
}

// sin and cos of |x| <= pi/4.
KC_AVX2 void SinCosReduced4(__m256d x, __m256d& s, __m256d& c) {
  const __m256d z = _mm256_mul_pd(x, x);
  __m256d ps = _mm256_set1_pd(kSin[kSinTerms - 1]), pc = _mm256_set1_pd(kCos[kSinTerms - 1]);
  for (int k = kSinTerms - 2; k >= 1; --k) {
    ps = _mm256_fmadd_pd(ps, z, _mm256_set1_pd(kSin[k]));
    pc = _mm256_fmadd_pd(pc, z, _mm256_set1_pd(kCos[k]));
  }
  s = _mm256_fmadd_pd(_mm256_mul_pd(x, z), ps, x);
  c = _mm256_fmadd_pd(z, pc, _mm256_set1_pd(1.0));
}

// (s, c) <- sin and cos of (a + q pi/2) given sr = sin a, cr = cos a and the
// quarter-turn count q (an integer value, |q| < 2^50).
KC_AVX2 void RotateQuarterTurns4(__m256d q, __m256d sr, __m256d cr, __m256d& s, __m256d& c) {
  const __m256i qi = _mm256_castpd_si256(_mm256_add_pd(q, _mm256_set1_pd(0x1.8p52)));  // low bits: 2^51 + q
  const __m256i one = _mm256_set1_epi64x(1), two = _mm256_set1_epi64x(2);
  const __m256d odd = _mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(qi, one), one));
  const __m256i q4 = _mm256_and_si256(qi, _mm256_set1_epi64x(3));  // q mod 4
  // sin negated for q mod 4 in {2, 3}; cos negated for q mod 4 in {1, 2}.
  const __m256d sign_bit = _mm256_set1_pd(-0.0);
  const __m256d neg_s = _mm256_castsi256_pd(_mm256_cmpeq_epi64(_mm256_and_si256(q4, two), two));
  const __m256d neg_c =
      _mm256_castsi256_pd(_mm256_or_si256(_mm256_cmpeq_epi64(q4, one), _mm256_cmpeq_epi64(q4, two)));
  const __m256d ss = _mm256_blendv_pd(sr, cr, odd), cc = _mm256_blendv_pd(cr, sr, odd);
  s = _mm256_xor_pd(ss, _mm256_and_pd(neg_s, sign_bit));
  c = _mm256_xor_pd(cc, _mm256_and_pd(neg_c, sign_bit));
}

// sin and cos of (q + f) pi/2, q an integer value, |f| <= 1/2.
KC_AVX2 void SinCosQuarterTurns4(__m256d q, __m256d f, __m256d& s, __m256d& c) {
  const __m256d x = _mm256_fmadd_pd(f, _mm256_set1_pd(kPio2Hi), _mm256_mul_pd(f, _mm256_set1_pd(kPio2Lo)));
  __m256d sr, cr;
  SinCosReduced4(x, sr, cr);
  RotateQuarterTurns4(q, sr, cr, s, c);
}

KC_AVX2 __m256d Asin4(__m256d y) {  // |y| <= 1/2
  const __m256d z = _mm256_mul_pd(y, y);
  __m256d p = _mm256_set1_pd(kAsin[kAsinTerms - 1]);
  for (int k = kAsinTerms - 2; k >= 1; --k) p = _mm256_fmadd_pd(p, z, _mm256_set1_pd(kAsin[k]));
  return _mm256_fmadd_pd(_mm256_mul_pd(y, z), p, y);
}

KC_AVX2 __m256d Acos4(__m256d x) {
  x = _mm256_min_pd(_mm256_set1_pd(1.0), _mm256_max_pd(_mm256_set1_pd(-1.0), x));  // NaN passes through
  const __m256d ax = _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
  const __m256d large = _mm256_cmp_pd(ax, _mm256_set1_pd(0.5), _CMP_GT_OQ);
  // |x| > 1/2: y = sqrt((1 - |x|) / 2) (1 - |x| is exact there), acos|x| = 2 asin y.
  const __m256d y = _mm256_blendv_pd(x, _mm256_sqrt_pd(_mm256_mul_pd(_mm256_sub_pd(_mm256_set1_pd(1.0), ax),
                                                                    _mm256_set1_pd(0.5))),
                                     large);
  const __m256d a = Asin4(y);
  // Small: pi/2 - asin x. Large, x > 0: 2a. Large, x < 0: pi - 2a.
  const __m256d small_result =
      _mm256_sub_pd(_mm256_set1_pd(kPio2Hi), _mm256_sub_pd(a, _mm256_set1_pd(kPio2Lo)));
  const __m256d two_a = _mm256_add_pd(a, a);
  const __m256d negative = _mm256_cmp_pd(x, _mm256_setzero_pd(), _CMP_LT_OQ);
  const __m256d pi_minus =
      _mm256_sub_pd(_mm256_set1_pd(2 * kPio2Hi), _mm256_sub_pd(two_a, _mm256_set1_pd(2 * kPio2Lo)));
  const __m256d large_result = _mm256_blendv_pd(two_a, pi_minus, negative);
  return _mm256_blendv_pd(small_result, large_result, large);
}

KC_AVX2 void SinCos4(__m256d x, __m256d& s, __m256d& c) {  // |x| <= pi
  const __m256d t = _mm256_mul_pd(x, _mm256_set1_pd(2 / kPi));
  const __m256d q = _mm256_round_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  // f = x / (pi/2) - q, computed as (x - q pi/2) / (pi/2) with pi/2 in two parts.
  const __m256d rem = _mm256_fnmadd_pd(q, _mm256_set1_pd(kPio2Lo), _mm256_fnmadd_pd(q, _mm256_set1_pd(kPio2Hi), x));
  __m256d sr, cr;
  SinCosReduced4(rem, sr, cr);
  RotateQuarterTurns4(q, sr, cr, s, c);
}
#endif

}  // namespace ketachart::pk::vector_math_detail
