// Treatment protocols as a clinic sees and edits them: the active version of
// each (shipped, or the clinic's own newer version), one protocol with its
// version history, and publishing a new version. A new version must pass the
// strict loader (clinical/protocols/protocol.h: every number cited, unknown
// fields refused) and carry the next version number; earlier versions stay,
// so every stored decision and session names the exact text it ran under.
// Protocols hold no patient data, so reads are not audited; publishing is.
// Thread-safe.
#pragma once

#include <string>

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

class ProtocolService {
 public:
  explicit ProtocolService(ServiceContext& context) : context_(context) {}

  Result<Json> ListProtocols(const Actor& actor);
  Result<Json> GetProtocol(const Actor& actor, const std::string& protocol_id);
  // Body: {"document": protocol document, "change_reason": string}.
  Result<Json> PublishVersion(const Actor& actor, const std::string& protocol_id, const Json& body);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
