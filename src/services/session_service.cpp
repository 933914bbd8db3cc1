// Check-in, readiness, the dose order and the timeline (see session_service.h).
#include "services/session_service.h"

#include <fmt/format.h>

#include <cmath>

#include "base/local_time.h"
#include "base/time_zone.h"
#include "clinical/instruments/instrument_catalog.h"
#include "clinical/ledger/quantity.h"
#include "clinical/instruments/instrument_scoring.h"
#include "clinical/pk/compartment_system.h"
#include "clinical/pk/dose_calculator.h"
#include "clinical/pk/pk_model_catalog.h"
#include "clinical/pk/simulation.h"
#include "clinical/session/first_dose_rule.h"
#include "services/audit_trail.h"
#include "services/consent_service.h"
#include "services/course_records.h"
#include "services/eligibility_service.h"
#include "services/change_feed.h"
#include "services/guard.h"
#include "services/ledger_administration.h"
#include "services/ledger_input.h"
#include "services/protocol_store.h"
#include "services/read_audit_log.h"
#include "services/rems_service.h"
#include "services/session_timeline.h"

namespace ketachart {
namespace {

// After a committed session change: the Today board and the chair board
// (which shows each chair's session phase) fetch again.
void NotifySessionChange(ServiceContext& context, int64_t clinic_id) {
  NotifyChange(context.changes, clinic_id, "sessions");
  NotifyChange(context.changes, clinic_id, "monitor");
}

// The PK model used for a session's predicted concentration, by drug and
// route: Domino 1984 is the model docs/clinical-validation.md anchors against
// Zarate 2006 for 0.5 mg/kg IV over 40 min (clinical-reference.md A4).
constexpr const char* kRacemicIvModel = "domino-1984";

const ProtocolQuantity* FindQuantity(const std::vector<ProtocolQuantity>& list, const std::string& id) {
  for (const auto& q : list) {
    if (q.id == id) return &q;
  }
  return nullptr;
}

ReadinessLimit LimitOf(const Protocol& protocol, const std::string& id) {
  const ProtocolQuantity* q = FindQuantity(protocol.pre_dose_limits, id);
  if (!q) return ReadinessLimit{};
  ReadinessLimit limit;
  if (q->value) limit.value = static_cast<int>(std::lround(*q->value));
  limit.unconfirmed = q->unconfirmed;
  limit.quantity_id = id;
  return limit;
}

std::string ProtocolName(const Protocol& protocol) { return fmt::format("{} v{}", protocol.title, protocol.version); }

Result<std::string> CourseState(Transaction& txn, int64_t course_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT to_state FROM course_transitions WHERE course_id = ? ORDER "
                                              "BY sequence DESC LIMIT 1",
                                              {course_id}));
  return rows.empty() ? std::string("evaluation") : rows[0].Text(0);
}

// The session's event time: now, or an entered time not in the future.
Result<TimePoint> OccurredAt(const std::optional<std::string>& text, TimePoint now) {
  if (!text) return now;
  const auto parsed = ParseTimestamp(*text);
  if (!parsed) return InvalidInput("occurred_at", "must be a UTC timestamp like 2026-03-10T09:30:00.000Z");
  if (*parsed > now + std::chrono::minutes(1)) return InvalidInput("occurred_at", "must not be in the future");
  return *parsed;
}

Result<Json> ReadVitals(JsonObjectReader& reader) {
  Json vitals = Json::object();
  auto put = [&](const char* name, int64_t min, int64_t max) {
    if (auto v = reader.OptionalInteger(name, min, max)) vitals[name] = *v;
  };
  // Plausibility ranges, the same as the intake's (clinical/intake): entry errors, not clinical limits.
  put("systolic_mmhg", 40, 300);
  put("diastolic_mmhg", 20, 200);
  put("heart_rate_bpm", 20, 250);
  put("spo2_percent", 50, 100);
  put("respiratory_rate_per_min", 2, 80);
  return vitals;
}

