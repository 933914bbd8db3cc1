// Chain heads held by a write transaction (see held_heads.h).
#include "store/held_heads.h"

#include "store/database.h"

namespace ketachart {

std::optional<ChainHead> HeldHeads::Find(const std::string& name) const {
  auto it = rows_.find(name);
  if (it == rows_.end()) return std::nullopt;
  return it->second.head;
}

void HeldHeads::Hold(const std::string& name, std::string update_sql, int64_t key, ChainHead head) {
  rows_[name] = Row{std::move(update_sql), key, std::move(head), false};
}

void HeldHeads::Move(const std::string& name, ChainHead head) {
  Row& row = rows_.at(name);
  row.head = std::move(head);
  row.moved = true;
}

Status HeldHeads::WriteBack(Transaction& txn) {
  // Taken out first: the UPDATEs below must not find themselves held.
  std::map<std::string, Row> rows = std::move(rows_);
  rows_.clear();
  for (auto& [name, row] : rows) {
    if (!row.moved) continue;
    if (txn.dialect() == Dialect::kPostgresql) {
      // Sent without waiting, so the COMMIT behind it shares its round trip.
      // The statement itself fails unless exactly one row changed (the text
      // is cast to an integer only then), which skips that COMMIT: a head
      // that is not written back never commits the entries after it.
      KC_RETURN_IF_ERROR(txn.ExecuteLater(
          "WITH moved AS (" + row.update_sql +
              " RETURNING 1) SELECT CAST(CASE WHEN COUNT(*) = 1 THEN '1' ELSE 'chain head ' || CAST(? AS TEXT) || "
              "' could not be written back' END AS INTEGER) FROM moved",
          {row.head.last_sequence, row.head.last_hash, row.key, name}));
      continue;
    }
    KC_ASSIGN_OR_RETURN(int64_t changed,
                        txn.Execute(row.update_sql, {row.head.last_sequence, row.head.last_hash, row.key}));
    if (changed != 1) return Internal("chain head " + name + " could not be written back");
  }
  return Status::Ok();
}

}  // namespace ketachart
