// The monitor alarm engine (see alarm_engine.h).
#include "clinical/monitoring/alarm_engine.h"

#include <algorithm>
#include <array>

namespace ketachart {

namespace {

// Whether the newest readings have held `rule` long enough to alarm.
bool Persisted(const AlarmRule& rule, const ParameterTiming& timing, std::optional<double> baseline,
               std::span<const VitalReading> readings) {
  int run = 0;
  int64_t run_start_ms = 0;
  for (size_t i = readings.size(); i-- > 0;) {
    if (!RuleBreached(rule, readings[i].value, baseline)) break;
    ++run;
    run_start_ms = readings[i].at_ms;
  }
  if (run == 0) return false;
  if (run >= timing.persistence_readings) return true;
  return timing.persistence_seconds > 0 &&
         readings.back().at_ms - run_start_ms >= int64_t{timing.persistence_seconds} * 1000;
}

const AlarmRule* Highest(const AlarmRule* best, const AlarmRule* candidate) {
  if (best == nullptr || candidate->tier > best->tier) return candidate;
  return best;
}

}  // namespace

bool RuleBreached(const AlarmRule& rule, double value, std::optional<double> baseline, double shift) {
  switch (rule.kind) {
    case AlarmLimitKind::kAbove: return value > rule.limit - shift;
    case AlarmLimitKind::kBelow: return value < rule.limit + shift;
    case AlarmLimitKind::kAtOrBelow: return value <= rule.limit + shift;
    case AlarmLimitKind::kRiseAboveBaseline: return baseline.has_value() && value - *baseline > rule.limit - shift;
  }
  return false;
}

AlarmDecision EvaluateVitalSign(std::span<const AlarmRule* const> rules, const ParameterTiming& timing,
                                std::optional<double> baseline, std::span<const VitalReading> readings,
                                const std::optional<ActiveCondition>& active) {
  AlarmDecision decision;
  if (readings.empty()) return decision;
  const double latest = readings.back().value;
  decision.value = latest;
  const AlarmRule* persisted = nullptr;  // the highest-tier rule held long enough
  const AlarmRule* held = nullptr;       // the highest-tier rule the latest reading holds, with hysteresis
  for (const AlarmRule* rule : rules) {
    if (Persisted(*rule, timing, baseline, readings)) persisted = Highest(persisted, rule);
    if (RuleBreached(*rule, latest, baseline, timing.hysteresis)) held = Highest(held, rule);
  }
  if (!active) {
    if (persisted == nullptr) return decision;
    decision.kind = AlarmDecisionKind::kRaise;
    decision.rule = persisted;
    decision.tier = persisted->tier;
    return decision;
  }
  if (held == nullptr) {
    decision.kind = AlarmDecisionKind::kClear;
    return decision;
  }
  if (persisted != nullptr && persisted->tier > active->tier) {
    decision.kind = AlarmDecisionKind::kTierChange;
    decision.rule = persisted;
    decision.tier = persisted->tier;
    return decision;
  }
  if (held->tier < active->tier) {
    decision.kind = AlarmDecisionKind::kTierChange;
    decision.rule = held;
    decision.tier = held->tier;
  }
  return decision;
}

namespace {
constexpr std::array<std::string_view, 5> kEventNames = {"raised", "tier_changed", "escalated", "acknowledged",
                                                         "cleared"};
}

std::string_view AlarmEventKindName(AlarmEventKind kind) { return kEventNames[static_cast<size_t>(kind)]; }

std::optional<AlarmEventKind> AlarmEventKindFromName(std::string_view name) {
  for (size_t i = 0; i < kEventNames.size(); ++i) {
    if (kEventNames[i] == name) return static_cast<AlarmEventKind>(i);
  }
  return std::nullopt;
}

AlarmState FoldAlarm(std::span<const AlarmEventFact> events) {
  AlarmState s;
  AlarmTier escalated_to = AlarmTier::kAdvisory;
  for (const AlarmEventFact& e : events) {
    switch (e.kind) {
      case AlarmEventKind::kRaised:
        s.condition_tier = s.shown_tier = e.tier;
        s.rule_id = e.rule_id;
        s.raised_ms = s.attention_since_ms = e.at_ms;
        break;
      case AlarmEventKind::kTierChanged:
        if (e.tier > s.shown_tier) {
          // A worse condition: a new wait for an acknowledgement, a new escalation.
          s.acknowledged = false;
          s.escalated = false;
          s.attention_since_ms = e.at_ms;
        }
        s.condition_tier = e.tier;
        s.shown_tier = s.escalated ? std::max(e.tier, escalated_to) : e.tier;
        s.rule_id = e.rule_id;
        break;
      case AlarmEventKind::kEscalated:
        s.escalated = true;
        escalated_to = e.tier;
        s.shown_tier = std::max(s.shown_tier, e.tier);
        s.attention_since_ms = e.at_ms;
        break;
      case AlarmEventKind::kAcknowledged: s.acknowledged = true; break;
      case AlarmEventKind::kCleared: s.cleared = true; break;
    }
  }
  return s;
}

std::optional<AlarmTier> EscalationDue(const AlarmState& state, int64_t now_ms, int escalation_seconds) {
  if (state.acknowledged || state.cleared) return std::nullopt;
  if (now_ms - state.attention_since_ms < int64_t{escalation_seconds} * 1000) return std::nullopt;
  if (state.shown_tier == AlarmTier::kCritical) {
    if (state.escalated) return std::nullopt;
    return AlarmTier::kCritical;
  }
  return static_cast<AlarmTier>(static_cast<uint8_t>(state.shown_tier) + 1);
}

}  // namespace ketachart
