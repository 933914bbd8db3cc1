// The audit trail's by-patient lookup (migration 0016), filled off the
// request path. Maintaining an index on audit_events (patient_id, id) inside
// every audit commit dirtied one random index page per read of a random
// chart, the largest share of the bytes written per audited read. Instead,
// the events are written and hash-chained exactly as before, and
// audit_patient_index (patient_id, event_id) is filled later, in sorted
// batches, from the high-water mark audit_patient_index_mark.indexed_through.
// A by-patient query (QueryAuditEvents) reads the index up to the mark and
// scans the events after it by primary key, in one snapshot, so an event is
// found whether or not it has been indexed yet: the lag only moves work from
// the index to the short tail scan.
//
// AuditPatientIndexer runs the batches on a background thread of the server
// every `period` (audit.patient_index_interval_seconds); each batch is one
// transaction that advances the mark with the rows it adds, so a crash or a
// restart resumes where the last commit left off and never indexes an event
// twice. Several servers on one PostgreSQL database may all run it: the mark
// row is locked, so their batches take turns.
// Functions are thread-safe through the database; AuditPatientIndexer is
// thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/result.h"
#include "store/database.h"

namespace ketachart {

// The mark: every event with id <= it that names a patient is in the index.
Result<int64_t> AuditPatientIndexMark(Transaction& txn);

// Events per indexing transaction: large enough that a batch's rows share
// index pages, small enough that it holds the write lock for milliseconds.
inline constexpr int64_t kAuditIndexBatchEvents = 10000;

struct AuditIndexBatch {
  int64_t events_covered = 0;   // events after the old mark this batch passed (with or without a patient)
  int64_t rows_added = 0;       // index rows written (events naming a patient)
  int64_t indexed_through = 0;  // the mark after the batch
};

// Indexes up to `max_events` events after the mark in one read-write
// transaction and advances the mark past them.
Result<AuditIndexBatch> IndexAuditEventsByPatient(Database& database, int64_t max_events);

// Runs batches until one finds fewer than `batch_events` events (caught up
// with what was committed when it ran); returns the total.
Result<AuditIndexBatch> CatchUpAuditPatientIndex(Database& database, int64_t batch_events = kAuditIndexBatchEvents);

// Checks, in one snapshot, that the index holds exactly one row for every
// event up to the mark that names a patient and nothing else. Returns the
// problem found, or nullopt when the index agrees with the trail; sets
// `rows_checked`.
Result<std::optional<std::string>> CheckAuditPatientIndex(Transaction& txn, int64_t& rows_checked);

class AuditPatientIndexer {
 public:
  // Catches up once at once (on the background thread), then every `period`.
  AuditPatientIndexer(Database& database, std::chrono::milliseconds period);
  ~AuditPatientIndexer();
  AuditPatientIndexer(const AuditPatientIndexer&) = delete;
  AuditPatientIndexer& operator=(const AuditPatientIndexer&) = delete;

  // Stops the thread after the batch it is running (idempotent).
  void Stop();

 private:
  void Loop();

  Database& database_;
  std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ketachart
