// Store conformance suite: the same behavioural contract checked against both
// dialects (SQLite in a temporary file, PostgreSQL from KETACHART_TEST_PG_URL,
// e.g. a cluster made by scripts/pg-test-cluster). Services rely on every
// property tested here holding identically on both engines.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/embedded_file.h"
#include "store/database.h"

namespace ketachart {

// Readable parameter names in gtest failure messages (found by ADL).
void PrintTo(Dialect dialect, std::ostream* out) {
  *out << (dialect == Dialect::kSqlite ? "SQLite" : "PostgreSQL");
}

namespace {

namespace fs = std::filesystem;

// Polls `condition` for up to 30 s: a test whose other thread failed reports
// it instead of waiting for ever.
bool WaitFor(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Runs `first` as a grouped work on a thread of its own and keeps its group
// open until `waiting` more works are queued (at most 10 s), so those form
// the next group together. Returns once `first` has run (the thread is the
// caller's to join).
std::thread HoldGroupOpen(Database& database, std::function<Status(Transaction&)> first, size_t waiting) {
  auto holding = std::make_shared<std::atomic<bool>>(false);
  std::thread holder([&database, first = std::move(first), waiting, holding] {
    Status status = database.RunGrouped([&](Transaction& txn) -> Status {
      KC_RETURN_IF_ERROR(first(txn));
      *holding = true;
      for (int i = 0; i < 2000 && database.GroupedWriteCounters().waiting < waiting; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.error().message;
  });
  if (!WaitFor([&] { return holding->load(); })) ADD_FAILURE() << "the work holding its group open never started";
  return holder;
}

// The `name` column of `table`, sorted and space-separated (each followed by
// a space): what a test expects to have been committed.
Result<std::string> NamesInOrder(Database& database, const std::string& table) {
  return database.Run<std::string>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<std::string> {
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT name FROM " + table + " ORDER BY name"));
    std::string out;
    for (const SqlRow& row : rows) out += row.Text(0) + " ";
    return out;
  });
}

constexpr const char* kPgUrlVariable = "KETACHART_TEST_PG_URL";
constexpr const char* kTimestamp = "2025-01-01T00:00:00Z";

std::string DialectName(const testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::kSqlite ? "Sqlite" : "Postgresql";
}

// Runs `sql` on a separate libpq connection, outside the code under test.
void PgAdmin(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* result = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  const std::string message = PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  ASSERT_EQ(status, PGRES_COMMAND_OK) << message;
}

// The first existing program among `names` ("" when none is found).
std::string FindProgram(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (name.find('/') != std::string::npos) {
      if (access(name.c_str(), X_OK) == 0) return name;
      continue;
    }
    const char* path = std::getenv("PATH");
    std::string_view dirs = path ? path : "";
    while (!dirs.empty()) {
      const size_t colon = dirs.find(':');
      const std::string candidate = std::string(dirs.substr(0, colon)) + "/" + name;
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
      dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    }
  }
  return {};
}

class StoreConformanceTest : public testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    std::string name = testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    directory_ = fs::temp_directory_path() /
                 ("ketachart-conformance-" + std::to_string(getpid()) + "-" + name);
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    if (pg()) {
      const char* url = std::getenv(kPgUrlVariable);
      if (!url || !*url) {
        const char* skip = std::getenv("KETACHART_SKIP_PG");
        if (skip && std::string(skip) == "1") {
          GTEST_SKIP() << "PostgreSQL skipped (KETACHART_SKIP_PG=1)";
        }
        FAIL() << kPgUrlVariable << " is not set. Start a server with "
               << "`export " << kPgUrlVariable << "=$(scripts/pg-test-cluster start DIR)` "
               << "(stop it with `scripts/pg-test-cluster stop DIR`), or set KETACHART_SKIP_PG=1 "
               << "to skip the PostgreSQL half of this suite.";
      }
      location_ = url;
      // Each test starts from an empty schema.
      PgAdmin(location_,
              "SET client_min_messages = warning; "
              "DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    } else {
      location_ = (directory_ / "store.db").string();
    }
  }

  void TearDown() override {
    std::error_code ec;
    fs::remove_all(directory_, ec);
  }

  bool pg() const { return GetParam() == Dialect::kPostgresql; }

  std::unique_ptr<Database> Open(size_t max_connections = 8, int max_attempts = 0) {
    DatabaseOptions options;
    options.location = location_;
    options.max_connections = max_connections;
    if (max_attempts > 0) options.max_attempts = max_attempts;
    auto database = Database::Open(options);
    EXPECT_TRUE(database.ok()) << database.error().message;
    if (!database.ok()) return nullptr;
    EXPECT_EQ(database.value()->dialect(), GetParam());
    return std::move(database).value();
  }

  std::unique_ptr<Database> OpenMigrated() {
    auto database = Open();
    if (!database) return nullptr;
    auto applied = database->Migrate();
    EXPECT_TRUE(applied.ok()) << applied.error().message;
    return database;
  }

  // A scratch table for typed values: (id, i, r, t), id generated.
  void CreateValuesTable(Database& database) {
    const std::string ddl =
        pg()
            ? "CREATE TABLE conformance_values (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
              "PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT)"
            : "CREATE TABLE conformance_values (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT)";
    Status status = database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      return txn.ExecuteScript(ddl);
    });
    ASSERT_TRUE(status.ok()) << status.error().message;
  }

  static Result<int64_t> InsertClinic(Transaction& txn, const std::string& code) {
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query("INSERT INTO clinics (code, name, timezone, created_at) "
                                  "VALUES (?, ?, ?, ?) RETURNING id",
                                  {code, "Clinic " + code, "Europe/Oslo", kTimestamp}));
    return rows.at(0).Int(0);
  }

