// Where a monitor's vitals go: the chair a device is bound to (its latest
// binding) and the dosing session active on that chair (checked in within the
// last day, neither discharged nor cancelled). Used at ingest, where an
// observation with an active session is taken by it and every other one waits
// in the unassigned queue, and by the chair board; the monitor services' audit
// entry shape. Internal to services/.
#pragma once

#include <optional>
#include <string>

#include "base/clock.h"
#include "base/result.h"
#include "services/audit_trail.h"
#include "store/database.h"

namespace ketachart {

struct ChairRef {
  int64_t id = 0;
  std::string name;
  std::string room;
};

// The chair `device_id` is bound to now; nullopt when unbound or never bound.
Result<std::optional<ChairRef>> DeviceChair(Transaction& txn, int64_t clinic_id, const std::string& device_id);

// The session active on the chair named `chair_name` at `now`; nullopt when none.
Result<std::optional<int64_t>> ActiveSessionOnChair(Transaction& txn, int64_t clinic_id, const std::string& chair_name,
                                                    TimePoint now);

// The audit entry of a monitor use case (ids as text: device ids are not numbers).
AuditEntry MonitorAudit(std::string action, std::string type, std::string id, std::optional<int64_t> patient_id,
                        std::string detail = {});

// Whether the session is active (not discharged or cancelled).
Result<bool> SessionIsActive(Transaction& txn, int64_t session_id);

}  // namespace ketachart
