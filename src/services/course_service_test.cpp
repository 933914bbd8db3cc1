// The patient's course end to end through the services: intake versions,
// eligibility decisions with prescribers' overrides, consent documents and
// signed consents (expiry, revocation, re-consent), protocol versions, and a
// course that may only dose once eligibility is cleared and consent is
// valid, each refusal naming its rule. Also permissions, clinic isolation
// and the audit of every step.
#include "services/course_service.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "services/consent_service.h"
#include "services/eligibility_service.h"
#include "services/intake_service.h"
#include "services/patient_service.h"
#include "services/protocol_service.h"
#include "services/protocol_store.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

constexpr const char* kIv = "iv-racemic-ketamine";

std::string SignaturePng() {
  std::string bytes("\x89PNG\r\n\x1a\n", 8);
  bytes.append(120, '\x01');
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return "data:image/png;base64," + out;
}

// A healthy adult with a lamotrigine prescription (a C4 warning under the IV protocol).
Json IntakeWithWarning() {
  return Json{{"age_years", 41},
              {"weight_kg", 72.5},
              {"conditions", Json::array()},
              {"medications", {{{"name", "Lamotrigine"}, {"classes", {"lamotrigine"}}, {"daily_dose_mg", 100}}}},
              {"vitals", {{"systolic_mmhg", 128}, {"diastolic_mmhg", 82}, {"heart_rate_bpm", 70}}},
              {"goals", "sleep through the night"}};
}

class CourseServiceTest : public ServiceTest {
 protected:
  CourseServiceTest()
      : intakes_(context()),
        eligibility_(context()),
        consents_(context()),
        courses_(context()),
        protocols_(context()),
        patients_(context()) {
    north_ = AddClinic("NRK");
    harbor_ = AddClinic("HMC");
    prescriber_ = AddStaff("dr.okoro", north_, {Role::kPrescriber});
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
    therapist_ = AddStaff("therapist.jordan", north_, {Role::kTherapist});
    desk_ = AddStaff("desk.priya", north_, {Role::kFrontDesk});
    admin_ = AddStaff("admin.lee", north_, {Role::kAdmin});
    harbor_prescriber_ = AddStaff("dr.tomasz", harbor_, {Role::kPrescriber});
    patient_ = Must(patients_.RegisterPatient(nurse_.actor, {{"family_name", "Okafor"},
                                                             {"given_names", "Adaeze"},
                                                             {"birth_date", "1984-03-09"},
                                                             {"sex", "female"}}))["id"]
                   .get<int64_t>();
  }

  int64_t PublishConsentDocument(int days = 365, bool requires_reconsent = false) {
    return Must(consents_.PublishDocument(admin_.actor, {{"protocol_id", kIv},
                                                         {"title", "Consent to IV ketamine"},
                                                         {"body", "Risks, benefits and alternatives ..."},
                                                         {"valid_for_days", days},
                                                         {"requires_reconsent", requires_reconsent},
                                                         {"change_reason", "first version"}}))["id"]
        .get<int64_t>();
  }

  Json Sign(int64_t document_id, const std::string& signed_on = std::string(test_support::kToday)) {
    return Json{{"document_id", document_id},
                {"signed_name", "Adaeze Okafor"},
                {"signature_png", SignaturePng()},
                {"signed_on", signed_on},
                {"witness_name", "Ada Nurse"}};
  }

  // Intake with a warning, evaluated, the warning overridden, consent signed.
  int64_t ReadyPatient() {
    Must(intakes_.RecordIntake(nurse_.actor, patient_, {{"intake", IntakeWithWarning()}}));
    Json decision = Must(eligibility_.Evaluate(nurse_.actor, patient_, {{"protocol_id", kIv}}));
    Must(eligibility_.OverrideWarning(prescriber_.actor, decision["id"],
                                      {{"rule_id", "C4-lamotrigine"}, {"reason", "stable for 5 years; dose reviewed"}}));
    Must(consents_.RecordConsent(nurse_.actor, patient_, Sign(PublishConsentDocument())));
    return decision["id"].get<int64_t>();
  }

  Json OpenCourse() {
    return Must(courses_.OpenCourse(prescriber_.actor, patient_, {{"protocol_id", kIv}, {"goal", "remission"}}));
  }

