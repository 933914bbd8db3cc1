// Patients of a clinic: registration, search, the chart's demographic record
// with its full version history, and dated weight/height measurements.
// Nothing is destroyed: an edit writes a new version (the old ones stay
// readable) and measurements are append-only. Every call checks permission,
// runs in one transaction and audits itself in it (reads included). Patients
// of another clinic are not found. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/json_input.h"
#include "base/json_text.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

struct PatientSearch {
  std::string query;       // MRN, YYYY-MM-DD birth date, or name prefix; empty lists all
  int limit = 50;          // 1..200
  std::string cursor;      // from the previous page's next_cursor
};

class PatientService {
 public:
  static constexpr int kMaxPageSize = 200;

  explicit PatientService(ServiceContext& context) : context_(context) {}

  // Returns the new patient (the chart view).
  Result<Json> RegisterPatient(const Actor& actor, const Json& body);
  Result<JsonText> GetPatient(const Actor& actor, int64_t patient_id);
  // GetPatient for the HTTP server's event loop, which must not wait for the
  // audit commit: when the actor may read charts, the chart is in this
  // clinic and the server group-commits read audits, loads it, queues its
  // patient.read event and returns true; `done` then gets the chart once the
  // event is durable (or the commit's error), on the committer's thread.
  // Otherwise writes nothing and returns false, and the caller goes the
  // blocking way (GetPatient), which also audits a refusal or a miss.
  using ChartDone = std::function<void(Result<JsonText>)>;
  bool ReadChartWithoutWaiting(const Actor& actor, int64_t patient_id, ChartDone done);
  // {"items":[summary...], "next_cursor": string|null}
  Result<Json> SearchPatients(const Actor& actor, const PatientSearch& search);
  // Body: the full document plus "version" (being edited) and "change_reason".
  Result<Json> UpdatePatient(const Actor& actor, int64_t patient_id, const Json& body);
  Result<Json> ListVersions(const Actor& actor, int64_t patient_id);
  Result<Json> GetVersion(const Actor& actor, int64_t patient_id, int64_t version);
  // Body: {"kind":"weight","weight_kg":..} or {"kind":"height","height_cm":..}, "measured_on", "note".
  Result<Json> RecordMeasurement(const Actor& actor, int64_t patient_id, const Json& body);

 private:
  // The chart in the actor's clinic, in a read-only transaction of its own.
  Result<JsonText> ReadChartAlone(const Actor& actor, int64_t patient_id);

  ServiceContext& context_;
};

}  // namespace ketachart
