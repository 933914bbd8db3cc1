// eligibility_bench: eligibility evaluations per second on one core, against a
// named peer measured in the same run.
//
//   eligibility_bench [--patients N] [--seconds S]
//
// Builds N (default 20,000) varied synthetic intakes from a fixed seed (ages
// 18-85, 0-3 coded conditions, 0-5 medications with classes drawn from the
// C4 interaction list, a benzodiazepine with an entered diazepam-equivalent
// in about a fifth, baseline BP 100-195/60-115, some allergies and substance
// use), reads each once with ReadIntake, then evaluates every patient against
// each shipped protocol, round after round for S seconds (default 2) per
// protocol, and reports the best of 3 rounds.
//
// Peer: "naive JSON walk", the evaluator one would write without compiling the
// protocol: for every patient it walks the protocol's nlohmann::json rules and
// the intake's nlohmann::json document, comparing strings, and builds the same
// findings (rule id, severity, message). Before timing, both evaluators must
// agree on every patient's outcome and fired rule ids, or the bench exits 1.
// Single-threaded; prints one line per protocol and the ratio.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "clinical/eligibility/eligibility.h"
#include "clinical/intake/intake_vocabulary.h"
#include "clinical/protocols/protocol_catalog.h"

using namespace ketachart;

namespace {

Json SyntheticIntake(std::mt19937_64& rng) {
  auto uniform = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&rng](double p) { return std::bernoulli_distribution(p)(rng); };
  Json intake = Json::object();
  intake["age_years"] = uniform(18, 85);
  if (chance(0.97)) intake["weight_kg"] = uniform(450, 1400) / 10.0;
  Json conditions = Json::array();
  const int condition_count = chance(0.6) ? 0 : uniform(1, 3);
  std::vector<unsigned> picked;
  while (static_cast<int>(picked.size()) < condition_count) {
    const unsigned index = uniform(0, kIntakeConditions.size() - 1);
    if (std::find(picked.begin(), picked.end(), index) == picked.end()) picked.push_back(index);
  }
  for (unsigned index : picked) conditions.push_back(kIntakeConditions[index]);
  intake["conditions"] = conditions;
  Json medications = Json::array();
  const int medication_count = uniform(0, 5);
  for (int i = 0; i < medication_count; ++i) {
    if (chance(0.2)) {
      medications.push_back({{"name", fmt::format("Benzodiazepine {}", i)},
                             {"classes", {"benzodiazepine"}},
                             {"diazepam_equivalent_mg_per_day", uniform(1, 40) / 2.0}});
    } else if (chance(0.3)) {
      medications.push_back(
          {{"name", fmt::format("Interacting drug {}", i)},
           {"classes", {kMedicationClasses[uniform(1, kMedicationClasses.size() - 1)]}}});
    } else {
      medications.push_back({{"name", fmt::format("Other drug {}", i)},
                             {"daily_dose_mg", uniform(1, 300)},
                             {"classes", Json::array()}});
    }
  }
  intake["medications"] = medications;
  if (chance(0.05)) {
    intake["allergies"] = {
        {{"substance", "agent"},
         {"category",
          kHypersensitivityCategories[uniform(0, kHypersensitivityCategories.size() - 1)]}}};
  }
  if (chance(0.25)) {
    intake["substance_use"] = {
        {{"substance", kSubstances[uniform(0, kSubstances.size() - 1)]},
         {"pattern", kSubstanceUsePatterns[uniform(0, kSubstanceUsePatterns.size() - 1)]}}};
  }
  if (chance(0.98)) {
    const int systolic = uniform(100, 195);
    intake["vitals"] = {{"systolic_mmhg", systolic},
                        {"diastolic_mmhg", std::min(systolic - 20, uniform(60, 115))},
                        {"heart_rate_bpm", uniform(50, 115)},
                        {"spo2_percent", uniform(93, 100)}};
  }
  return intake;
}

// ---- the peer: walk the JSON documents for every patient --------------------

