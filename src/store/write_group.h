// Group commit for write transactions. Every write in KetaChart appends to
// the audit chain (and ledger writes to the ledger chain), so writers queue
// on the chain head and, on PostgreSQL, each holds it through its commit's
// WAL flush: one durable commit at a time, throughput = 1 / flush latency.
// A WriteGroup lets concurrent writers share one transaction and one flush:
// whoever finds no group running takes every waiting work (up to
// kMaxGroupSize), runs each inside its own SAVEPOINT in one read-write
// transaction and commits once. A work that fails is rolled back to its
// savepoint and gets its own error while the others go on; each caller
// returns only after the commit that holds its work is durable, exactly as
// with Database::Run. A group runs first without savepoints, the works'
// statements sent without waiting (Transaction::ExecuteLater) in one
// pipeline answered at commit: on PostgreSQL a group of warm ledger appends
// costs one round trip, and no subtransactions. If any work fails, nothing of
// that attempt is kept and the group runs again with each work in its own
// savepoint, flushed after it (counted as `replayed`). A transient failure (serialization, deadlock) re-runs
// the whole group, so, as with Run, a work may run more than once and must
// have no side effects outside the transaction, and must not start
// transactions of its own. Thread-safe; one per Database.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "base/result.h"
#include "store/database.h"

namespace ketachart {

class WriteGroup {
 public:
  static constexpr size_t kMaxGroupSize = 64;

  explicit WriteGroup(Database& database) : database_(database) {}

  // Runs `work` in a shared read-write transaction; see the header comment.
  Status Run(const std::function<Status(Transaction&)>& work);

  // For tests and benchmarks: works / groups is the mean group size.
  using Counters = WriteGroupCounters;
  Counters counters() const;

 private:
  struct Pending {
    const std::function<Status(Transaction&)>* work;
    Status status;
    std::exception_ptr thrown;
    bool finished = false;
  };

  void RunGroup(std::deque<Pending*>& group);
  // Every work in one transaction without savepoints, their statements in one
  // pipeline; refuses (for the replay) at the first work that fails.
  Status RunInOnePipeline(Transaction& txn, std::deque<Pending*>& group, std::vector<Status>& outcomes);
  // The replay: each work in its own savepoint, flushed after it.
  Status RunEachInItsSavepoint(Transaction& txn, std::deque<Pending*>& group, std::vector<Status>& outcomes,
                               std::vector<std::exception_ptr>& thrown);

  Database& database_;
  mutable std::mutex mutex_;
  std::condition_variable finished_;
  std::deque<Pending*> waiting_;
  bool running_ = false;
  Counters counters_;
};

}  // namespace ketachart
