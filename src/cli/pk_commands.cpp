// `ketachart pk models|simulate|tci|population|dose` (see pk_commands.h).
// Output formats: csv (header minute,plasma_ng_per_ml[,effect_ng_per_ml]),
// json, and svg (the predicted curve with the 100-250 ng/mL band associated
// with dissociation, clinical-reference.md A4, shaded).
#include "cli/pk_commands.h"

#include <unistd.h>

#include <cmath>
#include <fmt/format.h>
#include <iostream>
#include <memory>

#include "clinical/pk/compartment_system.h"
#include "clinical/pk/dose_calculator.h"
#include "clinical/pk/pk_model_catalog.h"
#include "clinical/pk/population.h"
#include "clinical/pk/simulation.h"
#include "clinical/pk/svg_chart.h"
#include "clinical/pk/target_controlled_infusion.h"

namespace ketachart {
namespace {

using namespace pk;

struct PkOptions {
  std::string model;
  double weight_kg = 0;
  std::optional<double> age_years;
  bool asian = false, japanese = false;
  std::vector<std::string> infuse, bolus, pause, intranasal;
  std::string times = "0:240:5";
  std::string format = "csv";
  bool effect_site = false;
  std::optional<double> threshold;
  // tci
  std::string target;
  double update_interval = 1;
  std::optional<double> max_rate_mg_per_h;
  std::optional<double> syringe_mg_per_ml;
  // population
  size_t patients = 1000;
  uint64_t seed = 1;
  std::optional<double> assumed_cv;
  // dose
  double dose_mg_per_kg = 0;
  std::string weight_date;
  double vial_mg_per_ml = 0;
  std::optional<double> diluent_ml, duration_min, max_mg;
  double round_mg = 0;
};

std::string Number(double v) { return fmt::format("{:.6g}", v); }

struct Prepared {
  const PkModel* model = nullptr;
  PatientCovariates patient;
  CompartmentSystem system;
  DosingPlan plan;
  std::vector<Minutes> times;
};

Result<Prepared> Prepare(const PkOptions& o, bool need_plan) {
  Prepared p;
  KC_ASSIGN_OR_RETURN(p.model, FindModel(o.model));
  if (!(o.weight_kg >= 20 && o.weight_kg <= 300)) return InvalidInput("weight-kg", "must be between 20 and 300 kg");
  if (o.age_years && !(*o.age_years >= 0 && *o.age_years <= 120)) return InvalidInput("age-years", "must be 0-120");
  p.patient = {Kilograms(o.weight_kg), o.age_years, o.asian, o.japanese};
  KC_ASSIGN_OR_RETURN(p.system, BuildCompartmentSystem(*p.model, p.patient));
  for (const auto& text : o.infuse) {
    KC_ASSIGN_OR_RETURN(Infusion f, ParseInfusionText(text, p.patient.weight, "infuse"));
    p.plan.infusions.push_back(f);
  }
  for (const auto& text : o.bolus) {
    KC_ASSIGN_OR_RETURN(Bolus b, ParseBolusText(text, p.patient.weight, "bolus"));
    p.plan.boluses.push_back(b);
  }
  for (const auto& text : o.pause) {
    KC_ASSIGN_OR_RETURN(Pause x, ParsePauseText(text, "pause"));
    p.plan.pauses.push_back(x);
  }
  for (const auto& text : o.intranasal) {
    if (!p.model->intranasal_device) return InvalidInput("intranasal", p.model->id + " has no intranasal absorption");
    KC_ASSIGN_OR_RETURN(IntranasalDose d,
                        ParseIntranasalText(text, Milligrams(p.model->intranasal_device->mg_per_device), "intranasal"));
    p.plan.intranasal.push_back(d);
  }
  if (need_plan && p.plan.empty()) return InvalidInput("infuse", "the plan has no dose (--infuse, --bolus or --intranasal)");
  KC_RETURN_IF_ERROR(p.plan.Validate());
  KC_ASSIGN_OR_RETURN(p.times, ParseTimesText(o.times, "times"));
  for (const auto& w : PopulationWarnings(*p.model, p.patient)) std::cerr << "ketachart: warning: " << w << "\n";
  return p;
}

std::string FormatOk(const std::string& format, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (format == a) return "";
  }
  return "unknown format \"" + format + "\"";
}

int RunModels(const PkOptions& o) {
  if (o.format == "json") {
    Json all = Json::array();
    for (const PkModel& m : ShippedModels()) all.push_back(m.document);
    std::cout << all.dump(2) << "\n";
    return 0;
  }
  if (o.format != "text" && o.format != "csv") return ReportFailure("pk models", InvalidInput("format", "must be text or json"));
  for (const PkModel& m : ShippedModels()) {
    std::string routes;
    for (const auto& r : m.routes) routes += (routes.empty() ? "" : ",") + r;
    std::cout << fmt::format("{:<22} {:<11} {:<8} {:<14} {}\n", m.id, m.drug, m.enantiomer, routes, m.name);
    std::cout << fmt::format("{:<22} population: {}\n", "", m.population_description);
    std::cout << fmt::format("{:<22} source: {}\n", "", m.citation);
    std::cout << fmt::format("{:<22} variability: {}\n", "",
                             m.iiv.published ? "published" : "none published (population needs --assumed-cv)");
    if (m.effect_site) {
      std::cout << fmt::format("{:<22} ke0: {:g}/min ({})\n", "", m.effect_site->ke0_per_min,
                               m.effect_site->confirmed ? "published" : "UNCONFIRMED, shown only with --effect-site");
    }
  }
  return 0;
}

int RunSimulate(const PkOptions& o) {
  const std::string what = "pk simulate";
  if (auto bad = FormatOk(o.format, {"csv", "json", "svg"}); !bad.empty()) return ReportFailure(what, InvalidInput("format", bad));
  auto prepared = Prepare(o, true);
  if (!prepared.ok()) return ReportFailure(what, prepared.error());
  const Prepared& p = prepared.value();
  SimulationOptions options;
  options.effect_site = o.effect_site;
  if (o.threshold) options.threshold = NanogramsPerMillilitre(*o.threshold);
  if (o.effect_site && p.system.ke0_per_min && !p.system.ke0_confirmed) {
    std::cerr << "ketachart: warning: " << p.model->id << " ke0 " << *p.system.ke0_per_min
              << "/min is UNCONFIRMED (no published ke0; see `ketachart pk models --format json`)\n";
  }
  auto simulated = Simulate(p.system, p.plan, p.times, options);
  if (!simulated.ok()) return ReportFailure(what, simulated.error());
  const SimulationResult& r = simulated.value();
  if (o.format == "csv") {
    std::cout << "minute,plasma_ng_per_ml" << (o.effect_site ? ",effect_ng_per_ml" : "") << "\n";
    for (const auto& point : r.points) {
      std::cout << Number(point.time.value()) << "," << fmt::format("{:.4f}", point.plasma.value());
      if (point.effect) std::cout << "," << fmt::format("{:.4f}", point.effect->value());
      std::cout << "\n";
    }
    return 0;
  }
  if (o.format == "svg") {
    ChartSeries series{"plasma", {}};
    for (const auto& point : r.points) series.points.emplace_back(point.time.value(), point.plasma.value());
    std::vector<ChartSeries> all{series};
    if (o.effect_site) {
      ChartSeries effect{"effect site (ke0 unconfirmed)", {}};
      for (const auto& point : r.points) effect.points.emplace_back(point.time.value(), point.effect->value());
      all.push_back(effect);
    }
    std::cout << ConcentrationChartSvg(p.model->name + ", " + Number(o.weight_kg) + " kg", all, {});
    return 0;
  }
  Json out;
  out["model"] = p.model->id;
  out["citation"] = p.model->citation;
  out["weight_kg"] = o.weight_kg;
  out["warnings"] = PopulationWarnings(*p.model, p.patient);
  out["compartments"] = r.state_names;
  Json points = Json::array();
  for (const auto& point : r.points) {
    Json j{{"minute", point.time.value()}, {"plasma_ng_per_ml", point.plasma.value()}};
    if (point.effect) j["effect_ng_per_ml"] = point.effect->value();
    Json amounts = Json::object();
    for (size_t i = 0; i < point.amounts.size(); ++i) amounts[r.state_names[i]] = point.amounts[i].value();
    j["amounts_mg"] = amounts;
    points.push_back(j);
  }
  out["points"] = points;
  out["auc_ng_min_per_ml"] = r.auc.value();
  out["peak_plasma_ng_per_ml"] = r.peak_plasma.value();
  out["peak_minute"] = r.peak_time.value();
  if (r.time_above_threshold) {
    out["threshold_ng_per_ml"] = *o.threshold;
    out["minutes_above_threshold"] = r.time_above_threshold->value();
  }
  out["mass_balance_mg"] = {{"administered", r.balance.administered.value()},
                            {"in_body", r.balance.in_body.value()},
                            {"eliminated", r.balance.eliminated.value()},
                            {"presystemic_loss", r.balance.presystemic_loss.value()},
                            {"awaiting_absorption", r.balance.awaiting_absorption.value()},
                            {"unaccounted", r.balance.Unaccounted().value()}};
  std::cout << out.dump(2) << "\n";
  return 0;
}

int RunTci(const PkOptions& o) {
  const std::string what = "pk tci";
  if (auto bad = FormatOk(o.format, {"csv", "json"}); !bad.empty()) return ReportFailure(what, InvalidInput("format", bad));
  auto prepared = Prepare(o, false);
  if (!prepared.ok()) return ReportFailure(what, prepared.error());
  const Prepared& p = prepared.value();
  TciRequest request;
  auto targets = ParseTargetProfileText(o.target, request.end, "target");
  if (!targets.ok()) return ReportFailure(what, targets.error());
  request.targets = targets.value();
  request.update_interval = Minutes(o.update_interval);
  if (o.max_rate_mg_per_h) request.maximum_rate = MilligramsPerMinute(*o.max_rate_mg_per_h / 60.0);
  if (o.syringe_mg_per_ml && !(*o.syringe_mg_per_ml > 0)) {
    return ReportFailure(what, InvalidInput("syringe-mg-per-ml", "must be positive"));
  }
  auto tci = PlanTargetControlledInfusion(p.system, request);
  if (!tci.ok()) return ReportFailure(what, tci.error());
  std::vector<Minutes> ends;
  for (const auto& step : tci.value().schedule) ends.push_back(step.end);
  auto predicted = SimulatePlasma(p.system, tci.value().plan, ends);
  if (!predicted.ok()) return ReportFailure(what, predicted.error());
  auto ml_per_h = [&](MilligramsPerMinute rate) {
    return PumpRate(rate, MilligramsPerMillilitre(*o.syringe_mg_per_ml)).value();
  };
  if (o.format == "csv") {
    std::cout << "minute,rate_mg_per_h" << (o.syringe_mg_per_ml ? ",rate_ml_per_h" : "")
              << ",predicted_plasma_ng_per_ml_at_end\n";
    for (size_t i = 0; i < ends.size(); ++i) {
      const auto& step = tci.value().schedule[i];
      std::cout << Number(step.start.value()) << "," << fmt::format("{:.4f}", step.rate.value() * 60);
      if (o.syringe_mg_per_ml) std::cout << "," << fmt::format("{:.3f}", ml_per_h(step.rate));
      std::cout << "," << fmt::format("{:.4f}", predicted.value()[i].value()) << "\n";
    }
    return 0;
  }
  Json schedule = Json::array();
  for (size_t i = 0; i < ends.size(); ++i) {
    const auto& step = tci.value().schedule[i];
    Json j{{"start_minute", step.start.value()}, {"end_minute", step.end.value()},
           {"rate_mg_per_h", step.rate.value() * 60}, {"predicted_plasma_ng_per_ml_at_end", predicted.value()[i].value()}};
    if (o.syringe_mg_per_ml) j["rate_ml_per_h"] = ml_per_h(step.rate);
    schedule.push_back(j);
  }
  std::cout << Json{{"model", p.model->id}, {"weight_kg", o.weight_kg}, {"total_mg", tci.value().total.value()},
                    {"schedule", schedule}}
                   .dump(2)
            << "\n";
  return 0;
}

int RunPopulation(const PkOptions& o) {
  const std::string what = "pk population";
  if (auto bad = FormatOk(o.format, {"csv", "json", "svg"}); !bad.empty()) return ReportFailure(what, InvalidInput("format", bad));
  auto prepared = Prepare(o, true);
  if (!prepared.ok()) return ReportFailure(what, prepared.error());
  const Prepared& p = prepared.value();
  PopulationRequest request;
  request.patient = p.patient;
  request.plan = p.plan;
  request.times = p.times;
  request.patients = o.patients;
  request.seed = o.seed;
  request.assumed_cv = o.assumed_cv;
  const bool tty = isatty(STDERR_FILENO);
  if (tty) {
    request.progress = [](size_t done, size_t total) {
      const int width = 40;
      const int filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
      std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, ' ') << "] " << done << "/" << total
                << " virtual patients" << std::flush;
      if (done == total) std::cerr << "\n";
    };
  }
  auto result = SimulatePopulation(*p.model, request);
  if (!result.ok()) {
    Error error = result.error();
    if (error.field == "assumed_cv") error.field = "assumed-cv";
    return ReportFailure(what, error);
  }
  const auto& bands = result.value().bands;
  if (!p.model->iiv.published) std::cerr << "ketachart: warning: " << result.value().variability_source << "\n";
  if (o.format == "csv") {
    std::cout << "minute,p5_ng_per_ml,p50_ng_per_ml,p95_ng_per_ml\n";
    for (const auto& b : bands) {
      std::cout << Number(b.time.value()) << "," << fmt::format("{:.4f},{:.4f},{:.4f}", b.p5.value(), b.p50.value(), b.p95.value())
                << "\n";
    }
    return 0;
  }
  if (o.format == "svg") {
    ChartSeries median{"median", {}};
    ChartBand band{"5th-95th percentile", {}};
    for (const auto& b : bands) {
      median.points.emplace_back(b.time.value(), b.p50.value());
      band.points.push_back({b.time.value(), b.p5.value(), b.p95.value()});
    }
    std::cout << ConcentrationChartSvg(p.model->name + ", " + std::to_string(o.patients) + " virtual patients", {median}, {band});
    return 0;
  }
  Json rows = Json::array();
  for (const auto& b : bands) {
    rows.push_back({{"minute", b.time.value()}, {"p5_ng_per_ml", b.p5.value()}, {"p50_ng_per_ml", b.p50.value()},
                    {"p95_ng_per_ml", b.p95.value()}});
  }
  std::cout << Json{{"model", p.model->id}, {"patients", o.patients}, {"seed", o.seed},
                    {"variability", result.value().variability_source}, {"bands", rows}}
                   .dump(2)
            << "\n";
  return 0;
}

