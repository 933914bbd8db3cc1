// Setting up a clinic database: the first clinic and its first administrator
// (`ketachart init`), and clinics added later. No permission check here: only
// a local operator with access to the data directory reaches these calls.
#pragma once

#include <string>

#include "base/result.h"
#include "services/service_context.h"
#include "store/database.h"

namespace ketachart {

struct ClinicSpec {
  std::string code;      // short, used in MRNs: "NRK"
  std::string name;      // "North River Ketamine Clinic"
  std::string timezone;  // IANA name: "America/Chicago"
};

Result<int64_t> CreateClinic(Transaction& txn, const ClinicSpec& clinic, TimePoint now);
Result<int64_t> FindClinicId(Transaction& txn, const std::string& code);
Result<bool> DatabaseHasUsers(Database& database);

// Creates the clinic (when no clinic exists yet) and an admin account in it.
// Refuses when the username is taken. Audited as the local operator.
Status InitialiseClinic(ServiceContext& context, const ClinicSpec& clinic, const std::string& admin_username,
                        const std::string& admin_password, const std::string& operator_name);

}  // namespace ketachart
