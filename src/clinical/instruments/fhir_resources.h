// FHIR R4 views of the instruments and their scored responses: the
// Questionnaire (the data file without KetaChart's scoring block), a
// QuestionnaireResponse for one set of answers, and an Observation for the
// total (LOINC-coded where clinical-reference.md gives a code: PHQ-9 44261-6,
// GAD-7 70274-6) with subscales as components and the band as
// interpretation. Pure JSON building; no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/json_input.h"
#include "base/result.h"
#include "clinical/instruments/instrument.h"

namespace ketachart {

// Who and when, for the response and the observation (both optional).
struct FhirResponseContext {
  std::string subject_reference;  // e.g. "Patient/123"
  std::string date_time;          // FHIR dateTime, e.g. "2026-03-10T09:30:00Z"
};

Json QuestionnaireResource(const CompiledInstrument& instrument);

// The answers must score (same checks as ScoreResponse); unanswered and
// skipped items are left out of the response.
Result<Json> QuestionnaireResponseResource(const CompiledInstrument& instrument,
                                           const std::vector<int16_t>& answers,
                                           const FhirResponseContext& context);

Result<Json> ObservationResource(const CompiledInstrument& instrument, const std::vector<int16_t>& answers,
                                 const FhirResponseContext& context);

}  // namespace ketachart
