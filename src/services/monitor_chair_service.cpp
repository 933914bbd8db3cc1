// Bedside monitors at the chairs (see monitor_chair_service.h).
#include "services/monitor_chair_service.h"

#include <fmt/format.h>

#include <set>

#include "services/audit_trail.h"
#include "services/change_feed.h"
#include "services/course_records.h"
#include "services/guard.h"
#include "services/monitor_alarm_records.h"
#include "services/monitor_chairs.h"

namespace ketachart {

namespace {

Json DeviceJson(const SqlRow& r) {
  Json device = {{"device_id", r.Text(0)}, {"first_seen_at", r.Text(1)}, {"last_seen_at", r.Text(2)},
                 {"chair", nullptr}};
  if (!r.IsNull(3)) device["chair"] = {{"id", r.Int(3)}, {"name", r.Text(4)}, {"room", r.Text(5)}};
  if (!r.IsNull(6)) {
    device["bound_at"] = r.Text(6);
    device["bound_by"] = r.Text(7);
  }
  return device;
}

constexpr const char* kDeviceQuery =
    "SELECT d.device_id, d.first_seen_at, d.last_seen_at, c.id, c.name, c.room, b.bound_at, u.username FROM "
    "monitor_devices d LEFT JOIN monitor_device_bindings b ON b.id = (SELECT MAX(b2.id) FROM monitor_device_bindings "
    "b2 WHERE b2.clinic_id = d.clinic_id AND b2.device_id = d.device_id) LEFT JOIN chairs c ON c.id = b.chair_id "
    "LEFT JOIN users u ON u.id = b.bound_by WHERE d.clinic_id = ? ";

// The observation ids of a body: 1..500 distinct positive integers.
Result<std::vector<int64_t>> ReadObservationIds(JsonObjectReader& reader) {
  const Json* ids = reader.OptionalArray("observation_ids", kMaxObservationsPerDisposition);
  if (!ids || ids->empty()) return InvalidInput("observation_ids", "name at least one observation");
  std::vector<int64_t> out;
  std::set<int64_t> seen;
  for (size_t i = 0; i < ids->size(); ++i) {
    const Json& v = (*ids)[i];
    const std::string field = fmt::format("observation_ids[{}]", i);
    if (!v.is_number_integer() || v.get<int64_t>() < 1) return InvalidInput(field, "must be a positive integer id");
    if (!seen.insert(v.get<int64_t>()).second) return InvalidInput(field, "is listed twice");
    out.push_back(v.get<int64_t>());
  }
  return out;
}

// Refuses (naming the position) any id not waiting in the clinic's queue.
Status RequireQueued(Transaction& txn, int64_t clinic_id, const std::vector<int64_t>& ids) {
  for (size_t i = 0; i < ids.size(); ++i) {
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query("SELECT 1 FROM monitor_unassigned_queue WHERE observation_id = ? AND clinic_id = ?",
                                  {ids[i], clinic_id}));
    if (rows.empty()) {
      return Conflict(fmt::format("observation {} is not waiting in the unassigned queue (already assigned or "
                                  "discarded, or not in this clinic)",
                                  ids[i]),
                      fmt::format("observation_ids[{}]", i));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Json> MonitorChairService::ListDevices(const Actor& actor) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMonitorRead,
                                       MonitorAudit("monitor.devices.list", "monitor_device", "", std::nullopt)));
  return context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(std::string(kDeviceQuery) + "ORDER BY d.device_id", {actor.clinic_id}));
    Json items = Json::array();
    for (const SqlRow& r : rows) items.push_back(DeviceJson(r));
    return Json{{"items", std::move(items)}};
  });
}

Result<Json> MonitorChairService::BindDevice(const Actor& actor, const std::string& device_id, const Json& body) {
  const AuditEntry attempted = MonitorAudit("monitor.device.bind", "monitor_device", device_id, std::nullopt);
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kMonitorSetup, attempted));
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  if (!body.contains("chair_id")) return InvalidInput("chair_id", "is required (a chair id, or null to unbind)");
  const Json& chair = body["chair_id"];
  if (!chair.is_null() && (!chair.is_number_integer() || chair.get<int64_t>() < 1)) {
    return InvalidInput("chair_id", "must be a chair id or null");
  }
  for (const auto& [key, _] : body.items()) {
    if (key != "chair_id") return InvalidInput(key, "is not a field of a device binding");
  }
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows device, txn.Query("SELECT 1 FROM monitor_devices WHERE clinic_id = ? AND device_id = ?",
                                                  {actor.clinic_id, device_id}));
    if (device.empty()) return NotFound("no monitor with this device id has sent vitals to this clinic");
    std::optional<int64_t> chair_id;
    if (!chair.is_null()) {
      chair_id = chair.get<int64_t>();
      KC_ASSIGN_OR_RETURN(SqlRows found, txn.Query("SELECT 1 FROM chairs WHERE id = ? AND clinic_id = ?",
                                                   {*chair_id, actor.clinic_id}));
      if (found.empty()) return InvalidInput("chair_id", "no such chair in this clinic");
    }
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO monitor_device_bindings (clinic_id, device_id, chair_id, bound_at, "
                                   "bound_by) VALUES (?, ?, ?, ?, ?)",
                                   {actor.clinic_id, device_id, SqlOptional(chair_id), FormatTimestamp(now),
                                    actor.user_id}));
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        MonitorAudit("monitor.device.bind", "monitor_device", device_id, std::nullopt,
                     chair_id ? fmt::format("to chair {}", *chair_id) : std::string("unbound")),
        now));
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(std::string(kDeviceQuery) + "AND d.device_id = ?",
                                                {actor.clinic_id, device_id}));
    return DeviceJson(rows.at(0));
  });
  if (result.ok()) NotifyChange(context_.changes, actor.clinic_id, "monitor");
  return result;
}

