// The monitor alarm engine: given a session's recent readings of one vital
// sign, the rules that apply to it (the protocol's limits and the clinic's
// policy), the patient's baseline and the alarm already active for that vital
// sign, decide whether to raise an alarm, change its tier or clear it. Also
// folds an alarm's stored events into its state and decides when an
// unacknowledged alarm escalates. Stateless and pure (everything it needs is
// passed in, so it gives the same answer after a restart); thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "clinical/monitoring/alarm_policy.h"

namespace ketachart {

struct VitalReading {
  int64_t at_ms = 0;
  double value = 0;
};

// Whether `value` is beyond `rule`'s limit; `shift` moves the limit toward
// the safe side (the hysteresis an active alarm must clear). A rise rule
// without a baseline never fires.
bool RuleBreached(const AlarmRule& rule, double value, std::optional<double> baseline, double shift = 0);

// The alarm active (not cleared) for this vital sign, as far as the engine
// needs it: the tier its condition reached (escalation not counted).
struct ActiveCondition {
  AlarmTier tier = AlarmTier::kWarning;
  std::string rule_id;
};

enum class AlarmDecisionKind : uint8_t { kNone, kRaise, kTierChange, kClear };

struct AlarmDecision {
  AlarmDecisionKind kind = AlarmDecisionKind::kNone;
  const AlarmRule* rule = nullptr;  // kRaise / kTierChange: the rule now in force
  AlarmTier tier = AlarmTier::kWarning;
  double value = 0;                 // the latest reading
};

// `readings` oldest first, all of one vital sign of one session (the newest
// is the one just received). `rules` are those of that vital sign.
AlarmDecision EvaluateVitalSign(std::span<const AlarmRule* const> rules, const ParameterTiming& timing,
                                std::optional<double> baseline, std::span<const VitalReading> readings,
                                const std::optional<ActiveCondition>& active);

// --- an alarm's life, folded from its events ---------------------------------
enum class AlarmEventKind : uint8_t { kRaised, kTierChanged, kEscalated, kAcknowledged, kCleared };
std::string_view AlarmEventKindName(AlarmEventKind kind);
std::optional<AlarmEventKind> AlarmEventKindFromName(std::string_view name);

struct AlarmEventFact {
  AlarmEventKind kind = AlarmEventKind::kRaised;
  AlarmTier tier = AlarmTier::kWarning;  // raised/tier_changed: the condition's; escalated: the new shown tier
  std::string rule_id;
  int64_t at_ms = 0;
};

struct AlarmState {
  AlarmTier condition_tier = AlarmTier::kWarning;
  AlarmTier shown_tier = AlarmTier::kWarning;  // the condition's tier or higher after escalation
  std::string rule_id;
  bool acknowledged = false;
  bool escalated = false;
  bool cleared = false;
  int64_t raised_ms = 0;
  int64_t attention_since_ms = 0;  // last raise, tier rise or escalation: when the wait for an acknowledgement began
  bool open() const { return !cleared || !acknowledged; }
};

// Folds events in order. A tier rise needs a new acknowledgement; an
// acknowledgement stands through a lower tier and through clearing.
AlarmState FoldAlarm(std::span<const AlarmEventFact> events);

// The tier to escalate to when `state` has waited `escalation_seconds`
// unacknowledged while active; nullopt when not due. Escalation climbs one
// tier at a time; an alarm shown critical escalates once (flagged) and then
// waits for its acknowledgement.
std::optional<AlarmTier> EscalationDue(const AlarmState& state, int64_t now_ms, int escalation_seconds);

}  // namespace ketachart
