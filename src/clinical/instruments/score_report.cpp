// Rendering of scored responses; see score_report.h.
#include "clinical/instruments/score_report.h"

#include <charconv>
#include <cmath>

namespace ketachart {
namespace {

const char* KindName(InstrumentKind kind) {
  switch (kind) {
    case InstrumentKind::kSelfReport:
      return "self_report";
    case InstrumentKind::kClinicianRating:
      return "clinician_rating";
    case InstrumentKind::kClinicianTotal:
      return "clinician_total";
  }
  return "";
}

double Round(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

}  // namespace

Result<std::vector<int16_t>> ParseAnswerList(std::string_view text) {
  std::vector<int16_t> answers;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    std::string_view part = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    const std::string field = "answers[" + std::to_string(answers.size()) + "]";
    if (answers.size() >= kMaxInstrumentItems) return InvalidInput("answers", "too many answers");
    if (part.empty()) {
      answers.push_back(kNotAnswered);
    } else {
      int value = 0;
      const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
      if (ec != std::errc() || end != part.data() + part.size()) {
        return InvalidInput(field, "'" + std::string(part) + "' is not a whole number");
      }
      if (value < -1000 || value > 1000) return InvalidInput(field, "is outside every instrument's range");
      answers.push_back(static_cast<int16_t>(value));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return answers;
}

Json ChangeJson(const ChangeAssessment& change) {
  Json out = {{"baseline", change.baseline}, {"current", change.current},
              {"improvement_points", change.improvement_points}};
  out["percent_reduction"] = change.percent_reduction ? Json(Round(*change.percent_reduction, 1)) : Json(nullptr);
  auto put = [&out](const char* name, const std::optional<bool>& value) {
    if (value) out[name] = *value;
  };
  put("response", change.response);
  put("remission", change.remission);
  put("clinically_significant", change.clinically_significant);
  put("reliable_improvement", change.reliable_improvement);
  put("response_points_met", change.response_points_met);
  put("clinically_meaningful", change.clinically_meaningful);
  if (change.reliable_change_index) {
    out["reliable_change_index"] = Round(*change.reliable_change_index, 2);
    out["reliable_change_threshold_points"] = Round(*change.reliable_change_threshold_points, 1);
    out["reliable_change"] = change.reliable_change;
  }
  return out;
}

Json ScoreReportJson(const CompiledInstrument& c, const ScoreOutcome& outcome,
                     const std::optional<ChangeAssessment>& change) {
  Json report = {{"instrument", c.key}, {"questionnaire", c.url}, {"title", c.title}, {"version", c.version}};
  report["total"] = outcome.has_total ? Json(outcome.total) : Json(nullptr);
  if (c.has_total) report["total_range"] = {c.total_min, c.total_max};
  if (outcome.band >= 0) {
    const Band& band = c.bands[outcome.band];
    report["band"] = band.code;
    report["band_display"] = band.display;
    if (band.unconfirmed) report["band_unconfirmed"] = true;
  } else {
    report["band"] = nullptr;
  }
  Json subscales = Json::object();
  for (int s = 0; s < c.subscale_count; ++s) {
    if ((outcome.subscales_present >> s) & 1u) subscales[c.subscales[s].code] = outcome.subscales[s];
  }
  report["subscales"] = std::move(subscales);
  Json cutoffs = Json::object();
  for (int k = 0; k < c.cutoff_count; ++k) {
    cutoffs[c.cutoffs[k].code] = {{"at_least", c.cutoffs[k].at_least}, {"met", ((outcome.cutoffs_met >> k) & 1u) != 0}};
  }
  report["cutoffs"] = std::move(cutoffs);
  Json rules = Json::object();
  for (int r = 0; r < c.symptom_rule_count; ++r) {
    rules[c.symptom_rules[r].code] = ((outcome.symptom_rules_met >> r) & 1u) != 0;
  }
  report["symptom_rules"] = std::move(rules);
  Json alerts = Json::array();
  for (int a = 0; a < c.alert_count; ++a) {
    if ((outcome.alerts_raised >> a) & 1u) {
      alerts.push_back({{"code", c.alerts[a].code}, {"severity", c.alerts[a].severity}, {"display", c.alerts[a].display}});
    }
  }
  report["alerts"] = std::move(alerts);
  if (c.range_unconfirmed) report["range_unconfirmed"] = true;
  if (change) report["change"] = ChangeJson(*change);
  return report;
}

Result<Json> ScoreAnswers(const CompiledInstrument& c, const std::vector<int16_t>& answers,
                          std::optional<int> baseline_total) {
  ScoreOutcome outcome;
  ScoreResponse(c, answers, outcome);
  if (!outcome.ok()) return DescribeScoreProblem(c, outcome, answers.size());
  std::optional<ChangeAssessment> change;
  if (baseline_total) {
    if (!c.has_total || !c.change.defined) {
      return InvalidInput("baseline", c.key + " has no change rules to compare against a baseline");
    }
    if (*baseline_total < c.total_min || *baseline_total > c.total_max) {
      return InvalidInput("baseline", "must be a " + c.key + " total between " + std::to_string(c.total_min) +
                                          " and " + std::to_string(c.total_max));
    }
    change = AssessChange(c, *baseline_total, outcome.total);
  }
  return ScoreReportJson(c, outcome, change);
}

Json InstrumentSummaryJson(const CompiledInstrument& c) {
  Json summary = {{"instrument", c.key},       {"id", c.id},
                  {"title", c.title},          {"version", c.version},
                  {"kind", KindName(c.kind)},  {"items", c.item_count},
                  {"item_text_shipped", c.item_text_shipped}};
  summary["total_range"] = c.has_total ? Json{c.total_min, c.total_max} : Json(nullptr);
  if (c.total_loinc) summary["loinc"] = *c.total_loinc;
  return summary;
}

}  // namespace ketachart
