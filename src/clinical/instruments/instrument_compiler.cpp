// Compilation of instrument data files into flat scoring tables; see
// instrument_compiler.h. Every reference (item linkId, subscale or band code)
// is resolved here so that scoring never looks anything up by name.
#include "clinical/instruments/instrument_compiler.h"

#include <cmath>
#include <limits>

namespace ketachart {
namespace {

constexpr std::string_view kOrdinalValue = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
constexpr std::string_view kMinValue = "http://hl7.org/fhir/StructureDefinition/minValue";
constexpr std::string_view kMaxValue = "http://hl7.org/fhir/StructureDefinition/maxValue";

Error Bad(const std::string& field, const std::string& message) { return InvalidInput(field, message); }

Result<std::string> StringAt(const Json& object, const std::string& name, const std::string& path) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string() || it->get<std::string>().empty()) {
    return Bad(path + name, "must be a non-empty string");
  }
  return it->get<std::string>();
}

Result<int> IntegerAt(const Json& object, const std::string& name, const std::string& path, int min, int max) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) return Bad(path + name, "must be an integer");
  const int64_t value = it->get<int64_t>();
  if (value < min || value > max) {
    return Bad(path + name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return static_cast<int>(value);
}

std::optional<int> OptionalInt(const Json& object, const std::string& name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int>();
}

std::optional<std::pair<int16_t, int16_t>> OptionalRange(const Json& object, const std::string& name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_object()) return std::nullopt;
  return std::pair<int16_t, int16_t>(it->value("min", 0), it->value("max", 0));
}

// Value range of one questionnaire item: choice items from their answer
// options' ordinalValue (which must be consecutive), integer items from the
// minValue/maxValue extensions.
Status ReadItemRange(const Json& item, const std::string& path, InstrumentItem& out) {
  const std::string type = item.value("type", "");
  if (type == "choice") {
    const Json* options = item.contains("answerOption") ? &item["answerOption"] : nullptr;
    if (!options || !options->is_array() || options->empty()) return Bad(path + "answerOption", "must list the answers");
    int expected = std::numeric_limits<int>::min();
    for (size_t i = 0; i < options->size(); ++i) {
      std::optional<int> ordinal;
      for (const Json& ext : (*options)[i].value("extension", Json::array())) {
        if (ext.value("url", "") == kOrdinalValue && ext.contains("valueDecimal")) {
          const double v = ext["valueDecimal"].get<double>();
          if (v != std::floor(v)) return Bad(path + "answerOption", "ordinal values must be whole numbers");
          ordinal = static_cast<int>(v);
        }
      }
      if (!ordinal) return Bad(path + "answerOption[" + std::to_string(i) + "]", "needs an ordinalValue extension");
      if (i == 0) {
        out.min = static_cast<int16_t>(*ordinal);
      } else if (*ordinal != expected) {
        return Bad(path + "answerOption[" + std::to_string(i) + "]", "ordinal values must rise by one");
      }
      expected = *ordinal + 1;
      out.max = static_cast<int16_t>(*ordinal);
    }
    return Status::Ok();
  }
  if (type == "integer") {
    std::optional<int> min, max;
    for (const Json& ext : item.value("extension", Json::array())) {
      if (ext.value("url", "") == kMinValue) min = ext.value("valueInteger", 0);
      if (ext.value("url", "") == kMaxValue) max = ext.value("valueInteger", 0);
    }
    if (!min || !max || *min > *max || *min < -1000 || *max > 1000) {
      return Bad(path + "extension", "integer items need minValue <= maxValue within ±1000");
    }
    out.min = static_cast<int16_t>(*min);
    out.max = static_cast<int16_t>(*max);
    return Status::Ok();
  }
  return Bad(path + "type", "must be choice, integer or display");
}

class Compiler {
 public:
  explicit Compiler(const Json& definition) : definition_(definition) {}

