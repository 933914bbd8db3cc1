// Hash-chained audit trail (see audit_trail.h).
#include "services/audit_trail.h"

#include <fmt/format.h>

#include "base/crypto.h"
#include "services/audit_patient_index.h"

namespace ketachart {
namespace {

constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

std::string OptionalIntText(const std::optional<int64_t>& value) {
  return value ? std::to_string(*value) : std::string();
}

// The hashed form: every field, separated by the ASCII unit separator so no
// field value can imitate a boundary.
std::string EventHash(std::string_view previous_hash, const AuditEventView& e) {
  const std::string canonical = fmt::format(
      "{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", previous_hash, e.id,
      e.occurred_at, OptionalIntText(e.user_id), e.username, OptionalIntText(e.clinic_id), e.action,
      e.resource_type, e.resource_id, OptionalIntText(e.patient_id), e.outcome, e.client_address,
      e.detail);
  return Sha256Hex(canonical);
}

constexpr std::string_view kEventColumns =
    "id, occurred_at, user_id, username, clinic_id, action, resource_type, resource_id, patient_id, "
    "outcome, client_address, detail";

// The name the audit chain head is held under (store/held_heads.h).
const std::string kHeldAuditHead = "audit";

AuditEventView EventFromRow(const SqlRow& row) {
  return AuditEventView{row.Int(0),         row.Text(1),        row.OptionalInt(2), row.Text(3),
                        row.OptionalInt(4), row.Text(5),        row.Text(6),        row.Text(7),
                        row.OptionalInt(8), row.Text(9),        row.Text(10),       row.Text(11)};
}

}  // namespace

std::string_view AuditOutcomeName(AuditOutcome outcome) {
  switch (outcome) {
    case AuditOutcome::kSuccess: return "success";
    case AuditOutcome::kDenied: return "denied";
    case AuditOutcome::kFailed: return "failed";
  }
  return "failed";
}

bool HoldsAuditChainHead(Transaction& txn) { return txn.held_heads().Find(kHeldAuditHead).has_value(); }

void HoldAuditChainHead(Transaction& txn, ChainHead head) {
  txn.held_heads().Hold(kHeldAuditHead, "UPDATE audit_chain_head SET last_event_id = ?, last_hash = ? WHERE id = ?", 1,
                        std::move(head));
}

Status AppendAuditEvents(Transaction& txn, std::span<const AuditRecord> records) {
  if (records.empty()) return Status::Ok();
  // Locking the head row serialises chain writers: no two events can claim the
  // same predecessor (PostgreSQL: row lock + SERIALIZABLE retry; SQLite: the
  // write lock taken by BEGIN IMMEDIATE).
  const char* head_sql = txn.dialect() == Dialect::kPostgresql
                             ? "SELECT last_event_id, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE"
                             : "SELECT last_event_id, last_hash FROM audit_chain_head WHERE id = 1";
  // A head this transaction already holds (an earlier work of its write
  // group) is not read again; it is written back once before commit.
  std::optional<ChainHead> held = txn.held_heads().Find(kHeldAuditHead);
  if (!held) {
    KC_ASSIGN_OR_RETURN(SqlRows head, txn.Query(head_sql));
    if (head.empty()) return Internal("audit chain head is missing");
    held = ChainHead{head[0].Int(0), head[0].Text(1)};
    HoldAuditChainHead(txn, *held);
  }
  static const std::string insert_sql = fmt::format(
      "INSERT INTO audit_events ({}, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      kEventColumns);
  int64_t last_id = held->last_sequence;
  std::string last_hash = held->last_hash;
  for (const AuditRecord& record : records) {
    const Actor& actor = *record.actor;
    const AuditEntry& entry = *record.entry;
    AuditEventView event{
        last_id + 1,
        FormatTimestamp(record.now),
        actor.user_id ? std::optional<int64_t>(actor.user_id) : std::nullopt,
        actor.username.empty() ? std::string("anonymous") : actor.username,
        actor.clinic_id ? std::optional<int64_t>(actor.clinic_id) : std::nullopt,
        entry.action,
        entry.resource_type,
        entry.resource_id,
        entry.patient_id,
        std::string(AuditOutcomeName(entry.outcome)),
        actor.client_address,
        entry.detail,
    };
    std::string hash = EventHash(last_hash, event);
    // Sent without waiting: the next statement or the commit reports a failure.
    KC_RETURN_IF_ERROR(txn.ExecuteLater(
        insert_sql, {event.id, event.occurred_at, SqlOptional(event.user_id), event.username,
                     SqlOptional(event.clinic_id), event.action, event.resource_type, event.resource_id,
                     SqlOptional(event.patient_id), event.outcome, event.client_address, event.detail,
                     std::move(last_hash), hash}));
    last_id = event.id;
    last_hash = std::move(hash);
  }
  txn.held_heads().Move(kHeldAuditHead, ChainHead{last_id, std::move(last_hash)});
  return Status::Ok();
}

Status AppendAuditEvent(Transaction& txn, const Actor& actor, const AuditEntry& entry, TimePoint now) {
  const AuditRecord record{&actor, &entry, now};
  return AppendAuditEvents(txn, std::span<const AuditRecord>(&record, 1));
}

Status RecordAuditEventAlone(Database& database, const Actor& actor, const AuditEntry& entry,
                             TimePoint now) {
  return database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) {
    return AppendAuditEvent(txn, actor, entry, now);
  });
}

