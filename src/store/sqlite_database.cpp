// SQLite dialect of the store: WAL journal, foreign keys on, a busy timeout,
// synchronous=FULL so an acknowledged commit survives power loss, and a
// prepared-statement cache per connection. Writers use BEGIN IMMEDIATE so the
// write lock is taken up front (no deadlock-prone lock upgrades).
#include <sqlite3.h>
#include <sys/stat.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "store/database.h"

namespace ketachart {
namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  const std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Error{ErrorCode::kSerializationFailure, message, {}};
  }
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Error{ErrorCode::kConflict, message, {}};
  }
  return Error{ErrorCode::kInternal, message, {}};
}

class SqliteConnection final : public Connection {
 public:
  // `writer_lock` is shared by every connection of one database in this
  // process: writers queue on it in order instead of polling SQLite's busy
  // handler (which sleeps and retries, and made the latency tail long).
  SqliteConnection(sqlite3* db, std::shared_ptr<std::mutex> writer_lock)
      : db_(db), writer_lock_(std::move(writer_lock)) {}
  ~SqliteConnection() override {
    ReleaseWriterLock();
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  // Transaction boundaries go through the prepared-statement cache too (one
  // parse per connection instead of one per transaction).
  Status Begin(TransactionMode mode) override {
    if (mode == TransactionMode::kReadOnly) return Step("BEGIN DEFERRED", {}, nullptr);
    writer_lock_->lock();
    holds_writer_lock_ = true;
    Status status = Step("BEGIN IMMEDIATE", {}, nullptr);
    if (!status.ok()) ReleaseWriterLock();
    return status;
  }
  Status Commit() override {
    Status status = Step("COMMIT", {}, nullptr);
    if (status.ok()) ReleaseWriterLock();
    return status;  // on failure Database::Run calls Rollback, which releases
  }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) Exec("ROLLBACK");
    ReleaseWriterLock();
  }

  Result<SqlRows> Query(std::string_view sql, const SqlParams& params) override {
    SqlRows rows;
    Status status = Step(sql, params, &rows);
    if (!status.ok()) return status.error();
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, const SqlParams& params) override {
    Status status = Step(sql, params, nullptr);
    if (!status.ok()) return status.error();
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Status ExecuteScript(std::string_view sql) override { return Exec(std::string(sql)); }

  sqlite3* handle() { return db_; }

 private:
  Status Exec(const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      Error error = SqliteError(db_, sqlite3_extended_errcode(db_), "sqlite");
      sqlite3_free(message);
      return error;
    }
    return Status::Ok();
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    statements_.emplace(std::string(sql), stmt);
    return stmt;
  }

  Status Step(std::string_view sql, const SqlParams& params, SqlRows* rows) {
    KC_ASSIGN_OR_RETURN(sqlite3_stmt* stmt, Prepare(sql));
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return Internal("parameter count mismatch for: " + std::string(sql));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      const SqlValue& value = params[i];
      if (auto* n = std::get_if<int64_t>(&value)) {
        sqlite3_bind_int64(stmt, index, *n);
      } else if (auto* d = std::get_if<double>(&value)) {
        sqlite3_bind_double(stmt, index, *d);
      } else if (auto* s = std::get_if<std::string>(&value)) {
        sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(stmt, index);
      }
    }
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Error error = SqliteError(db_, sqlite3_extended_errcode(db_), "sqlite");
        sqlite3_reset(stmt);
        return error;
      }
      if (!rows) continue;
      const int columns = sqlite3_column_count(stmt);
      std::vector<SqlValue> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER: values.emplace_back(int64_t{sqlite3_column_int64(stmt, c)}); break;
          case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, c)); break;
          case SQLITE_NULL: values.emplace_back(std::monostate{}); break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            values.emplace_back(std::string(text, sqlite3_column_bytes(stmt, c)));
          }
        }
      }
      rows->emplace_back(std::move(values));
    }
    sqlite3_reset(stmt);
    return Status::Ok();
  }

  void ReleaseWriterLock() {
    if (holds_writer_lock_) {
      holds_writer_lock_ = false;
      writer_lock_->unlock();
    }
  }

  sqlite3* db_;
  std::shared_ptr<std::mutex> writer_lock_;
  bool holds_writer_lock_ = false;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(DatabaseOptions options) : Database(Dialect::kSqlite, std::move(options)) {}

  std::string Describe() const override { return "sqlite:" + options_.location; }

  Status Backup(const std::string& file) override {
    auto connection = Connect();
    if (!connection.ok()) return connection.error();
    auto* source = static_cast<SqliteConnection*>(connection.value().get());
    std::error_code ec;
    if (std::filesystem::exists(file) && std::filesystem::equivalent(file, options_.location, ec)) {
      return InvalidInput("FILE", "is the live database itself; choose another file");
    }
    std::filesystem::remove(file, ec);
    // The copy holds clinical data: readable by its owner only.
    const mode_t previous_mask = ::umask(0077);
    sqlite3* destination = nullptr;
    const int open_rc = sqlite3_open(file.c_str(), &destination);
    ::umask(previous_mask);
    if (open_rc != SQLITE_OK) {
      Error error{ErrorCode::kInvalidInput, "cannot create backup file " + file, "FILE"};
      sqlite3_close(destination);
      return error;
    }
    sqlite3_backup* backup = sqlite3_backup_init(destination, "main", source->handle(), "main");
    if (!backup) {
      Error error = SqliteError(destination, sqlite3_errcode(destination), "backup");
      sqlite3_close(destination);
      return error;
    }
    // One step copies everything from one read snapshot. In WAL mode that
    // blocks no writer, and unlike small steps it cannot be restarted forever
    // by a steady stream of writes (read audits write all day).
    int rc;
    do {
      rc = sqlite3_backup_step(backup, -1);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    const int final_rc = sqlite3_errcode(destination);
    sqlite3_close(destination);
    if (rc != SQLITE_DONE || final_rc != SQLITE_OK) {
      return Error{ErrorCode::kInternal, std::string("backup failed: ") + sqlite3_errstr(rc), {}};
    }
    return Status::Ok();
  }

 protected:
  Result<std::unique_ptr<Connection>> Connect() override {
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(options_.location.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
      Error error{ErrorCode::kUnavailable,
                  "cannot open database " + options_.location + ": " + sqlite3_errstr(rc), {}};
      sqlite3_close(db);
      return error;
    }
    sqlite3_busy_timeout(db, options_.busy_timeout_ms);
    auto connection = std::make_unique<SqliteConnection>(db, writer_lock_);
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON",
                               "PRAGMA synchronous=FULL", "PRAGMA temp_store=MEMORY"}) {
      auto done = connection->Query(pragma, {});
      if (!done.ok()) return done.error();
    }
    return std::unique_ptr<Connection>(std::move(connection));
  }
 private:
  std::shared_ptr<std::mutex> writer_lock_ = std::make_shared<std::mutex>();
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const DatabaseOptions& options) {
  if (options.location.empty()) return InvalidInput("database", "a database file path is required");
  auto parent = std::filesystem::path(options.location).parent_path();
  if (!parent.empty() && !std::filesystem::exists(parent)) {
    return InvalidInput("database", "directory " + parent.string() + " does not exist");
  }
  auto database = std::make_unique<SqliteDatabase>(options);
  // Open one connection now so a bad path fails at start, not on first use.
  KC_RETURN_IF_ERROR(database->Run(TransactionMode::kReadOnly, [](Transaction& txn) -> Status {
    return txn.Query("SELECT 1").status();
  }));
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace ketachart
