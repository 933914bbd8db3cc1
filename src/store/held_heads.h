// Chain heads a write transaction holds: the row that names the last entry of a
// hash chain (the audit trail's, a clinic's ledger's). The first append in a
// transaction reads the head under its lock; later appends in the same
// transaction (a write group's works) take it from here instead of reading it
// again, and the row is written back once, just before commit
// (Database::Run). Within the transaction nobody else can move the head: it is
// locked (PostgreSQL: FOR UPDATE and the writer table lock; SQLite: the one
// write lock), so the held value is the truth until commit.
//
// A work rolled back to its savepoint restores the heads saved before it
// (WriteGroup), so a refused work leaves no trace here either.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/result.h"

namespace ketachart {

class Transaction;

struct ChainHead {
  int64_t last_sequence = 0;
  std::string last_hash;
};

class HeldHeads {
 public:
  // How a head row is written back: `update_sql` takes (last_sequence,
  // last_hash, key) in that order, e.g.
  // "UPDATE t SET last_sequence = ?, last_hash = ? WHERE clinic_id = ?".
  struct Row {
    std::string update_sql;
    int64_t key = 0;
    ChainHead head;
    bool moved = false;
  };

  // The head held under `name` (e.g. "ledger:3"), if this transaction read it.
  std::optional<ChainHead> Find(const std::string& name) const;
  // Holds a head just read under its lock (not moved yet).
  void Hold(const std::string& name, std::string update_sql, int64_t key, ChainHead head);
  // Advances a held head; it is written back before commit.
  void Move(const std::string& name, ChainHead head);
  // Writes every moved head back (one UPDATE each) and forgets them all. A
  // head whose UPDATE does not change exactly one row fails the transaction
  // (on PostgreSQL the UPDATE is sent without waiting and fails itself).
  Status WriteBack(Transaction& txn);
  void Clear() { rows_.clear(); }

 private:
  std::map<std::string, Row> rows_;
};

}  // namespace ketachart
