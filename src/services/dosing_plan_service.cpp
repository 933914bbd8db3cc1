// Pharmacology use cases (see dosing_plan_service.h).
#include "services/dosing_plan_service.h"

#include <fmt/format.h>

#include "clinical/pk/pk_model_catalog.h"
#include "clinical/pk/simulation.h"
#include "clinical/pk/svg_chart.h"
#include "services/guard.h"

namespace ketachart {
namespace {

using namespace pk;

struct PlanRequest {
  const PkModel* model = nullptr;
  DosingPlan plan;
  std::vector<Minutes> times;
  SimulationOptions options;
};

// Reads one dose list entry: exactly one of dose_mg and dose_mg_per_kg.
std::optional<Milligrams> ReadDose(JsonObjectReader& reader, Kilograms weight) {
  auto mg = reader.OptionalNumber("dose_mg", 0.001, 10000);
  auto per_kg = reader.OptionalNumber("dose_mg_per_kg", 0.0001, 10);
  if (!reader.ok()) return std::nullopt;
  if (mg.has_value() == per_kg.has_value()) {
    reader.Fail(InvalidInput(reader.FieldPath("dose_mg"), "give exactly one of dose_mg and dose_mg_per_kg"));
    return std::nullopt;
  }
  return mg ? Milligrams(*mg) : MilligramsPerKilogram(*per_kg) * weight;
}

Result<PlanRequest> ReadPlanRequest(const Json& body, Kilograms weight, bool weight_in_body) {
  JsonObjectReader reader(body);
  PlanRequest out;
  auto model_id = reader.RequiredString("model", {1, 60});
  if (weight_in_body) reader.Allow("weight_kg");
  auto effect_site = reader.OptionalBool("effect_site");
  auto threshold = reader.OptionalNumber("threshold_ng_per_ml", 0.001, 100000);
  const Json* infusions = reader.OptionalArray("infusions", 20);
  const Json* boluses = reader.OptionalArray("boluses", 50);
  const Json* pauses = reader.OptionalArray("pauses", 20);
  const Json* intranasal = reader.OptionalArray("intranasal", 10);
  const Json* times = reader.OptionalObject("times");
  KC_RETURN_IF_ERROR(reader.Finish());  // also refuses unknown fields
  if (model_id) {
    auto model = FindModel(*model_id);
    if (!model.ok()) return InvalidInput("model", model.error().message);
    out.model = model.value();
  }
  for (size_t i = 0; infusions && i < infusions->size(); ++i) {
    JsonObjectReader item((*infusions)[i], fmt::format("infusions[{}]", i));
    auto dose = ReadDose(item, weight);
    auto over = item.OptionalNumber("over_min", 0.01, 10080);
    auto at = item.OptionalNumber("at_min", 0, 10080);
    if (item.ok() && !over) item.Fail(InvalidInput(item.FieldPath("over_min"), "is required"));
    KC_RETURN_IF_ERROR(item.Finish());
    out.plan.infusions.push_back({Minutes(at.value_or(0)), *dose, Minutes(*over)});
  }
  for (size_t i = 0; boluses && i < boluses->size(); ++i) {
    JsonObjectReader item((*boluses)[i], fmt::format("boluses[{}]", i));
    auto dose = ReadDose(item, weight);
    auto at = item.OptionalNumber("at_min", 0, 10080);
    KC_RETURN_IF_ERROR(item.Finish());
    out.plan.boluses.push_back({Minutes(at.value_or(0)), *dose});
  }
  for (size_t i = 0; pauses && i < pauses->size(); ++i) {
    JsonObjectReader item((*pauses)[i], fmt::format("pauses[{}]", i));
    auto at = item.OptionalNumber("at_min", 0, 10080);
    auto duration = item.OptionalNumber("duration_min", 0.01, 10080);
    if (item.ok() && (!at || !duration)) item.Fail(InvalidInput(item.FieldPath("duration_min"), "at_min and duration_min are required"));
    KC_RETURN_IF_ERROR(item.Finish());
    out.plan.pauses.push_back({Minutes(*at), Minutes(*duration)});
  }
  for (size_t i = 0; intranasal && i < intranasal->size(); ++i) {
    JsonObjectReader item((*intranasal)[i], fmt::format("intranasal[{}]", i));
    auto devices = item.RequiredInteger("devices", 1, 3);
    auto at = item.OptionalNumber("at_min", 0, 10080);
    KC_RETURN_IF_ERROR(item.Finish());
    if (!out.model->intranasal_device) return InvalidInput("intranasal", out.model->id + " has no intranasal absorption");
    out.plan.intranasal.push_back({Minutes(at.value_or(0)), static_cast<int>(*devices)});
  }
  double first = 0, last = 240, step = 5;
  if (times) {
    JsonObjectReader t(*times, "times");
    first = t.OptionalNumber("first", 0, 10080).value_or(0);
    last = t.OptionalNumber("last", 0, 10080).value_or(240);
    step = t.OptionalNumber("step", 0.1, 10080).value_or(5);
    KC_RETURN_IF_ERROR(t.Finish());
  }
  KC_ASSIGN_OR_RETURN(out.times, ParseTimesText(fmt::format("{}:{}:{}", first, last, step), "times"));
  if (out.times.size() > 5000) return InvalidInput("times", "at most 5000 time points");
  if (out.plan.empty()) return InvalidInput("infusions", "the plan has no dose");
  KC_RETURN_IF_ERROR(out.plan.Validate());
  out.options.effect_site = effect_site.value_or(false);
  out.options.amounts = false;
  if (threshold) out.options.threshold = NanogramsPerMillilitre(*threshold);
  return out;
}

Result<Json> RunPlan(const PlanRequest& request, const PatientCovariates& patient) {
  KC_ASSIGN_OR_RETURN(CompartmentSystem system, BuildCompartmentSystem(*request.model, patient));
  KC_ASSIGN_OR_RETURN(SimulationResult result, Simulate(system, request.plan, request.times, request.options));
  Json points = Json::array();
  for (const auto& p : result.points) {
    Json j{{"minute", p.time.value()}, {"plasma_ng_per_ml", p.plasma.value()}};
    if (p.effect) j["effect_ng_per_ml"] = p.effect->value();
    points.push_back(std::move(j));
  }
  Json warnings = PopulationWarnings(*request.model, patient);
  if (request.options.effect_site && !system.ke0_confirmed) {
    warnings.push_back(request.model->id + ": ke0 is UNCONFIRMED (no published ke0)");
  }
  double total_mg = 0;
  for (const auto& b : request.plan.boluses) total_mg += b.amount.value();
  for (const auto& f : request.plan.infusions) total_mg += f.amount.value();
  Json out{{"model", request.model->id},
           {"model_name", request.model->name},
           {"citation", request.model->citation},
           {"weight_kg", patient.weight.value()},
           {"iv_dose_mg", total_mg},
           {"warnings", warnings},
           {"points", points},
           {"peak_plasma_ng_per_ml", result.peak_plasma.value()},
           {"peak_minute", result.peak_time.value()},
           {"auc_ng_min_per_ml", result.auc.value()},
           // clinical-reference.md A4 (Krystal 1994 via Zanos 2018 Table 1).
           {"dissociation_band_ng_per_ml", {{"low", kDissociationBandLowNgPerMl}, {"high", kDissociationBandHighNgPerMl},
                                            {"source", "Krystal 1994 via Zanos 2018 Table 1 (0.5 mg/kg over 40 min)"}}}};
  if (result.time_above_threshold) out["minutes_above_threshold"] = result.time_above_threshold->value();
  return out;
}

AuditEntry PkAudit(const std::string& action) { return AuditEntry{action, "pk", "", std::nullopt}; }

}  // namespace

Result<Json> DosingPlanService::ListModels(const Actor& actor) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kPatientRead, PkAudit("pk.models")));
  Json models = Json::array();
  for (const PkModel& m : ShippedModels()) models.push_back(m.document);
  return Json{{"models", models}};
}

