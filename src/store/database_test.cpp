// Database::Run must survive a bug in the work it runs: an exception rolls the
// transaction back and returns the connection to the pool, so one faulty
// request cannot hold SQLite's write lock or drain the pool.
#include "store/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

namespace ketachart {
namespace {

TEST(DatabaseTest, AnExceptionInTheWorkRollsBackAndReleasesTheConnection) {
  const auto dir = std::filesystem::temp_directory_path() / ("ketachart-unit-db-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  DatabaseOptions options;
  options.location = (dir / "test.db").string();
  options.max_connections = 2;
  options.busy_timeout_ms = 200;
  auto opened = Database::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Database& database = *opened.value();
  ASSERT_TRUE(database.Run(TransactionMode::kReadWrite, [](Transaction& txn) {
                return txn.ExecuteScript("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
              }).ok());

  // More throwing write transactions than there are connections.
  for (int i = 0; i < 5; ++i) {
    EXPECT_THROW(database.Run(TransactionMode::kReadWrite,
                              [](Transaction& txn) -> Status {
                                KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO notes (text) VALUES ('lost')"));
                                throw std::runtime_error("bug in the work");
                              }),
                 std::runtime_error);
  }
  // The write lock is free and the pool is whole: this commits at once.
  Status written = database.Run(TransactionMode::kReadWrite, [](Transaction& txn) {
    return txn.Execute("INSERT INTO notes (text) VALUES ('kept')").status();
  });
  ASSERT_TRUE(written.ok()) << written.error().message;
  auto count = database.Run<int64_t>(TransactionMode::kReadOnly, [](Transaction& txn) -> Result<int64_t> {
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT COUNT(*), MIN(text) FROM notes"));
    EXPECT_EQ(rows[0].Text(1), "kept");
    return rows[0].Int(0);
  });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count.value(), 1) << "the throwing transactions' inserts were rolled back";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ketachart
