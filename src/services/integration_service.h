// Integration psychotherapy and the shared view: a therapist's SOAP or DAP
// note on the dosing session it integrates (homework and coping plan with
// it), signed on saving, corrected only by a new note that amends it; and
// the patient's care summary prescribers and therapists share — courses,
// recent sessions with their note status, integration notes, and booster
// signals from the patient's measures (clinical/course/booster_suggestion.h)
// while a course is in maintenance. Every call checks permission and audits.
// Thread-safe.
#pragma once

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/page_cursor.h"
#include "services/service_context.h"

namespace ketachart {

class IntegrationService {
 public:
  explicit IntegrationService(ServiceContext& context) : context_(context) {}

  // Body: {"session_id", "format": soap|dap, "fields": {...}, "homework", "coping_plan", "amends_id"?}.
  Result<Json> WriteNote(const Actor& actor, int64_t patient_id, const Json& body);
  // The shared view for prescriber and therapist: the latest kCareSummarySessions sessions, and
  // `sessions_next_cursor` (null when there are no older ones) for CareSummarySessions.
  static constexpr int kCareSummarySessions = 20;
  static constexpr int kMaxSessionPage = 200;
  Result<Json> CareSummary(const Actor& actor, int64_t patient_id);
  // The patient's sessions as the care summary lists them, latest first, a page at a time:
  // {"items", "next_cursor"}; `page.limit` 1..kMaxSessionPage, `page.cursor` from next_cursor.
  Result<Json> CareSummarySessions(const Actor& actor, int64_t patient_id, const PageQuery& page);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
