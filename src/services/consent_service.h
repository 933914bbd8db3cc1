// Informed consent: versioned consent documents per protocol (an admin's
// edit is a new version; a version may require patients to consent again),
// the patient's signature of one version (typed name, drawn signature as a
// PNG, the date signed, a witness), its expiry (signed date + the document's
// validity) and its revocation with a reason. Nothing is edited or deleted.
// The course service asks ConsentGateFor before a course may dose. Consent
// dates are compared with today's date in UTC. Thread-safe.
#pragma once

#include <string>

#include "base/json_input.h"
#include "base/result.h"
#include "clinical/protocols/protocol.h"
#include "services/actor.h"
#include "services/service_context.h"
#include "store/database.h"

namespace ketachart {

struct ConsentGate {
  bool valid = false;
  std::string message;  // names the consent and why it is not valid
  int64_t consent_id = 0;
};

// The patient's consent for `protocol` on `today` ("YYYY-MM-DD").
Result<ConsentGate> ConsentGateFor(Transaction& txn, int64_t clinic_id, int64_t patient_id, const Protocol& protocol,
                                   const std::string& today);

class ConsentService {
 public:
  static constexpr size_t kMaxSignatureBytes = 256 * 1024;  // decoded PNG
  static constexpr int kMaxListed = 100;

  explicit ConsentService(ServiceContext& context) : context_(context) {}

  // The latest document version per protocol, or every version of one protocol.
  Result<Json> ListDocuments(const Actor& actor, const std::string& protocol_id, bool all_versions);
  // Body: {"protocol_id","title","body","valid_for_days","requires_reconsent","change_reason"}.
  Result<Json> PublishDocument(const Actor& actor, const Json& body);
  // Body: {"document_id","signed_name","signature_png","signed_on","witness_name"}.
  Result<Json> RecordConsent(const Actor& actor, int64_t patient_id, const Json& body);
  Result<Json> ListConsents(const Actor& actor, int64_t patient_id);
  // One consent with its signature image.
  Result<Json> GetConsent(const Actor& actor, int64_t consent_id);
  // Body: {"reason"}.
  Result<Json> RevokeConsent(const Actor& actor, int64_t consent_id, const Json& body);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