struct NaiveFinding {
  std::string rule_id;
  std::string severity;
  std::string message;
};
struct NaiveDecision {
  std::string outcome;
  std::vector<NaiveFinding> findings;
};

bool ListHas(const Json& list, const std::string& word) {
  for (const auto& entry : list) {
    if (entry.get_ref<const std::string&>() == word) return true;
  }
  return false;
}

bool NaiveFires(const Json& rule, const Json& intake) {
  if (rule.contains("condition_any")) {
    if (!intake.contains("conditions")) return false;
    for (const auto& word : rule["condition_any"]) {
      if (ListHas(intake["conditions"], word.get<std::string>())) return true;
    }
    return false;
  }
  if (rule.contains("hypersensitivity_any")) {
    if (!intake.contains("allergies")) return false;
    for (const auto& allergy : intake["allergies"]) {
      if (ListHas(rule["hypersensitivity_any"], allergy["category"].get<std::string>()))
        return true;
    }
    return false;
  }
  if (rule.contains("medication_class_any")) {
    if (!intake.contains("medications")) return false;
    for (const auto& medication : intake["medications"]) {
      for (const auto& cls : medication["classes"]) {
        if (ListHas(rule["medication_class_any"], cls.get<std::string>())) return true;
      }
    }
    return false;
  }
  if (rule.contains("diazepam_equivalent_above")) {
    double total = 0;
    bool missing = false;
    if (intake.contains("medications")) {
      for (const auto& medication : intake["medications"]) {
        if (!ListHas(medication["classes"], "benzodiazepine")) continue;
        if (medication.contains("diazepam_equivalent_mg_per_day")) {
          total += medication["diazepam_equivalent_mg_per_day"].get<double>();
        } else {
          missing = true;
        }
      }
    }
    return total > rule["diazepam_equivalent_above"]["value"].get<double>() || missing;
  }
  if (rule.contains("baseline_blood_pressure_above")) {
    if (!intake.contains("vitals") || !intake["vitals"].contains("systolic_mmhg")) return false;
    const auto& limits = rule["baseline_blood_pressure_above"];
    return intake["vitals"]["systolic_mmhg"].get<double>() >
               limits["systolic"]["value"].get<double>() ||
           intake["vitals"]["diastolic_mmhg"].get<double>() >
               limits["diastolic"]["value"].get<double>();
  }
  if (rule.contains("substance_use_any")) {
    if (!intake.contains("substance_use")) return false;
    const auto& trigger = rule["substance_use_any"];
    for (const auto& use : intake["substance_use"]) {
      if (ListHas(trigger["substances"], use["substance"].get<std::string>()) &&
          ListHas(trigger["patterns"], use["pattern"].get<std::string>())) {
        return true;
      }
    }
    return false;
  }
  if (rule.contains("age_at_least")) {
    return intake.contains("age_years") &&
           intake["age_years"].get<double>() >= rule["age_at_least"]["value"].get<double>();
  }
  if (rule.contains("missing_intake")) {
    for (const auto& field : rule["missing_intake"]) {
      const std::string& name = field.get_ref<const std::string&>();
      const bool has_vitals = intake.contains("vitals");
      if (name == "weight" && !intake.contains("weight_kg")) return true;
      if (name == "age" && !intake.contains("age_years")) return true;
      if (name == "baseline_blood_pressure" &&
          (!has_vitals || !intake["vitals"].contains("systolic_mmhg")))
        return true;
      if (name == "baseline_heart_rate" &&
          (!has_vitals || !intake["vitals"].contains("heart_rate_bpm")))
        return true;
      if (name == "baseline_spo2" && (!has_vitals || !intake["vitals"].contains("spo2_percent")))
        return true;
    }
    return false;
  }
  return false;
}

