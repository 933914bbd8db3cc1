// Hash-chained ledger entries and running balances (see ledger_chain.h).
#include "services/ledger_chain.h"

#include <fmt/format.h>

#include <map>

#include "base/crypto.h"
#include "services/audit_trail.h"
#include "services/ledger_memo.h"

namespace ketachart {
namespace {

using ledger::Micrograms;
using ledger::Movement;
using ledger::StockKey;

constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

std::string Opt(const std::optional<int64_t>& value) { return value ? std::to_string(*value) : std::string(); }

// Every recorded field, separated by the ASCII unit separator so no value can
// imitate a boundary; `details` is JSON with sorted keys (nlohmann's default),
// so its text is canonical.
std::string EntryHash(const LedgerEntry& e) {
  const std::string canonical = fmt::format(
      "{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}"
      "\x1f{}\x1f{}",
      e.previous_hash, e.clinic_id, e.sequence, ledger::EventKindName(e.kind), e.occurred_at, e.recorded_at,
      e.recorded_by, Opt(e.lot_id), Opt(e.location_id), Opt(e.to_location_id), e.quantity.value, Opt(e.drawn_ug),
      Opt(e.administered_ug), e.from_draw ? 1 : 0, e.reverses_kind.value_or(""), Opt(e.patient_id),
      Opt(e.dosing_session_id), Opt(e.related_sequence), Opt(e.witness1_user_id), Opt(e.witness2_user_id),
      e.details.dump());
  return Sha256Hex(canonical);
}

SqlValue OptValue(const std::optional<int64_t>& value) { return SqlOptional(value); }

}  // namespace

const char* const kLedgerEntryColumns =
    "clinic_id, sequence, kind, occurred_at, recorded_at, recorded_by, lot_id, location_id, to_location_id, "
    "quantity_ug, drawn_ug, administered_ug, from_draw, reverses_kind, patient_id, dosing_session_id, "
    "related_sequence, witness1_user_id, witness2_user_id, details, previous_hash, hash";

LedgerEntry LedgerEntryFromRow(const SqlRow& row) {
  LedgerEntry e;
  e.clinic_id = row.Int(0);
  e.sequence = row.Int(1);
  e.kind = ledger::ParseEventKind(row.Text(2)).value_or(ledger::EventKind::kCount);
  e.occurred_at = row.Text(3);
  e.recorded_at = row.Text(4);
  e.recorded_by = row.Int(5);
  e.lot_id = row.OptionalInt(6);
  e.location_id = row.OptionalInt(7);
  e.to_location_id = row.OptionalInt(8);
  e.quantity = Micrograms{row.Int(9)};
  e.drawn_ug = row.OptionalInt(10);
  e.administered_ug = row.OptionalInt(11);
  e.from_draw = row.Int(12) != 0;
  e.reverses_kind = row.OptionalText(13);
  e.patient_id = row.OptionalInt(14);
  e.dosing_session_id = row.OptionalInt(15);
  e.related_sequence = row.OptionalInt(16);
  e.witness1_user_id = row.OptionalInt(17);
  e.witness2_user_id = row.OptionalInt(18);
  // A row whose details are not JSON was altered; keep the text so the hash fails.
  e.details = Json::parse(row.Text(19), nullptr, /*allow_exceptions=*/false);
  if (e.details.is_discarded()) e.details = row.Text(19);
  e.previous_hash = row.Text(20);
  e.hash = row.Text(21);
  return e;
}

std::vector<Movement> MovementsOfEntry(const LedgerEntry& entry) {
  const StockKey at{entry.lot_id.value_or(0), entry.location_id.value_or(0)};
  if (entry.kind == ledger::EventKind::kCorrection) {
    auto original = ledger::ParseEventKind(entry.reverses_kind.value_or(""));
    if (!original) return {};
    return ledger::Reversal(
        ledger::MovementsOf({*original, at, entry.to_location_id, entry.quantity, entry.from_draw}));
  }
  return ledger::MovementsOf({entry.kind, at, entry.to_location_id, entry.quantity, entry.from_draw});
}

Result<Micrograms> StockBalance(Transaction& txn, const StockKey& key) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT balance_ug FROM ledger_balances WHERE lot_id = ? AND "
                                              "location_id = ?",
                                              {key.lot_id, key.location_id}));
  return Micrograms{rows.empty() ? 0 : rows[0].Int(0)};
}