Result<Json> ScoreEvent(const Json& body) {
  JsonObjectReader reader(body);
  reader.Allow("kind");
  reader.Allow("occurred_at");
  auto instrument_name = reader.RequiredEnum("instrument", {"moaas", "cadss", "aldrete"});
  reader.Allow("answers");
  auto note = reader.OptionalString("note", {0, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(*instrument_name);
  if (!instrument) return Internal("instrument catalog lacks " + *instrument_name);
  auto answers_it = body.find("answers");
  if (answers_it == body.end() || !answers_it->is_array() || answers_it->size() > kMaxInstrumentItems) {
    return InvalidInput("answers", "is required: an array of item values");
  }
  std::vector<int16_t> answers;
  for (size_t i = 0; i < answers_it->size(); ++i) {
    const Json& v = (*answers_it)[i];
    if (!v.is_number_integer() || v.get<int64_t>() < -1000 || v.get<int64_t>() > 1000) {
      return InvalidInput("answers[" + std::to_string(i) + "]", "must be a whole number");
    }
    answers.push_back(static_cast<int16_t>(v.get<int64_t>()));
  }
  ScoreOutcome outcome;
  ScoreResponse(*instrument, answers, outcome);
  if (!outcome.ok()) return DescribeScoreProblem(*instrument, outcome, answers.size());
  Json data = {{"instrument", instrument->key},
               {"instrument_version", instrument->version},
               {"answers", *answers_it},
               {"total", outcome.has_total ? Json(outcome.total) : Json(nullptr)},
               {"band", outcome.band >= 0 ? Json(instrument->bands[outcome.band].code) : Json(nullptr)}};
  if (note) data["note"] = *note;
  return data;
}

// The controlled-substance administration an event names: `ledger_sequence`,
// an administration already in the ledger for this patient and session
// (its lot is recorded on the event), or `administer`, the lot and location
// the dose came from, recorded in the ledger in the event's transaction
// (`pending`; an esketamine device is the protocol's `device_dose`, drawn and
// given whole; an IV start gives drawn_mg and administered_mg).
Status ReadLedgerLink(JsonObjectReader& reader, const Json& body, Transaction& txn, const Actor& actor,
                      const LoadedSession& session, Json& data, std::optional<LedgerAdministration>& pending,
                      bool device) {
  auto ledger = reader.OptionalInteger("ledger_sequence", 1, INT64_MAX);
  const Json* administer = reader.OptionalObject("administer");
  if (!reader.ok()) return Status::Ok();  // Finish() reports it
  if (ledger && administer) {
    return InvalidInput("administer", "give either ledger_sequence (an administration already recorded) or "
                                      "administer (record it now), not both");
  }
  if (ledger) {
    KC_ASSIGN_OR_RETURN(SqlRows entry,
                        txn.Query("SELECT kind, patient_id, dosing_session_id, lot_id, administered_ug FROM "
                                  "ledger_entries WHERE clinic_id = ? AND sequence = ?",
                                  {actor.clinic_id, *ledger}));
    if (entry.empty() || entry[0].Text(0) != "administer" || entry[0].Int(1) != session.patient_id ||
        entry[0].OptionalInt(2) != std::optional<int64_t>(session.id)) {
      return InvalidInput("ledger_sequence", "must be a ledger administration for this patient that names this session");
    }
    for (const SessionEventRow& e : session.events) {
      if (e.data.contains("ledger") && e.data["ledger"].value("sequence", int64_t{0}) == *ledger) {
        return InvalidInput("ledger_sequence", fmt::format("ledger entry {} is already linked to event {} of this "
                                                           "session",
                                                           *ledger, e.sequence));
      }
    }
    data["ledger"] = {{"sequence", *ledger}, {"lot_id", entry[0].Int(3)}, {"administered_ug", entry[0].Int(4)}};
  }
  if (administer) {
    JsonObjectReader item(*administer, "administer");
    auto lot_id = item.RequiredInteger("lot_id", 1, INT64_MAX);
    auto location_id = item.RequiredInteger("location_id", 1, INT64_MAX);
    std::optional<int64_t> drawn_ug, administered_ug;
    if (!device) {
      drawn_ug = ledger_internal::ReadThousandths(item, *administer, "drawn_mg", true, false);
      administered_ug = ledger_internal::ReadThousandths(item, *administer, "administered_mg", true, true);
    }
    KC_RETURN_IF_ERROR(item.Finish());
    // The ledger's draw accounting, checked here too so the refusal names the field as sent.
    if (!device && *administered_ug > *drawn_ug) {
      return InvalidInput("administer.administered_mg",
                          fmt::format("{} mg administered is more than the {} mg drawn",
                                      ledger::FormatMilligrams(ledger::Micrograms{*administered_ug}),
                                      ledger::FormatMilligrams(ledger::Micrograms{*drawn_ug})));
    }
    if (device) {
      const auto per_device = ProtocolQuantityValue(*session.protocol, "device_dose");
      if (!per_device) return Conflict("the protocol does not set device_dose (mg per device)", "administer");
      drawn_ug = administered_ug = static_cast<int64_t>(std::llround(*per_device * 1000));
    }
    if (!actor.Can(Permission::kLedgerRecord)) {
      return Forbidden("recording the administration in the ledger needs ledger.record");
    }
    pending = LedgerAdministration{*lot_id, *location_id, session.patient_id, session.id, *drawn_ug,
                                   *administered_ug, "", session.protocol->route, ""};
  }
  return Status::Ok();
}

// Each kind's own fields, strictly read; the result is the event's data. An
// administration to record in the ledger with the event comes back in `pending`.
Result<Json> ReadEventData(SessionEventKind kind, const Json& body, Transaction& txn, const Actor& actor,
                           const LoadedSession& session, std::optional<LedgerAdministration>& pending) {
  using K = SessionEventKind;
  if (kind == K::kScore) return ScoreEvent(body);
  JsonObjectReader reader(body);
  reader.Allow("kind");
  reader.Allow("occurred_at");
  Json data = Json::object();
  auto text = [&](const char* name, size_t min, size_t max, bool required) {
    auto v = required ? reader.RequiredString(name, {min, max}) : reader.OptionalString(name, {min, max});
    if (v) data[name] = *v;
  };
  switch (kind) {
    case K::kStart: {
      KC_RETURN_IF_ERROR(ReadLedgerLink(reader, body, txn, actor, session, data, pending, /*device=*/false));
      KC_RETURN_IF_ERROR(reader.Finish());
      return data;
    }
    case K::kDevice: {
      const int next = session.progress.devices_given + 1;
      auto number = reader.OptionalInteger("device_number", 1, 3);
      auto observed_by = reader.OptionalString("observed_by", {1, 200});
      text("note", 0, 500, false);
      KC_RETURN_IF_ERROR(ReadLedgerLink(reader, body, txn, actor, session, data, pending, /*device=*/true));
      KC_RETURN_IF_ERROR(reader.Finish());
      if (number && *number != next) {
        return InvalidInput("device_number", fmt::format("the next device is device {} ({} given so far)", next,
                                                         next - 1));
      }
      data["device_number"] = next;
      data["observed_by"] = observed_by && observed_by->find_first_not_of(" \t") != std::string::npos
                                ? *observed_by
                                : actor.username;
      return data;
    }
    case K::kRateChange: {
      auto rate = reader.OptionalNumber("rate_ml_per_h", 0.1, 2000);
      text("reason", 0, 500, false);
      KC_RETURN_IF_ERROR(reader.Finish());
      if (!rate) return InvalidInput("rate_ml_per_h", "is required (0.1-2000 mL/h)");
      data["rate_ml_per_h"] = *rate;
      return data;
    }
    case K::kPause:
    case K::kCancel:
      text("reason", 1, 500, true);
      KC_RETURN_IF_ERROR(reader.Finish());
      return data;
    case K::kResume:
    case K::kReadyForDischarge:
      text("note", 0, 500, false);
      KC_RETURN_IF_ERROR(reader.Finish());
      return data;
    case K::kStop: {
      text("reason", 0, 500, false);
      auto completed = reader.OptionalBool("completed");
      KC_RETURN_IF_ERROR(reader.Finish());
      data["completed"] = completed.value_or(true);
      return data;
    }
    case K::kRescueMedication: {
      text("medication", 1, 200, true);
      auto dose = reader.OptionalNumber("dose", 0.001, 100000);
      auto unit = reader.RequiredEnum("unit", {"mg", "mcg", "mL", "units"});
      auto route = reader.RequiredEnum("route", {"intravenous", "intramuscular", "oral", "sublingual", "subcutaneous",
                                                 "intranasal", "inhaled"});
      text("reason", 1, 500, true);
      KC_RETURN_IF_ERROR(reader.Finish());
      if (!dose) return InvalidInput("dose", "is required (a positive number)");
      data["dose"] = *dose;
      data["unit"] = *unit;
      data["route"] = *route;
      return data;
    }
    case K::kVitals: {
      KC_ASSIGN_OR_RETURN(Json vitals, ReadVitals(reader));
      auto source = reader.OptionalEnum("source", {"manual", "monitor"});
      KC_RETURN_IF_ERROR(reader.Finish());
      if (vitals.empty()) return InvalidInput("systolic_mmhg", "at least one vital sign is required");
      vitals["source"] = source.value_or("manual");
      return vitals;
    }
    case K::kAdverseEvent: {
      text("description", 1, 1000, true);
      auto severity = reader.RequiredEnum("severity", {"mild", "moderate", "severe", "life_threatening"});
      text("action", 1, 1000, true);
      text("outcome", 1, 1000, true);
      KC_RETURN_IF_ERROR(reader.Finish());
      data["severity"] = *severity;
      return data;
    }
    case K::kDischarge: {
      text("escort_name", 0, 200, false);
      auto instructions = reader.OptionalBool("instructions_given");
      text("note", 0, 500, false);
      KC_RETURN_IF_ERROR(reader.Finish());
      data["instructions_given"] = instructions.value_or(false);
      return data;
    }
    default:
      return InvalidInput("kind", "this kind has its own endpoint");
  }
}

// The prescriber's order computed from the protocol, the recorded weight and the vial.
Result<Json> ComputeDoseOrder(const Protocol& protocol, const Json& body, int64_t weight_g,
                              const std::string& weight_on) {
  JsonObjectReader reader(body);
  auto per_kg = reader.OptionalNumber("dose_mg_per_kg", 0.001, 20);
  auto dose_mg = reader.OptionalNumber("dose_mg", 0.1, 2000);
  auto vial = reader.OptionalNumber("vial_strength_mg_per_ml", 1, 1000);
  auto diluent = reader.OptionalNumber("diluent_ml", 0, 2000);
  auto duration = reader.OptionalNumber("duration_min", 1, 600);
  auto step = reader.OptionalNumber("rounding_step_mg", 0, 100);
  KC_RETURN_IF_ERROR(reader.Finish());
  const bool injected = protocol.route == "intravenous" || protocol.route == "intramuscular";
  const std::string name = ProtocolName(protocol);
  Json order = {{"protocol", name}, {"route", protocol.route}, {"weight_kg", weight_g / 1000.0},
                {"weight_measured_on", weight_on}};
  if (injected) {
    if (!per_kg) return InvalidInput("dose_mg_per_kg", "is required for " + protocol.route + " dosing");
    if (!vial) return InvalidInput("vial_strength_mg_per_ml", "is required (10, 50 or 100 mg/mL)");
    const ProtocolQuantity* max = FindQuantity(protocol.dosing_parameters, "dose_range_max");
    if (max && max->value && *per_kg > *max->value + 1e-9) {
      return InvalidInput("dose_mg_per_kg", fmt::format("{:g} mg/kg is above the protocol's maximum of {:g} mg/kg "
                                                        "(dose_range_max, {}, source {})",
                                                        *per_kg, *max->value, name, max->source));
    }
    if (protocol.route == "intravenous" && !duration) {
      return InvalidInput("duration_min", "is required for an infusion (the pump rate depends on it)");
    }
    pk::DoseOrder dose{pk::MilligramsPerKilogram(*per_kg),
                       {pk::Kilograms(weight_g / 1000.0), weight_on},
                       pk::Milligrams(step.value_or(0)),
                       std::nullopt,
                       pk::MilligramsPerMillilitre(*vial),
                       diluent ? std::optional<pk::Millilitres>(pk::Millilitres(*diluent)) : std::nullopt,
                       duration ? std::optional<pk::Minutes>(pk::Minutes(*duration)) : std::nullopt};
    KC_ASSIGN_OR_RETURN(pk::DoseCalculation calc, pk::CalculateDose(dose));
    order["dose_mg_per_kg"] = *per_kg;
    order["dose_mg"] = calc.dose.value();
    order["vial_strength_mg_per_ml"] = *vial;
    order["volume_to_draw_ml"] = calc.volume_to_draw.value();
    order["final_volume_ml"] = calc.final_volume.value();
    order["final_concentration_mg_per_ml"] = calc.final_concentration.value();
    if (max && max->value) order["protocol_maximum_mg_per_kg"] = *max->value;
    if (calc.pump_rate) order["pump_rate_ml_per_h"] = calc.pump_rate->value();
    if (duration) order["duration_min"] = *duration;
    if (protocol.route == "intravenous" && protocol.drug == "racemic_ketamine") {
      auto model = pk::FindModel(kRacemicIvModel);
      if (model.ok()) {
        pk::PatientCovariates covariates;
        covariates.weight = pk::Kilograms(weight_g / 1000.0);
        KC_ASSIGN_OR_RETURN(pk::CompartmentSystem system, pk::BuildCompartmentSystem(*model.value(), covariates));
        pk::DosingPlan plan;
        plan.infusions.push_back({pk::Minutes(0), calc.dose, pk::Minutes(*duration)});
        std::vector<pk::Minutes> times;
        for (int minute = 0; minute <= static_cast<int>(*duration) + 120; ++minute) times.push_back(pk::Minutes(minute));
        KC_ASSIGN_OR_RETURN(pk::SimulationResult result, pk::Simulate(system, plan, times, {}));
        order["prediction"] = {{"model", model.value()->id},
                               {"citation", model.value()->citation},
                               {"peak_plasma_ng_per_ml", result.peak_plasma.value()},
                               {"peak_minute", result.peak_time.value()}};
      }
    }
    return order;
  }
  if (!dose_mg && per_kg) dose_mg = *per_kg * weight_g / 1000.0;
  if (!dose_mg) return InvalidInput("dose_mg", "is required for " + protocol.route + " dosing");
  order["dose_mg"] = *dose_mg;
  if (protocol.route == "intranasal") {
    KC_ASSIGN_OR_RETURN(int devices, pk::EsketamineDevices(pk::Milligrams(*dose_mg)));
    const ProtocolQuantity* high = FindQuantity(protocol.dosing_parameters, "dose_high");
    if (high && high->value && *dose_mg > *high->value + 1e-9) {
      return InvalidInput("dose_mg", fmt::format("{:g} mg is above the protocol's highest dose of {:g} mg (dose_high, "
                                                 "{})",
                                                 *dose_mg, *high->value, name));
    }
    order["devices"] = devices;
    if (auto rest = ProtocolQuantityValue(protocol, "rest_between_devices")) order["rest_between_devices_min"] = *rest;
  } else {
    const ProtocolQuantity* max = FindQuantity(protocol.dosing_parameters, "oral_fixed_dose_max");
    if (max && max->value && *dose_mg > *max->value + 1e-9) {
      return InvalidInput("dose_mg", fmt::format("{:g} mg is above the protocol's maximum of {:g} mg "
                                                 "(oral_fixed_dose_max, {})",
                                                 *dose_mg, *max->value, name));
    }
  }
  return order;
}

// A quantity of the dosing parameters or the schedule (mdsi_dose sits in a schedule item).
const ProtocolQuantity* DosingQuantity(const Protocol& protocol, const std::string& id) {
  if (const ProtocolQuantity* q = FindQuantity(protocol.dosing_parameters, id)) return q;
  for (const ProtocolItem& item : protocol.dosing_schedule) {
    if (const ProtocolQuantity* q = FindQuantity(item.quantities, id)) return q;
  }
  return nullptr;
}

FirstDoseLimit FirstDoseLimitOf(const Protocol& protocol, const std::string& id) {
  FirstDoseLimit limit{id, std::nullopt, false};
  if (const ProtocolQuantity* q = DosingQuantity(protocol, id)) {
    limit.value_mg = q->value;
    limit.unconfirmed = q->unconfirmed;
  }
  return limit;
}

// The esketamine day-1 dose rule (clinical/session/first_dose_rule.h) on an
// order: on the course's first dose the dose may not exceed the protocol's
// day-1 dose for the patient's age band, unless the prescriber overrides it
// with a reason ({"rule_id", "reason"}, as eligibility warnings are
// overridden). Adds "first_dose" to the order; returns the rule overridden.
Result<std::optional<std::string>> ApplyFirstDoseRule(Transaction& txn, const Actor& actor,
                                                      const LoadedSession& session, const Json& body, Json& order,
                                                      TimePoint now) {
  JsonObjectReader reader(body);
  for (const auto& [key, value] : body.items()) {
    if (key != "indication" && key != "first_dose_override") reader.Allow(key);
  }
  auto indication_name = reader.OptionalEnum("indication", {"trd", "mdd_suicidal_ideation"});
  const Json* override_json = reader.OptionalObject("first_dose_override");
  KC_RETURN_IF_ERROR(reader.Finish());
  std::optional<std::string> override_rule, override_reason;
  if (override_json) {
    JsonObjectReader o(*override_json, "first_dose_override");
    override_rule = o.RequiredString("rule_id", {1, 100});
    override_reason = o.RequiredString("reason", {1, 1000});
    KC_RETURN_IF_ERROR(o.Finish());
    if (override_reason->find_first_not_of(" \t\r\n") == std::string::npos) {
      return InvalidInput("first_dose_override.reason", "must say why the day-1 dose is overridden");
    }
  }
  const EsketamineIndication indication =
      ParseEsketamineIndication(indication_name.value_or("trd")).value_or(EsketamineIndication::kTreatmentResistant);
  order["indication"] = std::string(EsketamineIndicationName(indication));
  KC_ASSIGN_OR_RETURN(SqlRows dosed,
                      txn.Query("SELECT s.id FROM dosing_sessions s WHERE s.course_id = ? AND s.clinic_id = ? AND "
                                "s.id <> ? AND EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.id AND "
                                "e.kind IN ('start', 'device')) LIMIT 1",
                                {session.course_id, actor.clinic_id, session.id}));
  if (!dosed.empty()) {
    if (override_json) {
      return InvalidInput("first_dose_override", fmt::format("this is not the course's first dose (session #{} was "
                                                             "dosed); no day-1 rule to override",
                                                             dosed[0].Int(0)));
    }
    order["first_dose"] = nullptr;
    return std::optional<std::string>();
  }
  const Protocol& protocol = *session.protocol;
  KC_ASSIGN_OR_RETURN(SqlRows patient, txn.Query("SELECT birth_date FROM patients WHERE id = ? AND clinic_id = ?",
                                                 {session.patient_id, actor.clinic_id}));
  const std::optional<int> age =
      patient.empty() ? std::nullopt : AgeInYears(patient[0].Text(0), session.checked_in_at.substr(0, 10));
  if (!age) return Conflict("the patient's birth date is needed for the day-1 dose rule", "birth_date");
  FirstDoseRules rules;
  rules.protocol_name = ProtocolName(protocol);
  rules.younger = FirstDoseLimitOf(protocol, "first_dose_under_65");
  rules.older = FirstDoseLimitOf(protocol, "first_dose_65_and_over");
  rules.suicidal_ideation = FirstDoseLimitOf(protocol, "mdsi_dose");
  if (const ProtocolQuantity* q = DosingQuantity(protocol, "age_older_adult")) {
    if (q->value) rules.older_from_age = static_cast<int>(std::lround(*q->value));
    rules.older_from_age_unconfirmed = q->unconfirmed;
  }
  const FirstDoseCheck check = CheckFirstDose(rules, *age, indication, order["dose_mg"].get<double>());
  Json source = nullptr;
  if (const ProtocolQuantity* q = DosingQuantity(protocol, check.rule_id)) {
    if (const ProtocolSource* src = protocol.FindSource(q->source)) {
      source = {{"key", src->key}, {"citation", src->citation}, {"reference", src->reference}};
    }
  }
  Json first = {{"rule_id", check.rule_id},
                {"band", check.band},
                {"age_years", *age},
                {"limit_mg", check.limit_mg ? Json(*check.limit_mg) : Json(nullptr)},
                {"unconfirmed", check.unconfirmed},
                {"source", source},
                {"override", nullptr}};
  if (check.refusal) {
    if (!override_json) return Conflict(*check.refusal, "dose_mg");
    if (*override_rule != check.rule_id) {
      return InvalidInput("first_dose_override.rule_id",
                          "'" + *override_rule + "' is not the rule refusing this dose (" + check.rule_id + ")");
    }
    first["refusal"] = *check.refusal;
    first["override"] = {{"reason", *override_reason}, {"by", actor.username}, {"at", FormatTimestamp(now)}};
  } else if (override_json) {
    return InvalidInput("first_dose_override", "the day-1 rule (" + check.rule_id + ") allows this dose; nothing "
                                               "to override");
  }
  order["first_dose"] = std::move(first);
  return check.refusal ? std::optional<std::string>(check.rule_id) : std::nullopt;
}

}  // namespace

Result<Json> SessionService::CheckIn(const Actor& actor, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRecord,
                                       CourseAudit("session.check_in", "dosing_session", 0, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto course_id = reader.RequiredInteger("course_id", 1, INT64_MAX);
  auto chair = reader.RequiredString("chair", {1, 60});
  auto appointment_id = reader.OptionalInteger("appointment_id", 1, INT64_MAX);
  KC_RETURN_IF_ERROR(reader.Finish());
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows course, txn.Query("SELECT patient_id, protocol_id FROM treatment_courses WHERE id = "
                                                  "? AND clinic_id = ?",
                                                  {*course_id, actor.clinic_id}));
    if (course.empty()) return InvalidInput("course_id", "is not a treatment course of this clinic");
    const int64_t patient_id = course[0].Int(0);
    KC_ASSIGN_OR_RETURN(std::string state, CourseState(txn, *course_id));
    if (state == "discontinued") return Conflict("course #" + std::to_string(*course_id) + " is discontinued", "course_id");
    KC_ASSIGN_OR_RETURN(
        SqlRows open,
        txn.Query("SELECT s.id FROM dosing_sessions s WHERE s.patient_id = ? AND s.clinic_id = ? AND NOT EXISTS "
                  "(SELECT 1 FROM session_events e WHERE e.session_id = s.id AND e.kind IN ('discharge', 'cancel'))",
                  {patient_id, actor.clinic_id}));
    if (!open.empty()) {
      return Conflict(fmt::format("the patient is already checked in (session #{}); discharge or cancel it first",
                                  open[0].Int(0)),
                      "course_id");
    }
    if (appointment_id) {
      KC_ASSIGN_OR_RETURN(SqlRows appointment, txn.Query("SELECT patient_id FROM appointments WHERE id = ? AND "
                                                         "clinic_id = ?",
                                                         {*appointment_id, actor.clinic_id}));
      if (appointment.empty() || appointment[0].Int(0) != patient_id) {
        return InvalidInput("appointment_id", "is not an appointment of this patient in this clinic");
      }
    }
    KC_ASSIGN_OR_RETURN(ClinicProtocol protocol, ActiveProtocol(txn, actor.clinic_id, course[0].Text(1)));
    KC_ASSIGN_OR_RETURN(
        SqlRows inserted,
        txn.Query("INSERT INTO dosing_sessions (clinic_id, patient_id, course_id, protocol_id, protocol_version, "
                  "appointment_id, chair, checked_in_at, checked_in_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {actor.clinic_id, patient_id, *course_id, protocol.protocol->id, protocol.protocol->version,
                   SqlOptional(appointment_id), *chair, FormatTimestamp(now), actor.user_id}));
    const int64_t id = inserted.at(0).Int(0);
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, id));
    KC_RETURN_IF_ERROR(AppendSessionEvent(txn, actor, session, SessionEventKind::kCheckIn, now,
                                          Json{{"chair", *chair}}, now));
    return SessionJson(session, now);
  });
  if (result.ok()) NotifySessionChange(context_, actor.clinic_id);
  return result;
}

