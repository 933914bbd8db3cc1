// The audit trail's by-patient lookup, filled in batches (see audit_patient_index.h).
#include "services/audit_patient_index.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace ketachart {
namespace {

// Rows per INSERT statement: one statement per chunk instead of per row, with
// a fixed text so each connection prepares it once.
constexpr size_t kRowsPerInsert = 64;

std::string InsertSql(size_t rows) {
  std::string sql = "INSERT INTO audit_patient_index (patient_id, event_id) VALUES ";
  for (size_t i = 0; i < rows; ++i) sql += i ? ", (?, ?)" : "(?, ?)";
  return sql;
}

}  // namespace

Result<int64_t> AuditPatientIndexMark(Transaction& txn) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT indexed_through FROM audit_patient_index_mark WHERE id = 1"));
  if (rows.empty()) return Internal("the audit patient index mark is missing");
  return rows[0].Int(0);
}

Result<AuditIndexBatch> IndexAuditEventsByPatient(Database& database, int64_t max_events) {
  if (max_events < 1) return InvalidInput("max_events", "must be at least 1");
  return database.Run<AuditIndexBatch>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<AuditIndexBatch> {
    // Locking the mark makes concurrent indexers (several servers on one
    // PostgreSQL database) take turns; on SQLite the write lock does.
    const char* mark_sql = txn.dialect() == Dialect::kPostgresql
                               ? "SELECT indexed_through FROM audit_patient_index_mark WHERE id = 1 FOR UPDATE"
                               : "SELECT indexed_through FROM audit_patient_index_mark WHERE id = 1";
    KC_ASSIGN_OR_RETURN(SqlRows mark_rows, txn.Query(mark_sql));
    if (mark_rows.empty()) return Internal("the audit patient index mark is missing");
    AuditIndexBatch batch;
    const int64_t mark = mark_rows[0].Int(0);
    batch.indexed_through = mark;
    // Event ids are gap-free and committed in id order (the chain head
    // serialises audit writers), so every event up to the last one read is
    // committed and none is skipped.
    KC_ASSIGN_OR_RETURN(SqlRows events,
                        txn.Query("SELECT id, patient_id FROM audit_events WHERE id > ? ORDER BY id LIMIT ?",
                                  {mark, max_events}));
    if (events.empty()) return batch;
    std::vector<std::pair<int64_t, int64_t>> rows;  // (patient_id, event_id)
    rows.reserve(events.size());
    for (const SqlRow& event : events) {
      if (!event.IsNull(1)) rows.emplace_back(event.Int(1), event.Int(0));
    }
    // In index order, so consecutive rows land on the same index page.
    std::sort(rows.begin(), rows.end());
    static const std::string chunk_sql = InsertSql(kRowsPerInsert);
    static const std::string row_sql = InsertSql(1);
    size_t next = 0;
    for (; next + kRowsPerInsert <= rows.size(); next += kRowsPerInsert) {
      SqlParams params;
      params.reserve(2 * kRowsPerInsert);
      for (size_t i = next; i < next + kRowsPerInsert; ++i) {
        params.emplace_back(rows[i].first);
        params.emplace_back(rows[i].second);
      }
      KC_RETURN_IF_ERROR(txn.ExecuteLater(chunk_sql, params));
    }
    for (; next < rows.size(); ++next) {
      KC_RETURN_IF_ERROR(txn.ExecuteLater(row_sql, {rows[next].first, rows[next].second}));
    }
    batch.events_covered = static_cast<int64_t>(events.size());
    batch.rows_added = static_cast<int64_t>(rows.size());
    batch.indexed_through = events.back().Int(0);
    KC_RETURN_IF_ERROR(txn.Execute("UPDATE audit_patient_index_mark SET indexed_through = ? WHERE id = 1",
                                   {batch.indexed_through}));
    return batch;
  });
}

Result<AuditIndexBatch> CatchUpAuditPatientIndex(Database& database, int64_t batch_events) {
  AuditIndexBatch total;
  for (;;) {
    KC_ASSIGN_OR_RETURN(AuditIndexBatch batch, IndexAuditEventsByPatient(database, batch_events));
    total.events_covered += batch.events_covered;
    total.rows_added += batch.rows_added;
    total.indexed_through = batch.indexed_through;
    if (batch.events_covered < batch_events) return total;
  }
}

Result<std::optional<std::string>> CheckAuditPatientIndex(Transaction& txn, int64_t& rows_checked) {
  KC_ASSIGN_OR_RETURN(int64_t mark, AuditPatientIndexMark(txn));
  KC_ASSIGN_OR_RETURN(SqlRows head, txn.Query("SELECT last_event_id FROM audit_chain_head WHERE id = 1"));
  if (head.empty()) return Internal("audit chain head is missing");
  if (mark > head[0].Int(0)) {
    return std::optional<std::string>(fmt::format(
        "the patient index claims events through {} but the trail ends at {}", mark, head[0].Int(0)));
  }
  // Every index row must point at an event up to the mark naming that patient...
  KC_ASSIGN_OR_RETURN(
      SqlRows stray,
      txn.Query("SELECT i.patient_id, i.event_id FROM audit_patient_index i LEFT JOIN audit_events e ON e.id = "
                "i.event_id WHERE e.id IS NULL OR e.patient_id IS NULL OR e.patient_id <> i.patient_id OR "
                "i.event_id > ? LIMIT 1",
                {mark}));
  if (!stray.empty()) {
    return std::optional<std::string>(
        fmt::format("the patient index row (patient {}, event {}) does not match the trail", stray[0].Int(0),
                    stray[0].Int(1)));
  }
  // ...so each row matches a distinct event, and equal counts mean none is missing.
  KC_ASSIGN_OR_RETURN(SqlRows indexed, txn.Query("SELECT COUNT(*) FROM audit_patient_index"));
  KC_ASSIGN_OR_RETURN(SqlRows expected,
                      txn.Query("SELECT COUNT(*) FROM audit_events WHERE id <= ? AND patient_id IS NOT NULL", {mark}));
  rows_checked = indexed[0].Int(0);
  if (indexed[0].Int(0) != expected[0].Int(0)) {
    return std::optional<std::string>(
        fmt::format("the patient index holds {} rows but the trail has {} events naming a patient through event {}",
                    indexed[0].Int(0), expected[0].Int(0), mark));
  }
  return std::optional<std::string>();
}

AuditPatientIndexer::AuditPatientIndexer(Database& database, std::chrono::milliseconds period)
    : database_(database), period_(period), thread_([this] { Loop(); }) {}

AuditPatientIndexer::~AuditPatientIndexer() { Stop(); }

void AuditPatientIndexer::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AuditPatientIndexer::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // Batches until one is short (caught up), checking for Stop() between them.
    bool caught_up = false;
    while (!caught_up && !stopping_) {
      lock.unlock();
      try {
        auto batch = IndexAuditEventsByPatient(database_, kAuditIndexBatchEvents);
        if (batch.ok()) {
          caught_up = batch.value().events_covered < kAuditIndexBatchEvents;
        } else {
          spdlog::warn("audit patient index batch failed ({}); retrying", batch.error().message);
          caught_up = true;
        }
      } catch (const std::exception& e) {
        spdlog::error("audit patient index batch threw: {}", e.what());
        caught_up = true;
      }
      lock.lock();
    }
    if (wake_.wait_for(lock, period_, [this] { return stopping_; })) break;
  }
}

}  // namespace ketachart