  IntakeService intakes_;
  EligibilityService eligibility_;
  ConsentService consents_;
  CourseService courses_;
  ProtocolService protocols_;
  PatientService patients_;
  int64_t north_ = 0, harbor_ = 0, patient_ = 0;
  Staff prescriber_, nurse_, therapist_, desk_, admin_, harbor_prescriber_;
};

TEST_F(CourseServiceTest, IntakeVersionsAreAppendedAndAmendmentsNeedAReason) {
  Json first = Must(intakes_.RecordIntake(therapist_.actor, patient_, {{"intake", IntakeWithWarning()}}));
  EXPECT_EQ(first["version"], 1);
  EXPECT_EQ(first["recorded_by"], "therapist.jordan");
  Json amended = IntakeWithWarning();
  amended["vitals"]["systolic_mmhg"] = 150;
  EXPECT_TRUE(FailsWith(intakes_.RecordIntake(nurse_.actor, patient_, {{"intake", amended}}),
                        ErrorCode::kInvalidInput, "reason"));
  Json second = Must(intakes_.RecordIntake(nurse_.actor, patient_, {{"intake", amended}, {"reason", "repeat BP"}}));
  EXPECT_EQ(second["version"], 2);
  EXPECT_NE(first["digest"], second["digest"]);
  Json list = Must(intakes_.ListIntakes(prescriber_.actor, patient_));
  ASSERT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["items"][0]["version"], 2);
  EXPECT_EQ(list["items"][1]["intake"]["vitals"]["systolic_mmhg"], 128);
  EXPECT_EQ(CountAudit("intake.record"), 2);
  EXPECT_EQ(CountAudit("intake.list"), 1);
}

TEST_F(CourseServiceTest, IntakeErrorsNameTheFieldAndWriteNothing) {
  Json bad = IntakeWithWarning();
  bad["medications"][0]["classes"] = {"not_a_class"};
  EXPECT_TRUE(FailsWith(intakes_.RecordIntake(nurse_.actor, patient_, {{"intake", bad}}), ErrorCode::kInvalidInput,
                        "intake.medications[0].classes[0]"));
  EXPECT_TRUE(FailsWith(intakes_.RecordIntake(nurse_.actor, patient_, {{"intake", IntakeWithWarning()}, {"x", 1}}),
                        ErrorCode::kInvalidInput, "x"));
  EXPECT_TRUE(FailsWith(intakes_.RecordIntake(desk_.actor, patient_, {{"intake", IntakeWithWarning()}}),
                        ErrorCode::kForbidden));
  // Another clinic's prescriber may record intakes, but not for this clinic's patient.
  EXPECT_TRUE(FailsWith(intakes_.RecordIntake(harbor_prescriber_.actor, patient_, {{"intake", IntakeWithWarning()}}),
                        ErrorCode::kNotFound));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM patient_intakes"), 0);
  EXPECT_EQ(CountAudit("intake.record", "denied"), 1);
  EXPECT_EQ(CountAudit("intake.record", "failed"), 1);
}

