// Tests of the modal population fast path against the general exact
// simulator: same virtual patients, same concentrations.
#include "clinical/pk/modal_population.h"

#include <gtest/gtest.h>

#include <cmath>

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
