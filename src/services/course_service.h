// Treatment courses: a patient's course under one protocol, moved between
// evaluation, induction, maintenance, booster and discontinued by the state
// machine in clinical/course. Entering induction or a booster needs a cleared
// eligibility decision for the protocol's active version and a valid consent
// (EligibilityGateFor, ConsentGateFor); each refusal names its rule. Every
// move is an appended transition recording who, when, why, the protocol
// version and the decision and consent it relied on. Thread-safe.
#pragma once

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

class CourseService {
 public:
  static constexpr int kMaxListed = 50;

  explicit CourseService(ServiceContext& context) : context_(context) {}

  // Body: {"protocol_id", "goal"}: a new course in evaluation.
  Result<Json> OpenCourse(const Actor& actor, int64_t patient_id, const Json& body);
  Result<Json> ListCourses(const Actor& actor, int64_t patient_id);
  Result<Json> GetCourse(const Actor& actor, int64_t course_id);
  // Body: {"to", "reason", "reevaluation_due_on"?}.
  Result<Json> Transition(const Actor& actor, int64_t course_id, const Json& body);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