  static Result<int64_t> InsertUser(Transaction& txn, const std::string& username) {
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query("INSERT INTO users (username, display_name, password_hash, created_at, "
                  "password_changed_at) VALUES (?, ?, 'x', ?, ?) RETURNING id",
                  {username, username, kTimestamp, kTimestamp}));
    return rows.at(0).Int(0);
  }

  int64_t Count(Database& database, const std::string& table) {
    auto count =
        database.Run<int64_t>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<int64_t> {
          KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT COUNT(*) FROM " + table));
          return rows.at(0).Int(0);
        });
    EXPECT_TRUE(count.ok()) << count.error().message;
    return count.ok() ? count.value() : -1;
  }

  fs::path directory_;
  std::string location_;
};

TEST_P(StoreConformanceTest, MigrateAppliesEveryMigrationOnceAndReportsTheVersion) {
  auto files = pg() ? EmbeddedPostgresqlMigrations() : EmbeddedSqliteMigrations();
  int expected_count = 0;
  int expected_version = 0;
  for (const EmbeddedFile& file : files) {
    if (file.path.empty()) continue;
    int version = 0;
    std::from_chars(file.path.data(), file.path.data() + file.path.size(), version);
    ++expected_count;
    expected_version = std::max(expected_version, version);
  }
  ASSERT_GT(expected_count, 0);

  auto database = Open();
  ASSERT_TRUE(database);
  auto before = database->SchemaVersion();
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(before.value(), 0);

  auto first = database->Migrate();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first.value(), expected_count);
  auto second = database->Migrate();
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second.value(), 0);

  auto version = database->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.error().message;
  EXPECT_EQ(version.value(), expected_version);
  EXPECT_EQ(Count(*database, "schema_migrations"), expected_count);
  EXPECT_EQ(Count(*database, "audit_chain_head"), 1);

  // A second server opening the same database finds nothing to do.
  database.reset();
  auto reopened = Open();
  ASSERT_TRUE(reopened);
  auto third = reopened->Migrate();
  ASSERT_TRUE(third.ok()) << third.error().message;
  EXPECT_EQ(third.value(), 0);
}

TEST_P(StoreConformanceTest, ServersMigratingTogetherApplyEachMigrationOnce) {
  constexpr int kServers = 4;
  std::vector<std::unique_ptr<Database>> servers;
  for (int n = 0; n < kServers; ++n) {
    servers.push_back(Open(2));
    ASSERT_TRUE(servers.back());
  }
  std::vector<std::optional<Result<int>>> results(kServers);
  std::vector<std::thread> threads;
  for (int n = 0; n < kServers; ++n) {
    threads.emplace_back([&, n] { results[n].emplace(servers[n]->Migrate()); });
  }
  for (std::thread& thread : threads) thread.join();
  int applied = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result->ok()) << result->error().message;
    applied += result->value();
  }
  auto files = pg() ? EmbeddedPostgresqlMigrations() : EmbeddedSqliteMigrations();
  EXPECT_EQ(applied, std::count_if(files.begin(), files.end(),
                                   [](const EmbeddedFile& file) { return !file.path.empty(); }));
}

TEST_P(StoreConformanceTest, InsertReturningGivesNewIds) {
  auto database = OpenMigrated();
  ASSERT_TRUE(database);
  auto ids = database->Run<std::vector<int64_t>>(
      TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<std::vector<int64_t>> {
        KC_ASSIGN_OR_RETURN(int64_t first, InsertClinic(txn, "A"));
        KC_ASSIGN_OR_RETURN(int64_t second, InsertClinic(txn, "B"));
        return std::vector<int64_t>{first, second};
      });
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  EXPECT_GT(ids.value()[0], 0);
  EXPECT_GT(ids.value()[1], ids.value()[0]);

  auto code = database->Run<std::string>(
      TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<std::string> {
        KC_ASSIGN_OR_RETURN(SqlRows rows,
                            txn.Query("SELECT code FROM clinics WHERE id = ?", {ids.value()[1]}));
        if (rows.size() != 1) return NotFound("clinic");
        return rows[0].Text(0);
      });
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(code.value(), "B");
}

