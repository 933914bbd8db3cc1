// Bedside monitors at the chairs, as staff manage them: the devices that have
// sent vitals and the chair each is bound to (binding is append-only; the
// latest row counts), and the unassigned queue's observations, which staff
// assign to a dosing session or discard with a reason. Every change is
// audited in its own transaction and tells the live views. Thread-safe.
#pragma once

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

class MonitorChairService {
 public:
  explicit MonitorChairService(ServiceContext& context) : context_(context) {}

  // Every device seen, with its chair. Needs monitor.read.
  Result<Json> ListDevices(const Actor& actor);
  // Body {"chair_id": id | null}. Needs monitor.setup.
  Result<Json> BindDevice(const Actor& actor, const std::string& device_id, const Json& body);
  // Body {"observation_ids": [...], "session_id"}; each must be waiting in
  // the queue. Needs session.record.
  Result<Json> Assign(const Actor& actor, const Json& body);
  // Body {"observation_ids": [...], "reason"}. Needs session.record.
  Result<Json> Discard(const Actor& actor, const Json& body);

 private:
  ServiceContext& context_;
};

inline constexpr size_t kMaxObservationsPerDisposition = 500;

}  // namespace ketachart
