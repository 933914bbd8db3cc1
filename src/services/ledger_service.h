// The controlled-substance ledger of a clinic (DEA Schedule III ketamine):
// inventory (products, storage locations, lots with expiry), the append-only
// hash-chained ledger of events (receive, administer, waste with a witness,
// return, transfer, destruction with two witnesses, theft/loss, counts,
// reversing corrections), running balances per lot and location, count
// sheets and discrepancy cases. Every event checks ledger.record, runs in ONE
// write transaction that enforces the invariants (no negative stock;
// administered + wasted never exceeds drawn; distinct witnesses) and writes
// its audit event in that transaction. Reads check ledger.read and are
// audited. Quantities cross the API as exact decimal mg text ("12.5"); a JSON
// number is accepted on input when it has at most three decimals.
// Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/report_document.h"
#include "services/service_context.h"

namespace ketachart {

struct LedgerEntryQuery {
  std::optional<int64_t> lot_id;
  std::optional<int64_t> patient_id;
  std::optional<std::string> kind;
  std::optional<int64_t> before_sequence;  // pagination: entries with sequence < this
  int limit = 50;                          // 1..kMaxPageSize
};

class LedgerService {
 public:
  static constexpr int kMaxPageSize = 500;

  explicit LedgerService(ServiceContext& context) : context_(context) {}

  // Inventory set-up (ledger.setup).
  // {"drug_name","finished_form","strength_mg_per_ml","container_volume_ml","ndc"}
  Result<Json> CreateProduct(const Actor& actor, const Json& body);
  // {"name","description"}
  Result<Json> CreateLocation(const Actor& actor, const Json& body);

  // Reads (ledger.read).
  Result<Json> ListProducts(const Actor& actor);
  Result<Json> ListLocations(const Actor& actor);
  // Lots with their balances per location and expiry state.
  Result<Json> ListLots(const Actor& actor);
  // One lot, its balances and its ledger entries (newest first, one page).
  Result<Json> GetLot(const Actor& actor, int64_t lot_id, const LedgerEntryQuery& page);
  // {"items":[entry...], "next_before_sequence": n|null}
  Result<Json> ListEntries(const Actor& actor, const LedgerEntryQuery& query);
  // Every stock (lot at location) with its balance; zero balances included.
  Result<Json> Balances(const Actor& actor);
  // What a count must find: expected balance per stock, and whether an
  // estimate is allowed; plus the last initial/biennial inventory and when the
  // next biennial inventory is due.
  Result<Json> CountSheet(const Actor& actor);
  Result<Json> ListDiscrepancies(const Actor& actor, bool open_only);

  // Events (ledger.record). Body: {"kind": ..., kind-specific fields}; see
  // docs/controlled-substances.md. Returns the stored entry.
  Result<Json> RecordEvent(const Actor& actor, const Json& body);
  // A count sheet: {"count_kind","lines":[{"lot_id","location_id","counted_mg","estimated"?,"note"?}]}.
  // One count entry per line, all in one transaction; each mismatch opens a discrepancy case.
  Result<Json> RecordCount(const Actor& actor, const Json& body);
  // {"reason"} closes an open case with a resolution entry.
  Result<Json> ResolveDiscrepancy(const Actor& actor, int64_t discrepancy_id, const Json& body);

  // Reports (ledger.read; ledger_reports.cpp), as tables for CSV or PDF.
  // The dispenser's record of one product over [from_date, to_date] in the
  // 21 CFR 1304.22(c) layout: receipts with supplier name, address and DEA
  // number; units dispensed with recipient name and address, date and
  // dispenser; other disposals with date and manner.
  Result<TabularReport> DispensingRecord(const Actor& actor, int64_t product_id, const std::string& from_date,
                                         const std::string& to_date);
  // Stock on hand per product, lot and location, with each stock's last count.
  Result<TabularReport> InventoryReport(const Actor& actor);
  // Every administration and waste recorded for one patient.
  Result<TabularReport> PatientAdministrationReport(const Actor& actor, int64_t patient_id);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
