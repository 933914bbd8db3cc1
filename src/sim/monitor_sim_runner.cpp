// The simulated monitors on the network (see monitor_sim_runner.h): one Asio
// coroutine per monitor on a single-threaded io_context.
#include "sim/monitor_sim_runner.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <cmath>

#include "interop/hl7v2/acknowledgement_reader.h"
#include "interop/hl7v2/mllp_framing.h"
#include "interop/hl7v2/pcd01_message_builder.h"

namespace ketachart::sim {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr size_t kMaxAckBytes = 64 * 1024;
constexpr uint32_t kMaxMonitors = 64;
// Reconnect backoff: 200 ms, doubling, at most 5 s.
constexpr std::chrono::milliseconds kFirstBackoff{200};
constexpr std::chrono::milliseconds kLongestBackoff{5000};

std::chrono::milliseconds Backoff(int failures) {
  const int doublings = std::min(failures - 1, 5);
  return std::min(kLongestBackoff, kFirstBackoff * (1 << doublings));
}

SteadyClock::duration Seconds(double seconds) {
  return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
}

Result<tcp::endpoint> ResolveTarget(const MonitorSimOptions& options) {
  const auto port = static_cast<unsigned short>(options.port);
  if (options.host == "localhost") return tcp::endpoint(asio::ip::address_v4::loopback(), port);
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(options.host, ec);
  if (!ec) {
    if (!address.is_loopback() && !options.allow_remote) {
      return InvalidInput("--host", fmt::format("{} is not a loopback address: monitor-sim sends only to this "
                                                "machine unless --allow-remote is given",
                                                options.host));
    }
    return tcp::endpoint(address, port);
  }
  if (!options.allow_remote) {
    return InvalidInput("--host", fmt::format("'{}' is not a loopback address (127.0.0.1, ::1 or localhost): "
                                              "monitor-sim sends only to this machine unless --allow-remote is given",
                                              options.host));
  }
  asio::io_context io;
  tcp::resolver resolver(io);
  const auto results = resolver.resolve(options.host, std::to_string(port), ec);
  if (ec || results.empty()) {
    return InvalidInput("--host", fmt::format("cannot resolve '{}': {}", options.host, ec.message()));
  }
  return results.begin()->endpoint();
}

std::string Describe(const tcp::endpoint& endpoint) {
  const asio::ip::address address = endpoint.address();
  return address.is_v6() ? fmt::format("[{}]:{}", address.to_string(), endpoint.port())
                         : fmt::format("{}:{}", address.to_string(), endpoint.port());
}

// What all monitors of one run share. Single-threaded: only the io_context's
// thread touches it.
struct SimRun {
  const MonitorSimOptions& options;
  tcp::endpoint target;
  std::ostream& warnings;
  TimePoint session_start;             // wall-clock time of simulated time 0
  SteadyClock::time_point real_start;  // for pacing
  std::string run_id;                  // makes MSH-10s unique across runs
  MonitorSimSummary summary;
  std::optional<Error> failure;
  bool stopping = false;
  std::vector<asio::steady_timer*> waits;  // pacing and backoff waits, cut short by Stop()

  void Stop() {
    stopping = true;
    for (asio::steady_timer* wait : waits) wait->cancel();
  }
};

// One monitor's connection and timers, for the life of its coroutine.
class MonitorConnection {
 public:
  MonitorConnection(SimRun& run, const SimulatedMonitor& monitor, const asio::any_io_executor& executor)
      : run_(run),
        monitor_(monitor),
        socket_(executor),
        wait_(executor),
        deadline_(executor),
        name_(fmt::format("monitor {} ({})", monitor.options().index + 1, monitor.device_eui64())) {
    run_.waits.push_back(&wait_);
  }
  ~MonitorConnection() {
    Close();
    run_.waits.erase(std::find(run_.waits.begin(), run_.waits.end(), &wait_));
  }

  asio::awaitable<void> Run() {
    const MonitorSimOptions& o = run_.options;
    const SimulatedTime end = std::chrono::duration_cast<SimulatedTime>(
        std::chrono::duration<double, std::ratio<60>>(o.duration_minutes));
    for (uint64_t sequence = 0; !run_.stopping; ++sequence) {
      if (o.count && sequence >= *o.count) break;
      const SimulatedTime at = monitor_.ReportTime(sequence);
      if (at >= end) break;
      wait_.expires_at(run_.real_start + Seconds(std::chrono::duration<double>(at).count() / o.speed));
      co_await wait_.async_wait(kNoThrow);
      if (run_.stopping) break;
      const std::string control_id = fmt::format("SIM{}-{}-{}", monitor_.options().index + 1, run_.run_id, sequence + 1);
      const std::string framed =
          hl7v2::FrameMllp(hl7v2::BuildPcd01Message(monitor_.ReportFor(sequence, run_.session_start, control_id)));
      ++run_.summary.sent;
      run_.summary.simulated_minutes =
          std::max(run_.summary.simulated_minutes, std::chrono::duration<double, std::ratio<60>>(at).count());
      const bool drop_before_ack = o.reconnect_every && (sequence + 1) % *o.reconnect_every == 0;
      if (!co_await Deliver(framed, control_id, drop_before_ack)) break;
    }
  }

