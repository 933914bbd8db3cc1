// Live monitoring for staff (see monitor_alarm_service.h).
#include "services/monitor_alarm_service.h"

#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <set>

#include "services/audit_trail.h"
#include "services/change_feed.h"
#include "services/course_records.h"
#include "services/guard.h"
#include "services/monitor_alarm_records.h"
#include "services/monitor_chairs.h"
#include "services/protocol_store.h"
#include "services/read_audit_log.h"

namespace ketachart {

namespace {

constexpr auto kTrendWindow = std::chrono::minutes(30);
constexpr size_t kTrendPoints = 120;        // per vital sign on the board
constexpr size_t kSessionChartPoints = 2000;  // per vital sign on the session page
constexpr int64_t kBoardRowsPerSession = 4000;

struct VitalSeries {
  std::map<VitalParameter, std::vector<std::pair<int64_t, double>>> points;  // oldest first
  std::map<VitalParameter, Json> latest;
};

// The session's measured vitals (newest `limit` rows), by vital sign.
Result<VitalSeries> SessionVitals(Transaction& txn, int64_t session_id, int64_t limit) {
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      txn.Query("SELECT o.loinc, o.value, o.unit, o.observed_at FROM monitor_observation_dispositions d JOIN "
                "monitor_observations o ON o.id = d.observation_id WHERE d.session_id = ? AND o.state = 'measured' "
                "AND o.value IS NOT NULL AND o.loinc IS NOT NULL ORDER BY d.observation_id DESC LIMIT ?",
                {session_id, limit}));
  VitalSeries series;
  std::map<VitalParameter, int64_t> latest_ms;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    const auto parameter = VitalParameterFromLoinc(it->Text(0));
    if (!parameter) continue;
    const int64_t at = TimestampMs(it->Text(3));
    series.points[*parameter].push_back({at, std::strtod(it->Text(1).c_str(), nullptr)});
    if (!latest_ms.count(*parameter) || at >= latest_ms[*parameter]) {
      latest_ms[*parameter] = at;
      series.latest[*parameter] = {{"value", it->Text(1)}, {"unit", it->Text(2)}, {"observed_at", it->Text(3)}};
    }
  }
  for (auto& [_, points] : series.points) {
    std::stable_sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  return series;
}

// At most `max_points` of `points`, evenly spaced, always keeping the newest.
Json Thinned(const std::vector<std::pair<int64_t, double>>& points, size_t max_points) {
  Json out = Json::array();
  if (points.empty()) return out;
  const size_t step = (points.size() + max_points - 1) / max_points;
  for (size_t i = (points.size() - 1) % step; i < points.size(); i += step) {
    out.push_back(Json::array({points[i].first, points[i].second}));
  }
  return out;
}

Json OpenAlarmsJson(const std::vector<StoredAlarm>& alarms) {
  Json out = Json::array();
  for (const StoredAlarm& a : alarms) {
    if (a.state.open()) out.push_back(AlarmJson(a));
  }
  return out;
}

// Alarms of a clinic that may be open: those without a clear or without an
// acknowledgement (the fold decides).
Result<SqlRows> CandidateOpenAlarms(Transaction& txn, std::optional<int64_t> clinic_id, bool only_uncleared) {
  std::string sql =
      "SELECT a.id, a.clinic_id, s.patient_id, s.chair FROM monitor_alarms a JOIN dosing_sessions s ON s.id = "
      "a.session_id WHERE ";
  sql += clinic_id ? "a.clinic_id = ? AND " : "";
  sql += only_uncleared
             ? "NOT EXISTS (SELECT 1 FROM monitor_alarm_events e WHERE e.alarm_id = a.id AND e.kind = 'cleared')"
             : "(NOT EXISTS (SELECT 1 FROM monitor_alarm_events e WHERE e.alarm_id = a.id AND e.kind = 'cleared') OR "
               "NOT EXISTS (SELECT 1 FROM monitor_alarm_events e WHERE e.alarm_id = a.id AND e.kind = "
               "'acknowledged'))";
  sql += " ORDER BY a.id";
  return clinic_id ? txn.Query(sql, {*clinic_id}) : txn.Query(sql);
}

}  // namespace

