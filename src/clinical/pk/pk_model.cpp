// Reading a pharmacokinetic model data file into canonical units (see pk_model.h).
#include "clinical/pk/pk_model.h"

#include <cmath>
#include <fmt/format.h>

namespace ketachart::pk {
namespace {

const std::vector<std::string>& RequiredParameters(Parameterisation kind) {
  static const std::vector<std::string> rate_constants{"v1", "k10", "k12", "k21"};
  static const std::vector<std::string> clearances{"v1", "cl", "v2", "q2"};
  static const std::vector<std::string> hepatic{"v1", "v2", "q2", "v3", "q3", "vh", "qh", "kel", "kmet",
                                                "frn", "ka_nasal", "subsequent_device_factor",
                                                "swallowed_duration", "ka_swallowed", "fgut"};
  switch (kind) {
    case Parameterisation::kRateConstants: return rate_constants;
    case Parameterisation::kClearances: return clearances;
    case Parameterisation::kHepaticFirstPass: return hepatic;
  }
  return rate_constants;
}

// Converts a value in `unit` to the canonical unit of its kind.
Result<double> ToCanonical(double value, const std::string& unit, const std::string& field) {
  if (unit == "L" || unit == "L/kg" || unit == "1/min" || unit == "L/min" || unit == "fraction" || unit == "min") {
    return value;
  }
  if (unit == "1/h" || unit == "L/h") return value / 60.0;
  if (unit == "h") return value * 60.0;
  return InvalidInput(field, fmt::format("unknown unit \"{}\"", unit));
}

std::string StringOr(const Json& object, const char* name, std::string fallback = {}) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

bool PkModel::SupportsRoute(std::string_view route) const {
  for (const auto& r : routes) {
    if (r == route) return true;
  }
  return false;
}

Result<PkModel> ParsePkModel(std::string_view json_text) {
  Json doc;
  try {
    doc = Json::parse(json_text);
  } catch (const Json::parse_error& error) {
    return InvalidInput("", fmt::format("model file is not valid JSON (at byte {})", error.byte));
  }
  if (!doc.is_object()) return InvalidInput("", "model file must be a JSON object");
  PkModel model;
  model.document = doc;
  model.id = StringOr(doc, "id");
  if (model.id.empty()) return InvalidInput("id", "is required");
  model.name = StringOr(doc, "name", model.id);
  model.drug = StringOr(doc, "drug");
  model.enantiomer = StringOr(doc, "enantiomer");
  model.citation = StringOr(doc, "citation");
  if (model.citation.empty()) return InvalidInput(model.id + ".citation", "every model must cite its source");
  if (doc.contains("routes") && doc["routes"].is_array()) {
    for (const auto& r : doc["routes"]) model.routes.push_back(r.get<std::string>());
  }
  if (doc.contains("population") && doc["population"].is_object()) {
    model.population_description = StringOr(doc["population"], "description");
    model.adults_only = doc["population"].value("adults_only", false);
  }
  model.verified_against_paper = doc.value("verified_against_paper", true);

  const std::string kind = StringOr(doc, "parameterisation");
  if (kind == "rate_constants") {
    model.parameterisation = Parameterisation::kRateConstants;
  } else if (kind == "clearances") {
    model.parameterisation = Parameterisation::kClearances;
  } else if (kind == "hepatic_first_pass") {
    model.parameterisation = Parameterisation::kHepaticFirstPass;
  } else {
    return InvalidInput(model.id + ".parameterisation", "must be rate_constants, clearances or hepatic_first_pass");
  }

  if (!doc.contains("parameters") || !doc["parameters"].is_object()) {
    return InvalidInput(model.id + ".parameters", "is required");
  }
  for (const auto& [name, entry] : doc["parameters"].items()) {
    const std::string field = model.id + ".parameters." + name;
    if (!entry.is_object() || !entry.contains("value") || !entry["value"].is_number()) {
      return InvalidInput(field, "must be an object with a numeric value");
    }
    if (StringOr(entry, "source").empty()) return InvalidInput(field + ".source", "every constant must cite its source");
    const double value = entry["value"].get<double>();
    if (!(value > 0) || !std::isfinite(value)) return InvalidInput(field, "must be positive");
    KC_ASSIGN_OR_RETURN(double canonical, ToCanonical(value, StringOr(entry, "unit"), field + ".unit"));
    model.parameters[name] = canonical;
  }
  for (const auto& name : RequiredParameters(model.parameterisation)) {
    if (!model.Has(name)) return InvalidInput(model.id + ".parameters." + name, "is required for " + kind);
  }
  if (model.Has("k13") != model.Has("k31")) return InvalidInput(model.id + ".parameters", "k13 and k31 go together");
  if (model.Has("v3") != model.Has("q3")) return InvalidInput(model.id + ".parameters", "v3 and q3 go together");

  if (doc.contains("allometry") && doc["allometry"].is_object()) {
    model.allometry_reference_weight_kg = doc["allometry"].value("reference_weight_kg", 70.0);
    for (const auto& [name, exponent] : doc["allometry"]["exponents"].items()) {
      if (!model.Has(name)) return InvalidInput(model.id + ".allometry.exponents." + name, "names no parameter");
      model.allometric_exponents[name] = exponent.get<double>();
    }
  }
  if (doc.contains("covariate_constants") && doc["covariate_constants"].is_object()) {
    for (const auto& [name, value] : doc["covariate_constants"].items()) model.covariate_constants[name] = value.get<double>();
  }
  if (doc.contains("effect_site") && doc["effect_site"].is_object()) {
    const Json& site = doc["effect_site"];
    EffectSite effect;
    KC_ASSIGN_OR_RETURN(effect.ke0_per_min, ToCanonical(site["ke0"].value("value", 0.0),
                                                        StringOr(site["ke0"], "unit"), model.id + ".effect_site.ke0"));
    if (!(effect.ke0_per_min > 0)) return InvalidInput(model.id + ".effect_site.ke0", "must be positive");
    effect.confirmed = site.value("confirmed", false);
    effect.note = StringOr(site, "note");
    model.effect_site = effect;
  }
  if (doc.contains("iiv") && doc["iiv"].is_object()) {
    const Json& iiv = doc["iiv"];
    model.iiv.published = iiv.value("published", false);
    model.iiv.note = StringOr(iiv, "note", StringOr(iiv, "source"));
    if (iiv.contains("omega_squared")) {
      for (const auto& [name, value] : iiv["omega_squared"].items()) model.iiv.omega_squared[name] = value.get<double>();
    }
    if (iiv.contains("cv_percent")) {
      // Log-normal: omega^2 = ln(1 + CV^2) (as nlmixr2lib encodes Perez-Ruixo 2021).
      for (const auto& [name, value] : iiv["cv_percent"].items()) {
        const double cv = value.get<double>() / 100.0;
        model.iiv.omega_squared[name] = std::log1p(cv * cv);
      }
    }
    if (iiv.contains("logit_sd")) {
      for (const auto& [name, value] : iiv["logit_sd"].items()) {
        model.iiv.logit_variance[name] = value.get<double>() * value.get<double>();
      }
    }
    if (iiv.contains("covariance")) {
      for (const auto& entry : iiv["covariance"]) {
        model.iiv.covariances.push_back(
            {entry["parameters"][0].get<std::string>(), entry["parameters"][1].get<std::string>(), entry["value"].get<double>()});
      }
    }
    for (const auto& [name, value] : model.iiv.omega_squared) {
      if (!model.Has(name)) return InvalidInput(model.id + ".iiv." + name, "names no parameter");
    }
  }
  if (doc.contains("intranasal_device") && doc["intranasal_device"].is_object()) {
    model.intranasal_device = IntranasalDevice{doc["intranasal_device"].value("mg_per_device", 0.0),
                                               doc["intranasal_device"].value("minutes_between_devices", 0.0)};
    if (!(model.intranasal_device->mg_per_device > 0)) {
      return InvalidInput(model.id + ".intranasal_device.mg_per_device", "must be positive");
    }
  }
  if (doc.contains("covariates") && doc["covariates"].is_array()) {
    for (const auto& c : doc["covariates"]) {
      model.covariate_descriptions.push_back(StringOr(c, "name") + ": " + StringOr(c, "effect"));
    }
  }
  if (doc.contains("notes") && doc["notes"].is_array()) {
    for (const auto& n : doc["notes"]) model.notes.push_back(n.get<std::string>());
  }
  return model;
}

}  // namespace ketachart::pk
