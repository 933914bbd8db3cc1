// Audit events for reads, committed in groups. A chart read must not reach
// the user before its audit event is durable, but giving every read its own
// write transaction (and fsync) made reads queue behind one another. Here a
// read's data is loaded in a read-only transaction and its event handed to
// this log; one committer thread takes every event waiting, appends them in
// one write transaction with one fsync (group commit), and only then tells
// each caller. Callers either block in Record() or, on the HTTP server's
// event loop, hand Submit() what to do once the event is durable (send the
// chart), so no thread waits for the commit. The committer lets a batch
// gather for `gather` after its first event before committing: an fsync on
// a fast disk takes a few hundred microseconds, so without it batches held
// about 4 events, and every commit also empties the other connections' page
// caches. Thread-safe; one instance per Database; the destructor commits
// what was submitted before it returns.
#pragma once

#include <condition_variable>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "services/audit_trail.h"
#include "services/service_context.h"

namespace ketachart {

class ReadAuditLog {
 public:
  // Called once, on the committer thread, with the commit's outcome: only
  // when it is ok may the caller release what it read.
  using Committed = std::function<void(const Status&)>;

  // 300 us: of 250, 500 and 1,000 us, 250-500 read the most charts per second
  // (20,000 against 15,000-17,000 without, half the bytes written per read);
  // 1,000 us made 32 clients wait on the gathering itself (docs/performance.md).
  static constexpr std::chrono::microseconds kDefaultGather{300};

  explicit ReadAuditLog(Database& database, std::chrono::microseconds gather = kDefaultGather);
  ~ReadAuditLog();
  ReadAuditLog(const ReadAuditLog&) = delete;
  ReadAuditLog& operator=(const ReadAuditLog&) = delete;

  // Returns once the event is committed (or the batch failed, then the
  // caller must not return the data it read).
  Status Record(const Actor& actor, const AuditEntry& entry, TimePoint now);

  // Queues the event (copied) and returns at once; `committed` runs after
  // the commit that holds it, or with an error when that commit failed.
  void Submit(const Actor& actor, const AuditEntry& entry, TimePoint now, Committed committed);

  // Returns once every event submitted before the call is committed (or
  // failed) and its completion has run: the server calls it before it goes,
  // so no completion answers a connection that is gone.
  void WaitUntilIdle();

 private:
  struct Pending {
    Actor actor;
    AuditEntry entry;
    TimePoint now;
    Committed committed;
    std::chrono::steady_clock::time_point submitted_at;
  };

  void CommitLoop();
  Status CommitBatch(const std::deque<Pending>& batch);

  Database& database_;
  const std::chrono::microseconds gather_;
  std::mutex mutex_;
  std::condition_variable submitted_;
  std::deque<Pending> waiting_;
  uint64_t submitted_count_ = 0;
  uint64_t completed_count_ = 0;  // completions run
  std::condition_variable completed_;
  bool stopping_ = false;
  std::thread committer_;  // last: starts after the members it uses
};

// Records a read's audit event through context.read_audit when set, otherwise
// in a transaction of its own; either way durable before it returns.
Status RecordReadAudit(ServiceContext& context, const Actor& actor, const AuditEntry& entry, TimePoint now);

}  // namespace ketachart