TEST_P(StoreConformanceTest, TypedValuesRoundTrip) {
  auto database = Open();
  ASSERT_TRUE(database);
  CreateValuesTable(*database);

  struct Case {
    SqlValue i, r, t;
  };
  const std::vector<Case> cases = {
      {int64_t{0}, 0.0, std::string()},
      {std::numeric_limits<int64_t>::max(), 0.1, std::string("plain ASCII")},
      {std::numeric_limits<int64_t>::min(), -1.0 / 3.0, std::string("Ærøskøbing – naïve café")},
      {int64_t{-1}, std::numeric_limits<double>::max(), std::string("emoji 🧠💉 and 中文")},
      {int64_t{42}, std::numeric_limits<double>::denorm_min(), std::string("it's a '?' mark")},
      {int64_t{7}, -123456789.123456789, std::string("line\nbreak\ttab \\ backslash")},
      {SqlNull(), SqlNull(), SqlNull()},
  };
  Status inserted = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    for (const Case& c : cases) {
      KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO conformance_values (i, r, t) VALUES (?, ?, ?)",
                                     {c.i, c.r, c.t}));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(inserted.ok()) << inserted.error().message;

  auto rows = database->Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
    return txn.Query("SELECT i, r, t FROM conformance_values ORDER BY id");
  });
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows.value().size(), cases.size());
  for (size_t n = 0; n < cases.size(); ++n) {
    const SqlRow& row = rows.value()[n];
    SCOPED_TRACE("row " + std::to_string(n));
    ASSERT_EQ(row.size(), 3u);
    EXPECT_EQ(row.at(0), cases[n].i);
    EXPECT_EQ(row.at(1), cases[n].r);  // exact: doubles must survive bit for bit
    EXPECT_EQ(row.at(2), cases[n].t);
  }

  // A '?' inside a string literal is not a placeholder; the real one is bound.
  auto literal = database->Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
    return txn.Query("SELECT 'why?', t FROM conformance_values WHERE i = ?", {int64_t{42}});
  });
  ASSERT_TRUE(literal.ok()) << literal.error().message;
  ASSERT_EQ(literal.value().size(), 1u);
  EXPECT_EQ(literal.value()[0].Text(0), "why?");
  EXPECT_EQ(literal.value()[0].Text(1), "it's a '?' mark");

  // Aggregates come back as numbers on both engines.
  auto count = database->Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
    return txn.Query("SELECT COUNT(*), SUM(r) FROM conformance_values WHERE i = ?", {int64_t{0}});
  });
  ASSERT_TRUE(count.ok()) << count.error().message;
  EXPECT_EQ(count.value()[0].at(0), SqlValue(int64_t{1}));
  EXPECT_EQ(count.value()[0].at(1), SqlValue(0.0));
}

TEST_P(StoreConformanceTest, UniqueViolationIsConflict) {
  auto database = OpenMigrated();
  ASSERT_TRUE(database);
  auto first = database->Run<int64_t>(TransactionMode::kReadWrite,
                                      [&](Transaction& txn) { return InsertClinic(txn, "DUP"); });
  ASSERT_TRUE(first.ok()) << first.error().message;

  int attempts = 0;
  auto second = database->Run<int64_t>(TransactionMode::kReadWrite, [&](Transaction& txn) {
    ++attempts;
    return InsertClinic(txn, "DUP");
  });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict) << second.error().message;
  EXPECT_EQ(attempts, 1) << "a conflict is not transient and must not be retried";
  if (pg()) {
    EXPECT_NE(second.error().message.find("clinics_code_key"), std::string::npos)
        << second.error().message;
  }
  EXPECT_EQ(Count(*database, "clinics"), 1);
}

TEST_P(StoreConformanceTest, FailedWorkRollsBackEverything) {
  auto database = OpenMigrated();
  ASSERT_TRUE(database);

  // Work that returns an error after writing.
  Status refused = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(InsertClinic(txn, "GONE"));
    KC_RETURN_IF_ERROR(InsertUser(txn, "gone"));
    return InvalidInput("field", "refused by the use case");
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(refused.error().field, "field");

  // Work whose second statement fails in the database.
  auto seed = database->Run<int64_t>(TransactionMode::kReadWrite,
                                     [&](Transaction& txn) { return InsertClinic(txn, "SEED"); });
  ASSERT_TRUE(seed.ok()) << seed.error().message;
  Status failed = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(InsertUser(txn, "also-gone"));
    return InsertClinic(txn, "SEED").status();
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kConflict);

  EXPECT_EQ(Count(*database, "clinics"), 1);
  EXPECT_EQ(Count(*database, "users"), 0);
}

TEST_P(StoreConformanceTest, SuccessfulWorkCommits) {
  auto database = OpenMigrated();
  ASSERT_TRUE(database);
  Status status = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(InsertClinic(txn, "KEEP"));
    KC_RETURN_IF_ERROR(InsertUser(txn, "kept"));
    auto changed = txn.Execute("UPDATE users SET failed_logins = failed_logins + 1");
    if (!changed.ok()) return changed.error();
    if (changed.value() != 1) return Internal("expected one changed row");
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.error().message;

  // Visible to a different database handle (so not just one connection's view).
  database.reset();
  auto reopened = Open();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(Count(*reopened, "clinics"), 1);
  auto logins =
      reopened->Run<int64_t>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<int64_t> {
        KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT failed_logins FROM users"));
        return rows.at(0).Int(0);
      });
  ASSERT_TRUE(logins.ok()) << logins.error().message;
  EXPECT_EQ(logins.value(), 1);
}

