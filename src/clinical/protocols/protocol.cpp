// The strict protocol loader (see protocol.h).
#include "clinical/protocols/protocol.h"


#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "base/crypto.h"
#include "clinical/intake/intake_vocabulary.h"
#include "clinical/monitoring/alarm_policy.h"

namespace ketachart {

std::string_view FindingSeverityName(FindingSeverity severity) {
  switch (severity) {
    case FindingSeverity::kHardStop:
      return "hard_stop";
    case FindingSeverity::kWarning:
      return "warning";
    case FindingSeverity::kInfo:
      return "info";
  }
  return "warning";
}

const ProtocolSource* Protocol::FindSource(std::string_view key) const {
  for (const auto& source : sources) {
    if (source.key == key) return &source;
  }
  return nullptr;
}

std::vector<const ProtocolQuantity*> Protocol::UnconfirmedQuantities() const {
  std::vector<const ProtocolQuantity*> out;
  auto add = [&out](const std::vector<ProtocolQuantity>& list) {
    for (const auto& q : list) {
      if (q.unconfirmed) out.push_back(&q);
    }
  };
  auto add_items = [&add](const std::vector<ProtocolItem>& list) {
    for (const auto& item : list) add(item.quantities);
  };
  add(dosing_parameters);
  add_items(dosing_schedule);
  add_items(preparation);
  add_items(pre_dose_checks);
  add(pre_dose_limits);
  add(monitoring_intervals);
  add_items(monitoring_instructions);
  add(alarm_thresholds);
  add_items(discharge_criteria);
  add(discharge_limits);
  add_items(after_care);
  for (const auto& rule : eligibility_rules) add(rule.quantities);
  return out;
}

namespace {

// Units a quantity may carry; a closed list so "mmhg" or "mg/kg/h" is caught.
const std::vector<std::string> kUnits = {
    "mg/kg",         "mg",   "min", "h", "days",   "weeks",       "months", "sessions",
    "sessions/week", "mmHg", "bpm", "%", "mg/day", "breaths/min", "points", "years"};

constexpr StringRule kIdRule{1, 80};
constexpr StringRule kTextRule{1, 2000};
constexpr size_t kMaxListItems = 200;

bool IsIdentifier(const std::string& text, bool allow_upper) {
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                    (allow_upper && c >= 'A' && c <= 'Z');
    if (!ok) return false;
  }
  return !text.empty();
}

std::string Indexed(const std::string& path, size_t index) {
  return fmt::format("{}[{}]", path, index);
}

// Reads one protocol; the first broken rule is kept (fields named by JSON path).
class ProtocolReader {
 public:
  explicit ProtocolReader(Protocol& protocol) : protocol_(protocol) {}

  Status Read(const Json& document);

 private:
  Status ReadSources(const Json& value, const std::string& path);
  Status CheckSource(const std::optional<std::string>& key, const std::string& path);
  Status ReadQuantity(const Json& value, const std::string& path, ProtocolQuantity& out);
  Status ReadQuantities(const Json* value, const std::string& path,
                        std::vector<ProtocolQuantity>& out);
  Status ReadItems(const Json* value, const std::string& path, std::vector<ProtocolItem>& out);
  Status ReadRule(const Json& value, const std::string& path, EligibilityRule& out);
  Status ReadRules(const Json* value, const std::string& path);
  Status ReadVocabularyList(const Json& value, const std::string& path,
                            std::span<const std::string_view> vocabulary, uint64_t& mask);
  Result<int64_t> WholeLimit(const ProtocolQuantity& quantity, const std::string& path,
                             const char* unit);

  Protocol& protocol_;
};

Status ProtocolReader::CheckSource(const std::optional<std::string>& key, const std::string& path) {
  if (!key) return Status::Ok();
  if (!protocol_.FindSource(*key)) {
    return InvalidInput(path,
                        fmt::format("names source \"{}\", which is not listed in sources", *key));
  }
  return Status::Ok();
}

Status ProtocolReader::ReadSources(const Json& value, const std::string& path) {
  if (!value.is_object()) return InvalidInput(path, "must be a JSON object");
  if (value.empty()) return InvalidInput(path, "must list at least one source");
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string field = path + "." + it.key();
    if (!IsIdentifier(it.key(), false)) {
      return InvalidInput(field, "source keys use lowercase letters, digits, '_' and '-'");
    }
    JsonObjectReader reader(*it, field);
    auto citation = reader.RequiredString("citation", kTextRule);
    auto reference = reader.RequiredString("reference", {1, 200});
    KC_RETURN_IF_ERROR(reader.Finish());
    protocol_.sources.push_back(ProtocolSource{it.key(), *citation, *reference});
  }
  return Status::Ok();
}