Result<Json> SessionService::GetSession(const Actor& actor, int64_t session_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRead,
                                       CourseAudit("session.read", "dosing_session", session_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  int64_t patient_id = 0;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, session_id));
    patient_id = session.patient_id;
    return SessionJson(session, now);
  });
  if (!result.ok()) {
    return AuditNotFound(context_, actor, "session.read", "dosing_session", session_id, now, std::move(result));
  }
  KC_RETURN_IF_ERROR(
      RecordReadAudit(context_, actor, CourseAudit("session.read", "dosing_session", session_id, patient_id), now));
  return result;
}

Result<Json> SessionService::DayList(const Actor& actor, const std::string& date_text) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRead,
                                       CourseAudit("session.day_list", "dosing_session", 0, std::nullopt, date_text)));
  const TimePoint now = context_.clock.Now();
  std::optional<int64_t> requested_day;
  if (!date_text.empty()) {
    requested_day = ParseLocalDate(date_text);
    if (!requested_day) return InvalidInput("date", "must be a real calendar date in the form YYYY-MM-DD");
  }
  std::string date;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    // The day is the clinic's local day (its time zone), not the UTC date.
    KC_ASSIGN_OR_RETURN(SqlRows clinic, txn.Query("SELECT timezone FROM clinics WHERE id = ?", {actor.clinic_id}));
    if (clinic.empty()) return NotFound("no such clinic");
    KC_ASSIGN_OR_RETURN(ClinicTimeZone zone, ClinicTimeZone::Find(clinic[0].Text(0)));
    const int64_t day = requested_day ? *requested_day : zone.ToLocal(now).day();
    date = FormatLocalDate(day);
    const auto bound = [&](int64_t d) {
      return zone.ToUtc(LocalDateTime{d * kMinutesPerDay})
          .value_or(TimePoint(std::chrono::milliseconds(d * 86'400'000LL)));
    };
    KC_ASSIGN_OR_RETURN(SqlRows ids, txn.Query("SELECT id FROM dosing_sessions WHERE clinic_id = ? AND "
                                               "checked_in_at >= ? AND checked_in_at < ? ORDER BY chair, id LIMIT 500",
                                               {actor.clinic_id, FormatTimestamp(bound(day)),
                                                FormatTimestamp(bound(day + 1))}));
    Json items = Json::array();
    for (const SqlRow& row : ids) {
      KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, row.Int(0)));
      items.push_back(SessionSummaryJson(session, now));
    }
    return Json{{"date", date}, {"timezone", zone.name()}, {"now", FormatTimestamp(now)}, {"items", std::move(items)}};
  });
  if (!result.ok()) return result;
  KC_RETURN_IF_ERROR(RecordReadAudit(
      context_, actor, CourseAudit("session.day_list", "dosing_session", 0, std::nullopt, date), now));
  return result;
}

