// Vitals from bedside monitors (see monitor_service.h).
#include "services/monitor_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "services/audit_trail.h"
#include "services/change_feed.h"
#include "services/guard.h"
#include "services/monitor_alarm_records.h"
#include "services/monitor_chairs.h"

namespace ketachart {

namespace {

// Writes one report inside `txn`; `batch_control_ids` are the MSH-10s stored
// earlier in the same transaction (a resend within one group commit).
Result<MonitorStoreOutcome> WriteReport(Transaction& txn, ServiceContext& context, int64_t clinic_id,
                                        const hl7v2::MonitorReport& report, const std::string& peer,
                                        const std::string& now, std::vector<std::string>& batch_control_ids) {
  MonitorStoreOutcome outcome;
  if (std::find(batch_control_ids.begin(), batch_control_ids.end(), report.header.control_id) !=
      batch_control_ids.end()) {
    outcome.duplicate = true;
    return outcome;
  }
  KC_ASSIGN_OR_RETURN(SqlRows existing, txn.Query("SELECT id FROM monitor_messages WHERE clinic_id = ? AND control_id = ?",
                                                  {clinic_id, report.header.control_id}));
  if (!existing.empty()) {
    outcome.duplicate = true;
    outcome.message_id = existing[0].Int(0);
    return outcome;
  }
  KC_ASSIGN_OR_RETURN(
      SqlRows inserted,
      txn.Query("INSERT INTO monitor_messages (clinic_id, control_id, sending_application, peer, received_at, "
                "observation_count) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                {clinic_id, report.header.control_id, report.header.sending_application, peer, now,
                 static_cast<int64_t>(report.observations.size())}));
  outcome.message_id = inserted.at(0).Int(0);
  batch_control_ids.push_back(report.header.control_id);
  std::vector<std::string> devices;
  std::vector<int64_t> observation_ids;
  for (const auto& o : report.observations) {
    if (std::find(devices.begin(), devices.end(), o.device_id) == devices.end()) devices.push_back(o.device_id);
    KC_ASSIGN_OR_RETURN(
        SqlRows stored,
        txn.Query("INSERT INTO monitor_observations (clinic_id, message_id, device_id, containment_id, code, "
                  "code_system, code_name, loinc, state, value, value_text, unit, unit_as_sent, result_status, "
                  "observed_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {clinic_id, outcome.message_id, o.device_id, o.containment_id, o.observation_code, o.coding_system,
                   o.observation_name, o.loinc.empty() ? SqlNull() : SqlValue(o.loinc),
                   std::string(hl7v2::ObservationStateName(o.state)),
                   o.value ? SqlValue(o.value->ToString()) : SqlNull(), o.value_text,
                   o.unit_ucum.empty() ? SqlNull() : SqlValue(o.unit_ucum), o.unit_as_sent, o.result_status,
                   FormatTimestamp(o.observed_at), now}));
    observation_ids.push_back(stored.at(0).Int(0));
    ++outcome.observations_stored;
  }
  for (const std::string& device : devices) {
    KC_RETURN_IF_ERROR(txn.Execute(
        "INSERT INTO monitor_devices (clinic_id, device_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (clinic_id, device_id) DO UPDATE SET last_seen_at = excluded.last_seen_at",
        {clinic_id, device, now, now}));
  }
  // Each device's vitals go to the session active on its chair, or wait.
  const TimePoint now_point = context.clock.Now();
  std::map<std::string, std::optional<int64_t>> session_of_device;
  for (const std::string& device : devices) {
    KC_ASSIGN_OR_RETURN(std::optional<ChairRef> chair, DeviceChair(txn, clinic_id, device));
    std::optional<int64_t> session_id;
    if (chair) {
      KC_ASSIGN_OR_RETURN(session_id, ActiveSessionOnChair(txn, clinic_id, chair->name, now_point));
    }
    session_of_device[device] = session_id;
  }
  std::map<int64_t, std::set<VitalParameter>> measured_by_session;
  for (size_t i = 0; i < report.observations.size(); ++i) {
    const auto& o = report.observations[i];
    const std::optional<int64_t>& session_id = session_of_device[o.device_id];
    if (session_id) {
      KC_RETURN_IF_ERROR(txn.Execute(
          "INSERT INTO monitor_observation_dispositions (observation_id, clinic_id, disposition, session_id, "
          "decided_at) VALUES (?, ?, 'session', ?, ?)",
          {observation_ids[i], clinic_id, *session_id, now}));
      ++outcome.observations_to_sessions;
      auto& measured = measured_by_session[*session_id];
      if (o.state == hl7v2::ObservationState::kMeasured && o.value) {
        if (auto parameter = VitalParameterFromLoinc(o.loinc)) measured.insert(*parameter);
      }
    } else {
      KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO monitor_unassigned_queue (observation_id, clinic_id) VALUES (?, ?)",
                                     {observation_ids[i], clinic_id}));
    }
  }
  Actor monitor;
  monitor.username = "mllp:" + report.header.sending_application.substr(0, 100);
  monitor.clinic_id = clinic_id;
  monitor.client_address = peer;
  KC_RETURN_IF_ERROR(AppendAuditEvent(
      txn, monitor,
      {"monitor.message.receive", "monitor_message", std::to_string(outcome.message_id), std::nullopt,
       AuditOutcome::kSuccess,
       fmt::format("{} observations from {} device(s), {} to sessions", outcome.observations_stored, devices.size(),
                   outcome.observations_to_sessions)},
      now_point));
  if (!measured_by_session.empty()) {
    KC_ASSIGN_OR_RETURN(StoredAlarmPolicy policy, LoadAlarmPolicy(txn, clinic_id));
    for (const auto& [session_id, parameters] : measured_by_session) {
      if (parameters.empty()) continue;
      KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, clinic_id, session_id));
      KC_ASSIGN_OR_RETURN(int alarm_events,
                          EvaluateSessionAlarms(txn, monitor, session, policy.policy, parameters, now_point));
      outcome.alarm_events += alarm_events;
    }
  }
  return outcome;
}

}  // namespace