Status ProtocolReader::ReadQuantity(const Json& value, const std::string& path,
                                    ProtocolQuantity& out) {
  JsonObjectReader reader(value, path);
  auto id = reader.RequiredString("id", kIdRule);
  auto label = reader.RequiredString("label", {1, 200});
  auto number = reader.OptionalNumber("value", 0, 1e6);
  auto unit = reader.RequiredEnum("unit", kUnits);
  auto source = reader.RequiredString("source", kIdRule);
  auto unconfirmed = reader.OptionalBool("unconfirmed");
  auto note = reader.OptionalString("note", kTextRule);
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!IsIdentifier(*id, false))
    return InvalidInput(path + ".id", "use lowercase letters, digits, '_' and '-'");
  KC_RETURN_IF_ERROR(CheckSource(source, path + ".source"));
  out = ProtocolQuantity{
      *id, *label, number, *unit, *source, unconfirmed.value_or(false), note.value_or("")};
  if (!out.value && !out.unconfirmed) {
    return InvalidInput(
        path + ".value",
        "is required (only a quantity flagged unconfirmed may leave it to the clinic)");
  }
  return Status::Ok();
}

Status ProtocolReader::ReadQuantities(const Json* value, const std::string& path,
                                      std::vector<ProtocolQuantity>& out) {
  if (!value) return Status::Ok();
  std::set<std::string> ids;
  for (size_t i = 0; i < value->size(); ++i) {
    ProtocolQuantity quantity;
    KC_RETURN_IF_ERROR(ReadQuantity((*value)[i], Indexed(path, i), quantity));
    if (!ids.insert(quantity.id).second) {
      return InvalidInput(Indexed(path, i) + ".id",
                          fmt::format("\"{}\" is used twice in this list", quantity.id));
    }
    out.push_back(std::move(quantity));
  }
  return Status::Ok();
}

Status ProtocolReader::ReadItems(const Json* value, const std::string& path,
                                 std::vector<ProtocolItem>& out) {
  if (!value) return Status::Ok();
  std::set<std::string> ids;
  for (size_t i = 0; i < value->size(); ++i) {
    const std::string item_path = Indexed(path, i);
    JsonObjectReader reader((*value)[i], item_path);
    auto id = reader.RequiredString("id", kIdRule);
    auto text = reader.RequiredString("text", kTextRule);
    auto source = reader.RequiredString("source", kIdRule);
    auto unconfirmed = reader.OptionalBool("unconfirmed");
    const Json* quantities = reader.OptionalArray("quantities", kMaxListItems);
    KC_RETURN_IF_ERROR(reader.Finish());
    if (!IsIdentifier(*id, false))
      return InvalidInput(item_path + ".id", "use lowercase letters, digits, '_' and '-'");
    if (!ids.insert(*id).second)
      return InvalidInput(item_path + ".id", fmt::format("\"{}\" is used twice in this list", *id));
    KC_RETURN_IF_ERROR(CheckSource(source, item_path + ".source"));
    ProtocolItem item{*id, *text, *source, unconfirmed.value_or(false), {}};
    KC_RETURN_IF_ERROR(ReadQuantities(quantities, item_path + ".quantities", item.quantities));
    out.push_back(std::move(item));
  }
  return Status::Ok();
}

Status ProtocolReader::ReadVocabularyList(const Json& value, const std::string& path,
                                          std::span<const std::string_view> vocabulary,
                                          uint64_t& mask) {
  if (!value.is_array()) return InvalidInput(path, "must be a JSON array");
  if (value.empty()) return InvalidInput(path, "must name at least one entry");
  for (size_t i = 0; i < value.size(); ++i) {
    const auto& word = value[i];
    std::optional<unsigned> index;
    if (word.is_string()) index = VocabularyIndex(vocabulary, word.get_ref<const std::string&>());
    if (!index) {
      std::vector<std::string_view> allowed(vocabulary.begin(), vocabulary.end());
      return InvalidInput(Indexed(path, i),
                          fmt::format("must be one of: {}", fmt::join(allowed, ", ")));
    }
    mask |= VocabularyBit(*index);
  }
  return Status::Ok();
}

