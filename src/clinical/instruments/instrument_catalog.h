// The instruments KetaChart ships: every data/instruments/*.json compiled into
// the binary (tools/embed.cpp), so the server and the CLI never depend on the
// working directory. Built once on first use; immutable and thread-safe after.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "base/embedded_file.h"
#include "base/result.h"
#include "clinical/instruments/instrument.h"

namespace ketachart {

// Generated from data/instruments/*.json (CMakeLists.txt).
std::span<const EmbeddedFile> EmbeddedInstruments();

class InstrumentCatalog {
 public:
  // Compiles every file; the first broken file is an error naming it.
  static Result<InstrumentCatalog> FromFiles(std::span<const EmbeddedFile> files);
  // The shipped instruments. A broken embedded file is a build defect: the
  // first call aborts with its message (unit tests compile every file).
  static const InstrumentCatalog& Builtin();

  // By key ("phq9") or Questionnaire id ("phq-9"); nullptr when unknown.
  const CompiledInstrument* Find(std::string_view name) const;
  const std::vector<CompiledInstrument>& instruments() const { return instruments_; }

 private:
  std::vector<CompiledInstrument> instruments_;
};

}  // namespace ketachart
