// Loading, replaying and appending to a session's timeline (see session_timeline.h).
#include "services/session_timeline.h"

#include <fmt/format.h>

#include "services/audit_trail.h"
#include "services/protocol_store.h"

namespace ketachart {
namespace {

// A protocol quantity in milliseconds ("min" or "h"), or nullopt.
std::optional<int64_t> DurationMs(const Protocol& protocol, const std::string& id) {
  auto find = [&](const std::vector<ProtocolQuantity>& list) -> const ProtocolQuantity* {
    for (const auto& q : list) {
      if (q.id == id && q.value) return &q;
    }
    return nullptr;
  };
  const ProtocolQuantity* q = nullptr;
  for (const auto* list : {&protocol.monitoring_intervals, &protocol.discharge_limits, &protocol.dosing_parameters}) {
    if (!q) q = find(*list);
  }
  if (!q) return std::nullopt;
  if (q->unit == "min") return static_cast<int64_t>(*q->value * 60'000);
  if (q->unit == "h") return static_cast<int64_t>(*q->value * 3'600'000);
  return std::nullopt;
}

std::string FormatMs(int64_t ms) { return FormatTimestamp(TimePoint(std::chrono::milliseconds(ms))); }

// When the next vitals are due in this phase, from the protocol's intervals.
std::optional<int64_t> VitalsDueMs(const LoadedSession& s) {
  const SessionPhase phase = s.progress.phase;
  std::optional<int64_t> interval;
  std::optional<int64_t> since;
  if (phase == SessionPhase::kDosing || phase == SessionPhase::kPaused) {
    interval = DurationMs(*s.protocol, "bp_interval_during");
    since = s.progress.started_ms;
  } else if (phase == SessionPhase::kRecovery) {
    interval = DurationMs(*s.protocol, "bp_interval_after");
    if (!interval) interval = DurationMs(*s.protocol, "bp_recheck_after");
    since = s.progress.stopped_ms;
  }
  if (!interval || !since) return std::nullopt;
  const int64_t last = std::max(*since, s.progress.last_vitals_ms.value_or(*since));
  return last + *interval;
}

std::string NextDue(const LoadedSession& s, std::optional<int64_t> vitals_due, int64_t now_ms) {
  const SessionProgress& p = s.progress;
  switch (p.phase) {
    case SessionPhase::kCheckedIn:
      if (!p.readiness_passed) return "readiness checklist";
      if (!p.dose_ordered) return "dose order";
      return p.devices_ordered > 0 ? "device 1" : "start dosing";
    case SessionPhase::kDosing:
    case SessionPhase::kPaused:
      if (vitals_due && *vitals_due <= now_ms) return "vitals (due now)";
      if (p.devices_given < p.devices_ordered) return "device " + std::to_string(p.devices_given + 1);
      return "vitals";
    case SessionPhase::kRecovery:
      if (vitals_due && *vitals_due <= now_ms) return "vitals (due now)";
      if (!p.vitals_in_recovery) return "vitals";
      if (s.rules.aldrete_min &&
          (!p.last_aldrete_total || *p.last_aldrete_total < *s.rules.aldrete_min)) {
        return "modified Aldrete score";
      }
      return "discharge check";
    case SessionPhase::kReadyForDischarge:
      return "discharge";
    case SessionPhase::kDischarged:
    case SessionPhase::kCancelled:
      return "note";
  }
  return "";
}

Json LatestData(const LoadedSession& s, SessionEventKind kind) {
  for (auto it = s.events.rbegin(); it != s.events.rend(); ++it) {
    if (it->kind == kind) {
      Json data = it->data;
      data["recorded_by"] = it->recorded_by;
      data["occurred_at"] = it->occurred_at;
      return data;
    }
  }
  return nullptr;
}

}  // namespace

int64_t TimestampMs(const std::string& text) {
  const auto parsed = ParseTimestamp(text);
  return parsed ? parsed->time_since_epoch().count() : 0;
}

SessionEventFacts FactsOf(SessionEventKind kind, const Json& data) {
  SessionEventFacts facts;
  if (kind == SessionEventKind::kReadiness) facts.readiness_passed = data.value("passed", false);
  if (kind == SessionEventKind::kScore && data.value("instrument", "") == "aldrete" && data.contains("total") &&
      data["total"].is_number_integer()) {
    facts.aldrete_total = data["total"].get<int>();
  }
  if (kind == SessionEventKind::kDischarge) {
    facts.escort_present = !data.value("escort_name", "").empty();
    facts.instructions_given = data.value("instructions_given", false);
  }
  if (kind == SessionEventKind::kDoseOrder && data.contains("devices") && data["devices"].is_number_integer()) {
    facts.devices_ordered = data["devices"].get<int>();
  }
  facts.reason = data.value("reason", "");
  return facts;
}

Result<LoadedSession> LoadSession(Transaction& txn, int64_t clinic_id, int64_t session_id) {
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      txn.Query("SELECT s.id, s.patient_id, s.course_id, s.protocol_id, s.protocol_version, s.appointment_id, "
                "s.chair, s.checked_in_at, u.username, p.mrn, p.document FROM dosing_sessions s JOIN users u ON "
                "u.id = s.checked_in_by JOIN patients p ON p.id = s.patient_id WHERE s.id = ? AND s.clinic_id = ?",
                {session_id, clinic_id}));
  if (rows.empty()) return NotFound("no such dosing session in this clinic");
  const SqlRow& r = rows[0];
  LoadedSession s;
  s.id = r.Int(0);
  s.patient_id = r.Int(1);
  s.course_id = r.Int(2);
  s.protocol_id = r.Text(3);
  s.protocol_version = r.Int(4);
  s.appointment_id = r.OptionalInt(5);
  s.chair = r.Text(6);
  s.checked_in_at = r.Text(7);
  s.checked_in_by = r.Text(8);
  const Json document = Json::parse(r.Text(10), nullptr, false);
  s.patient = {{"id", s.patient_id},
               {"mrn", r.Text(9)},
               {"family_name", document.is_object() ? document.value("family_name", "") : ""},
               {"given_names", document.is_object() ? document.value("given_names", "") : ""}};
  KC_ASSIGN_OR_RETURN(ClinicProtocol protocol, ProtocolVersion(txn, clinic_id, s.protocol_id, s.protocol_version));
  s.protocol = protocol.protocol;
  if (auto aldrete = ProtocolQuantityValue(*s.protocol, "aldrete_min")) s.rules.aldrete_min = static_cast<int>(*aldrete);
  s.rules.observation_min_ms = DurationMs(*s.protocol, "observation_min_discharge");
  // Esketamine: 5 min between devices (Spravato; jnjmedicalconnect, Medscape: clinical-reference.md A3).
  s.rules.device_rest_ms = DurationMs(*s.protocol, "rest_between_devices");
  KC_ASSIGN_OR_RETURN(SqlRows events,
                      txn.Query("SELECT e.sequence, e.kind, e.occurred_at, e.data, e.recorded_at, u.username FROM "
                                "session_events e JOIN users u ON u.id = e.recorded_by WHERE e.session_id = ? "
                                "ORDER BY e.sequence",
                                {session_id}));
  for (const SqlRow& e : events) {
    SessionEventRow row{e.Int(0), ParseSessionEventKind(e.Text(1)).value_or(SessionEventKind::kVitals), e.Text(2),
                        Json::parse(e.Text(3)), e.Text(4), e.Text(5)};
    ApplySessionEvent(s.progress, row.kind, FactsOf(row.kind, row.data), TimestampMs(row.occurred_at));
    s.events.push_back(std::move(row));
  }
  // A blood pressure from the chair's monitor counts as vitals taken, like one
  // recorded by hand (the protocol's intervals are for blood pressure). The
  // newest monitor observations come first, so this reads a few rows.
  KC_ASSIGN_OR_RETURN(SqlRows monitor_bp,
                      txn.Query("SELECT o.observed_at FROM monitor_observation_dispositions d JOIN monitor_observations "
                                "o ON o.id = d.observation_id WHERE d.session_id = ? AND o.loinc = '8480-6' AND "
                                "o.state = 'measured' ORDER BY d.observation_id DESC LIMIT 1",
                                {session_id}));
  if (!monitor_bp.empty()) {
    const int64_t at_ms = TimestampMs(monitor_bp[0].Text(0));
    s.last_monitor_bp_ms = at_ms;
    if (!s.progress.last_vitals_ms || at_ms > *s.progress.last_vitals_ms) s.progress.last_vitals_ms = at_ms;
    if (s.progress.stopped_ms && at_ms >= *s.progress.stopped_ms) s.progress.vitals_in_recovery = true;
  }
  return s;
}

Status AppendSessionEvent(Transaction& txn, const Actor& actor, LoadedSession& session, SessionEventKind kind,
                          TimePoint occurred_at, Json data, TimePoint now) {
  const int64_t at_ms = occurred_at.time_since_epoch().count();
  const SessionEventFacts facts = FactsOf(kind, data);
  if (kind != SessionEventKind::kCheckIn) {
    if (auto refusal = CheckSessionEvent(session.progress, kind, facts, session.rules, at_ms)) {
      return Conflict(*refusal, "kind");
    }
  }
  const int64_t sequence = session.events.empty() ? 1 : session.events.back().sequence + 1;
  const std::string occurred_text = FormatTimestamp(occurred_at);
  KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO session_events (clinic_id, session_id, sequence, kind, occurred_at, "
                                 "data, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 {actor.clinic_id, session.id, sequence, std::string(SessionEventKindName(kind)),
                                  occurred_text, data.dump(), FormatTimestamp(now), actor.user_id})
                         .status());
  KC_RETURN_IF_ERROR(AppendAuditEvent(
      txn, actor,
      AuditEntry{"session." + std::string(SessionEventKindName(kind)), "dosing_session", std::to_string(session.id),
                 session.patient_id, AuditOutcome::kSuccess, fmt::format("event {}", sequence)},
      now));
  ApplySessionEvent(session.progress, kind, facts, at_ms);
  session.events.push_back({sequence, kind, occurred_text, std::move(data), FormatTimestamp(now), actor.username});
  return Status::Ok();
}

