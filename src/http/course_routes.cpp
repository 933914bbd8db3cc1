// /api/v1/protocols, intakes, eligibility decisions, consent documents and
// consents, treatment courses: the patient's course before and between
// dosing sessions (docs/course.md). Handlers only translate; the services
// check permissions, run one transaction each and audit.
#include "http/api_server.h"
#include "http/responses.h"
#include "http/route_handlers.h"

namespace ketachart {

void AddCourseRoutes(Router& router, ApiServices& s) {
  router.Add({"GET", "/api/v1/protocols", Access::kSession, "course",
              "The clinic's active version of each treatment protocol, with its unconfirmed values", "", "", {}, 200,
              [&s](RouteContext& ctx) { return ResultResponse(s.protocols.ListProtocols(ctx.actor())); }});
  router.Add({"GET", "/api/v1/protocols/{protocol}", Access::kSession, "course",
              "One protocol: the active document and its version history", "", "", {}, 200,
              [&s](RouteContext& ctx) {
                return ResultResponse(s.protocols.GetProtocol(ctx.actor(), ctx.path_params.at("protocol")));
              }});
  router.Add({"POST", "/api/v1/protocols/{protocol}/versions", Access::kSession, "course",
              "Publish a new version of a protocol (strictly validated; the next version number)", "protocol.admin",
              "{\"document\": protocol document, \"change_reason\": string}", {}, 201, [&s](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(
                    s.protocols.PublishVersion(ctx.actor(), ctx.path_params.at("protocol"), body.value()), 201);
              }});
  router.Add({"GET", "/api/v1/intake-vocabulary", Access::kSession, "course",
              "The coded words of an intake (conditions, medication classes, ...) with labels", "", "", {}, 200,
              [](RouteContext&) { return JsonResponse(200, IntakeService::Vocabulary()); }});
  router.Add({"POST", "/api/v1/patients/{id}/intakes", Access::kSession, "course",
              "Record a new version of the patient's intake (an amendment needs a reason)", "intake.write",
              "{\"intake\": intake document, \"reason\": string}", {}, 201,
              WithIdAndBody([&s](const Actor& a, int64_t id, const Json& b) { return s.intakes.RecordIntake(a, id, b); },
                            201)});
  router.Add({"GET", "/api/v1/patients/{id}/intakes", Access::kSession, "course",
              "The patient's intake versions, newest first", "course.read", "", {}, 200,
              WithId([&s](const Actor& a, int64_t id, RouteContext&) { return s.intakes.ListIntakes(a, id); })});
  router.Add({"POST", "/api/v1/patients/{id}/eligibility", Access::kSession, "course",
              "Evaluate the newest intake against the clinic's active version of a protocol and store the decision",
              "intake.write", "{\"protocol_id\": string}", {}, 201,
              WithIdAndBody([&s](const Actor& a, int64_t id, const Json& b) { return s.eligibility.Evaluate(a, id, b); },
                            201)});
  router.Add({"GET", "/api/v1/patients/{id}/eligibility", Access::kSession, "course",
              "The patient's eligibility decisions, newest first, each saying whether it is current and cleared",
              "course.read", "", {{"protocol", "only this protocol id"}}, 200,
              WithId([&s](const Actor& a, int64_t id, RouteContext& ctx) {
                return s.eligibility.ListDecisions(a, id, ctx.request.Query("protocol").value_or(""));
              })});
  router.Add({"POST", "/api/v1/eligibility-decisions/{id}/overrides", Access::kSession, "course",
              "Override one warning of a current decision with a documented reason (prescribers)",
              "eligibility.override", "{\"rule_id\": string, \"reason\": string}", {}, 201,
              WithIdAndBody(
                  [&s](const Actor& a, int64_t id, const Json& b) { return s.eligibility.OverrideWarning(a, id, b); },
                  201)});
  router.Add({"GET", "/api/v1/consent-documents", Access::kSession, "course",
              "Consent documents: the latest version per protocol, or every version of one", "course.read", "",
              {{"protocol", "only this protocol id"}, {"all", "1: every version (needs protocol)"}}, 200,
              [&s](RouteContext& ctx) {
                const std::string all = ctx.request.Query("all").value_or("0");
                if (all != "0" && all != "1") return ErrorResponse(InvalidInput("all", "must be 0 or 1"));
                return ResultResponse(
                    s.consents.ListDocuments(ctx.actor(), ctx.request.Query("protocol").value_or(""), all == "1"));
              }});
  router.Add({"POST", "/api/v1/consent-documents", Access::kSession, "course",
              "Publish a new version of a protocol's consent document", "protocol.admin",
              "{\"protocol_id\", \"title\", \"body\", \"valid_for_days\": int, \"requires_reconsent\": bool, "
              "\"change_reason\"}",
              {}, 201, [&s](RouteContext& ctx) {
                auto body = JsonBody(ctx.request);
                if (!body.ok()) return ErrorResponse(body.error());
                return ResultResponse(s.consents.PublishDocument(ctx.actor(), body.value()), 201);
              }});
  router.Add({"POST", "/api/v1/patients/{id}/consents", Access::kSession, "course",
              "Record the patient's signed consent to the current version of a consent document", "consent.record",
              "{\"document_id\": int, \"signed_name\", \"signature_png\": PNG data URL, \"signed_on\": date, "
              "\"witness_name\"}",
              {}, 201,
              WithIdAndBody(
                  [&s](const Actor& a, int64_t id, const Json& b) { return s.consents.RecordConsent(a, id, b); }, 201)});
  router.Add({"GET", "/api/v1/patients/{id}/consents", Access::kSession, "course",
              "The patient's consents, newest first, each with its status (without signature images)", "course.read",
              "", {}, 200,
              WithId([&s](const Actor& a, int64_t id, RouteContext&) { return s.consents.ListConsents(a, id); })});
  router.Add({"GET", "/api/v1/consents/{id}", Access::kSession, "course", "One consent with its signature image",
              "course.read", "", {}, 200,
              WithId([&s](const Actor& a, int64_t id, RouteContext&) { return s.consents.GetConsent(a, id); })});
  router.Add({"POST", "/api/v1/consents/{id}/revoke", Access::kSession, "course",
              "Revoke a consent with a reason (the consent is kept, marked revoked)", "consent.record",
              "{\"reason\": string}", {}, 200,
              WithIdAndBody(
                  [&s](const Actor& a, int64_t id, const Json& b) { return s.consents.RevokeConsent(a, id, b); })});
  router.Add({"POST", "/api/v1/patients/{id}/courses", Access::kSession, "course",
              "Open a treatment course under a protocol (state evaluation)", "course.plan",
              "{\"protocol_id\": string, \"goal\": string}", {}, 201,
              WithIdAndBody([&s](const Actor& a, int64_t id, const Json& b) { return s.courses.OpenCourse(a, id, b); },
                            201)});
  router.Add({"GET", "/api/v1/patients/{id}/courses", Access::kSession, "course",
              "The patient's treatment courses, newest first, with state, history and readiness", "course.read", "",
              {}, 200,
              WithId([&s](const Actor& a, int64_t id, RouteContext&) { return s.courses.ListCourses(a, id); })});
  router.Add({"GET", "/api/v1/courses/{id}", Access::kSession, "course", "One treatment course", "course.read", "",
              {}, 200, WithId([&s](const Actor& a, int64_t id, RouteContext&) { return s.courses.GetCourse(a, id); })});
  router.Add({"POST", "/api/v1/courses/{id}/transitions", Access::kSession, "course",
              "Move a course to another state; refused with every rule that blocks it", "course.plan",
              "{\"to\": state, \"reason\": string, \"reevaluation_due_on\": date}", {}, 200,
              WithIdAndBody(
                  [&s](const Actor& a, int64_t id, const Json& b) { return s.courses.Transition(a, id, b); })});
}

}  // namespace ketachart
