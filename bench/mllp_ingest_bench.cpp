// mllp_ingest_bench: end-to-end monitor ingestion on SQLite. C connections
// (default 200) each send PCD-01 ORU^R01 messages of 6 observations over MLLP
// to the real listener + MonitorInbox + SQLite store (WAL, synchronous=FULL,
// one transaction and one audit event per message), each waiting for its ACK
// before sending the next. Prints observations durably stored per second and
// ACK latency percentiles, then runs the peer in the same run and prints the
// ratio. With --rate R the connections are paced (open loop): together they
// offer R observations per second, each message scheduled at its own time and
// its latency measured from that time (so a slow ACK cannot hide the wait of
// the messages queued behind it); without it each connection sends as fast as
// its ACKs come back (closed loop, the throughput ceiling).
//
// Peer: python3's sqlite3 module writing the same rows (one message row and 6
// observation rows per message, one transaction each, WAL, synchronous=FULL)
// from one connection with no network, parsing or audit: the durable-insert
// rate of the same data that a minimal store gets from the same disk.
//
//   mllp_ingest_bench [--connections C] [--seconds S] [--threads T] [--rate OBS_PER_S] [--python PATH]
//
// Goal (issue 5): >= 20,000 observations/s with p99 ACK latency < 20 ms.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "interop/hl7v2/mllp_framing.h"
#include "interop/hl7v2/mllp_listener.h"
#include "interop/hl7v2/monitor_inbox.h"
#include "services/clinic_setup.h"
#include "store/database.h"

namespace {

using namespace ketachart;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

std::string Oru(const std::string& control_id, const std::string& device, int i) {
  const char* time = "20261122100000+0000";
  std::string m = fmt::format("MSH|^~\\&|SIM^{}^EUI-64|WARD|||{}||ORU^R01^ORU_R01|{}|P|2.6|||NE|AL||UNICODE UTF-8",
                              device, time, control_id);
  const std::pair<const char*, const char*> obx[] = {
      {"150456^MDC_PULS_OXIM_SAT_O2^MDC", "262688^MDC_DIM_PERCENT^MDC"},
      {"147842^MDC_ECG_HEART_RATE^MDC", "264864^MDC_DIM_BEAT_PER_MIN^MDC"},
      {"150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "266016^MDC_DIM_MMHG^MDC"},
      {"150022^MDC_PRESS_BLD_NONINV_DIA^MDC", "266016^MDC_DIM_MMHG^MDC"},
      {"150023^MDC_PRESS_BLD_NONINV_MEAN^MDC", "266016^MDC_DIM_MMHG^MDC"},
      {"151562^MDC_RESP_RATE^MDC", "264928^MDC_DIM_RESP_PER_MIN^MDC"}};
  int k = 0;
  for (const auto& [code, unit] : obx) {
    ++k;
    m += fmt::format("\rOBX|{}|NM|{}|1.1.{}|{}|{}|||||R|||{}", k, code, k, 60 + (i + k) % 40, unit, time);
  }
  return m;
}

struct Sender : std::enable_shared_from_this<Sender> {
  Sender(asio::io_context& io, unsigned short port, int index, SteadyClock::time_point start,
         SteadyClock::time_point until, SteadyClock::duration interval, std::vector<double>& latencies_ms,
         std::mutex& mutex, std::atomic<long>& acked, std::atomic<long>& rejected)
      : socket(io), timer(io), port(port), index(index), start(start), until(until), interval(interval),
        latencies_ms(latencies_ms), mutex(mutex), acked(acked), rejected(rejected), frames(1 << 20) {}

  void Start() {
    socket.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                         [self = shared_from_this()](const boost::system::error_code& ec) {
                           if (!ec) self->SendNext();
                         });
  }
  void SendNext() {
    const auto now = SteadyClock::now();
    if (now >= until) return;
    if (interval.count() > 0) {
      // Paced: message n of this connection is due at start + offset + n * interval.
      const auto due = start + interval * sent + interval * index / 200;
      if (due >= until) return;
      if (due > now) {
        timer.expires_at(due);
        timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
          if (!ec) self->Send(self->start + self->interval * self->sent + self->interval * self->index / 200);
        });
        return;
      }
      return Send(due);
    }
    Send(now);
  }
  void Send(SteadyClock::time_point scheduled) {
    const std::string control_id = fmt::format("B{}-{}-{}", getpid(), index, sent);
    outgoing = hl7v2::FrameMllp(Oru(control_id, fmt::format("BE{:014X}", index), sent));
    ++sent;
    started = scheduled;
    asio::async_write(socket, asio::buffer(outgoing), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                                  size_t) {
      if (!ec) self->ReadReply();
    });
  }
  void ReadReply() {
    if (auto frame = frames.Next()) {
      const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - started).count();
      if (frame->message.find("\rMSA|AA|") != std::string::npos) {
        ++acked;
        std::lock_guard lock(mutex);
        latencies_ms.push_back(ms);
      } else {
        ++rejected;
      }
      return SendNext();
    }
    socket.async_read_some(asio::buffer(buffer), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                             size_t n) {
      if (ec) return;
      self->frames.Append(std::string_view(self->buffer.data(), n));
      self->ReadReply();
    });
  }

  tcp::socket socket;
  asio::steady_timer timer;
  unsigned short port;
  int index;
  SteadyClock::time_point start;
  SteadyClock::time_point until;
  SteadyClock::duration interval;
  std::vector<double>& latencies_ms;
  std::mutex& mutex;
  std::atomic<long>& acked;
  std::atomic<long>& rejected;
  hl7v2::MllpFrameReader frames;
  std::array<char, 4096> buffer{};
  std::string outgoing;
  int sent = 0;
  SteadyClock::time_point started;
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(values.size())))];
}

