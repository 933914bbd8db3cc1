// Turns an instrument data file (data/instruments/*.json: a FHIR Questionnaire
// with a "ketachart" block for scoring, bands, cut-offs, alerts and change
// rules) into a CompiledInstrument, checking the file's own consistency: item
// ranges, references to items, subscales and bands, band coverage of the
// total range. Runs once at load time; pure.
#pragma once

#include <map>
#include <string>

#include "base/result.h"
#include "clinical/instruments/instrument.h"

namespace ketachart {

// The first inconsistency is kInvalidInput with `field` naming the place in the file.
Result<CompiledInstrument> CompileInstrument(const Json& definition);

// A clinic's choices within the ranges the data file allows:
//   "cutoff.<code>" -> the cut-off's threshold (e.g. "cutoff.provisional_ptsd" = 31..33)
//   "remission_at_most" -> the remission threshold (e.g. MADRS 10..12)
// Anything else, or a value outside the allowed range, is kInvalidInput.
Result<CompiledInstrument> ApplyInstrumentSettings(CompiledInstrument instrument,
                                                   const std::map<std::string, int>& settings);

}  // namespace ketachart
