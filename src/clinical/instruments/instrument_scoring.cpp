// Response scoring over the flat tables of a CompiledInstrument; see
// instrument_scoring.h. Loops run over at most kMaxInstrumentItems small
// integers, so a response scores in well under a microsecond.
#include "clinical/instruments/instrument_scoring.h"

#include <string>

namespace ketachart {
namespace {

bool Asked(const CompiledInstrument& c, std::span<const int16_t> answers, int i) {
  const InstrumentItem& item = c.items[i];
  return item.enabled_by < 0 || answers[item.enabled_by] == item.enabled_when;
}

// Sum of a run of terms; false when an item in it has no value.
bool EvaluateTerms(const CompiledInstrument& c, std::span<const int16_t> answers, TermRange range, int& value) {
  int total = 0;
  for (int t = range.first; t < range.first + range.count; ++t) {
    const ScoreTerm& term = c.terms[t];
    int part = term.operation == ScoreTerm::Operation::kSum ? 0 : INT16_MIN;
    for (int j = term.first; j < term.first + term.count; ++j) {
      const int16_t v = answers[c.term_items[j]];
      if (v == kNotAnswered) return false;
      if (term.operation == ScoreTerm::Operation::kSum) {
        part += v;
      } else if (v > part) {
        part = v;
      }
    }
    total += part;
  }
  value = total;
  return true;
}

bool Triggered(const CompiledInstrument& c, std::span<const int16_t> answers, const Trigger& trigger, int band) {
  switch (trigger.kind) {
    case Trigger::Kind::kNever:
      return false;
    case Trigger::Kind::kOtherwise:
      return true;
    case Trigger::Kind::kBand:
      return band >= 0 && (trigger.band_mask >> band) & 1u;
    case Trigger::Kind::kAnyItem:
      for (int k = trigger.first; k < trigger.first + trigger.count; ++k) {
        const ItemCondition& cond = c.conditions[k];
        const int16_t v = answers[cond.item];
        if (v != kNotAnswered && v >= cond.at_least) return true;
      }
      return false;
  }
  return false;
}

void Fail(ScoreOutcome& outcome, ScoreProblem problem, int item) {
  outcome.problem = problem;
  outcome.item = static_cast<int8_t>(item);
}

}  // namespace

void ScoreResponse(const CompiledInstrument& c, std::span<const int16_t> answers, ScoreOutcome& outcome) noexcept {
  outcome = ScoreOutcome{};
  std::array<int16_t, kMaxInstrumentItems> expanded;
  if (answers.size() == 1 && c.kind == InstrumentKind::kClinicianTotal && c.item_count > 1) {
    expanded.fill(kNotAnswered);
    expanded[0] = answers[0];
    answers = std::span<const int16_t>(expanded.data(), c.item_count);
  }
  if (answers.size() != c.item_count) {
    Fail(outcome, ScoreProblem::kWrongAnswerCount, -1);
    return;
  }

  // Ranges and skip logic, item by item in order.
  for (int i = 0; i < c.item_count; ++i) {
    const int16_t v = answers[i];
    const InstrumentItem& item = c.items[i];
    const bool asked = Asked(c, answers, i);
    if (v == kNotAnswered) {
      if (asked && item.required && c.entered_total_item != i) {
        Fail(outcome, ScoreProblem::kMissingItem, i);
        return;
      }
      continue;
    }
    if (!asked) {
      Fail(outcome, ScoreProblem::kNotAsked, i);
      return;
    }
    if (v < item.min || v > item.max) {
      Fail(outcome, ScoreProblem::kOutOfRange, i);
      return;
    }
  }

  if (c.has_total) {
    int total = 0;
    const bool from_items = EvaluateTerms(c, answers, c.total_terms, total);
    if (c.entered_total_item >= 0) {
      const int16_t entered = answers[c.entered_total_item];
      if (from_items && entered != kNotAnswered && entered != total) {
        Fail(outcome, ScoreProblem::kTotalMismatch, c.entered_total_item);
        return;
      }
      if (!from_items) {
        if (entered == kNotAnswered) {
          // Some item values without a total: the total cannot be formed.
          Fail(outcome, ScoreProblem::kMissingItem, c.entered_total_item);
          return;
        }
        total = entered;
      }
    }
    outcome.has_total = true;
    outcome.total = static_cast<int16_t>(total);
  }

  for (int s = 0; s < c.subscale_count; ++s) {
    int value = 0;
    if (EvaluateTerms(c, answers, c.subscales[s].terms, value)) {
      outcome.subscales[s] = static_cast<int16_t>(value);
      outcome.subscales_present |= static_cast<uint8_t>(1u << s);
    }
  }

  for (int b = 0; b < c.band_count; ++b) {
    const Band& band = c.bands[b];
    const bool match = c.rule_bands ? Triggered(c, answers, band.trigger, -1)
                                    : (outcome.total >= band.min && outcome.total <= band.max);
    if (match) {
      outcome.band = static_cast<int8_t>(b);
      break;
    }
  }

  for (int k = 0; k < c.cutoff_count; ++k) {
    if (outcome.total >= c.cutoffs[k].at_least) outcome.cutoffs_met |= 1u << k;
  }

  for (int r = 0; r < c.symptom_rule_count; ++r) {
    const SymptomRule& rule = c.symptom_rules[r];
    bool met = true;
    for (int q = 0; q < rule.requirement_count && met; ++q) {
      const TermRange range = c.subscales[rule.subscale[q]].terms;
      int endorsed = 0;
      bool complete = true;
      for (int t = range.first; t < range.first + range.count; ++t) {
        const ScoreTerm& term = c.terms[t];
        for (int j = term.first; j < term.first + term.count; ++j) {
          const int16_t v = answers[c.term_items[j]];
          if (v == kNotAnswered) complete = false;
          else if (v >= rule.endorsed_at_least) ++endorsed;
        }
      }
      met = complete && endorsed >= rule.min_count[q];
    }
    if (met) outcome.symptom_rules_met |= 1u << r;
  }

  for (int a = 0; a < c.alert_count; ++a) {
    if (Triggered(c, answers, c.alerts[a].trigger, outcome.band)) outcome.alerts_raised |= 1u << a;
  }
}

Error DescribeScoreProblem(const CompiledInstrument& c, const ScoreOutcome& outcome, size_t answer_count) {
  const std::string name = outcome.item >= 0 ? c.items[outcome.item].link_id : "";
  const std::string field = outcome.item >= 0 ? "answers[" + std::to_string(outcome.item) + "]" : "answers";
  switch (outcome.problem) {
    case ScoreProblem::kNone:
      return Internal("no scoring problem");
    case ScoreProblem::kWrongAnswerCount: {
      std::string expected = std::to_string(c.item_count);
      if (c.kind == InstrumentKind::kClinicianTotal && c.item_count > 1) expected = "1 (the total) or " + expected;
      return InvalidInput("answers", c.key + " takes " + expected + " answers, got " + std::to_string(answer_count));
    }
    case ScoreProblem::kOutOfRange: {
      const InstrumentItem& item = c.items[outcome.item];
      return InvalidInput(field, "item " + name + " must be between " + std::to_string(item.min) + " and " +
                                     std::to_string(item.max));
    }
    case ScoreProblem::kMissingItem:
      if (outcome.item == c.entered_total_item) {
        return InvalidInput(field, "enter the total, or every item value of " + c.key);
      }
      return InvalidInput(field, "item " + name + " is required and has no answer");
    case ScoreProblem::kNotAsked:
      return InvalidInput(field, "item " + name + " is not asked after the earlier answers (skip logic) and must be empty");
    case ScoreProblem::kTotalMismatch:
      return InvalidInput(field, "the entered total does not equal the sum of the item values");
  }
  return Internal("unknown scoring problem");
}

}  // namespace ketachart