void NaiveEvaluate(const Json& protocol, const Json& intake, NaiveDecision& decision) {
  decision.findings.clear();
  bool hard_stop = false, warning = false;
  for (const auto& rule : protocol["eligibility"]) {
    if (!NaiveFires(rule, intake)) continue;
    const std::string severity = rule["severity"].get<std::string>();
    hard_stop |= severity == "hard_stop";
    warning |= severity == "warning";
    decision.findings.push_back(
        {rule["id"].get<std::string>(), severity,
         fmt::format("{} (protocol {} v{}, rule {})", rule["message"].get<std::string>(),
                     protocol["title"].get<std::string>(), protocol["version"].get<int>(),
                     rule["id"].get<std::string>())});
  }
  decision.outcome = hard_stop ? "not_eligible" : warning ? "eligible_with_warnings" : "eligible";
}

template <typename Fn>
double BestRate(size_t patients, double seconds, Fn&& run_all) {
  double best = 0;
  for (int round = 0; round < 3; ++round) {
    size_t evaluated = 0;
    const auto start = std::chrono::steady_clock::now();
    double elapsed = 0;
    do {
      run_all();
      evaluated += patients;
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (elapsed < seconds);
    best = std::max(best, evaluated / elapsed);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  size_t patients = 20000;
  double seconds = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--patients")) patients = std::strtoul(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--seconds")) seconds = std::strtod(argv[i + 1], nullptr);
  }
  if (patients == 0 || !(seconds > 0)) {
    std::cerr << "usage: eligibility_bench [--patients N>0] [--seconds S>0]\n";
    return 2;
  }
  auto catalog = ProtocolCatalog::LoadEmbedded();
  if (!catalog.ok()) {
    std::cerr << "eligibility_bench: " << catalog.error().field << " " << catalog.error().message
              << "\n";
    return 1;
  }
  std::mt19937_64 rng(20261122);
  std::vector<Json> documents;
  std::vector<Intake> intakes;
  for (size_t i = 0; i < patients; ++i) {
    Json document = SyntheticIntake(rng);
    auto intake = ReadIntake(document);
    if (!intake.ok()) {
      std::cerr << "eligibility_bench: synthetic intake rejected: " << intake.error().field << " "
                << intake.error().message << "\n";
      return 1;
    }
    documents.push_back(std::move(document));
    intakes.push_back(std::move(intake).value());
  }
  fmt::print("eligibility_bench: {} synthetic patients, best of 3 rounds of >= {} s, one thread\n",
             patients, seconds);
  fmt::print("{:<30} {:>16} {:>22} {:>8} {:>10}\n", "protocol", "engine pat/s",
             "naive JSON walk pat/s", "ratio", "findings");
  for (const auto& protocol : catalog->protocols()) {
    // Agreement check: same outcome and the same fired rules for every patient.
    EligibilityDecision decision;
    NaiveDecision naive;
    size_t findings = 0;
    for (size_t i = 0; i < patients; ++i) {
      EvaluateEligibilityInto(protocol, intakes[i], decision);
      NaiveEvaluate(protocol->document, documents[i], naive);
      bool same = EligibilityOutcomeName(decision.outcome) == naive.outcome &&
                  decision.findings.size() == naive.findings.size();
      for (size_t f = 0; same && f < decision.findings.size(); ++f) {
        same = decision.findings[f].rule->id == naive.findings[f].rule_id;
      }
      if (!same) {
        std::cerr << "eligibility_bench: evaluators disagree on patient " << i << " under "
                  << protocol->id << ": " << documents[i].dump() << "\n";
        return 1;
      }
      findings += decision.findings.size();
    }
    size_t sink = 0;
    const double engine = BestRate(patients, seconds, [&] {
      for (const auto& intake : intakes) {
        EvaluateEligibilityInto(protocol, intake, decision);
        sink += decision.findings.size();
      }
    });
    const double peer = BestRate(patients, seconds, [&] {
      for (const auto& document : documents) {
        NaiveEvaluate(protocol->document, document, naive);
        sink += naive.findings.size();
      }
    });
    fmt::print("{:<30} {:>16.0f} {:>22.0f} {:>7.1f}x {:>10.2f}{}\n", protocol->id, engine, peer,
               engine / peer, static_cast<double>(findings) / patients,
               sink == 0 ? " (no findings)" : "");
  }
  return 0;
}