 private:
  void Close() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  void Warn(const std::string& text) { run_.warnings << "monitor-sim: warning: " << name_ << ": " << text << "\n"; }

  // Sends one message until it is acknowledged or rejected. False: stop the
  // run (given up, or stopping).
  asio::awaitable<bool> Deliver(const std::string& framed, const std::string& control_id, bool drop_before_ack) {
    const MonitorSimOptions& o = run_.options;
    int failures = 0;
    bool written = false;
    std::string problem;
    while (true) {
      if (failures > 0) {
        if (failures >= o.connect_attempts) {
          run_.failure = Error{ErrorCode::kUnavailable,
                               fmt::format("{}: {} (gave up after {} attempts)", name_, problem, failures), "--port"};
          run_.Stop();
          co_return false;
        }
        const std::chrono::milliseconds backoff = Backoff(failures);
        Warn(fmt::format("{}; retrying in {:.1f} s", problem, std::chrono::duration<double>(backoff).count()));
        wait_.expires_after(backoff);
        co_await wait_.async_wait(kNoThrow);
        if (run_.stopping) co_return false;
      }
      if (!socket_.is_open()) {
        const boost::system::error_code ec = co_await Connect();
        if (ec) {
          problem = fmt::format("cannot connect to {}: {}", Describe(run_.target), ec.message());
          ++failures;
          continue;
        }
        if (ever_connected_) ++run_.summary.reconnects;
        ever_connected_ = true;
        frames_ = hl7v2::MllpFrameReader(kMaxAckBytes);
      }
      const auto [write_error, written_bytes] = co_await asio::async_write(socket_, asio::buffer(framed), kNoThrow);
      if (write_error) {
        problem = fmt::format("connection lost while sending {}: {}", control_id, write_error.message());
        Close();
        ++failures;
        continue;
      }
      if (written) ++run_.summary.resent;
      written = true;
      if (drop_before_ack) {
        // --reconnect-every: the connection "fails" before the ACK arrives;
        // the monitor reconnects and resends the same MSH-10.
        drop_before_ack = false;
        Close();
        continue;
      }
      Result<hl7v2::AcknowledgementReply> ack = co_await ReadAck();
      if (!ack.ok()) {
        problem = fmt::format("no ACK for {}: {}", control_id, ack.error().message);
        Close();
        ++failures;
        continue;
      }
      if (ack->control_id != control_id) {
        problem = fmt::format("the ACK answers '{}', not {}", ack->control_id, control_id);
        Close();
        ++failures;
        continue;
      }
      if (ack->accepted()) {
        ++run_.summary.acknowledged;
      } else {
        ++run_.summary.rejected;
        Warn(fmt::format("{} rejected with {}: {}", control_id, ack->code,
                         ack->reason.empty() ? "(no reason given)" : ack->reason));
      }
      co_return true;
    }
  }

  asio::awaitable<boost::system::error_code> Connect() {
    Close();
    deadline_.expires_after(Seconds(run_.options.ack_timeout_seconds));
    auto outcome = co_await (socket_.async_connect(run_.target, kNoThrow) || deadline_.async_wait(kNoThrow));
    if (outcome.index() == 1) {
      Close();
      co_return asio::error::timed_out;
    }
    const auto [ec] = std::get<0>(outcome);
    if (ec) Close();
    co_return ec;
  }

  asio::awaitable<Result<hl7v2::AcknowledgementReply>> ReadAck() {
    deadline_.expires_after(Seconds(run_.options.ack_timeout_seconds));
    while (true) {
      if (std::optional<hl7v2::MllpFrame> frame = frames_.Next()) {
        if (frame->oversized) co_return Error{ErrorCode::kUnavailable, "the reply is larger than 64 KiB", {}};
        co_return hl7v2::ReadAcknowledgement(std::move(frame->message));
      }
      auto outcome =
          co_await (socket_.async_read_some(asio::buffer(buffer_), kNoThrow) || deadline_.async_wait(kNoThrow));
      if (outcome.index() == 1) {
        co_return Error{ErrorCode::kUnavailable,
                        fmt::format("none within {} s", run_.options.ack_timeout_seconds), {}};
      }
      const auto [ec, bytes] = std::get<0>(outcome);
      if (ec) {
        co_return Error{ErrorCode::kUnavailable,
                        ec == asio::error::eof ? "the server closed the connection" : ec.message(), {}};
      }
      frames_.Append(std::string_view(buffer_.data(), bytes));
    }
  }

  SimRun& run_;
  const SimulatedMonitor& monitor_;
  tcp::socket socket_;
  asio::steady_timer wait_;      // pacing and backoff
  asio::steady_timer deadline_;  // connect and ACK timeouts
  std::string name_;
  hl7v2::MllpFrameReader frames_{kMaxAckBytes};
  std::array<char, 4096> buffer_{};
  bool ever_connected_ = false;
};

}  // namespace