TEST_P(StoreConformanceTest, AppendOnlyTablesRefuseUpdateAndDelete) {
  auto database = OpenMigrated();
  ASSERT_TRUE(database);
  Status seeded = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_ASSIGN_OR_RETURN(int64_t clinic, InsertClinic(txn, "AO"));
    KC_ASSIGN_OR_RETURN(int64_t user, InsertUser(txn, "author"));
    KC_ASSIGN_OR_RETURN(
        SqlRows patient,
        txn.Query("INSERT INTO patients (clinic_id, mrn, family_name, given_names, "
                  "search_family_first, search_given_first, birth_date, version, document, "
                  "created_at, created_by, updated_at, updated_by) "
                  "VALUES (?, 'MRN1', 'Doe', 'Jane', 'doe jane', 'jane doe', '1980-01-01', 1, "
                  "'{}', ?, ?, ?, ?) RETURNING id",
                  {clinic, kTimestamp, user, kTimestamp, user}));
    KC_RETURN_IF_ERROR(txn.Execute(
        "INSERT INTO patient_versions (patient_id, version, document, recorded_at, recorded_by, "
        "change_reason) VALUES (?, 1, '{}', ?, ?, 'created')",
        {patient.at(0).Int(0), kTimestamp, user}));
    return txn
        .Execute(
            "INSERT INTO audit_events (id, occurred_at, user_id, username, clinic_id, "
            "action, resource_type, resource_id, patient_id, outcome, client_address, "
            "detail, previous_hash, hash) VALUES (1, ?, ?, 'author', ?, 'patient.create', "
            "'patient', '1', ?, 'success', '127.0.0.1', '{}', 'p', 'h')",
            {kTimestamp, user, clinic, patient.at(0).Int(0)})
        .status();
  });
  ASSERT_TRUE(seeded.ok()) << seeded.error().message;

  const std::vector<std::string> refused = {
      "UPDATE audit_events SET detail = 'tampered'",
      "DELETE FROM audit_events",
      "UPDATE patient_versions SET document = 'tampered'",
      "DELETE FROM patient_versions",
      "DELETE FROM patients",
  };
  for (const std::string& sql : refused) {
    SCOPED_TRACE(sql);
    Status status = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      return txn.Execute(sql).status();
    });
    EXPECT_FALSE(status.ok());
  }
  EXPECT_EQ(Count(*database, "audit_events"), 1);
  EXPECT_EQ(Count(*database, "patient_versions"), 1);
  EXPECT_EQ(Count(*database, "patients"), 1);
  auto detail = database->Run<std::string>(
      TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<std::string> {
        KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT detail FROM audit_events"));
        return rows.at(0).Text(0);
      });
  ASSERT_TRUE(detail.ok()) << detail.error().message;
  EXPECT_EQ(detail.value(), "{}");
}

// Migration 0016 on both dialects: the by-patient audit lookup starts at mark
// 0 on an empty trail, takes rows and a forward move of its mark, and refuses
// every change backwards; the old per-commit index is gone.
TEST_P(StoreConformanceTest, AuditPatientIndexTakesRowsAndOnlyMovesForward) {
  auto database = OpenMigrated();
  ASSERT_TRUE(database);
  auto mark = [&]() {
    auto rows = database->Run<SqlRows>(TransactionMode::kReadOnly, [](Transaction& txn) {
      return txn.Query("SELECT indexed_through FROM audit_patient_index_mark WHERE id = 1");
    });
    EXPECT_TRUE(rows.ok()) << rows.error().message;
    return rows.ok() && !rows.value().empty() ? rows.value()[0].Int(0) : -1;
  };
  EXPECT_EQ(mark(), 0);
  Status added = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO audit_patient_index (patient_id, event_id) VALUES (7, 1), (7, 3), (9, 2)"));
    return txn.Execute("UPDATE audit_patient_index_mark SET indexed_through = 3 WHERE id = 1").status();
  });
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(mark(), 3);
  EXPECT_EQ(Count(*database, "audit_patient_index"), 3);

  Status duplicate = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    return txn.Execute("INSERT INTO audit_patient_index (patient_id, event_id) VALUES (7, 3)").status();
  });
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);

  for (const std::string sql : {"UPDATE audit_patient_index SET patient_id = 8", "DELETE FROM audit_patient_index",
                                "UPDATE audit_patient_index_mark SET indexed_through = 2",
                                "DELETE FROM audit_patient_index_mark"}) {
    SCOPED_TRACE(sql);
    Status status = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      return txn.Execute(sql).status();
    });
    EXPECT_FALSE(status.ok());
  }
  EXPECT_EQ(mark(), 3);
  EXPECT_EQ(Count(*database, "audit_patient_index"), 3);

  auto old_index = database->Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
    return txn.Query(pg() ? "SELECT indexname FROM pg_indexes WHERE indexname = 'audit_events_patient'"
                          : "SELECT name FROM sqlite_master WHERE name = 'audit_events_patient'");
  });
  ASSERT_TRUE(old_index.ok()) << old_index.error().message;
  EXPECT_TRUE(old_index.value().empty()) << "audit_events_patient is dropped by migration 0016";
}

TEST_P(StoreConformanceTest, ReadOnlyTransactions) {
  auto database = OpenMigrated();
  ASSERT_TRUE(database);
  auto seeded = database->Run<int64_t>(TransactionMode::kReadWrite,
                                       [&](Transaction& txn) { return InsertClinic(txn, "RO"); });
  ASSERT_TRUE(seeded.ok()) << seeded.error().message;

  auto read = database->Run<std::string>(
      TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<std::string> {
        KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT name FROM clinics"));
        return rows.at(0).Text(0);
      });
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read.value(), "Clinic RO");

  if (pg()) {
    // SQLite has no read-only transactions; PostgreSQL enforces them.
    Status write = database->Run(TransactionMode::kReadOnly, [&](Transaction& txn) -> Status {
      return InsertClinic(txn, "NOPE").status();
    });
    ASSERT_FALSE(write.ok());
    EXPECT_NE(write.error().message.find("read-only"), std::string::npos) << write.error().message;
    EXPECT_EQ(Count(*database, "clinics"), 1);
  }
}

