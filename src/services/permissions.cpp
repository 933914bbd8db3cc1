// The permission matrix: which role may do what. docs/security.md reproduces
// this table; change both together.
#include "services/permissions.h"

#include <array>
#include <utility>

namespace ketachart {
namespace {

struct Grant {
  Role role;
  std::vector<Permission> permissions;
};

// Clinical staff read charts; registration (front desk) and clinicians write
// demographics; only admins manage accounts; auditors and admins read the
// audit trail. Auditors cannot read charts: the trail names patients by id only.
// Clinicians who watch the chairs (admin, prescriber, nurse) read monitor vitals;
// admins and nurses bind monitors to chairs; alarms are acknowledged, and
// queued vitals assigned or discarded, with session.record.
// Controlled substances: only prescribers and nurses record (administer,
// waste, count...) or witness ledger events; auditors and admins read the
// ledger; admins define products and storage locations (issue 8).
// Rating-scale measures are clinical: clinicians (and admins) read and enter
// them, front desk does not; only clinicians acknowledge a safety alert.
// The course (issue 6): clinicians read intakes, decisions, consents and
// courses (admins too, as for measures); prescribers, nurses and therapists
// record intakes and run eligibility; only prescribers override a warning and
// plan or move a course; prescribers and nurses record consents; admins
// publish protocol and consent-document versions. Everyone but auditors
// reads the calendar; front desk and clinicians who dose book appointments;
// admins set up chairs and working hours.
// Dosing sessions (issue 7): clinicians and admins read them; prescribers and
// nurses record what happens at the chair (and add signed addenda); only
// prescribers order the dose and sign the note. Therapists and prescribers
// write integration notes.
const std::vector<Grant>& Matrix() {
  static const std::vector<Grant> matrix = {
      {Role::kAdmin,
       {Permission::kPatientRead, Permission::kPatientWrite, Permission::kUserRead, Permission::kUserAdmin,
        Permission::kAuditRead, Permission::kMonitorRead, Permission::kLedgerRead, Permission::kLedgerSetup,
        Permission::kMeasureRead, Permission::kMeasureWrite, Permission::kCourseRead, Permission::kProtocolAdmin,
        Permission::kScheduleRead, Permission::kScheduleWrite, Permission::kScheduleSetup, Permission::kSessionRead,
        Permission::kMonitorSetup}},
      {Role::kPrescriber,
       {Permission::kPatientRead, Permission::kPatientWrite, Permission::kUserRead, Permission::kMonitorRead,
        Permission::kLedgerRead, Permission::kLedgerRecord, Permission::kMeasureRead, Permission::kMeasureWrite,
        Permission::kMeasureAlertAcknowledge, Permission::kCourseRead, Permission::kIntakeWrite,
        Permission::kEligibilityOverride, Permission::kConsentRecord, Permission::kCoursePlan,
        Permission::kScheduleRead, Permission::kScheduleWrite, Permission::kSessionRead, Permission::kSessionRecord,
        Permission::kSessionOrder, Permission::kNoteSign, Permission::kIntegrationWrite}},
      {Role::kNurse,
       {Permission::kPatientRead, Permission::kPatientWrite, Permission::kUserRead, Permission::kMonitorRead,
        Permission::kLedgerRead, Permission::kLedgerRecord, Permission::kMeasureRead, Permission::kMeasureWrite,
        Permission::kMeasureAlertAcknowledge, Permission::kCourseRead, Permission::kIntakeWrite,
        Permission::kConsentRecord, Permission::kScheduleRead, Permission::kScheduleWrite, Permission::kSessionRead,
        Permission::kSessionRecord, Permission::kMonitorSetup}},
      {Role::kTherapist,
       {Permission::kPatientRead, Permission::kUserRead, Permission::kMeasureRead, Permission::kMeasureWrite,
        Permission::kMeasureAlertAcknowledge, Permission::kCourseRead, Permission::kIntakeWrite,
        Permission::kScheduleRead, Permission::kSessionRead, Permission::kIntegrationWrite}},
      {Role::kFrontDesk,
       {Permission::kPatientRead, Permission::kPatientWrite, Permission::kScheduleRead, Permission::kScheduleWrite}},
      {Role::kAuditor, {Permission::kAuditRead, Permission::kUserRead, Permission::kLedgerRead}},
  };
  return matrix;
}

constexpr std::array<std::pair<Role, std::string_view>, 6> kRoleNames = {{
    {Role::kAdmin, "admin"},
    {Role::kPrescriber, "prescriber"},
    {Role::kNurse, "nurse"},
    {Role::kTherapist, "therapist"},
    {Role::kFrontDesk, "front_desk"},
    {Role::kAuditor, "auditor"},
}};

constexpr std::array<std::pair<Permission, std::string_view>, 27> kPermissionNames = {{
    {Permission::kPatientRead, "patient.read"},
    {Permission::kPatientWrite, "patient.write"},
    {Permission::kUserRead, "user.read"},
    {Permission::kUserAdmin, "user.admin"},
    {Permission::kAuditRead, "audit.read"},
    {Permission::kMonitorRead, "monitor.read"},
    {Permission::kLedgerRead, "ledger.read"},
    {Permission::kLedgerRecord, "ledger.record"},
    {Permission::kLedgerSetup, "ledger.setup"},
    {Permission::kMeasureRead, "measure.read"},
    {Permission::kMeasureWrite, "measure.write"},
    {Permission::kMeasureAlertAcknowledge, "measure.alert.acknowledge"},
    {Permission::kCourseRead, "course.read"},
    {Permission::kIntakeWrite, "intake.write"},
    {Permission::kEligibilityOverride, "eligibility.override"},
    {Permission::kConsentRecord, "consent.record"},
    {Permission::kCoursePlan, "course.plan"},
    {Permission::kProtocolAdmin, "protocol.admin"},
    {Permission::kScheduleRead, "schedule.read"},
    {Permission::kScheduleWrite, "schedule.write"},
    {Permission::kScheduleSetup, "schedule.setup"},
    {Permission::kSessionRead, "session.read"},
    {Permission::kSessionRecord, "session.record"},
    {Permission::kSessionOrder, "session.order"},
    {Permission::kNoteSign, "note.sign"},
    {Permission::kIntegrationWrite, "integration.write"},
    {Permission::kMonitorSetup, "monitor.setup"},
}};

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [role, role_name] : kRoleNames) {
    if (role_name == name) return role;
  }
  return std::nullopt;
}

std::vector<Role> AllRoles() {
  std::vector<Role> out;
  for (const auto& [role, name] : kRoleNames) out.push_back(role);
  return out;
}

std::vector<std::string> AllRoleNames() {
  std::vector<std::string> out;
  for (const auto& [role, name] : kRoleNames) out.emplace_back(name);
  return out;
}

std::string_view PermissionName(Permission permission) {
  for (const auto& [p, name] : kPermissionNames) {
    if (p == permission) return name;
  }
  return "unknown";
}

std::vector<Permission> AllPermissions() {
  std::vector<Permission> out;
  for (const auto& [permission, name] : kPermissionNames) out.push_back(permission);
  return out;
}

bool RolesGrant(const std::set<Role>& roles, Permission permission) {
  for (const Grant& grant : Matrix()) {
    if (!roles.count(grant.role)) continue;
    for (Permission granted : grant.permissions) {
      if (granted == permission) return true;
    }
  }
  return false;
}

}  // namespace ketachart
