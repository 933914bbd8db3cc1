// `ketachart ledger ...`: tools for the controlled-substance ledger
// (verify its hash chains and balances).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_support.h"
#include "cli/command_table.h"

namespace ketachart {

void RegisterLedgerCommands(CLI::App& app, CommandTable& table, CommonOptions& common);

}  // namespace ketachart
