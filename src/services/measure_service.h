// Rating-scale measures in the patient's chart and the safety alerts they
// raise. Entering a measure scores it (clinical/instruments), stores the
// answers and the score, and raises each alert the instrument defines (PHQ-9
// item 9 above 0, C-SSRS high risk, ...) in the same transaction as the
// measure and its audit events, so an alert can never be lost between them.
// Alerts stay on the clinic's open list until a clinician acknowledges them
// with an action note; measures, alerts and acknowledgements are append-only.
// Every call checks permission first and audits itself. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

struct MeasureQuery {
  std::string instrument;  // empty: every instrument
  int limit = 100;         // 1..kMaxMeasurePage
  std::string cursor;      // next_cursor of the previous page
};

struct AlertQuery {
  bool open_only = true;
  bool mine = false;       // only patients whose responsible clinician is the caller
  int limit = 50;          // 1..kMaxAlertPage
  std::string cursor;
};

class MeasureService {
 public:
  static constexpr int kMaxMeasurePage = 500;  // a trajectory of 500 measures in one page
  static constexpr int kMaxAlertPage = 200;

  explicit MeasureService(ServiceContext& context) : context_(context) {}

  // Body: {"instrument": "phq9", "answers": [int|null, ...] (item order),
  //        "administered_at": timestamp (default now), "note": string}.
  // Returns the stored measure with its score and raised alerts.
  Result<Json> RecordMeasure(const Actor& actor, int64_t patient_id, const Json& body);
  // Oldest first: {"items": [measure...], "next_cursor": string|null}. Each
  // measure with a change rule carries "change" against the patient's first
  // measure of that instrument (the baseline, marked "baseline": true).
  Result<Json> ListMeasures(const Actor& actor, int64_t patient_id, const MeasureQuery& query);
  // The clinic's alerts, newest first, open ones only unless asked; with
  // `mine`, only those of patients whose responsible clinician (the latest
  // assignment) is the caller. Each alert names the responsible clinician.
  Result<Json> ListAlerts(const Actor& actor, const AlertQuery& query);
  // Body: {"action_note": string (1..1000)}. An acknowledged alert is a conflict.
  Result<Json> AcknowledgeAlert(const Actor& actor, int64_t alert_id, const Json& body);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
