// Target-controlled infusion for plasma targets: given a target plasma
// concentration profile (piecewise constant, e.g. hold 150 ng/mL for 40 min)
// and the pump's update interval, the rate for each interval is the one that
// brings the predicted plasma concentration exactly to the target at the end
// of the interval (by superposition of the exact free response and the exact
// unit-rate response), never negative and never above the pump's maximum.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "base/result.h"
#include "clinical/pk/compartment_system.h"
#include "clinical/pk/dosing_plan.h"
#include "clinical/pk/units.h"

namespace ketachart::pk {

struct TargetStep {
  Minutes from;  // the target holds from here until the next step (or the end)
  NanogramsPerMillilitre target;
};

struct TciRequest {
  std::vector<TargetStep> targets;  // increasing `from`, the first at 0
  Minutes end;
  Minutes update_interval{1};
  std::optional<MilligramsPerMinute> maximum_rate;
};

struct TciRate {
  Minutes start, end;
  MilligramsPerMinute rate;
};

struct TciPlan {
  std::vector<TciRate> schedule;  // one entry per pump update
  DosingPlan plan;                // the same schedule as zero-order infusions, for simulation
  Milligrams total;
};

Result<TciPlan> PlanTargetControlledInfusion(const CompartmentSystem& system, const TciRequest& request);

// "150 ng/mL for 40 min, 100 ng/mL for 20 min": consecutive holds from 0.
Result<std::vector<TargetStep>> ParseTargetProfileText(std::string_view text, Minutes& end, const std::string& field);

}  // namespace ketachart::pk
