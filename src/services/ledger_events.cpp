// Recording controlled-substance ledger events, counts and discrepancy
// resolutions (see ledger_service.h): each in one write transaction that
// checks the invariants, appends to the clinic's chain and audits itself.
#include <fmt/format.h>

#include <set>
#include <vector>

#include "clinical/ledger/ledger_rules.h"
#include "services/audit_trail.h"
#include "services/guard.h"
#include "services/ledger_administration.h"
#include "services/ledger_chain.h"
#include "services/ledger_input.h"
#include "services/ledger_queries.h"
#include "services/ledger_service.h"
#include "services/ledger_witness.h"

namespace ketachart {
namespace {

using namespace ledger_internal;
using ledger::EventKind;
using ledger::Micrograms;
using ledger::StockKey;

const std::vector<std::string> kEventKindsRecordedHere = {"receive",  "administer",  "waste", "return",
                                                          "transfer", "destruction", "loss",  "correction"};

}  // namespace

using namespace ledger_internal;

// ---------------------------------------------------------------------------
// Events

Result<Json> LedgerService::RecordEvent(const Actor& actor, const Json& body) {
  const std::string kind_name = body.is_object() && body.contains("kind") && body["kind"].is_string()
                                    ? body["kind"].get<std::string>()
                                    : std::string();
  const AuditEntry attempted = LedgerAudit("ledger.event." + (kind_name.empty() ? "record" : kind_name.substr(0, 20)),
                                           "ledger_entry", "");
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kLedgerRecord, attempted));
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  const TimePoint now = context_.clock.Now();
  const std::string now_text = FormatTimestamp(now);

  JsonObjectReader reader(body);
  auto kind_text = reader.RequiredEnum("kind", kEventKindsRecordedHere);
  if (!kind_text) return reader.Finish().error();
  const EventKind kind = *ledger::ParseEventKind(*kind_text);

  LedgerEntry entry;
  entry.clinic_id = actor.clinic_id;
  entry.kind = kind;
  entry.recorded_by = actor.user_id;
  auto occurred_at = ReadOccurredAt(reader, now);
  auto note = reader.OptionalString("note", {0, 1000});

  // Fields by kind.
  std::optional<int64_t> product_id;
  std::optional<std::string> lot_number, expiry_date;
  std::optional<int64_t> containers;
  std::optional<int64_t> quantity_ug;
  std::optional<int64_t> administered_ug;
  std::optional<int64_t> corrects_sequence;
  std::vector<WitnessCredentials> witness_credentials;
  std::vector<std::string> witness_fields;

  auto read_witness = [&](const std::string& field, const Json& value) {
    auto credentials = ReadWitnessCredentials(value, field);
    if (!credentials.ok()) {
      reader.Fail(credentials.error());
      return;
    }
    witness_credentials.push_back(credentials.value());
    witness_fields.push_back(field);
  };

  switch (kind) {
    case EventKind::kReceive: {
      product_id = reader.RequiredInteger("product_id", 1, INT64_MAX);
      lot_number = reader.RequiredString("lot_number", {1, 60});
      expiry_date = reader.RequiredDate("expiry_date");
      entry.location_id = reader.RequiredInteger("location_id", 1, INT64_MAX);
      containers = reader.OptionalInteger("containers", 1, 100000);
      if (!containers) {
        quantity_ug = ReadThousandths(reader, body, "quantity_mg", true, false);
      } else if (body.contains("quantity_mg")) {
        reader.Fail(InvalidInput("quantity_mg", "give either containers or quantity_mg, not both"));
      }
      ReadSupplier(reader, entry.details);
      auto invoice = reader.RequiredString("invoice_number", {1, 60});
      if (invoice) entry.details["invoice_number"] = *invoice;
      break;
    }
    case EventKind::kAdminister: {
      entry.lot_id = reader.RequiredInteger("lot_id", 1, INT64_MAX);
      entry.location_id = reader.RequiredInteger("location_id", 1, INT64_MAX);
      entry.patient_id = reader.RequiredInteger("patient_id", 1, INT64_MAX);
      entry.dosing_session_id = reader.OptionalInteger("dosing_session_id", 1, INT64_MAX);
      quantity_ug = ReadThousandths(reader, body, "drawn_mg", true, false);
      administered_ug = ReadThousandths(reader, body, "administered_mg", true, true);
      auto route = reader.OptionalString("route", {0, 60});
      if (route) entry.details["route"] = *route;
      break;
    }
    case EventKind::kWaste: {
      auto draw = reader.OptionalInteger("draw_sequence", 1, INT64_MAX);
      if (draw) {
        entry.related_sequence = draw;
        entry.from_draw = true;
      } else {
        entry.lot_id = reader.RequiredInteger("lot_id", 1, INT64_MAX);
        entry.location_id = reader.RequiredInteger("location_id", 1, INT64_MAX);
      }
      quantity_ug = ReadThousandths(reader, body, "quantity_mg", true, false);
      auto manner = reader.RequiredString("manner", {1, 200});
      if (manner) entry.details["manner"] = *manner;
      reader.Allow("witness");
      if (!body.contains("witness")) {
        reader.Fail(InvalidInput("witness", "a waste needs a second, different user to witness it with their "
                                            "password"));
      } else {
        read_witness("witness", body["witness"]);
      }
      break;
    }
    case EventKind::kReturn: {
      entry.lot_id = reader.RequiredInteger("lot_id", 1, INT64_MAX);
      entry.location_id = reader.RequiredInteger("location_id", 1, INT64_MAX);
      quantity_ug = ReadThousandths(reader, body, "quantity_mg", true, false);
      ReadSupplier(reader, entry.details);
      auto reason = reader.RequiredString("reason", {1, 400});
      if (reason) entry.details["reason"] = *reason;
      break;
    }
    case EventKind::kTransfer: {
      entry.lot_id = reader.RequiredInteger("lot_id", 1, INT64_MAX);
      entry.location_id = reader.RequiredInteger("location_id", 1, INT64_MAX);
      entry.to_location_id = reader.RequiredInteger("to_location_id", 1, INT64_MAX);
      quantity_ug = ReadThousandths(reader, body, "quantity_mg", true, false);
      if (entry.location_id && entry.to_location_id && *entry.location_id == *entry.to_location_id) {
        reader.Fail(InvalidInput("to_location_id", "must differ from location_id"));
      }
      break;
    }
    case EventKind::kDestruction: {
      entry.lot_id = reader.RequiredInteger("lot_id", 1, INT64_MAX);
      entry.location_id = reader.RequiredInteger("location_id", 1, INT64_MAX);
      quantity_ug = ReadThousandths(reader, body, "quantity_mg", true, false);
      auto method = reader.RequiredString("method", {1, 200});
      auto place = reader.RequiredString("place", {1, 200});
      if (method) entry.details["form_41_method"] = *method;
      if (place) entry.details["form_41_place"] = *place;
      const Json* witnesses = reader.OptionalArray("witnesses", 2);
      if (!witnesses || witnesses->size() != 2) {
        if (reader.ok()) {
          reader.Fail(InvalidInput("witnesses", "a destruction needs two witnessing employees (DEA Form 41)"));
        }
      } else {
        for (size_t i = 0; i < 2; ++i) read_witness(fmt::format("witnesses[{}]", i), (*witnesses)[i]);
      }
      break;
    }
    case EventKind::kLoss: {
      entry.lot_id = reader.RequiredInteger("lot_id", 1, INT64_MAX);
      entry.location_id = reader.RequiredInteger("location_id", 1, INT64_MAX);
      quantity_ug = ReadThousandths(reader, body, "quantity_mg", true, false);
      auto loss_kind = reader.RequiredEnum("loss_kind", {"theft", "significant_loss"});
      auto discovered = reader.RequiredDate("discovered_on");
      auto circumstances = reader.RequiredString("circumstances", {1, 2000});
      auto notified = reader.OptionalString("dea_notified_at", {1, 40});
      auto police = reader.OptionalString("police_report", {0, 200});
      if (loss_kind) entry.details["form_106_loss_kind"] = *loss_kind;
      if (discovered) entry.details["form_106_discovered_on"] = *discovered;
      if (circumstances) entry.details["form_106_circumstances"] = *circumstances;
      if (notified) {
        if (!ParseTimestamp(*notified)) {
          reader.Fail(InvalidInput("dea_notified_at", "must be an ISO-8601 timestamp with a time zone"));
        } else {
          entry.details["dea_notified_at"] = *notified;
        }
      }
      if (police) entry.details["police_report"] = *police;
      break;
    }
    case EventKind::kCorrection: {
      corrects_sequence = reader.RequiredInteger("corrects_sequence", 1, INT64_MAX);
      auto reason = reader.RequiredString("reason", {1, 1000});
      if (reason) entry.details["reason"] = *reason;
      break;
    }
    default:
      return InvalidInput("kind", "is recorded elsewhere");
  }
  KC_RETURN_IF_ERROR(reader.Finish());
  entry.occurred_at = *occurred_at;
  if (note && !note->empty()) entry.details["note"] = *note;
  if (quantity_ug) entry.quantity = Micrograms{*quantity_ug};

  // Witnesses re-enter their passwords (checked outside the transaction).
  std::vector<int64_t> witness_ids;
  for (size_t i = 0; i < witness_credentials.size(); ++i) {
    auto id = AuthenticateWitness(context_, actor, witness_credentials[i], witness_fields[i]);
    if (!id.ok()) return id.error();
    witness_ids.push_back(id.value());
  }
  if (ledger::RequiredWitnesses(kind) > 0) {
    KC_RETURN_IF_ERROR(ledger::CheckWitnesses(actor.user_id, witness_ids, ledger::RequiredWitnesses(kind)));
    entry.witness1_user_id = witness_ids[0];
    if (witness_ids.size() > 1) entry.witness2_user_id = witness_ids[1];
  }

  // Grouped: concurrent recorders (chairs administering at once) share one
  // commit instead of queueing one WAL flush each on the chain heads.
  auto result = context_.database.RunGrouped<Json>([&](Transaction& txn) -> Result<Json> {
    if (kind == EventKind::kAdminister) {
      // The one administration path, shared with the dosing session (ledger_administration.h).
      return AppendLedgerAdministration(txn, actor,
                                        LedgerAdministration{*entry.lot_id, *entry.location_id, *entry.patient_id,
                                                             entry.dosing_session_id, *quantity_ug, *administered_ug,
                                                             entry.occurred_at, entry.details.value("route", ""),
                                                             entry.details.value("note", "")},
                                        now);
    }
    LedgerEntry draft = entry;
    for (size_t i = 0; i < witness_ids.size(); ++i) {
      KC_RETURN_IF_ERROR(ConfirmWitness(txn, actor.clinic_id, witness_ids[i], witness_fields[i]));
    }
    if (kind == EventKind::kReceive) {
      KC_ASSIGN_OR_RETURN(ProductInfo product, LoadProduct(txn, actor.clinic_id, *product_id));
      KC_RETURN_IF_ERROR(RequireLocation(txn, actor.clinic_id, *draft.location_id));
      if (containers) {
        auto per_container = ledger::DrugInVolume(product.strength, product.container_volume);
        if (!per_container) return InvalidInput("containers", "the product's container content is not exact");
        draft.quantity = Micrograms{per_container->value * *containers};
        draft.details["containers"] = *containers;
      }
      KC_ASSIGN_OR_RETURN(SqlRows lot, txn.Query("SELECT id, expiry_date FROM ledger_lots WHERE clinic_id = ? AND "
                                                 "product_id = ? AND lot_number = ?",
                                                 {actor.clinic_id, product.id, *lot_number}));
      if (lot.empty()) {
        KC_ASSIGN_OR_RETURN(lot, txn.Query("INSERT INTO ledger_lots (clinic_id, product_id, lot_number, expiry_date, "
                                           "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id, expiry_date",
                                           {actor.clinic_id, product.id, *lot_number, *expiry_date, now_text}));
      } else if (lot[0].Text(1) != *expiry_date) {
        return Conflict(fmt::format("lot {} of this product is recorded with expiry {}", *lot_number, lot[0].Text(1)),
                        "expiry_date");
      }
      draft.lot_id = lot.at(0).Int(0);
    } else if (kind == EventKind::kCorrection) {
      KC_ASSIGN_OR_RETURN(std::optional<LedgerEntry> original, LoadEntry(txn, actor.clinic_id, *corrects_sequence));
      if (!original) return NotFound("no such ledger entry in this clinic");
      if (original->kind == EventKind::kCorrection || original->kind == EventKind::kResolution ||
          original->kind == EventKind::kCount) {
        return Conflict(fmt::format("a {} entry cannot be reversed; record a new one instead",
                                    ledger::EventKindName(original->kind)),
                        "corrects_sequence");
      }
      KC_ASSIGN_OR_RETURN(bool corrected, IsCorrected(txn, actor.clinic_id, original->sequence));
      if (corrected) return Conflict("this entry has already been corrected", "corrects_sequence");
      if (original->kind == EventKind::kAdminister) {
        KC_ASSIGN_OR_RETURN(Micrograms wasted, WastedFromDraw(txn, actor.clinic_id, original->sequence));
        if (wasted.value > 0) {
          return Conflict("correct the wastes recorded against this draw first", "corrects_sequence");
        }
      }
      draft.related_sequence = original->sequence;
      draft.reverses_kind = std::string(ledger::EventKindName(original->kind));
      draft.lot_id = original->lot_id;
      draft.location_id = original->location_id;
      draft.to_location_id = original->to_location_id;
      draft.quantity = original->quantity;
      draft.from_draw = original->from_draw;
      draft.patient_id = original->patient_id;
    } else if (kind == EventKind::kWaste && draft.from_draw) {
      KC_ASSIGN_OR_RETURN(std::optional<LedgerEntry> draw, LoadEntry(txn, actor.clinic_id, *draft.related_sequence));
      if (!draw || draw->kind != EventKind::kAdminister) {
        return NotFound("no such administration (draw) in this clinic's ledger");
      }
      KC_ASSIGN_OR_RETURN(bool corrected, IsCorrected(txn, actor.clinic_id, draw->sequence));
      if (corrected) return Conflict("this draw has been corrected (reversed)", "draw_sequence");
      KC_ASSIGN_OR_RETURN(Micrograms wasted, WastedFromDraw(txn, actor.clinic_id, draw->sequence));
      KC_RETURN_IF_ERROR(ledger::CheckDrawAccounting(Micrograms{draw->drawn_ug.value_or(0)},
                                                     Micrograms{draw->administered_ug.value_or(0)}, wasted,
                                                     draft.quantity));
      draft.lot_id = draw->lot_id;
      draft.location_id = draw->location_id;
      draft.patient_id = draw->patient_id;
      draft.dosing_session_id = draw->dosing_session_id;
    } else {
      KC_RETURN_IF_ERROR(LoadLotProduct(txn, actor.clinic_id, *draft.lot_id).status());
      KC_RETURN_IF_ERROR(RequireLocation(txn, actor.clinic_id, *draft.location_id));
      if (draft.to_location_id) KC_RETURN_IF_ERROR(RequireLocation(txn, actor.clinic_id, *draft.to_location_id));
      if (draft.patient_id) KC_RETURN_IF_ERROR(RequirePatient(txn, actor.clinic_id, *draft.patient_id));
    }

    Micrograms before{0};
    if (kind == EventKind::kLoss) {
      KC_ASSIGN_OR_RETURN(before, StockBalance(txn, StockKey{*draft.lot_id, *draft.location_id}));
    }
    KC_ASSIGN_OR_RETURN(LedgerEntry stored, AppendLedgerEntry(txn, std::move(draft), now_text));
    Json view;
    if (kind == EventKind::kLoss) {
      // Theft or significant loss: DEA notice within one business day, then
      // Form 106 (section G); the case stays open until resolved with a reason.
      KC_ASSIGN_OR_RETURN(int64_t case_id,
                          OpenDiscrepancy(txn, actor.clinic_id, "loss", StockKey{*stored.lot_id, *stored.location_id},
                                          stored.sequence, before, before - stored.quantity, now_text));
      KC_ASSIGN_OR_RETURN(view, LoadEntryView(txn, actor.clinic_id, stored.sequence));
      view["discrepancy_id"] = case_id;
    } else {
      KC_ASSIGN_OR_RETURN(view, LoadEntryView(txn, actor.clinic_id, stored.sequence));
    }
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        LedgerAudit("ledger.event." + std::string(ledger::EventKindName(kind)), "ledger_entry",
                    std::to_string(stored.sequence), stored.patient_id,
                    fmt::format("{} mg", ledger::FormatMilligrams(stored.quantity))),
        now));
    return view;
  });
  if (!result.ok()) return AuditIfDenied(context_, actor, attempted, result.status()).error();
  return result;
}