Result<LedgerEntry> AppendLedgerEntry(Transaction& txn, LedgerEntry entry, const std::string& now_text,
                                      const std::map<StockKey, Micrograms>& known_balances) {
  // The clinic's chain head, read under its lock by the transaction's first
  // append; later appends (a write group's works) take it as held and it is
  // written back once before commit (store/held_heads.h).
  const std::string held_name = "ledger:" + std::to_string(entry.clinic_id);
  std::optional<ChainHead> held = txn.held_heads().Find(held_name);
  if (!held) {
    const bool pg = txn.dialect() == Dialect::kPostgresql;
    const std::string lock = pg ? " FOR UPDATE" : "";
    const std::string head_sql =
        "SELECT last_sequence, last_hash FROM ledger_chain_heads WHERE clinic_id = ?" + lock;
    // The entry's audit event follows in this transaction: when the audit
    // chain's head is not held yet, it is read (and locked) in the same query,
    // one round trip instead of two. An empty answer (this clinic's first
    // entry) falls back to the ledger head alone.
    SqlRows head;
    if (!HoldsAuditChainHead(txn)) {
      KC_ASSIGN_OR_RETURN(head, txn.Query("SELECT l.last_sequence, l.last_hash, a.last_event_id, a.last_hash FROM "
                                          "ledger_chain_heads l CROSS JOIN audit_chain_head a WHERE l.clinic_id = ? "
                                          "AND a.id = 1" + lock,
                                          {entry.clinic_id}));
      if (!head.empty()) HoldAuditChainHead(txn, ChainHead{head[0].Int(2), head[0].Text(3)});
    }
    if (head.empty()) {
      KC_ASSIGN_OR_RETURN(head, txn.Query(head_sql, {entry.clinic_id}));
    }
    if (head.empty()) {
      KC_RETURN_IF_ERROR(txn.Execute(
          "INSERT INTO ledger_chain_heads (clinic_id, last_sequence, last_hash) VALUES (?, 0, ?)",
          {entry.clinic_id, std::string(kGenesisHash)}));
      KC_ASSIGN_OR_RETURN(head, txn.Query(head_sql, {entry.clinic_id}));
      if (head.empty()) return Internal("ledger chain head could not be created");
    }
    held = ChainHead{head[0].Int(0), head[0].Text(1)};
    txn.held_heads().Hold(held_name, "UPDATE ledger_chain_heads SET last_sequence = ?, last_hash = ? WHERE clinic_id = ?",
                          entry.clinic_id, *held);
  }
  const ChainHead before = *held;
  entry.sequence = held->last_sequence + 1;
  entry.previous_hash = held->last_hash;
  entry.recorded_at = now_text;

  // The stock invariant, checked against the balances as this transaction
  // sees them (writers are serialised, so nobody else moves them meanwhile):
  // given by the caller, remembered as of the held head (ledger_memo.h), or read.
  LedgerMemo& memo = txn.memo().Get<LedgerMemo>();
  const std::vector<Movement> movements = MovementsOfEntry(entry);
  std::map<StockKey, Micrograms> balances;
  for (const Movement& m : movements) {
    if (balances.count(m.key)) continue;
    if (auto known = known_balances.find(m.key); known != known_balances.end()) {
      balances[m.key] = known->second;
      continue;
    }
    if (auto remembered = memo.Balance(entry.clinic_id, before, m.key)) {
      balances[m.key] = *remembered;
      continue;
    }
    KC_ASSIGN_OR_RETURN(Micrograms balance, StockBalance(txn, m.key));
    balances[m.key] = balance;
  }
  KC_RETURN_IF_ERROR(ledger::CheckNoNegativeBalance(balances, movements));

  entry.hash = EntryHash(entry);
  // Sent without waiting (Transaction::ExecuteLater): the caller's next
  // statement, or the commit, reports a failure.
  KC_RETURN_IF_ERROR(txn.ExecuteLater(
      fmt::format("INSERT INTO ledger_entries ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?, ?, ?)",
                  kLedgerEntryColumns),
      {entry.clinic_id, entry.sequence, std::string(ledger::EventKindName(entry.kind)), entry.occurred_at,
       entry.recorded_at, entry.recorded_by, OptValue(entry.lot_id), OptValue(entry.location_id),
       OptValue(entry.to_location_id), entry.quantity.value, OptValue(entry.drawn_ug),
       OptValue(entry.administered_ug), int64_t{entry.from_draw ? 1 : 0}, SqlOptional(entry.reverses_kind),
       OptValue(entry.patient_id), OptValue(entry.dosing_session_id), OptValue(entry.related_sequence),
       OptValue(entry.witness1_user_id), OptValue(entry.witness2_user_id), entry.details.dump(),
       entry.previous_hash, entry.hash}));
  txn.held_heads().Move(held_name, ChainHead{entry.sequence, entry.hash});

  std::map<StockKey, Micrograms> after = balances;
  for (const Movement& m : movements) after[m.key] += m.delta;
  for (const auto& [key, balance] : after) {
    KC_RETURN_IF_ERROR(txn.ExecuteLater(
        "INSERT INTO ledger_balances (clinic_id, lot_id, location_id, balance_ug, last_sequence) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (lot_id, location_id) DO UPDATE SET balance_ug = excluded.balance_ug, "
        "last_sequence = excluded.last_sequence",
        {entry.clinic_id, key.lot_id, key.location_id, balance.value, entry.sequence}));
  }
  memo.Appended(entry.clinic_id, before, ChainHead{entry.sequence, entry.hash}, after);
  return entry;
}