  Result<CompiledInstrument> Run() {
    CompiledInstrument& c = out_;
    c.definition = definition_;
    if (!definition_.is_object() || definition_.value("resourceType", "") != "Questionnaire") {
      return Bad("resourceType", "must be Questionnaire");
    }
    KC_ASSIGN_OR_RETURN(c.id, StringAt(definition_, "id", ""));
    KC_ASSIGN_OR_RETURN(c.url, StringAt(definition_, "url", ""));
    KC_ASSIGN_OR_RETURN(c.version, StringAt(definition_, "version", ""));
    KC_ASSIGN_OR_RETURN(c.title, StringAt(definition_, "title", ""));
    if (!definition_.contains("ketachart") || !definition_["ketachart"].is_object()) {
      return Bad("ketachart", "must be an object");
    }
    const Json& k = definition_["ketachart"];
    KC_ASSIGN_OR_RETURN(c.key, StringAt(k, "key", "ketachart."));
    const std::string kind = k.value("kind", "");
    if (kind == "self_report") {
      c.kind = InstrumentKind::kSelfReport;
    } else if (kind == "clinician_rating") {
      c.kind = InstrumentKind::kClinicianRating;
    } else if (kind == "clinician_total") {
      c.kind = InstrumentKind::kClinicianTotal;
    } else {
      return Bad("ketachart.kind", "must be self_report, clinician_rating or clinician_total");
    }
    c.item_text_shipped = k.contains("item_text") && k["item_text"].value("shipped", false);
    c.range_unconfirmed = k.value("range_unconfirmed", false);

    KC_RETURN_IF_ERROR(ReadItems());
    KC_RETURN_IF_ERROR(ReadScoring(k));
    KC_RETURN_IF_ERROR(ReadSubscales(k));
    KC_RETURN_IF_ERROR(ReadBands(k));
    KC_RETURN_IF_ERROR(ReadCutoffs(k));
    KC_RETURN_IF_ERROR(ReadAlerts(k));
    KC_RETURN_IF_ERROR(ReadSymptomRules(k));
    KC_RETURN_IF_ERROR(ReadChange(k));
    return std::move(out_);
  }

 private:
  Status ReadItems() {
    CompiledInstrument& c = out_;
    if (!definition_.contains("item") || !definition_["item"].is_array()) return Bad("item", "must be an array");
    const Json& items = definition_["item"];
    for (size_t i = 0; i < items.size(); ++i) {
      const Json& item = items[i];
      const std::string path = "item[" + std::to_string(i) + "].";
      if (item.value("type", "") == "display") continue;
      if (c.item_count == kMaxInstrumentItems) return Bad("item", "too many items");
      InstrumentItem& target = c.items[c.item_count];
      KC_ASSIGN_OR_RETURN(target.link_id, StringAt(item, "linkId", path));
      if (c.ItemIndex(target.link_id) >= 0 && c.ItemIndex(target.link_id) < c.item_count) {
        return Bad(path + "linkId", "is used twice");
      }
      target.required = item.value("required", false);
      KC_RETURN_IF_ERROR(ReadItemRange(item, path, target));
      if (item.contains("enableWhen")) {
        const Json& when = item["enableWhen"];
        if (!when.is_array() || when.size() != 1) return Bad(path + "enableWhen", "must hold exactly one condition");
        const int source = c.ItemIndex(when[0].value("question", ""));
        if (source < 0 || source >= c.item_count) return Bad(path + "enableWhen", "must name an earlier item");
        if (when[0].value("operator", "") != "=") return Bad(path + "enableWhen", "operator must be '='");
        const std::string code = when[0].contains("answerCoding") ? when[0]["answerCoding"].value("code", "") : "";
        try {
          target.enabled_when = static_cast<int16_t>(std::stoi(code));
        } catch (const std::exception&) {
          return Bad(path + "enableWhen", "answerCoding.code must be the item's numeric value");
        }
        target.enabled_by = static_cast<int8_t>(source);
      }
      ++c.item_count;
    }
    if (c.item_count == 0) return Bad("item", "needs at least one answerable item");
    if (c.kind == InstrumentKind::kClinicianTotal) {
      if (c.items[0].link_id != "total" || !c.items[0].required) {
        return Bad("item[0]", "a clinician_total instrument starts with the required 'total' item");
      }
      c.entered_total_item = 0;
      for (int i = 1; i < c.item_count; ++i) {
        if (c.items[i].required) return Bad("item", "item values of a clinician_total instrument are optional");
      }
    }
    return Status::Ok();
  }

  Result<uint8_t> ItemRef(const Json& value, const std::string& path) {
    const int index = value.is_string() ? out_.ItemIndex(value.get<std::string>()) : -1;
    if (index < 0 || index == out_.entered_total_item) return Bad(path, "must name a scored item");
    return static_cast<uint8_t>(index);
  }

