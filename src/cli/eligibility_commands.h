// `ketachart protocol list|show ID` and `ketachart eligibility check`: the
// shipped treatment protocols and an eligibility check of an intake file
// against one of them. No database; read-only.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command_table.h"

namespace ketachart {

void RegisterEligibilityCommands(CLI::App& app, CommandTable& table, CommonOptions& common);

}  // namespace ketachart
