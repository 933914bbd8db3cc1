// The store's one small interface, with two dialects behind it: SQLite
// (embedded, one clinic) and PostgreSQL (a network of clinics). Services write
// portable SQL with '?' placeholders against a Transaction; Database::Run
// wraps each use case in exactly one transaction, commits when the work
// returns OK, rolls back otherwise, and retries transient failures
// (PostgreSQL serialization failures and deadlocks, SQLite busy) with
// jittered exponential backoff. The work function may therefore run more than
// once and must not have side effects outside the transaction.
//
// Thread-safety: Database is thread-safe (a pool of connections); a
// Transaction belongs to the thread running the work function.
//
// Portable-SQL conventions (both dialects): integers are BIGINT/INTEGER, booleans
// are 0/1 integers, timestamps are UTC ISO-8601 text (base/clock.h), JSON
// documents are text, `INSERT ... RETURNING id` for new ids.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "store/database_memo.h"
#include "store/held_heads.h"

namespace ketachart {

class WriteGroup;
struct WriteGroupCounters {
  size_t groups = 0;   // groups run (committed or not)
  size_t works = 0;    // works those groups held
  size_t waiting = 0;  // works queued now, not yet in a group
  size_t replayed = 0; // groups run again one flush per work, after a failure no single work could be charged with
};

enum class Dialect { kSqlite, kPostgresql };

using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

inline SqlValue SqlNull() { return std::monostate{}; }
template <typename T>
SqlValue SqlOptional(const std::optional<T>& value) {
  if (!value) return std::monostate{};
  return SqlValue(*value);
}

// One result row; values are typed as the database returned them (PostgreSQL
// integers, floats and text are converted by column type).
class SqlRow {
 public:
  explicit SqlRow(std::vector<SqlValue> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t column) const { return std::holds_alternative<std::monostate>(values_.at(column)); }
  // Integer value; text holding digits is converted; NULL is 0.
  int64_t Int(size_t column) const;
  double Real(size_t column) const;
  // Text value; numbers are formatted; NULL is "".
  std::string Text(size_t column) const;
  std::optional<std::string> OptionalText(size_t column) const;
  std::optional<int64_t> OptionalInt(size_t column) const;
  const SqlValue& at(size_t column) const { return values_.at(column); }

 private:
  std::vector<SqlValue> values_;
};

using SqlRows = std::vector<SqlRow>;

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement, '?' placeholders bound in order, and returns its rows.
  // A unique-constraint violation is kConflict; a serialization failure is
  // kSerializationFailure (Database::Run retries it); other failures kInternal.
  virtual Result<SqlRows> Query(std::string_view sql, const SqlParams& params = {}) = 0;
  // Runs one statement and returns the number of rows it changed.
  virtual Result<int64_t> Execute(std::string_view sql, const SqlParams& params = {}) = 0;
  // Runs several ';'-separated statements without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;
  // Runs a statement whose outcome the caller does not need at once (an
  // append whose rows are not read back). PostgreSQL sends it without waiting
  // for the server (pipeline mode), so consecutive appends share one round
  // trip; its failure is reported by the next statement, or by Flush. SQLite
  // runs it at once (and reports a failure at once).
  virtual Status ExecuteLater(std::string_view sql, const SqlParams& params = {}) {
    return Execute(sql, params).status();
  }
  // One statement without parameters that need not be prepared (BEGIN, LOCK
  // TABLE, SAVEPOINT, RELEASE SAVEPOINT), sent like ExecuteLater: on
  // PostgreSQL it travels with the next statement or Flush, and its failure is
  // reported there. SQLite runs it at once.
  virtual Status ExecuteUtilityLater(std::string_view sql) { return ExecuteScript(sql); }
  // Waits for every statement sent by ExecuteLater and returns the first
  // failure among them (OK when none is outstanding).
  virtual Status Flush() { return Status::Ok(); }
  // True when a statement of this transaction has failed and nothing more can
  // succeed until it rolls back (to a savepoint): PostgreSQL's aborted
  // transaction. Knows only of results already received (Flush first to know
  // of every one). A failed SQLite statement leaves its transaction usable.
  virtual bool failed() const { return false; }

  // Chain heads this transaction has locked and advanced, written back just
  // before commit (store/held_heads.h).
  HeldHeads& held_heads() { return held_heads_; }

