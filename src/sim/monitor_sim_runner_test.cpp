// Tests of the simulator on the network, against KetaChart's own MLLP
// listener on loopback with a handler that acknowledges as the server does:
// every message acknowledged once and in order per monitor, --reconnect-every
// resends the same MSH-10, a connection the server drops before its ACK is
// resent, AE replies are counted as rejected with a warning, a port nobody
// listens on fails after the configured attempts, non-loopback hosts and bad
// options are refused, and pacing follows --speed.
#include "sim/monitor_sim_runner.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "interop/hl7v2/acknowledgement.h"
#include "interop/hl7v2/hl7_message.h"
#include "interop/hl7v2/mllp_listener.h"
#include "interop/hl7v2/pcd01_report.h"

namespace ketachart::sim {
namespace {

// A stand-in for `ketachart serve --mllp-port`: reads each message, records
// its MSH-10 and device, and answers AA (or what `reply` decides).
class FakeServer {
 public:
  // Returns the ACK's error, or nullopt for AA; may throw to drop the connection.
  using Decide = std::function<std::optional<Error>(const std::string& control_id, int copies)>;

  explicit FakeServer(Decide decide = nullptr) : decide_(std::move(decide)) {
    hl7v2::MllpHandlers handlers;
    handlers.on_message = [this](std::string text, const std::string&) { return Receive(std::move(text)); };
    handlers.on_oversized = [](size_t, const std::string&) { return std::string(); };
    hl7v2::MllpListenerOptions options;
    options.port = 0;
    options.threads = 4;
    listener_ = std::make_unique<hl7v2::MllpListener>(options, handlers);
    EXPECT_TRUE(listener_->Start().ok());
  }

  int port() const { return listener_->port(); }
  std::map<std::string, int> copies() {
    std::lock_guard lock(mutex_);
    return copies_;
  }
  std::set<std::string> devices() {
    std::lock_guard lock(mutex_);
    return devices_;
  }

 private:
  std::string Receive(std::string text) {
    auto message = hl7v2::Message::Parse(std::move(text));
    EXPECT_TRUE(message.ok());
    auto report = hl7v2::ReadPcd01Report(*message, hl7v2::Pcd01Options{});
    EXPECT_TRUE(report.ok()) << report.error().message;
    int copies = 0;
    {
      std::lock_guard lock(mutex_);
      copies = ++copies_[report->header.control_id];
      for (const auto& o : report->observations) devices_.insert(o.device_id);
    }
    std::optional<Error> error = decide_ ? decide_(report->header.control_id, copies) : std::nullopt;
    hl7v2::AckContext context;
    context.now = *ParseTimestamp("2026-11-22T09:00:00Z");
    context.ack_control_id = "ACK-" + report->header.control_id;
    return hl7v2::BuildAcknowledgement(report->header, context, error ? &*error : nullptr);
  }

