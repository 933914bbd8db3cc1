// The controlled-substance ledger as stored: one append-only, hash-chained
// sequence of entries per clinic (each entry's hash covers its canonical
// fields and the previous entry's hash; sequences are gap-free), plus the
// running balance per lot and location that every entry updates in the same
// transaction. AppendLedgerEntry enforces the stock invariant (no negative
// balance) against the balances it reads inside the caller's write
// transaction; VerifyLedgerChains re-derives everything from the entries.
// Thread-safe through the database (writers are serialised by the write
// lock: SQLite's single writer, PostgreSQL's lock on the chain heads).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/json_input.h"
#include "base/result.h"
#include "clinical/ledger/ledger_rules.h"
#include "store/database.h"

namespace ketachart {

// One ledger entry's recorded fields (everything the hash covers).
struct LedgerEntry {
  int64_t clinic_id = 0;
  int64_t sequence = 0;  // 1, 2, ... per clinic; the entry's number
  ledger::EventKind kind = ledger::EventKind::kCount;
  std::string occurred_at;
  std::string recorded_at;
  int64_t recorded_by = 0;
  std::optional<int64_t> lot_id;
  std::optional<int64_t> location_id;
  std::optional<int64_t> to_location_id;
  ledger::Micrograms quantity;
  std::optional<int64_t> drawn_ug;
  std::optional<int64_t> administered_ug;
  bool from_draw = false;
  std::optional<std::string> reverses_kind;  // kCorrection: the kind of the corrected entry
  std::optional<int64_t> patient_id;
  std::optional<int64_t> dosing_session_id;
  std::optional<int64_t> related_sequence;  // waste: its draw; correction: the corrected entry; resolution: the case's opening entry
  std::optional<int64_t> witness1_user_id;
  std::optional<int64_t> witness2_user_id;
  Json details = Json::object();  // kind-specific fields (supplier, Form 41/106 data, reasons)
  std::string previous_hash;
  std::string hash;
};

// The columns of ledger_entries in LedgerEntryFromRow's order.
extern const char* const kLedgerEntryColumns;
LedgerEntry LedgerEntryFromRow(const SqlRow& row);

// The stock movements `entry` causes (a correction: the exact reverse of the
// movements of the entry it corrects, whose fields it carries).
std::vector<ledger::Movement> MovementsOfEntry(const LedgerEntry& entry);

// Appends `entry` (clinic_id, kind and content filled; sequence, hashes and
// recorded_at assigned here) to its clinic's chain in `txn`, after checking
// that no stock it moves goes negative, and updates the balances. Returns
// the entry as stored. `known_balances`: stocks whose balance the caller has
// just read in this transaction (they are not read again).
Result<LedgerEntry> AppendLedgerEntry(Transaction& txn, LedgerEntry entry, const std::string& now_text,
                                      const std::map<ledger::StockKey, ledger::Micrograms>& known_balances = {});

// Balance of one lot at one location (0 when never stocked).
Result<ledger::Micrograms> StockBalance(Transaction& txn, const ledger::StockKey& key);

struct LedgerVerification {
  int64_t entries_checked = 0;
  bool intact = true;
  std::optional<int64_t> clinic_id;       // where the first problem is
  std::optional<int64_t> first_bad_sequence;
  std::string problem;
};
// Recomputes every clinic's chain and balances (streams in batches; read-only).
Result<LedgerVerification> VerifyLedgerChains(Database& database);

}  // namespace ketachart