Result<int64_t> ProtocolReader::WholeLimit(const ProtocolQuantity& quantity,
                                           const std::string& path, const char* unit) {
  if (quantity.unit != unit)
    return InvalidInput(path + ".unit", fmt::format("must be \"{}\" for this rule", unit));
  if (!quantity.value)
    return InvalidInput(path + ".value", "is required: a rule cannot run on an unset limit");
  if (*quantity.value != std::floor(*quantity.value))
    return InvalidInput(path + ".value", "must be a whole number");
  return static_cast<int64_t>(*quantity.value);
}

// The keys that select a rule's trigger; exactly one must be present.
const std::vector<std::string> kTriggerKeys = {"condition_any",
                                               "hypersensitivity_any",
                                               "medication_class_any",
                                               "diazepam_equivalent_above",
                                               "baseline_blood_pressure_above",
                                               "substance_use_any",
                                               "age_at_least",
                                               "missing_intake"};

Status ProtocolReader::ReadRule(const Json& value, const std::string& path, EligibilityRule& out) {
  JsonObjectReader reader(value, path);
  auto id = reader.RequiredString("id", kIdRule);
  auto severity = reader.RequiredEnum("severity", {"hard_stop", "warning", "info"});
  auto message = reader.RequiredString("message", {1, 300});
  auto source = reader.RequiredString("source", kIdRule);
  auto unconfirmed = reader.OptionalBool("unconfirmed");
  auto note = reader.OptionalString("note", kTextRule);
  std::vector<std::string> present;
  if (reader.ok() && value.is_object()) {
    for (const auto& key : kTriggerKeys) {
      reader.Allow(key);
      if (value.contains(key)) present.push_back(key);
    }
  }
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!IsIdentifier(*id, true))
    return InvalidInput(path + ".id", "use letters, digits, '_' and '-'");
  KC_RETURN_IF_ERROR(CheckSource(source, path + ".source"));
  if (present.size() != 1) {
    return InvalidInput(path, fmt::format("must have exactly one trigger, one of: {}",
                                          fmt::join(kTriggerKeys, ", ")));
  }
  out.id = *id;
  out.severity = *severity == "hard_stop" ? FindingSeverity::kHardStop
                 : *severity == "info"    ? FindingSeverity::kInfo
                                          : FindingSeverity::kWarning;
  out.message = *message;
  out.source = *source;
  out.citation = protocol_.FindSource(*source)->citation;
  out.unconfirmed = unconfirmed.value_or(false);
  out.note = note.value_or("");

  const std::string& key = present.front();
  const Json& trigger = value.at(key);
  const std::string trigger_path = path + "." + key;
  if (key == "condition_any") {
    out.trigger = RuleTrigger::kConditionAny;
    return ReadVocabularyList(trigger, trigger_path, kIntakeConditions, out.mask);
  }
  if (key == "hypersensitivity_any") {
    out.trigger = RuleTrigger::kHypersensitivityAny;
    return ReadVocabularyList(trigger, trigger_path, kHypersensitivityCategories, out.mask);
  }
  if (key == "medication_class_any") {
    out.trigger = RuleTrigger::kMedicationClassAny;
    return ReadVocabularyList(trigger, trigger_path, kMedicationClasses, out.mask);
  }
  if (key == "missing_intake") {
    out.trigger = RuleTrigger::kMissingIntake;
    return ReadVocabularyList(trigger, trigger_path, kIntakeFields, out.mask);
  }
  if (key == "substance_use_any") {
    out.trigger = RuleTrigger::kSubstanceUseAny;
    JsonObjectReader nested(trigger, trigger_path);
    const Json* substances = nested.OptionalArray("substances", kSubstances.size());
    const Json* patterns = nested.OptionalArray("patterns", kSubstanceUsePatterns.size());
    KC_RETURN_IF_ERROR(nested.Finish());
    if (!substances) return InvalidInput(trigger_path + ".substances", "is required");
    if (!patterns) return InvalidInput(trigger_path + ".patterns", "is required");
    KC_RETURN_IF_ERROR(
        ReadVocabularyList(*substances, trigger_path + ".substances", kSubstances, out.mask));
    return ReadVocabularyList(*patterns, trigger_path + ".patterns", kSubstanceUsePatterns,
                              out.pattern_mask);
  }
  if (key == "baseline_blood_pressure_above") {
    out.trigger = RuleTrigger::kBaselineBloodPressureAbove;
    JsonObjectReader nested(trigger, trigger_path);
    const Json* systolic = nested.OptionalObject("systolic");
    const Json* diastolic = nested.OptionalObject("diastolic");
    KC_RETURN_IF_ERROR(nested.Finish());
    if (!systolic) return InvalidInput(trigger_path + ".systolic", "is required");
    if (!diastolic) return InvalidInput(trigger_path + ".diastolic", "is required");
    ProtocolQuantity s, d;
    KC_RETURN_IF_ERROR(ReadQuantity(*systolic, trigger_path + ".systolic", s));
    KC_RETURN_IF_ERROR(ReadQuantity(*diastolic, trigger_path + ".diastolic", d));
    KC_ASSIGN_OR_RETURN(out.systolic_limit_mmhg, WholeLimit(s, trigger_path + ".systolic", "mmHg"));
    KC_ASSIGN_OR_RETURN(out.diastolic_limit_mmhg,
                        WholeLimit(d, trigger_path + ".diastolic", "mmHg"));
    out.quantities = {std::move(s), std::move(d)};
    return Status::Ok();
  }
  ProtocolQuantity limit;
  KC_RETURN_IF_ERROR(ReadQuantity(trigger, trigger_path, limit));
  if (key == "age_at_least") {
    out.trigger = RuleTrigger::kAgeAtLeast;
    KC_ASSIGN_OR_RETURN(out.age_limit_years, WholeLimit(limit, trigger_path, "years"));
  } else {  // diazepam_equivalent_above
    out.trigger = RuleTrigger::kDiazepamEquivalentAbove;
    if (limit.unit != "mg/day")
      return InvalidInput(trigger_path + ".unit", "must be \"mg/day\" for this rule");
    if (!limit.value)
      return InvalidInput(trigger_path + ".value",
                          "is required: a rule cannot run on an unset limit");
    out.diazepam_equivalent_limit_ug_per_day = std::llround(*limit.value * 1000.0);
  }
  out.quantities = {std::move(limit)};
  return Status::Ok();
}