namespace {

// The filters other than the patient, on columns of `alias`.
void AppendAuditFilters(const AuditQuery& query, std::string_view alias, std::string& sql, SqlParams& params) {
  if (query.clinic_id) {
    // Events outside any clinic (anonymous 401s, failed log-ins) belong to
    // every clinic's auditors: password guessing must be reviewable.
    sql += fmt::format(" AND ({0}.clinic_id = ? OR {0}.clinic_id IS NULL)", alias);
    params.emplace_back(*query.clinic_id);
  }
  if (query.username) {
    sql += fmt::format(" AND {}.username = ?", alias);
    params.emplace_back(*query.username);
  }
  if (query.from) {
    sql += fmt::format(" AND {}.occurred_at >= ?", alias);
    params.emplace_back(*query.from);
  }
  if (query.to) {
    sql += fmt::format(" AND {}.occurred_at < ?", alias);
    params.emplace_back(*query.to);
  }
  if (query.before_id) {
    sql += fmt::format(" AND {}.id < ?", alias);
    params.emplace_back(*query.before_id);
  }
}

std::string EventColumnsListOf(std::string_view alias) {
  std::string out;
  for (std::string_view rest = kEventColumns; !rest.empty();) {
    const size_t comma = rest.find(", ");
    if (!out.empty()) out += ", ";
    out += fmt::format("{}.{}", alias, rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
  }
  return out;
}

// The event columns qualified with the alias "e" (built once).
const std::string& EventColumnsOfE() {
  static const std::string columns = EventColumnsListOf("e");
  return columns;
}

// Events of one patient, newest first: those after the patient index's mark
// by a primary-key range scan of the tail (not yet indexed), then those up to
// the mark through the index. Every tail id is above every indexed id, so the
// two lists concatenate in order, and together they hold every event.
Result<SqlRows> QueryPatientAuditEvents(Transaction& txn, const AuditQuery& query, int64_t wanted) {
  KC_ASSIGN_OR_RETURN(int64_t mark, AuditPatientIndexMark(txn));
  std::string tail_sql = fmt::format("SELECT {} FROM audit_events e WHERE e.id > ? AND e.patient_id = ?",
                                     EventColumnsOfE());
  SqlParams tail_params{mark, *query.patient_id};
  AppendAuditFilters(query, "e", tail_sql, tail_params);
  tail_sql += " ORDER BY e.id DESC LIMIT ?";
  tail_params.emplace_back(wanted);
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(tail_sql, tail_params));
  if (static_cast<int64_t>(rows.size()) >= wanted) return rows;

  std::string indexed_sql = fmt::format(
      "SELECT {} FROM audit_patient_index i JOIN audit_events e ON e.id = i.event_id "
      "WHERE i.patient_id = ? AND i.event_id <= ?",
      EventColumnsOfE());
  SqlParams indexed_params{*query.patient_id, mark};
  if (query.before_id) {
    // On the index column too, so the scan starts at the page boundary.
    indexed_sql += " AND i.event_id < ?";
    indexed_params.emplace_back(*query.before_id);
  }
  AppendAuditFilters(query, "e", indexed_sql, indexed_params);
  indexed_sql += " ORDER BY i.event_id DESC LIMIT ?";
  indexed_params.emplace_back(wanted - static_cast<int64_t>(rows.size()));
  KC_ASSIGN_OR_RETURN(SqlRows indexed, txn.Query(indexed_sql, indexed_params));
  for (SqlRow& row : indexed) rows.push_back(std::move(row));
  return rows;
}

}  // namespace

