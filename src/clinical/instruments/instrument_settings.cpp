// The configurable settings of an instrument (see instrument_settings.h).
#include "clinical/instruments/instrument_settings.h"

#include <fmt/format.h>

#include "clinical/instruments/instrument_compiler.h"

namespace ketachart {
namespace {

// The data file's "ketachart" member `name`, or nullptr.
const Json* KetachartBlock(const CompiledInstrument& instrument, const char* name) {
  auto block = instrument.definition.find("ketachart");
  if (block == instrument.definition.end() || !block->is_object()) return nullptr;
  auto member = block->find(name);
  return member == block->end() ? nullptr : &*member;
}

// The "source" text of the data file's cut-off `code`.
std::string CutoffSource(const CompiledInstrument& instrument, const std::string& code) {
  const Json* cutoffs = KetachartBlock(instrument, "cutoffs");
  if (!cutoffs || !cutoffs->is_array()) return "";
  for (const Json& cutoff : *cutoffs) {
    if (cutoff.is_object() && cutoff.value("code", "") == code) return cutoff.value("source", "");
  }
  return "";
}

std::string RemissionSource(const CompiledInstrument& instrument) {
  const Json* change = KetachartBlock(instrument, "change");
  return change && change->is_object() ? change->value("remission_source", "") : "";
}

}  // namespace

std::vector<InstrumentSetting> ConfigurableSettings(const CompiledInstrument& instrument) {
  std::vector<InstrumentSetting> settings;
  for (int i = 0; i < instrument.cutoff_count; ++i) {
    const Cutoff& cutoff = instrument.cutoffs[i];
    if (!cutoff.configurable) continue;
    settings.push_back({"cutoff." + cutoff.code, "Cut-off: " + cutoff.display + " (total at least)", cutoff.at_least,
                        cutoff.configurable->first, cutoff.configurable->second, CutoffSource(instrument, cutoff.code)});
  }
  const ChangeRules& change = instrument.change;
  if (change.remission_configurable && change.remission_at_most) {
    settings.push_back({"remission_at_most", "Remission: total at most", *change.remission_at_most,
                        change.remission_configurable->first, change.remission_configurable->second,
                        RemissionSource(instrument)});
  }
  return settings;
}

Result<std::map<std::string, int>> ValidateInstrumentSettings(const CompiledInstrument& instrument,
                                                              const Json& values,
                                                              const std::map<std::string, int>& current,
                                                              const std::string& path) {
  const std::vector<InstrumentSetting> settings = ConfigurableSettings(instrument);
  if (settings.empty()) return InvalidInput("instrument", instrument.key + " has no configurable settings");
  if (!values.is_object() || values.empty()) {
    std::string names;
    for (const InstrumentSetting& s : settings) names += (names.empty() ? "" : ", ") + s.name;
    return InvalidInput(path, "must be an object naming at least one of " + instrument.key + "'s settings: " + names);
  }
  std::map<std::string, int> chosen;
  for (const InstrumentSetting& s : settings) {
    auto it = current.find(s.name);
    chosen[s.name] = it != current.end() ? it->second : s.default_value;
  }
  for (const auto& [name, value] : values.items()) {
    const std::string field = path + "." + name;
    const InstrumentSetting* setting = nullptr;
    for (const InstrumentSetting& s : settings) {
      if (s.name == name) setting = &s;
    }
    if (!setting) return InvalidInput(field, "is not a configurable setting of " + instrument.key);
    if (!value.is_number_integer()) return InvalidInput(field, "must be a whole number");
    const int64_t v = value.get<int64_t>();
    if (v < setting->min || v > setting->max) {
      return InvalidInput(field, fmt::format("must be between {} and {} for {} (data file: {})", setting->min,
                                             setting->max, instrument.title, setting->source));
    }
    chosen[name] = static_cast<int>(v);
  }
  // The engine is the final word on what it accepts.
  auto applied = ApplyInstrumentSettings(instrument, chosen);
  if (!applied.ok()) {
    Error e = applied.error();
    e.field = path + "." + e.field;
    return e;
  }
  return chosen;
}

Result<std::map<std::string, int>> ParseStoredSettings(const std::string& text) {
  const Json parsed = Json::parse(text, nullptr, false);
  if (!parsed.is_object()) return Internal("stored instrument settings are not a JSON object");
  std::map<std::string, int> settings;
  for (const auto& [name, value] : parsed.items()) {
    if (!value.is_number_integer()) return Internal("stored instrument setting " + name + " is not a whole number");
    settings[name] = value.get<int>();
  }
  return settings;
}

Json SettingsJson(const std::map<std::string, int>& settings) {
  Json out = Json::object();
  for (const auto& [name, value] : settings) out[name] = value;
  return out;
}

}  // namespace ketachart