Result<Json> SessionService::RecordReadiness(const Actor& actor, int64_t session_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRecord,
                                       CourseAudit("session.readiness", "dosing_session", session_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  ReadinessAnswers answers;
  answers.fasting_confirmed = reader.OptionalBool("fasting_confirmed").value_or(false);
  answers.escort_name = reader.OptionalString("escort_name", {0, 200}).value_or("");
  answers.held_medications_confirmed = reader.OptionalBool("held_medications_confirmed").value_or(false);
  auto pregnancy = reader.OptionalEnum("pregnancy_test", {"negative", "positive", "not_applicable"});
  const Json* vitals_json = reader.OptionalObject("vitals");
  auto note = reader.OptionalString("note", {0, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  Json vitals = Json::object();
  if (vitals_json) {
    JsonObjectReader vitals_reader(*vitals_json, "vitals");
    KC_ASSIGN_OR_RETURN(vitals, ReadVitals(vitals_reader));
    KC_RETURN_IF_ERROR(vitals_reader.Finish());
  }
  if (pregnancy) {
    answers.pregnancy_test = *pregnancy == "negative"   ? PregnancyTest::kNegative
                             : *pregnancy == "positive" ? PregnancyTest::kPositive
                                                        : PregnancyTest::kNotApplicable;
  }
  auto int_of = [&](const char* name) -> std::optional<int> {
    return vitals.contains(name) ? std::optional<int>(vitals[name].get<int>()) : std::nullopt;
  };
  answers.systolic_mmhg = int_of("systolic_mmhg");
  answers.diastolic_mmhg = int_of("diastolic_mmhg");
  answers.heart_rate_bpm = int_of("heart_rate_bpm");
  answers.spo2_percent = int_of("spo2_percent");
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, session_id));
    const Protocol& protocol = *session.protocol;
    ReadinessLimits limits;
    limits.protocol_name = ProtocolName(protocol);
    limits.systolic_max = LimitOf(protocol, "pre_dose_systolic_max");
    limits.diastolic_max = LimitOf(protocol, "pre_dose_diastolic_max");
    limits.heart_rate_max = LimitOf(protocol, "pre_dose_heart_rate_max");
    KC_ASSIGN_OR_RETURN(ConsentGate consent, ConsentGateFor(txn, actor.clinic_id, session.patient_id, protocol,
                                                             FormatDate(now)));
    KC_ASSIGN_OR_RETURN(EligibilityGate eligibility,
                        EligibilityGateFor(txn, actor.clinic_id, session.patient_id, protocol));
    KC_ASSIGN_OR_RETURN(std::string state, CourseState(txn, session.course_id));
    const bool dosing_state = state == "induction" || state == "maintenance" || state == "booster";
    ReadinessGates gates{consent.valid, consent.message, eligibility.cleared, eligibility.message, dosing_state,
                         fmt::format("course #{} is in {}; a dose needs induction, maintenance or booster",
                                     session.course_id, state)};
    for (const ProtocolItem& check : protocol.pre_dose_checks) {
      if (check.id != "rems_enrolment") continue;
      KC_ASSIGN_OR_RETURN(RemsGate rems, RemsGateFor(txn, actor.clinic_id, session.patient_id));
      gates.rems_required = true;
      gates.rems_enrolled = rems.enrolled;
      gates.rems_message = rems.message;
    }
    const ReadinessResult readiness = EvaluateReadiness(limits, answers, gates);
    Json items = Json::array();
    for (const ReadinessItem& item : readiness.items) {
      items.push_back({{"id", item.id}, {"label", item.label}, {"ok", item.ok},
                       {"message", item.ok ? Json(nullptr) : Json(item.message)}, {"unconfirmed", item.unconfirmed}});
    }
    Json data = {{"passed", readiness.passed},
                 {"items", std::move(items)},
                 {"answers",
                  {{"fasting_confirmed", answers.fasting_confirmed},
                   {"escort_name", answers.escort_name},
                   {"held_medications_confirmed", answers.held_medications_confirmed},
                   {"pregnancy_test", pregnancy ? Json(*pregnancy) : Json(nullptr)},
                   {"vitals", vitals}}},
                 {"consent_id", consent.consent_id > 0 ? Json(consent.consent_id) : Json(nullptr)},
                 {"decision_id", eligibility.decision_id > 0 ? Json(eligibility.decision_id) : Json(nullptr)}};
    if (note) data["note"] = *note;
    KC_RETURN_IF_ERROR(AppendSessionEvent(txn, actor, session, SessionEventKind::kReadiness, now, std::move(data), now));
    return SessionJson(session, now);
  });
  if (result.ok()) NotifySessionChange(context_, actor.clinic_id);
  return AuditNotFound(context_, actor, "session.readiness", "dosing_session", session_id, now, std::move(result));
}

