// Loading the shipped protocols (see protocol_catalog.h).
#include "clinical/protocols/protocol_catalog.h"

#include <fmt/format.h>

#include <algorithm>

namespace ketachart {

Result<ProtocolCatalog> ProtocolCatalog::Load(std::span<const EmbeddedFile> files) {
  ProtocolCatalog catalog;
  for (const auto& file : files) {
    if (file.path.empty()) continue;
    auto loaded = LoadProtocolText(file.content);
    if (!loaded.ok()) {
      Error error = loaded.error();
      error.field = error.field.empty() ? std::string(file.path)
                                        : fmt::format("{}: {}", file.path, error.field);
      return error;
    }
    auto protocol = std::move(loaded).value();
    auto same = std::find_if(catalog.protocols_.begin(), catalog.protocols_.end(),
                             [&](const auto& p) { return p->id == protocol->id; });
    if (same == catalog.protocols_.end()) {
      catalog.protocols_.push_back(std::move(protocol));
    } else if ((*same)->version == protocol->version) {
      return InvalidInput(std::string(file.path), fmt::format("protocol {} v{} is shipped twice",
                                                              protocol->id, protocol->version));
    } else if ((*same)->version < protocol->version) {
      *same = std::move(protocol);
    }
  }
  std::sort(catalog.protocols_.begin(), catalog.protocols_.end(),
            [](const auto& a, const auto& b) { return a->id < b->id; });
  return catalog;
}

std::shared_ptr<const Protocol> ProtocolCatalog::Find(std::string_view id) const {
  for (const auto& protocol : protocols_) {
    if (protocol->id == id) return protocol;
  }
  return nullptr;
}

}  // namespace ketachart
