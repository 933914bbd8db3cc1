// The demo clinic's courses: consent documents for every protocol (demo text,
// marked as such), and for a dozen demo patients an intake, eligibility
// decisions with prescribers' overrides, signed consents and treatment
// courses in every state, one patient stopped by a hard stop. Everything goes
// through the real services, so the demo's audit trail is a clinic's.
// Synthetic data only.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "services/service_context.h"

namespace ketachart {

struct DemoCourseStaff {
  int64_t clinic_id;
  int64_t admin_id;
  int64_t prescriber_id;
  int64_t nurse_id;
};

Status SeedDemoCourses(ServiceContext& context, const DemoCourseStaff& staff);

}  // namespace ketachart
