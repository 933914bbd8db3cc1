// PostgreSQL dialect of the store, on libpq: '?' placeholders become $1..$n,
// statements are prepared once per connection and sent with text parameters,
// read-write transactions are SERIALIZABLE (Database::Run retries their
// serialization failures), and backups run pg_dump with the credentials in its
// environment. The connection password never appears in a message or log.
#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/database.h"

extern char** environ;

namespace ketachart {
namespace {

// Type OIDs from the server's pg_type catalog (stable across versions).
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

constexpr const char* kPgDumpFallback = "/usr/lib/postgresql/15/bin/pg_dump";

struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

struct ConninfoDeleter {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using Conninfo = std::unique_ptr<PQconninfoOption, ConninfoDeleter>;

// The URL with any password (user:password@ or ?password=) replaced by ***.
std::string MaskPassword(const std::string& url) {
  std::string out = url;
  const size_t scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    const size_t authority = scheme_end + 3;
    size_t authority_end = out.find_first_of("/?", authority);
    if (authority_end == std::string::npos) authority_end = out.size();
    const size_t at = out.rfind('@', authority_end);
    if (at != std::string::npos && at >= authority) {
      const size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  const size_t query = out.find('?');
  if (query != std::string::npos) {
    size_t key = query + 1;
    while (key < out.size()) {
      size_t end = out.find('&', key);
      if (end == std::string::npos) end = out.size();
      constexpr std::string_view kPasswordKey = "password=";
      if (std::string_view(out).substr(key, end - key).starts_with(kPasswordKey)) {
        const size_t value = key + kPasswordKey.size();
        out.replace(value, end - value, "***");
        end = value + 3;
      }
      key = end + 1;
    }
  }
  return out;
}

// One line of server or tool text, with the password (if any) scrubbed out.
std::string OneLine(std::string text, const std::string& password) {
  if (!password.empty()) {
    for (size_t at = text.find(password); at != std::string::npos; at = text.find(password, at)) {
      text.replace(at, password.size(), "***");
      at += 3;
    }
  }
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  const size_t first = text.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  const size_t last = text.find_last_not_of(' ');
  return text.substr(first, last - first + 1);
}

// Parsed connection parameters (keyword -> value), or an error that does not
// echo the URL (it may hold a password).
Result<std::map<std::string, std::string>> ParseConninfo(const std::string& url) {
  char* message = nullptr;
  Conninfo options(PQconninfoParse(url.c_str(), &message));
  if (!options) {
    std::string reason = message ? message : "out of memory";
    PQfreemem(message);
    // libpq may quote the offending token, which could be part of a password.
    if (MaskPassword(url) != url) reason = "check its syntax";
    return InvalidInput("database", "invalid PostgreSQL URL: " + OneLine(reason, {}));
  }
  std::map<std::string, std::string> out;
  for (const PQconninfoOption* option = options.get(); option->keyword; ++option) {
    if (option->val && *option->val) out[option->keyword] = option->val;
  }
  return out;
}

// Rewrites '?' placeholders to $1..$n, leaving quoted literals, quoted
// identifiers, comments and dollar-quoted bodies untouched.
std::string TranslatePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  size_t i = 0;
  auto copy_until = [&](std::string_view terminator) {
    const size_t end = sql.find(terminator, i);
    const size_t stop = end == std::string_view::npos ? sql.size() : end + terminator.size();
    out.append(sql.substr(i, stop - i));
    i = stop;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '?') {
      out += '$';
      out += std::to_string(next++);
      ++i;
    } else if (c == '\'' || c == '"') {
      // A doubled quote inside a literal reads as closing and reopening it.
      out += c;
      ++i;
      copy_until(std::string_view(&c, 1));
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      copy_until("\n");
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      out += "/*";
      i += 2;
      copy_until("*/");
    } else if (c == '$') {
      size_t tag_end = i + 1;
      while (tag_end < sql.size() &&
             (std::isalnum(static_cast<unsigned char>(sql[tag_end])) || sql[tag_end] == '_')) {
        ++tag_end;
      }
      if (tag_end < sql.size() && sql[tag_end] == '$' &&
          !std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
        const std::string tag(sql.substr(i, tag_end - i + 1));
        out += tag;
        i = tag_end + 1;
        copy_until(tag);
      } else {
        out += c;
        ++i;
      }
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string FormatParameter(const SqlValue& value) {
  if (auto* n = std::get_if<int64_t>(&value)) return std::to_string(*n);
  if (auto* d = std::get_if<double>(&value)) {
    if (std::isnan(*d)) return "NaN";
    if (std::isinf(*d)) return *d > 0 ? "Infinity" : "-Infinity";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", *d);
    return buffer;
  }
  return std::get<std::string>(value);
}

SqlValue ConvertValue(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::monostate{};
  const char* text = PQgetvalue(result, row, column);
  switch (PQftype(result, column)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      return int64_t{std::strtoll(text, nullptr, 10)};
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid:
      return std::strtod(text, nullptr);
    default:
      return std::string(text, PQgetlength(result, row, column));
  }
}

// "cached plan must not change result type": a table a prepared statement
// reads was altered since it was prepared.
bool IsStalePlan(const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* text = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  return state && std::strcmp(state, "0A000") == 0 && text && std::strstr(text, "cached plan");
}

void LogNotice(void* /*context*/, const char* message) {
  spdlog::debug("postgresql: {}", OneLine(message, {}));
}

class PostgresqlConnection final : public Connection {
 public:
  static constexpr int kAwaitSpinMicroseconds = 200;

  PostgresqlConnection(PGconn* conn, std::string password)
      : conn_(conn), password_(std::move(password)) {
    PQsetNoticeProcessor(conn_, LogNotice, nullptr);
  }
  ~PostgresqlConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgresql; }
  bool healthy() const override { return healthy_ && PQstatus(conn_) == CONNECTION_OK; }

  Status Begin(TransactionMode mode) override {
    (void)Flush();  // nothing is outstanding between transactions; be sure
    KC_RETURN_IF_ERROR(DeallocateEvicted());
    // Sent with the first statement: a transaction costs no round trip of its own.
    return ExecuteUtilityLater(mode == TransactionMode::kReadWrite
                                   ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                   : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  Status Commit() override {
    // COMMIT goes behind whatever is outstanding, in the same round trip; if
    // one of those failed, the COMMIT is skipped and the failure returned
    // (Database::Run then rolls back).
    KC_RETURN_IF_ERROR(ExecuteUtilityLater("COMMIT"));
    PgResult result;
    KC_RETURN_IF_ERROR(Collect(&result));
    KC_RETURN_IF_ERROR(Check(result.get(), "commit"));
    // COMMIT of a transaction that already failed succeeds as a ROLLBACK.
    if (std::strcmp(PQcmdStatus(result.get()), "ROLLBACK") == 0) {
      return Internal("postgresql: commit: the transaction had failed and was rolled back");
    }
    return Status::Ok();
  }

  void Rollback() override {
    if (PQstatus(conn_) != CONNECTION_OK) return;
    (void)Flush();  // the transaction is being abandoned: its outstanding failures no longer matter
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
    Status status = Exec("ROLLBACK");
    if (!status.ok()) spdlog::warn("{}", status.error().message);
  }

  Result<SqlRows> Query(std::string_view sql, const SqlParams& params) override {
    KC_ASSIGN_OR_RETURN(PgResult result, Run(sql, params));
    SqlRows rows;
    const int row_count = PQntuples(result.get());
    const int column_count = PQnfields(result.get());
    rows.reserve(row_count);
    for (int r = 0; r < row_count; ++r) {
      std::vector<SqlValue> values;
      values.reserve(column_count);
      for (int c = 0; c < column_count; ++c) values.push_back(ConvertValue(result.get(), r, c));
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, const SqlParams& params) override {
    KC_ASSIGN_OR_RETURN(PgResult result, Run(sql, params));
    const char* changed = PQcmdTuples(result.get());
    return int64_t{*changed ? std::strtoll(changed, nullptr, 10) : 0};
  }

  Status ExecuteScript(std::string_view sql) override { return Exec(std::string(sql)); }

  Status ExecuteUtilityLater(std::string_view sql) override {
    KC_RETURN_IF_ERROR(EnterPipeline());
    const std::string text(sql);
    if (PQsendQueryParams(conn_, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
      return Check(nullptr, "postgresql: send");
    }
    outstanding_.push_back(text);
    return Status::Ok();
  }

  Status ExecuteLater(std::string_view sql, const SqlParams& params) override {
    // Preparing is synchronous, so a statement new to this connection first
    // collects what is outstanding.
    if (!statements_.count(std::string(sql))) KC_RETURN_IF_ERROR(Flush());
    KC_ASSIGN_OR_RETURN(std::string name, Prepare(sql));
    KC_RETURN_IF_ERROR(EnterPipeline());
    const BoundParameters bound(params);
    if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(params.size()), bound.values.data(), nullptr,
                            nullptr, 0) != 1) {
      return Check(nullptr, "postgresql: send");
    }
    outstanding_.emplace_back(sql);
    return Status::Ok();
  }

  Status Flush() override { return Collect(nullptr); }
  bool failed() const override { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

 private:
  // Before PQgetResult sleeps in poll(), watch the socket for up to
  // kAwaitSpinMicroseconds: a pipeline's answer on a near server usually comes
  // sooner than that, and on a virtual machine whose CPUs go idle, being woken
  // from poll() costs more. (ledger_bench, 7 interleaved A/B pairs on this 2-core
  // VM: median administer rate 2,000/s against 1,686/s; docs/performance.md.) libpq keeps its socket
  // non-blocking, so PQconsumeInput never waits.
  void AwaitInput() {
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(kAwaitSpinMicroseconds);
    while (PQisBusy(conn_) && std::chrono::steady_clock::now() < until) {
      if (PQconsumeInput(conn_) != 1) return;  // PQgetResult reports the failure
    }
  }

  Status EnterPipeline() {
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1) {
      return Check(nullptr, "postgresql: pipeline");
    }
    return Status::Ok();
  }

  // Ends the pipeline: a sync point, then every outstanding statement's
  // result in order. Returns the first failure; `last`, if given, receives
  // the result of the last statement sent when every statement succeeded.
  Status Collect(PgResult* last) {
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return Status::Ok();
    Status first = Status::Ok();
    if (!outstanding_.empty()) {
      if (PQpipelineSync(conn_) != 1) {
        first = Check(nullptr, "postgresql: pipeline sync");
        healthy_ = false;
      } else {
        // Each statement's result, then NULL; a statement after a failed one
        // is PIPELINE_ABORTED; the sync point ends the pipeline.
        size_t next = 0;
        size_t ends = 0;  // NULLs seen: one per statement, so more means the sync point is lost
        for (;;) {
          AwaitInput();
          PgResult result(PQgetResult(conn_));
          if (!result) {
            if (PQstatus(conn_) == CONNECTION_OK && ++ends <= outstanding_.size()) continue;
            if (first.ok()) first = Check(nullptr, "postgresql: pipeline");
            healthy_ = false;
            break;
          }
          const ExecStatusType status = PQresultStatus(result.get());
          if (status == PGRES_PIPELINE_SYNC) break;
          const std::string sql = next < outstanding_.size() ? outstanding_[next] : std::string();
          ++next;
          if (status == PGRES_PIPELINE_ABORTED) continue;
          Status checked = Check(result.get(), "postgresql");
          if (checked.ok() && last && next == outstanding_.size()) *last = std::move(result);
          if (!checked.ok()) {
            if (IsStalePlan(result.get()) && statements_.count(sql)) {
              evicted_.push_back(statements_[sql]);
              statements_.erase(sql);
            }
            if (first.ok()) first = checked;
          }
        }
      }
    }
    outstanding_.clear();
    if (PQexitPipelineMode(conn_) != 1) {
      healthy_ = false;
      if (first.ok()) first = Check(nullptr, "postgresql: leaving pipeline mode");
    }
    return first;
  }

  // Parameters as libpq takes them: text, NULL for SQL NULL.
  struct BoundParameters {
    explicit BoundParameters(const SqlParams& params) : texts(params.size()), values(params.size(), nullptr) {
      for (size_t i = 0; i < params.size(); ++i) {
        if (std::holds_alternative<std::monostate>(params[i])) continue;
        texts[i] = FormatParameter(params[i]);
        values[i] = texts[i].c_str();
      }
    }
    std::vector<std::string> texts;
    std::vector<const char*> values;
  };

  Status Exec(const std::string& sql) {
    KC_RETURN_IF_ERROR(Flush());
    PgResult result(PQexec(conn_, sql.c_str()));
    return Check(result.get(), "postgresql");
  }

  // Maps a failed result to the error catalog; OK for a successful one.
  Status Check(const PGresult* result, std::string_view what) {
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::Ok();
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state ? state : "";
    std::string detail = result ? PQresultErrorMessage(result) : "";
    if (detail.empty()) detail = PQerrorMessage(conn_);
    const std::string message = std::string(what) + ": " + OneLine(detail, password_);
    if (PQstatus(conn_) != CONNECTION_OK || sqlstate.starts_with("08") || sqlstate == "57P01" ||
        sqlstate == "57P02" || sqlstate == "57P03") {
      healthy_ = false;
      return Error{ErrorCode::kUnavailable, message, {}};
    }
    if (sqlstate == "40001" || sqlstate == "40P01") {
      return Error{ErrorCode::kSerializationFailure, message, {}};
    }
    if (sqlstate == "23505") {
      const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
      return Conflict(message +
                      (constraint ? std::string(" [constraint ") + constraint + "]" : ""));
    }
    if (IsStalePlan(result)) {
      // The schema changed under a prepared statement: it is re-prepared in a
      // fresh transaction, which Database::Run starts for transient failures.
      return Error{ErrorCode::kSerializationFailure, message, {}};
    }
    return Error{ErrorCode::kInternal, message, {}};
  }

  Result<std::string> Prepare(std::string_view sql) {
    std::string key(sql);
    auto it = statements_.find(key);
    if (it != statements_.end()) return it->second;
    std::string name = "kc_" + std::to_string(++statement_counter_);
    const std::string translated = TranslatePlaceholders(sql);
    PgResult result(PQprepare(conn_, name.c_str(), translated.c_str(), 0, nullptr));
    KC_RETURN_IF_ERROR(Check(result.get(), "prepare"));
    statements_.emplace(std::move(key), name);
    return name;
  }

  Result<PgResult> Run(std::string_view sql, const SqlParams& params) {
    if (!outstanding_.empty() && statements_.count(std::string(sql))) {
      // Statements are outstanding and this one is prepared: it joins them,
      // and one round trip brings every result. A failure before it skips it.
      KC_RETURN_IF_ERROR(ExecuteLater(sql, params));
      PgResult result;
      KC_RETURN_IF_ERROR(Collect(&result));
      if (!result) return Internal("postgresql: the statement's result was not returned");
      return result;
    }
    KC_RETURN_IF_ERROR(Flush());
    KC_ASSIGN_OR_RETURN(std::string name, Prepare(sql));
    const BoundParameters bound(params);
    PgResult result(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()),
                                   bound.values.data(), nullptr, nullptr, 0));
    Status status = Check(result.get(), "postgresql");
    if (status.ok()) return result;
    if (IsStalePlan(result.get())) {
      evicted_.push_back(name);
      statements_.erase(std::string(sql));
    }
    return status.error();
  }

  // Drops server-side statements evicted from the cache; needs a connection
  // outside any failed transaction, so it runs just before BEGIN.
  Status DeallocateEvicted() {
    while (!evicted_.empty()) {
      KC_RETURN_IF_ERROR(Exec("DEALLOCATE " + evicted_.back()));
      evicted_.pop_back();
    }
    return Status::Ok();
  }

  PGconn* conn_;
  std::string password_;
  bool healthy_ = true;
  uint64_t statement_counter_ = 0;
  std::unordered_map<std::string, std::string> statements_;  // SQL text -> statement name
  std::vector<std::string> evicted_;
  std::vector<std::string> outstanding_;  // SQL sent by ExecuteLater, results not yet read
};

// The first line of everything `fd` delivers until end of file.
std::string ReadFirstLine(int fd) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  const size_t start = text.find_first_not_of("\r\n ");
  if (start == std::string::npos) return {};
  return text.substr(start, text.find('\n', start) - start);
}

std::string FindPgDump() {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    const size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    if (dir.empty()) continue;
    std::string candidate = std::string(dir) + "/pg_dump";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return kPgDumpFallback;
}

class PostgresqlDatabase final : public Database {
 public:
  PostgresqlDatabase(DatabaseOptions options, std::map<std::string, std::string> conninfo)
      : Database(Dialect::kPostgresql, std::move(options)), conninfo_(std::move(conninfo)) {
    if (auto it = conninfo_.find("password"); it != conninfo_.end()) password_ = it->second;
  }

