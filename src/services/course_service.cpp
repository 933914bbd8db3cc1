// Treatment courses and their transitions (see course_service.h).
#include "services/course_service.h"

#include <fmt/format.h>

#include "clinical/course/course_state.h"
#include "services/consent_service.h"
#include "services/course_records.h"
#include "services/eligibility_service.h"
#include "services/guard.h"
#include "services/protocol_store.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

struct CourseRow {
  int64_t id = 0;
  int64_t patient_id = 0;
  std::string protocol_id;
  std::string goal;
  std::string created_at;
  std::string created_by;
};

Result<std::optional<CourseRow>> LoadCourse(Transaction& txn, int64_t clinic_id, int64_t course_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query("SELECT c.id, c.patient_id, c.protocol_id, c.goal, c.created_at, u.username FROM "
                                "treatment_courses c JOIN users u ON u.id = c.created_by WHERE c.id = ? AND "
                                "c.clinic_id = ?",
                                {course_id, clinic_id}));
  if (rows.empty()) return std::optional<CourseRow>();
  const SqlRow& r = rows[0];
  return std::optional<CourseRow>(CourseRow{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)});
}

struct CourseView {
  Json json;
  CourseState state = CourseState::kEvaluation;
  int64_t last_sequence = 0;
  CourseGates gates;
  int64_t decision_id = 0;
  int64_t consent_id = 0;
  int64_t protocol_version = 0;
};

// The course as the API shows it: state, history, gates and what may come next.
Result<CourseView> BuildCourse(Transaction& txn, int64_t clinic_id, const CourseRow& course, const std::string& today) {
  KC_ASSIGN_OR_RETURN(ClinicProtocol active, ActiveProtocol(txn, clinic_id, course.protocol_id));
  const Protocol& protocol = *active.protocol;
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query("SELECT t.sequence, t.from_state, t.to_state, t.reason, t.at, u.username, "
                                "t.protocol_version, t.reevaluation_due_on, t.decision_id, t.consent_id FROM "
                                "course_transitions t JOIN users u ON u.id = t.by_user WHERE t.course_id = ? "
                                "ORDER BY t.sequence",
                                {course.id}));
  CourseView view;
  Json transitions = Json::array();
  Json reevaluation_due = nullptr;
  for (const SqlRow& row : rows) {
    transitions.push_back({{"sequence", row.Int(0)},
                           {"from", row.IsNull(1) ? Json(nullptr) : Json(row.Text(1))},
                           {"to", row.Text(2)},
                           {"reason", row.Text(3)},
                           {"at", row.Text(4)},
                           {"by", row.Text(5)},
                           {"protocol_version", row.Int(6)},
                           {"decision_id", row.IsNull(8) ? Json(nullptr) : Json(row.Int(8))},
                           {"consent_id", row.IsNull(9) ? Json(nullptr) : Json(row.Int(9))}});
    view.state = ParseCourseState(row.Text(2)).value_or(CourseState::kEvaluation);
    view.last_sequence = row.Int(0);
    if (!row.IsNull(7)) reevaluation_due = row.Text(7);
  }
  KC_ASSIGN_OR_RETURN(EligibilityGate eligibility, EligibilityGateFor(txn, clinic_id, course.patient_id, protocol));
  KC_ASSIGN_OR_RETURN(ConsentGate consent, ConsentGateFor(txn, clinic_id, course.patient_id, protocol, today));
  view.gates = CourseGates{eligibility.cleared, eligibility.message, consent.valid, consent.message};
  view.decision_id = eligibility.decision_id;
  view.consent_id = consent.consent_id;
  view.protocol_version = protocol.version;
  Json allowed = Json::array();
  for (CourseState next : NextCourseStates(view.state)) {
    // Readiness ignores the reason rule: a reason is asked for when the move is made.
    const auto refusals = CheckCourseTransition(view.state, next, view.gates, "reason");
    allowed.push_back({{"to", CourseStateName(next)}, {"ready", refusals.empty()}, {"blocked_by", refusals}});
  }
  view.json = {{"id", course.id},
               {"patient_id", course.patient_id},
               {"protocol_id", course.protocol_id},
               {"protocol_title", protocol.title},
               {"protocol_version", protocol.version},
               {"goal", course.goal},
               {"state", CourseStateName(view.state)},
               {"created_at", course.created_at},
               {"created_by", course.created_by},
               {"reevaluation_due_on", reevaluation_due},
               {"transitions", std::move(transitions)},
               {"allowed", std::move(allowed)},
               {"readiness",
                {{"eligibility",
                  {{"ok", eligibility.cleared},
                   {"message", eligibility.cleared ? Json(nullptr) : Json(eligibility.message)},
                   {"decision_id", eligibility.decision_id > 0 ? Json(eligibility.decision_id) : Json(nullptr)}}},
                 {"consent",
                  {{"ok", consent.valid},
                   {"message", consent.valid ? Json(nullptr) : Json(consent.message)},
                   {"consent_id", consent.consent_id > 0 ? Json(consent.consent_id) : Json(nullptr)}}}}}};
  return view;
}

}  // namespace