Result<Json> MonitorAlarmService::Board(const Actor& actor) {
  const AuditEntry attempted = MonitorAudit("monitor.board.read", "chair", "", std::nullopt);
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMonitorRead, attempted));
  const TimePoint now = context_.clock.Now();
  const int64_t trend_from = (now - kTrendWindow).time_since_epoch().count();
  int sessions_shown = 0;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows chairs, txn.Query("SELECT id, name, room FROM chairs WHERE clinic_id = ? ORDER BY "
                                                  "room, name",
                                                  {actor.clinic_id}));
    KC_ASSIGN_OR_RETURN(
        SqlRows bindings,
        txn.Query("SELECT b.device_id, b.chair_id FROM monitor_device_bindings b WHERE b.clinic_id = ? AND b.id = "
                  "(SELECT MAX(b2.id) FROM monitor_device_bindings b2 WHERE b2.clinic_id = b.clinic_id AND "
                  "b2.device_id = b.device_id) AND b.chair_id IS NOT NULL ORDER BY b.device_id",
                  {actor.clinic_id}));
    std::map<int64_t, Json> devices_of_chair;
    for (const SqlRow& b : bindings) {
      Json& list = devices_of_chair[b.Int(1)];
      if (list.is_null()) list = Json::array();
      list.push_back(b.Text(0));
    }
    Json out_chairs = Json::array();
    for (const SqlRow& c : chairs) {
      Json chair = {{"chair", {{"id", c.Int(0)}, {"name", c.Text(1)}, {"room", c.Text(2)}}},
                    {"devices", devices_of_chair.count(c.Int(0)) ? devices_of_chair[c.Int(0)] : Json::array()},
                    {"session", nullptr},
                    {"latest", Json::object()},
                    {"trend", Json::object()},
                    {"alarms", Json::array()}};
      KC_ASSIGN_OR_RETURN(std::optional<int64_t> session_id, ActiveSessionOnChair(txn, actor.clinic_id, c.Text(1), now));
      if (session_id) {
        KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, *session_id));
        ++sessions_shown;
        chair["session"] = {{"id", session.id},
                            {"patient", session.patient},
                            {"protocol_id", session.protocol_id},
                            {"phase", SessionPhaseName(session.progress.phase)},
                            {"phase_started_at", FormatTimestamp(TimePoint(std::chrono::milliseconds(
                                                     session.progress.phase_started_ms)))}};
        KC_ASSIGN_OR_RETURN(VitalSeries vitals, SessionVitals(txn, session.id, kBoardRowsPerSession));
        for (const auto& [parameter, latest] : vitals.latest) {
          chair["latest"][std::string(VitalParameterName(parameter))] = latest;
        }
        for (const auto& [parameter, points] : vitals.points) {
          std::vector<std::pair<int64_t, double>> recent;
          for (const auto& p : points) {
            if (p.first >= trend_from) recent.push_back(p);
          }
          if (!recent.empty()) chair["trend"][std::string(VitalParameterName(parameter))] = Thinned(recent, kTrendPoints);
        }
        KC_ASSIGN_OR_RETURN(std::vector<StoredAlarm> alarms, LoadSessionAlarms(txn, session.id));
        chair["alarms"] = OpenAlarmsJson(alarms);
      }
      out_chairs.push_back(std::move(chair));
    }
    return Json{{"generated_at", FormatTimestamp(now)}, {"chairs", std::move(out_chairs)}};
  });
  if (!result.ok()) return result;
  KC_RETURN_IF_ERROR(RecordReadAudit(
      context_, actor, MonitorAudit("monitor.board.read", "chair", "", std::nullopt,
                                    fmt::format("{} active session(s)", sessions_shown)),
      now));
  return result;
}

