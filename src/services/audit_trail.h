// The audit trail: who read or changed what, when, from where, and with what
// outcome (HIPAA 164.312(b) audit controls). Events are written inside the same
// transaction as the work they describe, are append-only (database triggers
// refuse UPDATE/DELETE) and hash-chained: each event's hash covers its fields
// and the previous event's hash, and ids are gap-free, so altering, removing or
// inserting a row is detected by VerifyAuditChain(). Event details never carry
// patient data beyond ids. Thread-safe through the database.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "services/actor.h"
#include "store/database.h"

namespace ketachart {

enum class AuditOutcome { kSuccess, kDenied, kFailed };

struct AuditEntry {
  std::string action;          // e.g. "patient.read", "session.login"
  std::string resource_type;   // e.g. "patient"
  std::string resource_id;     // e.g. "42" (ids only)
  std::optional<int64_t> patient_id;
  AuditOutcome outcome = AuditOutcome::kSuccess;
  std::string detail;          // short, no patient data
};

// Appends one event for `actor` in `txn`.
Status AppendAuditEvent(Transaction& txn, const Actor& actor, const AuditEntry& entry, TimePoint now);

// One event to append: who, what and when (pointers owned by the caller).
struct AuditRecord {
  const Actor* actor;
  const AuditEntry* entry;
  TimePoint now;
};
// Appends the events in order, chaining them, with one read and one update of
// the chain head (the read-audit group commit writes many at once).
Status AppendAuditEvents(Transaction& txn, std::span<const AuditRecord> records);

// For a writer that reads its own chain's head together with the audit
// chain's, in one query (one round trip fewer per transaction): whether this
// transaction holds the audit head already, and how to hold the one it read
// (columns last_event_id, last_hash of audit_chain_head id 1, read under the
// row's lock), exactly as AppendAuditEvents would have.
bool HoldsAuditChainHead(Transaction& txn);
void HoldAuditChainHead(Transaction& txn, ChainHead head);

// Writes a single event in its own transaction (denied and unauthenticated
// requests, whose work transaction never ran).
Status RecordAuditEventAlone(Database& database, const Actor& actor, const AuditEntry& entry,
                             TimePoint now);

struct AuditEventView {
  int64_t id;
  std::string occurred_at;
  std::optional<int64_t> user_id;
  std::string username;
  std::optional<int64_t> clinic_id;
  std::string action;
  std::string resource_type;
  std::string resource_id;
  std::optional<int64_t> patient_id;
  std::string outcome;
  std::string client_address;
  std::string detail;
};

struct AuditQuery {
  std::optional<int64_t> clinic_id;  // also matches events outside any clinic
  std::optional<int64_t> patient_id;
  std::optional<std::string> username;
  std::optional<std::string> from;  // inclusive ISO-8601
  std::optional<std::string> to;    // exclusive ISO-8601
  std::optional<int64_t> before_id;  // pagination: events with id < before_id
  int limit = 50;
};

// Events newest first, filtered; plus whether more exist beyond the page.
// By patient, events not yet in the patient lookup index are found too (by a
// scan of the events after its mark): every event is always returned.
struct AuditPage {
  std::vector<AuditEventView> items;
  std::optional<int64_t> next_before_id;
};
Result<AuditPage> QueryAuditEvents(Transaction& txn, const AuditQuery& query);
// The statement QueryAuditEvents runs for a query without a patient filter,
// its parameters appended to `params` (a test asks the engine for its plan).
std::string AuditEventsPageSql(const AuditQuery& query, SqlParams& params);

struct AuditVerification {
  int64_t events_checked = 0;
  bool intact = true;
  std::optional<int64_t> first_bad_event_id;
  std::string problem;  // what is wrong (at first_bad_event_id when it names an event)
  int64_t patient_index_rows_checked = 0;  // rows of the by-patient lookup found to agree with the trail
};
// Recomputes the whole chain (streams in batches; read-only), then checks
// that the by-patient lookup agrees with it (services/audit_patient_index.h);
// a disagreement there is reported with no first_bad_event_id.
Result<AuditVerification> VerifyAuditChain(Database& database);

std::string_view AuditOutcomeName(AuditOutcome outcome);

}  // namespace ketachart
