// The clinic's protocols: shipped versions plus the clinic's own (see protocol_store.h).
#include "services/protocol_store.h"

#include <fmt/format.h>

#include <map>
#include <mutex>
#include <stdexcept>

#include "clinical/protocols/protocol_catalog.h"

namespace ketachart {
namespace {

// Stored versions never change, so a loaded document is cached by digest.
std::shared_ptr<const Protocol> LoadStored(const std::string& digest, const std::string& text) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const Protocol>> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(digest); it != cache.end()) return it->second;
  }
  auto loaded = LoadProtocolText(text);
  // A stored version passed the strict loader when it was published; a
  // failure now means the row was altered outside the server.
  if (!loaded.ok()) throw std::runtime_error("stored protocol version no longer loads: " + loaded.error().message);
  std::lock_guard<std::mutex> lock(mutex);
  cache.emplace(digest, loaded.value());
  return loaded.value();
}

std::shared_ptr<const Protocol> FindShipped(std::string_view id) {
  for (const auto& protocol : ShippedProtocols()) {
    if (protocol->id == id) return protocol;
  }
  return nullptr;
}

}  // namespace

const std::vector<std::shared_ptr<const Protocol>>& ShippedProtocols() {
  static const std::vector<std::shared_ptr<const Protocol>> protocols = [] {
    auto catalog = ProtocolCatalog::LoadEmbedded();
    if (!catalog.ok()) throw std::runtime_error("shipped protocols do not load: " + catalog.error().message);
    return catalog.value().protocols();
  }();
  return protocols;
}

Result<ClinicProtocol> ActiveProtocol(Transaction& txn, int64_t clinic_id, std::string_view protocol_id) {
  std::shared_ptr<const Protocol> shipped = FindShipped(protocol_id);
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query("SELECT version, document, digest FROM protocol_versions WHERE clinic_id = ? AND "
                                "protocol_id = ? ORDER BY version DESC LIMIT 1",
                                {clinic_id, std::string(protocol_id)}));
  if (!rows.empty() && (!shipped || rows[0].Int(0) > shipped->version)) {
    return ClinicProtocol{LoadStored(rows[0].Text(2), rows[0].Text(1)), "clinic"};
  }
  if (!shipped) return NotFound(fmt::format("no protocol '{}' in this clinic", protocol_id));
  return ClinicProtocol{shipped, "shipped"};
}

Result<std::vector<ClinicProtocol>> ActiveProtocols(Transaction& txn, int64_t clinic_id) {
  std::map<std::string, ClinicProtocol> by_id;
  for (const auto& protocol : ShippedProtocols()) by_id[protocol->id] = ClinicProtocol{protocol, "shipped"};
  KC_ASSIGN_OR_RETURN(SqlRows ids,
                      txn.Query("SELECT DISTINCT protocol_id FROM protocol_versions WHERE clinic_id = ?", {clinic_id}));
  for (const SqlRow& row : ids) {
    KC_ASSIGN_OR_RETURN(ClinicProtocol active, ActiveProtocol(txn, clinic_id, row.Text(0)));
    by_id[row.Text(0)] = std::move(active);
  }
  std::vector<ClinicProtocol> out;
  for (auto& [id, protocol] : by_id) out.push_back(std::move(protocol));
  return out;
}

Result<ClinicProtocol> ProtocolVersion(Transaction& txn, int64_t clinic_id, std::string_view protocol_id,
                                       int64_t version) {
  std::shared_ptr<const Protocol> shipped = FindShipped(protocol_id);
  if (shipped && shipped->version == version) return ClinicProtocol{shipped, "shipped"};
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query("SELECT document, digest FROM protocol_versions WHERE clinic_id = ? AND "
                                "protocol_id = ? AND version = ?",
                                {clinic_id, std::string(protocol_id), version}));
  if (rows.empty()) return NotFound(fmt::format("no version {} of protocol '{}' in this clinic", version, protocol_id));
  return ClinicProtocol{LoadStored(rows[0].Text(1), rows[0].Text(0)), "clinic"};
}

std::optional<double> ProtocolQuantityValue(const Protocol& protocol, std::string_view quantity_id) {
  auto find = [&](const std::vector<ProtocolQuantity>& list) -> const ProtocolQuantity* {
    for (const auto& q : list) {
      if (q.id == quantity_id) return &q;
    }
    return nullptr;
  };
  for (const auto* list : {&protocol.dosing_parameters, &protocol.pre_dose_limits, &protocol.monitoring_intervals,
                           &protocol.alarm_thresholds, &protocol.discharge_limits}) {
    if (const ProtocolQuantity* q = find(*list)) return q->value;
  }
  for (const auto* items : {&protocol.dosing_schedule, &protocol.preparation, &protocol.pre_dose_checks,
                            &protocol.monitoring_instructions, &protocol.discharge_criteria, &protocol.after_care}) {
    for (const ProtocolItem& item : *items) {
      if (const ProtocolQuantity* q = find(item.quantities)) return q->value;
    }
  }
  return std::nullopt;
}

}  // namespace ketachart
