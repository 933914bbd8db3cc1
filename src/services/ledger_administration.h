// One controlled-substance administration appended to the clinic's ledger
// inside the caller's write transaction: the ledger service's `administer`
// event and the dosing session's administration (an IV start, an esketamine
// device naming its lot) go through this one path, so the session event and
// the ledger entry commit or fail together. Checks: the lot, location and
// patient belong to the clinic, administered never exceeds drawn, no stock
// goes negative (AppendLedgerEntry); writes the ledger audit event.
// Internal to services/; the caller checks ledger.record. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/clock.h"
#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "store/database.h"

namespace ketachart {

struct LedgerAdministration {
  int64_t lot_id = 0;
  int64_t location_id = 0;
  int64_t patient_id = 0;
  std::optional<int64_t> dosing_session_id;
  int64_t drawn_ug = 0;
  int64_t administered_ug = 0;
  std::string occurred_at;  // canonical UTC text
  std::string route;        // optional
  std::string note;         // optional
};

// Appends the entry and its audit event; returns the stored entry's view
// (the same JSON as GET /api/v1/ledger/entries).
Result<Json> AppendLedgerAdministration(Transaction& txn, const Actor& actor, const LedgerAdministration& a,
                                        TimePoint now);

}  // namespace ketachart
