// Loading the facts measure schedules are computed from (see measure_schedule_facts.h).
#include "services/measure_schedule_facts.h"

#include <fmt/format.h>

#include <algorithm>

namespace ketachart {
namespace {

constexpr const char* kActiveSchedule =
    "measure_schedules ms LEFT JOIN measure_schedule_stops st ON st.schedule_id = ms.id";

// The SQL restricting `column` to one patient or to patients with an active schedule.
std::string PatientFilter(const std::string& column, std::optional<int64_t> patient_id, SqlParams& params,
                          int64_t clinic_id) {
  if (patient_id) {
    params.push_back(*patient_id);
    return column + " = ?";
  }
  params.push_back(clinic_id);
  return fmt::format("{} IN (SELECT ms.patient_id FROM {} WHERE ms.clinic_id = ? AND st.schedule_id IS NULL)", column,
                     kActiveSchedule);
}

}  // namespace

StoredMeasureSchedule StoredScheduleOf(const SqlRow& row) {
  StoredMeasureSchedule s;
  s.id = row.Int(0);
  s.patient_id = row.Int(1);
  s.instrument = row.Text(2);
  s.rule.kind = ParseMeasureScheduleKind(row.Text(3)).value_or(MeasureScheduleKind::kEveryNDays);
  s.rule.interval_days = static_cast<int>(row.Int(4));
  s.rule.reset_on_treatment = row.Int(5) != 0;
  s.rule.start_day = ParseLocalDate(row.Text(6)).value_or(0);
  return s;
}

ClinicMoment MomentOf(const ClinicTimeZone& zone, TimePoint at) { return ClinicMoment{at, zone.ToLocal(at).day()}; }

Result<std::vector<StoredMeasureSchedule>> LoadActiveSchedules(Transaction& txn, int64_t clinic_id,
                                                               std::optional<int64_t> patient_id) {
  SqlParams params = {clinic_id};
  std::string where = "ms.clinic_id = ? AND st.schedule_id IS NULL";
  if (patient_id) {
    where += " AND ms.patient_id = ?";
    params.push_back(*patient_id);
  }
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(fmt::format("SELECT {} FROM {} WHERE {} ORDER BY ms.id",
                                                          kScheduleRuleColumns, kActiveSchedule, where),
                                              params));
  std::vector<StoredMeasureSchedule> out;
  for (const SqlRow& row : rows) out.push_back(StoredScheduleOf(row));
  return out;
}

Result<std::map<int64_t, PatientScheduleFacts>> LoadScheduleFacts(Transaction& txn, const ClinicTimeZone& zone,
                                                                  int64_t clinic_id, std::optional<int64_t> patient_id,
                                                                  TimePoint now) {
  std::map<int64_t, PatientScheduleFacts> facts;
  {
    SqlParams params = {clinic_id};
    const std::string filter = PatientFilter("s.patient_id", patient_id, params, clinic_id);
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query("SELECT s.patient_id, s.checked_in_at, "
                  "(SELECT MIN(e.occurred_at) FROM session_events e WHERE e.session_id = s.id AND e.kind IN "
                  "('start', 'device')), "
                  "(SELECT COUNT(*) FROM session_events e WHERE e.session_id = s.id AND e.kind = 'cancel') "
                  "FROM dosing_sessions s WHERE s.clinic_id = ? AND " + filter,
                  params));
    for (const SqlRow& row : rows) {
      std::optional<TimePoint> at;
      if (!row.IsNull(2)) {
        at = ParseTimestamp(row.Text(2));
      } else if (row.Int(3) == 0) {
        at = ParseTimestamp(row.Text(1));  // checked in, not started, not cancelled
      }
      if (at) facts[row.Int(0)].sessions.push_back(MomentOf(zone, *at));
    }
  }
  {
    SqlParams params = {clinic_id};
    const std::string filter = PatientFilter("a.patient_id", patient_id, params, clinic_id);
    params.push_back(FormatTimestamp(now));
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query("SELECT a.patient_id, e.starts_at FROM appointments a JOIN appointment_events e "
                  "ON e.appointment_id = a.id AND e.sequence = (SELECT MAX(x.sequence) FROM appointment_events x "
                  "WHERE x.appointment_id = a.id) "
                  "WHERE a.clinic_id = ? AND a.kind = 'dosing' AND " + filter +
                      " AND e.status = 'booked' AND e.starts_at > ? "
                      "AND NOT EXISTS (SELECT 1 FROM dosing_sessions d WHERE d.appointment_id = a.id)",
                  params));
    for (const SqlRow& row : rows) {
      if (auto at = ParseTimestamp(row.Text(1))) facts[row.Int(0)].sessions.push_back(MomentOf(zone, *at));
    }
  }
  for (auto& [patient, f] : facts) {
    std::sort(f.sessions.begin(), f.sessions.end(),
              [](const ClinicMoment& a, const ClinicMoment& b) { return a.at < b.at; });
  }
  {
    SqlParams params = {clinic_id};
    const std::string filter = PatientFilter("m.patient_id", patient_id, params, clinic_id);
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT m.patient_id, m.instrument, m.administered_at FROM "
                                                "patient_measures m WHERE m.clinic_id = ? AND " + filter +
                                                    " ORDER BY m.administered_at, m.id",
                                                params));
    for (const SqlRow& row : rows) {
      if (auto at = ParseTimestamp(row.Text(2))) {
        facts[row.Int(0)].completions[row.Text(1)].push_back(MomentOf(zone, *at));
      }
    }
  }
  return facts;
}

Result<std::vector<std::pair<int64_t, std::string>>> LoadSessionStarts(Transaction& txn, int64_t clinic_id,
                                                                       int64_t patient_id, int64_t after_id,
                                                                       int limit) {
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      txn.Query("SELECT s.id, (SELECT MIN(e.occurred_at) FROM session_events e WHERE e.session_id = s.id AND "
                "e.kind IN ('start', 'device')) AS started_at FROM dosing_sessions s WHERE s.clinic_id = ? AND "
                "s.patient_id = ? AND s.id > ? AND EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.id "
                "AND e.kind IN ('start', 'device')) ORDER BY s.id LIMIT ?",
                {clinic_id, patient_id, after_id, int64_t{limit}}));
  std::vector<std::pair<int64_t, std::string>> out;
  for (const SqlRow& row : rows) out.emplace_back(row.Int(0), row.Text(1));
  return out;
}

}  // namespace ketachart
