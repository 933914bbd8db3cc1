// Tests of the shipped model data, the model loader, compartment systems,
// the matrix exponential and the plan text form.
#include <gtest/gtest.h>

#include <cmath>

#include "clinical/pk/compartment_system.h"
#include "clinical/pk/dosing_plan.h"
#include "clinical/pk/matrix_exponential.h"
#include "clinical/pk/pk_model_catalog.h"

namespace ketachart::pk {
namespace {

TEST(PkModels, EveryShippedModelLoadsWithACitation) {
  const auto& models = ShippedModels();
  std::vector<std::string> ids;
  for (const auto& m : models) {
    ids.push_back(m.id);
    EXPECT_FALSE(m.citation.empty());
    EXPECT_FALSE(m.population_description.empty()) << m.id;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"clements-nimmo-1981", "domino-1984", "fanta-2015", "hijazi-2003",
                                           "perez-ruixo-2021", "simons-2022"}));
  EXPECT_FALSE(FindModel("kamp-2020").ok());
  EXPECT_EQ(FindModel("kamp-2020").error().code, ErrorCode::kNotFound);
}

TEST(PkModels, DominoDerivedVolumesMatchTheReference) {
  const PkModel& domino = *FindModel("domino-1984").value();
  // clinical-reference.md A1: V2 = V1 k12/k21 = 0.1510 L/kg; V3 = V1 k13/k31 = 2.546 L/kg.
  EXPECT_NEAR(domino.Parameter("v1") * domino.Parameter("k12") / domino.Parameter("k21"), 0.1510, 5e-5);
  EXPECT_NEAR(domino.Parameter("v1") * domino.Parameter("k13") / domino.Parameter("k31"), 2.546, 5e-4);
  ASSERT_TRUE(domino.effect_site.has_value());
  EXPECT_FALSE(domino.effect_site->confirmed);
  EXPECT_FALSE(domino.iiv.published);
}

TEST(PkModels, PerezRuixoHepaticClearanceMatchesTheDerivedValue) {
  const PkModel& model = *FindModel("perez-ruixo-2021").value();
  // Well-stirred: CL = Qh (kel + kmet) Vh / (Qh + (kel + kmet) Vh) = 109 L/h (clinical-reference.md A2).
  const double qh = model.Parameter("qh") * 60, intrinsic = (model.Parameter("kel") + model.Parameter("kmet")) * 60 *
                                                          model.Parameter("vh");
  EXPECT_NEAR(qh * intrinsic / (qh + intrinsic), 109, 0.5);
  EXPECT_NEAR(model.iiv.omega_squared.at("v1"), std::log1p(0.275 * 0.275), 1e-12);
}

TEST(PkModels, ClearanceModelsScaleByWeightWhereAllometryIsPublished) {
  const PkModel& fanta = *FindModel("fanta-2015").value();
  auto light = BuildCompartmentSystem(fanta, {Kilograms(35)}), heavy = BuildCompartmentSystem(fanta, {Kilograms(70)});
  EXPECT_NEAR(light.value().central_volume.value(), 133 / 2.0, 1e-9);
  EXPECT_NEAR(heavy.value().central_volume.value(), 133, 1e-9);
  const PkModel& simons = *FindModel("simons-2022").value();
  EXPECT_NEAR(BuildCompartmentSystem(simons, {Kilograms(35)}).value().central_volume.value(), 11.6, 1e-12);
}

TEST(PkModels, LoaderRejectsUncitedOrMalformedConstants) {
  EXPECT_FALSE(ParsePkModel("{").ok());
  EXPECT_FALSE(ParsePkModel(R"({"id":"x","citation":"c","parameterisation":"rate_constants",
     "parameters":{"v1":{"value":1,"unit":"L/kg"}}})").ok());  // no source
  auto missing = ParsePkModel(R"({"id":"x","citation":"c","parameterisation":"rate_constants",
     "parameters":{"v1":{"value":1,"unit":"L/kg","source":"s"}}})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "x.parameters.k10");
  EXPECT_FALSE(ParsePkModel(R"({"id":"x","citation":"c","parameterisation":"rate_constants",
     "parameters":{"v1":{"value":1,"unit":"furlongs","source":"s"}}})").ok());
}