TEST_P(StoreConformanceTest, ConcurrentWritersNeverLoseAnUpdate) {
  constexpr int kThreads = 8;
  constexpr int kTransactionsPerThread = 50;
  // Eight writers on one row in a tight loop starve an unlucky PostgreSQL
  // transaction for many rounds (measured: with the default 8 attempts about
  // 1 in 13,000 transactions gave up), so the budget here is generous: the
  // test is about no update being lost, not about the retry budget.
  constexpr int kMaxAttempts = 30;
  auto database = Open(kThreads, kMaxAttempts);
  ASSERT_TRUE(database);
  Status created = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(txn.ExecuteScript(
        "CREATE TABLE conformance_counter (id INTEGER PRIMARY KEY, value BIGINT NOT NULL)"));
    return txn.Execute("INSERT INTO conformance_counter (id, value) VALUES (1, 0)").status();
  });
  ASSERT_TRUE(created.ok()) << created.error().message;

  // Read-modify-write in the client: only true serializability keeps every
  // increment (an UPDATE ... value + 1 would hide lost updates on PostgreSQL).
  std::atomic<int> attempts = 0;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  std::vector<std::string> errors(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kTransactionsPerThread; ++n) {
        Status status = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
          ++attempts;
          KC_ASSIGN_OR_RETURN(SqlRows rows,
                              txn.Query("SELECT value FROM conformance_counter WHERE id = 1"));
          return txn
              .Execute("UPDATE conformance_counter SET value = ? WHERE id = 1",
                       {rows.at(0).Int(0) + 1})
              .status();
        });
        if (!status.ok()) {
          ++failures;
          errors[t] = status.error().message;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& error : errors) EXPECT_EQ(error, "");
  EXPECT_EQ(failures.load(), 0);

  auto value =
      database->Run<int64_t>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<int64_t> {
        KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT value FROM conformance_counter"));
        return rows.at(0).Int(0);
      });
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(value.value(), kThreads * kTransactionsPerThread);
  RecordProperty("attempts", attempts.load());
  std::cout << "[          ] " << attempts.load() << " attempts for "
            << kThreads * kTransactionsPerThread << " transactions\n";
}

// Group commit (Database::RunGrouped): concurrent writers share transactions
// and still keep every read-modify-write, as if each had run alone.
TEST_P(StoreConformanceTest, GroupedWritersShareCommitsAndNeverLoseAnUpdate) {
  constexpr int kThreads = 8;
  constexpr int kTransactionsPerThread = 50;
  auto database = Open(kThreads, 30);
  ASSERT_TRUE(database);
  Status created = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(txn.ExecuteScript(
        "CREATE TABLE conformance_counter (id INTEGER PRIMARY KEY, value BIGINT NOT NULL)"));
    KC_RETURN_IF_ERROR(txn.ExecuteScript("CREATE TABLE conformance_entries (n BIGINT PRIMARY KEY)"));
    return txn.Execute("INSERT INTO conformance_counter (id, value) VALUES (1, 0)").status();
  });
  ASSERT_TRUE(created.ok()) << created.error().message;

  std::vector<std::thread> threads;
  std::vector<std::string> errors(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kTransactionsPerThread; ++n) {
        Status status = database->RunGrouped([&](Transaction& txn) -> Status {
          KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT value FROM conformance_counter WHERE id = 1"));
          const int64_t next = rows.at(0).Int(0) + 1;
          KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO conformance_entries (n) VALUES (?)", {next}));
          return txn.Execute("UPDATE conformance_counter SET value = ? WHERE id = 1", {next}).status();
        });
        if (!status.ok()) errors[t] = status.error().message;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& error : errors) EXPECT_EQ(error, "");
  constexpr int kTotal = kThreads * kTransactionsPerThread;
  EXPECT_EQ(Count(*database, "conformance_entries"), kTotal) << "entries 1..N, each exactly once";
  auto value = database->Run<int64_t>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<int64_t> {
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT value FROM conformance_counter"));
    return rows.at(0).Int(0);
  });
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(value.value(), kTotal);
  const WriteGroupCounters counters = database->GroupedWriteCounters();
  EXPECT_EQ(counters.works, static_cast<size_t>(kTotal));
  EXPECT_LT(counters.groups, counters.works) << "eight concurrent writers never once shared a commit";
  EXPECT_EQ(counters.replayed, 0u) << "a group without a failure was run twice";
  std::cout << "[          ] " << counters.works << " grouped writes in " << counters.groups << " commits\n";
}

// In a group, a work that fails (in the database, by its own rule, or by
// throwing) is undone alone; the others in the same transaction commit.
TEST_P(StoreConformanceTest, AFailedGroupedWorkIsUndoneAloneAndItsNeighboursCommit) {
  auto database = Open(8);
  ASSERT_TRUE(database);
  Status created = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    return txn.ExecuteScript("CREATE TABLE conformance_names (name TEXT PRIMARY KEY)");
  });
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto insert = [](Transaction& txn, const std::string& name) {
    return txn.Execute("INSERT INTO conformance_names (name) VALUES (?)", {name}).status();
  };

  // The first work holds its group open until the four below are queued, so
  // they form the next group together.
  std::thread holder = HoldGroupOpen(*database, [&](Transaction& txn) { return insert(txn, "holder"); }, 4);
  Status duplicate, kept, refused;
  bool threw = false;
  std::vector<std::thread> group;
  group.emplace_back([&] {
    duplicate = database->RunGrouped([&](Transaction& txn) -> Status {
      KC_RETURN_IF_ERROR(insert(txn, "duplicate-first-row"));
      return insert(txn, "holder");  // unique violation: the statement fails in the database
    });
  });
  group.emplace_back([&] {
    kept = database->RunGrouped([&](Transaction& txn) -> Status { return insert(txn, "kept"); });
  });
  group.emplace_back([&] {
    refused = database->RunGrouped([&](Transaction& txn) -> Status {
      KC_RETURN_IF_ERROR(insert(txn, "refused"));
      return InvalidInput("field", "refused by the use case");
    });
  });
  group.emplace_back([&] {
    try {
      (void)database->RunGrouped([&](Transaction& txn) -> Status {
        KC_RETURN_IF_ERROR(insert(txn, "thrown"));
        throw std::runtime_error("bug in the work");
      });
    } catch (const std::runtime_error&) {
      threw = true;
    }
  });
  for (std::thread& thread : group) thread.join();
  holder.join();

  EXPECT_FALSE(duplicate.ok());
  if (!duplicate.ok()) {
    EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict) << duplicate.error().message;
  }
  EXPECT_TRUE(kept.ok()) << kept.error().message;
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "field");
  EXPECT_TRUE(threw) << "the exception reaches the thread whose work threw it";
  auto names = NamesInOrder(*database, "conformance_names");
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_EQ(names.value(), "holder kept ");
  const WriteGroupCounters counters = database->GroupedWriteCounters();
  EXPECT_EQ(counters.works, 5u);
  EXPECT_EQ(counters.groups, 2u) << "the four works after the holder shared one transaction";
  EXPECT_EQ(counters.replayed, 1u) << "a failed work did not send its group to the replay";
}