Result<Json> CourseService::OpenCourse(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kCoursePlan,
                                       CourseAudit("course.open", "course", 0, patient_id)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto protocol_id = reader.RequiredString("protocol_id", {1, 100});
  auto goal = reader.OptionalString("goal", {0, 1000});
  KC_RETURN_IF_ERROR(reader.Finish());
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    auto active = ActiveProtocol(txn, actor.clinic_id, *protocol_id);
    if (!active.ok()) return InvalidInput("protocol_id", active.error().message);
    KC_ASSIGN_OR_RETURN(
        SqlRows open,
        txn.Query("SELECT c.id FROM treatment_courses c WHERE c.patient_id = ? AND c.clinic_id = ? AND "
                  "c.protocol_id = ? AND (SELECT t.to_state FROM course_transitions t WHERE t.course_id = c.id "
                  "ORDER BY t.sequence DESC LIMIT 1) <> 'discontinued'",
                  {patient_id, actor.clinic_id, *protocol_id}));
    if (!open.empty()) {
      return Conflict(fmt::format("course #{} under {} is still open; discontinue it before opening another",
                                  open[0].Int(0), active.value().protocol->title),
                      "protocol_id");
    }
    const std::string now_text = FormatTimestamp(now);
    KC_ASSIGN_OR_RETURN(SqlRows inserted,
                        txn.Query("INSERT INTO treatment_courses (clinic_id, patient_id, protocol_id, goal, "
                                  "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                  {actor.clinic_id, patient_id, *protocol_id, goal.value_or(""), now_text,
                                   actor.user_id}));
    const int64_t id = inserted.at(0).Int(0);
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO course_transitions (clinic_id, course_id, sequence, from_state, "
                                   "to_state, reason, protocol_version, at, by_user) VALUES (?, ?, 1, NULL, "
                                   "'evaluation', 'course opened', ?, ?, ?)",
                                   {actor.clinic_id, id, active.value().protocol->version, now_text, actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, CourseAudit("course.open", "course", id, patient_id, std::string(*protocol_id)), now));
    KC_ASSIGN_OR_RETURN(std::optional<CourseRow> course, LoadCourse(txn, actor.clinic_id, id));
    KC_ASSIGN_OR_RETURN(CourseView view, BuildCourse(txn, actor.clinic_id, *course, FormatDate(now)));
    return view.json;
  });
  return AuditNotFound(context_, actor, "course.open", "patient", patient_id, now, std::move(result));
}

Result<Json> CourseService::ListCourses(const Actor& actor, int64_t patient_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kCourseRead,
                                       CourseAudit("course.list", "patient", patient_id, patient_id)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(SqlRows ids, txn.Query("SELECT id FROM treatment_courses WHERE patient_id = ? AND "
                                               "clinic_id = ? ORDER BY id DESC LIMIT ?",
                                               {patient_id, actor.clinic_id, int64_t{kMaxListed}}));
    Json items = Json::array();
    for (const SqlRow& row : ids) {
      KC_ASSIGN_OR_RETURN(std::optional<CourseRow> course, LoadCourse(txn, actor.clinic_id, row.Int(0)));
      KC_ASSIGN_OR_RETURN(CourseView view, BuildCourse(txn, actor.clinic_id, *course, FormatDate(now)));
      items.push_back(std::move(view.json));
    }
    return Json{{"items", std::move(items)}};
  });
  if (!result.ok()) return AuditNotFound(context_, actor, "course.list", "patient", patient_id, now, std::move(result));
  KC_RETURN_IF_ERROR(
      RecordReadAudit(context_, actor, CourseAudit("course.list", "patient", patient_id, patient_id), now));
  return result;
}

