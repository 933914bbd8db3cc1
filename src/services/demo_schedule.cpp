// Demo schedule seeding (see demo_schedule.h). Deterministic for a given "now".
#include "services/demo_schedule.h"

#include <fmt/format.h>

#include "base/time_zone.h"
#include "services/schedule_store.h"
#include "services/scheduling_service.h"

namespace ketachart {
namespace {

struct DemoSlot {
  Role role;
  int start_minute;  // local
  int minutes;
  const char* kind;
};

// One clinic day: the nurse runs four two-hour dosing sessions, the
// prescriber two assessments, the therapist two integration sessions.
constexpr DemoSlot kDay[] = {
    {Role::kNurse, 8 * 60 + 30, 120, "dosing"},       {Role::kPrescriber, 9 * 60, 45, "assessment"},
    {Role::kNurse, 10 * 60 + 45, 120, "dosing"},      {Role::kTherapist, 11 * 60, 60, "integration"},
    {Role::kNurse, 13 * 60 + 15, 120, "dosing"},      {Role::kPrescriber, 14 * 60, 45, "follow_up"},
    {Role::kTherapist, 15 * 60, 60, "integration"},   {Role::kNurse, 15 * 60 + 30, 120, "dosing"},
};

}  // namespace

Status SeedDemoSchedule(ServiceContext& context, const DemoScheduleClinic& clinic) {
  const int64_t clinic_id = clinic.admin.clinic_id;
  struct Existing {
    int64_t chairs;
    std::vector<int64_t> patients;
    std::string timezone;
  };
  KC_ASSIGN_OR_RETURN(Existing existing, context.database.Run<Existing>(
                                             TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Existing> {
                                               Existing out;
                                               KC_ASSIGN_OR_RETURN(SqlRows chairs,
                                                                   txn.Query("SELECT COUNT(*) FROM chairs WHERE "
                                                                             "clinic_id = ?",
                                                                             {clinic_id}));
                                               out.chairs = chairs.at(0).Int(0);
                                               KC_ASSIGN_OR_RETURN(SqlRows patients,
                                                                   txn.Query("SELECT id FROM patients WHERE clinic_id "
                                                                             "= ? ORDER BY id LIMIT 24",
                                                                             {clinic_id}));
                                               for (const SqlRow& row : patients) out.patients.push_back(row.Int(0));
                                               KC_ASSIGN_OR_RETURN(SqlRows zone, txn.Query("SELECT timezone FROM "
                                                                                           "clinics WHERE id = ?",
                                                                                           {clinic_id}));
                                               out.timezone = zone.at(0).Text(0);
                                               return out;
                                             }));
  if (existing.chairs > 0 || existing.patients.empty()) return Status::Ok();
  KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, ClinicTimeZone::Find(existing.timezone));

  SchedulingService schedule(context);
  std::vector<int64_t> chairs;
  for (int c = 0; c < clinic.chairs; ++c) {
    const std::string room = c < (clinic.chairs + 1) / 2 ? "Infusion room A" : "Infusion room B";
    KC_ASSIGN_OR_RETURN(Json chair,
                        schedule.CreateChair(clinic.admin, {{"name", fmt::format("Chair {}", c + 1)}, {"room", room}}));
    chairs.push_back(chair["id"]);
  }
  const Json weekday = Json::array({{{"start", "08:00"}, {"end", "18:00"}}});
  const Json hours = {{"monday", weekday}, {"tuesday", weekday}, {"wednesday", weekday}, {"thursday", weekday},
                      {"friday", weekday}};
  for (const auto& staff : clinic.clinicians) {
    KC_RETURN_IF_ERROR(
        schedule.SetWorkingHours(clinic.admin, staff.user_id, {{"hours", hours}, {"reason", "demo rota"}}).status());
  }

  const TimePoint now = context.clock.Now();
  const int64_t today = zone.ToLocal(now).day();
  size_t next_patient = 0;
  std::vector<int64_t> booked;
  for (int64_t day = today; day < today + 7; ++day) {
    if (WeekdayOfDay(day) >= 5) continue;  // the demo clinics close at weekends
    int chair_turn = static_cast<int>(day % static_cast<int64_t>(chairs.size()));
    for (const DemoSlot& slot : kDay) {
      const DemoScheduleStaff* staff = nullptr;
      for (const auto& s : clinic.clinicians) {
        if (s.role == slot.role) staff = &s;
      }
      if (!staff) continue;
      const LocalDateTime start{day * kMinutesPerDay + slot.start_minute};
      const auto start_utc = zone.ToUtc(start);
      if (!start_utc || *start_utc < now) continue;
      const int64_t chair = chairs[static_cast<size_t>(chair_turn++) % chairs.size()];
      const int64_t patient = existing.patients[next_patient++ % existing.patients.size()];
      KC_ASSIGN_OR_RETURN(Json appointment,
                          schedule.BookAppointment(clinic.booker, {{"patient_id", patient},
                                                                   {"kind", slot.kind},
                                                                   {"chair_id", chair},
                                                                   {"staff_user_id", staff->user_id},
                                                                   {"start", FormatLocalDateTime(start)},
                                                                   {"duration_minutes", slot.minutes}}));
      booked.push_back(appointment["id"]);
    }
  }
  // A little history: the first booking reminded, one moved, one cancelled.
  if (booked.size() >= 3) {
    KC_RETURN_IF_ERROR(
        schedule.MarkReminderSent(clinic.booker, booked[0], {{"channel_note", "phoned; confirmed with the patient"}})
            .status());
    KC_RETURN_IF_ERROR(schedule.Cancel(clinic.booker, booked[2], {{"reason", "patient unwell; will call to rebook"}})
                           .status());
  }
  return Status::Ok();
}

}  // namespace ketachart
