// The demo clinic's intakes, decisions, consents and courses (see demo_course.h).
#include "services/demo_course.h"

#include <fmt/format.h>

#include <map>

#include "services/consent_service.h"
#include "services/course_service.h"
#include "services/eligibility_service.h"
#include "services/intake_service.h"
#include "services/protocol_store.h"

namespace ketachart {
namespace {

// A 1x1 PNG: the demo's stand-in for a drawn signature.
constexpr const char* kDemoSignature =
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5E"
    "rkJggg==";

struct DemoCourse {
  const char* protocol_id;
  Json extra;                  // merged into the base intake
  const char* override_reason;  // for every warning; empty: leave warnings open
  bool consent;
  std::vector<const char*> moves;  // course states to move through, in order
};

Json BaseIntake(int i) {
  return Json{{"age_years", 26 + (i * 7) % 40},
              {"weight_kg", 58 + (i * 5) % 40},
              {"conditions", Json::array()},
              {"medications", Json::array()},
              {"vitals", {{"systolic_mmhg", 112 + (i * 3) % 30}, {"diastolic_mmhg", 70 + i % 12},
                          {"heart_rate_bpm", 64 + i % 20}, {"spo2_percent", 97 + i % 3}}},
              {"psychiatric_history_notes", "Demo: treatment-resistant symptoms after two adequate trials."},
              {"goals", "Demo: fewer bad days; back to work"}};
}

const std::vector<DemoCourse>& Courses() {
  static const std::vector<DemoCourse> courses = {
      {"iv-racemic-ketamine", Json::object(), "", true, {}},
      {"iv-racemic-ketamine",
       {{"medications", {{{"name", "lamotrigine 100 mg daily"}, {"classes", {"lamotrigine"}}}}}},
       "Stable dose for 3 years; neurologist agrees; monitor response.", true, {"induction"}},
      {"iv-racemic-ketamine", {{"conditions", {"hypertension"}}}, "", true, {"induction", "maintenance"}},
      {"iv-racemic-ketamine",
       {{"medications", {{{"name", "clonazepam 0.5 mg twice daily"}, {"classes", {"benzodiazepine"}},
                          {"diazepam_equivalent_mg_per_day", 20}}}}},
       "Taper to 0.25 mg twice daily agreed; dose held the evening before.", true, {"induction", "maintenance",
                                                                                  "booster"}},
      {"intranasal-esketamine", Json::object(), "", true, {"induction"}},
      {"intranasal-esketamine",
       {{"substance_use", {{{"substance", "alcohol"}, {"pattern", "history"}, {"notes", "in remission 6 years"}}}}},
       "Sustained remission; agrees to abstain on treatment days.", true, {}},
      {"kap-oral-sublingual-ketamine", Json::object(), "", true, {"induction"}},
      {"iv-racemic-ketamine", Json::object(), "", false, {}},
      {"iv-racemic-ketamine", Json::object(), "", true, {"induction", "discontinued"}},
      // Stopped by a hard stop: ketamine hypersensitivity.
      {"iv-racemic-ketamine",
       {{"allergies", {{{"substance", "ketamine"}, {"reaction", "anaphylaxis (2019)"}, {"category", "ketamine"}}}}},
       "", false, {}},
  };
  return courses;
}

}  // namespace

Status SeedDemoCourses(ServiceContext& context, const DemoCourseStaff& staff) {
  const Actor admin{staff.admin_id, "demo.admin", staff.clinic_id, {Role::kAdmin}, "demo-seed"};
  const Actor prescriber{staff.prescriber_id, "demo.prescriber", staff.clinic_id, {Role::kPrescriber}, "demo-seed"};
  const Actor nurse{staff.nurse_id, "demo.nurse", staff.clinic_id, {Role::kNurse}, "demo-seed"};
  ConsentService consents(context);
  IntakeService intakes(context);
  EligibilityService eligibility(context);
  CourseService courses(context);

  std::map<std::string, int64_t> document_ids;
  for (const auto& protocol : ShippedProtocols()) {
    KC_ASSIGN_OR_RETURN(
        Json document,
        consents.PublishDocument(
            admin, {{"protocol_id", protocol->id},
                    {"title", "Consent to treatment: " + protocol->title},
                    {"body", "DEMO TEXT - replace with your clinic's reviewed consent document.\n\n"
                             "What the treatment is, how it is given and monitored, its common and serious risks, "
                             "its expected benefits, the alternatives, what to do before and after a session, and "
                             "that consent may be withdrawn at any time."},
                    {"valid_for_days", 365},
                    {"requires_reconsent", false},
                    {"change_reason", "demo clinic set-up"}}));
    document_ids[protocol->id] = document["id"];
  }

  KC_ASSIGN_OR_RETURN(SqlRows patients, context.database.Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
    return txn.Query("SELECT id, document FROM patients WHERE clinic_id = ? ORDER BY id LIMIT ?",
                     {staff.clinic_id, static_cast<int64_t>(Courses().size())});
  }));
  const std::string today = FormatDate(context.clock.Now());
  for (size_t i = 0; i < patients.size(); ++i) {
    const DemoCourse& plan = Courses()[i];
    const int64_t patient_id = patients[i].Int(0);
    const Json chart = Json::parse(patients[i].Text(1));
    Json intake = BaseIntake(static_cast<int>(i));
    for (const auto& [key, value] : plan.extra.items()) intake[key] = value;
    KC_RETURN_IF_ERROR(intakes.RecordIntake(nurse, patient_id, {{"intake", intake}}).status());
    KC_ASSIGN_OR_RETURN(Json decision, eligibility.Evaluate(nurse, patient_id, {{"protocol_id", plan.protocol_id}}));
    if (plan.override_reason[0] != '\0') {
      for (const Json& finding : decision["findings"]) {
        if (finding["severity"] != "warning") continue;
        KC_RETURN_IF_ERROR(eligibility
                               .OverrideWarning(prescriber, decision["id"],
                                                {{"rule_id", finding["rule_id"]}, {"reason", plan.override_reason}})
                               .status());
      }
    }
    if (plan.consent) {
      const std::string name =
          chart.value("given_names", std::string("Demo")) + " " + chart.value("family_name", std::string("Patient"));
      KC_RETURN_IF_ERROR(consents
                             .RecordConsent(nurse, patient_id,
                                            {{"document_id", document_ids[plan.protocol_id]},
                                             {"signed_name", name},
                                             {"signature_png", kDemoSignature},
                                             {"signed_on", today},
                                             {"witness_name", "Maria Lindqvist, RN"}})
                             .status());
    }
    KC_ASSIGN_OR_RETURN(Json course, courses.OpenCourse(prescriber, patient_id,
                                                        {{"protocol_id", plan.protocol_id},
                                                         {"goal", "Demo: response (50% fewer symptoms) by week 4"}}));
    for (const char* state : plan.moves) {
      Json move = {{"to", state}, {"reason", fmt::format("demo: moved to {}", state)}};
      KC_RETURN_IF_ERROR(courses.Transition(prescriber, course["id"], move).status());
    }
  }
  return Status::Ok();
}

}  // namespace ketachart
