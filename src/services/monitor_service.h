// Vitals from bedside monitors: storing what an MLLP connection received
// (one PCD-01 report per transaction, idempotent on MSH-10 per clinic, with
// its audit event). In the same transaction each observation goes to the
// dosing session active on its device's chair (services/monitor_chairs.h),
// whose alarms are then evaluated (services/monitor_alarm_records.h), or into
// the unassigned queue, which staff assign or discard
// (services/monitor_chair_service.h). Live views are told after the commit.
// Thread-safe through the database.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "interop/hl7v2/pcd01_report.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

struct MonitorStoreOutcome {
  bool duplicate = false;       // MSH-10 was already stored: nothing written
  int64_t message_id = 0;
  size_t observations_stored = 0;
  size_t observations_to_sessions = 0;  // taken by the session active on the device's chair
  int alarm_events = 0;                 // alarms raised, changed or cleared by these vitals
};

// Stores `report` for `clinic_id` in one read-write transaction: the message
// row, the devices it names (first/last seen), every observation, and the
// audit event "monitor.message.receive". Returns once committed (durable).
Result<MonitorStoreOutcome> StoreMonitorReport(ServiceContext& context, int64_t clinic_id,
                                               const hl7v2::MonitorReport& report, const std::string& peer);

// The same, group-committed: concurrent callers' reports share one write
// transaction and one fsync (whoever finds no commit running takes every
// waiting report and commits them together, as ReadAuditLog does), and each
// caller returns once its report is committed. A resend within one batch is
// a duplicate like any other. Thread-safe; one instance per clinic inbox.
class MonitorStoreGroup {
 public:
  MonitorStoreGroup(ServiceContext& context, int64_t clinic_id) : context_(context), clinic_id_(clinic_id) {}

  Result<MonitorStoreOutcome> Store(const hl7v2::MonitorReport& report, const std::string& peer);

 private:
  struct Pending {
    const hl7v2::MonitorReport* report;
    const std::string* peer;
    bool done = false;
    std::optional<Result<MonitorStoreOutcome>> result;
  };

  ServiceContext& context_;
  int64_t clinic_id_;
  std::mutex mutex_;
  std::condition_variable committed_;
  std::deque<Pending*> waiting_;
  bool committing_ = false;
};

// The clinic monitors' messages are stored for: the clinic with `code`, or
// the only clinic when `code` is empty (an error naming --mllp-clinic when
// there are several or none).
Result<int64_t> ResolveMonitorClinic(Database& database, const std::string& code);

struct QueuedObservation {
  int64_t id = 0;
  std::string device_id;
  std::string code;          // MDC reference id (or the code as sent)
  std::string code_system;
  std::string code_name;
  std::optional<std::string> loinc;
  std::string state;         // measured, not_available, no_sensor, cannot_be_obtained, withdrawn
  std::optional<std::string> value;  // exact decimal text, measurements only
  std::string value_text;
  std::optional<std::string> unit;   // UCUM
  std::string unit_as_sent;
  std::string observed_at;
  std::string received_at;
};

struct QueuedObservationPage {
  std::vector<QueuedObservation> items;
  std::optional<int64_t> next_after_id;
};

inline constexpr int kMaxMonitorPageSize = 500;

// Oldest first; `after_id` continues a previous page. Needs monitor.read.
Result<QueuedObservationPage> ListUnassignedObservations(ServiceContext& context, const Actor& actor,
                                                         std::optional<int64_t> after_id, int limit);

}  // namespace ketachart