std::string AuditEventsPageSql(const AuditQuery& query, SqlParams& params) {
  std::string sql = fmt::format("SELECT {} FROM audit_events e WHERE 1 = 1", EventColumnsOfE());
  AppendAuditFilters(query, "e", sql, params);
  sql += " ORDER BY e.id DESC LIMIT ?";
  params.emplace_back(int64_t{query.limit} + 1);  // one more tells whether a next page exists
  return sql;
}

Result<AuditPage> QueryAuditEvents(Transaction& txn, const AuditQuery& query) {
  const int64_t wanted = int64_t{query.limit} + 1;
  SqlRows rows;
  if (query.patient_id) {
    KC_ASSIGN_OR_RETURN(rows, QueryPatientAuditEvents(txn, query, wanted));
  } else {
    SqlParams params;
    const std::string sql = AuditEventsPageSql(query, params);
    KC_ASSIGN_OR_RETURN(rows, txn.Query(sql, params));
  }
  AuditPage page;
  for (const SqlRow& row : rows) {
    if (static_cast<int>(page.items.size()) == query.limit) {
      page.next_before_id = page.items.back().id;
      break;
    }
    page.items.push_back(EventFromRow(row));
  }
  return page;
}

Result<AuditVerification> VerifyAuditChain(Database& database) {
  AuditVerification result;
  std::string previous_hash(kGenesisHash);
  int64_t expected_id = 1;
  constexpr int64_t kBatch = 5000;
  for (;;) {
    bool done = false;
    Status status = database.Run(TransactionMode::kReadOnly, [&](Transaction& txn) -> Status {
      KC_ASSIGN_OR_RETURN(
          SqlRows rows,
          txn.Query(fmt::format("SELECT {}, previous_hash, hash FROM audit_events WHERE id >= ? ORDER BY id "
                                "LIMIT ?",
                                kEventColumns),
                    {expected_id, kBatch}));
      for (const SqlRow& row : rows) {
        AuditEventView event = EventFromRow(row);
        auto fail = [&](std::string problem) {
          result.intact = false;
          result.first_bad_event_id = event.id;
          result.problem = std::move(problem);
          done = true;
        };
        if (event.id != expected_id) {
          fail(fmt::format("event {} is missing (next present is {})", expected_id, event.id));
          result.first_bad_event_id = expected_id;
          return Status::Ok();
        }
        if (row.Text(12) != previous_hash) {
          fail("its previous_hash does not match the hash of the event before it");
          return Status::Ok();
        }
        if (row.Text(13) != EventHash(previous_hash, event)) {
          fail("its contents do not match its hash (the row was altered)");
          return Status::Ok();
        }
        previous_hash = row.Text(13);
        ++expected_id;
        ++result.events_checked;
      }
      if (static_cast<int64_t>(rows.size()) < kBatch) {
        // The head must point at the last event: rows removed from the end are detected here.
        KC_ASSIGN_OR_RETURN(SqlRows head,
                            txn.Query("SELECT last_event_id, last_hash FROM audit_chain_head WHERE id = 1"));
        if (head.empty() || head[0].Int(0) != expected_id - 1 || head[0].Text(1) != previous_hash) {
          result.intact = false;
          result.first_bad_event_id = expected_id;
          result.problem = "the chain head does not match the last event (events removed from the end?)";
        }
        done = true;
      }
      return Status::Ok();
    });
    if (!status.ok()) return status.error();
    if (done) break;
  }
  if (!result.intact) return result;
  // The by-patient lookup must agree with the trail, or a by-patient query
  // could miss an event (or show one under the wrong patient).
  Status checked = database.Run(TransactionMode::kReadOnly, [&](Transaction& txn) -> Status {
    KC_ASSIGN_OR_RETURN(std::optional<std::string> problem,
                        CheckAuditPatientIndex(txn, result.patient_index_rows_checked));
    if (problem) {
      result.intact = false;
      result.problem = std::move(*problem);
    }
    return Status::Ok();
  });
  if (!checked.ok()) return checked.error();
  return result;
}

}  // namespace ketachart
