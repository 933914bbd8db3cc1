// When to suggest a booster: a patient's rating-scale totals over time, read
// against the instrument's own change rules (clinical/instruments): a patient
// who met response (≥ 50 % reduction from the baseline, clinical-reference.md
// D3) and whose latest total no longer does has lost response; a latest
// total that is a reliable deterioration from the lowest total since the
// baseline (Jacobson–Truax, D4) has relapsed reliably. Each signal names its
// rule, the totals and the threshold; an instrument without those rules gives
// none. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "clinical/instruments/instrument.h"

namespace ketachart {

struct TotalAt {
  std::string at;  // ISO timestamp, ascending
  int total = 0;
};

struct BoosterSignal {
  std::string instrument;  // key
  std::string rule;        // "loss_of_response" | "reliable_deterioration"
  std::string message;
};

std::vector<BoosterSignal> BoosterSignals(const CompiledInstrument& instrument, const std::vector<TotalAt>& totals);

}  // namespace ketachart