Result<LedgerVerification> VerifyLedgerChains(Database& database) {
  LedgerVerification result;
  KC_ASSIGN_OR_RETURN(SqlRows clinics,
                      database.Run<SqlRows>(TransactionMode::kReadOnly, [](Transaction& txn) {
                        return txn.Query(
                            "SELECT clinic_id FROM ledger_chain_heads UNION SELECT DISTINCT clinic_id FROM "
                            "ledger_entries UNION SELECT DISTINCT clinic_id FROM ledger_balances ORDER BY 1");
                      }));
  constexpr int64_t kBatch = 5000;
  for (const SqlRow& clinic_row : clinics) {
    const int64_t clinic_id = clinic_row.Int(0);
    std::string previous_hash(kGenesisHash);
    int64_t expected = 1;
    std::map<StockKey, Micrograms> balances;
    auto fail = [&](std::optional<int64_t> sequence, std::string problem) {
      result.intact = false;
      result.clinic_id = clinic_id;
      result.first_bad_sequence = sequence;
      result.problem = std::move(problem);
    };
    bool done = false;
    while (!done) {
      Status status = database.Run(TransactionMode::kReadOnly, [&](Transaction& txn) -> Status {
        KC_ASSIGN_OR_RETURN(SqlRows rows,
                            txn.Query(fmt::format("SELECT {} FROM ledger_entries WHERE clinic_id = ? AND sequence >= ? "
                                                  "ORDER BY sequence LIMIT ?",
                                                  kLedgerEntryColumns),
                                      {clinic_id, expected, kBatch}));
        for (const SqlRow& row : rows) {
          LedgerEntry entry = LedgerEntryFromRow(row);
          if (entry.sequence != expected) {
            fail(expected, fmt::format("entry {} is missing (next present is {})", expected, entry.sequence));
            done = true;
            return Status::Ok();
          }
          if (entry.previous_hash != previous_hash) {
            fail(entry.sequence, "its previous_hash does not match the hash of the entry before it");
            done = true;
            return Status::Ok();
          }
          if (!ledger::ParseEventKind(row.Text(2)) || EntryHash(entry) != entry.hash) {
            fail(entry.sequence, "its contents do not match its hash (the entry was altered)");
            done = true;
            return Status::Ok();
          }
          for (const Movement& m : MovementsOfEntry(entry)) {
            balances[m.key] += m.delta;
            if (balances[m.key].value < 0) {
              fail(entry.sequence, fmt::format("it takes lot {} at location {} below zero", m.key.lot_id,
                                               m.key.location_id));
              done = true;
              return Status::Ok();
            }
          }
          previous_hash = entry.hash;
          ++expected;
          ++result.entries_checked;
        }
        if (static_cast<int64_t>(rows.size()) == kBatch) return Status::Ok();
        done = true;
        KC_ASSIGN_OR_RETURN(SqlRows head, txn.Query("SELECT last_sequence, last_hash FROM ledger_chain_heads WHERE "
                                                    "clinic_id = ?",
                                                    {clinic_id}));
        const bool empty_chain = expected == 1;
        if ((head.empty() && !empty_chain) ||
            (!head.empty() && (head[0].Int(0) != expected - 1 || head[0].Text(1) != previous_hash))) {
          fail(expected, "the chain head does not match the last entry (entries removed from the end?)");
          return Status::Ok();
        }
        KC_ASSIGN_OR_RETURN(SqlRows stored, txn.Query("SELECT lot_id, location_id, balance_ug FROM ledger_balances "
                                                      "WHERE clinic_id = ? ORDER BY lot_id, location_id",
                                                      {clinic_id}));
        std::map<StockKey, Micrograms> stored_balances;
        for (const SqlRow& b : stored) stored_balances[StockKey{b.Int(0), b.Int(1)}] = Micrograms{b.Int(2)};
        for (const auto& [key, balance] : balances) {
          auto it = stored_balances.find(key);
          const Micrograms recorded = it == stored_balances.end() ? Micrograms{0} : it->second;
          if (recorded != balance) {
            fail(std::nullopt, fmt::format("the stored balance of lot {} at location {} is {} mg but the entries "
                                           "add up to {} mg",
                                           key.lot_id, key.location_id, ledger::FormatMilligrams(recorded),
                                           ledger::FormatMilligrams(balance)));
            return Status::Ok();
          }
          stored_balances.erase(key);
        }
        for (const auto& [key, balance] : stored_balances) {
          if (balance.value != 0) {
            fail(std::nullopt, fmt::format("lot {} at location {} has a stored balance of {} mg that no entry "
                                           "explains",
                                           key.lot_id, key.location_id, ledger::FormatMilligrams(balance)));
            return Status::Ok();
          }
        }
        return Status::Ok();
      });
      if (!status.ok()) return status.error();
    }
    if (!result.intact) return result;
  }
  return result;
}

}  // namespace ketachart
