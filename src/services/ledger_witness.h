// Witnesses of controlled-substance wastage and destruction: a second,
// different, authenticated user who re-enters their own password at the
// recorder's side (free-text witness names prove nothing). The password is
// checked outside the event's transaction (argon2id is slow by design); a
// wrong one is audited and counts toward the witness account's lockout like
// a failed log-in. Inside the event's transaction ConfirmWitness re-checks
// that the witness is still active and may record ledger events in the
// clinic. Thread-safe through the database.
#pragma once

#include <string>

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

struct WitnessCredentials {
  std::string username;
  std::string password;
};

// Reads {"username": ..., "password": ...} at `field` (e.g. "witness").
Result<WitnessCredentials> ReadWitnessCredentials(const Json& body, const std::string& field);

// The witness's user id when `credentials` are right, the account is active
// and unlocked, it is not the recorder, and it holds ledger.record in the
// recorder's clinic. Errors name `field`.
Result<int64_t> AuthenticateWitness(ServiceContext& context, const Actor& recorder,
                                    const WitnessCredentials& credentials, const std::string& field);

// Inside the event's transaction: the witness is still active with
// ledger.record in `clinic_id`.
Status ConfirmWitness(Transaction& txn, int64_t clinic_id, int64_t witness_user_id, const std::string& field);

}  // namespace ketachart
