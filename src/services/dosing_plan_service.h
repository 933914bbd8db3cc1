// Pharmacology use cases over HTTP: the shipped PK models, a simulation for a
// given weight, and a patient's dosing plan, which uses the patient's latest
// recorded weight (its value and date are returned with the prediction). All
// need patient.read; a patient's plan reads the chart through PatientService,
// so that read is audited like any chart read. The computation itself is the
// pure engine in clinical/pk/. Thread-safe.
#pragma once

#include "base/json_input.h"
#include "base/result.h"
#include "services/actor.h"
#include "services/patient_service.h"
#include "services/service_context.h"

namespace ketachart {

class DosingPlanService {
 public:
  DosingPlanService(ServiceContext& context, PatientService& patients) : context_(context), patients_(patients) {}

  Result<Json> ListModels(const Actor& actor);
  // Body: model, weight_kg, infusions, boluses, pauses, intranasal, times, effect_site, threshold_ng_per_ml.
  Result<Json> Simulate(const Actor& actor, const Json& body);
  // The same body without weight_kg: the patient's latest recorded weight is used.
  Result<Json> PatientDosingPlan(const Actor& actor, int64_t patient_id, const Json& body);

 private:
  ServiceContext& context_;
  PatientService& patients_;
};

}  // namespace ketachart
