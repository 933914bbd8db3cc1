// A clinic's instrument settings (see instrument_settings_service.h).
#include "services/instrument_settings_service.h"

#include <fmt/format.h>

#include "clinical/instruments/instrument_catalog.h"
#include "clinical/instruments/instrument_compiler.h"
#include "clinical/instruments/instrument_settings.h"
#include "services/audit_trail.h"
#include "services/guard.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

AuditEntry SettingsAudit(std::string action, int64_t id, std::string detail = {}) {
  return AuditEntry{std::move(action), "instrument_settings", id > 0 ? std::to_string(id) : "", std::nullopt,
                    AuditOutcome::kSuccess, std::move(detail)};
}

constexpr std::string_view kSettingsSelect =
    "SELECT s.id, s.version, s.instrument_version, s.settings, s.reason, s.saved_at, u.username "
    "FROM clinic_instrument_settings s JOIN users u ON u.id = s.saved_by "
    "WHERE s.clinic_id = ? AND s.instrument = ? ORDER BY s.version DESC LIMIT ?";

struct StoredVersion {
  int64_t id = 0;
  int version = 0;
  std::string instrument_version;
  std::string settings;
  std::string reason;
  std::string saved_at;
  std::string saved_by;
};

Result<std::vector<StoredVersion>> LoadVersions(Transaction& txn, int64_t clinic_id, const std::string& instrument,
                                                int limit) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(std::string(kSettingsSelect), {clinic_id, instrument, int64_t{limit}}));
  std::vector<StoredVersion> versions;
  for (const SqlRow& row : rows) {
    versions.push_back({row.Int(0), static_cast<int>(row.Int(1)), row.Text(2), row.Text(3), row.Text(4), row.Text(5),
                        row.Text(6)});
  }
  return versions;
}

// One instrument's entry of the list: its settings with the values in force and its history.
Result<Json> InstrumentEntry(Transaction& txn, int64_t clinic_id, const CompiledInstrument& shipped) {
  KC_ASSIGN_OR_RETURN(std::vector<StoredVersion> versions,
                      LoadVersions(txn, clinic_id, shipped.key, InstrumentSettingsService::kMaxHistory + 1));
  std::map<std::string, int> in_force;
  if (!versions.empty()) {
    KC_ASSIGN_OR_RETURN(in_force, ParseStoredSettings(versions.front().settings));
  }
  Json settings = Json::array();
  for (const InstrumentSetting& s : ConfigurableSettings(shipped)) {
    auto it = in_force.find(s.name);
    settings.push_back({{"name", s.name},
                        {"display", s.display},
                        {"default", s.default_value},
                        {"min", s.min},
                        {"max", s.max},
                        {"source", s.source},
                        {"value", it != in_force.end() ? it->second : s.default_value}});
  }
  const bool more = versions.size() > static_cast<size_t>(InstrumentSettingsService::kMaxHistory);
  if (more) versions.pop_back();
  Json history = Json::array();
  for (const StoredVersion& v : versions) {
    KC_ASSIGN_OR_RETURN(auto values, ParseStoredSettings(v.settings));
    history.push_back({{"version", v.version},
                       {"values", SettingsJson(values)},
                       {"reason", v.reason},
                       {"saved_at", v.saved_at},
                       {"saved_by", v.saved_by},
                       {"instrument_version", v.instrument_version}});
  }
  Json entry = {{"instrument", shipped.key},
                {"title", shipped.title},
                {"instrument_version", shipped.version},
                {"version", versions.empty() ? 0 : versions.front().version},
                {"origin", versions.empty() ? "default" : "clinic"},
                {"saved_at", nullptr},
                {"saved_by", nullptr},
                {"reason", nullptr},
                {"settings", std::move(settings)},
                {"history", std::move(history)},
                {"history_truncated", more}};
  if (!versions.empty()) {
    entry["saved_at"] = versions.front().saved_at;
    entry["saved_by"] = versions.front().saved_by;
    entry["reason"] = versions.front().reason;
  }
  return entry;
}

std::string Describe(const std::map<std::string, int>& values) {
  std::string out;
  for (const auto& [name, value] : values) out += fmt::format("{}{}={}", out.empty() ? "" : ", ", name, value);
  return out;
}

}  // namespace

