// `ketachart monitor-sim`: simulated bedside monitors sending realistic
// vitals (HL7 v2 / IHE PCD-01 over MLLP) to `ketachart serve --mllp-port`,
// for the demo and the tests (src/sim/, docs/hl7v2.md).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command_table.h"

namespace ketachart {

void RegisterMonitorSimCommand(CLI::App& app, CommandTable& table);

}  // namespace ketachart
