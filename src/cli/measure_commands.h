// `ketachart measure ...`: the rating-scale instruments for scripts and
// checks, without a database: list them, score a set of answers, and print
// their FHIR R4 Questionnaire, QuestionnaireResponse or Observation.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command_table.h"

namespace ketachart {

void RegisterMeasureCommands(CLI::App& app, CommandTable& table, CommonOptions& common);

}  // namespace ketachart
