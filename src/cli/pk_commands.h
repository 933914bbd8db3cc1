// `ketachart pk ...`: the pharmacology engine on the command line (models,
// simulate, tci, population, dose). No database: everything is computed from
// the shipped models and the options.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command_table.h"

namespace ketachart {

void RegisterPkCommands(CLI::App& app, CommandTable& table, CommonOptions& common);

}  // namespace ketachart