TEST(PkModels, AgeAboveSixtyLowersHepaticFlow) {
  const PkModel& model = *FindModel("perez-ruixo-2021").value();
  auto young = BuildCompartmentSystem(model, {Kilograms(70), 40.0}).value();
  auto old = BuildCompartmentSystem(model, {Kilograms(70), 80.0}).value();
  // Outflow from the hepato-portal compartment back to central is Qh / Vh.
  const size_t liver = 3;
  ASSERT_EQ(young.state_names[liver], "hepato-portal");
  EXPECT_NEAR(young.transfer(0, liver) * 60 * 101, 151, 1e-9);
  EXPECT_NEAR(old.transfer(0, liver) * 60 * 101, 151 - 2.19 * 20, 1e-9);
  EXPECT_EQ(PopulationWarnings(model, {Kilograms(40), 15.0}).size(), 1u);
}

TEST(MatrixExponential, MatchesClosedForms) {
  SquareMatrix a(2);
  a(0, 0) = -0.3;
  a(1, 0) = 0.3;
  a(1, 1) = -0.05;
  const double t = 7;
  const SquareMatrix e = MatrixExponential(a.Scaled(t));
  EXPECT_NEAR(e(0, 0), std::exp(-0.3 * t), 1e-15);
  EXPECT_NEAR(e(1, 0), 0.3 / (0.3 - 0.05) * (std::exp(-0.05 * t) - std::exp(-0.3 * t)), 1e-14);
  EXPECT_NEAR(e(0, 1), 0.0, 1e-300);
  SquareMatrix rotation(2);  // large norm: exercises scaling and squaring
  rotation(0, 1) = -40;
  rotation(1, 0) = 40;
  const SquareMatrix r = MatrixExponential(rotation);
  EXPECT_NEAR(r(0, 0), std::cos(40.0), 1e-12);
  EXPECT_NEAR(r(1, 0), std::sin(40.0), 1e-12);
}

TEST(PlanText, ParsesTheIssueForms) {
  auto f = ParseInfusionText("0.5 mg/kg over 40 min", Kilograms(70), "infuse");
  ASSERT_TRUE(f.ok());
  EXPECT_DOUBLE_EQ(f.value().amount.value(), 35);
  EXPECT_DOUBLE_EQ(f.value().duration.value(), 40);
  EXPECT_DOUBLE_EQ(f.value().start.value(), 0);
  auto g = ParseInfusionText("0.3 mg/kg over 30 min at 20 min", Kilograms(80), "infuse");
  ASSERT_TRUE(g.ok());
  EXPECT_DOUBLE_EQ(g.value().amount.value(), 24);
  EXPECT_DOUBLE_EQ(g.value().start.value(), 20);
  auto b = ParseBolusText("20 mg at 0 min", Kilograms(70), "bolus");
  ASSERT_TRUE(b.ok());
  EXPECT_DOUBLE_EQ(b.value().amount.value(), 20);
  auto n = ParseIntranasalText("84 mg at 0 min", Milligrams(28), "intranasal");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value().devices, 3);
  EXPECT_FALSE(ParseIntranasalText("50 mg", Milligrams(28), "intranasal").ok());
  for (const char* bad : {"", "0.5 mg/kg", "0.5 mg/kg over", "0.5 mg/kg over 40", "x mg over 40 min",
                          "0.5 mg/kg over 40 min at", "-1 mg over 40 min", "0.5 mg/kg over 0 min",
                          "0.5 mg/kg over 40 min at 20 min extra", "0.5 g over 40 min"}) {
    auto r = ParseInfusionText(bad, Kilograms(70), "infuse");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "infuse");
  }
  auto times = ParseTimesText("0:240:5", "times");
  ASSERT_TRUE(times.ok());
  EXPECT_EQ(times.value().size(), 49u);
  EXPECT_DOUBLE_EQ(times.value().back().value(), 240);
  EXPECT_FALSE(ParseTimesText("0:240:0", "times").ok());
  EXPECT_FALSE(ParseTimesText("10,5", "times").ok());
}

}  // namespace
}  // namespace ketachart::pk
