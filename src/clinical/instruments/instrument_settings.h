// The settings a clinic may choose for an instrument, read from its data file:
// each configurable cut-off ("cutoff.<code>") and a configurable remission
// threshold ("remission_at_most"), with the data file's default, the allowed
// range and the citation behind both. ValidateInstrumentSettings checks a
// clinic's choice against them and returns the complete settings (every
// configurable value, defaults filled in) that ApplyInstrumentSettings
// (instrument_compiler.h) turns into the instrument the clinic scores with.
// Pure, no I/O; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/json_input.h"
#include "base/result.h"
#include "clinical/instruments/instrument.h"

namespace ketachart {

struct InstrumentSetting {
  std::string name;     // "cutoff.provisional_ptsd", "remission_at_most"
  std::string display;  // what it sets, in the clinic's words
  int default_value = 0;
  int min = 0;          // the allowed range, inclusive
  int max = 0;
  std::string source;   // the data file's citation for the default and the range
};

// The configurable settings of `instrument` as shipped (its data file's
// defaults), in data-file order; empty when nothing is configurable.
std::vector<InstrumentSetting> ConfigurableSettings(const CompiledInstrument& instrument);

// Reads `values` (a JSON object: setting name -> whole number) against the
// configurable settings of `instrument`; settings not named keep `current`'s
// value (or the default). Returns every configurable setting's value. Errors
// are kInvalidInput with field "<path>.<name>" and the rule with its citation;
// an empty object, or one that names no configurable setting, is an error.
Result<std::map<std::string, int>> ValidateInstrumentSettings(const CompiledInstrument& instrument,
                                                              const Json& values,
                                                              const std::map<std::string, int>& current,
                                                              const std::string& path = "settings");

// {"cutoff.provisional_ptsd": 31, ...} from stored settings text; kInternal
// when it is not an object of whole numbers (the table is written only here).
Result<std::map<std::string, int>> ParseStoredSettings(const std::string& text);
Json SettingsJson(const std::map<std::string, int>& settings);

}  // namespace ketachart
