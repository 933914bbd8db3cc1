// The audited read of one page of one patient's records (a care summary's
// sessions, the REMS enrolment history, measure schedules, session starts):
// the permission check first, the page limit and id cursor (page_cursor.h),
// a read-only transaction that checks the patient is in the actor's clinic
// before loading the page, a not-found written to the audit trail as a failed
// attempt (probing ids leaves a trace), and the read's audit event, durable
// before the page is returned. Internal to services/; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/page_cursor.h"
#include "services/permissions.h"
#include "services/service_context.h"
#include "store/database.h"

namespace ketachart {

struct PatientPageRead {
  Permission permission;
  std::string action;  // the audit action, e.g. "care_summary.read" (resource: the patient)
  std::string detail;  // the read event's detail ("" for none); the permission check's has none
  int max_limit;       // the list's hard maximum page size
};

// Loads the page inside the transaction, after the patient check: `cursor` is
// the id the page continues from (nullopt for the first page), `now` the
// clock reading the audit events carry.
using PatientPageLoader =
    std::function<Result<Json>(Transaction& txn, std::optional<int64_t> cursor, TimePoint now)>;

// forbidden (audited) without read.permission; invalid_input on `limit` or
// `cursor`; not_found (audited as failed) unless the patient is in the
// actor's clinic; otherwise what `load` returns, after the read is audited.
Result<Json> ReadPatientPage(ServiceContext& context, const Actor& actor, int64_t patient_id,
                             const PatientPageRead& read, const PageQuery& page, const PatientPageLoader& load);

}  // namespace ketachart