  // Reads [{"sum": [...]}, {"max": [...]}] and returns the run of terms.
  Result<TermRange> ReadTerms(const Json& terms, const std::string& path) {
    if (!terms.is_array() || terms.empty()) return Bad(path, "must be a non-empty array of terms");
    TermRange range{static_cast<uint8_t>(out_.terms.size()), 0};
    for (size_t i = 0; i < terms.size(); ++i) {
      const std::string term_path = path + "[" + std::to_string(i) + "]";
      ScoreTerm term;
      const Json* list = nullptr;
      if (terms[i].contains("sum")) {
        term.operation = ScoreTerm::Operation::kSum;
        list = &terms[i]["sum"];
      } else if (terms[i].contains("max")) {
        term.operation = ScoreTerm::Operation::kMax;
        list = &terms[i]["max"];
      } else {
        return Bad(term_path, "must be {\"sum\": [...]} or {\"max\": [...]}");
      }
      if (!list->is_array() || list->empty()) return Bad(term_path, "must list items");
      term.first = static_cast<uint8_t>(out_.term_items.size());
      for (const Json& ref : *list) {
        KC_ASSIGN_OR_RETURN(uint8_t index, ItemRef(ref, term_path));
        out_.term_items.push_back(index);
      }
      term.count = static_cast<uint8_t>(list->size());
      out_.terms.push_back(term);
      ++range.count;
    }
    if (out_.terms.size() > 255 || out_.term_items.size() > 255) return Bad(path, "too many terms");
    return range;
  }

  // Smallest and largest value a run of terms can take.
  std::pair<int, int> TermBounds(TermRange range) const {
    int lo = 0, hi = 0;
    for (int t = range.first; t < range.first + range.count; ++t) {
      const ScoreTerm& term = out_.terms[t];
      int tlo = term.operation == ScoreTerm::Operation::kSum ? 0 : std::numeric_limits<int>::min();
      int thi = tlo;
      for (int j = term.first; j < term.first + term.count; ++j) {
        const InstrumentItem& item = out_.items[out_.term_items[j]];
        if (term.operation == ScoreTerm::Operation::kSum) {
          tlo += item.min;
          thi += item.max;
        } else {
          tlo = std::max(tlo, static_cast<int>(item.min));
          thi = std::max(thi, static_cast<int>(item.max));
        }
      }
      lo += tlo;
      hi += thi;
    }
    return {lo, hi};
  }

  Status ReadScoring(const Json& k) {
    CompiledInstrument& c = out_;
    if (!k.contains("scoring") || !k["scoring"].is_object()) return Bad("ketachart.scoring", "must be an object");
    const Json& scoring = k["scoring"];
    const std::string rule = scoring.contains("missing_items") ? scoring["missing_items"].value("rule", "") : "";
    const std::string expected_rule = c.kind == InstrumentKind::kClinicianTotal ? "total_or_all_items" : "all_required";
    if (rule != expected_rule) {
      return Bad("ketachart.scoring.missing_items.rule", "must be " + expected_rule + " for this kind of instrument");
    }
    if (!scoring.contains("total") || scoring["total"].is_null()) return Status::Ok();
    const Json& total = scoring["total"];
    KC_ASSIGN_OR_RETURN(c.total_terms, ReadTerms(total.value("terms", Json()), "ketachart.scoring.total.terms"));
    c.has_total = true;
    const Json range = total.value("range", Json());
    if (!range.is_array() || range.size() != 2) return Bad("ketachart.scoring.total.range", "must be [min, max]");
    c.total_min = range[0].get<int16_t>();
    c.total_max = range[1].get<int16_t>();
    const auto [lo, hi] = TermBounds(c.total_terms);
    if (lo != c.total_min || hi != c.total_max) {
      return Bad("ketachart.scoring.total.range", "does not match the items: they give " + std::to_string(lo) + "–" +
                                                      std::to_string(hi));
    }
    if (c.kind == InstrumentKind::kClinicianTotal &&
        (c.items[0].min != c.total_min || c.items[0].max != c.total_max)) {
      return Bad("item[0]", "the total item's range must equal the scoring range");
    }
    if (total.contains("loinc")) {
      KC_ASSIGN_OR_RETURN(std::string code, StringAt(total["loinc"], "code", "ketachart.scoring.total.loinc."));
      c.total_loinc = code;
      c.total_loinc_display = total["loinc"].value("display", "");
    }
    return Status::Ok();
  }

