// Tests of population simulation: determinism by seed, ordering of the
// percentiles, the published correlation being reproduced, and the refusal
// to invent variability for models that have none published.
#include "clinical/pk/population.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "clinical/pk/pk_model_catalog.h"
#include "clinical/pk/simulation.h"

namespace ketachart::pk {
namespace {

PopulationRequest StandardRequest(double weight_kg = 70) {
  PopulationRequest request;
  request.patient = {Kilograms(weight_kg)};
  request.plan.infusions.push_back({Minutes(0), Milligrams(weight_kg * 0.5), Minutes(40)});
  for (int t = 0; t <= 240; t += 20) request.times.push_back(Minutes(t));
  request.patients = 400;
  request.seed = 42;
  return request;
}

TEST(PopulationSimulation, IsDeterministicForASeedAndOrdered) {
  const PkModel& fanta = *FindModel("fanta-2015").value();
  auto a = SimulatePopulation(fanta, StandardRequest()), b = SimulatePopulation(fanta, StandardRequest());
  PopulationRequest other = StandardRequest();
  other.seed = 43;
  auto c = SimulatePopulation(fanta, other);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  bool any_difference = false;
  for (size_t i = 1; i < a.value().bands.size(); ++i) {
    const auto& band = a.value().bands[i];
    EXPECT_EQ(band.p50.value(), b.value().bands[i].p50.value());
    EXPECT_LT(band.p5.value(), band.p50.value());
    EXPECT_LT(band.p50.value(), band.p95.value());
    any_difference |= band.p50.value() != c.value().bands[i].p50.value();
  }
  EXPECT_TRUE(any_difference);
}

TEST(PopulationSimulation, FillGivesTheDrawsOfNext) {
  NormalStream one_by_one(7), batched(7);
  std::vector<double> filled;
  for (size_t n : {1, 7, 600, 3, 0, 1024, 5}) {  // odd sizes carry the spare sine across calls
    std::vector<double> part(n);
    batched.Fill(part.data(), n);
    filled.insert(filled.end(), part.begin(), part.end());
    filled.push_back(batched.Next());  // Next continues the same stream after a Fill
  }
  for (size_t i = 0; i < filled.size(); ++i) {
    const double expected = one_by_one.Next();
    ASSERT_NEAR(filled[i], expected, 1e-14 * (1 + std::fabs(expected))) << i;
  }
}

TEST(PopulationSimulation, SamplerReproducesThePublishedCovariance) {
  auto sampler = RandomEffectSampler::For(*FindModel("fanta-2015").value(), std::nullopt);
  ASSERT_TRUE(sampler.ok());
  NormalStream normals(7);
  const int n = 40000;
  double sv = 0, sc = 0, svv = 0, scc = 0, svc = 0;
  for (int i = 0; i < n; ++i) {
    auto e = sampler.value().Draw(normals);
    const double v = e.eta.at("v1"), c = e.eta.at("cl");
    sv += v, sc += c, svv += v * v, scc += c * c, svc += v * c;
  }
  // Otto 2021: omega^2 V1 0.084, CL 0.026, covariance 0.023 (clinical-reference.md A2).
  EXPECT_NEAR(svv / n - (sv / n) * (sv / n), 0.084, 0.004);
  EXPECT_NEAR(scc / n - (sc / n) * (sc / n), 0.026, 0.0015);
  EXPECT_NEAR(svc / n - (sv / n) * (sc / n), 0.023, 0.0015);
}

TEST(PopulationSimulation, RefusesToInventVariability) {
  const PkModel& domino = *FindModel("domino-1984").value();
  auto refused = SimulatePopulation(domino, StandardRequest());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "assumed_cv");
  PopulationRequest assumed = StandardRequest();
  assumed.assumed_cv = 1e-9;  // practically no variability: every band is the typical patient
  auto r = SimulatePopulation(domino, assumed);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r.value().variability_source.find("ASSUMED"), std::string::npos);
  auto typical = SimulatePlasma(BuildCompartmentSystem(domino, assumed.patient).value(), assumed.plan, assumed.times);
  for (size_t i = 0; i < r.value().bands.size(); ++i) {
    EXPECT_NEAR(r.value().bands[i].p5.value(), typical.value()[i].value(), 1e-4 * (1 + typical.value()[i].value()));
    EXPECT_NEAR(r.value().bands[i].p95.value(), typical.value()[i].value(), 1e-4 * (1 + typical.value()[i].value()));
  }
  PopulationRequest both = StandardRequest();
  both.assumed_cv = 0.3;
  EXPECT_FALSE(SimulatePopulation(*FindModel("simons-2022").value(), both).ok());
}