  Decide decide_;
  std::mutex mutex_;
  std::map<std::string, int> copies_;
  std::set<std::string> devices_;
  std::unique_ptr<hl7v2::MllpListener> listener_;
};

MonitorSimOptions Fast(int port, uint32_t monitors, uint64_t count) {
  MonitorSimOptions o;
  o.port = port;
  o.monitors = monitors;
  o.count = count;
  o.speed = 1e6;
  o.connect_attempts = 5;
  o.ack_timeout_seconds = 5;
  return o;
}

TEST(SimRunner, EveryMessageIsAcknowledgedOnce) {
  FakeServer server;
  std::ostringstream warnings;
  auto summary = RunMonitorSim(Fast(server.port(), 3, 10), warnings);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->sent, 30u);
  EXPECT_EQ(summary->acknowledged, 30u);
  EXPECT_EQ(summary->resent, 0u);
  EXPECT_EQ(summary->rejected, 0u);
  EXPECT_EQ(summary->reconnects, 0u);
  EXPECT_NEAR(summary->simulated_minutes, 45.0 / 60, 1e-9);  // the 10th report is at 45 s
  EXPECT_EQ(warnings.str(), "");
  const auto copies = server.copies();
  EXPECT_EQ(copies.size(), 30u);
  for (const auto& [id, n] : copies) EXPECT_EQ(n, 1) << id;
  const auto monitors = MakeSimulatedMonitors(Fast(server.port(), 3, 10));
  EXPECT_EQ(server.devices(), (std::set<std::string>{monitors[0].device_eui64(), monitors[1].device_eui64(),
                                                      monitors[2].device_eui64()}));
}

TEST(SimRunner, ReconnectEveryResendsTheSameControlId) {
  FakeServer server;
  MonitorSimOptions options = Fast(server.port(), 2, 12);
  options.reconnect_every = 4;
  std::ostringstream warnings;
  auto summary = RunMonitorSim(options, warnings);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->sent, 24u);
  EXPECT_EQ(summary->acknowledged, 24u);
  EXPECT_EQ(summary->resent, 6u);  // messages 4, 8 and 12 of each monitor
  EXPECT_EQ(summary->reconnects, 6u);
  EXPECT_EQ(warnings.str(), "");  // asked for: not a problem
  const auto copies = server.copies();
  EXPECT_EQ(copies.size(), 24u);
  int twice = 0;
  for (const auto& [id, n] : copies) {
    EXPECT_LE(n, 2) << id;
    if (n == 2) ++twice;
  }
  EXPECT_LE(twice, 6);
}

TEST(SimRunner, AConnectionDroppedBeforeTheAckIsResent) {
  FakeServer server([](const std::string& control_id, int copies) -> std::optional<Error> {
    // The listener closes the connection when its handler throws.
    if (control_id.ends_with("-3") && copies == 1) throw std::runtime_error("dropped");
    return std::nullopt;
  });
  std::ostringstream warnings;
  auto summary = RunMonitorSim(Fast(server.port(), 1, 5), warnings);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->sent, 5u);
  EXPECT_EQ(summary->acknowledged, 5u);
  EXPECT_EQ(summary->resent, 1u);
  EXPECT_EQ(summary->reconnects, 1u);
  EXPECT_NE(warnings.str().find("no ACK for SIM1-"), std::string::npos) << warnings.str();
  EXPECT_NE(warnings.str().find("retrying in 0.2 s"), std::string::npos) << warnings.str();
  int resent = 0;
  for (const auto& [id, n] : server.copies()) resent += n - 1;
  EXPECT_EQ(resent, 1);
}

TEST(SimRunner, RejectionsAreCountedWithAWarningLine) {
  FakeServer server([](const std::string& control_id, int) -> std::optional<Error> {
    if (control_id.ends_with("-2")) return InvalidInput("OBX-5", "segment 7 (OBX): not a number");
    return std::nullopt;
  });
  std::ostringstream warnings;
  auto summary = RunMonitorSim(Fast(server.port(), 2, 4), warnings);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->acknowledged, 6u);
  EXPECT_EQ(summary->rejected, 2u);
  EXPECT_EQ(summary->resent, 0u);
  const std::string text = warnings.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
  EXPECT_NE(text.find("rejected with AE: OBX-5: segment 7 (OBX): not a number"), std::string::npos) << text;
}

