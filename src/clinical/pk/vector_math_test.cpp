// Tests of the vectorised transcendental functions against the C library.
#include "clinical/pk/vector_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace ketachart::pk {
namespace {

// Relative difference, or absolute near zero.
double Difference(double a, double b) { return std::fabs(a - b) / std::max(1e-300, std::max(std::fabs(b), 1e-3)); }

TEST(VectorMath, ExpMatchesTheCLibrary) {
  std::vector<double> x;
  for (int i = 0; i <= 20001; ++i) x.push_back(-700 + 1400.0 * i / 20001);  // odd count: exercises the tail
  for (int i = 0; i <= 2001; ++i) x.push_back(-3 + 6.0 * i / 2001);
  std::vector<double> y = x;
  ExpInPlace(y.data(), y.size());
  for (size_t i = 0; i < x.size(); ++i) {
    ASSERT_LE(std::fabs(y[i] - std::exp(x[i])) / std::exp(x[i]), 1e-15) << x[i];
  }
  std::vector<double> edge = {-1e6, 1e6, std::nan(""), 0.5};
  ExpInPlace(edge.data(), edge.size());
  EXPECT_NEAR(edge[0] / std::exp(-708.0), 1, 1e-15);
  EXPECT_NEAR(edge[1] / std::exp(709.0), 1, 1e-15);
  EXPECT_TRUE(std::isnan(edge[2]));  // not clamped into a number
}

TEST(VectorMath, AcosMatchesTheCLibrary) {
  std::vector<double> x;
  for (int i = 0; i <= 40001; ++i) x.push_back(-1 + 2.0 * i / 40001);
  x.push_back(1.0);
  x.push_back(-1.0);
  x.push_back(1.5);  // clamped
  std::vector<double> y = x;
  AcosInPlace(y.data(), y.size());
  std::vector<double> nan = {std::nan(""), 0.25, 0.5, 0.75};
  AcosInPlace(nan.data(), nan.size());
  EXPECT_TRUE(std::isnan(nan[0]));
  for (size_t i = 0; i + 1 < x.size(); ++i) ASSERT_LE(Difference(y[i], std::acos(x[i])), 1e-15) << x[i];
  EXPECT_EQ(y.back(), 0.0);
}

TEST(VectorMath, SinCosMatchesTheCLibrary) {
  std::vector<double> x;
  for (int i = 0; i <= 30001; ++i) x.push_back(-M_PI + 2 * M_PI * i / 30001);
  std::vector<double> s(x.size()), c(x.size());
  SinCos(x.data(), s.data(), c.data(), x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    ASSERT_LE(std::fabs(s[i] - std::sin(x[i])), 2e-16) << x[i];
    ASSERT_LE(std::fabs(c[i] - std::cos(x[i])), 2e-16) << x[i];
  }
}

TEST(VectorMath, BoxMullerMatchesTheScalarFormula) {
  std::vector<double> u1, u2;
  for (int i = 0; i < 10007; ++i) {
    u1.push_back((i + 1.0) / 10007);
    u2.push_back(std::fmod(i * 0.6180339887498949, 1.0));
  }
  u1.push_back(0x1p-53);  // smallest uniform the stream can give
  u2.push_back(0.999999);
  std::vector<double> out(2 * u1.size());
  BoxMuller(u1.data(), u2.data(), out.data(), u1.size());
  for (size_t j = 0; j < u1.size(); ++j) {
    const double r = std::sqrt(-2.0 * std::log(u1[j]));
    ASSERT_LE(std::fabs(out[2 * j] - r * std::cos(2 * M_PI * u2[j])), 2e-15 * (1 + r)) << j;
    ASSERT_LE(std::fabs(out[2 * j + 1] - r * std::sin(2 * M_PI * u2[j])), 2e-15 * (1 + r)) << j;
  }
}

}  // namespace
}  // namespace ketachart::pk
