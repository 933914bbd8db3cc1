// The session note: a summary assembled from the session's timeline (protocol
// version, dose order, administration times, vitals ranges, scores, rescue
// medication, adverse events, discharge) plus the fields the prescriber
// completes (assessment, response, plan; complications optional). Drafts are
// saved as versions (optimistic version check); signing needs the session
// ended (discharged or cancelled) and every required field filled, and locks
// the note — the store refuses any later version. After signing only signed
// addenda are added. Every call checks permission and audits. Thread-safe.
#pragma once

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

class SessionNoteService {
 public:
  explicit SessionNoteService(ServiceContext& context) : context_(context) {}

  Result<Json> GetNote(const Actor& actor, int64_t session_id);
  // Body: {"fields": {"assessment","response","plan","complications"}, "version": the version edited (0: none)}.
  Result<Json> SaveDraft(const Actor& actor, int64_t session_id, const Json& body);
  // Body: {"version"}: signs that version (it must be the latest).
  Result<Json> Sign(const Actor& actor, int64_t session_id, const Json& body);
  // Body: {"text"}: a signed addendum to a signed note.
  Result<Json> AddAddendum(const Actor& actor, int64_t session_id, const Json& body);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
