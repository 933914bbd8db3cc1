// A dosing session loaded for a use case: its row, its events in order, the
// protocol version it runs under, and the state the events establish
// (clinical/session replays them). Appending an event checks it against
// that state first and audits it in the same transaction. Shared by the
// session and note services; internal to services/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/json_input.h"
#include "base/result.h"
#include "clinical/protocols/protocol.h"
#include "clinical/session/session_rules.h"
#include "services/actor.h"
#include "store/database.h"

namespace ketachart {

struct SessionEventRow {
  int64_t sequence = 0;
  SessionEventKind kind = SessionEventKind::kCheckIn;
  std::string occurred_at;
  Json data;
  std::string recorded_at;
  std::string recorded_by;
};

struct LoadedSession {
  int64_t id = 0;
  int64_t patient_id = 0;
  int64_t course_id = 0;
  std::string protocol_id;
  int64_t protocol_version = 0;
  std::optional<int64_t> appointment_id;
  std::string chair;
  std::string checked_in_at;
  std::string checked_in_by;
  Json patient;  // {"id","mrn","family_name","given_names"}
  std::shared_ptr<const Protocol> protocol;
  SessionRules rules;  // the protocol's discharge and device-timing rules
  std::vector<SessionEventRow> events;
  SessionProgress progress;
  std::optional<int64_t> last_monitor_bp_ms;  // the newest blood pressure from the chair's monitor
};

// NotFound unless the session belongs to the clinic.
Result<LoadedSession> LoadSession(Transaction& txn, int64_t clinic_id, int64_t session_id);

// The facts of a stored event the state machine reads.
SessionEventFacts FactsOf(SessionEventKind kind, const Json& data);

// Checks `kind` against the session's state at `occurred_at`, appends it and
// its audit event; updates `session`. A refusal is kConflict naming the rule.
Status AppendSessionEvent(Transaction& txn, const Actor& actor, LoadedSession& session, SessionEventKind kind,
                          TimePoint occurred_at, Json data, TimePoint now);

// The session as the API shows it (`now` for timers and what is due).
Json SessionJson(const LoadedSession& session, TimePoint now);
// The short form for the day list.
Json SessionSummaryJson(const LoadedSession& session, TimePoint now);

// Milliseconds since the epoch of a stored timestamp.
int64_t TimestampMs(const std::string& text);

}  // namespace ketachart
