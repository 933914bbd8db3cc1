// Measure schedules (issue 3): per patient, an instrument falls due before
// each dosing session, every N days (optionally restarting at each session),
// or N days after each session (clinical/measure_schedule). A schedule is
// append-only: stopping it adds a stop row with the reason. From the active
// schedules, the patient's sessions and the measures entered, the service
// computes the patient's due measures and the clinic's overdue list; nothing
// about due items is stored, so entering a measure clears them at once. Also
// the patient's session start times, which the trajectory chart marks. Every
// call checks permission first (measure.read / measure.write); writes audit in
// their transaction, reads are audited. Thread-safe.
#pragma once

#include <string>

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/page_cursor.h"
#include "services/service_context.h"

namespace ketachart {

class MeasureScheduleService {
 public:
  static constexpr int kMaxSchedulePage = 200;
  static constexpr int kMaxOverduePage = 200;
  static constexpr int kMaxSessionStartPage = 500;

  explicit MeasureScheduleService(ServiceContext& context) : context_(context) {}

  // Body: {"instrument": key, "kind": before_each_session|every_n_days|
  // n_days_after_each_session, "interval_days": 1-365 (not for
  // before_each_session), "reset_on_treatment": bool (every_n_days only),
  // "start_date": "YYYY-MM-DD" (clinic's day; default today; at most 365 days
  // either side of today), "note": string}. A second active schedule of the
  // same instrument and kind is a conflict.
  Result<Json> CreateSchedule(const Actor& actor, int64_t patient_id, const Json& body);
  // Newest first, active and stopped; each active one with its "due" items.
  Result<Json> ListSchedules(const Actor& actor, int64_t patient_id, const PageQuery& query);
  // Body: {"reason": string (1-500)}. Stopping a stopped schedule is a conflict.
  Result<Json> StopSchedule(const Actor& actor, int64_t schedule_id, const Json& body);
  // The patient's current and next occurrence of every active schedule.
  Result<Json> DueMeasures(const Actor& actor, int64_t patient_id);
  // The clinic's overdue measures, most overdue first: {"items", "next_cursor"}.
  Result<Json> ListOverdue(const Actor& actor, const PageQuery& query);
  // When dosing began in each of the patient's sessions, oldest first.
  Result<Json> SessionStarts(const Actor& actor, int64_t patient_id, const PageQuery& query);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
