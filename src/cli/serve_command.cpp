// `ketachart serve`: settings, database (migrated), optional demo seed, then
// the HTTP server until SIGINT/SIGTERM.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands.h"
#include "http/api_server.h"
#include "http/server.h"
#include "interop/hl7v2/mllp_listener.h"
#include "interop/hl7v2/monitor_inbox.h"
#include "services/alarm_escalator.h"
#include "services/audit_patient_index.h"
#include "services/change_feed.h"
#include "services/clinic_setup.h"
#include "services/monitor_service.h"
#include "services/demo_clinic.h"
#include "services/read_audit_log.h"
#include "services/session_cache.h"

namespace ketachart {

int RunServe(const CommonOptions& common, const ServeOptions& options) {
  auto settings = LoadSettings(common);
  if (!settings.ok()) return ReportFailure("serve", settings.error());
  Settings& s = settings.value();
  if (options.port) {
    if (*options.port < 0 || *options.port > 65535) {
      return ReportFailure("serve", InvalidInput("--port", "must be between 0 and 65535"));
    }
    s.http.port = static_cast<unsigned short>(*options.port);
  }
  if (options.bind) s.http.bind_address = *options.bind;
  if (options.threads) s.http.threads = std::max(1, *options.threads);
  if (options.insecure_http) s.insecure_http = true;
  Status safe = CheckListenSafety(s);
  if (!safe.ok()) return ReportFailure("serve", safe.error());
  spdlog::set_level(spdlog::level::from_str(s.log_level));

  auto database = OpenDatabase(s, /*migrate=*/true, /*create_data_dir=*/true);
  if (!database.ok()) return ReportFailure("serve", database.error());
  SystemClock clock;
  ReadAuditLog read_audit(*database.value());
  SessionCache session_cache(s.security.session_cache_ttl);
  ChangeFeed changes;  // live pages learn of committed changes through it (GET /api/v1/events)
  ServiceContext context{*database.value(), clock, s.security, &read_audit, &session_cache, &changes};

  if (options.demo) {
    auto seeded = SeedDemoClinic(context);
    if (!seeded.ok()) return ReportFailure("serve --demo", seeded.error());
    if (seeded.value()) spdlog::info("seeded the demo clinic");
  } else {
    auto has_users = DatabaseHasUsers(context.database);
    if (has_users.ok() && !has_users.value()) {
      std::cerr << "ketachart: the database has no accounts yet; create the first administrator with\n"
                   "  ketachart init --data-dir "
                << s.data_dir << " --admin-user NAME\n";
    }
  }

  ApiServer api(context);
  HttpServer server(
      s.http, [&api](const HttpRequest& request) { return api.Handle(request); },
      [&api](const HttpRequest& request, const Respond& respond) { return api.HandleWithoutWaiting(request, respond); });
  Status started = server.Start();
  if (!started.ok()) return ReportFailure("serve", started.error());
  std::cout << "KetaChart " << KETACHART_VERSION << " listening on " << (server.tls() ? "https" : "http") << "://"
            << s.http.bind_address << ":" << server.port() << "  (database: " << context.database.Describe() << ")\n";
  if (options.demo) {
    std::cout << "Demo log-ins (password \"" << kDemoPassword << "\"):\n";
    for (const auto& login : DemoLogins()) std::cout << "  " << login.username << "  " << login.roles << "\n";
  }
  // Bedside monitors: ACKs leave only after the observations are committed.
  std::unique_ptr<hl7v2::MonitorInbox> inbox;
  std::unique_ptr<hl7v2::MllpListener> mllp;
  if (options.mllp_port) {
    if (*options.mllp_port < 0 || *options.mllp_port > 65535) {
      return ReportFailure("serve", InvalidInput("--mllp-port", "must be between 0 and 65535"));
    }
    const bool mllp_tls = !options.mllp_tls_certificate.empty() || !options.mllp_tls_key.empty();
    if (options.mllp_bind != "127.0.0.1" && options.mllp_bind != "::1" && !mllp_tls && !s.insecure_http) {
      return ReportFailure("serve", InvalidInput("--mllp-bind", "a non-loopback MLLP port needs TLS (--mllp-tls-cert "
                                                                "and --mllp-tls-key) or --insecure-http"));
    }
    auto clinic = ResolveMonitorClinic(context.database, options.mllp_clinic);
    if (!clinic.ok()) return ReportFailure("serve", clinic.error());
    inbox = std::make_unique<hl7v2::MonitorInbox>(context, clinic.value(), hl7v2::Pcd01Options{});
    hl7v2::MllpListenerOptions mllp_options;
    mllp_options.bind_address = options.mllp_bind;
    mllp_options.port = static_cast<unsigned short>(*options.mllp_port);
    mllp_options.tls_certificate_file = options.mllp_tls_certificate;
    mllp_options.tls_private_key_file = options.mllp_tls_key;
    mllp = std::make_unique<hl7v2::MllpListener>(mllp_options, inbox->Handlers());
    Status listening = mllp->Start();
    if (!listening.ok()) return ReportFailure("serve", listening.error());
    std::cout << "MLLP (bedside monitors) listening on " << mllp_options.bind_address << ":" << mllp->port()
              << (mllp->tls() ? " over TLS" : "") << "\n";
  }
  // New audit events join the by-patient lookup in batches, off the request path.
  AuditPatientIndexer audit_indexer(*database.value(), s.audit_patient_index_interval);
  // Unacknowledged monitor alarms escalate on the clinic's policy's clock.
  AlarmEscalator escalator(context, std::chrono::seconds(5));
  std::cout << std::flush;
  server.Run(/*stop_on_signals=*/true);
  read_audit.WaitUntilIdle();  // reads in flight are audited before the server goes
  changes.Close();
  escalator.Stop();
  audit_indexer.Stop();
  if (mllp) mllp->Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace ketachart