int RunDose(const PkOptions& o) {
  DoseOrder order;
  order.dose_per_kg = MilligramsPerKilogram(o.dose_mg_per_kg);
  order.weight = {Kilograms(o.weight_kg), o.weight_date};
  order.rounding_step = Milligrams(o.round_mg);
  if (o.max_mg) order.protocol_maximum = Milligrams(*o.max_mg);
  order.vial_strength = MilligramsPerMillilitre(o.vial_mg_per_ml);
  if (o.diluent_ml) order.diluent = Millilitres(*o.diluent_ml);
  if (o.duration_min) order.infusion_duration = Minutes(*o.duration_min);
  auto r = CalculateDose(order);
  if (!r.ok()) return ReportFailure("pk dose", r.error());
  const DoseCalculation& d = r.value();
  Json out{{"dose_mg", d.dose.value()},
           {"unrounded_dose_mg", d.unrounded_dose.value()},
           {"weight_kg", d.weight.weight.value()},
           {"weight_recorded_on", d.weight.recorded_on},
           {"volume_to_draw_ml", d.volume_to_draw.value()},
           {"final_volume_ml", d.final_volume.value()},
           {"final_concentration_mg_per_ml", d.final_concentration.value()}};
  if (d.pump_rate) out["pump_rate_ml_per_h"] = d.pump_rate->value();
  if (d.drug_rate) out["drug_rate_mg_per_h"] = d.drug_rate->value() * 60;
  std::cout << out.dump(2) << "\n";
  return 0;
}