  Status ReadSubscales(const Json& k) {
    CompiledInstrument& c = out_;
    const Json subscales = k.value("subscales", Json::array());
    if (subscales.size() > kMaxInstrumentSubscales) return Bad("ketachart.subscales", "too many subscales");
    for (size_t i = 0; i < subscales.size(); ++i) {
      const std::string path = "ketachart.subscales[" + std::to_string(i) + "].";
      Subscale& s = c.subscales[i];
      KC_ASSIGN_OR_RETURN(s.code, StringAt(subscales[i], "code", path));
      s.display = subscales[i].value("display", "");
      KC_ASSIGN_OR_RETURN(s.terms, ReadTerms(subscales[i].value("terms", Json()), path + "terms"));
      const Json range = subscales[i].value("range", Json());
      const auto [lo, hi] = TermBounds(s.terms);
      if (!range.is_array() || range.size() != 2 || range[0] != lo || range[1] != hi) {
        return Bad(path + "range", "does not match the items: they give " + std::to_string(lo) + "–" + std::to_string(hi));
      }
      ++c.subscale_count;
    }
    return Status::Ok();
  }

  Result<Trigger> ReadTrigger(const Json& when, const std::string& path, int bands_known) {
    Trigger trigger;
    if (when.contains("any")) {
      trigger.kind = Trigger::Kind::kAnyItem;
      trigger.first = static_cast<uint8_t>(out_.conditions.size());
      for (const Json& cond : when["any"]) {
        KC_ASSIGN_OR_RETURN(uint8_t item, ItemRefAny(cond.value("item", Json()), path + ".any"));
        const int at_least = cond.value("at_least", std::numeric_limits<int>::min());
        const InstrumentItem& target = out_.items[item];
        if (at_least <= target.min || at_least > target.max) {
          return Bad(path + ".any", "at_least must lie above the item's lowest value and within its range");
        }
        out_.conditions.push_back(ItemCondition{item, static_cast<int16_t>(at_least)});
        ++trigger.count;
      }
      if (trigger.count == 0) return Bad(path + ".any", "must list conditions");
    } else if (when.contains("band")) {
      trigger.kind = Trigger::Kind::kBand;
      for (const Json& code : when["band"]) {
        int found = -1;
        for (int b = 0; b < bands_known; ++b) {
          if (code.is_string() && out_.bands[b].code == code.get<std::string>()) found = b;
        }
        if (found < 0) return Bad(path + ".band", "names an unknown band");
        trigger.band_mask |= 1u << found;
      }
    } else if (when.value("otherwise", false)) {
      trigger.kind = Trigger::Kind::kOtherwise;
    } else {
      return Bad(path, "must be {\"any\": [...]}, {\"band\": [...]} or {\"otherwise\": true}");
    }
    return trigger;
  }

  Result<uint8_t> ItemRefAny(const Json& value, const std::string& path) {
    const int index = value.is_string() ? out_.ItemIndex(value.get<std::string>()) : -1;
    if (index < 0) return Bad(path, "must name an item");
    return static_cast<uint8_t>(index);
  }

  Status ReadBands(const Json& k) {
    CompiledInstrument& c = out_;
    const Json bands = k.value("bands", Json::array());
    if (bands.size() > kMaxInstrumentBands) return Bad("ketachart.bands", "too many bands");
    int next_min = c.total_min;
    for (size_t i = 0; i < bands.size(); ++i) {
      const std::string path = "ketachart.bands[" + std::to_string(i) + "]";
      Band& band = c.bands[i];
      KC_ASSIGN_OR_RETURN(band.code, StringAt(bands[i], "code", path + "."));
      band.display = bands[i].value("display", "");
      band.unconfirmed = bands[i].value("unconfirmed", false);
      if (bands[i].contains("when")) {
        if (i > 0 && !c.rule_bands) return Bad(path, "range bands and rule bands cannot be mixed");
        c.rule_bands = true;
        KC_ASSIGN_OR_RETURN(band.trigger, ReadTrigger(bands[i]["when"], path + ".when", 0));
      } else {
        if (c.rule_bands) return Bad(path, "range bands and rule bands cannot be mixed");
        if (!c.has_total) return Bad(path, "range bands need a total");
        KC_ASSIGN_OR_RETURN(int min, IntegerAt(bands[i], "min", path + ".", c.total_min, c.total_max));
        KC_ASSIGN_OR_RETURN(int max, IntegerAt(bands[i], "max", path + ".", min, c.total_max));
        // Bands are ordered and contiguous; the first starts at the lowest
        // total. They may stop short of the top (MOAA/S names level 0 only).
        if (min != next_min) return Bad(path + ".min", "must be " + std::to_string(next_min) + " (bands are contiguous)");
        band.min = static_cast<int16_t>(min);
        band.max = static_cast<int16_t>(max);
        next_min = max + 1;
      }
      ++c.band_count;
    }
    if (c.rule_bands && c.bands[c.band_count - 1].trigger.kind != Trigger::Kind::kOtherwise) {
      return Bad("ketachart.bands", "rule bands must end with an 'otherwise' band");
    }
    return Status::Ok();
  }

