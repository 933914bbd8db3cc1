// Loading of the shipped instrument files; see instrument_catalog.h.
#include "clinical/instruments/instrument_catalog.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "clinical/instruments/instrument_compiler.h"

namespace ketachart {

Result<InstrumentCatalog> InstrumentCatalog::FromFiles(std::span<const EmbeddedFile> files) {
  InstrumentCatalog catalog;
  for (const EmbeddedFile& file : files) {
    if (file.path.empty()) continue;
    const Json json = Json::parse(file.content, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return InvalidInput(std::string(file.path), "is not valid JSON");
    auto compiled = CompileInstrument(json);
    if (!compiled.ok()) {
      Error error = compiled.error();
      error.field = std::string(file.path) + ": " + error.field;
      return error;
    }
    if (catalog.Find(compiled->key) || catalog.Find(compiled->id)) {
      return InvalidInput(std::string(file.path), "repeats the key or id " + compiled->key);
    }
    catalog.instruments_.push_back(std::move(compiled).value());
  }
  std::sort(catalog.instruments_.begin(), catalog.instruments_.end(),
            [](const CompiledInstrument& a, const CompiledInstrument& b) { return a.key < b.key; });
  return catalog;
}

const InstrumentCatalog& InstrumentCatalog::Builtin() {
  static const InstrumentCatalog catalog = [] {
    auto loaded = FromFiles(EmbeddedInstruments());
    if (!loaded.ok()) {
      std::fprintf(stderr, "ketachart: embedded instrument %s %s\n", loaded.error().field.c_str(),
                   loaded.error().message.c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return catalog;
}

const CompiledInstrument* InstrumentCatalog::Find(std::string_view name) const {
  for (const CompiledInstrument& instrument : instruments_) {
    if (instrument.key == name || instrument.id == name) return &instrument;
  }
  return nullptr;
}

}  // namespace ketachart
