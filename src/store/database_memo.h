// What one Database's transactions remember between them: a slot per memo
// type (e.g. the ledger's balances as of a chain head, services/ledger_memo.h).
// A memo must stay true whatever the transactions that filled it became:
// either it holds only facts that cannot change once committed, published
// after commit (Transaction::AfterCommit), or it names the state it is valid
// for (a chain head) so a reader can tell when it is stale. Thread-safe to
// reach; each memo type guards its own contents.
#pragma once

#include <memory>
#include <mutex>
#include <typeindex>
#include <unordered_map>

namespace ketachart {

class DatabaseMemo {
 public:
  // The memo of type T (default-constructed on first use), alive as long as the Database.
  template <typename T>
  T& Get() {
    std::lock_guard lock(mutex_);
    std::shared_ptr<void>& slot = slots_[std::type_index(typeid(T))];
    if (!slot) slot = std::make_shared<T>();
    return *static_cast<T*>(slot.get());
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::type_index, std::shared_ptr<void>> slots_;
};

}  // namespace ketachart
