// The stored side of monitor alarms (see monitor_alarm_records.h).
#include "services/monitor_alarm_records.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "services/audit_trail.h"

namespace ketachart {

namespace {

// The LOINC codes whose observations measure `parameter`
// (interop/hl7v2/mdc_nomenclature maps MDC codes to them).
std::vector<std::string> LoincsOf(VitalParameter parameter) {
  switch (parameter) {
    case VitalParameter::kSpo2: return {"59408-5"};
    case VitalParameter::kHeartRate: return {"8867-4", "8889-8"};
    case VitalParameter::kSystolic: return {"8480-6"};
    case VitalParameter::kDiastolic: return {"8462-4"};
    case VitalParameter::kMeanPressure: return {"8478-0"};
    case VitalParameter::kRespiratoryRate: return {"9279-1"};
    case VitalParameter::kTemperature: return {"8310-5"};
  }
  return {};
}

// Readings kept for one evaluation: enough for the longest persistence the
// policy allows (30 readings, or 120 s of a 1 Hz signal), newest first in SQL.
constexpr int64_t kEvaluationWindow = 300;

}  // namespace

std::string NumberText(double value) {
  std::string text = fmt::format("{:.3f}", value);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

Result<StoredAlarmPolicy> LoadAlarmPolicy(Transaction& txn, int64_t clinic_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query("SELECT p.version, p.document, p.saved_at, u.username FROM monitor_alarm_policies p "
                                "JOIN users u ON u.id = p.saved_by WHERE p.clinic_id = ? ORDER BY p.version DESC LIMIT 1",
                                {clinic_id}));
  StoredAlarmPolicy stored;
  if (rows.empty()) {
    stored.policy = DefaultAlarmPolicy();
    return stored;
  }
  const Json document = Json::parse(rows[0].Text(1), nullptr, false);
  auto policy = ReadAlarmPolicy(document);
  if (!policy.ok()) return Internal("stored alarm policy does not read: " + policy.error().message);
  stored.policy = std::move(policy.value());
  stored.version = rows[0].Int(0);
  stored.saved_at = rows[0].Text(2);
  stored.saved_by = rows[0].Text(3);
  return stored;
}

std::vector<AlarmRule> SessionAlarmRules(const Protocol& protocol, const AlarmPolicy& policy) {
  std::vector<AlarmRule> rules;
  for (const ProtocolQuantity& threshold : protocol.alarm_thresholds) {
    const auto meaning = ProtocolAlarmThreshold(threshold.id);
    if (!meaning || !threshold.value) continue;  // a limit the clinic has not set does not alarm
    rules.push_back({threshold.id, threshold.label, meaning->parameter, meaning->kind, AlarmTier::kWarning,
                     *threshold.value, threshold.source, threshold.unconfirmed, "protocol"});
  }
  rules.insert(rules.end(), policy.rules.begin(), policy.rules.end());
  return rules;
}

std::optional<double> SessionBaseline(const LoadedSession& session, VitalParameter parameter) {
  const char* field = nullptr;
  switch (parameter) {
    case VitalParameter::kSystolic: field = "systolic_mmhg"; break;
    case VitalParameter::kDiastolic: field = "diastolic_mmhg"; break;
    case VitalParameter::kHeartRate: field = "heart_rate_bpm"; break;
    case VitalParameter::kSpo2: field = "spo2_percent"; break;
    case VitalParameter::kRespiratoryRate: field = "respiratory_rate_per_min"; break;
    default: return std::nullopt;
  }
  for (auto it = session.events.rbegin(); it != session.events.rend(); ++it) {
    if (it->kind != SessionEventKind::kReadiness || !it->data.value("passed", false)) continue;
    const Json& vitals = it->data.contains("answers") ? it->data["answers"].value("vitals", Json::object()) : Json();
    if (vitals.is_object() && vitals.contains(field) && vitals[field].is_number()) return vitals[field].get<double>();
    return std::nullopt;
  }
  return std::nullopt;
}

namespace {

Result<std::vector<StoredAlarm>> LoadAlarmRows(Transaction& txn, const SqlRows& rows) {
  std::vector<StoredAlarm> alarms;
  for (const SqlRow& r : rows) {
    StoredAlarm a;
    a.id = r.Int(0);
    a.session_id = r.Int(1);
    a.parameter = VitalParameterFromName(r.Text(2)).value_or(VitalParameter::kSystolic);
    a.unit = r.Text(3);
    a.raised_at = r.Text(4);
    KC_ASSIGN_OR_RETURN(
        SqlRows events,
        txn.Query("SELECT e.sequence, e.kind, e.tier, e.rule_id, e.rule_label, e.value, e.limit_value, e.note, "
                  "e.occurred_at, u.username FROM monitor_alarm_events e LEFT JOIN users u ON u.id = e.recorded_by "
                  "WHERE e.alarm_id = ? ORDER BY e.sequence",
                  {a.id}));
    std::vector<AlarmEventFact> facts;
    for (const SqlRow& e : events) {
      AlarmEventRow row;
      row.sequence = e.Int(0);
      row.fact = {AlarmEventKindFromName(e.Text(1)).value_or(AlarmEventKind::kRaised),
                  AlarmTierFromName(e.Text(2)).value_or(AlarmTier::kWarning), e.Text(3), TimestampMs(e.Text(8))};
      row.rule_label = e.Text(4);
      row.value = e.OptionalText(5);
      row.limit = e.OptionalText(6);
      row.note = e.OptionalText(7);
      row.occurred_at = e.Text(8);
      row.recorded_by = e.OptionalText(9);
      facts.push_back(row.fact);
      a.events.push_back(std::move(row));
    }
    a.state = FoldAlarm(facts);
    alarms.push_back(std::move(a));
  }
  return alarms;
}

constexpr const char* kAlarmColumns = "SELECT id, session_id, parameter, unit, raised_at FROM monitor_alarms ";

}  // namespace

Result<std::vector<StoredAlarm>> LoadSessionAlarms(Transaction& txn, int64_t session_id,
                                                   std::optional<VitalParameter> parameter) {
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      parameter ? txn.Query(std::string(kAlarmColumns) + "WHERE session_id = ? AND parameter = ? ORDER BY id",
                            {session_id, std::string(VitalParameterName(*parameter))})
                : txn.Query(std::string(kAlarmColumns) + "WHERE session_id = ? ORDER BY id", {session_id}));
  return LoadAlarmRows(txn, rows);
}

