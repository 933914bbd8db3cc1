// The stored side of monitor alarms, shared by the monitor services: the
// clinic's alarm policy (latest version, or the shipped default), the rules
// that apply to a session (its protocol version's limits plus the policy's),
// the patient's baseline (the last passed readiness check's vitals), loading
// and folding an alarm's events, appending an event with its audit record,
// and running the engine for a session after new vitals were stored.
// Internal to services/.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/json_input.h"
#include "base/result.h"
#include "clinical/monitoring/alarm_engine.h"
#include "services/actor.h"
#include "services/session_timeline.h"
#include "store/database.h"

namespace ketachart {

struct StoredAlarmPolicy {
  AlarmPolicy policy;
  int64_t version = 0;  // 0: the shipped default (no clinic version yet)
  std::string saved_at;
  std::string saved_by;
};
Result<StoredAlarmPolicy> LoadAlarmPolicy(Transaction& txn, int64_t clinic_id);

// The protocol version's alarm thresholds that have a value, then the policy's rules.
std::vector<AlarmRule> SessionAlarmRules(const Protocol& protocol, const AlarmPolicy& policy);
// The baseline the rise rules measure from, by parameter (readiness vitals).
std::optional<double> SessionBaseline(const LoadedSession& session, VitalParameter parameter);

struct AlarmEventRow {
  int64_t sequence = 0;
  AlarmEventFact fact;
  std::string rule_label;
  std::optional<std::string> value;
  std::optional<std::string> limit;
  std::optional<std::string> note;
  std::string occurred_at;
  std::optional<std::string> recorded_by;  // username; none for the monitor
};

struct StoredAlarm {
  int64_t id = 0;
  int64_t session_id = 0;
  VitalParameter parameter = VitalParameter::kSystolic;
  std::string unit;
  std::string raised_at;
  std::vector<AlarmEventRow> events;
  AlarmState state;
};

// The session's alarms, oldest first (`parameter` to narrow).
Result<std::vector<StoredAlarm>> LoadSessionAlarms(Transaction& txn, int64_t session_id,
                                                   std::optional<VitalParameter> parameter = std::nullopt);
// NotFound unless the alarm belongs to the clinic.
Result<StoredAlarm> LoadAlarm(Transaction& txn, int64_t clinic_id, int64_t alarm_id);
Json AlarmJson(const StoredAlarm& alarm);

struct NewAlarmEvent {
  AlarmEventKind kind = AlarmEventKind::kRaised;
  AlarmTier tier = AlarmTier::kWarning;
  std::string rule_id;
  std::string rule_label;
  std::optional<std::string> value;
  std::optional<std::string> limit;
  std::optional<std::string> note;
  std::optional<int64_t> observation_id;
};
// Appends `event` to `alarm` (sequence after its last) with the audit record
// "monitor.alarm.<kind>" naming the patient; updates `alarm`.
Status AppendAlarmEvent(Transaction& txn, const Actor& actor, int64_t patient_id, StoredAlarm& alarm,
                        NewAlarmEvent event, TimePoint now);

// Runs the engine for each of `parameters` of `session` over its latest
// stored readings and writes what it decides (raise, tier change, clear).
// Returns the number of alarm events written.
Result<int> EvaluateSessionAlarms(Transaction& txn, const Actor& monitor, const LoadedSession& session,
                                  const AlarmPolicy& policy, const std::set<VitalParameter>& parameters,
                                  TimePoint now);

// Text of a number for the records ("185", "92.5").
std::string NumberText(double value);

}  // namespace ketachart
