// Building of FHIR R4 resources for instruments; see fhir_resources.h.
#include "clinical/instruments/fhir_resources.h"

#include "clinical/instruments/instrument_scoring.h"

namespace ketachart {
namespace {

constexpr const char* kObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

// The answerOption of a choice item whose ordinal value is `value`.
const Json* AnswerOption(const Json& item, int value) {
  const auto options = item.find("answerOption");
  if (options == item.end()) return nullptr;
  for (const Json& option : *options) {
    for (const Json& ext : option.value("extension", Json::array())) {
      if (ext.value("valueDecimal", -1.0e9) == value) return &option;
    }
  }
  return nullptr;
}

// The FHIR item of the data file for compiled item `index` (display items skipped).
const Json* DefinitionItem(const CompiledInstrument& c, int index) {
  for (const Json& item : c.definition["item"]) {
    if (item.value("linkId", "") == c.items[index].link_id) return &item;
  }
  return nullptr;
}

Result<ScoreOutcome> Scored(const CompiledInstrument& c, const std::vector<int16_t>& answers) {
  ScoreOutcome outcome;
  ScoreResponse(c, answers, outcome);
  if (!outcome.ok()) return DescribeScoreProblem(c, outcome, answers.size());
  return outcome;
}

void AddContext(Json& resource, const FhirResponseContext& context, const char* date_field) {
  if (!context.subject_reference.empty()) resource["subject"] = {{"reference", context.subject_reference}};
  if (!context.date_time.empty()) resource[date_field] = context.date_time;
}

}  // namespace

Json QuestionnaireResource(const CompiledInstrument& c) {
  Json resource = c.definition;
  resource.erase("ketachart");
  return resource;
}

Result<Json> QuestionnaireResponseResource(const CompiledInstrument& c, const std::vector<int16_t>& answers,
                                           const FhirResponseContext& context) {
  KC_RETURN_IF_ERROR(Scored(c, answers).status());
  Json resource = {{"resourceType", "QuestionnaireResponse"},
                   {"questionnaire", c.url + "|" + c.version},
                   {"status", "completed"}};
  AddContext(resource, context, "authored");
  Json items = Json::array();
  // A single entered total of a clinician_total instrument fills slot 0 only.
  const size_t slots = answers.size();
  for (size_t i = 0; i < slots; ++i) {
    if (answers[i] == kNotAnswered) continue;
    const Json* definition = DefinitionItem(c, static_cast<int>(i));
    if (!definition) return Internal("instrument item without a definition");
    Json answer;
    if (definition->value("type", "") == "choice") {
      const Json* option = AnswerOption(*definition, answers[i]);
      if (!option) return Internal("answer without an answer option");
      answer = {{"valueCoding", (*option)["valueCoding"]}};
    } else {
      answer = {{"valueInteger", answers[i]}};
    }
    Json item = {{"linkId", c.items[i].link_id}, {"answer", Json::array({answer})}};
    if (definition->contains("text")) item["text"] = (*definition)["text"];
    items.push_back(std::move(item));
  }
  resource["item"] = std::move(items);
  return resource;
}

Result<Json> ObservationResource(const CompiledInstrument& c, const std::vector<int16_t>& answers,
                                 const FhirResponseContext& context) {
  KC_ASSIGN_OR_RETURN(ScoreOutcome outcome, Scored(c, answers));
  Json code = {{"text", c.title + (c.has_total ? " total score" : " result")}};
  if (c.total_loinc) {
    code["coding"] = Json::array({{{"system", "http://loinc.org"}, {"code", *c.total_loinc},
                                   {"display", c.total_loinc_display}}});
  }
  Json resource = {{"resourceType", "Observation"},
                   {"status", "final"},
                   {"category", Json::array({{{"coding", Json::array({{{"system", kObservationCategory},
                                                                        {"code", "survey"},
                                                                        {"display", "Survey"}}})}}})},
                   {"code", std::move(code)}};
  AddContext(resource, context, "effectiveDateTime");
  const Json band_coding =
      outcome.band >= 0 ? Json{{"system", c.url + ":band"}, {"code", c.bands[outcome.band].code},
                               {"display", c.bands[outcome.band].display}}
                        : Json();
  if (outcome.has_total) {
    resource["valueInteger"] = outcome.total;
    if (outcome.band >= 0) resource["interpretation"] = Json::array({{{"coding", Json::array({band_coding})}}});
  } else if (outcome.band >= 0) {
    resource["valueCodeableConcept"] = {{"coding", Json::array({band_coding})}};
  }
  Json components = Json::array();
  for (int s = 0; s < c.subscale_count; ++s) {
    if (!((outcome.subscales_present >> s) & 1u)) continue;
    components.push_back({{"code", {{"text", c.subscales[s].display}}}, {"valueInteger", outcome.subscales[s]}});
  }
  for (int r = 0; r < c.symptom_rule_count; ++r) {
    components.push_back({{"code", {{"text", c.symptom_rules[r].display}}},
                          {"valueBoolean", ((outcome.symptom_rules_met >> r) & 1u) != 0}});
  }
  if (!components.empty()) resource["component"] = std::move(components);
  return resource;
}

}  // namespace ketachart
