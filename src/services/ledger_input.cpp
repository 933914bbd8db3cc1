// Ledger request fields (see ledger_input.h).
#include "services/ledger_input.h"

#include <cmath>

#include "clinical/ledger/identifiers.h"
#include "clinical/ledger/quantity.h"

namespace ketachart::ledger_internal {

// An exact quantity in thousandths of mg or mL: decimal text ("12.5") or a
// JSON number with at most three decimals. `reader` is told the field is known.
std::optional<int64_t> ReadThousandths(JsonObjectReader& reader, const Json& body, const std::string& name,
                                       bool required, bool allow_zero) {
  reader.Allow(name);
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) reader.Fail(InvalidInput(reader.FieldPath(name), "is required"));
    return std::nullopt;
  }
  std::optional<int64_t> value;
  if (it->is_string()) {
    value = ledger::ParseThousandths(it->get<std::string>());
  } else if (it->is_number()) {
    const double scaled = it->get<double>() * 1000.0;
    const double rounded = std::round(scaled);
    if (std::fabs(scaled - rounded) < 1e-6 && rounded >= 0 &&
        rounded <= static_cast<double>(ledger::kMaxQuantityThousandths)) {
      value = static_cast<int64_t>(rounded);
    }
  }
  if (!value) {
    reader.Fail(InvalidInput(reader.FieldPath(name),
                             "must be a non-negative decimal with at most 3 decimal places, e.g. \"12.5\""));
    return std::nullopt;
  }
  if (!allow_zero && *value == 0) {
    reader.Fail(InvalidInput(reader.FieldPath(name), "must be more than 0"));
    return std::nullopt;
  }
  return value;
}

// "occurred_at": when the event happened (default now); never in the future.
std::optional<std::string> ReadOccurredAt(JsonObjectReader& reader, TimePoint now) {
  auto text = reader.OptionalString("occurred_at", {1, 40});
  if (!text) return FormatTimestamp(now);
  auto parsed = ParseTimestamp(*text);
  if (!parsed) {
    reader.Fail(InvalidInput(reader.FieldPath("occurred_at"), "must be an ISO-8601 timestamp with a time zone"));
    return std::nullopt;
  }
  if (*parsed > now) {
    reader.Fail(InvalidInput(reader.FieldPath("occurred_at"), "must not be in the future"));
    return std::nullopt;
  }
  return FormatTimestamp(*parsed);
}

// Supplier fields of a receipt or return (21 CFR 1304.22(c): name, address, DEA number).
void ReadSupplier(JsonObjectReader& reader, Json& details) {
  auto name = reader.RequiredString("supplier_name", {1, 200});
  auto address = reader.RequiredString("supplier_address", {1, 400});
  auto dea = reader.RequiredString("supplier_dea_number", {1, 20});
  if (name) details["supplier_name"] = *name;
  if (address) details["supplier_address"] = *address;
  if (dea) {
    auto normalized = ledger::NormalizeDeaRegistration(*dea);
    if (!normalized) {
      reader.Fail(InvalidInput(reader.FieldPath("supplier_dea_number"),
                               "must be a DEA registration number: 2 letters (or a letter and 9) then 7 digits"));
    } else {
      details["supplier_dea_number"] = *normalized;
    }
  }
}

}  // namespace ketachart::ledger_internal
