// Demo clinic seeding (see demo_clinic.h). Deterministic: the same seed gives
// the same clinic, so screenshots and browser tests are stable.
#include "services/demo_clinic.h"

#include <fmt/format.h>

#include <random>

#include "base/crypto.h"
#include "services/clinic_setup.h"
#include "services/demo_course.h"
#include "services/demo_ledger.h"
#include "services/demo_schedule.h"
#include "services/patient_service.h"
#include "services/user_service.h"

namespace ketachart {
namespace {

struct DemoStaff {
  const char* username;
  const char* display_name;
  std::vector<Role> first_clinic_roles;
  std::vector<Role> second_clinic_roles;
};

const std::vector<DemoStaff>& Staff() {
  static const std::vector<DemoStaff> staff = {
      {"demo.admin", "Dana Whitfield (admin)", {Role::kAdmin}, {Role::kAdmin}},
      {"demo.prescriber", "Dr. Samuel Osei", {Role::kPrescriber}, {Role::kPrescriber}},
      {"demo.nurse", "Maria Lindqvist, RN", {Role::kNurse}, {}},
      {"demo.therapist", "Jordan Reyes, LCSW", {Role::kTherapist}, {}},
      {"demo.frontdesk", "Priya Natarajan", {Role::kFrontDesk}, {}},
      {"demo.auditor", "Helen Park (compliance)", {Role::kAuditor}, {Role::kAuditor}},
      {"demo.nurse2", "Tomasz Nowak, RN", {}, {Role::kNurse}},
  };
  return staff;
}

const char* kFamilyNames[] = {"Okafor", "Lindgren", "Alvarez", "Nakamura", "O'Brien", "Haddad", "Kowalski",
                              "Mensah", "Fischer", "Dubois", "Castillo", "Novak", "Ibrahim", "Sato", "Murphy",
                              "Rossi", "Andersen", "Chen", "Patel", "Johansson", "Moreau", "Adeyemi", "Walsh",
                              "Kim", "Silva", "Bauer", "Nguyen", "Hughes", "Costa", "Schmidt"};
const char* kGivenNames[] = {"Adaeze", "Erik", "Lucia", "Hiro", "Siobhan", "Karim", "Agnieszka", "Kwame", "Lena",
                             "Camille", "Mateo", "Petra", "Amina", "Yuki", "Declan", "Giulia", "Freya", "Wei",
                             "Anjali", "Nils", "Elodie", "Tunde", "Ciara", "Min-jun", "Rafael", "Greta", "Linh",
                             "Owen", "Beatriz", "Jonas"};
// Diagnoses from ../shared/clinical-reference.md section E (ICD-10-CM).
const std::pair<const char*, const char*> kDiagnoses[] = {
    {"F43.10", "Post-traumatic stress disorder, unspecified"},
    {"F43.12", "Post-traumatic stress disorder, chronic"},
    {"F33.1", "Major depressive disorder, recurrent, moderate"},
    {"F33.2", "Major depressive disorder, recurrent, severe without psychotic features"},
    {"F32.1", "Major depressive disorder, single episode, moderate"},
    {"F33.9", "Major depressive disorder, recurrent, unspecified"},
};
const char* kMedications[] = {"sertraline 100 mg by mouth daily", "escitalopram 10 mg by mouth daily",
                              "bupropion XL 300 mg by mouth daily", "venlafaxine XR 150 mg by mouth daily",
                              "prazosin 2 mg by mouth at bedtime", "trazodone 50 mg by mouth at bedtime",
                              "lamotrigine 100 mg by mouth daily", "lisinopril 10 mg by mouth daily"};
const std::pair<const char*, const char*> kAllergies[] = {
    {"penicillin", "rash"}, {"sulfonamides", "hives"}, {"latex", "contact dermatitis"}, {"codeine", "nausea"}};
const char* kReferrers[] = {"Dr. Ruth Abernathy", "Dr. Felix Moran", "Dr. Imani Cole", "Dr. Oskar Berg"};

}  // namespace

std::vector<DemoLogin> DemoLogins() {
  std::vector<DemoLogin> out;
  for (const auto& staff : Staff()) {
    std::vector<std::string> roles;
    for (Role r : staff.first_clinic_roles) roles.push_back(std::string(RoleName(r)) + " (NRK)");
    for (Role r : staff.second_clinic_roles) roles.push_back(std::string(RoleName(r)) + " (HMC)");
    out.push_back({staff.username, fmt::format("{}", fmt::join(roles, ", "))});
  }
  return out;
}

Result<bool> SeedDemoClinic(ServiceContext& context, int patients_per_clinic) {
  const TimePoint now = context.clock.Now();
  const std::vector<ClinicSpec> clinics = {{"NRK", "North River Ketamine Clinic", "America/Chicago"},
                                           {"HMC", "Harbor Mind Clinic", "America/New_York"}};
  std::vector<int64_t> clinic_ids;
  std::vector<int64_t> staff_ids;
  const std::string password_hash = HashPassword(kDemoPassword, context.security.password_hash_cost);
  KC_ASSIGN_OR_RETURN(bool seeded, context.database.Run<bool>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<bool> {
    KC_ASSIGN_OR_RETURN(SqlRows existing, txn.Query("SELECT COUNT(*) FROM clinics"));
    if (existing.at(0).Int(0) > 0) return false;
    clinic_ids.clear();
    staff_ids.clear();
    for (const auto& clinic : clinics) {
      KC_ASSIGN_OR_RETURN(int64_t id, CreateClinic(txn, clinic, now));
      clinic_ids.push_back(id);
    }
    for (const auto& staff : Staff()) {
      KC_ASSIGN_OR_RETURN(int64_t id, InsertUser(txn, staff.username, staff.display_name, password_hash, now));
      for (Role role : staff.first_clinic_roles) KC_RETURN_IF_ERROR(GrantRole(txn, id, clinic_ids[0], role, now));
      for (Role role : staff.second_clinic_roles) KC_RETURN_IF_ERROR(GrantRole(txn, id, clinic_ids[1], role, now));
      staff_ids.push_back(id);
    }
    return true;
  }));
  if (!seeded) return false;