  Status ReadCutoffs(const Json& k) {
    CompiledInstrument& c = out_;
    const Json cutoffs = k.value("cutoffs", Json::array());
    if (cutoffs.size() > kMaxInstrumentCutoffs) return Bad("ketachart.cutoffs", "too many cut-offs");
    for (size_t i = 0; i < cutoffs.size(); ++i) {
      const std::string path = "ketachart.cutoffs[" + std::to_string(i) + "].";
      if (!c.has_total) return Bad(path, "cut-offs need a total");
      Cutoff& cutoff = c.cutoffs[i];
      KC_ASSIGN_OR_RETURN(cutoff.code, StringAt(cutoffs[i], "code", path));
      cutoff.display = cutoffs[i].value("display", "");
      KC_ASSIGN_OR_RETURN(int at_least, IntegerAt(cutoffs[i], "at_least", path, c.total_min, c.total_max));
      cutoff.at_least = static_cast<int16_t>(at_least);
      cutoff.configurable = OptionalRange(cutoffs[i], "configurable");
      if (cutoff.configurable && (at_least < cutoff.configurable->first || at_least > cutoff.configurable->second)) {
        return Bad(path + "at_least", "must lie in its configurable range");
      }
      ++c.cutoff_count;
    }
    return Status::Ok();
  }

  Status ReadAlerts(const Json& k) {
    CompiledInstrument& c = out_;
    const Json alerts = k.value("alerts", Json::array());
    if (alerts.size() > kMaxInstrumentAlerts) return Bad("ketachart.alerts", "too many alerts");
    for (size_t i = 0; i < alerts.size(); ++i) {
      const std::string path = "ketachart.alerts[" + std::to_string(i) + "]";
      Alert& alert = c.alerts[i];
      KC_ASSIGN_OR_RETURN(alert.code, StringAt(alerts[i], "code", path + "."));
      KC_ASSIGN_OR_RETURN(alert.severity, StringAt(alerts[i], "severity", path + "."));
      if (alert.severity != "urgent" && alert.severity != "advisory") {
        return Bad(path + ".severity", "must be urgent or advisory");
      }
      alert.display = alerts[i].value("display", "");
      KC_ASSIGN_OR_RETURN(alert.trigger, ReadTrigger(alerts[i].value("when", Json::object()), path + ".when",
                                                     c.band_count));
      if (alert.trigger.kind == Trigger::Kind::kOtherwise) return Bad(path + ".when", "an alert needs a condition");
      ++c.alert_count;
    }
    return Status::Ok();
  }

  Status ReadSymptomRules(const Json& k) {
    CompiledInstrument& c = out_;
    const Json rules = k.value("symptom_rules", Json::array());
    if (rules.size() > kMaxInstrumentSymptomRules) return Bad("ketachart.symptom_rules", "too many rules");
    for (size_t i = 0; i < rules.size(); ++i) {
      const std::string path = "ketachart.symptom_rules[" + std::to_string(i) + "].";
      SymptomRule& rule = c.symptom_rules[i];
      KC_ASSIGN_OR_RETURN(rule.code, StringAt(rules[i], "code", path));
      rule.display = rules[i].value("display", "");
      KC_ASSIGN_OR_RETURN(int endorsed, IntegerAt(rules[i], "endorsed_at_least", path, -1000, 1000));
      rule.endorsed_at_least = static_cast<int16_t>(endorsed);
      const Json require = rules[i].value("require", Json::array());
      if (require.empty() || require.size() > kMaxInstrumentSubscales) return Bad(path + "require", "must list subscales");
      for (size_t r = 0; r < require.size(); ++r) {
        const std::string code = require[r].value("subscale", "");
        int found = -1;
        for (int s = 0; s < c.subscale_count; ++s) {
          if (c.subscales[s].code == code) found = s;
        }
        if (found < 0) return Bad(path + "require", "names an unknown subscale");
        KC_ASSIGN_OR_RETURN(int min_count, IntegerAt(require[r], "min_count", path + "require.", 1, 255));
        rule.subscale[r] = static_cast<uint8_t>(found);
        rule.min_count[r] = static_cast<uint8_t>(min_count);
      }
      rule.requirement_count = static_cast<uint8_t>(require.size());
      ++c.symptom_rule_count;
    }
    return Status::Ok();
  }

