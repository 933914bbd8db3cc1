// Dialect-independent parts of the store: the connection pool, the
// transaction runner with retries, migrations and SqlRow conversions.
#include "store/database.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "base/clock.h"
#include "base/embedded_file.h"
#include "store/transient_error.h"
#include "store/write_group.h"

namespace ketachart {

int64_t SqlRow::Int(size_t column) const {
  const SqlValue& v = values_.at(column);
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

double SqlRow::Real(size_t column) const {
  const SqlValue& v = values_.at(column);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
  return 0;
}

std::string SqlRow::Text(size_t column) const {
  const SqlValue& v = values_.at(column);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);  // shortest round-trip form
  return {};
}

std::optional<std::string> SqlRow::OptionalText(size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

std::optional<int64_t> SqlRow::OptionalInt(size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

bool IsPostgresqlLocation(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

struct Database::Pool {
  std::mutex mutex;
  std::condition_variable available;
  std::vector<std::unique_ptr<Connection>> idle;
  size_t open = 0;
};

Database::Database(Dialect dialect, DatabaseOptions options)
    : options_(std::move(options)),
      dialect_(dialect),
      pool_(std::make_unique<Pool>()),
      write_group_(std::make_unique<WriteGroup>(*this)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  if (IsPostgresqlLocation(options.location)) return OpenPostgresqlDatabase(options);
  return OpenSqliteDatabase(options);
}

Result<std::unique_ptr<Connection>> Database::Acquire() {
  std::unique_lock lock(pool_->mutex);
  for (;;) {
    if (!pool_->idle.empty()) {
      auto connection = std::move(pool_->idle.back());
      pool_->idle.pop_back();
      return connection;
    }
    if (pool_->open < options_.max_connections) {
      ++pool_->open;
      lock.unlock();
      auto connection = Connect();
      if (!connection.ok()) {
        std::lock_guard relock(pool_->mutex);
        --pool_->open;
        pool_->available.notify_one();
      }
      return connection;
    }
    pool_->available.wait(lock);
  }
}

void Database::Release(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(pool_->mutex);
  if (connection->healthy()) {
    pool_->idle.push_back(std::move(connection));
  } else {
    --pool_->open;
  }
  pool_->available.notify_one();
}

Status Database::Run(TransactionMode mode, const std::function<Status(Transaction&)>& work) {
  thread_local std::minstd_rand jitter(std::random_device{}());
  std::chrono::milliseconds backoff(2);
  for (int attempt = 1;; ++attempt) {
    auto acquired = Acquire();
    if (!acquired.ok()) return acquired.error();
    std::unique_ptr<Connection> connection = std::move(acquired).value();
    connection->held_heads().Clear();
    connection->after_commit().clear();
    connection->set_memo(&memo_);
    Status status = connection->Begin(mode);
    if (status.ok() && mode == TransactionMode::kReadWrite && dialect_ == Dialect::kPostgresql &&
        !writer_lock_table_.empty()) {
      // LOCK TABLE takes no snapshot: the snapshot comes after the wait.
      // Sent with the work's first statement (one round trip on PostgreSQL).
      status = connection->ExecuteUtilityLater("LOCK TABLE " + writer_lock_table_ + " IN SHARE ROW EXCLUSIVE MODE");
      if (!status.ok()) connection->Rollback();
    }
    if (status.ok()) {
      try {
        status = work(*connection);
      } catch (...) {
        // A bug in the work must not leave the transaction open (it would hold
        // SQLite's write lock) nor the connection out of the pool.
        connection->Rollback();
        Release(std::move(connection));
        throw;
      }
      if (status.ok()) status = connection->Flush();
      if (status.ok()) status = connection->held_heads().WriteBack(*connection);
      if (status.ok()) {
        status = connection->Commit();
        if (status.ok()) {
          for (const auto& publish : connection->after_commit()) publish();
        } else {
          connection->Rollback();
        }
      } else {
        connection->Rollback();
      }
    }
    connection->after_commit().clear();
    Release(std::move(connection));
    if (status.ok() || !IsTransientStoreError(status.error())) return status;
    if (attempt >= options_.max_attempts) {
      spdlog::warn("transaction gave up after {} attempts: {}", attempt, status.error().message);
      return Error{ErrorCode::kUnavailable, "the database is busy; try again", {}};
    }
    std::uniform_int_distribution<int> spread(0, static_cast<int>(backoff.count()));
    std::this_thread::sleep_for(backoff + std::chrono::milliseconds(spread(jitter)));
    backoff = std::min(backoff * 2, std::chrono::milliseconds(200));
  }
}

Status Database::RunGrouped(const std::function<Status(Transaction&)>& work) {
  return write_group_->Run(work);
}

WriteGroupCounters Database::GroupedWriteCounters() const { return write_group_->counters(); }

namespace {

struct Migration {
  int version;
  std::string name;
  std::string_view sql;
};

// Files are named NNNN_description.sql; the number is the version.
std::vector<Migration> MigrationsFor(Dialect dialect) {
  std::vector<Migration> out;
  auto files = dialect == Dialect::kSqlite ? EmbeddedSqliteMigrations() : EmbeddedPostgresqlMigrations();
  for (const EmbeddedFile& file : files) {
    if (file.path.empty()) continue;
    int version = 0;
    std::from_chars(file.path.data(), file.path.data() + file.path.size(), version);
    out.push_back({version, std::string(file.path), file.content});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  return out;
}

constexpr std::string_view kCreateMigrationTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)";

}  // namespace

Result<int> Database::SchemaVersion() {
  return Run<int>(TransactionMode::kReadWrite, [](Transaction& txn) -> Result<int> {
    KC_RETURN_IF_ERROR(txn.Execute(kCreateMigrationTable));
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    return static_cast<int>(rows.at(0).Int(0));
  });
}

Result<int> Database::Migrate() {
  // Servers starting together must not both create the bookkeeping table; on
  // PostgreSQL an advisory lock serializes them (SQLite's write lock does).
  Status created = Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    if (dialect_ == Dialect::kPostgresql) {
      KC_RETURN_IF_ERROR(txn.Query("SELECT pg_advisory_xact_lock(4242001)"));
    }
    return txn.Execute(kCreateMigrationTable).status();
  });
  if (!created.ok()) {
    return Error{ErrorCode::kInternal, "migrations failed: " + created.error().message, {}};
  }
  int applied = 0;
  for (const Migration& migration : MigrationsFor(dialect_)) {
    // One transaction per migration, holding a lock so two servers do not both
    // apply it. On PostgreSQL, LOCK TABLE is the first statement because it
    // takes no snapshot: the transaction's snapshot comes after the wait and
    // so sees a migration another server committed meanwhile (a snapshot taken
    // before the wait would not, and the DDL would run twice).
    Result<bool> ran = Run<bool>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<bool> {
      if (dialect_ == Dialect::kPostgresql) {
        KC_RETURN_IF_ERROR(txn.ExecuteScript("LOCK TABLE schema_migrations IN EXCLUSIVE MODE"));
      }
      KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT 1 FROM schema_migrations WHERE version = ?",
                                                  {int64_t{migration.version}}));
      if (!rows.empty()) return false;
      KC_RETURN_IF_ERROR(txn.ExecuteScript(migration.sql));
      KC_RETURN_IF_ERROR(txn.Execute(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
          {int64_t{migration.version}, migration.name, FormatTimestamp(SystemClock().Now())}));
      return true;
    });
    if (!ran.ok()) {
      return Error{ErrorCode::kInternal,
                   "migration " + migration.name + " failed: " + ran.error().message, {}};
    }
    if (ran.value()) ++applied;
  }
  return applied;
}

}  // namespace ketachart