Json SessionSummaryJson(const LoadedSession& s, TimePoint now) {
  const int64_t now_ms = now.time_since_epoch().count();
  const std::optional<int64_t> vitals_due = VitalsDueMs(s);
  return Json{{"id", s.id},
              {"patient", s.patient},
              {"course_id", s.course_id},
              {"protocol", {{"id", s.protocol_id}, {"version", s.protocol_version}, {"title", s.protocol->title}}},
              {"chair", s.chair},
              {"phase", SessionPhaseName(s.progress.phase)},
              {"phase_started_at", FormatMs(s.progress.phase_started_ms)},
              {"phase_minutes", (now_ms - s.progress.phase_started_ms) / 60'000},
              {"checked_in_at", s.checked_in_at},
              {"vitals_due_at", vitals_due ? Json(FormatMs(*vitals_due)) : Json(nullptr)},
              {"vitals_overdue", vitals_due && *vitals_due <= now_ms},
              {"last_monitor_bp_at", s.last_monitor_bp_ms ? Json(FormatMs(*s.last_monitor_bp_ms)) : Json(nullptr)},
              {"next_due", NextDue(s, vitals_due, now_ms)}};
}

Json SessionJson(const LoadedSession& s, TimePoint now) {
  Json out = SessionSummaryJson(s, now);
  const int64_t now_ms = now.time_since_epoch().count();
  out["appointment_id"] = s.appointment_id ? Json(*s.appointment_id) : Json(nullptr);
  out["checked_in_by"] = s.checked_in_by;
  out["started_at"] = s.progress.started_ms ? Json(FormatMs(*s.progress.started_ms)) : Json(nullptr);
  out["stopped_at"] = s.progress.stopped_ms ? Json(FormatMs(*s.progress.stopped_ms)) : Json(nullptr);
  out["readiness"] = LatestData(s, SessionEventKind::kReadiness);
  out["dose_order"] = LatestData(s, SessionEventKind::kDoseOrder);
  Json events = Json::array();
  for (const SessionEventRow& e : s.events) {
    events.push_back({{"sequence", e.sequence},
                      {"kind", SessionEventKindName(e.kind)},
                      {"occurred_at", e.occurred_at},
                      {"data", e.data},
                      {"recorded_at", e.recorded_at},
                      {"recorded_by", e.recorded_by}});
  }
  out["events"] = std::move(events);
  // What is allowed now, with the rule that blocks the rest (for the buttons).
  Json allowed = Json::object();
  const SessionEventFacts full{true, 10, true, true, "reason"};
  for (SessionEventKind kind : {SessionEventKind::kStart, SessionEventKind::kDevice, SessionEventKind::kRateChange,
                                SessionEventKind::kPause,
                                SessionEventKind::kResume, SessionEventKind::kStop,
                                SessionEventKind::kReadyForDischarge, SessionEventKind::kDischarge,
                                SessionEventKind::kCancel}) {
    SessionEventFacts facts = full;
    facts.aldrete_total.reset();
    auto refusal = CheckSessionEvent(s.progress, kind, facts, s.rules, now_ms);
    allowed[std::string(SessionEventKindName(kind))] = refusal ? Json(*refusal) : Json(true);
  }
  out["allowed"] = std::move(allowed);
  // Esketamine: devices given of those ordered and when the next may be given.
  if (s.progress.devices_ordered > 0) {
    const auto next = NextDeviceAllowedMs(s.progress, s.rules);
    Json given = Json::array();
    for (const SessionEventRow& e : s.events) {
      if (e.kind != SessionEventKind::kDevice) continue;
      given.push_back({{"device_number", e.data.value("device_number", 0)},
                       {"occurred_at", e.occurred_at},
                       {"observed_by", e.data.value("observed_by", "")},
                       {"ledger", e.data.contains("ledger") ? e.data["ledger"] : Json(nullptr)}});
    }
    out["devices"] = {
        {"ordered", s.progress.devices_ordered},
        {"given", s.progress.devices_given},
        {"items", std::move(given)},
        {"rest_between_devices_min",
         s.rules.device_rest_ms ? Json(static_cast<double>(*s.rules.device_rest_ms) / 60'000) : Json(nullptr)},
        {"next_allowed_at", next ? Json(FormatMs(*next)) : Json(nullptr)},
        {"seconds_to_next", next ? Json(std::max<int64_t>(0, (*next - now_ms + 999) / 1000)) : Json(nullptr)}};
  } else {
    out["devices"] = nullptr;
  }
  out["discharge_rules"] = {
      {"aldrete_min", s.rules.aldrete_min ? Json(*s.rules.aldrete_min) : Json(nullptr)},
      {"observation_min_minutes",
       s.rules.observation_min_ms ? Json(*s.rules.observation_min_ms / 60'000) : Json(nullptr)}};
  Json after_care = Json::array();
  for (const ProtocolItem& item : s.protocol->after_care) after_care.push_back({{"id", item.id}, {"text", item.text}});
  Json criteria = Json::array();
  for (const ProtocolItem& item : s.protocol->discharge_criteria) criteria.push_back({{"id", item.id}, {"text", item.text}});
  out["discharge_criteria"] = std::move(criteria);
  out["after_care"] = std::move(after_care);
  return out;
}

}  // namespace ketachart