Result<Json> MonitorAlarmService::SessionMonitor(const Actor& actor, int64_t session_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRead,
                                       CourseAudit("session.monitor.read", "dosing_session", session_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  int64_t patient_id = 0;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, session_id));
    patient_id = session.patient_id;
    KC_ASSIGN_OR_RETURN(VitalSeries vitals, SessionVitals(txn, session.id, 200'000));
    Json series = Json::object();
    Json units = Json::object();
    Json baseline = Json::object();
    for (const auto& [parameter, points] : vitals.points) {
      series[std::string(VitalParameterName(parameter))] = Thinned(points, kSessionChartPoints);
    }
    for (const auto& [parameter, latest] : vitals.latest) {
      units[std::string(VitalParameterName(parameter))] = latest["unit"];
    }
    for (VitalParameter p : {VitalParameter::kSystolic, VitalParameter::kDiastolic, VitalParameter::kHeartRate,
                             VitalParameter::kSpo2, VitalParameter::kRespiratoryRate}) {
      if (auto b = SessionBaseline(session, p)) baseline[std::string(VitalParameterName(p))] = *b;
    }
    KC_ASSIGN_OR_RETURN(std::vector<StoredAlarm> alarms, LoadSessionAlarms(txn, session.id));
    Json alarm_list = Json::array();
    for (const StoredAlarm& a : alarms) alarm_list.push_back(AlarmJson(a));
    KC_ASSIGN_OR_RETURN(StoredAlarmPolicy policy, LoadAlarmPolicy(txn, actor.clinic_id));
    Json rules = Json::array();
    for (const AlarmRule& r : SessionAlarmRules(*session.protocol, policy.policy)) {
      rules.push_back({{"id", r.id}, {"label", r.label}, {"parameter", VitalParameterName(r.parameter)},
                       {"kind", AlarmLimitKindName(r.kind)}, {"tier", AlarmTierName(r.tier)}, {"limit", r.limit},
                       {"origin", r.origin}, {"unconfirmed", r.unconfirmed}});
    }
    return Json{{"session_id", session.id}, {"vitals", std::move(series)}, {"units", std::move(units)},
                {"baseline", std::move(baseline)}, {"alarms", std::move(alarm_list)}, {"rules", std::move(rules)}};
  });
  if (!result.ok()) {
    return AuditNotFound(context_, actor, "session.monitor.read", "dosing_session", session_id, now, std::move(result));
  }
  KC_RETURN_IF_ERROR(RecordReadAudit(
      context_, actor, CourseAudit("session.monitor.read", "dosing_session", session_id, patient_id), now));
  return result;
}

Result<Json> MonitorAlarmService::OpenAlarms(const Actor& actor) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMonitorRead,
                                       MonitorAudit("monitor.alarms.list", "monitor_alarm", "", std::nullopt)));
  const TimePoint now = context_.clock.Now();
  size_t count = 0;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows candidates, CandidateOpenAlarms(txn, actor.clinic_id, false));
    Json items = Json::array();
    for (const SqlRow& c : candidates) {
      KC_ASSIGN_OR_RETURN(StoredAlarm alarm, LoadAlarm(txn, actor.clinic_id, c.Int(0)));
      if (!alarm.state.open()) continue;
      Json item = AlarmJson(alarm);
      item["chair"] = c.Text(3);
      KC_ASSIGN_OR_RETURN(SqlRows patient, txn.Query("SELECT mrn, document FROM patients WHERE id = ?", {c.Int(2)}));
      const Json document = patient.empty() ? Json() : Json::parse(patient[0].Text(1), nullptr, false);
      item["patient"] = {{"id", c.Int(2)},
                         {"mrn", patient.empty() ? "" : patient[0].Text(0)},
                         {"family_name", document.is_object() ? document.value("family_name", "") : ""},
                         {"given_names", document.is_object() ? document.value("given_names", "") : ""}};
      items.push_back(std::move(item));
    }
    count = items.size();
    return Json{{"items", std::move(items)}};
  });
  if (!result.ok()) return result;
  KC_RETURN_IF_ERROR(RecordReadAudit(
      context_, actor,
      MonitorAudit("monitor.alarms.list", "monitor_alarm", "", std::nullopt, fmt::format("{} open", count)), now));
  return result;
}