TEST(PopulationSimulation, PercentileIsRType7) {
  std::vector<float> v{5, 1, 4, 2, 3};
  EXPECT_DOUBLE_EQ(Percentile(v, 0.5), 3);
  EXPECT_NEAR(Percentile(v, 0.05), 1.2, 1e-12);
  EXPECT_NEAR(Percentile(v, 0.95), 4.8, 1e-12);
}

}  // namespace
}  // namespace ketachart::pk

namespace ketachart::pk {
namespace {

TEST(PopulationSimulation, BandsEqualSortedPercentiles) {
  PopulationConcentrations c;
  c.times = 2;
  c.patients = 1001;
  NormalStream normals(5);
  for (size_t i = 0; i < c.times * c.patients; ++i) c.values.push_back(static_cast<float>(std::exp(normals.Next())));
  const auto bands = PercentileBands(c, {Minutes(0), Minutes(1)});
  for (size_t t = 0; t < 2; ++t) {
    std::vector<float> column(c.values.begin() + static_cast<long>(t * c.patients),
                              c.values.begin() + static_cast<long>((t + 1) * c.patients));
    std::vector<float> copy = column;
    EXPECT_DOUBLE_EQ(bands[t].p5.value(), Percentile(copy = column, 0.05));
    EXPECT_DOUBLE_EQ(bands[t].p50.value(), Percentile(copy = column, 0.50));
    EXPECT_DOUBLE_EQ(bands[t].p95.value(), Percentile(copy = column, 0.95));
  }
}

TEST(PopulationSimulation, BandsAreExactWithTiesZerosAndNegatives) {
  // Columns where many values share a histogram bucket or are equal: all
  // zero, a few distinct values repeated, negatives mixed with positives,
  // and values differing in the last bit only. Large enough (20,011) for
  // the histogram selection; the test above covers the small-population path.
  PopulationConcentrations c;
  c.patients = 20011;
  c.times = 4;
  NormalStream normals(9);
  for (size_t p = 0; p < c.patients; ++p) c.values.push_back(0.0f);
  for (size_t p = 0; p < c.patients; ++p) c.values.push_back(static_cast<float>(p % 7) * 0.5f);
  for (size_t p = 0; p < c.patients; ++p) c.values.push_back(static_cast<float>(normals.Next()));
  for (size_t p = 0; p < c.patients; ++p) c.values.push_back(std::nextafter(1.0f, 2.0f * static_cast<float>(p % 3)));
  const auto bands = PercentileBands(c, {Minutes(0), Minutes(1), Minutes(2), Minutes(3)});
  ASSERT_EQ(bands.size(), 4u);
  for (size_t t = 0; t < c.times; ++t) {
    const std::vector<float> column(c.values.begin() + static_cast<long>(t * c.patients),
                                    c.values.begin() + static_cast<long>((t + 1) * c.patients));
    std::vector<float> copy;
    EXPECT_EQ(bands[t].p5.value(), Percentile(copy = column, 0.05)) << t;
    EXPECT_EQ(bands[t].p50.value(), Percentile(copy = column, 0.50)) << t;
    EXPECT_EQ(bands[t].p95.value(), Percentile(copy = column, 0.95)) << t;
  }
  EXPECT_LT(bands[2].p5.value(), 0);
  EXPECT_EQ(bands[0].p95.value(), 0);
}

}  // namespace
}  // namespace ketachart::pk
