// The demo clinic's controlled-substance ledger: products and storage
// locations, two receipts, an initial inventory, a transfer, weight-based
// administrations to demo patients with the undelivered rest wasted under a
// witness, and a routine count with one discrepancy resolved by reason. Every
// event goes through LedgerService (witness passwords included), so the demo
// ledger is hash-chained and audited like a clinic's. Synthetic data only.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "services/service_context.h"

namespace ketachart {

struct DemoLedgerStaff {
  int64_t clinic_id;
  int64_t admin_id;
  int64_t prescriber_id;
  int64_t nurse_id;
};

Status SeedDemoLedger(ServiceContext& context, const DemoLedgerStaff& staff);

}  // namespace ketachart