Result<StoredAlarm> LoadAlarm(Transaction& txn, int64_t clinic_id, int64_t alarm_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query(std::string(kAlarmColumns) + "WHERE id = ? AND clinic_id = ?", {alarm_id, clinic_id}));
  if (rows.empty()) return NotFound("no such monitor alarm in this clinic");
  KC_ASSIGN_OR_RETURN(std::vector<StoredAlarm> alarms, LoadAlarmRows(txn, rows));
  return std::move(alarms.front());
}

Json AlarmJson(const StoredAlarm& a) {
  Json events = Json::array();
  const AlarmEventRow* in_force = nullptr;  // the last raise or tier change: rule, value, limit shown
  const AlarmEventRow* acknowledged = nullptr;
  const AlarmEventRow* cleared = nullptr;
  for (const AlarmEventRow& e : a.events) {
    Json event = {{"kind", AlarmEventKindName(e.fact.kind)},
                  {"tier", AlarmTierName(e.fact.tier)},
                  {"rule", e.fact.rule_id},
                  {"label", e.rule_label},
                  {"at", e.occurred_at}};
    if (e.value) event["value"] = *e.value;
    if (e.limit) event["limit"] = *e.limit;
    if (e.note) event["note"] = *e.note;
    if (e.recorded_by) event["by"] = *e.recorded_by;
    events.push_back(std::move(event));
    if (e.fact.kind == AlarmEventKind::kRaised || e.fact.kind == AlarmEventKind::kTierChanged) in_force = &e;
    if (e.fact.kind == AlarmEventKind::kAcknowledged) acknowledged = &e;
    if (e.fact.kind == AlarmEventKind::kCleared) cleared = &e;
  }
  Json out = {{"id", a.id},
              {"session_id", a.session_id},
              {"parameter", VitalParameterName(a.parameter)},
              {"unit", a.unit},
              {"tier", AlarmTierName(a.state.shown_tier)},
              {"condition_tier", AlarmTierName(a.state.condition_tier)},
              {"state", a.state.cleared ? "cleared" : "active"},
              {"acknowledged", a.state.acknowledged},
              {"escalated", a.state.escalated},
              {"open", a.state.open()},
              {"raised_at", a.raised_at},
              {"events", std::move(events)}};
  if (in_force) {
    out["rule"] = in_force->fact.rule_id;
    out["label"] = in_force->rule_label;
    out["value"] = in_force->value ? Json(*in_force->value) : Json(nullptr);
    out["limit"] = in_force->limit ? Json(*in_force->limit) : Json(nullptr);
  }
  if (cleared) out["cleared_at"] = cleared->occurred_at;
  if (acknowledged && a.state.acknowledged) {
    out["acknowledged_at"] = acknowledged->occurred_at;
    out["acknowledged_by"] = acknowledged->recorded_by ? Json(*acknowledged->recorded_by) : Json(nullptr);
    out["note"] = acknowledged->note ? Json(*acknowledged->note) : Json(nullptr);
  }
  return out;
}