  std::string Describe() const override { return MaskPassword(options_.location); }

  Status Backup(const std::string& file) override {
    // Credentials go through the environment, never argv (visible in ps).
    std::map<std::string, std::string> variables = {{"host", "PGHOST"},
                                                    {"hostaddr", "PGHOSTADDR"},
                                                    {"port", "PGPORT"},
                                                    {"user", "PGUSER"},
                                                    {"password", "PGPASSWORD"},
                                                    {"dbname", "PGDATABASE"},
                                                    {"sslmode", "PGSSLMODE"},
                                                    {"sslrootcert", "PGSSLROOTCERT"},
                                                    {"sslcert", "PGSSLCERT"},
                                                    {"sslkey", "PGSSLKEY"},
                                                    {"connect_timeout", "PGCONNECT_TIMEOUT"}};
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) {
      const std::string_view variable(*entry);
      const std::string name(variable.substr(0, variable.find('=')));
      bool overridden = false;
      for (const auto& [keyword, env_name] : variables) {
        overridden |= env_name == name && conninfo_.contains(keyword);
      }
      if (!overridden) environment.emplace_back(variable);
    }
    for (const auto& [keyword, env_name] : variables) {
      if (auto it = conninfo_.find(keyword); it != conninfo_.end()) {
        environment.push_back(env_name + "=" + it->second);
      }
    }
    std::vector<char*> envp;
    for (std::string& entry : environment) envp.push_back(entry.data());
    envp.push_back(nullptr);