Result<Json> MonitorAlarmService::Acknowledge(const Actor& actor, int64_t alarm_id, const Json& body) {
  const AuditEntry attempted =
      MonitorAudit("monitor.alarm.acknowledged", "monitor_alarm", std::to_string(alarm_id), std::nullopt);
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRecord, attempted));
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto note = reader.RequiredString("note", {1, 2000});
  KC_RETURN_IF_ERROR(reader.Finish());
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(StoredAlarm alarm, LoadAlarm(txn, actor.clinic_id, alarm_id));
    if (alarm.state.acknowledged) {
      return Conflict(fmt::format("alarm {} is already acknowledged", alarm_id), "note");
    }
    KC_ASSIGN_OR_RETURN(SqlRows session, txn.Query("SELECT patient_id FROM dosing_sessions WHERE id = ?",
                                                   {alarm.session_id}));
    const AlarmEventRow& last = alarm.events.back();
    KC_RETURN_IF_ERROR(AppendAlarmEvent(txn, actor, session.at(0).Int(0), alarm,
                                        {AlarmEventKind::kAcknowledged, alarm.state.shown_tier, alarm.state.rule_id,
                                         last.rule_label, std::nullopt, std::nullopt, *note, std::nullopt},
                                        now));
    return AlarmJson(alarm);
  });
  if (!result.ok()) {
    return AuditNotFound(context_, actor, "monitor.alarm.acknowledged", "monitor_alarm", alarm_id, now,
                         std::move(result));
  }
  NotifyChange(context_.changes, actor.clinic_id, "monitor");
  return result;
}

Result<Json> MonitorAlarmService::GetPolicy(const Actor& actor) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMonitorRead,
                                       MonitorAudit("monitor.alarm_policy.read", "monitor_alarm_policy", "",
                                                    std::nullopt)));
  return context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(StoredAlarmPolicy stored, LoadAlarmPolicy(txn, actor.clinic_id));
    KC_ASSIGN_OR_RETURN(std::vector<ClinicProtocol> protocols, ActiveProtocols(txn, actor.clinic_id));
    Json protocol_limits = Json::array();
    for (const ClinicProtocol& p : protocols) {
      Json thresholds = Json::array();
      for (const ProtocolQuantity& q : p.protocol->alarm_thresholds) {
        thresholds.push_back({{"id", q.id}, {"label", q.label}, {"value", q.value ? Json(*q.value) : Json(nullptr)},
                              {"unit", q.unit}, {"unconfirmed", q.unconfirmed}, {"source", q.source}});
      }
      protocol_limits.push_back({{"protocol_id", p.protocol->id},
                                 {"version", p.protocol->version},
                                 {"title", p.protocol->title},
                                 {"thresholds", std::move(thresholds)}});
    }
    Json out = {{"version", stored.version},
                {"origin", stored.version == 0 ? "default" : "clinic"},
                {"policy", AlarmPolicyJson(stored.policy)},
                {"protocol_thresholds", std::move(protocol_limits)}};
    if (stored.version > 0) {
      out["saved_at"] = stored.saved_at;
      out["saved_by"] = stored.saved_by;
    }
    return out;
  });
}

