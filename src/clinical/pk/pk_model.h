// A published pharmacokinetic model as KetaChart keeps it: the constants,
// their units and sources, the population it was built on, its covariates and
// inter-individual variability, read from data/pk-models/*.json (compiled
// into the binary). Parsing converts every constant to canonical units
// (litres, litres per kg, L/min, 1/min, minutes, fractions). Immutable after
// loading; thread-safe to share.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_input.h"
#include "base/result.h"

namespace ketachart::pk {

enum class Parameterisation {
  kRateConstants,     // V1 in L/kg and micro rate constants k10, k12, k21 (, k13, k31)
  kClearances,        // V1..V3 and CL, Q2, Q3 (2- or 3-compartment), optional allometry
  kHepaticFirstPass,  // Perez-Ruixo: 3 compartments + hepato-portal, nasal and swallowed absorption
};

struct EffectSite {
  double ke0_per_min = 0;
  bool confirmed = false;  // false: UNCONFIRMED in clinical-reference.md; shown only on request
  std::string note;
};

struct InterIndividualVariability {
  bool published = false;
  std::map<std::string, double> omega_squared;  // log-normal variances by parameter name
  struct Covariance {
    std::string first, second;
    double value = 0;
  };
  std::vector<Covariance> covariances;
  std::map<std::string, double> logit_variance;  // additive on the logit scale (fractions)
  std::string note;
};

struct IntranasalDevice {
  double mg_per_device = 0;
  double minutes_between_devices = 0;
};

struct PkModel {
  std::string id;  // kebab form, e.g. "domino-1984"
  std::string name, drug, enantiomer, citation;
  std::vector<std::string> routes;  // "iv", "intranasal"
  std::string population_description;
  bool adults_only = false;
  bool verified_against_paper = true;
  Parameterisation parameterisation = Parameterisation::kRateConstants;
  // Canonical units: volumes "v*" in L (or L/kg for rate-constant models'
  // v1), clearances in L/min, rate constants in 1/min, durations in min.
  std::map<std::string, double> parameters;
  double allometry_reference_weight_kg = 70;
  std::map<std::string, double> allometric_exponents;
  std::map<std::string, double> covariate_constants;
  std::optional<EffectSite> effect_site;
  InterIndividualVariability iiv;
  std::optional<IntranasalDevice> intranasal_device;
  std::vector<std::string> covariate_descriptions;
  std::vector<std::string> notes;
  Json document;  // the data file as published, for `pk models --format json`

  double Parameter(const std::string& name) const { return parameters.at(name); }
  bool Has(const std::string& name) const { return parameters.count(name) > 0; }
  bool SupportsRoute(std::string_view route) const;
};

// Parses one data file; a missing or malformed constant is kInvalidInput
// naming its JSON path.
Result<PkModel> ParsePkModel(std::string_view json_text);

}  // namespace ketachart::pk