Result<MonitorStoreOutcome> StoreMonitorReport(ServiceContext& context, int64_t clinic_id,
                                               const hl7v2::MonitorReport& report, const std::string& peer) {
  const std::string now = FormatTimestamp(context.clock.Now());
  auto stored = context.database.Run<MonitorStoreOutcome>(
      TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<MonitorStoreOutcome> {
        std::vector<std::string> batch;
        return WriteReport(txn, context, clinic_id, report, peer, now, batch);
      });
  // Two writers raced with the same MSH-10: the loser's insert hit the unique
  // key, so the message is stored once; acknowledge it as a resend.
  if (!stored.ok() && stored.error().code == ErrorCode::kConflict) {
    MonitorStoreOutcome outcome;
    outcome.duplicate = true;
    return outcome;
  }
  if (stored.ok() && !stored.value().duplicate) NotifyChange(context.changes, clinic_id, "monitor");
  return stored;
}

Result<MonitorStoreOutcome> MonitorStoreGroup::Store(const hl7v2::MonitorReport& report, const std::string& peer) {
  Pending mine{&report, &peer};
  std::unique_lock lock(mutex_);
  waiting_.push_back(&mine);
  while (!mine.done) {
    if (committing_) {
      committed_.wait(lock);
      continue;
    }
    // Nobody is committing: this thread commits everything waiting, its own included.
    committing_ = true;
    std::vector<Pending*> batch(waiting_.begin(), waiting_.end());
    waiting_.clear();
    lock.unlock();
    std::vector<Result<MonitorStoreOutcome>> results;
    Status status;
    try {
      const std::string now = FormatTimestamp(context_.clock.Now());
      status = context_.database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
        results.clear();  // the work may run again after a transient failure
        std::vector<std::string> control_ids;
        for (Pending* pending : batch) {
          auto written = WriteReport(txn, context_, clinic_id_, *pending->report, *pending->peer, now, control_ids);
          if (!written.ok()) return written.error();
          results.push_back(std::move(written));
        }
        return Status::Ok();
      });
      if (!status.ok() && status.error().code == ErrorCode::kConflict) {
        // Another server stored one of these MSH-10s meanwhile: store one by one.
        results.clear();
        for (Pending* pending : batch) {
          results.push_back(StoreMonitorReport(context_, clinic_id_, *pending->report, *pending->peer));
        }
        status = Status::Ok();
      }
    } catch (const std::exception& e) {
      // Never leave the other connections waiting for a commit that will not come.
      status = Internal(std::string("monitor group commit failed: ") + e.what());
    }
    if (status.ok()) NotifyChange(context_.changes, clinic_id_, "monitor");
    lock.lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->result.emplace(status.ok() ? std::move(results[i]) : Result<MonitorStoreOutcome>(status.error()));
      batch[i]->done = true;
    }
    committing_ = false;
    committed_.notify_all();
  }
  return std::move(*mine.result);
}

Result<int64_t> ResolveMonitorClinic(Database& database, const std::string& code) {
  auto rows = database.Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
    return code.empty() ? txn.Query("SELECT id FROM clinics ORDER BY id LIMIT 2")
                        : txn.Query("SELECT id FROM clinics WHERE code = ?", {code});
  });
  if (!rows.ok()) return rows.error();
  if (!code.empty() && rows.value().empty()) return InvalidInput("--mllp-clinic", "no clinic has the code '" + code + "'");
  if (rows.value().size() != 1) {
    return InvalidInput("--mllp-clinic", rows.value().empty()
                                             ? "there is no clinic yet (run ketachart init)"
                                             : "there are several clinics: name the one the monitors belong to");
  }
  return rows.value()[0].Int(0);
}

Result<QueuedObservationPage> ListUnassignedObservations(ServiceContext& context, const Actor& actor,
                                                         std::optional<int64_t> after_id, int limit) {
  KC_RETURN_IF_ERROR(RequirePermission(context, actor, Permission::kMonitorRead,
                                       {"monitor.unassigned.list", "monitor_observation", "", std::nullopt}));
  if (limit < 1 || limit > kMaxMonitorPageSize) {
    return InvalidInput("limit", fmt::format("must be between 1 and {}", kMaxMonitorPageSize));
  }
  return context.database.Run<QueuedObservationPage>(
      TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<QueuedObservationPage> {
        KC_ASSIGN_OR_RETURN(
            SqlRows rows,
            txn.Query("SELECT o.id, o.device_id, o.code, o.code_system, o.code_name, o.loinc, o.state, o.value, "
                      "o.value_text, o.unit, o.unit_as_sent, o.observed_at, o.received_at FROM "
                      "monitor_unassigned_queue q JOIN monitor_observations o ON o.id = q.observation_id "
                      "WHERE q.clinic_id = ? AND q.observation_id > ? ORDER BY q.observation_id LIMIT ?",
                      {actor.clinic_id, after_id.value_or(0), int64_t{limit} + 1}));
        QueuedObservationPage page;
        for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(limit); ++i) {
          const SqlRow& r = rows[i];
          page.items.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.OptionalText(5), r.Text(6),
                                r.OptionalText(7), r.Text(8), r.OptionalText(9), r.Text(10), r.Text(11), r.Text(12)});
        }
        if (rows.size() > static_cast<size_t>(limit)) page.next_after_id = page.items.back().id;
        return page;
      });
}

}  // namespace ketachart