// Chain heads held by a transaction (store/held_heads.h): each work of a group
// continues from the head the works before it left in memory, a failed work's
// move is forgotten with its rows, and the head row is written once, at commit.
// A held head that cannot be written back (its row is gone, or the key is
// wrong) must fail the commit, so no entry is stored after a head that did
// not move with it.
TEST_P(StoreConformanceTest, AHeldHeadThatIsNotWrittenBackFailsTheCommit) {
  auto database = Open(2);
  ASSERT_TRUE(database);
  Status created = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(txn.ExecuteScript(
        "CREATE TABLE conformance_head (id INTEGER PRIMARY KEY, last_sequence BIGINT NOT NULL, last_hash TEXT NOT "
        "NULL)"));
    KC_RETURN_IF_ERROR(txn.ExecuteScript("CREATE TABLE conformance_chain (sequence BIGINT PRIMARY KEY, label TEXT "
                                         "NOT NULL)"));
    return txn.Execute("INSERT INTO conformance_head (id, last_sequence, last_hash) VALUES (1, 0, 'genesis')").status();
  });
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto append_with_head = [&](int64_t key) {
    return database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      txn.held_heads().Hold("conformance", "UPDATE conformance_head SET last_sequence = ?, last_hash = ? WHERE id = ?",
                            key, ChainHead{0, "genesis"});
      KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO conformance_chain (sequence, label) VALUES (?, ?)",
                                     {key, "entry " + std::to_string(key)}));
      txn.held_heads().Move("conformance", ChainHead{1, "entry"});
      return Status::Ok();
    });
  };
  Status missing = append_with_head(99);  // no head row 99
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("could not be written back"), std::string::npos) << missing.error().message;
  Status present = append_with_head(1);
  EXPECT_TRUE(present.ok()) << present.error().message;
  auto stored = database->Run<SqlRows>(TransactionMode::kReadOnly, [](Transaction& txn) {
    return txn.Query("SELECT sequence FROM conformance_chain ORDER BY sequence");
  });
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored.value().size(), 1u);  // entry 99 was not committed
  EXPECT_EQ(stored.value()[0].Int(0), 1);
}

TEST_P(StoreConformanceTest, HeldChainHeadsContinueAcrossAGroupAndForgetAFailedWork) {
  auto database = Open(8);
  ASSERT_TRUE(database);
  Status created = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(txn.ExecuteScript(
        "CREATE TABLE conformance_head (id INTEGER PRIMARY KEY, last_sequence BIGINT NOT NULL, last_hash TEXT NOT "
        "NULL)"));
    KC_RETURN_IF_ERROR(txn.ExecuteScript("CREATE TABLE conformance_chain (sequence BIGINT PRIMARY KEY, label TEXT "
                                         "NOT NULL, previous TEXT NOT NULL)"));
    return txn.Execute("INSERT INTO conformance_head (id, last_sequence, last_hash) VALUES (1, 0, 'genesis')").status();
  });
  ASSERT_TRUE(created.ok()) << created.error().message;
  // One append: the head as held, or read under its lock; a row; the head moved.
  auto append = [](Transaction& txn, const std::string& label) -> Status {
    std::optional<ChainHead> head = txn.held_heads().Find("conformance");
    if (!head) {
      KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT last_sequence, last_hash FROM conformance_head WHERE id = 1"));
      head = ChainHead{rows.at(0).Int(0), rows.at(0).Text(1)};
      txn.held_heads().Hold("conformance", "UPDATE conformance_head SET last_sequence = ?, last_hash = ? WHERE id = ?",
                            1, *head);
    }
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO conformance_chain (sequence, label, previous) VALUES (?, ?, ?)",
                                   {head->last_sequence + 1, label, head->last_hash}));
    txn.held_heads().Move("conformance", ChainHead{head->last_sequence + 1, label});
    return Status::Ok();
  };

  // Alone and refused: nothing of it is written back.
  Status alone = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(append(txn, "refused-alone"));
    return InvalidInput("field", "refused after moving the head");
  });
  EXPECT_FALSE(alone.ok());

  std::thread holder = HoldGroupOpen(*database, [&](Transaction& txn) { return append(txn, "holder"); }, 3);
  std::vector<std::thread> group;
  std::vector<Status> outcomes(3);
  for (int i = 0; i < 3; ++i) {
    group.emplace_back([&, i] {
      outcomes[i] = database->RunGrouped([&](Transaction& txn) -> Status {
        KC_RETURN_IF_ERROR(append(txn, "work" + std::to_string(i)));
        if (i == 1) return InvalidInput("field", "refused after moving the head");
        return Status::Ok();
      });
    });
    // In order, so the refused work sits between two that commit.
    if (!WaitFor([&] { return database->GroupedWriteCounters().waiting >= static_cast<size_t>(i + 1); })) {
      ADD_FAILURE() << "work " << i << " was never queued";
    }
  }
  for (std::thread& thread : group) thread.join();
  holder.join();
  EXPECT_TRUE(outcomes[0].ok());
  EXPECT_FALSE(outcomes[1].ok());
  EXPECT_TRUE(outcomes[2].ok());

  auto chain = database->Run<std::string>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<std::string> {
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT sequence, label, previous FROM conformance_chain ORDER BY "
                                                "sequence"));
    KC_ASSIGN_OR_RETURN(SqlRows head, txn.Query("SELECT last_sequence, last_hash FROM conformance_head"));
    std::string out;
    for (const SqlRow& row : rows) out += row.Text(0) + ":" + row.Text(1) + "<-" + row.Text(2) + " ";
    return out + "head " + head.at(0).Text(0) + ":" + head.at(0).Text(1);
  });
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  EXPECT_EQ(chain.value(), "1:holder<-genesis 2:work0<-holder 3:work2<-work0 head 3:work2");
  EXPECT_EQ(database->GroupedWriteCounters().groups, 2u) << "the three works after the holder shared one transaction";
}