Status CheckMonitorSimOptions(const MonitorSimOptions& o) {
  if (o.port < 1 || o.port > 65535) return InvalidInput("--port", "must be between 1 and 65535");
  if (o.monitors < 1 || o.monitors > kMaxMonitors) {
    return InvalidInput("--monitors", fmt::format("must be between 1 and {}", kMaxMonitors));
  }
  if (!(o.interval_seconds >= 0.1 && o.interval_seconds <= 3600)) {
    return InvalidInput("--interval-seconds", "must be between 0.1 and 3600");
  }
  if (!(o.speed >= 0.01 && o.speed <= 1e6)) return InvalidInput("--speed", "must be between 0.01 and 1000000");
  if (!(o.duration_minutes > 0 && o.duration_minutes <= 7 * 24 * 60)) {
    return InvalidInput("--duration-minutes", "must be more than 0 and at most 10080 (a week)");
  }
  if (o.scenarios.empty()) return InvalidInput("--scenario", "name at least one scenario");
  if (o.peak_rise_mmhg && !(*o.peak_rise_mmhg >= 0 && *o.peak_rise_mmhg <= 100)) {
    return InvalidInput("--peak-rise-mmhg", "must be between 0 and 100");
  }
  if (!(o.nibp_interval_minutes >= 1 && o.nibp_interval_minutes <= 60)) {
    return InvalidInput("--nibp-minutes", "must be between 1 and 60");
  }
  if (!(o.probe_offs_per_hour >= 0 && o.probe_offs_per_hour <= 30)) {
    return InvalidInput("--probe-offs-per-hour", "must be between 0 and 30");
  }
  if (o.count && *o.count < 1) return InvalidInput("--count", "must be at least 1");
  if (o.reconnect_every && *o.reconnect_every < 1) return InvalidInput("--reconnect-every", "must be at least 1");
  if (o.connect_attempts < 1 || o.connect_attempts > 1000) {
    return InvalidInput("--connect-attempts", "must be between 1 and 1000");
  }
  if (!(o.ack_timeout_seconds >= 0.1 && o.ack_timeout_seconds <= 600)) {
    return InvalidInput("--ack-timeout-seconds", "must be between 0.1 and 600");
  }
  return Status::Ok();
}

std::vector<SimulatedMonitor> MakeSimulatedMonitors(const MonitorSimOptions& o) {
  std::vector<SimulatedMonitor> monitors;
  monitors.reserve(o.monitors);
  for (uint32_t i = 0; i < o.monitors; ++i) {
    SimulatedMonitorOptions m;
    m.seed = o.seed;
    m.index = i;
    m.scenario = o.scenarios.at(std::min<size_t>(i, o.scenarios.size() - 1));
    m.peak_systolic_rise_mmhg = o.peak_rise_mmhg;
    m.probe_offs_per_hour = o.probe_offs_per_hour;
    m.report_interval = std::chrono::milliseconds(std::llround(o.interval_seconds * 1000));
    m.cuff_interval = std::chrono::milliseconds(std::llround(o.nibp_interval_minutes * 60'000));
    monitors.emplace_back(m);
  }
  return monitors;
}

Result<MonitorSimSummary> RunMonitorSim(const MonitorSimOptions& options, std::ostream& warnings) {
  KC_RETURN_IF_ERROR(CheckMonitorSimOptions(options));
  KC_ASSIGN_OR_RETURN(const tcp::endpoint target, ResolveTarget(options));
  const std::vector<SimulatedMonitor> monitors = MakeSimulatedMonitors(options);

  asio::io_context io;
  SimRun run{options, target, warnings, {}, SteadyClock::now(), {}, {}, {}, false, {}};
  run.session_start = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  run.run_id = fmt::format("{:X}{:04X}", run.session_start.time_since_epoch().count(), getpid() & 0xFFFF);

  asio::signal_set signals(io);
  if (options.handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([&run](const boost::system::error_code& ec, int) {
      if (ec) return;
      run.summary.interrupted = true;
      run.Stop();
    });
  }
  size_t running = monitors.size();
  for (const SimulatedMonitor& monitor : monitors) {
    asio::co_spawn(
        io,
        [&run, &monitor]() -> asio::awaitable<void> {
          MonitorConnection connection(run, monitor, co_await asio::this_coro::executor);
          co_await connection.Run();
        },
        [&running, &signals](std::exception_ptr error) {
          if (error) std::rethrow_exception(error);  // a bug: out of io.run()
          if (--running == 0) signals.cancel();
        });
  }
  io.run();
  run.summary.elapsed_seconds = std::chrono::duration<double>(SteadyClock::now() - run.real_start).count();
  if (run.failure) return *run.failure;
  return run.summary;
}

}  // namespace ketachart::sim
