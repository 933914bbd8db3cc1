// `ketachart monitor-sim` (see monitor_sim_command.h): options, the device
// list, the run and its one-line summary. Errors are one line
// "ketachart: monitor-sim: <why>" with exit 1; rejected messages also make
// the exit code 1 (the server refused what a monitor sent).
#include "cli/monitor_sim_command.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/cli_support.h"
#include "sim/monitor_sim_runner.h"

namespace ketachart {
namespace {

struct MonitorSimCommandOptions {
  sim::MonitorSimOptions run;
  std::vector<std::string> scenario_names = {"typical"};
  std::optional<double> peak_rise_mmhg;
  std::optional<uint64_t> count;
  std::optional<uint64_t> reconnect_every;
  bool print_devices = false;
};

constexpr const char* kFooter = R"(
Each monitor has a stable EUI-64 device id (from --seed and its position), a
simulated patient and one MLLP connection. Every --interval-seconds of
simulated time it sends an ORU^R01 with SpO2, pulse rate, ECG heart rate,
respiratory rate and body temperature, plus a cuff blood pressure every
--nibp-minutes. Simulated time 0 is the start of a 40-minute infusion; the
blood pressure rises to a peak at 40 minutes and is back to baseline 90
minutes later. --speed 60 runs one simulated minute per real second;
observation times are the start of the run plus simulated time.

Scenarios (one for all monitors, or a comma-separated list, one per monitor,
the last repeating): typical (peak rise +16/+11 mm Hg), hypertensive (high
baseline, peak rise +40/+25 mm Hg), desaturation (one SpO2 dip to about 88 %
at 20-29 minutes). Probe-off periods are sent as OBX-11 X (odd monitors) or
as the IEEE 11073 value 8388607 (even monitors).

Each message waits for its ACK; AE/AR prints a warning; a lost connection is
re-established with backoff and the message resent with the same MSH-10.
The summary counts messages sent, acknowledged, resent and rejected.)";

void PrintDevices(const std::vector<sim::SimulatedMonitor>& monitors) {
  for (const sim::SimulatedMonitor& monitor : monitors) {
    const sim::PatientBaseline& b = monitor.vitals().baseline();
    std::cout << fmt::format(
        "monitor {}  device {}  {}  baseline {:.0f}/{:.0f} mm[Hg], HR {:.0f}/min, SpO2 {:.0f} %, RR {:.0f}/min, "
        "{:.1f} Cel; peak BP rise +{:.0f}/+{:.0f} mm[Hg] at 40 min\n",
        monitor.options().index + 1, monitor.device_eui64(), sim::ScenarioName(monitor.options().scenario),
        b.systolic_mmhg, b.diastolic_mmhg, b.heart_rate_per_min, b.spo2_percent, b.respiratory_rate_per_min,
        b.temperature_cel, monitor.vitals().peak_systolic_rise_mmhg(), monitor.vitals().peak_diastolic_rise_mmhg());
  }
}

int RunMonitorSimCommand(MonitorSimCommandOptions& o, bool port_given) {
  o.run.scenarios.clear();
  for (const std::string& name : o.scenario_names) o.run.scenarios.push_back(*sim::ParseScenario(name));
  o.run.peak_rise_mmhg = o.peak_rise_mmhg;
  o.run.count = o.count;
  o.run.reconnect_every = o.reconnect_every;
  o.run.handle_signals = true;
  if (o.print_devices) {
    if (!port_given) o.run.port = 1;  // listing devices sends nothing
    Status valid = sim::CheckMonitorSimOptions(o.run);
    if (!valid.ok()) return ReportFailure("monitor-sim", valid.error());
    PrintDevices(sim::MakeSimulatedMonitors(o.run));
    return 0;
  }
  if (!port_given) return ReportFailure("monitor-sim", InvalidInput("--port", "required: the server's --mllp-port"));
  Status valid = sim::CheckMonitorSimOptions(o.run);
  if (!valid.ok()) return ReportFailure("monitor-sim", valid.error());

  std::cout << fmt::format("monitor-sim: {} monitor(s) sending to {}:{}, a report every {} s of simulated time at "
                           "{}x, seed {}\n",
                           o.run.monitors, o.run.host, o.run.port, o.run.interval_seconds, o.run.speed, o.run.seed);
  PrintDevices(sim::MakeSimulatedMonitors(o.run));
  std::cout << std::flush;
  auto summary = sim::RunMonitorSim(o.run, std::cerr);
  if (!summary.ok()) return ReportFailure("monitor-sim", summary.error());
  const sim::MonitorSimSummary& s = summary.value();
  std::cout << fmt::format(
      "monitor-sim: messages: {} sent, {} acknowledged, {} resent, {} rejected; {} reconnect(s); {:.1f} simulated "
      "minutes in {:.1f} s{}\n",
      s.sent, s.acknowledged, s.resent, s.rejected, s.reconnects, s.simulated_minutes, s.elapsed_seconds,
      s.interrupted ? " (stopped by a signal)" : "");
  if (s.rejected > 0) {
    std::cerr << "ketachart: monitor-sim: " << s.rejected << " message(s) rejected by the server (AE/AR)\n";
    return 1;
  }
  return 0;
}

}  // namespace

