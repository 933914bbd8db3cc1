// Reading the ledger's request fields: exact quantities in mg/mL (decimal
// text, or a JSON number with at most three decimals), the event time (never
// in the future), and a supplier's 1304.22(c) identity (name, address, DEA
// registration number). Errors go to the JsonObjectReader. Internal to
// services/; stateless.
#pragma once

#include <optional>
#include <string>

#include "base/clock.h"
#include "base/json_input.h"

namespace ketachart::ledger_internal {

// Thousandths of mg (µg) or of mL (µL); the field is marked known to `reader`.
std::optional<int64_t> ReadThousandths(JsonObjectReader& reader, const Json& body, const std::string& name,
                                       bool required, bool allow_zero);
// "occurred_at" (default `now`), canonical UTC text.
std::optional<std::string> ReadOccurredAt(JsonObjectReader& reader, TimePoint now);
// supplier_name, supplier_address, supplier_dea_number into `details`.
void ReadSupplier(JsonObjectReader& reader, Json& details);

}  // namespace ketachart::ledger_internal
