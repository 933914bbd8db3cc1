// The clinic's protocols as the services see them: the shipped versions
// (data/protocols, embedded) plus each clinic's own new versions stored in
// `protocol_versions`; a clinic uses the highest version of each protocol.
// Loaded documents are cached by digest (a stored version never changes), so
// a lookup in a hot path costs one small query. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "clinical/protocols/protocol.h"
#include "store/database.h"

namespace ketachart {

struct ClinicProtocol {
  std::shared_ptr<const Protocol> protocol;
  std::string origin;  // "shipped" or "clinic"
};

// The shipped protocols (the embedded catalog; loaded once).
const std::vector<std::shared_ptr<const Protocol>>& ShippedProtocols();

// The clinic's active version of `protocol_id`; NotFound naming the id when
// no such protocol exists.
Result<ClinicProtocol> ActiveProtocol(Transaction& txn, int64_t clinic_id, std::string_view protocol_id);
// The clinic's active version of every protocol, sorted by id.
Result<std::vector<ClinicProtocol>> ActiveProtocols(Transaction& txn, int64_t clinic_id);
// One exact version (shipped or the clinic's); NotFound when it does not exist.
Result<ClinicProtocol> ProtocolVersion(Transaction& txn, int64_t clinic_id, std::string_view protocol_id,
                                       int64_t version);

// A quantity's value by id in any quantity list of the protocol (dosing
// parameters, schedule items' quantities, limits...), or nullopt when absent
// or unconfirmed without a value.
std::optional<double> ProtocolQuantityValue(const Protocol& protocol, std::string_view quantity_id);

}  // namespace ketachart