Result<CompiledInstrument> WithStoredSettings(const CompiledInstrument& shipped, const std::string& settings_text) {
  KC_ASSIGN_OR_RETURN(auto values, ParseStoredSettings(settings_text));
  return ApplyInstrumentSettings(shipped, values);
}

Result<ClinicInstrument> InstrumentInForce(Transaction& txn, int64_t clinic_id, const CompiledInstrument& shipped) {
  if (ConfigurableSettings(shipped).empty()) return ClinicInstrument(shipped);
  KC_ASSIGN_OR_RETURN(std::vector<StoredVersion> versions, LoadVersions(txn, clinic_id, shipped.key, 1));
  if (versions.empty()) return ClinicInstrument(shipped);
  const StoredVersion& v = versions.front();
  KC_ASSIGN_OR_RETURN(auto values, ParseStoredSettings(v.settings));
  auto applied = ApplyInstrumentSettings(shipped, values);
  if (!applied.ok()) {
    return Conflict(fmt::format("the clinic's {} settings (version {}) no longer fit the instrument's data file "
                                "({}: {}); an admin must save new settings",
                                shipped.key, v.version, applied.error().field, applied.error().message));
  }
  return ClinicInstrument(shipped, std::move(applied).value(), v.id, v.version, std::move(values));
}

Result<Json> InstrumentSettingsService::ListSettings(const Actor& actor) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMeasureRead,
                                       SettingsAudit("instrument_settings.list", 0)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    Json items = Json::array();
    for (const CompiledInstrument& instrument : InstrumentCatalog::Builtin().instruments()) {
      if (ConfigurableSettings(instrument).empty()) continue;
      KC_ASSIGN_OR_RETURN(Json entry, InstrumentEntry(txn, actor.clinic_id, instrument));
      items.push_back(std::move(entry));
    }
    return Json{{"items", std::move(items)}};
  });
  if (!result.ok()) return result;
  KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor, SettingsAudit("instrument_settings.list", 0), now));
  return result;
}

Result<Json> InstrumentSettingsService::SaveSettings(const Actor& actor, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kProtocolAdmin,
                                       SettingsAudit("instrument_settings.save", 0)));
  const TimePoint now = context_.clock.Now();
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto name = reader.RequiredString("instrument", {1, 64});
  auto version = reader.RequiredInteger("version", 1, 1'000'000);
  auto reason = reader.RequiredString("reason", {1, 500});
  reader.Allow("settings");
  KC_RETURN_IF_ERROR(reader.Finish());
  const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(*name);
  if (!instrument) return InvalidInput("instrument", "'" + *name + "' is not a known instrument");
  if (ConfigurableSettings(*instrument).empty()) {
    return InvalidInput("instrument", instrument->key + " has no configurable settings");
  }
  auto settings_it = body.find("settings");
  if (settings_it == body.end()) return InvalidInput("settings", "is required: an object of setting name -> value");

  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(std::vector<StoredVersion> current, LoadVersions(txn, actor.clinic_id, instrument->key, 1));
    const int next = current.empty() ? 1 : current.front().version + 1;
    std::map<std::string, int> in_force;
    if (!current.empty()) {
      KC_ASSIGN_OR_RETURN(in_force, ParseStoredSettings(current.front().settings));
    }
    KC_ASSIGN_OR_RETURN(auto chosen, ValidateInstrumentSettings(*instrument, *settings_it, in_force));
    if (*version != next) {
      return Conflict(fmt::format("the next {} settings version is {}; someone may have saved one meanwhile",
                                  instrument->key, next),
                      "version");
    }
    KC_ASSIGN_OR_RETURN(
        SqlRows inserted,
        txn.Query("INSERT INTO clinic_instrument_settings (clinic_id, instrument, version, instrument_version, "
                  "settings, reason, saved_at, saved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {actor.clinic_id, instrument->key, int64_t{next}, instrument->version, SettingsJson(chosen).dump(),
                   *reason, FormatTimestamp(now), actor.user_id}));
    const int64_t id = inserted.at(0).Int(0);
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        SettingsAudit("instrument_settings.save", id,
                      fmt::format("{} version {}: {}", instrument->key, next, Describe(chosen))),
        now));
    return InstrumentEntry(txn, actor.clinic_id, *instrument);
  });
}

}  // namespace ketachart
