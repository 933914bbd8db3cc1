// The controlled-substance ledger's rules, as pure functions over exact
// quantities: the kinds of ledger event, the stock movements each causes, and
// the invariants every event must keep (no negative stock per lot and
// location; administered + wasted never exceeds what was drawn; witnesses are
// distinct people other than the recorder; estimated counts only where the
// DEA inventory rule allows them). The service calls these inside the
// event's transaction. Pure; thread-safe.
//
// Sources (../shared/clinical-reference.md section G, "DEA (Schedule III)"):
//  - 21 CFR 1304.22(c): receipts with supplier name, address and DEA number;
//    units dispensed with recipient, date and dispenser; other disposals with
//    date and manner.
//  - Inventory: initial, then at least every 2 years; opened Schedule III
//    containers may be estimated unless they hold more than 1,000 units.
//  - Theft or significant loss: DEA Form 106. Destruction: DEA Form 41 with
//    two witnessing employees. Pharmaceutical wastage is recorded under
//    1304.22(c) without a Form 41 (79 FR 53521).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "clinical/ledger/quantity.h"

namespace ketachart::ledger {

enum class EventKind {
  kReceive,      // stock in from a supplier (1304.22(c) receipt)
  kAdminister,   // drawn from stock for a patient; records drawn and administered
  kWaste,        // wastage: the undelivered rest of a draw, or a partial-vial remainder in stock
  kReturn,       // back to the supplier
  kTransfer,     // between two storage locations of the clinic
  kDestruction,  // destroyed inventory (DEA Form 41, two witnesses)
  kLoss,         // theft or significant loss (DEA Form 106); opens a discrepancy case
  kCount,        // an inventory count (initial, biennial, routine); moves nothing
  kCorrection,   // reverses one earlier event exactly; entries are never edited
  kResolution,   // closes a discrepancy case with a reason; moves nothing
};

std::string_view EventKindName(EventKind kind);
std::optional<EventKind> ParseEventKind(std::string_view name);

enum class CountKind { kInitial, kBiennial, kRoutine };
std::string_view CountKindName(CountKind kind);
std::optional<CountKind> ParseCountKind(std::string_view name);

// A lot at a storage location: the unit stock is kept in.
struct StockKey {
  int64_t lot_id = 0;
  int64_t location_id = 0;
  auto operator<=>(const StockKey&) const = default;
};

struct Movement {
  StockKey key;
  Micrograms delta;  // positive into stock, negative out of it
};

// What an event moves. `quantity` is the event's amount (for kAdminister the
// amount drawn); `from_draw` says a waste is the rest of an earlier draw (the
// drug already left stock with the draw, so nothing moves again).
struct EventMovementInput {
  EventKind kind = EventKind::kCount;
  StockKey at;
  std::optional<int64_t> to_location_id;  // kTransfer only
  Micrograms quantity;
  bool from_draw = false;
};
std::vector<Movement> MovementsOf(const EventMovementInput& event);
// The movements that undo `original` exactly.
std::vector<Movement> Reversal(const std::vector<Movement>& original);

// OK when applying `movements` to `balances` (missing keys are zero) leaves
// every touched stock at zero or above; otherwise a conflict naming the
// quantity field and the shortfall in mg.
Status CheckNoNegativeBalance(const std::map<StockKey, Micrograms>& balances, const std::vector<Movement>& movements);

// For a draw: administered + everything wasted from it (including
// `new_waste`) must not exceed what was drawn, and administered ≤ drawn.
Status CheckDrawAccounting(Micrograms drawn, Micrograms administered, Micrograms already_wasted,
                           Micrograms new_waste);

// Each witness must be someone other than the recorder and other than every
// other witness; exactly `required` witnesses. Errors name "witnesses".
Status CheckWitnesses(int64_t recorder_user_id, const std::vector<int64_t>& witness_user_ids, size_t required);
// How many witnesses an event kind needs: wastage 1 (a second authenticated
// user), destruction 2 (Form 41: two witnessing employees), otherwise 0.
size_t RequiredWitnesses(EventKind kind);

// An opened container may be counted by estimate unless it holds more than
// 1,000 units (section G, inventory). For an injectable solution KetaChart
// takes the unit as one millilitre of the container's labelled volume; this
// reading is not stated in the reference and is documented in
// docs/controlled-substances.md for the clinic's compliance officer.
inline constexpr int64_t kMaxUnitsForEstimatedCount = 1000;
bool EstimatedCountAllowed(Microlitres container_volume);

// The date the next biennial inventory is due ("at least every 2 years"):
// the same calendar day two years after `last_inventory_date` (29 February
// becomes 28 February). nullopt for a malformed date.
std::optional<std::string> BiennialInventoryDue(std::string_view last_inventory_date);

}  // namespace ketachart::ledger