// The peer: python3 sqlite3, same rows, one transaction per message.
double PythonObservationsPerSecond(const std::string& python, const std::filesystem::path& dir, double seconds) {
  const std::filesystem::path script = dir / "peer.py";
  std::FILE* f = std::fopen(script.c_str(), "w");
  if (f == nullptr) return 0;
  std::fputs(fmt::format(R"PY(import sqlite3, time
db = sqlite3.connect("{}", isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE m (id INTEGER PRIMARY KEY, control_id TEXT UNIQUE, app TEXT, received_at TEXT, n INTEGER)")
db.execute("CREATE TABLE o (id INTEGER PRIMARY KEY, message_id INTEGER, device TEXT, code TEXT, loinc TEXT, state TEXT, value TEXT, unit TEXT, observed_at TEXT, received_at TEXT)")
codes = [("150456","59408-5","%"),("147842","8867-4","/min"),("150021","8480-6","mm[Hg]"),("150022","8462-4","mm[Hg]"),("150023","8478-0","mm[Hg]"),("151562","9279-1","/min")]
start = time.perf_counter(); i = 0
while time.perf_counter() - start < {}:
    db.execute("BEGIN IMMEDIATE")
    mid = db.execute("INSERT INTO m (control_id, app, received_at, n) VALUES (?, 'SIM', '2026-11-22T10:00:00.000Z', 6)", ("P%d" % i,)).lastrowid
    for code, loinc, unit in codes:
        db.execute("INSERT INTO o (message_id, device, code, loinc, state, value, unit, observed_at, received_at) VALUES (?, 'BE', ?, ?, 'measured', ?, ?, '2026-11-22T10:00:00.000Z', '2026-11-22T10:00:00.000Z')", (mid, code, loinc, str(60 + i % 40), unit))
    db.execute("COMMIT")
    i += 1
print("%.1f" % (6 * i / (time.perf_counter() - start)))
)PY",
                         (dir / "peer.db").string(), seconds)
                 .c_str(),
             f);
  std::fclose(f);
  std::FILE* pipe = popen(fmt::format("{} {}", python, script.string()).c_str(), "r");
  if (pipe == nullptr) return 0;
  char line[64] = {};
  const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
  const int status = pclose(pipe);
  return read && status == 0 ? std::atof(line) : 0;
}

}  // namespace

