// Where a monitor's vitals go (see monitor_chairs.h).
#include "services/monitor_chairs.h"

namespace ketachart {

Result<std::optional<ChairRef>> DeviceChair(Transaction& txn, int64_t clinic_id, const std::string& device_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query("SELECT c.id, c.name, c.room FROM monitor_device_bindings b LEFT JOIN chairs c ON "
                                "c.id = b.chair_id WHERE b.clinic_id = ? AND b.device_id = ? ORDER BY b.id DESC LIMIT 1",
                                {clinic_id, device_id}));
  if (rows.empty() || rows[0].IsNull(0)) return std::optional<ChairRef>();
  return std::optional<ChairRef>(ChairRef{rows[0].Int(0), rows[0].Text(1), rows[0].Text(2)});
}

Result<std::optional<int64_t>> ActiveSessionOnChair(Transaction& txn, int64_t clinic_id, const std::string& chair_name,
                                                    TimePoint now) {
  // A session lasts hours; one checked in more than a day ago and never
  // discharged is a record to close by hand, not a chair's current patient.
  const std::string since = FormatTimestamp(now - std::chrono::hours(24));
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      txn.Query("SELECT s.id FROM dosing_sessions s WHERE s.clinic_id = ? AND s.chair = ? AND s.checked_in_at >= ? "
                "AND NOT EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.id AND e.kind IN "
                "('discharge', 'cancel')) ORDER BY s.id DESC LIMIT 1",
                {clinic_id, chair_name, since}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

AuditEntry MonitorAudit(std::string action, std::string type, std::string id, std::optional<int64_t> patient_id,
                        std::string detail) {
  return AuditEntry{std::move(action), std::move(type), std::move(id), patient_id, AuditOutcome::kSuccess,
                    std::move(detail)};
}

Result<bool> SessionIsActive(Transaction& txn, int64_t session_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT 1 FROM session_events WHERE session_id = ? AND kind IN "
                                              "('discharge', 'cancel') LIMIT 1",
                                              {session_id}));
  return rows.empty();
}

}  // namespace ketachart
