// The synthetic demo clinic that `ketachart serve --demo` seeds once into an
// empty database, so a newcomer sees a living system: two clinics, staff in
// every role, and patients with histories (versions, weights, allergies,
// medications, diagnoses). All names are invented; nothing is real.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "services/service_context.h"

namespace ketachart {

inline constexpr std::string_view kDemoPassword = "ketachart-demo";

struct DemoLogin {
  std::string username;
  std::string roles;
};

// Seeds when the database has no clinic yet; returns false when it already had one.
Result<bool> SeedDemoClinic(ServiceContext& context, int patients_per_clinic = 60);
std::vector<DemoLogin> DemoLogins();

}  // namespace ketachart
