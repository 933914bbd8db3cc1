// Roles, permissions and the one permission matrix of KetaChart. Services
// call Require() before any work; anything not granted here is denied
// (deny by default). Pure data; thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ketachart {

enum class Role { kAdmin, kPrescriber, kNurse, kTherapist, kFrontDesk, kAuditor };

enum class Permission {
  kPatientRead,   // open a chart, search patients
  kPatientWrite,  // register a patient, edit demographics, record weight/height
  kUserRead,      // list staff accounts
  kUserAdmin,     // create accounts, grant roles, disable, reset passwords
  kAuditRead,     // read the audit trail
  kMonitorRead,   // read vitals received from bedside monitors (the unassigned queue)
  kLedgerRead,    // controlled-substance ledger: inventory, entries, balances, reports
  kLedgerRecord,  // record ledger events (receive, administer, waste, counts, ...) and witness them
  kLedgerSetup,   // define controlled-substance products and storage locations
  kMeasureRead,   // read rating-scale measures and safety alerts
  kMeasureWrite,  // enter a rating-scale measure in the chart
  kMeasureAlertAcknowledge,  // acknowledge a safety alert with an action note
  kCourseRead,           // read intakes, eligibility decisions, consents and treatment courses
  kIntakeWrite,          // record an intake version and evaluate eligibility against a protocol
  kEligibilityOverride,  // override an eligibility warning with a documented reason (prescribers only)
  kConsentRecord,        // record a patient's signed consent, revoke a consent
  kCoursePlan,           // open a treatment course and move it between states
  kProtocolAdmin,        // publish protocol and consent-document versions; clinic alert rules, instrument settings
  kScheduleRead,         // read the calendar, chairs and reminders
  kScheduleWrite,        // book, reschedule and cancel appointments; mark reminders sent
  kScheduleSetup,        // define chairs and rooms, staff working hours
  kSessionRead,          // read dosing sessions: timeline, day list, notes
  kSessionRecord,        // check in, readiness, administration, vitals, scores, discharge; note addenda
  kSessionOrder,         // order the dose (prescribers only)
  kNoteSign,             // complete and sign a session's note (prescribers only)
  kIntegrationWrite,     // write integration notes (SOAP/DAP) on a dosing session
  kMonitorSetup,         // bind bedside monitors to chairs
};

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
std::vector<Role> AllRoles();
std::vector<std::string> AllRoleNames();

std::string_view PermissionName(Permission permission);
std::vector<Permission> AllPermissions();

// True when any of `roles` grants `permission` (the matrix in permissions.cpp).
bool RolesGrant(const std::set<Role>& roles, Permission permission);

}  // namespace ketachart
