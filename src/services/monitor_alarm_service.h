// What staff see and do with live monitoring: the chair board (every chair,
// its monitor, the active session's phase, latest vitals, 30-minute trends
// and open alarms), a session's full monitor record (vitals, baseline,
// alarms with their history), the clinic's open alarms, acknowledging an
// alarm with a note, the clinic's alarm policy (versioned; the shipped
// default until a clinic saves its own), and escalating alarms nobody has
// acknowledged in time (run by the server every few seconds). Permission is
// checked here; reads and changes are audited. Thread-safe.
#pragma once

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

class MonitorAlarmService {
 public:
  explicit MonitorAlarmService(ServiceContext& context) : context_(context) {}

  Result<Json> Board(const Actor& actor);                               // monitor.read
  Result<Json> SessionMonitor(const Actor& actor, int64_t session_id);  // session.read
  Result<Json> OpenAlarms(const Actor& actor);                          // monitor.read
  // Body {"note"}: what was done. session.record.
  Result<Json> Acknowledge(const Actor& actor, int64_t alarm_id, const Json& body);
  Result<Json> GetPolicy(const Actor& actor);  // monitor.read
  // Body {"version": the next number, "policy": {...}}. protocol.admin.
  Result<Json> SavePolicy(const Actor& actor, const Json& body);

  // Appends an "escalated" event to every alarm due (all clinics); returns
  // how many. Runs as the system, not a user.
  Result<int> EscalateDueAlarms();

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