Result<Json> SessionService::OrderDose(const Actor& actor, int64_t session_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionOrder,
                                       CourseAudit("session.dose_order", "dosing_session", session_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, session_id));
    KC_ASSIGN_OR_RETURN(SqlRows weight,
                        txn.Query("SELECT value, measured_on FROM patient_body_measurements WHERE patient_id = ? AND "
                                  "clinic_id = ? AND kind = 'weight' ORDER BY measured_on DESC, id DESC LIMIT 1",
                                  {session.patient_id, actor.clinic_id}));
    if (weight.empty()) return Conflict("record the patient's weight before ordering a dose", "weight");
    const bool esketamine = session.protocol->route == "intranasal";
    Json dose_body = body;
    if (esketamine) {
      dose_body.erase("indication");
      dose_body.erase("first_dose_override");
    }
    KC_ASSIGN_OR_RETURN(Json order, ComputeDoseOrder(*session.protocol, dose_body, weight[0].Int(0), weight[0].Text(1)));
    std::optional<std::string> overridden;
    if (esketamine) {
      KC_ASSIGN_OR_RETURN(overridden, ApplyFirstDoseRule(txn, actor, session, body, order, now));
    }
    KC_RETURN_IF_ERROR(AppendSessionEvent(txn, actor, session, SessionEventKind::kDoseOrder, now, std::move(order), now));
    if (overridden) {
      KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                          CourseAudit("session.dose_order.first_dose_override", "dosing_session",
                                                      session.id, session.patient_id, "rule " + *overridden),
                                          now));
    }
    return SessionJson(session, now);
  });
  if (result.ok()) NotifySessionChange(context_, actor.clinic_id);
  return AuditNotFound(context_, actor, "session.dose_order", "dosing_session", session_id, now, std::move(result));
}

