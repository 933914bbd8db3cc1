// Intake and assessment: the structured history a clinic records before a
// patient is dosed (clinical/intake/intake.h reads and checks it). Each
// recording is a new version of the patient's intake (version 1, 2, ...;
// an amendment needs a reason); nothing is overwritten, so an eligibility
// decision can always show the exact intake it saw. Every call checks
// permission first and audits itself. Thread-safe.
#pragma once

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"
#include "store/database.h"

namespace ketachart {

struct StoredIntake {
  int64_t id = 0;
  int64_t version = 0;
  std::string document;  // canonical JSON text
  std::string digest;
};

// The patient's newest intake version in `txn`, or nullopt when none is recorded.
Result<std::optional<StoredIntake>> LatestIntake(Transaction& txn, int64_t clinic_id, int64_t patient_id);

class IntakeService {
 public:
  static constexpr int kMaxVersionsListed = 100;

  explicit IntakeService(ServiceContext& context) : context_(context) {}

  // Body: {"intake": intake document, "reason": string (required from version 2)}.
  Result<Json> RecordIntake(const Actor& actor, int64_t patient_id, const Json& body);
  // {"items": [intake version, newest first]}.
  Result<Json> ListIntakes(const Actor& actor, int64_t patient_id);
  // The coded words an intake uses, with readable labels (no patient data).
  static Json Vocabulary();

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