Status AppendAlarmEvent(Transaction& txn, const Actor& actor, int64_t patient_id, StoredAlarm& alarm,
                        NewAlarmEvent event, TimePoint now) {
  const int64_t sequence = alarm.events.empty() ? 1 : alarm.events.back().sequence + 1;
  const std::string at = FormatTimestamp(now);
  KC_RETURN_IF_ERROR(txn.Execute(
      "INSERT INTO monitor_alarm_events (clinic_id, alarm_id, sequence, kind, tier, rule_id, rule_label, value, "
      "limit_value, note, observation_id, occurred_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {actor.clinic_id, alarm.id, sequence, std::string(AlarmEventKindName(event.kind)),
       std::string(AlarmTierName(event.tier)), event.rule_id, event.rule_label, SqlOptional(event.value),
       SqlOptional(event.limit), SqlOptional(event.note), SqlOptional(event.observation_id), at,
       actor.user_id > 0 ? SqlValue(actor.user_id) : SqlNull()}));
  KC_RETURN_IF_ERROR(AppendAuditEvent(
      txn, actor,
      AuditEntry{"monitor.alarm." + std::string(AlarmEventKindName(event.kind)), "monitor_alarm",
                 std::to_string(alarm.id), patient_id, AuditOutcome::kSuccess,
                 fmt::format("session {} {} {} ({})", alarm.session_id, VitalParameterName(alarm.parameter),
                             AlarmTierName(event.tier), event.rule_id)},
      now));
  AlarmEventRow row;
  row.sequence = sequence;
  row.fact = {event.kind, event.tier, event.rule_id, now.time_since_epoch().count()};
  row.rule_label = event.rule_label;
  row.value = event.value;
  row.limit = event.limit;
  row.note = event.note;
  row.occurred_at = at;
  if (actor.user_id > 0) row.recorded_by = actor.username;
  alarm.events.push_back(std::move(row));
  std::vector<AlarmEventFact> facts;
  for (const AlarmEventRow& e : alarm.events) facts.push_back(e.fact);
  alarm.state = FoldAlarm(facts);
  return Status::Ok();
}