  // Patients go through the real service, so the demo's audit trail and
  // version history look like a clinic's.
  PatientService patients(context);
  std::mt19937 random(20261122);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const std::string today = FormatDate(now);
  const int current_year = std::stoi(today.substr(0, 4));
  for (size_t c = 0; c < clinic_ids.size(); ++c) {
    Actor front_desk{staff_ids[c == 0 ? 4 : 0], c == 0 ? "demo.frontdesk" : "demo.admin", clinic_ids[c],
                     {c == 0 ? Role::kFrontDesk : Role::kAdmin}, "demo-seed"};
    Actor nurse{staff_ids[c == 0 ? 2 : 6], c == 0 ? "demo.nurse" : "demo.nurse2", clinic_ids[c], {Role::kNurse},
                "demo-seed"};
    for (int i = 0; i < patients_per_clinic; ++i) {
      const std::string family = kFamilyNames[(i * 7 + c * 3) % std::size(kFamilyNames)];
      const std::string given = kGivenNames[(i * 11 + c * 5 + i / 30) % std::size(kGivenNames)];
      const std::string birth = fmt::format("{:04}-{:02}-{:02}", current_year - 19 - pick(55), 1 + pick(12),
                                            1 + pick(28));
      Json body = {{"family_name", family},
                   {"given_names", given},
                   {"birth_date", birth},
                   {"sex", pick(2) ? "female" : "male"},
                   {"phone", fmt::format("+1 555 01{:02} {:04}", pick(100), pick(10000))},
                   {"emergency_contact", {{"name", std::string(kGivenNames[pick(30)]) + " " + family},
                                          {"relationship", pick(2) ? "spouse" : "sibling"},
                                          {"phone", fmt::format("+1 555 02{:02} {:04}", pick(100), pick(10000))}}},
                   {"referring_provider", {{"name", kReferrers[pick(4)]}, {"organization", "Community Psychiatry"}}}};
      if (pick(3) == 0) body["pronouns"] = pick(2) ? "she/her" : "they/them";
      const auto& diagnosis = kDiagnoses[pick(static_cast<int>(std::size(kDiagnoses)))];
      body["diagnoses"] = Json::array({{{"icd10_code", diagnosis.first}, {"description", diagnosis.second}}});
      body["medications"] = Json::array();
      for (int m = 0, n = 1 + pick(3); m < n; ++m) {
        body["medications"].push_back({{"name", kMedications[pick(static_cast<int>(std::size(kMedications)))]}});
      }
      body["allergies"] = Json::array();
      if (pick(3) == 0) {
        const auto& allergy = kAllergies[pick(static_cast<int>(std::size(kAllergies)))];
        body["allergies"].push_back({{"substance", allergy.first}, {"reaction", allergy.second},
                                     {"severity", pick(2) ? "moderate" : "mild"}});
      }
      KC_ASSIGN_OR_RETURN(Json chart, patients.RegisterPatient(front_desk, body));
      const int64_t id = chart["id"];
      const double weight_kg = 55.0 + pick(500) / 10.0;
      for (int w = 0, n = 1 + pick(3); w < n; ++w) {
        const std::string measured_on = FormatDate(now - std::chrono::hours(24 * (30 * (n - w) + pick(10))));
        KC_RETURN_IF_ERROR(patients.RecordMeasurement(
            nurse, id, {{"kind", "weight"}, {"weight_kg", weight_kg + w * 0.4}, {"measured_on", measured_on},
                        {"note", w == 0 ? "intake" : "pre-session"}}));
      }
      if (pick(2) == 0) {
        KC_RETURN_IF_ERROR(patients.RecordMeasurement(
            nurse, id, {{"kind", "height"}, {"height_cm", 150 + pick(40)}, {"measured_on", today}, {"note", "intake"}}));
      }
      if (pick(4) == 0) {
        Json update = body;
        update["mrn"] = chart["mrn"];
        update["phone"] = fmt::format("+1 555 03{:02} {:04}", pick(100), pick(10000));
        update["version"] = 1;
        update["change_reason"] = "patient reported a new phone number";
        KC_RETURN_IF_ERROR(patients.UpdatePatient(front_desk, id, update));
      }
    }
  }
  KC_RETURN_IF_ERROR(SeedDemoLedger(context, {clinic_ids[0], staff_ids[0], staff_ids[1], staff_ids[2]}));
  KC_RETURN_IF_ERROR(SeedDemoCourses(context, {clinic_ids[0], staff_ids[0], staff_ids[1], staff_ids[2]}));
  // Chairs, rotas and a week of appointments: NRK books through its front
  // desk; HMC (no front desk) through its admin.
  const Actor north_admin{staff_ids[0], "demo.admin", clinic_ids[0], {Role::kAdmin}, "demo-seed"};
  const Actor north_desk{staff_ids[4], "demo.frontdesk", clinic_ids[0], {Role::kFrontDesk}, "demo-seed"};
  const Actor harbor_admin{staff_ids[0], "demo.admin", clinic_ids[1], {Role::kAdmin}, "demo-seed"};
  KC_RETURN_IF_ERROR(SeedDemoSchedule(context, {north_admin, north_desk, 4,
                                                {{staff_ids[1], Role::kPrescriber},
                                                 {staff_ids[2], Role::kNurse},
                                                 {staff_ids[3], Role::kTherapist}}}));
  KC_RETURN_IF_ERROR(SeedDemoSchedule(context, {harbor_admin, harbor_admin, 6,
                                                {{staff_ids[1], Role::kPrescriber}, {staff_ids[6], Role::kNurse}}}));
  return true;
}

}  // namespace ketachart