  Status ReadChange(const Json& k) {
    ChangeRules& change = out_.change;
    if (!k.contains("change")) return Status::Ok();
    const Json& json = k["change"];
    if (!out_.has_total) return Bad("ketachart.change", "change rules need a total");
    if (json.value("direction", "") != "lower_is_better") {
      return Bad("ketachart.change.direction", "only lower_is_better scales are supported");
    }
    change.defined = true;
    change.response_percent_reduction = OptionalInt(json, "response_percent_reduction");
    change.remission_at_most = OptionalInt(json, "remission_at_most");
    change.remission_configurable = OptionalRange(json, "remission_configurable");
    if (json.contains("clinically_significant")) {
      change.clinically_significant_post_at_most = OptionalInt(json["clinically_significant"], "post_at_most");
      change.clinically_significant_percent = OptionalInt(json["clinically_significant"], "percent_reduction");
      if (!change.clinically_significant_post_at_most || !change.clinically_significant_percent) {
        return Bad("ketachart.change.clinically_significant", "needs post_at_most and percent_reduction");
      }
    }
    change.reliable_improvement_points = OptionalInt(json, "reliable_improvement_points");
    change.response_points = OptionalInt(json, "response_points");
    change.clinically_meaningful_points = OptionalInt(json, "clinically_meaningful_points");
    if (json.contains("reliable_change_index")) {
      const Json& rci = json["reliable_change_index"];
      ReliableChangeConstants constants;
      constants.sd = rci.value("sd", 0.0);
      constants.reliability = rci.value("reliability", 0.0);
      constants.reliability_kind = rci.value("reliability_kind", "");
      constants.z = rci.value("z", 0.0);
      if (constants.sd <= 0 || constants.reliability <= 0 || constants.reliability >= 1 || constants.z <= 0 ||
          constants.reliability_kind.empty()) {
        return Bad("ketachart.change.reliable_change_index", "needs sd > 0, 0 < reliability < 1, z > 0 and its kind");
      }
      constants.s_diff = constants.sd * std::sqrt(2.0) * std::sqrt(1.0 - constants.reliability);
      change.reliable_change = constants;
    }
    return Status::Ok();
  }

  const Json& definition_;
  CompiledInstrument out_;
};

}  // namespace

int CompiledInstrument::ItemIndex(std::string_view link_id) const {
  for (int i = 0; i < item_count; ++i) {
    if (items[i].link_id == link_id) return i;
  }
  return -1;
}

Result<CompiledInstrument> CompileInstrument(const Json& definition) {
  try {
    return Compiler(definition).Run();
  } catch (const Json::exception& e) {
    return InvalidInput("", std::string("instrument file has a value of the wrong type: ") + e.what());
  }
}

Result<CompiledInstrument> ApplyInstrumentSettings(CompiledInstrument instrument,
                                                   const std::map<std::string, int>& settings) {
  for (const auto& [name, value] : settings) {
    if (name == "remission_at_most") {
      const auto& range = instrument.change.remission_configurable;
      if (!range) return InvalidInput(name, "is not configurable for " + instrument.key);
      if (value < range->first || value > range->second) {
        return InvalidInput(name, "must be between " + std::to_string(range->first) + " and " +
                                      std::to_string(range->second) + " for " + instrument.key);
      }
      instrument.change.remission_at_most = value;
      continue;
    }
    bool found = false;
    if (name.rfind("cutoff.", 0) == 0) {
      for (int i = 0; i < instrument.cutoff_count; ++i) {
        Cutoff& cutoff = instrument.cutoffs[i];
        if (name.substr(7) != cutoff.code) continue;
        found = true;
        if (!cutoff.configurable) return InvalidInput(name, "is not configurable for " + instrument.key);
        if (value < cutoff.configurable->first || value > cutoff.configurable->second) {
          return InvalidInput(name, "must be between " + std::to_string(cutoff.configurable->first) + " and " +
                                        std::to_string(cutoff.configurable->second) + " for " + instrument.key);
        }
        cutoff.at_least = static_cast<int16_t>(value);
      }
    }
    if (!found) return InvalidInput(name, "is not a setting of " + instrument.key);
  }
  return instrument;
}

}  // namespace ketachart
