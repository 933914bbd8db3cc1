// The patient's responsible clinician: the staff member whose dashboard shows
// the patient's safety alerts ("alerts to the patient's responsible
// clinician", issue 3). Versioned by append: each assignment is a new row
// with its reason, and the latest row wins; nothing is changed or deleted.
// Only someone who may acknowledge safety alerts in the clinic can be
// assigned. Setting needs measure.write, reading measure.read; both are
// audited (the write in its transaction). Thread-safe.
#pragma once

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

class ResponsibleClinicianService {
 public:
  explicit ResponsibleClinicianService(ServiceContext& context) : context_(context) {}

  // Body: {"clinician_id": user id, "reason": string (0-500)}. Assigning the
  // current clinician again is a conflict.
  Result<Json> Assign(const Actor& actor, int64_t patient_id, const Json& body);
  // {"patient_id", "clinician": {id, username, display_name}|null, "set_at",
  //  "set_by", "reason", "history": [earlier assignments, newest first, ≤ 20]}.
  Result<Json> Current(const Actor& actor, int64_t patient_id);
  // The clinic's staff who can be assigned (no patient data), by username.
  Result<Json> Candidates(const Actor& actor);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