TEST_F(CourseServiceTest, EligibilityIsStoredWithItsInputsAndWarningsNeedAPrescribersOverride) {
  EXPECT_TRUE(FailsWith(eligibility_.Evaluate(nurse_.actor, patient_, {{"protocol_id", kIv}}), ErrorCode::kConflict,
                        "intake"));
  Json intake = Must(intakes_.RecordIntake(nurse_.actor, patient_, {{"intake", IntakeWithWarning()}}));
  EXPECT_TRUE(FailsWith(eligibility_.Evaluate(nurse_.actor, patient_, {{"protocol_id", "no-such"}}),
                        ErrorCode::kInvalidInput, "protocol_id"));
  Json decision = Must(eligibility_.Evaluate(nurse_.actor, patient_, {{"protocol_id", kIv}}));
  EXPECT_EQ(decision["outcome"], "eligible_with_warnings");
  EXPECT_EQ(decision["intake_id"], intake["id"]);
  EXPECT_EQ(decision["intake_digest"], intake["digest"]);
  EXPECT_EQ(decision["current"], true);
  EXPECT_EQ(decision["cleared"], false);
  EXPECT_EQ(decision["gate_message"],
            "eligibility for IV racemic ketamine infusion v1: warning C4-lamotrigine needs a prescriber's override "
            "with a reason");
  const int64_t id = decision["id"];
  const Json override_body = {{"rule_id", "C4-lamotrigine"}, {"reason", "stable for 5 years"}};
  EXPECT_TRUE(FailsWith(eligibility_.OverrideWarning(nurse_.actor, id, override_body), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(eligibility_.OverrideWarning(prescriber_.actor, id, {{"rule_id", "C4-lamotrigine"},
                                                                               {"reason", "  "}}),
                        ErrorCode::kInvalidInput, "reason"));
  EXPECT_TRUE(FailsWith(eligibility_.OverrideWarning(prescriber_.actor, id, {{"rule_id", "C4-maoi-stimulant"},
                                                                               {"reason", "x"}}),
                        ErrorCode::kInvalidInput, "rule_id"));
  EXPECT_TRUE(FailsWith(eligibility_.OverrideWarning(harbor_prescriber_.actor, id, override_body),
                        ErrorCode::kNotFound));
  Json overridden = Must(eligibility_.OverrideWarning(prescriber_.actor, id, override_body));
  EXPECT_EQ(overridden["cleared"], true);
  bool found = false;
  for (const Json& f : overridden["findings"]) {
    if (f["rule_id"] == "C4-lamotrigine") {
      found = true;
      EXPECT_EQ(f["override"]["by"], "dr.okoro");
      EXPECT_EQ(f["override"]["reason"], "stable for 5 years");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(FailsWith(eligibility_.OverrideWarning(prescriber_.actor, id, override_body), ErrorCode::kConflict,
                        "rule_id"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM eligibility_overrides"), 1);
  EXPECT_EQ(CountAudit("eligibility.override", "success"), 1);
  EXPECT_EQ(CountAudit("eligibility.override", "denied"), 1);
  EXPECT_EQ(CountAudit("eligibility.override", "failed"), 1);  // the other clinic's probe

  // A new intake version is evaluated at once; the old decision is stale and
  // its override does not carry over, so the prescriber must look again.
  Json v2 = Must(intakes_.RecordIntake(nurse_.actor, patient_, {{"intake", IntakeWithWarning()}, {"reason", "re-checked"}}));
  ASSERT_EQ(v2["reevaluated_decisions"].size(), 1u);
  Json list = Must(eligibility_.ListDecisions(prescriber_.actor, patient_, kIv));
  ASSERT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["items"][0]["id"], v2["reevaluated_decisions"][0]);
  EXPECT_EQ(list["items"][0]["intake_version"], 2);
  EXPECT_EQ(list["items"][0]["current"], true);
  EXPECT_EQ(list["items"][0]["cleared"], false);
  EXPECT_EQ(list["items"][1]["current"], false);
  EXPECT_EQ(list["items"][1]["cleared"], false);
  EXPECT_EQ(list["items"][1]["stale_reason"], "intake v2 was recorded after this decision");
  auto stale = eligibility_.OverrideWarning(prescriber_.actor, id, {{"rule_id", "C4-lamotrigine"}, {"reason", "x"}});
  EXPECT_TRUE(FailsWith(stale, ErrorCode::kConflict, "rule_id"));  // already overridden on the old decision
  // A decision made stale before its warning was overridden cannot be overridden any more.
  const int64_t second = v2["reevaluated_decisions"][0];
  Must(intakes_.RecordIntake(nurse_.actor, patient_, {{"intake", IntakeWithWarning()}, {"reason", "weight again"}}));
  auto late = eligibility_.OverrideWarning(prescriber_.actor, second, {{"rule_id", "C4-lamotrigine"}, {"reason", "x"}});
  ASSERT_TRUE(FailsWith(late, ErrorCode::kConflict));
  EXPECT_EQ(late.error().message,
            "the decision is out of date (intake v3 was recorded after this decision); evaluate again before "
            "overriding");
  EXPECT_EQ(CountAudit("eligibility.reevaluate"), 2);
}

TEST_F(CourseServiceTest, AHardStopCannotBeOverridden) {
  Json intake = IntakeWithWarning();
  intake["allergies"] = {{{"substance", "Ketalar"}, {"reaction", "rash"}, {"category", "ketamine"}}};
  Must(intakes_.RecordIntake(nurse_.actor, patient_, {{"intake", intake}}));
  Json decision = Must(eligibility_.Evaluate(nurse_.actor, patient_, {{"protocol_id", kIv}}));
  EXPECT_EQ(decision["outcome"], "not_eligible");
  auto refused = eligibility_.OverrideWarning(prescriber_.actor, decision["id"],
                                              {{"rule_id", "C3-ketalar-hypersensitivity"}, {"reason", "mild"}});
  ASSERT_TRUE(FailsWith(refused, ErrorCode::kConflict, "rule_id"));
  EXPECT_EQ(refused.error().message,
            "rule C3-ketalar-hypersensitivity is a hard stop (an absolute contraindication) and cannot be overridden");
  EXPECT_EQ(decision["gate_message"].get<std::string>().rfind("not eligible for IV racemic ketamine infusion v1: ", 0),
            0u)
      << decision["gate_message"];
}

TEST_F(CourseServiceTest, ConsentIsSignedOnTheCurrentDocumentExpiresAndCanBeRevoked) {
  EXPECT_TRUE(FailsWith(consents_.PublishDocument(prescriber_.actor, {{"protocol_id", kIv}}), ErrorCode::kForbidden));
  const int64_t v1 = PublishConsentDocument(30);
  Json sign = Sign(v1);
  sign["signature_png"] = "data:image/jpeg;base64,AAAA";
  EXPECT_TRUE(FailsWith(consents_.RecordConsent(nurse_.actor, patient_, sign), ErrorCode::kInvalidInput,
                        "signature_png"));
  sign["signature_png"] = "data:image/png;base64,AAAA";
  EXPECT_TRUE(FailsWith(consents_.RecordConsent(nurse_.actor, patient_, sign), ErrorCode::kInvalidInput,
                        "signature_png"));
  EXPECT_TRUE(FailsWith(consents_.RecordConsent(nurse_.actor, patient_, Sign(v1, "2026-03-12")),
                        ErrorCode::kInvalidInput, "signed_on"));
  auto too_old = consents_.RecordConsent(nurse_.actor, patient_, Sign(v1, "2026-01-01"));
  ASSERT_TRUE(FailsWith(too_old, ErrorCode::kConflict, "signed_on"));
  EXPECT_EQ(too_old.error().message, "a consent signed on 2026-01-01 would have expired on 2026-01-31 (valid for 30 days)");
  EXPECT_TRUE(FailsWith(consents_.RecordConsent(therapist_.actor, patient_, Sign(v1)), ErrorCode::kForbidden));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM patient_consents"), 0);

  Json consent = Must(consents_.RecordConsent(nurse_.actor, patient_, Sign(v1)));
  EXPECT_EQ(consent["status"], "valid");
  EXPECT_EQ(consent["expires_on"], "2026-04-09");
  EXPECT_EQ(consent.count("signature_png"), 0u);
  Json read = Must(consents_.GetConsent(prescriber_.actor, consent["id"]));
  EXPECT_EQ(read["signature_png"], SignaturePng());

  clock().Advance(std::chrono::hours(24 * 30));  // 2026-04-09
  Json list = Must(consents_.ListConsents(prescriber_.actor, patient_));
  EXPECT_EQ(list["items"][0]["status"], "expired");
  EXPECT_EQ(list["items"][0]["status_message"], "consent for IV racemic ketamine infusion v1 expired on 2026-04-09");

  Json again = Must(consents_.RecordConsent(nurse_.actor, patient_, Sign(v1, "2026-04-09")));
  EXPECT_TRUE(FailsWith(consents_.RevokeConsent(nurse_.actor, again["id"], {{"reason", ""}}),
                        ErrorCode::kInvalidInput, "reason"));
  Json revoked = Must(consents_.RevokeConsent(nurse_.actor, again["id"], {{"reason", "patient withdrew consent"}}));
  EXPECT_EQ(revoked["status"], "revoked");
  EXPECT_EQ(revoked["status_message"],
            "consent for IV racemic ketamine infusion v1 was revoked on 2026-04-09: patient withdrew consent");
  EXPECT_TRUE(FailsWith(consents_.RevokeConsent(nurse_.actor, again["id"], {{"reason", "again"}}),
                        ErrorCode::kConflict));
  EXPECT_EQ(CountAudit("consent.record", "success"), 2);
  EXPECT_EQ(CountAudit("consent.record", "denied"), 1);
  EXPECT_EQ(CountAudit("consent.revoke", "success"), 1);
}

TEST_F(CourseServiceTest, ANewDocumentVersionThatRequiresReconsentSupersedesOldConsents) {
  const int64_t v1 = PublishConsentDocument();
  Json consent = Must(consents_.RecordConsent(nurse_.actor, patient_, Sign(v1)));
  const int64_t v2 = PublishConsentDocument(365, true);
  EXPECT_TRUE(FailsWith(consents_.RecordConsent(nurse_.actor, patient_, Sign(v1)), ErrorCode::kConflict,
                        "document_id"));
  Json list = Must(consents_.ListConsents(nurse_.actor, patient_));
  EXPECT_EQ(list["items"][0]["status"], "superseded");
  EXPECT_EQ(list["items"][0]["status_message"],
            "consent for IV racemic ketamine infusion v1 is superseded: consent document v2 requires the patient to "
            "consent again");
  Json docs = Must(consents_.ListDocuments(nurse_.actor, kIv, false));
  ASSERT_EQ(docs["items"].size(), 1u);
  EXPECT_EQ(docs["items"][0]["id"], v2);
  EXPECT_EQ(Must(consents_.ListDocuments(nurse_.actor, kIv, true))["items"].size(), 2u);
  (void)consent;
}

TEST_F(CourseServiceTest, ACourseDosesOnlyWithClearedEligibilityAndValidConsent) {
  Json course = OpenCourse();
  EXPECT_EQ(course["state"], "evaluation");
  EXPECT_EQ(course["transitions"].size(), 1u);
  EXPECT_TRUE(FailsWith(courses_.OpenCourse(prescriber_.actor, patient_, {{"protocol_id", kIv}}),
                        ErrorCode::kConflict, "protocol_id"));
  const int64_t id = course["id"];
  auto refused = courses_.Transition(prescriber_.actor, id, {{"to", "induction"}});
  ASSERT_TRUE(FailsWith(refused, ErrorCode::kConflict, "to"));
  EXPECT_EQ(refused.error().message,
            "eligibility for IV racemic ketamine infusion v1 has not been evaluated; no consent for IV racemic "
            "ketamine infusion has been recorded");
  EXPECT_EQ(CountAudit("course.transition", "failed"), 1);

  const int64_t decision_id = ReadyPatient();
  EXPECT_TRUE(FailsWith(courses_.Transition(nurse_.actor, id, {{"to", "induction"}}), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(courses_.Transition(prescriber_.actor, id, {{"to", "booster"}}), ErrorCode::kConflict, "to"));
  Json inducted = Must(courses_.Transition(prescriber_.actor, id, {{"to", "induction"}, {"reason", "six infusions"}}));
  EXPECT_EQ(inducted["state"], "induction");
  EXPECT_EQ(inducted["transitions"][1]["decision_id"], decision_id);
  EXPECT_EQ(inducted["transitions"][1]["from"], "evaluation");
  EXPECT_EQ(inducted["transitions"][1]["by"], "dr.okoro");
  Json maintenance = Must(courses_.Transition(prescriber_.actor, id, {{"to", "maintenance"},
                                                                       {"reevaluation_due_on", "2026-04-10"}}));
  EXPECT_EQ(maintenance["reevaluation_due_on"], "2026-04-10");
  EXPECT_TRUE(FailsWith(courses_.Transition(prescriber_.actor, id, {{"to", "discontinued"}}), ErrorCode::kConflict,
                        "to"));
  Json stopped = Must(courses_.Transition(prescriber_.actor, id, {{"to", "discontinued"}, {"reason", "moved away"}}));
  EXPECT_EQ(stopped["state"], "discontinued");
  EXPECT_TRUE(stopped["allowed"].empty());
  EXPECT_EQ(CountAudit("course.transition", "success"), 3);  // induction, maintenance, discontinued
  EXPECT_EQ(CountAudit("course.transition", "failed"), 3);  // induction too early, booster, no reason
  EXPECT_EQ(CountAudit("course.transition", "denied"), 1);  // the nurse
  // History is append-only in the store itself.
  EXPECT_FALSE(database()
                   .Run(TransactionMode::kReadWrite,
                        [](Transaction& txn) { return txn.Execute("DELETE FROM course_transitions").status(); })
                   .ok());
}

TEST_F(CourseServiceTest, ABoosterNeedsTheGatesAgainAndANewProtocolVersionMakesTheDecisionStale) {
  ReadyPatient();
  const int64_t id = OpenCourse()["id"];
  Must(courses_.Transition(prescriber_.actor, id, {{"to", "induction"}}));
  Must(courses_.Transition(prescriber_.actor, id, {{"to", "maintenance"}}));
  // An admin publishes protocol v2: the decision was made against v1.
  Json document = Must(protocols_.GetProtocol(admin_.actor, kIv))["protocol"];
  document["version"] = 2;
  EXPECT_TRUE(FailsWith(protocols_.PublishVersion(prescriber_.actor, kIv, {{"document", document},
                                                                           {"change_reason", "x"}}),
                        ErrorCode::kForbidden));
  Json wrong = document;
  wrong["version"] = 3;
  EXPECT_TRUE(FailsWith(protocols_.PublishVersion(admin_.actor, kIv, {{"document", wrong}, {"change_reason", "x"}}),
                        ErrorCode::kInvalidInput, "document.version"));
  Json uncited = document;
  uncited["eligibility"][0]["source"] = "nowhere";
  EXPECT_TRUE(FailsWith(protocols_.PublishVersion(admin_.actor, kIv, {{"document", uncited}, {"change_reason", "x"}}),
                        ErrorCode::kInvalidInput));
  Json published = Must(protocols_.PublishVersion(admin_.actor, kIv, {{"document", document},
                                                                      {"change_reason", "clinic review"}}));
  EXPECT_EQ(published["version"], 2);
  EXPECT_EQ(published["origin"], "clinic");
  EXPECT_EQ(published["versions"].size(), 2u);
  // Another clinic still uses the shipped version.
  EXPECT_EQ(Must(protocols_.GetProtocol(harbor_prescriber_.actor, kIv))["version"], 1);

  // The open course's patient was evaluated against v2 when it was published.
  EXPECT_EQ(published["reevaluated_patients"], 1);
  auto refused = courses_.Transition(prescriber_.actor, id, {{"to", "booster"}});
  ASSERT_TRUE(FailsWith(refused, ErrorCode::kConflict, "to"));
  EXPECT_EQ(refused.error().message,
            "eligibility for IV racemic ketamine infusion v2: warning C4-lamotrigine needs a prescriber's override "
            "with a reason");
  Json decision = Must(eligibility_.ListDecisions(prescriber_.actor, patient_, kIv))["items"][0];
  EXPECT_EQ(decision["protocol_version"], 2);
  EXPECT_EQ(decision["current"], true);
  Must(eligibility_.OverrideWarning(prescriber_.actor, decision["id"],
                                    {{"rule_id", "C4-lamotrigine"}, {"reason", "unchanged"}}));
  Json booster = Must(courses_.Transition(prescriber_.actor, id, {{"to", "booster"}, {"reason", "relapse"}}));
  EXPECT_EQ(booster["state"], "booster");
  EXPECT_EQ(booster["transitions"].back()["protocol_version"], 2);
}

TEST_F(CourseServiceTest, ReadsAreAuditedAndOtherClinicsSeeNothing) {
  ReadyPatient();
  const int64_t id = OpenCourse()["id"];
  EXPECT_TRUE(FailsWith(courses_.GetCourse(harbor_prescriber_.actor, id), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(courses_.ListCourses(harbor_prescriber_.actor, patient_), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(courses_.ListCourses(desk_.actor, patient_), ErrorCode::kForbidden));
  Must(courses_.GetCourse(therapist_.actor, id));
  EXPECT_EQ(CountAudit("course.read", "success"), 1);
  EXPECT_EQ(CountAudit("course.read", "failed"), 1);
  EXPECT_EQ(CountAudit("course.list", "denied"), 1);
}

}  // namespace
}  // namespace ketachart