Result<Json> LedgerService::RecordCount(const Actor& actor, const Json& body) {
  const AuditEntry attempted = LedgerAudit("ledger.event.count", "ledger_entry", "");
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kLedgerRecord, attempted));
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  const TimePoint now = context_.clock.Now();
  const std::string now_text = FormatTimestamp(now);
  JsonObjectReader reader(body);
  auto count_kind = reader.RequiredEnum("count_kind", {"initial", "biennial", "routine"});
  auto occurred_at = ReadOccurredAt(reader, now);
  auto note = reader.OptionalString("note", {0, 1000});
  const Json* lines = reader.OptionalArray("lines", 1000);
  if (reader.ok() && (!lines || lines->empty())) reader.Fail(InvalidInput("lines", "a count needs at least one line"));
  struct Line {
    StockKey key;
    int64_t counted_ug;
    bool estimated;
    std::string note;
  };
  std::vector<Line> parsed;
  if (lines) {
    for (size_t i = 0; i < lines->size() && reader.ok(); ++i) {
      const std::string path = fmt::format("lines[{}]", i);
      if (!(*lines)[i].is_object()) {
        reader.Fail(InvalidInput(path, "must be an object"));
        break;
      }
      JsonObjectReader line(( *lines)[i], path);
      auto lot_id = line.RequiredInteger("lot_id", 1, INT64_MAX);
      auto location_id = line.RequiredInteger("location_id", 1, INT64_MAX);
      auto counted = ReadThousandths(line, (*lines)[i], "counted_mg", true, true);
      auto estimated = line.OptionalBool("estimated");
      auto line_note = line.OptionalString("note", {0, 400});
      Status status = line.Finish();
      if (!status.ok()) {
        reader.Fail(status.error());
        break;
      }
      parsed.push_back({StockKey{*lot_id, *location_id}, *counted, estimated.value_or(false), line_note.value_or("")});
    }
  }
  KC_RETURN_IF_ERROR(reader.Finish());

  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    Json out = {{"count_kind", *count_kind}, {"entries", Json::array()}, {"discrepancies", Json::array()}};
    std::set<StockKey> seen;
    for (size_t i = 0; i < parsed.size(); ++i) {
      const Line& line = parsed[i];
      const std::string path = fmt::format("lines[{}]", i);
      if (!seen.insert(line.key).second) return InvalidInput(path, "this lot and location is counted twice");
      auto product = LoadLotProduct(txn, actor.clinic_id, line.key.lot_id);
      if (!product.ok()) return InvalidInput(path + ".lot_id", product.error().message);
      Status location = RequireLocation(txn, actor.clinic_id, line.key.location_id);
      if (!location.ok()) return InvalidInput(path + ".location_id", location.error().message);
      if (line.estimated && !ledger::EstimatedCountAllowed(product->container_volume)) {
        return InvalidInput(path + ".estimated",
                            "containers of this product hold more than 1,000 units and must be counted exactly");
      }
      KC_ASSIGN_OR_RETURN(Micrograms expected, StockBalance(txn, line.key));
      LedgerEntry entry;
      entry.clinic_id = actor.clinic_id;
      entry.kind = EventKind::kCount;
      entry.occurred_at = *occurred_at;
      entry.recorded_by = actor.user_id;
      entry.lot_id = line.key.lot_id;
      entry.location_id = line.key.location_id;
      entry.quantity = Micrograms{line.counted_ug};
      entry.details = {{"count_kind", *count_kind}, {"expected_ug", expected.value}, {"estimated", line.estimated}};
      if (!line.note.empty()) entry.details["note"] = line.note;
      if (note && !note->empty()) entry.details["sheet_note"] = *note;
      KC_ASSIGN_OR_RETURN(LedgerEntry stored, AppendLedgerEntry(txn, std::move(entry), now_text));
      KC_ASSIGN_OR_RETURN(Json view, LoadEntryView(txn, actor.clinic_id, stored.sequence));
      out["entries"].push_back(view);
      if (expected.value != line.counted_ug) {
        KC_ASSIGN_OR_RETURN(int64_t case_id, OpenDiscrepancy(txn, actor.clinic_id, "count_mismatch", line.key,
                                                             stored.sequence, expected, Micrograms{line.counted_ug},
                                                             now_text));
        out["discrepancies"].push_back({{"id", case_id},
                                        {"lot_id", line.key.lot_id},
                                        {"location_id", line.key.location_id},
                                        {"expected_mg", Mg(expected.value)},
                                        {"counted_mg", Mg(line.counted_ug)}});
      }
    }
    if (*count_kind != "routine") {
      KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO ledger_full_inventories (clinic_id, count_kind, taken_at, "
                                     "first_sequence) VALUES (?, ?, ?, ?)",
                                     {actor.clinic_id, *count_kind, *occurred_at,
                                      out["entries"].front()["sequence"].get<int64_t>()}));
    }
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor,
        LedgerAudit("ledger.event.count", "ledger_entry", std::to_string(out["entries"].back()["sequence"].get<int64_t>()),
                    std::nullopt,
                    fmt::format("{} count, {} lines, {} discrepancies", *count_kind, parsed.size(),
                                out["discrepancies"].size())),
        now));
    return out;
  });
  if (!result.ok()) return AuditIfDenied(context_, actor, attempted, result.status()).error();
  return result;
}