void RegisterMonitorSimCommand(CLI::App& app, CommandTable& table) {
  auto options = std::make_shared<MonitorSimCommandOptions>();
  sim::MonitorSimOptions& run = options->run;
  CLI::App* command = app.add_subcommand(
      "monitor-sim", "Simulated bedside monitors sending vitals (HL7 v2 / PCD-01 over MLLP) to serve --mllp-port");
  command->footer(kFooter);
  CLI::Option* port = command->add_option("--port", run.port, "the server's MLLP port (serve --mllp-port)");
  command->add_option("--host", run.host, "the server's address (default 127.0.0.1; loopback only without --allow-remote)");
  command->add_flag("--allow-remote", run.allow_remote, "allow a --host that is not this machine");
  command->add_option("--monitors", run.monitors, "number of simulated monitors, one connection each (default 4, at most 64)");
  command->add_option("--interval-seconds", run.interval_seconds,
                      "simulated seconds between one monitor's reports (default 5)");
  command->add_option("--speed", run.speed, "simulated seconds per real second (default 60: a minute a second)");
  command->add_option("--duration-minutes", run.duration_minutes, "simulated length of the session (default 120)");
  command->add_option("--seed", run.seed, "seed of the patients and device ids (default 1)");
  command->add_option("--scenario", options->scenario_names,
                      "typical, hypertensive or desaturation; a comma-separated list gives one per monitor")
      ->delimiter(',')
      ->check(CLI::IsMember({"typical", "hypertensive", "desaturation"}));
  command->add_option("--peak-rise-mmhg", options->peak_rise_mmhg,
                      "systolic rise at the 40-minute peak for every monitor (default: the scenario's)");
  command->add_option("--nibp-minutes", run.nibp_interval_minutes, "cuff blood pressure every N simulated minutes (default 5)");
  command->add_option("--probe-offs-per-hour", run.probe_offs_per_hour,
                      "SpO2 probe-off periods per simulated hour (default 2; 0: none)");
  command->add_option("--count", options->count, "send K messages per monitor, then exit");
  command->add_option("--reconnect-every", options->reconnect_every,
                      "drop the connection before every Nth ACK, reconnect and resend (exercises resends)");
  command->add_option("--connect-attempts", run.connect_attempts,
                      "failed attempts to deliver one message before giving up (default 10)");
  command->add_option("--ack-timeout-seconds", run.ack_timeout_seconds, "seconds to wait for a connection or an ACK (default 10)");
  command->add_flag("--print-devices", options->print_devices, "print each monitor's device id and patient, send nothing");
  table.On(command, [options, port] { return RunMonitorSimCommand(*options, port->count() > 0); });
}

}  // namespace ketachart
