// Group-committed read audit events (see read_audit_log.h).
#include "services/read_audit_log.h"

#include <spdlog/spdlog.h>

#include <vector>

namespace ketachart {

ReadAuditLog::ReadAuditLog(Database& database, std::chrono::microseconds gather)
    : database_(database), gather_(gather), committer_([this] { CommitLoop(); }) {}

ReadAuditLog::~ReadAuditLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  submitted_.notify_one();
  committer_.join();
}

void ReadAuditLog::Submit(const Actor& actor, const AuditEntry& entry, TimePoint now, Committed committed) {
  {
    std::lock_guard lock(mutex_);
    waiting_.push_back(Pending{actor, entry, now, std::move(committed), std::chrono::steady_clock::now()});
    ++submitted_count_;
  }
  submitted_.notify_one();
}

Status ReadAuditLog::Record(const Actor& actor, const AuditEntry& entry, TimePoint now) {
  std::mutex done_mutex;
  std::condition_variable done_signal;
  bool done = false;
  Status outcome;
  Submit(actor, entry, now, [&](const Status& status) {
    std::lock_guard lock(done_mutex);
    outcome = status;
    done = true;
    done_signal.notify_one();
  });
  std::unique_lock lock(done_mutex);
  done_signal.wait(lock, [&] { return done; });
  return outcome;
}

void ReadAuditLog::CommitLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    submitted_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    if (waiting_.empty()) return;  // stopping, and everything submitted is committed
    if (gather_.count() > 0 && !stopping_) {
      // Others' events join while this one gathers (it may have waited out
      // the previous commit already).
      const auto deadline = waiting_.front().submitted_at + gather_;
      lock.unlock();
      std::this_thread::sleep_until(deadline);
      lock.lock();
    }
    std::deque<Pending> batch;
    batch.swap(waiting_);
    lock.unlock();
    const Status status = CommitBatch(batch);
    for (Pending& pending : batch) {
      try {
        pending.committed(status);
      } catch (const std::exception& e) {
        spdlog::error("a read's audit completion threw: {}", e.what());
      } catch (...) {
        spdlog::error("a read's audit completion threw an unknown exception");
      }
    }
    lock.lock();
    completed_count_ += batch.size();
    completed_.notify_all();
  }
}

void ReadAuditLog::WaitUntilIdle() {
  std::unique_lock lock(mutex_);
  const uint64_t target = submitted_count_;
  completed_.wait(lock, [&] { return completed_count_ >= target; });
}

Status ReadAuditLog::CommitBatch(const std::deque<Pending>& batch) {
  try {
    std::vector<AuditRecord> records;
    records.reserve(batch.size());
    for (const Pending& pending : batch) records.push_back({&pending.actor, &pending.entry, pending.now});
    return database_.Run(TransactionMode::kReadWrite,
                         [&](Transaction& txn) { return AppendAuditEvents(txn, records); });
  } catch (const std::exception& e) {
    // Never leave the readers waiting for a commit that will not come.
    return Internal(std::string("audit group commit failed: ") + e.what());
  } catch (...) {
    return Internal("audit group commit failed with an unknown exception");
  }
}

Status RecordReadAudit(ServiceContext& context, const Actor& actor, const AuditEntry& entry, TimePoint now) {
  if (context.read_audit) return context.read_audit->Record(actor, entry, now);
  return RecordAuditEventAlone(context.database, actor, entry, now);
}

}  // namespace ketachart
