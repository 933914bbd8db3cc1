// `ketachart ledger verify`: recomputes every clinic's controlled-substance
// ledger chain and balances; exits 1 naming the first bad entry.
#include "cli/ledger_commands.h"

#include <iostream>

#include "services/ledger_chain.h"

namespace ketachart {
namespace {

int RunLedgerVerify(const CommonOptions& common) {
  auto settings = LoadSettings(common);
  if (!settings.ok()) return ReportFailure("ledger verify", settings.error());
  auto database = OpenDatabase(settings.value(), /*migrate=*/false, /*create_data_dir=*/false);
  if (!database.ok()) return ReportFailure("ledger verify", database.error());
  auto result = VerifyLedgerChains(*database.value());
  if (!result.ok()) return ReportFailure("ledger verify", result.error());
  const LedgerVerification& v = result.value();
  if (!v.intact) {
    std::cerr << "ketachart: ledger verify: clinic " << v.clinic_id.value_or(0);
    if (v.first_bad_sequence) std::cerr << " entry " << *v.first_bad_sequence;
    std::cerr << ": " << v.problem << " (" << v.entries_checked << " entries before it are intact)\n";
    return 1;
  }
  std::cout << "Controlled-substance ledger intact: " << v.entries_checked << " entries and all balances verified\n";
  return 0;
}

}  // namespace

void RegisterLedgerCommands(CLI::App& app, CommandTable& table, CommonOptions& common) {
  CLI::App* ledger = app.add_subcommand("ledger", "Controlled-substance ledger tools");
  ledger->require_subcommand(1);
  CLI::App* verify = ledger->add_subcommand("verify", "Check the ledger's hash chains and running balances");
  AddCommonOptions(verify, common);
  table.On(verify, [&common] { return RunLedgerVerify(common); });
}

}  // namespace ketachart