Result<int> EvaluateSessionAlarms(Transaction& txn, const Actor& monitor, const LoadedSession& session,
                                  const AlarmPolicy& policy, const std::set<VitalParameter>& parameters,
                                  TimePoint now) {
  const std::vector<AlarmRule> all_rules = SessionAlarmRules(*session.protocol, policy);
  int written = 0;
  for (VitalParameter parameter : parameters) {
    std::vector<const AlarmRule*> rules;
    for (const AlarmRule& rule : all_rules) {
      if (rule.parameter == parameter) rules.push_back(&rule);
    }
    if (rules.empty()) continue;
    const std::vector<std::string> loincs = LoincsOf(parameter);
    std::string in = "?";
    for (size_t i = 1; i < loincs.size(); ++i) in += ", ?";
    std::vector<SqlValue> args{session.id};
    for (const std::string& l : loincs) args.push_back(l);
    args.push_back(kEvaluationWindow);
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query("SELECT o.id, o.observed_at, o.value FROM monitor_observation_dispositions d JOIN "
                  "monitor_observations o ON o.id = d.observation_id WHERE d.session_id = ? AND o.loinc IN (" +
                      in + ") AND o.state = 'measured' AND o.value IS NOT NULL ORDER BY d.observation_id DESC LIMIT ?",
                  args));
    if (rows.empty()) continue;
    struct Row {
      int64_t id;
      VitalReading reading;
    };
    std::vector<Row> sorted;
    for (const SqlRow& r : rows) {
      sorted.push_back({r.Int(0), {TimestampMs(r.Text(1)), std::strtod(r.Text(2).c_str(), nullptr)}});
    }
    std::stable_sort(sorted.begin(), sorted.end(), [](const Row& a, const Row& b) {
      return a.reading.at_ms != b.reading.at_ms ? a.reading.at_ms < b.reading.at_ms : a.id < b.id;
    });
    std::vector<VitalReading> readings;
    for (const Row& r : sorted) readings.push_back(r.reading);
    const int64_t newest_observation = sorted.back().id;

    KC_ASSIGN_OR_RETURN(std::vector<StoredAlarm> alarms, LoadSessionAlarms(txn, session.id, parameter));
    StoredAlarm* active = nullptr;
    for (StoredAlarm& a : alarms) {
      if (!a.state.cleared) active = &a;
    }
    std::optional<ActiveCondition> condition;
    if (active) condition = ActiveCondition{active->state.condition_tier, active->state.rule_id};
    const std::optional<double> baseline = SessionBaseline(session, parameter);
    const AlarmDecision decision =
        EvaluateVitalSign(rules, policy.timing[static_cast<size_t>(parameter)], baseline, readings, condition);
    auto limit_text = [&](const AlarmRule& rule) {
      if (rule.kind == AlarmLimitKind::kRiseAboveBaseline && baseline) {
        return NumberText(*baseline + rule.limit);
      }
      return NumberText(rule.limit);
    };
    switch (decision.kind) {
      case AlarmDecisionKind::kNone: break;
      case AlarmDecisionKind::kRaise: {
        KC_ASSIGN_OR_RETURN(SqlRows inserted,
                            txn.Query("INSERT INTO monitor_alarms (clinic_id, session_id, parameter, unit, raised_at) "
                                      "VALUES (?, ?, ?, ?, ?) RETURNING id",
                                      {monitor.clinic_id, session.id, std::string(VitalParameterName(parameter)),
                                       std::string(VitalParameterUnit(parameter)), FormatTimestamp(now)}));
        StoredAlarm alarm;
        alarm.id = inserted.at(0).Int(0);
        alarm.session_id = session.id;
        alarm.parameter = parameter;
        KC_RETURN_IF_ERROR(AppendAlarmEvent(txn, monitor, session.patient_id, alarm,
                                            {AlarmEventKind::kRaised, decision.tier, decision.rule->id,
                                             decision.rule->label, NumberText(decision.value),
                                             limit_text(*decision.rule), std::nullopt, newest_observation},
                                            now));
        ++written;
        break;
      }
      case AlarmDecisionKind::kTierChange:
        KC_RETURN_IF_ERROR(AppendAlarmEvent(txn, monitor, session.patient_id, *active,
                                            {AlarmEventKind::kTierChanged, decision.tier, decision.rule->id,
                                             decision.rule->label, NumberText(decision.value),
                                             limit_text(*decision.rule), std::nullopt, newest_observation},
                                            now));
        ++written;
        break;
      case AlarmDecisionKind::kClear: {
        const AlarmEventRow& last = active->events.back();
        KC_RETURN_IF_ERROR(AppendAlarmEvent(txn, monitor, session.patient_id, *active,
                                            {AlarmEventKind::kCleared, active->state.shown_tier, active->state.rule_id,
                                             last.rule_label, NumberText(decision.value), std::nullopt, std::nullopt,
                                             newest_observation},
                                            now));
        ++written;
        break;
      }
    }
  }
  return written;
}

}  // namespace ketachart
