// The ledger's memo (see ledger_memo.h).
#include "services/ledger_memo.h"

namespace ketachart {
namespace {

bool SameHead(const ChainHead& a, const ChainHead& b) {
  return a.last_sequence == b.last_sequence && a.last_hash == b.last_hash;
}

template <typename Table>
void MakeRoom(Table& table) {
  if (table.size() >= LedgerMemo::kMaxEntries) table.clear();
}

}  // namespace

std::optional<ledger::Micrograms> LedgerMemo::Balance(int64_t clinic_id, const ChainHead& held,
                                                      const ledger::StockKey& key) {
  std::lock_guard lock(mutex_);
  ClinicBalances& clinic = clinics_[clinic_id];
  if (!clinic.as_of || !SameHead(*clinic.as_of, held)) {
    clinic.balances.clear();
    clinic.as_of = held;
    return std::nullopt;
  }
  auto it = clinic.balances.find(key);
  if (it == clinic.balances.end()) return std::nullopt;
  return it->second;
}

void LedgerMemo::Appended(int64_t clinic_id, const ChainHead& before, const ChainHead& after,
                          const std::map<ledger::StockKey, ledger::Micrograms>& balances) {
  std::lock_guard lock(mutex_);
  ClinicBalances& clinic = clinics_[clinic_id];
  if (!clinic.as_of || !SameHead(*clinic.as_of, before)) {
    clinic.balances.clear();
    clinic.as_of.reset();
    return;
  }
  MakeRoom(clinic.balances);
  for (const auto& [key, balance] : balances) clinic.balances[key] = balance;
  clinic.as_of = after;
}

std::optional<LedgerMemo::Lot> LedgerMemo::FindLot(int64_t lot_id) {
  std::lock_guard lock(mutex_);
  auto it = lots_.find(lot_id);
  if (it == lots_.end()) return std::nullopt;
  return it->second;
}

std::optional<LedgerMemo::Location> LedgerMemo::FindLocation(int64_t location_id) {
  std::lock_guard lock(mutex_);
  auto it = locations_.find(location_id);
  if (it == locations_.end()) return std::nullopt;
  return it->second;
}

bool LedgerMemo::PatientIn(int64_t clinic_id, int64_t patient_id) {
  std::lock_guard lock(mutex_);
  return patients_.count({clinic_id, patient_id}) > 0;
}

std::optional<std::string> LedgerMemo::Username(int64_t user_id) {
  std::lock_guard lock(mutex_);
  auto it = usernames_.find(user_id);
  if (it == usernames_.end()) return std::nullopt;
  return it->second;
}

void LedgerMemo::Remember(int64_t lot_id, Lot lot, int64_t location_id, Location location, int64_t clinic_id,
                          int64_t patient_id, int64_t user_id, std::string username) {
  std::lock_guard lock(mutex_);
  MakeRoom(lots_);
  lots_[lot_id] = std::move(lot);
  MakeRoom(locations_);
  locations_[location_id] = std::move(location);
  MakeRoom(patients_);
  patients_.insert({clinic_id, patient_id});
  MakeRoom(usernames_);
  usernames_[user_id] = std::move(username);
}

}  // namespace ketachart