// In a group, the works' statements sent without waiting travel in one
// pipeline (PostgreSQL), so a failed one may come back only in a later work's
// query. It is still charged to the work that sent it: that work alone gets
// the error and is undone; the work whose query brought the failure back, and
// the one after it, commit as if they had run alone.
TEST_P(StoreConformanceTest, AGroupedStatementThatFailsLaterIsChargedToTheWorkThatSentIt) {
  auto database = Open(8);
  ASSERT_TRUE(database);
  Status created = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    return txn.ExecuteScript("CREATE TABLE conformance_later (name TEXT PRIMARY KEY)");
  });
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto send = [](Transaction& txn, const std::string& name) {
    return txn.ExecuteLater("INSERT INTO conformance_later (name) VALUES (?)", {name});
  };

  std::thread holder = HoldGroupOpen(*database, [&](Transaction& txn) { return send(txn, "holder"); }, 3);
  std::vector<Status> outcomes(3);
  std::atomic<int64_t> counted{-1};
  std::vector<std::function<Status(Transaction&)>> works = {
      [&](Transaction& txn) -> Status {
        KC_RETURN_IF_ERROR(send(txn, "sent-first"));
        return send(txn, "holder");  // a unique violation, known only when the pipeline is read
      },
      [&](Transaction& txn) -> Status {
        KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT COUNT(*) FROM conformance_later"));
        counted = rows.at(0).Int(0);
        return send(txn, "after-query");
      },
      [&](Transaction& txn) -> Status { return send(txn, "last"); },
  };
  std::vector<std::thread> group;
  for (size_t i = 0; i < works.size(); ++i) {
    group.emplace_back([&, i] { outcomes[i] = database->RunGrouped(works[i]); });
    if (!WaitFor([&] { return database->GroupedWriteCounters().waiting >= i + 1; })) {
      ADD_FAILURE() << "work " << i << " was never queued";
    }
  }
  for (std::thread& thread : group) thread.join();
  holder.join();

  ASSERT_FALSE(outcomes[0].ok()) << "the work whose statement failed was told it succeeded";
  EXPECT_EQ(outcomes[0].error().code, ErrorCode::kConflict) << outcomes[0].error().message;
  EXPECT_TRUE(outcomes[1].ok()) << outcomes[1].error().message;
  EXPECT_TRUE(outcomes[2].ok()) << outcomes[2].error().message;
  EXPECT_EQ(counted.load(), 1) << "the query saw the failed work's first row, or missed the holder's";
  auto names = NamesInOrder(*database, "conformance_later");
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_EQ(names.value(), "after-query holder last ");
  const WriteGroupCounters counters = database->GroupedWriteCounters();
  EXPECT_EQ(counters.groups, 2u) << "the three works after the holder shared one transaction";
  EXPECT_EQ(counters.replayed, 1u) << "the group ran again, each work in its savepoint";
}

// Statements sent without waiting (Transaction::ExecuteLater; PostgreSQL
// pipeline mode) report their failure to the work that sent them: at its next
// statement, or at commit, and nothing of that transaction is kept.
TEST_P(StoreConformanceTest, AStatementSentWithoutWaitingReportsItsFailure) {
  auto database = Open(4);
  ASSERT_TRUE(database);
  Status created = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(txn.ExecuteScript("CREATE TABLE conformance_later (name TEXT PRIMARY KEY)"));
    return txn.ExecuteLater("INSERT INTO conformance_later (name) VALUES (?)", {std::string("first")});
  });
  ASSERT_TRUE(created.ok()) << created.error().message;

  // Failure reported at commit.
  Status at_commit = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(txn.ExecuteLater("INSERT INTO conformance_later (name) VALUES (?)", {std::string("second")}));
    return txn.ExecuteLater("INSERT INTO conformance_later (name) VALUES (?)", {std::string("first")});
  });
  ASSERT_FALSE(at_commit.ok());
  EXPECT_EQ(at_commit.error().code, ErrorCode::kConflict) << at_commit.error().message;

  // Failure reported at once (SQLite) or by the next statement (PostgreSQL),
  // which then does not run.
  std::optional<Status> reported;
  Status at_next = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    Status sent = txn.ExecuteLater("INSERT INTO conformance_later (name) VALUES (?)", {std::string("first")});
    if (!sent.ok()) {
      reported = sent;
      return sent;
    }
    auto rows = txn.Query("SELECT COUNT(*) FROM conformance_later");
    reported = rows.status();
    return rows.status();
  });
  ASSERT_FALSE(at_next.ok());
  ASSERT_TRUE(reported.has_value());
  ASSERT_FALSE(reported->ok()) << "the statement after a failed one ran as if nothing had happened";
  EXPECT_EQ(reported->error().code, ErrorCode::kConflict) << reported->error().message;

  // Several outstanding, all kept when none fails.
  Status kept = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    for (const char* name : {"a", "b", "c"}) {
      KC_RETURN_IF_ERROR(txn.ExecuteLater("INSERT INTO conformance_later (name) VALUES (?)", {std::string(name)}));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  auto names = NamesInOrder(*database, "conformance_later");
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_EQ(names.value(), "a b c first ") << "\"second\" was in the transaction that failed at commit";
}

