// Esketamine REMS: the patient's enrolment (a gate the readiness checklist
// checks when the protocol has the pre-dose check "rems_enrolment"), the
// Patient Monitoring Form pre-filled from each dosed session
// (clinical/session/rems_form.h), its submission before the protocol's
// deadline (pmf_deadline: 7 calendar days), the tracker of open and overdue
// forms, and a printable PDF of the form. Submissions are append-only; a
// correction amends an earlier one. Every call checks permission and audits.
// Thread-safe.
#pragma once

#include <string>

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/page_cursor.h"
#include "services/report_document.h"
#include "services/service_context.h"
#include "store/database.h"

namespace ketachart {

struct RemsGate {
  bool enrolled = false;
  std::string message;
};
// The patient's latest REMS enrolment status as a readiness gate.
Result<RemsGate> RemsGateFor(Transaction& txn, int64_t clinic_id, int64_t patient_id);

class RemsService {
 public:
  explicit RemsService(ServiceContext& context) : context_(context) {}

  // Body: {"status": enrolled|not_enrolled, "rems_patient_id", "effective_on", "note"}.
  Result<Json> RecordEnrolment(const Actor& actor, int64_t patient_id, const Json& body);
  // The gate and the latest kEnrolmentHistory records ("history"), with "history_next_cursor"
  // (null when there are no older ones) for EnrolmentHistory.
  static constexpr int kEnrolmentHistory = 50;
  static constexpr int kMaxEnrolmentPage = 200;
  Result<Json> GetEnrolment(const Actor& actor, int64_t patient_id);
  // The enrolment records latest first, a page at a time: {"items", "next_cursor"}.
  Result<Json> EnrolmentHistory(const Actor& actor, int64_t patient_id, const PageQuery& page);
  // The form for a session: pre-filled fields, due date, submissions.
  Result<Json> GetForm(const Actor& actor, int64_t session_id);
  // Body: {"answers": {field: value}, "submitted_on", "confirmation", "amends_id"?, "reason"?}; a
  // correction (amends_id) needs the reason, kept with it.
  Result<Json> SubmitForm(const Actor& actor, int64_t session_id, const Json& body);
  // The form as a printable two-column report (answers as submitted, else pre-filled).
  Result<TabularReport> FormReport(const Actor& actor, int64_t session_id);
  // Dosed esketamine sessions of the clinic with their form status and the patient's enrolment:
  // kOpen every unsubmitted form, kOverdue only late ones, kSubmitted only submitted ones, kAll
  // both. Unsubmitted forms come oldest session first (the most urgent), the others latest
  // first. {"items", "next_cursor"}: `page.limit` items at most (1..kMaxTrackerPage) and at
  // most `scan_budget` sessions examined per call, so a page of a narrow filter may hold fewer
  // items than the limit while next_cursor still says more sessions follow.
  static constexpr int kMaxTrackerPage = 200;
  static constexpr int kTrackerScanBudget = 500;
  enum class TrackerFilter { kOpen, kOverdue, kSubmitted, kAll };
  Result<Json> Tracker(const Actor& actor, TrackerFilter filter, const PageQuery& page = {},
                       int scan_budget = kTrackerScanBudget);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
