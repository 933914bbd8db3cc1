// The application behind the HTTP listener: route tables for every API
// module, session authentication and CSRF checks for protected routes
// (401/403 answered here are audited), the generated OpenAPI document, and
// the embedded web UI for everything outside /api. Handle() is thread-safe.
#pragma once

#include <memory>

#include "http/http_types.h"
#include "http/router.h"
#include "services/auth_service.h"
#include "services/consent_service.h"
#include "services/course_service.h"
#include "services/dosing_plan_service.h"
#include "services/eligibility_service.h"
#include "services/intake_service.h"
#include "services/integration_service.h"
#include "services/live_view_service.h"
#include "services/monitor_alarm_service.h"
#include "services/monitor_chair_service.h"
#include "services/ledger_service.h"
#include "services/measure_schedule_service.h"
#include "services/measure_service.h"
#include "services/clinic_alert_rule_service.h"
#include "services/instrument_settings_service.h"
#include "services/patient_service.h"
#include "services/protocol_service.h"
#include "services/responsible_clinician_service.h"
#include "services/scheduling_service.h"
#include "services/rems_service.h"
#include "services/self_report_service.h"
#include "services/session_note_service.h"
#include "services/session_service.h"
#include "services/service_context.h"
#include "services/user_service.h"

namespace ketachart {

struct ApiServices {
  ServiceContext& context;
  AuthService auth;
  PatientService patients;
  UserService users;
  DosingPlanService dosing;
  LedgerService ledger;
  MeasureService measures;
  ClinicAlertRuleService alert_rules;
  InstrumentSettingsService instrument_settings;
  SelfReportService self_reports;
  MeasureScheduleService measure_schedules;
  ResponsibleClinicianService responsible_clinicians;
  SchedulingService schedule;
  ProtocolService protocols;
  IntakeService intakes;
  EligibilityService eligibility;
  ConsentService consents;
  CourseService courses;
  SessionService sessions;
  SessionNoteService notes;
  RemsService rems;
  IntegrationService integration;
  MonitorChairService monitor_chairs;
  MonitorAlarmService monitor_alarms;
  LiveViewService live_views;

  explicit ApiServices(ServiceContext& ctx)
      : context(ctx),
        auth(ctx),
        patients(ctx),
        users(ctx),
        dosing(ctx, patients),
        ledger(ctx),
        measures(ctx),
        alert_rules(ctx),
        instrument_settings(ctx),
        self_reports(ctx),
        measure_schedules(ctx),
        responsible_clinicians(ctx),
        schedule(ctx),
        protocols(ctx),
        intakes(ctx),
        eligibility(ctx),
        consents(ctx),
        courses(ctx),
        sessions(ctx),
        notes(ctx),
        rems(ctx),
        integration(ctx),
        monitor_chairs(ctx),
        monitor_alarms(ctx),
        live_views(ctx, auth) {}
};

class ApiServer {
 public:
  explicit ApiServer(ServiceContext& context);

  HttpResponse Handle(const HttpRequest& request);
  // For the server's event loop: when the request's route has an event-loop
  // handler (a chart read) and its session is plainly valid, starts it and
  // returns true (the response goes to `respond`, once, from any thread).
  // Otherwise returns false having written nothing: call Handle() on a
  // worker thread, which also answers and audits every refusal.
  bool HandleWithoutWaiting(const HttpRequest& request, const Respond& respond);
  const Router& router() const { return router_; }

 private:
  HttpResponse HandleApi(const HttpRequest& request);

  ApiServices services_;
  Router router_;
  std::string openapi_document_;
};

// Route modules (one file each).
void AddSessionRoutes(Router& router, ApiServices& services);
void AddPatientRoutes(Router& router, ApiServices& services);
void AddUserRoutes(Router& router, ApiServices& services);
void AddAuditRoutes(Router& router, ApiServices& services);
void AddPkRoutes(Router& router, ApiServices& services);
void AddMonitorRoutes(Router& router, ApiServices& services);
void AddEventRoutes(Router& router, ApiServices& services);
void AddLedgerRoutes(Router& router, ApiServices& services);
void AddMeasureRoutes(Router& router, ApiServices& services);
void AddMeasureScheduleRoutes(Router& router, ApiServices& services);
void AddAlertRuleRoutes(Router& router, ApiServices& services);
void AddInstrumentSettingsRoutes(Router& router, ApiServices& services);
void AddScheduleRoutes(Router& router, ApiServices& services);
void AddCourseRoutes(Router& router, ApiServices& services);
void AddSessionTimelineRoutes(Router& router, ApiServices& services);
void AddRemsRoutes(Router& router, ApiServices& services);
void AddSystemRoutes(Router& router, ApiServices& services, const std::string* openapi_document);

// OpenAPI 3.0 document built from the route table.
std::string BuildOpenApiDocument(const Router& router);
// The embedded UI file for a path (index.html for unknown client-side routes).
HttpResponse ServeWebAsset(const HttpRequest& request);

// The cookie that carries the session token.
inline constexpr const char* kSessionCookie = "ketachart_session";

}  // namespace ketachart
