// Group commit for write transactions (see write_group.h).
#include "store/write_group.h"

#include <vector>

#include "store/transient_error.h"

namespace ketachart {
namespace {

// The thread running a group: a work that asks for another grouped write
// would wait for itself.
thread_local bool running_a_group = false;

}  // namespace

WriteGroup::Counters WriteGroup::counters() const {
  std::lock_guard lock(mutex_);
  Counters now = counters_;
  now.waiting = waiting_.size();
  return now;
}

Status WriteGroup::Run(const std::function<Status(Transaction&)>& work) {
  if (running_a_group) return Internal("a grouped write cannot start another grouped write");
  Pending me{&work, Status::Ok(), nullptr, false};
  std::unique_lock lock(mutex_);
  waiting_.push_back(&me);
  while (!me.finished) {
    if (running_) {
      finished_.wait(lock);
      continue;
    }
    // Lead: take the waiting works in arrival order (this caller's may be
    // beyond the first group; then it leads again or joins a later group).
    running_ = true;
    std::deque<Pending*> group;
    while (!waiting_.empty() && group.size() < kMaxGroupSize) {
      group.push_back(waiting_.front());
      waiting_.pop_front();
    }
    lock.unlock();
    running_a_group = true;
    RunGroup(group);
    running_a_group = false;
    lock.lock();
    for (Pending* pending : group) pending->finished = true;
    ++counters_.groups;
    counters_.works += group.size();
    running_ = false;
    finished_.notify_all();
  }
  lock.unlock();
  if (me.thrown) std::rethrow_exception(me.thrown);
  return me.status;
}

void WriteGroup::RunGroup(std::deque<Pending*>& group) {
  if (group.size() == 1) {
    // Alone: exactly Database::Run, no savepoint.
    Pending& only = *group.front();
    try {
      only.status = database_.Run(TransactionMode::kReadWrite, *only.work);
    } catch (...) {
      only.thrown = std::current_exception();
    }
    return;
  }
  std::vector<Status> outcomes(group.size());
  std::vector<std::exception_ptr> thrown(group.size());
  // First as one pipeline without savepoints: every work's statements sent
  // without waiting, answered at commit. That is only right if every work
  // succeeds; at the first that does not (by its own rule, by throwing, or by
  // a statement failing in the database, which on PostgreSQL may come back
  // only in a later work's query or at commit), nothing of the group is kept
  // and it runs again with each work in its own savepoint, flushed after it,
  // so each failure is charged to its own work and undone alone.
  Status committed = database_.Run(TransactionMode::kReadWrite, [&](Transaction& txn) {
    return RunInOnePipeline(txn, group, outcomes);
  });
  if (!committed.ok() && !IsTransientStoreError(committed.error())) {
    {
      std::lock_guard lock(mutex_);
      ++counters_.replayed;
    }
    committed = database_.Run(TransactionMode::kReadWrite, [&](Transaction& txn) {
      return RunEachInItsSavepoint(txn, group, outcomes, thrown);
    });
  }
  for (size_t i = 0; i < group.size(); ++i) {
    if (!committed.ok()) {
      // Nothing of the group is stored: every caller learns why.
      group[i]->status = committed;
    } else if (thrown[i]) {
      group[i]->thrown = thrown[i];
    } else {
      group[i]->status = std::move(outcomes[i]);
    }
  }
}

Status WriteGroup::RunInOnePipeline(Transaction& txn, std::deque<Pending*>& group, std::vector<Status>& outcomes) {
  const Status replay = Internal("a grouped work failed; the group runs again, each work in its savepoint");
  for (size_t i = 0; i < group.size(); ++i) {
    Status outcome;
    try {
      outcome = (*group[i]->work)(txn);
    } catch (...) {
      return replay;  // the replay runs it again and hands its caller the exception
    }
    if (!outcome.ok() && IsTransientStoreError(outcome.error())) return outcome;
    // failed(): a statement failed, perhaps one an earlier work sent.
    if (!outcome.ok() || txn.failed()) return replay;
    outcomes[i] = Status::Ok();
  }
  return Status::Ok();
}

Status WriteGroup::RunEachInItsSavepoint(Transaction& txn, std::deque<Pending*>& group, std::vector<Status>& outcomes,
                                         std::vector<std::exception_ptr>& thrown) {
  // A retry starts the whole group again from a fresh transaction. One
  // savepoint, moved forward after each work that succeeds (RELEASE then a
  // new SAVEPOINT); a failed work rolls back to it, which leaves it in place
  // for the next. COMMIT releases the last. The savepoint statements travel
  // with the work's own (ExecuteUtilityLater): one round trip per work for
  // its appends and the move.
  KC_RETURN_IF_ERROR(txn.ExecuteUtilityLater("SAVEPOINT kc_grouped_work"));
  for (size_t i = 0; i < group.size(); ++i) {
    outcomes[i] = Status::Ok();
    thrown[i] = nullptr;
    const bool last = i + 1 == group.size();
    const HeldHeads heads_before = txn.held_heads();
    const size_t publishers_before = txn.after_commit().size();
    Status outcome;
    try {
      outcome = (*group[i]->work)(txn);
    } catch (...) {
      thrown[i] = std::current_exception();
      outcome = Internal("the work threw an exception");
    }
    // The work's statements sent without waiting belong to its outcome. The
    // savepoint move is sent behind them: if one of them fails, PostgreSQL
    // skips the move (the pipeline is aborted up to its sync point), so the
    // savepoint to roll back to is still the one before this work.
    if (outcome.ok() && !thrown[i] && !last) {
      outcome = txn.ExecuteUtilityLater("RELEASE SAVEPOINT kc_grouped_work");
      if (outcome.ok()) outcome = txn.ExecuteUtilityLater("SAVEPOINT kc_grouped_work");
    }
    if (outcome.ok() && !thrown[i]) outcome = txn.Flush();
    if (!outcome.ok() && IsTransientStoreError(outcome.error())) return outcome;
    if (!outcome.ok()) {
      // Undo only this work, in the database and in the held chain heads;
      // the transaction stays usable for the rest.
      (void)txn.Flush();  // what it still had outstanding is undone with it
      KC_RETURN_IF_ERROR(txn.ExecuteScript("ROLLBACK TO SAVEPOINT kc_grouped_work"));
      txn.held_heads() = heads_before;
      txn.after_commit().resize(publishers_before);  // what it read is not published
    }
    outcomes[i] = std::move(outcome);
  }
  return Status::Ok();
}

}  // namespace ketachart
