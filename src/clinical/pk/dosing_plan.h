// A dosing plan for one session: IV boluses, zero-order IV infusions (any
// number, overlapping), pump pauses (every running infusion stops and resumes
// afterwards, so its whole dose is still given) and intranasal doses in
// devices. Also the plan's text form used by the CLI, e.g.
// "0.5 mg/kg over 40 min", "0.3 mg/kg over 30 min at 20 min", "20 mg at 0 min",
// "56 mg at 0 min" (intranasal), "5 min at 20 min" (pause). Values.
#pragma once

#include <string_view>
#include <vector>

#include "base/result.h"
#include "clinical/pk/units.h"

namespace ketachart::pk {

struct Bolus {
  Minutes at;
  Milligrams amount;
};
struct Infusion {
  Minutes start;
  Milligrams amount;
  Minutes duration;  // running time, not counting pauses
  MilligramsPerMinute rate() const { return amount / duration; }
};
struct Pause {
  Minutes start;
  Minutes duration;
};
struct IntranasalDose {
  Minutes at;
  int devices = 1;
};

struct DosingPlan {
  std::vector<Bolus> boluses;
  std::vector<Infusion> infusions;
  std::vector<Pause> pauses;
  std::vector<IntranasalDose> intranasal;

  bool empty() const { return boluses.empty() && infusions.empty() && intranasal.empty(); }
  // Times >= 0 and <= 7 days, amounts > 0 and <= 10 g, durations > 0.
  Status Validate() const;
};

// A time interval [start, end) during which an infusion actually runs.
struct RunningInterval {
  Minutes start, end;
};
// The intervals an infusion runs once the plan's pauses are applied.
std::vector<RunningInterval> RunningIntervals(const Infusion& infusion, const std::vector<Pause>& pauses);

// Text forms. `weight` turns mg/kg into mg. `field` names the option in errors.
Result<Infusion> ParseInfusionText(std::string_view text, Kilograms weight, const std::string& field);
Result<Bolus> ParseBolusText(std::string_view text, Kilograms weight, const std::string& field);
Result<Pause> ParsePauseText(std::string_view text, const std::string& field);
// "56 mg at 0 min" or "2 devices at 0 min"; mg must be a whole number of devices.
Result<IntranasalDose> ParseIntranasalText(std::string_view text, Milligrams per_device, const std::string& field);
// "0:240:5" (first:last:step) or a comma list "0,10,40".
Result<std::vector<Minutes>> ParseTimesText(std::string_view text, const std::string& field);

}  // namespace ketachart::pk
