// The table that ties each parsed `ketachart` subcommand to the function that
// runs it. Each command group (admin, pk, measure, ledger, …) registers its
// subcommands with CLI11 and its actions here, so main.cpp only lists groups.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <utility>
#include <vector>

#include "cli/cli_support.h"

namespace ketachart {

class CommandTable {
 public:
  // Runs `action` when `command` (a leaf subcommand) was the one parsed.
  void On(CLI::App* command, std::function<int()> action) { actions_.emplace_back(command, std::move(action)); }

  // The exit code of the parsed command's action; -1 when none was parsed.
  int RunParsed() const {
    for (const auto& [command, action] : actions_) {
      if (command->parsed()) return action();
    }
    return -1;
  }

 private:
  std::vector<std::pair<CLI::App*, std::function<int()>>> actions_;
};

// Adds --config, --data-dir and --database to `command`, stored in `common`.
void AddCommonOptions(CLI::App* command, CommonOptions& common);

}  // namespace ketachart