TEST(SimRunner, NobodyListeningFailsAfterTheConfiguredAttempts) {
  int port = 0;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::address_v4::loopback(), 0});
    port = probe.local_endpoint().port();
  }
  MonitorSimOptions options = Fast(port, 2, 3);
  options.connect_attempts = 2;
  std::ostringstream warnings;
  auto summary = RunMonitorSim(options, warnings);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(summary.error().field, "--port");
  EXPECT_NE(summary.error().message.find("cannot connect to 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << summary.error().message;
  EXPECT_NE(summary.error().message.find("gave up after 2 attempts"), std::string::npos);
}

TEST(SimRunner, OnlyLoopbackUnlessAllowed) {
  std::ostringstream warnings;
  for (const char* host : {"192.0.2.1", "example.org", "10.0.0.1"}) {
    MonitorSimOptions options = Fast(2575, 1, 1);
    options.host = host;
    auto summary = RunMonitorSim(options, warnings);
    ASSERT_FALSE(summary.ok()) << host;
    EXPECT_EQ(summary.error().field, "--host") << host;
    EXPECT_NE(summary.error().message.find("--allow-remote"), std::string::npos);
  }
  FakeServer server;
  for (const char* host : {"localhost", "127.0.0.1"}) {
    MonitorSimOptions options = Fast(server.port(), 1, 1);
    options.host = host;
    auto summary = RunMonitorSim(options, warnings);
    ASSERT_TRUE(summary.ok()) << host << ": " << summary.error().message;
  }
}

TEST(SimRunner, BadOptionsNameTheFlag) {
  const auto field_of = [](auto change) {
    MonitorSimOptions options = Fast(2575, 1, 1);
    change(options);
    Status status = CheckMonitorSimOptions(options);
    return status.ok() ? std::string("ok") : status.error().field;
  };
  EXPECT_EQ(field_of([](MonitorSimOptions&) {}), "ok");
  EXPECT_EQ(field_of([](MonitorSimOptions& o) { o.port = 0; }), "--port");
  EXPECT_EQ(field_of([](MonitorSimOptions& o) { o.speed = 0; }), "--speed");
  EXPECT_EQ(field_of([](MonitorSimOptions& o) { o.monitors = 65; }), "--monitors");
  EXPECT_EQ(field_of([](MonitorSimOptions& o) { o.interval_seconds = 0; }), "--interval-seconds");
  EXPECT_EQ(field_of([](MonitorSimOptions& o) { o.duration_minutes = -1; }), "--duration-minutes");
  EXPECT_EQ(field_of([](MonitorSimOptions& o) { o.peak_rise_mmhg = 150; }), "--peak-rise-mmhg");
  EXPECT_EQ(field_of([](MonitorSimOptions& o) { o.probe_offs_per_hour = 31; }), "--probe-offs-per-hour");
  EXPECT_EQ(field_of([](MonitorSimOptions& o) { o.count = 0; }), "--count");
  EXPECT_EQ(field_of([](MonitorSimOptions& o) { o.reconnect_every = 0; }), "--reconnect-every");
  EXPECT_EQ(field_of([](MonitorSimOptions& o) { o.nibp_interval_minutes = 0.5; }), "--nibp-minutes");
}

TEST(SimRunner, ScenariosAreAssignedInOrderTheLastRepeating) {
  MonitorSimOptions options = Fast(2575, 4, 1);
  options.scenarios = {Scenario::kHypertensive, Scenario::kDesaturation};
  const auto monitors = MakeSimulatedMonitors(options);
  ASSERT_EQ(monitors.size(), 4u);
  EXPECT_EQ(monitors[0].options().scenario, Scenario::kHypertensive);
  EXPECT_EQ(monitors[1].options().scenario, Scenario::kDesaturation);
  EXPECT_EQ(monitors[3].options().scenario, Scenario::kDesaturation);
}

TEST(SimRunner, PacingFollowsSpeed) {
  FakeServer server;
  MonitorSimOptions options = Fast(server.port(), 1, 4);
  options.interval_seconds = 1;
  options.speed = 10;  // reports at 0, 0.1, 0.2, 0.3 s of real time
  std::ostringstream warnings;
  auto summary = RunMonitorSim(options, warnings);
  ASSERT_TRUE(summary.ok());
  EXPECT_GE(summary->elapsed_seconds, 0.3);
  EXPECT_LT(summary->elapsed_seconds, 3.0);
}

}  // namespace
}  // namespace ketachart::sim
