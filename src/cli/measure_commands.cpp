// The `ketachart measure` command group; see measure_commands.h.
//   measure list [--format json|text]
//   measure score INSTRUMENT ANSWERS [--baseline TOTAL] [--setting NAME=VALUE]... [--format json|text]
//   measure fhir questionnaire INSTRUMENT
//   measure fhir response|observation INSTRUMENT ANSWERS [--subject REF] [--date DATETIME]
// ANSWERS are item values in item order, comma-separated; an empty value is
// an unanswered (or skipped) item. Errors are one line and exit 1.
#include "cli/measure_commands.h"

#include <iostream>
#include <map>
#include <memory>

#include "clinical/instruments/fhir_resources.h"
#include "clinical/instruments/instrument_catalog.h"
#include "clinical/instruments/instrument_compiler.h"
#include "clinical/instruments/score_report.h"

namespace ketachart {
namespace {

struct MeasureOptions {
  std::string format = "json";
  std::string instrument;
  std::string answers;
  std::optional<int> baseline;
  std::vector<std::string> settings;
  std::string subject;
  std::string date;
};

Result<const CompiledInstrument*> FindInstrument(const std::string& name) {
  const auto& catalog = InstrumentCatalog::Builtin();
  if (const CompiledInstrument* found = catalog.Find(name)) return found;
  std::string known;
  for (const auto& instrument : catalog.instruments()) known += (known.empty() ? "" : ", ") + instrument.key;
  return InvalidInput("instrument", "'" + name + "' is not a known instrument (known: " + known + ")");
}

// --setting NAME=VALUE pairs applied to a copy of the instrument.
Result<CompiledInstrument> Configured(const CompiledInstrument& instrument, const std::vector<std::string>& pairs) {
  std::map<std::string, int> settings;
  for (const std::string& pair : pairs) {
    const size_t eq = pair.find('=');
    if (eq == std::string::npos) return InvalidInput("--setting", "'" + pair + "' is not NAME=VALUE");
    try {
      size_t used = 0;
      const int value = std::stoi(pair.substr(eq + 1), &used);
      if (used != pair.size() - eq - 1) throw std::invalid_argument(pair);
      settings[pair.substr(0, eq)] = value;
    } catch (const std::exception&) {
      return InvalidInput("--setting", "'" + pair + "' needs a whole-number value");
    }
  }
  return ApplyInstrumentSettings(instrument, settings);
}

void PrintJson(const Json& json) { std::cout << json.dump(2) << "\n"; }

int RunList(const MeasureOptions& options) {
  Json list = Json::array();
  for (const auto& instrument : InstrumentCatalog::Builtin().instruments()) {
    list.push_back(InstrumentSummaryJson(instrument));
  }
  if (options.format == "json") {
    PrintJson(list);
    return 0;
  }
  for (const Json& entry : list) {
    std::cout << entry["instrument"].get<std::string>() << "\t" << entry["title"].get<std::string>() << "\n";
  }
  return 0;
}

int RunScore(const MeasureOptions& options) {
  const std::string what = "measure score";
  auto found = FindInstrument(options.instrument);
  if (!found.ok()) return ReportFailure(what, found.error());
  auto instrument = Configured(**found, options.settings);
  if (!instrument.ok()) return ReportFailure(what, instrument.error());
  auto answers = ParseAnswerList(options.answers);
  if (!answers.ok()) return ReportFailure(what, answers.error());
  auto report = ScoreAnswers(*instrument, *answers, options.baseline);
  if (!report.ok()) return ReportFailure(what, report.error());
  if (options.format == "json") {
    PrintJson(*report);
    return 0;
  }
  const Json& r = *report;
  std::cout << r["instrument"].get<std::string>();
  if (!r["total"].is_null()) std::cout << " total " << r["total"].get<int>();
  if (!r["band"].is_null()) std::cout << " (" << r["band_display"].get<std::string>() << ")";
  std::cout << "\n";
  for (const auto& [code, value] : r["subscales"].items()) std::cout << "  subscale " << code << ": " << value << "\n";
  for (const auto& [code, value] : r["cutoffs"].items()) {
    std::cout << "  cut-off " << code << " (≥" << value["at_least"] << "): " << (value["met"] ? "met" : "not met")
              << "\n";
  }
  for (const auto& [code, value] : r["symptom_rules"].items()) {
    std::cout << "  rule " << code << ": " << (value.get<bool>() ? "met" : "not met") << "\n";
  }
  for (const Json& alert : r["alerts"]) {
    std::cout << "  ALERT " << alert["severity"].get<std::string>() << ": " << alert["display"].get<std::string>()
              << "\n";
  }
  if (r.contains("change")) std::cout << "  change: " << r["change"].dump() << "\n";
  return 0;
}

int RunFhir(const MeasureOptions& options, const std::string& resource) {
  const std::string what = "measure fhir " + resource;
  auto found = FindInstrument(options.instrument);
  if (!found.ok()) return ReportFailure(what, found.error());
  if (resource == "questionnaire") {
    PrintJson(QuestionnaireResource(**found));
    return 0;
  }
  auto answers = ParseAnswerList(options.answers);
  if (!answers.ok()) return ReportFailure(what, answers.error());
  const FhirResponseContext context{options.subject, options.date};
  auto built = resource == "response" ? QuestionnaireResponseResource(**found, *answers, context)
                                      : ObservationResource(**found, *answers, context);
  if (!built.ok()) return ReportFailure(what, built.error());
  PrintJson(*built);
  return 0;
}

}  // namespace

void RegisterMeasureCommands(CLI::App& app, CommandTable& table, CommonOptions& common) {
  auto options = std::make_shared<MeasureOptions>();
  CLI::App* measure = app.add_subcommand("measure", "Rating-scale instruments: list, score, FHIR views");
  measure->require_subcommand(1);
  const std::vector<std::string> formats = {"json", "text"};

  CLI::App* list = measure->add_subcommand("list", "List the instruments");
  list->add_option("--format", options->format, "json (default) or text")->check(CLI::IsMember(formats));
  table.On(list, [options] { return RunList(*options); });

  CLI::App* score = measure->add_subcommand("score", "Score item values: total, band, subscales, alerts, change");
  score->add_option("INSTRUMENT", options->instrument, "instrument key or id, e.g. phq9 (see measure list)")
      ->required();
  score->add_option("ANSWERS", options->answers,
                    "item values in item order, comma-separated; empty = unanswered or skipped")
      ->required();
  score->add_option("--baseline", options->baseline, "baseline total: adds response, remission, reliable change");
  score->add_option("--setting", options->settings,
                    "clinic setting NAME=VALUE, e.g. cutoff.provisional_ptsd=31 or remission_at_most=10");
  score->add_option("--format", options->format, "json (default) or text")->check(CLI::IsMember(formats));
  table.On(score, [options] { return RunScore(*options); });

  CLI::App* fhir = measure->add_subcommand("fhir", "Print FHIR R4 resources");
  fhir->require_subcommand(1);
  CLI::App* questionnaire = fhir->add_subcommand("questionnaire", "The instrument as a Questionnaire");
  questionnaire->add_option("INSTRUMENT", options->instrument, "instrument key or id")->required();
  table.On(questionnaire, [options] { return RunFhir(*options, "questionnaire"); });
  for (const char* name : {"response", "observation"}) {
    const std::string kind = name;
    CLI::App* command = fhir->add_subcommand(
        kind, kind == "response" ? "The answers as a QuestionnaireResponse" : "The total as an Observation");
    command->add_option("INSTRUMENT", options->instrument, "instrument key or id")->required();
    command->add_option("ANSWERS", options->answers, "item values in item order, comma-separated")->required();
    command->add_option("--subject", options->subject, "subject reference, e.g. Patient/123");
    command->add_option("--date", options->date, "FHIR dateTime of completion");
    table.On(command, [options, kind] { return RunFhir(*options, kind); });
  }
}

}  // namespace ketachart
