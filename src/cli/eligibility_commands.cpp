// The protocol and eligibility subcommands (see eligibility_commands.h).
// Errors are one line "ketachart: <command>: <why>" with exit 1; a completed
// check exits 0 whatever the outcome (the outcome is in the output).
#include "cli/eligibility_commands.h"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "clinical/eligibility/eligibility.h"
#include "clinical/protocols/protocol_catalog.h"

namespace ketachart {
namespace {

constexpr std::streamsize kMaxIntakeBytes = 1 << 20;

struct EligibilityOptions {
  std::string protocol_id;
  std::string intake_file;
  std::string format = "json";
};

std::string KnownIds(const ProtocolCatalog& catalog) {
  std::string ids;
  for (const auto& protocol : catalog.protocols()) ids += (ids.empty() ? "" : ", ") + protocol->id;
  return ids;
}

Result<std::shared_ptr<const Protocol>> FindProtocol(const ProtocolCatalog& catalog,
                                                     const std::string& id) {
  auto protocol = catalog.Find(id);
  if (!protocol) {
    return NotFound(fmt::format("unknown protocol \"{}\" (known: {})", id, KnownIds(catalog)));
  }
  return protocol;
}

Result<Json> ReadJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidInput("", fmt::format("cannot read intake file {}", path));
  std::string text(kMaxIntakeBytes + 1, '\0');
  in.read(text.data(), kMaxIntakeBytes + 1);
  if (in.gcount() > kMaxIntakeBytes)
    return InvalidInput("", fmt::format("intake file {} is larger than 1 MiB", path));
  text.resize(static_cast<size_t>(in.gcount()));
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& error) {
    return InvalidInput(
        "", fmt::format("intake file {} is not valid JSON (at byte {})", path, error.byte));
  }
}

int RunProtocolList(const std::string& format) {
  auto catalog = ProtocolCatalog::LoadEmbedded();
  if (!catalog.ok()) return ReportFailure("protocol list", catalog.error());
  if (format == "json") {
    Json out = Json::array();
    for (const auto& p : catalog->protocols()) {
      out.push_back({{"id", p->id},
                     {"version", p->version},
                     {"title", p->title},
                     {"drug", p->drug},
                     {"route", p->route},
                     {"eligibility_rules", p->eligibility_rules.size()},
                     {"unconfirmed_values", p->UnconfirmedQuantities().size()},
                     {"digest", p->digest}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const auto& p : catalog->protocols()) {
    std::cout << fmt::format("{:<30} v{:<3} {:<16} {} ({} rules, {} unconfirmed values)\n", p->id,
                             p->version, p->route, p->title, p->eligibility_rules.size(),
                             p->UnconfirmedQuantities().size());
  }
  return 0;
}

int RunProtocolShow(const std::string& id) {
  auto catalog = ProtocolCatalog::LoadEmbedded();
  if (!catalog.ok()) return ReportFailure("protocol show", catalog.error());
  auto protocol = FindProtocol(*catalog, id);
  if (!protocol.ok()) return ReportFailure("protocol show", protocol.error());
  std::cout << (*protocol)->document.dump(2) << "\n";
  return 0;
}

void PrintDecisionText(const EligibilityDecision& decision) {
  std::cout << fmt::format("{} v{}: {}\n", decision.protocol->title, decision.protocol->version,
                           EligibilityOutcomeName(decision.outcome));
  for (const auto& finding : decision.findings) {
    std::cout << fmt::format(
        "  [{}{}] {}\n      source: {}\n", FindingSeverityName(finding.severity),
        finding.rule->unconfirmed ? ", unconfirmed" : "", finding.message, finding.rule->citation);
  }
}

int RunEligibilityCheck(const EligibilityOptions& options) {
  const std::string what = "eligibility check";
  auto catalog = ProtocolCatalog::LoadEmbedded();
  if (!catalog.ok()) return ReportFailure(what, catalog.error());
  auto protocol = FindProtocol(*catalog, options.protocol_id);
  if (!protocol.ok()) return ReportFailure(what, protocol.error());
  auto document = ReadJsonFile(options.intake_file);
  if (!document.ok()) return ReportFailure(what, document.error());
  auto intake = ReadIntake(*document);
  if (!intake.ok()) return ReportFailure(what + ": " + options.intake_file, intake.error());
  const EligibilityDecision decision = EvaluateEligibility(*protocol, *intake);
  if (options.format == "json") {
    std::cout << EligibilityDecisionToJson(decision).dump() << "\n";
  } else {
    PrintDecisionText(decision);
  }
  return 0;
}

}  // namespace

void RegisterEligibilityCommands(CLI::App& app, CommandTable& table, CommonOptions& common) {
  auto list_format = std::make_shared<std::string>("text");
  auto show_id = std::make_shared<std::string>();
  auto check = std::make_shared<EligibilityOptions>();

  CLI::App* protocol = app.add_subcommand("protocol", "The shipped treatment protocols");
  protocol->require_subcommand(1);
  CLI::App* list = protocol->add_subcommand("list", "List the protocols with their versions");
  list->add_option("--format", *list_format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  CLI::App* show = protocol->add_subcommand("show", "Print one protocol document (JSON)");
  show->add_option("ID", *show_id, "protocol id, e.g. iv-racemic-ketamine")->required();

  CLI::App* eligibility =
      app.add_subcommand("eligibility", "Eligibility of an intake for a protocol");
  eligibility->require_subcommand(1);
  CLI::App* check_command =
      eligibility->add_subcommand("check", "Evaluate an intake file against a protocol");
  check_command->add_option("--protocol", check->protocol_id, "protocol id")->required();
  check_command->add_option("--intake", check->intake_file, "intake JSON file")->required();
  check_command->add_option("--format", check->format, "json (default) or text")
      ->check(CLI::IsMember({"json", "text"}));

  table.On(list, [list_format] { return RunProtocolList(*list_format); });
  table.On(show, [show_id] { return RunProtocolShow(*show_id); });
  table.On(check_command, [check] { return RunEligibilityCheck(*check); });
}

}  // namespace ketachart