Result<Json> MonitorAlarmService::SavePolicy(const Actor& actor, const Json& body) {
  const AuditEntry attempted = MonitorAudit("monitor.alarm_policy.save", "monitor_alarm_policy", "", std::nullopt);
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kProtocolAdmin, attempted));
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto version = reader.RequiredInteger("version", 1, 1'000'000);
  const Json* document = reader.OptionalObject("policy");
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!document) return InvalidInput("policy", "is required");
  auto policy = ReadAlarmPolicy(*document);
  if (!policy.ok()) {
    Error e = policy.error();
    e.field = e.field.empty() ? "policy" : "policy." + e.field;
    return e;
  }
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(StoredAlarmPolicy current, LoadAlarmPolicy(txn, actor.clinic_id));
    if (*version != current.version + 1) {
      return Conflict(fmt::format("the next alarm policy version is {}; someone may have saved one meanwhile",
                                  current.version + 1),
                      "version");
    }
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO monitor_alarm_policies (clinic_id, version, document, saved_at, "
                                   "saved_by) VALUES (?, ?, ?, ?, ?)",
                                   {actor.clinic_id, *version, AlarmPolicyJson(policy.value()).dump(),
                                    FormatTimestamp(now), actor.user_id}));
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        MonitorAudit("monitor.alarm_policy.save", "monitor_alarm_policy", std::to_string(*version), std::nullopt,
                     fmt::format("{} rule(s), escalation after {} s", policy.value().rules.size(),
                                 policy.value().escalation_seconds)),
        now));
    return Json{{"version", *version}, {"origin", "clinic"}, {"policy", AlarmPolicyJson(policy.value())},
                {"saved_at", FormatTimestamp(now)}, {"saved_by", actor.username}};
  });
  return result;
}

Result<int> MonitorAlarmService::EscalateDueAlarms() {
  const TimePoint now = context_.clock.Now();
  const int64_t now_ms = now.time_since_epoch().count();
  // A read-only look first: most ticks find nothing due and take no write lock.
  auto any_due = context_.database.Run<bool>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<bool> {
    KC_ASSIGN_OR_RETURN(SqlRows candidates, CandidateOpenAlarms(txn, std::nullopt, true));
    std::map<int64_t, StoredAlarmPolicy> policies;
    for (const SqlRow& c : candidates) {
      const int64_t clinic_id = c.Int(1);
      if (!policies.count(clinic_id)) {
        KC_ASSIGN_OR_RETURN(policies[clinic_id], LoadAlarmPolicy(txn, clinic_id));
      }
      KC_ASSIGN_OR_RETURN(StoredAlarm alarm, LoadAlarm(txn, clinic_id, c.Int(0)));
      if (EscalationDue(alarm.state, now_ms, policies[clinic_id].policy.escalation_seconds)) return true;
    }
    return false;
  });
  if (!any_due.ok()) return any_due.error();
  if (!any_due.value()) return 0;
  std::set<int64_t> clinics_changed;
  auto result = context_.database.Run<int>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<int> {
    clinics_changed.clear();
    KC_ASSIGN_OR_RETURN(SqlRows candidates, CandidateOpenAlarms(txn, std::nullopt, true));
    std::map<int64_t, StoredAlarmPolicy> policies;
    int escalated = 0;
    for (const SqlRow& c : candidates) {
      const int64_t clinic_id = c.Int(1);
      if (!policies.count(clinic_id)) {
        KC_ASSIGN_OR_RETURN(policies[clinic_id], LoadAlarmPolicy(txn, clinic_id));
      }
      KC_ASSIGN_OR_RETURN(StoredAlarm alarm, LoadAlarm(txn, clinic_id, c.Int(0)));
      const auto due = EscalationDue(alarm.state, now_ms, policies[clinic_id].policy.escalation_seconds);
      if (!due) continue;
      Actor system;
      system.username = "system:alarm-escalation";
      system.clinic_id = clinic_id;
      system.client_address = "server";
      const AlarmEventRow& last = alarm.events.back();
      KC_RETURN_IF_ERROR(AppendAlarmEvent(txn, system, c.Int(2), alarm,
                                          {AlarmEventKind::kEscalated, *due, alarm.state.rule_id, last.rule_label,
                                           std::nullopt, std::nullopt,
                                           fmt::format("not acknowledged within {} s",
                                                       policies[clinic_id].policy.escalation_seconds),
                                           std::nullopt},
                                          now));
      clinics_changed.insert(clinic_id);
      ++escalated;
    }
    return escalated;
  });
  if (result.ok()) {
    for (int64_t clinic : clinics_changed) NotifyChange(context_.changes, clinic, "monitor");
  }
  return result;
}

}  // namespace ketachart