void AddPatientOptions(CLI::App* c, PkOptions& o) {
  c->add_option("--model", o.model, "model id (see `ketachart pk models`)")->required();
  c->add_option("--weight-kg", o.weight_kg, "patient weight, 20-300 kg")->required();
  c->add_option("--age-years", o.age_years, "age (used by models with an age covariate)");
  c->add_flag("--asian", o.asian, "Asian ancestry (Perez-Ruixo 2021 covariate)");
  c->add_flag("--japanese", o.japanese, "Japanese ancestry (Perez-Ruixo 2021 covariate)");
}

void AddPlanOptions(CLI::App* c, PkOptions& o) {
  c->add_option("--infuse", o.infuse, "\"<dose> mg|mg/kg over <n> min [at <n> min]\" (repeatable)");
  c->add_option("--bolus", o.bolus, "\"<dose> mg|mg/kg [at <n> min]\" (repeatable)");
  c->add_option("--pause", o.pause, "\"<n> min at <n> min\": every running infusion pauses (repeatable)");
  c->add_option("--intranasal", o.intranasal, "\"<mg> mg|<n> devices [at <n> min]\" (repeatable)");
  c->add_option("--times", o.times, "first:last:step or a comma list, in minutes (default 0:240:5)");
}

}  // namespace

void RegisterPkCommands(CLI::App& app, CommandTable& table, CommonOptions& /*common*/) {
  auto o = std::make_shared<PkOptions>();
  CLI::App* pk = app.add_subcommand("pk", "Pharmacokinetics: models, simulation, TCI, population, dose calculation");
  pk->require_subcommand(1);

  CLI::App* models = pk->add_subcommand("models", "List the shipped PK models with population and source");
  models->add_option("--format", o->format, "text or json");
  table.On(models, [o] {
    if (o->format == "csv") o->format = "text";
    return RunModels(*o);
  });

  CLI::App* simulate = pk->add_subcommand("simulate", "Predict plasma (and effect-site) concentration for a plan");
  AddPatientOptions(simulate, *o);
  AddPlanOptions(simulate, *o);
  simulate->add_option("--format", o->format, "csv, json or svg (default csv)");
  simulate->add_flag("--effect-site", o->effect_site, "add the effect-site column (models with a ke0; unconfirmed ke0 are flagged)");
  simulate->add_option("--threshold-ng-per-ml", o->threshold, "report minutes above this plasma concentration (json)");
  table.On(simulate, [o] { return RunSimulate(*o); });

  CLI::App* tci = pk->add_subcommand("tci", "Pump rate schedule for a target plasma concentration profile");
  AddPatientOptions(tci, *o);
  tci->add_option("--target", o->target, "\"<ng/mL> ng/mL for <n> min[, ...]\"")->required();
  tci->add_option("--update-interval-min", o->update_interval, "pump update interval in minutes (default 1)");
  tci->add_option("--max-rate-mg-per-h", o->max_rate_mg_per_h, "pump maximum");
  tci->add_option("--syringe-mg-per-ml", o->syringe_mg_per_ml, "final concentration, to give rates in mL/h");
  tci->add_option("--format", o->format, "csv or json (default csv)");
  table.On(tci, [o] { return RunTci(*o); });

  CLI::App* population = pk->add_subcommand("population", "5/50/95 percentile bands over N virtual patients");
  AddPatientOptions(population, *o);
  AddPlanOptions(population, *o);
  population->add_option("--patients", o->patients, "number of virtual patients (default 1000)");
  population->add_option("--seed", o->seed, "random seed (default 1); the same seed gives the same bands");
  population->add_option("--assumed-cv", o->assumed_cv,
                         "for models without published variability: an ASSUMED CV (e.g. 0.3) on every parameter");
  population->add_option("--format", o->format, "csv, json or svg (default csv)");
  table.On(population, [o] { return RunPopulation(*o); });

  CLI::App* dose = pk->add_subcommand("dose", "Dose, volume to draw, final concentration and pump rate");
  dose->add_option("--dose-mg-per-kg", o->dose_mg_per_kg, "prescribed dose")->required();
  dose->add_option("--weight-kg", o->weight_kg, "recorded weight")->required();
  dose->add_option("--weight-date", o->weight_date, "date the weight was recorded (YYYY-MM-DD)")->required();
  dose->add_option("--vial-mg-per-ml", o->vial_mg_per_ml, "vial strength: 10, 50 or 100")->required();
  dose->add_option("--diluent-ml", o->diluent_ml, "diluent added (required for 100 mg/mL)");
  dose->add_option("--duration-min", o->duration_min, "infusion duration, for the pump rate");
  dose->add_option("--round-mg", o->round_mg, "round the dose to the nearest step (mg)");
  dose->add_option("--max-mg", o->max_mg, "protocol maximum dose (mg): refused above");
  table.On(dose, [o] { return RunDose(*o); });
}

}  // namespace ketachart
