// One patient's linear compartment system, built from a published model and
// the patient's covariates (weight, age, ancestry where the model uses them)
// and, in population simulation, the patient's random effects. The system is
// the rate matrix of amounts (mg) in each compartment and absorption depot,
// the first-order elimination from each, the central volume that turns the
// central amount into plasma concentration, and the intranasal absorption
// rules where the model has them. Values; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "clinical/pk/matrix_exponential.h"
#include "clinical/pk/pk_model.h"
#include "clinical/pk/units.h"

namespace ketachart::pk {

struct PatientCovariates {
  Kilograms weight{70};
  std::optional<double> age_years;
  bool asian = false;     // Perez-Ruixo 2021: kel x 0.36
  bool japanese = false;  // Perez-Ruixo 2021: FRn x 1.34
};

// A virtual patient's deviation from the typical values: parameter x exp(eta)
// for log-normal parameters, logit(p) + eta for fractions.
struct RandomEffects {
  std::map<std::string, double> eta;
};

struct IntranasalAbsorption {
  double first_device_fraction = 0;  // FRn: fraction of a device absorbed through the nose
  double subsequent_device_factor = 1;  // FRn multiplier for the 2nd and later device of a dose
  double gut_fraction = 0;              // Fgut: swallowed fraction escaping gut-wall metabolism
  Minutes swallowed_duration;           // zero-order entry of the swallowed part into the gut depot
  Milligrams per_device;
  Minutes between_devices;
};

struct CompartmentSystem {
  std::vector<std::string> state_names;  // "central", "peripheral 1", ..., depots
  SquareMatrix transfer;                 // d(amount_i)/dt = sum_j transfer(i, j) amount_j, in 1/min
  std::vector<double> elimination_per_min;  // first-order loss from each state (already in transfer's diagonal)
  size_t central = 0;
  Litres central_volume;
  std::optional<size_t> nasal_depot;
  std::optional<size_t> gut_depot;
  std::optional<IntranasalAbsorption> intranasal;
  std::optional<double> ke0_per_min;
  bool ke0_confirmed = false;

  size_t size() const { return state_names.size(); }
};

// Builds the system; a covariate that drives a parameter out of range (e.g.
// hepatic flow <= 0 at an extreme age) is kInvalidInput.
Result<CompartmentSystem> BuildCompartmentSystem(const PkModel& model, const PatientCovariates& patient,
                                                 const RandomEffects& effects = {});

// Human-readable warnings when the patient lies outside what the model was
// built on (age, unverified constants, unconfirmed ke0 when it is used).
std::vector<std::string> PopulationWarnings(const PkModel& model, const PatientCovariates& patient);

}  // namespace ketachart::pk
