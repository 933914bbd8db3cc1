// The ledger's memo (store/database_memo.h): what an administration would
// otherwise read from the database on every write, the hot path of a busy
// clinic's chairs.
//
// - Balances, as of a clinic's ledger chain head. Balances change only with
//   a ledger entry, and an entry moves the head, so balances remembered "as of
//   head H" are the truth whenever the head a writer holds under its lock is
//   H. Any other head (another process appended, or the transaction that
//   moved the memo was rolled back) empties the clinic's balances. The memo is
//   moved forward by each append, committed or not: if it is not committed,
//   its head is never the held one again.
// - Facts that never change once committed: which clinic a lot, a storage
//   location or a patient belongs to, a lot's number and drug, a location's
//   and a user's name. They are published only after the transaction that
//   read them commits (Transaction::AfterCommit), so nothing rolled back is
//   remembered.
//
// Internal to services/; thread-safe. Each table is bounded (emptied when
// full) so a long-running server does not grow without limit.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "clinical/ledger/ledger_rules.h"
#include "store/held_heads.h"

namespace ketachart {

class LedgerMemo {
 public:
  static constexpr size_t kMaxEntries = 100000;  // per table

  struct Lot {
    int64_t clinic_id = 0;
    std::string lot_number;
    std::string drug_name;
    int64_t strength_ug_per_ml = 0;
  };
  struct Location {
    int64_t clinic_id = 0;
    std::string name;
  };

  // The balance of `key` as of `held` (the clinic's head this writer holds),
  // if remembered; a different head forgets the clinic's balances first.
  std::optional<ledger::Micrograms> Balance(int64_t clinic_id, const ChainHead& held, const ledger::StockKey& key);
  // An entry moved the clinic's head from `before` to `after` and left
  // `balances` (every stock it moved): remembered if the memo was as of
  // `before`, otherwise the clinic's balances are forgotten.
  void Appended(int64_t clinic_id, const ChainHead& before, const ChainHead& after,
                const std::map<ledger::StockKey, ledger::Micrograms>& balances);

  std::optional<Lot> FindLot(int64_t lot_id);
  std::optional<Location> FindLocation(int64_t location_id);
  bool PatientIn(int64_t clinic_id, int64_t patient_id);
  std::optional<std::string> Username(int64_t user_id);
  // Call only with facts read in a committed transaction (AfterCommit).
  void Remember(int64_t lot_id, Lot lot, int64_t location_id, Location location, int64_t clinic_id,
                int64_t patient_id, int64_t user_id, std::string username);

 private:
  struct ClinicBalances {
    std::optional<ChainHead> as_of;
    std::map<ledger::StockKey, ledger::Micrograms> balances;
  };
  std::mutex mutex_;
  std::map<int64_t, ClinicBalances> clinics_;
  std::map<int64_t, Lot> lots_;
  std::map<int64_t, Location> locations_;
  std::set<std::pair<int64_t, int64_t>> patients_;  // (clinic, patient)
  std::map<int64_t, std::string> usernames_;
};

}  // namespace ketachart
