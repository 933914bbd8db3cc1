// The dosing session at the chair: check-in against a treatment course, the
// readiness checklist (clinical/session), the prescriber's dose order
// (clinical/pk dose calculator and a predicted plasma concentration from the
// protocol drug's model), and the timeline staff record minute by minute —
// start, rate changes, pauses, stop, rescue medication, vitals by hand,
// MOAA/S, CADSS and modified Aldrete scores, adverse events — then recovery,
// the protocol's discharge criteria and discharge with an escort. Every
// event is appended (session_events) after the state machine allows it, in
// the same transaction as its audit event; the session runs under the
// protocol version it was checked in with. Thread-safe.
#pragma once

#include <string>

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/service_context.h"

namespace ketachart {

class SessionService {
 public:
  explicit SessionService(ServiceContext& context) : context_(context) {}

  // Body: {"course_id", "chair", "appointment_id"?}. 201 the new session.
  Result<Json> CheckIn(const Actor& actor, const Json& body);
  Result<Json> GetSession(const Actor& actor, int64_t session_id);
  // The clinic's sessions checked in on `date` ("YYYY-MM-DD", the clinic's
  // local day; empty: today there), each with patient, phase, phase timer and
  // what is due next.
  Result<Json> DayList(const Actor& actor, const std::string& date);
  // Body: the checklist answers; stores the evaluation (passed or not).
  Result<Json> RecordReadiness(const Actor& actor, int64_t session_id, const Json& body);
  // Body: {"dose_mg_per_kg" | "dose_mg", "vial_strength_mg_per_ml", "diluent_ml", "duration_min", "rounding_step_mg"}.
  Result<Json> OrderDose(const Actor& actor, int64_t session_id, const Json& body);
  // Body: {"kind", "occurred_at"?, ...the kind's fields}.
  Result<Json> RecordEvent(const Actor& actor, int64_t session_id, const Json& body);

 private:
  ServiceContext& context_;
};

}  // namespace ketachart