Status ProtocolReader::ReadRules(const Json* value, const std::string& path) {
  if (!value) return InvalidInput(path, "is required");
  std::set<std::string> ids;
  for (size_t i = 0; i < value->size(); ++i) {
    EligibilityRule rule;
    KC_RETURN_IF_ERROR(ReadRule((*value)[i], Indexed(path, i), rule));
    if (!ids.insert(rule.id).second) {
      return InvalidInput(Indexed(path, i) + ".id", fmt::format("\"{}\" is used twice", rule.id));
    }
    protocol_.eligibility_rules.push_back(std::move(rule));
  }
  return Status::Ok();
}

Status ProtocolReader::Read(const Json& document) {
  JsonObjectReader reader(document);
  auto schema_version = reader.RequiredInteger("schema_version", 1, 1000);
  if (schema_version && *schema_version != kProtocolSchemaVersion) {
    return InvalidInput("schema_version", fmt::format("must be {} (this server's protocol format)",
                                                      kProtocolSchemaVersion));
  }
  auto id = reader.RequiredString("id", kIdRule);
  auto version = reader.RequiredInteger("version", 1, 1'000'000);
  auto title = reader.RequiredString("title", {1, 200});
  auto drug = reader.RequiredEnum("drug", {"racemic_ketamine", "esketamine"});
  auto route = reader.RequiredEnum(
      "route", {"intravenous", "intramuscular", "oral_sublingual", "intranasal"});
  auto summary = reader.RequiredString("summary", kTextRule);
  const Json* sources = reader.OptionalObject("sources");
  const Json* dosing = reader.OptionalObject("dosing");
  const Json* preparation = reader.OptionalArray("preparation", kMaxListItems);
  const Json* pre_dose = reader.OptionalObject("pre_dose");
  const Json* monitoring = reader.OptionalObject("monitoring");
  const Json* discharge = reader.OptionalObject("discharge");
  const Json* after_care = reader.OptionalArray("after_care", kMaxListItems);
  const Json* eligibility = reader.OptionalArray("eligibility", kMaxListItems);
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!IsIdentifier(*id, false))
    return InvalidInput("id", "use lowercase letters, digits, '_' and '-'");
  for (const auto& [name, section] :
       {std::pair{"sources", sources}, std::pair{"dosing", dosing}, std::pair{"pre_dose", pre_dose},
        std::pair{"monitoring", monitoring}, std::pair{"discharge", discharge}}) {
    if (!section) return InvalidInput(name, "is required");
  }
  protocol_.schema_version = static_cast<int>(*schema_version);
  protocol_.id = *id;
  protocol_.version = *version;
  protocol_.title = *title;
  protocol_.drug = *drug;
  protocol_.route = *route;
  protocol_.summary = *summary;
  KC_RETURN_IF_ERROR(ReadSources(*sources, "sources"));

  JsonObjectReader dosing_reader(*dosing, "dosing");
  const Json* parameters = dosing_reader.OptionalArray("parameters", kMaxListItems);
  const Json* schedule = dosing_reader.OptionalArray("schedule", kMaxListItems);
  KC_RETURN_IF_ERROR(dosing_reader.Finish());
  KC_RETURN_IF_ERROR(ReadQuantities(parameters, "dosing.parameters", protocol_.dosing_parameters));
  KC_RETURN_IF_ERROR(ReadItems(schedule, "dosing.schedule", protocol_.dosing_schedule));
  KC_RETURN_IF_ERROR(ReadItems(preparation, "preparation", protocol_.preparation));

  JsonObjectReader pre_dose_reader(*pre_dose, "pre_dose");
  const Json* checks = pre_dose_reader.OptionalArray("checks", kMaxListItems);
  const Json* limits = pre_dose_reader.OptionalArray("limits", kMaxListItems);
  KC_RETURN_IF_ERROR(pre_dose_reader.Finish());
  KC_RETURN_IF_ERROR(ReadItems(checks, "pre_dose.checks", protocol_.pre_dose_checks));
  KC_RETURN_IF_ERROR(ReadQuantities(limits, "pre_dose.limits", protocol_.pre_dose_limits));

  JsonObjectReader monitoring_reader(*monitoring, "monitoring");
  const Json* intervals = monitoring_reader.OptionalArray("intervals", kMaxListItems);
  const Json* instructions = monitoring_reader.OptionalArray("instructions", kMaxListItems);
  const Json* alarms = monitoring_reader.OptionalArray("alarm_thresholds", kMaxListItems);
  KC_RETURN_IF_ERROR(monitoring_reader.Finish());
  if (!intervals || intervals->empty())
    return InvalidInput("monitoring.intervals", "must name at least one interval");
  KC_RETURN_IF_ERROR(
      ReadQuantities(intervals, "monitoring.intervals", protocol_.monitoring_intervals));
  KC_RETURN_IF_ERROR(
      ReadItems(instructions, "monitoring.instructions", protocol_.monitoring_instructions));
  KC_RETURN_IF_ERROR(
      ReadQuantities(alarms, "monitoring.alarm_thresholds", protocol_.alarm_thresholds));
  // The monitor alarm engine must understand every threshold (clinical/monitoring).
  for (size_t i = 0; i < protocol_.alarm_thresholds.size(); ++i) {
    const ProtocolQuantity& threshold = protocol_.alarm_thresholds[i];
    const auto meaning = ProtocolAlarmThreshold(threshold.id);
    const std::string path = "monitoring.alarm_thresholds[" + std::to_string(i) + "]";
    if (!meaning) {
      return InvalidInput(path + ".id", "'" + threshold.id + "' is not an alarm threshold KetaChart knows (" +
                                            "systolic_max, diastolic_max, heart_rate_max, heart_rate_min, spo2_min, " +
                                            "respiratory_rate_min, respiratory_rate_max)");
    }
  }

  JsonObjectReader discharge_reader(*discharge, "discharge");
  const Json* criteria = discharge_reader.OptionalArray("criteria", kMaxListItems);
  const Json* discharge_limits = discharge_reader.OptionalArray("limits", kMaxListItems);
  KC_RETURN_IF_ERROR(discharge_reader.Finish());
  if (!criteria || criteria->empty())
    return InvalidInput("discharge.criteria", "must name at least one criterion");
  KC_RETURN_IF_ERROR(ReadItems(criteria, "discharge.criteria", protocol_.discharge_criteria));
  KC_RETURN_IF_ERROR(
      ReadQuantities(discharge_limits, "discharge.limits", protocol_.discharge_limits));
  KC_RETURN_IF_ERROR(ReadItems(after_care, "after_care", protocol_.after_care));
  KC_RETURN_IF_ERROR(ReadRules(eligibility, "eligibility"));
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const Protocol>> LoadProtocolDocument(const Json& document) {
  auto protocol = std::make_shared<Protocol>();
  KC_RETURN_IF_ERROR(ProtocolReader(*protocol).Read(document));
  protocol->document = document;
  protocol->digest = Sha256Hex(document.dump());
  return std::shared_ptr<const Protocol>(std::move(protocol));
}

Result<std::shared_ptr<const Protocol>> LoadProtocolText(std::string_view text) {
  Json document;
  try {
    document = Json::parse(text);
  } catch (const Json::parse_error& error) {
    return InvalidInput("", fmt::format("protocol is not valid JSON (at byte {})", error.byte));
  }
  return LoadProtocolDocument(document);
}

}  // namespace ketachart