Result<Json> SessionService::RecordEvent(const Actor& actor, int64_t session_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRecord,
                                       CourseAudit("session.event", "dosing_session", session_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  if (!body.contains("kind") || !body["kind"].is_string()) return InvalidInput("kind", "is required: the event kind");
  const auto kind = ParseSessionEventKind(body["kind"].get<std::string>());
  if (!kind || *kind == SessionEventKind::kCheckIn || *kind == SessionEventKind::kReadiness ||
      *kind == SessionEventKind::kDoseOrder) {
    return InvalidInput("kind", "must be one of start, device, rate_change, pause, resume, stop, rescue_medication, "
                                "vitals, score, adverse_event, ready_for_discharge, discharge, cancel");
  }
  std::optional<std::string> occurred_text;
  if (body.contains("occurred_at")) {
    if (!body["occurred_at"].is_string()) return InvalidInput("occurred_at", "must be a timestamp string");
    occurred_text = body["occurred_at"].get<std::string>();
  }
  KC_ASSIGN_OR_RETURN(TimePoint occurred_at, OccurredAt(occurred_text, now));
  // Grouped: chairs recording at the same moment share one commit.
  auto result = context_.database.RunGrouped<Json>([&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, session_id));
    if (occurred_text) {
      if (auto refusal = CheckEventTime(session.progress, *kind, occurred_at.time_since_epoch().count())) {
        return InvalidInput("occurred_at", *refusal);
      }
    }
    std::optional<LedgerAdministration> administration;
    KC_ASSIGN_OR_RETURN(Json data, ReadEventData(*kind, body, txn, actor, session, administration));
    if (administration) {
      // The rule first (so a refused device writes nothing), then the ledger
      // entry and the event in this one transaction.
      if (auto refusal = CheckSessionEvent(session.progress, *kind, FactsOf(*kind, data), session.rules,
                                           occurred_at.time_since_epoch().count())) {
        return Conflict(*refusal, "kind");
      }
      administration->occurred_at = FormatTimestamp(occurred_at);
      KC_ASSIGN_OR_RETURN(Json entry, AppendLedgerAdministration(txn, actor, *administration, now));
      data["ledger"] = {{"sequence", entry["sequence"]},
                        {"lot_id", administration->lot_id},
                        {"administered_ug", administration->administered_ug}};
    }
    if (*kind == SessionEventKind::kDischarge && data.value("escort_name", "").empty()) {
      // The escort named at readiness counts unless another is given at discharge.
      const Json readiness = [&] {
        for (auto it = session.events.rbegin(); it != session.events.rend(); ++it) {
          if (it->kind == SessionEventKind::kReadiness) return it->data;
        }
        return Json(nullptr);
      }();
      if (readiness.is_object()) data["escort_name"] = readiness["answers"].value("escort_name", "");
    }
    KC_RETURN_IF_ERROR(AppendSessionEvent(txn, actor, session, *kind, occurred_at, std::move(data), now));
    return SessionJson(session, now);
  });
  if (!result.ok() && result.error().code == ErrorCode::kConflict) {
    AuditEntry refused = CourseAudit("session.event", "dosing_session", session_id, std::nullopt,
                                     "refused: " + std::string(SessionEventKindName(*kind)));
    refused.outcome = AuditOutcome::kFailed;
    KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor, refused, now));
  }
  if (result.ok()) NotifySessionChange(context_, actor.clinic_id);
  return AuditNotFound(context_, actor, "session.event", "dosing_session", session_id, now, std::move(result));
}

}  // namespace ketachart
