// Tests of the modal population fast path against the general exact
// simulator: same virtual patients, same concentrations.
#include "clinical/pk/modal_population.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <memory>
#include <vector>

#include "clinical/pk/pk_model_catalog.h"
#include "clinical/pk/population.h"
#include "clinical/pk/simulation.h"

namespace ketachart::pk {
namespace {

std::vector<Minutes> Grid(double step, int count) {
  std::vector<Minutes> t;
  for (int k = 0; k < count; ++k) t.push_back(Minutes(k * step));
  return t;
}

DosingPlan MixedPlan(double weight) {
  DosingPlan plan;
  plan.infusions.push_back({Minutes(0), Milligrams(0.5 * weight), Minutes(40)});
  plan.infusions.push_back({Minutes(30), Milligrams(10), Minutes(20)});
  plan.pauses.push_back({Minutes(10), Minutes(5)});
  plan.boluses.push_back({Minutes(60), Milligrams(8)});
  return plan;
}

TEST(ModalPopulation, EqualsTheGeneralSimulatorForEveryMammillaryModel) {
  for (const char* id : {"domino-1984", "clements-nimmo-1981", "hijazi-2003", "fanta-2015", "simons-2022"}) {
    const PkModel& model = *FindModel(id).value();
    PopulationRequest request;
    request.patient = {Kilograms(81)};
    request.plan = MixedPlan(81);
    request.times = Grid(1, 241);
    request.patients = 50;
    request.seed = 11;
    if (!model.iiv.published) request.assumed_cv = 0.3;
    auto fast = SimulatePopulationConcentrations(model, request);
    ASSERT_TRUE(fast.ok()) << id;
    EXPECT_TRUE(fast.value().modal_fast_path) << id;
    auto sampler = RandomEffectSampler::For(model, request.assumed_cv).value();
    NormalStream normals(request.seed);
    for (size_t p = 0; p < request.patients; ++p) {
      auto system = BuildCompartmentSystem(model, request.patient, sampler.Draw(normals)).value();
      auto exact = SimulatePlasma(system, request.plan, request.times).value();
      for (size_t k = 0; k < request.times.size(); ++k) {
        const double expected = exact[k].value();
        EXPECT_NEAR(fast.value().values[k * request.patients + p], expected, 2e-6 * expected + 1e-9)
            << id << " patient " << p << " minute " << k;
      }
    }
  }
}

TEST(ModalPopulation, LargePopulationsGiveTheSamePatients) {
  // 17,000 patients x 241 points (16.4 MB) takes the streaming-store path and
  // chunks of whole blocks; its first patients are the same draws as a
  // 50-patient run's and must have the same concentrations.
  const PkModel& model = *FindModel("domino-1984").value();
  PopulationRequest request;
  request.patient = {Kilograms(70)};
  request.plan = MixedPlan(70);
  request.times = Grid(1, 241);
  request.seed = 5;
  request.assumed_cv = 0.3;
  request.patients = 50;
  auto small = SimulatePopulationConcentrations(model, request);
  request.patients = 17000;
  auto large = SimulatePopulationConcentrations(model, request);
  ASSERT_TRUE(small.ok() && large.ok());
  for (size_t k = 0; k < request.times.size(); ++k) {
    for (size_t p = 0; p < 50; ++p) {
      const double expected = small.value().values[k * 50 + p];
      ASSERT_NEAR(large.value().values[k * 17000 + p], expected, 1e-6 * expected) << p << " minute " << k;
    }
  }
}

TEST(ModalPopulation, ManyAtOnceEqualsOneByOne) {
  // 1-, 2- and 3-compartment constants over a wide range, and coinciding exponents.
  std::vector<std::array<double, 6>> cases;
  NormalStream normals(3);
  for (int p = 0; p < 997; ++p) {
    std::array<double, 6> c;
    for (double& v : c) v = std::exp(1.5 * normals.Next()) * 0.1;
    if (p % 5 == 1) c[4] = c[5] = 0;
    if (p % 5 == 2) c[2] = c[3] = c[4] = c[5] = 0;
    cases.push_back(c);
  }
  cases.push_back({10, 0.1, 0.2, 0.1, 0.0, 0.0});  // two compartments, distinct roots
  cases.push_back({10, 0.1, 0.0, 0.1, 0.0, 0.0});  // k12 = 0 with k21 > 0: coinciding roots -> empty
  cases.push_back({10, 0.1, 0.0, 0.1, 0.0, 0.1});  // cubic with a repeated root -> empty
  std::vector<double> columns[6];
  for (const auto& c : cases) {
    for (int j = 0; j < 6; ++j) columns[j].push_back(c[j]);
  }
  const double* micro[6];
  for (int j = 0; j < 6; ++j) micro[j] = columns[j].data();
  std::vector<PlasmaModes> many(cases.size());
  std::unique_ptr<bool[]> ok(new bool[cases.size()]);
  ModesFromMicroConstantsMany(micro, cases.size(), many.data(), ok.get());
  size_t empty = 0;
  for (size_t p = 0; p < cases.size(); ++p) {
    const auto& c = cases[p];
    const auto one = ModesFromMicroConstants(c[0], c[1], c[2], c[3], c[4], c[5]);
    ASSERT_EQ(ok[p], one.has_value()) << p;
    if (!one) {
      ++empty;
      continue;
    }
    ASSERT_EQ(many[p].count, one->count) << p;
    for (int i = 0; i < one->count; ++i) {
      EXPECT_NEAR(many[p].alpha[i], one->alpha[i], 1e-12 * one->alpha[0]) << p << " mode " << i;
      EXPECT_NEAR(many[p].coef[i], one->coef[i], 1e-9 * (std::fabs(one->coef[i]) + 1000 / c[0])) << p << " mode " << i;
    }
  }
  EXPECT_GE(empty, 2u);
}

TEST(ModalPopulation, OffGridPlansTakeTheGeneralPath) {
  EXPECT_FALSE(LayOnGrid(MixedPlan(70), {Minutes(0), Minutes(2), Minutes(3)}).has_value());
  DosingPlan odd;
  odd.boluses.push_back({Minutes(0.5), Milligrams(1)});
  EXPECT_FALSE(LayOnGrid(odd, Grid(1, 10)).has_value());
  auto grid = LayOnGrid(MixedPlan(70), Grid(1, 241));
  ASSERT_TRUE(grid.has_value());
  EXPECT_DOUBLE_EQ(grid->rate_mg_per_min[0], 35.0 / 40);
  EXPECT_DOUBLE_EQ(grid->rate_mg_per_min[12], 0);  // paused 10-15
  EXPECT_DOUBLE_EQ(grid->rate_mg_per_min[32], 35.0 / 40 + 0.5);
  EXPECT_DOUBLE_EQ(grid->bolus_mg[60], 8);
  // Domino plan of the bench: 40 infusing steps x 6 + 200 free steps x 3 + 241 sums x 2.
  DosingPlan standard;
  standard.infusions.push_back({Minutes(0), Milligrams(35), Minutes(40)});
  EXPECT_DOUBLE_EQ(RecursionFlopsPerPatient(*LayOnGrid(standard, Grid(1, 241)), 3), 40 * 6 + 200 * 3 + 241 * 2);
}

}  // namespace
}  // namespace ketachart::pk
