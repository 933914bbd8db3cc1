// Shared pieces of the controlled-substance ledger service's files
// (ledger_service.cpp, ledger_events.cpp, ledger_reports.cpp): loading and
// checking inventory rows inside a transaction, the JSON views of entries,
// balances, products and discrepancy cases, and the audit entry shape.
// Internal to services/; thread-safe (stateless functions over a Transaction).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_input.h"
#include "base/result.h"
#include "clinical/ledger/ledger_rules.h"
#include "services/audit_trail.h"
#include "services/ledger_chain.h"
#include "services/ledger_service.h"
#include "store/database.h"

namespace ketachart::ledger_internal {

AuditEntry LedgerAudit(std::string action, std::string resource_type, std::string resource_id,
                       std::optional<int64_t> patient_id = std::nullopt, std::string detail = {});

// Exact mg text for micrograms; JSON null for absent values.
std::string Mg(int64_t ug);
Json OptMg(const std::optional<int64_t>& ug);
Json OptInt(const std::optional<int64_t>& v);
Json OptText(const std::optional<std::string>& v);

struct ProductInfo {
  int64_t id = 0;
  std::string drug_name;
  ledger::MicrogramsPerMillilitre strength;
  ledger::Microlitres container_volume;
};

// Rows of the actor's clinic, or kNotFound.
Result<ProductInfo> LoadProduct(Transaction& txn, int64_t clinic_id, int64_t product_id);
Result<ProductInfo> LoadLotProduct(Transaction& txn, int64_t clinic_id, int64_t lot_id);
Status RequireLocation(Transaction& txn, int64_t clinic_id, int64_t location_id);
Status RequirePatient(Transaction& txn, int64_t clinic_id, int64_t patient_id);
// The names an entry's view shows beside its own fields (EntryViewSelect joins them).
struct EntryNames {
  std::string recorded_by;
  std::optional<std::string> lot_number;
  std::optional<std::string> drug_name;
  std::optional<int64_t> strength_ug_per_ml;  // the lot's product: gives quantity_ml
  std::optional<std::string> location;
  std::optional<std::string> to_location;
  std::vector<std::string> witnesses;
  std::optional<int64_t> corrected_by_sequence;
};
// What an administration needs before it is appended, read in one query (it
// is the hot write path): that its lot, location and patient belong to the
// clinic (the same refusals as LoadLotProduct, RequireLocation and
// RequirePatient), the stock's balance, and the names its new entry's view
// shows (recorded by `user_id`, no witnesses, not corrected).
struct AdministrationTargets {
  std::optional<ledger::Micrograms> balance;  // none when the facts were remembered (ledger_memo.h)
  EntryNames names;
};
Result<AdministrationTargets> LoadAdministrationTargets(Transaction& txn, int64_t clinic_id, int64_t user_id,
                                                        int64_t lot_id, int64_t location_id, int64_t patient_id);
Result<std::optional<LedgerEntry>> LoadEntry(Transaction& txn, int64_t clinic_id, int64_t sequence);
// Whether a correction reverses entry `sequence`.
Result<bool> IsCorrected(Transaction& txn, int64_t clinic_id, int64_t sequence);
// Micrograms wasted so far from the draw `draw_sequence` (corrected wastes excluded).
Result<ledger::Micrograms> WastedFromDraw(Transaction& txn, int64_t clinic_id, int64_t draw_sequence);

// kLedgerEntryColumns prefixed with the alias "e.".
const std::string& PrefixedEntryColumns();
inline constexpr size_t kEntryColumnCount = 22;
// SELECT of entries with names joined (lot, drug, locations, users) and the correcting entry.
std::string EntryViewSelect();
Json EntryView(const SqlRow& row);
// The view of `e` with `names`: what EntryView gives for its row.
Json EntryViewOf(const LedgerEntry& e, const EntryNames& names);
Result<Json> LoadEntryView(Transaction& txn, int64_t clinic_id, int64_t sequence);
// {"items": [...], "next_before_sequence": n|null}, newest first.
Result<Json> QueryEntries(Transaction& txn, int64_t clinic_id, const LedgerEntryQuery& query);

std::string BalanceSelect();
Json BalanceView(const SqlRow& row, const std::string& today);
Json ProductView(const SqlRow& row);
inline constexpr std::string_view kDiscrepancySelect =
    "SELECT d.id, d.cause, d.lot_id, l.lot_number, d.location_id, loc.name, d.opened_by_sequence, d.expected_ug, "
    "d.counted_ug, d.opened_at, d.resolved_by_sequence, d.resolved_at, d.resolution_reason FROM "
    "ledger_discrepancies d JOIN ledger_lots l ON l.id = d.lot_id JOIN ledger_locations loc ON loc.id = "
    "d.location_id";
Json DiscrepancyView(const SqlRow& row);
Result<int64_t> OpenDiscrepancy(Transaction& txn, int64_t clinic_id, const std::string& cause,
                                const ledger::StockKey& key, int64_t opened_by_sequence, ledger::Micrograms expected,
                                ledger::Micrograms counted, const std::string& now_text);

}  // namespace ketachart::ledger_internal
