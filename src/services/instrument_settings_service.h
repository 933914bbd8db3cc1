// A clinic's instrument settings (issue 3): which value, within the range an
// instrument's data file allows and cites, the clinic uses for each
// configurable cut-off or remission threshold (clinical/instruments/
// instrument_settings.h). Staff who read measures see every configurable
// setting with its default, range, citation, the value in force and its
// history; admins (protocol.admin) save a new version with a reason. Versions
// are append-only rows per clinic and instrument; the newest is in force.
//
// Scoring for a clinic goes through InstrumentInForce(): staff entry, self-
// report links and the clinic's alert rules score with the clinic's settings,
// and each measure names the settings row it was scored with, so its stored
// result never changes when the settings do. Every call checks permission
// first and audits itself (the save in its own transaction). Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/result.h"
#include "clinical/instruments/instrument.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

class InstrumentSettingsService {
 public:
  static constexpr int kMaxHistory = 100;  // newest versions listed per instrument

  explicit InstrumentSettingsService(ServiceContext& context) : context_(context) {}

  // {"items": [instrument...]}, one per instrument with configurable settings:
  // {"instrument", "title", "instrument_version", "version" (0: defaults),
  //  "origin": "default"|"clinic", "saved_at", "saved_by", "reason",
  //  "settings": [{"name", "display", "default", "min", "max", "source", "value"}],
  //  "history": [{"version", "values", "reason", "saved_at", "saved_by", "instrument_version"}] newest first}.
  Result<Json> ListSettings(const Actor& actor);
  // Body: {"instrument": key, "version": the next number, "settings": {name: int},
  //        "reason": string}. Settings not named keep the value in force.
  // Returns the instrument's entry as ListSettings shows it.
  Result<Json> SaveSettings(const Actor& actor, const Json& body);

 private:
  ServiceContext& context_;
};

// The instrument as a clinic scores it: the shipped one, or a copy with the
// clinic's settings applied, and which settings row that is.
class ClinicInstrument {
 public:
  explicit ClinicInstrument(const CompiledInstrument& shipped) : shipped_(&shipped) {}
  ClinicInstrument(const CompiledInstrument& shipped, CompiledInstrument applied, int64_t settings_id, int version,
                   std::map<std::string, int> values)
      : shipped_(&shipped),
        applied_(std::make_unique<CompiledInstrument>(std::move(applied))),
        settings_id_(settings_id),
        version_(version),
        values_(std::move(values)) {}

  const CompiledInstrument& instrument() const { return applied_ ? *applied_ : *shipped_; }
  std::optional<int64_t> settings_id() const { return settings_id_; }
  int version() const { return version_; }  // 0: the data file's defaults
  const std::map<std::string, int>& values() const { return values_; }

 private:
  const CompiledInstrument* shipped_;
  std::unique_ptr<CompiledInstrument> applied_;
  std::optional<int64_t> settings_id_;
  int version_ = 0;
  std::map<std::string, int> values_;
};

// The settings of `clinic_id` in force for `shipped` (read in `txn`). Stored
// settings the data file no longer allows are kConflict naming the version,
// so nothing is scored with a rule nobody chose.
Result<ClinicInstrument> InstrumentInForce(Transaction& txn, int64_t clinic_id, const CompiledInstrument& shipped);

// `shipped` with the settings stored as `settings_text` applied (a measure's
// own version, for change assessed on reading).
Result<CompiledInstrument> WithStoredSettings(const CompiledInstrument& shipped, const std::string& settings_text);

}  // namespace ketachart