Result<Json> CourseService::GetCourse(const Actor& actor, int64_t course_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kCourseRead,
                                       CourseAudit("course.read", "course", course_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  int64_t patient_id = 0;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(std::optional<CourseRow> course, LoadCourse(txn, actor.clinic_id, course_id));
    if (!course) return NotFound("no such course in this clinic");
    patient_id = course->patient_id;
    KC_ASSIGN_OR_RETURN(CourseView view, BuildCourse(txn, actor.clinic_id, *course, FormatDate(now)));
    return view.json;
  });
  if (!result.ok()) return AuditNotFound(context_, actor, "course.read", "course", course_id, now, std::move(result));
  KC_RETURN_IF_ERROR(
      RecordReadAudit(context_, actor, CourseAudit("course.read", "course", course_id, patient_id), now));
  return result;
}

Result<Json> CourseService::Transition(const Actor& actor, int64_t course_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kCoursePlan,
                                       CourseAudit("course.transition", "course", course_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto to_name = reader.RequiredEnum("to", CourseStateNames());
  auto reason = reader.OptionalString("reason", {0, 1000});
  auto reevaluation_due_on = reader.OptionalDate("reevaluation_due_on");
  KC_RETURN_IF_ERROR(reader.Finish());
  const CourseState to = *ParseCourseState(*to_name);
  if (reevaluation_due_on && *reevaluation_due_on < FormatDate(now)) {
    return InvalidInput("reevaluation_due_on", "must not be in the past");
  }
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(std::optional<CourseRow> course, LoadCourse(txn, actor.clinic_id, course_id));
    if (!course) return NotFound("no such course in this clinic");
    KC_ASSIGN_OR_RETURN(CourseView view, BuildCourse(txn, actor.clinic_id, *course, FormatDate(now)));
    const auto refusals = CheckCourseTransition(view.state, to, view.gates, reason.value_or(""));
    if (!refusals.empty()) {
      std::string message;
      for (const std::string& refusal : refusals) message += (message.empty() ? "" : "; ") + refusal;
      return Conflict(message, "to");
    }
    const bool gated = TransitionNeedsGates(to);
    KC_RETURN_IF_ERROR(
        txn.Execute("INSERT INTO course_transitions (clinic_id, course_id, sequence, from_state, to_state, reason, "
                    "protocol_version, decision_id, consent_id, reevaluation_due_on, at, by_user) VALUES (?, ?, ?, ?, "
                    "?, ?, ?, ?, ?, ?, ?, ?)",
                    {actor.clinic_id, course_id, view.last_sequence + 1, std::string(CourseStateName(view.state)),
                     std::string(CourseStateName(to)), reason.value_or(""), view.protocol_version,
                     gated ? SqlValue(view.decision_id) : SqlNull(), gated ? SqlValue(view.consent_id) : SqlNull(),
                     SqlOptional(reevaluation_due_on), FormatTimestamp(now), actor.user_id})
            .status());
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        CourseAudit("course.transition", "course", course_id, course->patient_id,
                                                    fmt::format("{} -> {}", CourseStateName(view.state),
                                                                CourseStateName(to))),
                                        now));
    KC_ASSIGN_OR_RETURN(CourseView updated, BuildCourse(txn, actor.clinic_id, *course, FormatDate(now)));
    return updated.json;
  });
  if (!result.ok() && result.error().code == ErrorCode::kConflict) {
    // A refused move is worth a trace: who tried to dose past which gate.
    // The detail names the target state only: refusal messages carry clinical values.
    AuditEntry refused = CourseAudit("course.transition", "course", course_id, std::nullopt,
                                     "refused: to " + std::string(CourseStateName(to)));
    refused.outcome = AuditOutcome::kFailed;
    KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor, refused, now));
  }
  return AuditNotFound(context_, actor, "course.transition", "course", course_id, now, std::move(result));
}

}  // namespace ketachart
