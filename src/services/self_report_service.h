// Patient self-report through a single-use, expiring link: staff create a
// link for one patient and one self-report instrument (the token is shown
// once; only its SHA-256 is stored); the patient, without an account, opens
// the form and submits answers once before the link expires. The answers are
// scored and land in the chart with their safety alerts, in the same
// transaction that marks the link used, audited as "patient-link:<id>".
// An unknown, used or expired link is refused and nothing is stored. The
// token travels in request bodies, never in a server URL. Thread-safe.
#pragma once

#include <string>

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

class SelfReportService {
 public:
  static constexpr int kDefaultHours = 72;
  static constexpr int kMaxHours = 14 * 24;

  explicit SelfReportService(ServiceContext& context) : context_(context) {}

  // Body: {"instrument": key of a self_report instrument whose item text ships (PHQ-9, GAD-7),
  //        "expires_in_hours": 1..336 (default 72)}.
  // Returns {"id", "token", "instrument", "expires_at"}; the token is not stored and not shown again.
  Result<Json> CreateLink(const Actor& actor, int64_t patient_id, const Json& body);
  // {"instrument", "title", "questionnaire", "expires_at"} for a usable link (no patient data).
  Result<Json> OpenForm(const std::string& token, const std::string& client_address);
  // Body: {"token", "answers": [int|null...]}. Returns {"received": true}.
  Result<Json> Submit(const Json& body, const std::string& client_address);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