    std::string program = FindPgDump();
    std::string format = "--format=custom";
    std::string no_password = "--no-password";
    std::string file_flag = "--file";
    std::string target = file;
    std::vector<char*> argv = {program.data(),   format.data(), no_password.data(),
                               file_flag.data(), target.data(), nullptr};

    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
      return Internal(std::string("backup: cannot create a pipe: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    pid_t pid = 0;
    const int spawned =
        posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (spawned != 0) {
      close(pipe_fds[0]);
      return Internal("backup: cannot run " + program + ": " + std::strerror(spawned));
    }
    const std::string reason = OneLine(ReadFirstLine(pipe_fds[0]), password_);
    close(pipe_fds[0]);
    int wait_status = 0;
    while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) return Status::Ok();
    const std::string how = WIFEXITED(wait_status)
                                ? "exit status " + std::to_string(WEXITSTATUS(wait_status))
                                : "signal " + std::to_string(WTERMSIG(wait_status));
    return Internal("backup: pg_dump failed (" + how + ")" + (reason.empty() ? "" : ": " + reason));
  }

 protected:
  Result<std::unique_ptr<Connection>> Connect() override {
    // Keywords before dbname are defaults the URL may override.
    const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {"10", "ketachart", options_.location.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keywords, values, 1);
    if (!conn) return Error{ErrorCode::kUnavailable, "cannot connect: out of memory", {}};
    if (PQstatus(conn) != CONNECTION_OK) {
      Error error{
          ErrorCode::kUnavailable,
          "cannot connect to " + Describe() + ": " + OneLine(PQerrorMessage(conn), password_),
          {}};
      PQfinish(conn);
      return error;
    }
    return std::unique_ptr<Connection>(std::make_unique<PostgresqlConnection>(conn, password_));
  }

 private:
  std::map<std::string, std::string> conninfo_;
  std::string password_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgresqlDatabase(const DatabaseOptions& options) {
  KC_ASSIGN_OR_RETURN(auto conninfo, ParseConninfo(options.location));
  auto database = std::make_unique<PostgresqlDatabase>(options, std::move(conninfo));
  // Connect now so a bad URL or an unreachable server fails at start.
  KC_RETURN_IF_ERROR(database->Run(TransactionMode::kReadOnly, [](Transaction& txn) -> Status {
    return txn.Query("SELECT 1").status();
  }));
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace ketachart
