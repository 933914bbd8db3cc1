// Building a patient's compartment system from a model (see compartment_system.h).
#include "clinical/pk/compartment_system.h"

#include <cmath>
#include <fmt/format.h>

namespace ketachart::pk {
namespace {

class SystemBuilder {
 public:
  size_t Add(std::string name) {
    names_.push_back(std::move(name));
    return names_.size() - 1;
  }
  // First-order flow from `from` to `to` at `rate` 1/min.
  void Flow(size_t from, size_t to, double rate) { flows_.push_back({from, to, rate}); }
  void Eliminate(size_t from, double rate) { eliminations_.push_back({from, from, rate}); }

  CompartmentSystem Finish() const {
    CompartmentSystem system;
    system.state_names = names_;
    system.transfer = SquareMatrix(names_.size());
    system.elimination_per_min.assign(names_.size(), 0.0);
    for (const auto& f : flows_) {
      system.transfer(f.to, f.from) += f.rate;
      system.transfer(f.from, f.from) -= f.rate;
    }
    for (const auto& e : eliminations_) {
      system.transfer(e.from, e.from) -= e.rate;
      system.elimination_per_min[e.from] += e.rate;
    }
    return system;
  }

 private:
  struct Edge {
    size_t from, to;
    double rate;
  };
  std::vector<std::string> names_;
  std::vector<Edge> flows_, eliminations_;
};

double Logit(double p) { return std::log(p / (1 - p)); }
double Expit(double x) { return 1 / (1 + std::exp(-x)); }

}  // namespace

Result<CompartmentSystem> BuildCompartmentSystem(const PkModel& model, const PatientCovariates& patient,
                                                 const RandomEffects& effects) {
  const double weight = patient.weight.value();
  if (!(weight > 0)) return InvalidInput("weight_kg", "must be positive");
  // Typical value x allometry x exp(eta).
  auto value = [&](const std::string& name) {
    double v = model.Parameter(name);
    auto exponent = model.allometric_exponents.find(name);
    if (exponent != model.allometric_exponents.end()) {
      v *= std::pow(weight / model.allometry_reference_weight_kg, exponent->second);
    }
    auto eta = effects.eta.find(name);
    if (eta != effects.eta.end()) v *= std::exp(eta->second);
    return v;
  };

  SystemBuilder builder;
  const size_t central = builder.Add("central");
  double v1 = 0;
  std::optional<size_t> nasal, gut;
  std::optional<IntranasalAbsorption> intranasal;
  switch (model.parameterisation) {
    case Parameterisation::kRateConstants: {
      v1 = value("v1") * weight;  // L/kg x kg (linear in weight)
      builder.Eliminate(central, value("k10"));
      const size_t p1 = builder.Add("peripheral 1");
      builder.Flow(central, p1, value("k12"));
      builder.Flow(p1, central, value("k21"));
      if (model.Has("k13")) {
        const size_t p2 = builder.Add("peripheral 2");
        builder.Flow(central, p2, value("k13"));
        builder.Flow(p2, central, value("k31"));
      }
      break;
    }
    case Parameterisation::kClearances:
    case Parameterisation::kHepaticFirstPass: {
      v1 = value("v1");
      const size_t p1 = builder.Add("peripheral 1");
      builder.Flow(central, p1, value("q2") / v1);
      builder.Flow(p1, central, value("q2") / value("v2"));
      if (model.Has("v3")) {
        const size_t p2 = builder.Add("peripheral 2");
        builder.Flow(central, p2, value("q3") / v1);
        builder.Flow(p2, central, value("q3") / value("v3"));
      }
      if (model.parameterisation == Parameterisation::kClearances) {
        builder.Eliminate(central, value("cl") / v1);
        break;
      }
      // Hepato-portal compartment (Perez-Ruixo 2021 as encoded by nlmixr2lib):
      // Qh = typical x exp(eta) - 2.19 L/h per year above 60; elimination kel + kmet.
      double qh = value("qh");
      if (patient.age_years && *patient.age_years > 60) {
        qh -= model.covariate_constants.at("qh_decrease_l_per_h_per_year_above_60") / 60.0 * (*patient.age_years - 60);
      }
      if (!(qh > 0)) return InvalidInput("age_years", "gives a hepatic blood flow <= 0 in " + model.id);
      double kel = value("kel");
      if (patient.asian) kel *= model.covariate_constants.at("asian_kel_factor");
      const size_t liver = builder.Add("hepato-portal");
      const double vh = value("vh");
      builder.Flow(central, liver, qh / v1);
      builder.Flow(liver, central, qh / vh);
      builder.Eliminate(liver, kel + value("kmet"));
      nasal = builder.Add("nasal depot");
      builder.Flow(*nasal, central, value("ka_nasal"));
      gut = builder.Add("gut depot");
      builder.Flow(*gut, liver, value("ka_swallowed"));

      double frn = model.Parameter("frn");
      if (auto eta = effects.eta.find("frn"); eta != effects.eta.end()) frn = Expit(Logit(frn) + eta->second);
      if (patient.japanese) frn *= model.covariate_constants.at("japanese_frn_factor");
      frn = std::min(frn, 1.0);
      IntranasalAbsorption absorption;
      absorption.first_device_fraction = frn;
      absorption.subsequent_device_factor = model.Parameter("subsequent_device_factor");
      absorption.gut_fraction = model.Parameter("fgut");
      absorption.swallowed_duration = Minutes(model.Parameter("swallowed_duration"));
      absorption.per_device = Milligrams(model.intranasal_device ? model.intranasal_device->mg_per_device : 0);
      absorption.between_devices = Minutes(model.intranasal_device ? model.intranasal_device->minutes_between_devices : 0);
      intranasal = absorption;
      break;
    }
  }
  CompartmentSystem system = builder.Finish();
  system.central = central;
  system.central_volume = Litres(v1);
  system.nasal_depot = nasal;
  system.gut_depot = gut;
  system.intranasal = intranasal;
  if (model.effect_site) {
    system.ke0_per_min = model.effect_site->ke0_per_min;
    system.ke0_confirmed = model.effect_site->confirmed;
  }
  return system;
}

std::vector<std::string> PopulationWarnings(const PkModel& model, const PatientCovariates& patient) {
  std::vector<std::string> warnings;
  if (model.adults_only && patient.age_years && *patient.age_years < 18) {
    warnings.push_back(fmt::format("{} was built on adults; the patient is {:g} years old", model.id, *patient.age_years));
  }
  if (!model.verified_against_paper) {
    warnings.push_back(model.id + ": constants were not checked against the paper");
  }
  return warnings;
}

}  // namespace ketachart::pk
