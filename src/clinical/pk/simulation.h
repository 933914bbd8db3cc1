// Exact simulation of a dosing plan through a patient's linear compartment
// system. Between consecutive event times (boluses, infusion starts/stops,
// pauses, device absorption phases, requested times) the input is constant,
// so the state is advanced by the closed form x(t+h) = e^{Ah} x(t) +
// (integral e^{As} ds) u, computed once per distinct (h, input) by a
// matrix exponential; there is no fixed-step ODE loop. The same propagation
// carries the effect-site concentration (where a ke0 exists and is asked
// for), the amount eliminated and the AUC, so mass balance and AUC are exact.
// Pure; thread-safe (no shared state).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "clinical/pk/compartment_system.h"
#include "clinical/pk/dosing_plan.h"
#include "clinical/pk/units.h"

namespace ketachart::pk {

struct SimulationOptions {
  bool effect_site = false;  // needs a ke0 in the model
  std::optional<NanogramsPerMillilitre> threshold;  // for time above threshold
  bool amounts = true;       // keep per-compartment amounts in each point
};

struct ConcentrationPoint {
  Minutes time;
  NanogramsPerMillilitre plasma;
  std::optional<NanogramsPerMillilitre> effect;
  std::vector<Milligrams> amounts;  // per CompartmentSystem::state_names
};

// Where every milligram given by the last requested time is.
struct MassBalance {
  Milligrams administered;        // boluses, infused drug and intranasal devices given so far
  Milligrams in_body;             // sum over compartments and absorption depots
  Milligrams eliminated;          // cleared (metabolised or excreted)
  Milligrams presystemic_loss;    // swallowed drug lost to gut-wall metabolism (1 - Fgut)
  Milligrams awaiting_absorption; // swallowed drug not yet entered into the gut depot
  Milligrams Unaccounted() const {
    return administered - in_body - eliminated - presystemic_loss - awaiting_absorption;
  }
};

struct SimulationResult {
  std::vector<std::string> state_names;
  std::vector<ConcentrationPoint> points;  // at the requested times
  NanogramMinutesPerMillilitre auc;        // plasma AUC from 0 to the last requested time
  std::optional<Minutes> time_above_threshold;  // from 0 to the last requested time
  NanogramsPerMillilitre peak_plasma;      // highest plasma concentration at the requested times
  Minutes peak_time;
  MassBalance balance;
};

// Simulates `plan` from time 0 (empty body) to the last of `times`
// (increasing, >= 0). A bolus at a requested time is included in that
// time's concentration.
Result<SimulationResult> Simulate(const CompartmentSystem& system, const DosingPlan& plan,
                                  const std::vector<Minutes>& times, const SimulationOptions& options = {});

// Plasma concentrations only, at `times`: the fast path used by population
// simulation and TCI (no amounts, no threshold, no effect site).
Result<std::vector<NanogramsPerMillilitre>> SimulatePlasma(const CompartmentSystem& system, const DosingPlan& plan,
                                                           const std::vector<Minutes>& times);

}  // namespace ketachart::pk