  // The Database's memo (store/database_memo.h), shared by its transactions.
  DatabaseMemo& memo() { return memo_ ? *memo_ : own_memo_; }
  // Runs `publish` after this transaction commits (never if it does not, nor
  // for a grouped work rolled back to its savepoint): how facts read here
  // reach a memo only once they are durable.
  void AfterCommit(std::function<void()> publish) { after_commit_.push_back(std::move(publish)); }
  std::vector<std::function<void()>>& after_commit() { return after_commit_; }
  void set_memo(DatabaseMemo* memo) { memo_ = memo; }

 private:
  HeldHeads held_heads_;
  DatabaseMemo* memo_ = nullptr;
  DatabaseMemo own_memo_;  // outside Database::Run: remembered by nobody else
  std::vector<std::function<void()>> after_commit_;
};

enum class TransactionMode { kReadOnly, kReadWrite };

// A connection as the pool sees it: a Transaction plus its boundaries.
class Connection : public Transaction {
 public:
  virtual Status Begin(TransactionMode mode) = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  // False after a fatal error (e.g. the server went away); the pool drops it.
  virtual bool healthy() const { return true; }
};

struct DatabaseOptions {
  // "postgresql://..." or "postgres://..." selects PostgreSQL; anything else is
  // a SQLite file path (created if missing).
  std::string location;
  size_t max_connections = 8;
  int busy_timeout_ms = 5000;   // SQLite: how long a writer waits for the lock
  int max_attempts = 30;        // transient-failure retries in Run (backoff capped at 200 ms)
};

class Database {
 public:
  virtual ~Database();
  static Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options);

  Dialect dialect() const { return dialect_; }
  // Location without secrets (PostgreSQL passwords are masked), for logs.
  virtual std::string Describe() const = 0;

  // Runs `work` in one transaction (see the header comment for retries).
  Status Run(TransactionMode mode, const std::function<Status(Transaction&)>& work);

  template <typename T>
  Result<T> Run(TransactionMode mode, const std::function<Result<T>(Transaction&)>& work) {
    std::optional<Result<T>> out;
    Status status = Run(mode, [&](Transaction& txn) -> Status {
      out.emplace(work(txn));
      return out->status();
    });
    if (!status.ok()) return status.error();
    return std::move(*out);
  }

  // Runs `work` in a read-write transaction it may share with other threads'
  // works submitted at the same moment, each in its own savepoint, committed
  // once (group commit; store/write_group.h). Same contract as Run: returns
  // after the commit holding the work is durable, with the work's own status.
  // For hot write paths whose callers run concurrently (ledger events).
  Status RunGrouped(const std::function<Status(Transaction&)>& work);

  template <typename T>
  Result<T> RunGrouped(const std::function<Result<T>(Transaction&)>& work) {
    std::optional<Result<T>> out;
    Status status = RunGrouped([&](Transaction& txn) -> Status {
      out.emplace(work(txn));
      return out->status();
    });
    if (!status.ok()) return status.error();
    return std::move(*out);
  }

  // Groups run by RunGrouped so far, and works waiting (write_group.h).
  WriteGroupCounters GroupedWriteCounters() const;

  // PostgreSQL: every read-write transaction first takes `table` in SHARE ROW
  // EXCLUSIVE mode, before its snapshot, so writers that all touch that table
  // (the audit chain head) queue instead of failing serialization and redoing
  // their work. No effect on SQLite (one writer at a time already). Call once,
  // after Migrate() and before concurrent use.
  void SerializeWritersOn(std::string table) { writer_lock_table_ = std::move(table); }

  // Applies the embedded numbered migrations not yet applied; returns how many ran.
  Result<int> Migrate();
  // Highest applied migration version (0 for an empty database).
  Result<int> SchemaVersion();

  // Writes an online, consistent copy to `file` (SQLite backup API; pg_dump).
  virtual Status Backup(const std::string& file) = 0;

 protected:
  Database(Dialect dialect, DatabaseOptions options);
  virtual Result<std::unique_ptr<Connection>> Connect() = 0;

  DatabaseOptions options_;

 private:
  Result<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> connection);

  struct Pool;
  Dialect dialect_;
  std::string writer_lock_table_;
  std::unique_ptr<Pool> pool_;
  std::unique_ptr<WriteGroup> write_group_;
  DatabaseMemo memo_;
};

// Dialect factories (sqlite_database.cpp, postgresql_database.cpp).
Result<std::unique_ptr<Database>> OpenSqliteDatabase(const DatabaseOptions& options);
Result<std::unique_ptr<Database>> OpenPostgresqlDatabase(const DatabaseOptions& options);

bool IsPostgresqlLocation(std::string_view location);

}  // namespace ketachart