TEST_P(StoreConformanceTest, BackupWritesAUsableCopy) {
  auto database = OpenMigrated();
  ASSERT_TRUE(database);
  Status seeded = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    for (const char* code : {"B1", "B2", "B3"}) KC_RETURN_IF_ERROR(InsertClinic(txn, code));
    return Status::Ok();
  });
  ASSERT_TRUE(seeded.ok()) << seeded.error().message;

  const fs::path file = directory_ / (pg() ? "backup.dump" : "backup.db");
  Status backup = database->Backup(file.string());
  ASSERT_TRUE(backup.ok()) << backup.error().message;
  ASSERT_TRUE(fs::exists(file));
  EXPECT_GT(fs::file_size(file), 0u);

  if (pg()) {
    const std::string pg_restore =
        FindProgram({"pg_restore", "/usr/lib/postgresql/15/bin/pg_restore"});
    ASSERT_FALSE(pg_restore.empty()) << "pg_restore not found";
    const std::string command =
        "'" + pg_restore + "' --list '" + file.string() + "' > '" + file.string() + ".list'";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream list(file.string() + ".list");
    const std::string contents((std::istreambuf_iterator<char>(list)),
                               std::istreambuf_iterator<char>());
    EXPECT_NE(contents.find("TABLE DATA public clinics"), std::string::npos) << contents;
  } else {
    DatabaseOptions options;
    options.location = file.string();
    auto copy = Database::Open(options);
    ASSERT_TRUE(copy.ok()) << copy.error().message;
    EXPECT_EQ(Count(*copy.value(), "clinics"), 3);
    auto version = copy.value()->SchemaVersion();
    ASSERT_TRUE(version.ok()) << version.error().message;
    EXPECT_GT(version.value(), 0);
  }

  // A backup to an impossible place fails with a reason instead of crashing.
  Status impossible = database->Backup((directory_ / "missing" / "dir" / "x").string());
  ASSERT_FALSE(impossible.ok());
  EXPECT_FALSE(impossible.error().message.empty());
}

TEST_P(StoreConformanceTest, UnreachableServerFailsAtOpenWithoutLeakingThePassword) {
  DatabaseOptions options;
  if (pg()) {
    options.location = "postgresql://clinic:s3cret-pw@127.0.0.1:1/nowhere";
  } else {
    options.location = (directory_ / "no" / "such" / "dir" / "store.db").string();
  }
  auto database = Database::Open(options);
  ASSERT_FALSE(database.ok());
  const Error& error = database.error();
  EXPECT_EQ(error.code, pg() ? ErrorCode::kUnavailable : ErrorCode::kInvalidInput);
  EXPECT_EQ(error.message.find('\n'), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("s3cret-pw"), std::string::npos) << error.message;
}

TEST_P(StoreConformanceTest, DescribeMasksThePassword) {
  if (!pg()) {
    auto database = Open();
    ASSERT_TRUE(database);
    EXPECT_NE(database->Describe().find(location_), std::string::npos);
    return;
  }
  // Trust authentication ignores the password, so the connection still works.
  const size_t userinfo = location_.find("://") + 3;
  const size_t at = location_.find('@', userinfo);
  ASSERT_NE(at, std::string::npos) << "expected postgresql://user@host/db, got " << location_;
  const size_t colon = location_.find(':', userinfo);
  std::string password = "s3cret-pw";
  if (colon < at) {
    password = location_.substr(colon + 1, at - colon - 1);
  } else {
    location_.insert(at, ":" + password);
  }
  auto database = Open();
  ASSERT_TRUE(database);
  const std::string described = database->Describe();
  EXPECT_EQ(described.find(password), std::string::npos) << described;
  EXPECT_NE(described.find(":***@"), std::string::npos) << described;
}

TEST_P(StoreConformanceTest, LostConnectionIsDroppedFromThePool) {
  if (!pg()) GTEST_SKIP() << "an embedded SQLite connection cannot be lost";
  auto database = Open(/*max_connections=*/1);
  ASSERT_TRUE(database);
  Status killed = database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    return txn.Query("SELECT pg_terminate_backend(pg_backend_pid())").status();
  });
  ASSERT_FALSE(killed.ok());
  EXPECT_EQ(killed.error().code, ErrorCode::kUnavailable) << killed.error().message;

  // The pool opens a fresh connection for the next transaction.
  Status next = database->Run(TransactionMode::kReadOnly, [&](Transaction& txn) -> Status {
    return txn.Query("SELECT 1").status();
  });
  EXPECT_TRUE(next.ok()) << next.error().message;
}

INSTANTIATE_TEST_SUITE_P(Dialects, StoreConformanceTest,
                         testing::Values(Dialect::kSqlite, Dialect::kPostgresql), DialectName);

}  // namespace
}  // namespace ketachart