Result<Json> LedgerService::ResolveDiscrepancy(const Actor& actor, int64_t discrepancy_id, const Json& body) {
  const AuditEntry attempted =
      LedgerAudit("ledger.discrepancy.resolve", "ledger_discrepancy", std::to_string(discrepancy_id));
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kLedgerRecord, attempted));
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto reason = reader.RequiredString("reason", {3, 2000});
  KC_RETURN_IF_ERROR(reader.Finish());
  const TimePoint now = context_.clock.Now();
  const std::string now_text = FormatTimestamp(now);
  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query(std::string(kDiscrepancySelect) + " WHERE d.id = ? AND d.clinic_id = ?",
                                  {discrepancy_id, actor.clinic_id}));
    if (rows.empty()) return NotFound("no such discrepancy case in this clinic");
    if (!rows[0].IsNull(10)) return Conflict("this discrepancy case is already resolved");
    LedgerEntry entry;
    entry.clinic_id = actor.clinic_id;
    entry.kind = EventKind::kResolution;
    entry.occurred_at = now_text;
    entry.recorded_by = actor.user_id;
    entry.lot_id = rows[0].Int(2);
    entry.location_id = rows[0].Int(4);
    entry.related_sequence = rows[0].Int(6);
    entry.details = {{"discrepancy_id", discrepancy_id}, {"reason", *reason}};
    KC_ASSIGN_OR_RETURN(LedgerEntry stored, AppendLedgerEntry(txn, std::move(entry), now_text));
    KC_RETURN_IF_ERROR(txn.Execute("UPDATE ledger_discrepancies SET resolved_by_sequence = ?, resolved_at = ?, "
                                   "resolution_reason = ? WHERE id = ?",
                                   {stored.sequence, now_text, *reason, discrepancy_id}));
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        LedgerAudit("ledger.discrepancy.resolve", "ledger_discrepancy",
                                                    std::to_string(discrepancy_id)),
                                        now));
    KC_ASSIGN_OR_RETURN(SqlRows updated, txn.Query(std::string(kDiscrepancySelect) + " WHERE d.id = ?", {discrepancy_id}));
    return DiscrepancyView(updated.at(0));
  });
}

}  // namespace ketachart
