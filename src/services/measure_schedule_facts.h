// What the measure schedules of a clinic's patients are computed from, read in
// the caller's transaction: each patient's dosing sessions (when dosing began,
// or the check-in of a session not yet started and not cancelled; and the
// booked dosing appointments ahead that have no session yet), the times each
// instrument was administered, and the active schedules. Days are the
// clinic's local calendar days. Not thread-safe beyond its transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time_zone.h"
#include "clinical/measure_schedule/measure_schedule.h"
#include "store/database.h"

namespace ketachart {

struct PatientScheduleFacts {
  std::vector<ClinicMoment> sessions;                             // ascending
  std::map<std::string, std::vector<ClinicMoment>> completions;  // instrument -> ascending
};

struct StoredMeasureSchedule {
  int64_t id = 0;
  int64_t patient_id = 0;
  std::string instrument;
  MeasureScheduleRule rule;
};

// Columns of measure_schedules the loaders select, in StoredScheduleOf order.
inline constexpr const char* kScheduleRuleColumns =
    "ms.id, ms.patient_id, ms.instrument, ms.kind, ms.interval_days, ms.reset_on_treatment, ms.start_date";
StoredMeasureSchedule StoredScheduleOf(const SqlRow& row);

ClinicMoment MomentOf(const ClinicTimeZone& zone, TimePoint at);

// The active (never stopped) schedules of one patient, or of the whole clinic
// when `patient_id` is empty, oldest first.
Result<std::vector<StoredMeasureSchedule>> LoadActiveSchedules(Transaction& txn, int64_t clinic_id,
                                                               std::optional<int64_t> patient_id);

// The facts of one patient, or of every patient with an active schedule.
Result<std::map<int64_t, PatientScheduleFacts>> LoadScheduleFacts(Transaction& txn, const ClinicTimeZone& zone,
                                                                  int64_t clinic_id, std::optional<int64_t> patient_id,
                                                                  TimePoint now);

// When dosing began in each of the patient's sessions that started, oldest
// first: (session id, start time text). At most `limit` after `after_id`.
Result<std::vector<std::pair<int64_t, std::string>>> LoadSessionStarts(Transaction& txn, int64_t clinic_id,
                                                                       int64_t patient_id, int64_t after_id,
                                                                       int limit);

}  // namespace ketachart
