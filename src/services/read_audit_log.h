// Audit events for reads, committed in groups. A chart read must not reach
// the user before its audit event is durable, but giving every read its own
// write transaction (and fsync) made reads queue behind one another. Here a
// read's data is loaded in a read-only transaction, then Record() blocks
// until the event is committed; concurrent readers' events share one write
// transaction and one fsync (group commit: whoever finds no commit running
// takes every waiting event and commits them together).
// Thread-safe; one instance per Database.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>

#include "services/audit_trail.h"
#include "services/service_context.h"

namespace ketachart {

class ReadAuditLog {
 public:
  explicit ReadAuditLog(Database& database) : database_(database) {}

  // Returns once the event is committed (or the batch failed, then the
  // caller must not return the data it read).
  Status Record(const Actor& actor, const AuditEntry& entry, TimePoint now);

 private:
  struct Pending {
    const Actor* actor;
    const AuditEntry* entry;
    TimePoint now;
    bool done = false;
    Status status;
  };

  Database& database_;
  std::mutex mutex_;
  std::condition_variable committed_;
  std::deque<Pending*> waiting_;
  bool committing_ = false;
};

// Records a read's audit event through context.read_audit when set, otherwise
// in a transaction of its own; either way durable before it returns.
Status RecordReadAudit(ServiceContext& context, const Actor& actor, const AuditEntry& entry, TimePoint now);

}  // namespace ketachart