Result<Json> MonitorChairService::Assign(const Actor& actor, const Json& body) {
  const AuditEntry attempted = MonitorAudit("monitor.observations.assign", "monitor_observation", "", std::nullopt);
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRecord, attempted));
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto ids = ReadObservationIds(reader);
  auto session_id = reader.RequiredInteger("session_id", 1, INT64_MAX);
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!ids.ok()) return ids.error();
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    auto loaded = LoadSession(txn, actor.clinic_id, *session_id);
    if (!loaded.ok()) return InvalidInput("session_id", "no such dosing session in this clinic");
    LoadedSession& session = loaded.value();
    KC_RETURN_IF_ERROR(RequireQueued(txn, actor.clinic_id, ids.value()));
    std::set<VitalParameter> measured;
    for (int64_t id : ids.value()) {
      KC_RETURN_IF_ERROR(txn.Execute("DELETE FROM monitor_unassigned_queue WHERE observation_id = ?", {id}));
      KC_RETURN_IF_ERROR(txn.Execute(
          "INSERT INTO monitor_observation_dispositions (observation_id, clinic_id, disposition, session_id, "
          "decided_at, decided_by) VALUES (?, ?, 'session', ?, ?, ?)",
          {id, actor.clinic_id, session.id, FormatTimestamp(now), actor.user_id}));
      KC_ASSIGN_OR_RETURN(SqlRows o, txn.Query("SELECT loinc, state FROM monitor_observations WHERE id = ?", {id}));
      if (!o.empty() && o[0].Text(1) == "measured") {
        if (auto parameter = VitalParameterFromLoinc(o[0].Text(0))) measured.insert(*parameter);
      }
    }
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        MonitorAudit("monitor.observations.assign", "dosing_session", std::to_string(session.id), session.patient_id,
                     fmt::format("{} observation(s) from the unassigned queue", ids.value().size())),
        now));
    // Vitals assigned while the session runs count toward its alarms.
    int alarm_events = 0;
    KC_ASSIGN_OR_RETURN(bool active, SessionIsActive(txn, session.id));
    if (active && !measured.empty()) {
      KC_ASSIGN_OR_RETURN(StoredAlarmPolicy policy, LoadAlarmPolicy(txn, actor.clinic_id));
      KC_ASSIGN_OR_RETURN(alarm_events, EvaluateSessionAlarms(txn, actor, session, policy.policy, measured, now));
    }
    return Json{{"assigned", ids.value().size()}, {"session_id", session.id}, {"alarm_events", alarm_events}};
  });
  if (result.ok()) NotifyChange(context_.changes, actor.clinic_id, "monitor");
  return result;
}

Result<Json> MonitorChairService::Discard(const Actor& actor, const Json& body) {
  const AuditEntry attempted = MonitorAudit("monitor.observations.discard", "monitor_observation", "", std::nullopt);
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRecord, attempted));
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto ids = ReadObservationIds(reader);
  auto reason = reader.RequiredString("reason", {1, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!ids.ok()) return ids.error();
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireQueued(txn, actor.clinic_id, ids.value()));
    for (int64_t id : ids.value()) {
      KC_RETURN_IF_ERROR(txn.Execute("DELETE FROM monitor_unassigned_queue WHERE observation_id = ?", {id}));
      KC_RETURN_IF_ERROR(txn.Execute(
          "INSERT INTO monitor_observation_dispositions (observation_id, clinic_id, disposition, reason, decided_at, "
          "decided_by) VALUES (?, ?, 'discarded', ?, ?, ?)",
          {id, actor.clinic_id, *reason, FormatTimestamp(now), actor.user_id}));
    }
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        MonitorAudit("monitor.observations.discard", "monitor_observation",
                     std::to_string(ids.value().front()), std::nullopt,
                     fmt::format("{} observation(s) discarded", ids.value().size())),
        now));
    return Json{{"discarded", ids.value().size()}};
  });
  if (result.ok()) NotifyChange(context_.changes, actor.clinic_id, "monitor");
  return result;
}

}  // namespace ketachart
