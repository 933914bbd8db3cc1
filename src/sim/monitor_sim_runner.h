// The network side of `ketachart monitor-sim`: several simulated monitors
// (simulated_monitor.h), one MLLP/TCP connection each, sending PCD-01 reports
// to a KetaChart server (`ketachart serve --mllp-port`) the way real monitors
// do. Each monitor waits for the ACK of a message before sending the next;
// an AE/AR is counted as rejected with one warning line; when the connection
// is lost it reconnects with backoff and resends the unacknowledged message
// with the same MSH-10 (KetaChart stores an MSH-10 once and acknowledges the
// resend again). Reports are paced by simulated time: simulated time runs
// `speed` times faster than the wall clock, and OBX-14 times are the run's
// start plus simulated time. Only loopback targets unless `allow_remote`.
//
// Thread-safety: RunMonitorSim runs its own Asio io_context on the calling
// thread and returns when every monitor is done; the options are read only.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/result.h"
#include "sim/simulated_monitor.h"

namespace ketachart::sim {

struct MonitorSimOptions {
  std::string host = "127.0.0.1";
  int port = 0;                    // required (1-65535)
  bool allow_remote = false;       // permit a non-loopback host
  uint32_t monitors = 4;           // 1-64
  double interval_seconds = 5;     // simulated time between reports of one monitor
  double speed = 60;               // simulated seconds per real second
  double duration_minutes = 120;   // simulated length of the session
  uint64_t seed = 1;
  std::vector<Scenario> scenarios = {Scenario::kTypical};  // per monitor, the last one repeating
  std::optional<double> peak_rise_mmhg;  // systolic; nullopt: each scenario's default
  double nibp_interval_minutes = 5;      // cuff cycle
  double probe_offs_per_hour = 2;
  std::optional<uint64_t> count;            // messages per monitor, then stop
  std::optional<uint64_t> reconnect_every;  // drop the connection before every Nth ACK
  int connect_attempts = 10;       // consecutive failures of one message before giving up
  double ack_timeout_seconds = 10;
  bool handle_signals = false;     // SIGINT/SIGTERM stop the run after in-flight ACKs
};

struct MonitorSimSummary {
  uint64_t sent = 0;          // distinct messages (MSH-10s)
  uint64_t acknowledged = 0;  // AA
  uint64_t resent = 0;        // extra transmissions after a lost connection
  uint64_t rejected = 0;      // AE or AR
  uint64_t reconnects = 0;
  double simulated_minutes = 0;  // of the last report sent
  double elapsed_seconds = 0;    // real time
  bool interrupted = false;      // stopped by a signal
};

// Checks every option; kInvalidInput naming the flag ("--speed").
Status CheckMonitorSimOptions(const MonitorSimOptions& options);

// The monitors a run would simulate, in order (for --print-devices too).
std::vector<SimulatedMonitor> MakeSimulatedMonitors(const MonitorSimOptions& options);

// Runs the simulation until each monitor sent `count` messages or reached
// `duration_minutes` (or a signal). Warnings go to `warnings`, one line each.
// kUnavailable naming "--port" when a monitor cannot deliver a message after
// `connect_attempts` attempts; kInvalidInput for bad options.
Result<MonitorSimSummary> RunMonitorSim(const MonitorSimOptions& options, std::ostream& warnings);

}  // namespace ketachart::sim