Result<Json> DosingPlanService::Simulate(const Actor& actor, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kPatientRead, PkAudit("pk.simulate")));
  if (!body.is_object()) return InvalidInput("", "request body must be a JSON object");
  auto weight = body.find("weight_kg");
  if (weight == body.end() || !weight->is_number()) return InvalidInput("weight_kg", "is required (a number)");
  const double kg = weight->get<double>();
  if (!(kg >= 20 && kg <= 300)) return InvalidInput("weight_kg", "must be between 20 and 300 kg");
  KC_ASSIGN_OR_RETURN(PlanRequest request, ReadPlanRequest(body, Kilograms(kg), true));
  return RunPlan(request, {Kilograms(kg)});
}

Result<Json> DosingPlanService::PatientDosingPlan(const Actor& actor, int64_t patient_id, const Json& body) {
  // Reading the chart checks patient.read, finds the patient in this clinic and audits the read.
  KC_ASSIGN_OR_RETURN(JsonText chart_text, patients_.GetPatient(actor, patient_id));
  const Json chart = Json::parse(chart_text.text);
  const Json& latest = chart["latest_weight"];
  if (latest.is_null()) return InvalidInput("weight", "the patient has no recorded weight");
  const double kg = latest["weight_kg"].get<double>();
  if (!(kg >= 20 && kg <= 300)) {
    return InvalidInput("weight", fmt::format("the latest recorded weight ({:g} kg) is outside 20-300 kg", kg));
  }
  KC_ASSIGN_OR_RETURN(PlanRequest request, ReadPlanRequest(body, Kilograms(kg), false));
  PatientCovariates patient{Kilograms(kg)};
  KC_ASSIGN_OR_RETURN(Json out, RunPlan(request, patient));
  out["patient_id"] = patient_id;
  out["weight_measured_on"] = latest["measured_on"];
  return out;
}

}  // namespace ketachart
