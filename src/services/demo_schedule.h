// The demo clinics' schedule: chairs in two rooms, weekday working hours for
// the clinical staff, and a realistic week of dosing, assessment and
// integration appointments for demo patients from today on (slots already in
// the past are left out), with a reminder recorded, one reschedule and one
// cancellation. Everything goes through SchedulingService, so the demo is
// audited like a clinic's. Idempotent: a clinic that has chairs is left alone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

struct DemoScheduleStaff {
  int64_t user_id;
  Role role;  // prescriber, nurse or therapist
};

struct DemoScheduleClinic {
  Actor admin;      // sets chairs and hours
  Actor booker;     // books (the front desk where there is one)
  int chairs = 4;   // split over two rooms
  std::vector<DemoScheduleStaff> clinicians;
};

Status SeedDemoSchedule(ServiceContext& context, const DemoScheduleClinic& clinic);

}  // namespace ketachart
