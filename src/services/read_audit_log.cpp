// Group-committed read audit events (see read_audit_log.h).
#include "services/read_audit_log.h"

#include <vector>

namespace ketachart {

Status ReadAuditLog::Record(const Actor& actor, const AuditEntry& entry, TimePoint now) {
  Pending mine{&actor, &entry, now};
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
    Status status;
    try {
      std::vector<AuditRecord> records;
      records.reserve(batch.size());
      for (const Pending* pending : batch) records.push_back({pending->actor, pending->entry, pending->now});
      status = database_.Run(TransactionMode::kReadWrite,
                             [&](Transaction& txn) { return AppendAuditEvents(txn, records); });
    } catch (const std::exception& e) {
      // Never leave the other readers waiting for a commit that will not come.
      status = Internal(std::string("audit group commit failed: ") + e.what());
    } catch (...) {
      status = Internal("audit group commit failed with an unknown exception");
    }
    lock.lock();
    for (Pending* pending : batch) {
      pending->status = status;
      pending->done = true;
    }
    committing_ = false;
    committed_.notify_all();
  }
  return mine.status;
}

Status RecordReadAudit(ServiceContext& context, const Actor& actor, const AuditEntry& entry, TimePoint now) {
  if (context.read_audit) return context.read_audit->Record(actor, entry, now);
  return RecordAuditEventAlone(context.database, actor, entry, now);
}

}  // namespace ketachart