int main(int argc, char** argv) {
  int connections = 200, threads = 32;
  double seconds = 10;
  double rate = 0;  // offered observations per second; 0: closed loop
  std::string python = "/usr/bin/python3";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--connections") {
      connections = std::max(1, std::stoi(argv[i + 1]));
    } else if (flag == "--seconds") {
      seconds = std::stod(argv[i + 1]);
    } else if (flag == "--threads") {
      threads = std::max(1, std::stoi(argv[i + 1]));
    } else if (flag == "--rate") {
      rate = std::max(0.0, std::stod(argv[i + 1]));
    } else if (flag == "--python") {
      python = argv[i + 1];
    } else {
      std::cerr << "mllp_ingest_bench: unknown option " << flag << "\n";
      return 2;
    }
  }
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("ketachart-mllp-bench-{}", getpid());
  std::filesystem::create_directories(dir);

  DatabaseOptions database_options;
  database_options.location = (dir / "ketachart.db").string();
  database_options.max_connections = static_cast<size_t>(threads) + 2;
  auto database = Database::Open(database_options);
  if (!database.ok() || !database.value()->Migrate().ok()) {
    std::cerr << "mllp_ingest_bench: cannot create the database\n";
    return 1;
  }
  SystemClock clock;
  ServiceContext context{*database.value(), clock, {}, nullptr};
  auto clinic = database.value()->Run<int64_t>(TransactionMode::kReadWrite, [&](Transaction& txn) {
    return CreateClinic(txn, {"BEN", "Bench Clinic", "UTC"}, clock.Now());
  });
  if (!clinic.ok()) return 1;
  hl7v2::MonitorInbox inbox(context, clinic.value(), {});
  hl7v2::MllpListenerOptions listener_options;
  listener_options.port = 0;
  listener_options.threads = threads;
  listener_options.max_connections = static_cast<size_t>(connections) + 10;
  hl7v2::MllpListener listener(listener_options, inbox.Handlers());
  if (!listener.Start().ok()) return 1;

  asio::io_context io;
  std::vector<double> latencies;
  std::mutex mutex;
  std::atomic<long> acked{0}, rejected{0};
  const auto start = SteadyClock::now();
  const auto until = start + std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
  // Each connection's share of the offered rate, 6 observations per message.
  const auto interval = rate > 0 ? std::chrono::duration_cast<SteadyClock::duration>(
                                       std::chrono::duration<double>(6.0 * connections / rate))
                                 : SteadyClock::duration::zero();
  for (int c = 0; c < connections; ++c) {
    std::make_shared<Sender>(io, listener.port(), c, start, until, interval, latencies, mutex, acked, rejected)->Start();
  }
  io.run();  // returns when every sender stopped after `until`
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  listener.Stop();
  const double ours = 6.0 * static_cast<double>(acked.load()) / elapsed;
  const double peer = PythonObservationsPerSecond(python, dir, seconds);
  std::filesystem::remove_all(dir);

  fmt::print("MLLP ingestion on SQLite: {} connections, {} listener threads, {:.1f} s, 6 observations per message, {}\n",
             connections, threads, elapsed,
             rate > 0 ? fmt::format("paced at {:.0f} observations/s offered", rate) : std::string("closed loop"));
  fmt::print("  messages acknowledged AA: {} (rejected: {})\n", acked.load(), rejected.load());
  fmt::print("  KetaChart: {:.0f} observations/s durably stored; ACK latency p50 {:.1f} ms, p99 {:.1f} ms, max {:.1f} ms\n",
             ours, Percentile(latencies, 50), Percentile(latencies, 99), Percentile(latencies, 100));
  if (peer <= 0) {
    fmt::print("  peer (python3 sqlite3, same rows, one transaction per message) did not run; no ratio\n");
    return 1;
  }
  fmt::print("  peer python3 sqlite3 (same rows, one transaction per message, one connection): {:.0f} observations/s\n",
             peer);
  fmt::print("  ratio KetaChart / peer: {:.2f}x{}   goal: >= 20000 observations/s with p99 < 20 ms\n", ours / peer,
             rate > 0 ? " (paced: KetaChart's rate is the offered load, not its ceiling)" : "");
  return 0;
}
