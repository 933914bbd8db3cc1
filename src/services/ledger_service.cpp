// The controlled-substance ledger service (see ledger_service.h).
#include "services/ledger_service.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "clinical/ledger/identifiers.h"
#include "clinical/ledger/ledger_rules.h"
#include "services/audit_trail.h"
#include "services/guard.h"
#include "services/ledger_chain.h"
#include "services/ledger_witness.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

using ledger::EventKind;
using ledger::Micrograms;
using ledger::Microlitres;
using ledger::MicrogramsPerMillilitre;
using ledger::StockKey;

const std::vector<std::string> kEventKindsRecordedHere = {"receive",  "administer",  "waste", "return",
                                                          "transfer", "destruction", "loss",  "correction"};

AuditEntry LedgerAudit(std::string action, std::string resource_type, std::string resource_id,
                       std::optional<int64_t> patient_id = std::nullopt, std::string detail = {}) {
  return AuditEntry{std::move(action), std::move(resource_type), std::move(resource_id), patient_id,
                    AuditOutcome::kSuccess, std::move(detail)};
}

std::string Mg(int64_t ug) { return ledger::FormatThousandths(ug); }
Json OptMg(const std::optional<int64_t>& ug) { return ug ? Json(Mg(*ug)) : Json(nullptr); }
Json OptInt(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
Json OptText(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

// An exact quantity in thousandths of mg or mL: decimal text ("12.5") or a
// JSON number with at most three decimals. `reader` is told the field is known.
std::optional<int64_t> ReadThousandths(JsonObjectReader& reader, const Json& body, const std::string& name,
                                       bool required, bool allow_zero) {
  reader.Allow(name);
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) reader.Fail(InvalidInput(reader.FieldPath(name), "is required"));
    return std::nullopt;
  }
  std::optional<int64_t> value;
  if (it->is_string()) {
    value = ledger::ParseThousandths(it->get<std::string>());
  } else if (it->is_number()) {
    const double scaled = it->get<double>() * 1000.0;
    const double rounded = std::round(scaled);
    if (std::fabs(scaled - rounded) < 1e-6 && rounded >= 0 &&
        rounded <= static_cast<double>(ledger::kMaxQuantityThousandths)) {
      value = static_cast<int64_t>(rounded);
    }
  }
  if (!value) {
    reader.Fail(InvalidInput(reader.FieldPath(name),
                             "must be a non-negative decimal with at most 3 decimal places, e.g. \"12.5\""));
    return std::nullopt;
  }
  if (!allow_zero && *value == 0) {
    reader.Fail(InvalidInput(reader.FieldPath(name), "must be more than 0"));
    return std::nullopt;
  }
  return value;
}

// "occurred_at": when the event happened (default now); never in the future.
std::optional<std::string> ReadOccurredAt(JsonObjectReader& reader, TimePoint now) {
  auto text = reader.OptionalString("occurred_at", {1, 40});
  if (!text) return FormatTimestamp(now);
  auto parsed = ParseTimestamp(*text);
  if (!parsed) {
    reader.Fail(InvalidInput(reader.FieldPath("occurred_at"), "must be an ISO-8601 timestamp with a time zone"));
    return std::nullopt;
  }
  if (*parsed > now) {
    reader.Fail(InvalidInput(reader.FieldPath("occurred_at"), "must not be in the future"));
    return std::nullopt;
  }
  return FormatTimestamp(*parsed);
}

struct ProductInfo {
  int64_t id = 0;
  std::string drug_name;
  MicrogramsPerMillilitre strength;
  Microlitres container_volume;
};

Result<ProductInfo> LoadProduct(Transaction& txn, int64_t clinic_id, int64_t product_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT id, drug_name, strength_ug_per_ml, container_volume_ul FROM "
                                              "ledger_products WHERE id = ? AND clinic_id = ?",
                                              {product_id, clinic_id}));
  if (rows.empty()) return NotFound("no such controlled-substance product in this clinic");
  return ProductInfo{rows[0].Int(0), rows[0].Text(1), {rows[0].Int(2)}, {rows[0].Int(3)}};
}

Result<ProductInfo> LoadLotProduct(Transaction& txn, int64_t clinic_id, int64_t lot_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT p.id, p.drug_name, p.strength_ug_per_ml, p.container_volume_ul "
                                              "FROM ledger_lots l JOIN ledger_products p ON p.id = l.product_id "
                                              "WHERE l.id = ? AND l.clinic_id = ?",
                                              {lot_id, clinic_id}));
  if (rows.empty()) return NotFound("no such lot in this clinic");
  return ProductInfo{rows[0].Int(0), rows[0].Text(1), {rows[0].Int(2)}, {rows[0].Int(3)}};
}

Status RequireLocation(Transaction& txn, int64_t clinic_id, int64_t location_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT 1 FROM ledger_locations WHERE id = ? AND clinic_id = ?",
                                              {location_id, clinic_id}));
  if (rows.empty()) return NotFound("no such storage location in this clinic");
  return Status::Ok();
}

Status RequirePatient(Transaction& txn, int64_t clinic_id, int64_t patient_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT 1 FROM patients WHERE id = ? AND clinic_id = ?",
                                              {patient_id, clinic_id}));
  if (rows.empty()) return NotFound("no such patient in this clinic");
  return Status::Ok();
}

Result<std::optional<LedgerEntry>> LoadEntry(Transaction& txn, int64_t clinic_id, int64_t sequence) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(fmt::format("SELECT {} FROM ledger_entries WHERE clinic_id = ? AND "
                                                          "sequence = ?",
                                                          kLedgerEntryColumns),
                                              {clinic_id, sequence}));
  if (rows.empty()) return std::optional<LedgerEntry>();
  return std::optional<LedgerEntry>(LedgerEntryFromRow(rows[0]));
}

Result<bool> IsCorrected(Transaction& txn, int64_t clinic_id, int64_t sequence) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT 1 FROM ledger_entries WHERE clinic_id = ? AND related_sequence = ? "
                                              "AND kind = 'correction'",
                                              {clinic_id, sequence}));
  return !rows.empty();
}

// Micrograms wasted so far from the draw `draw_sequence` (corrected wastes excluded).
Result<Micrograms> WastedFromDraw(Transaction& txn, int64_t clinic_id, int64_t draw_sequence) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query("SELECT COALESCE(SUM(w.quantity_ug), 0) FROM ledger_entries w WHERE w.clinic_id = ? "
                                "AND w.related_sequence = ? AND w.kind = 'waste' AND NOT EXISTS (SELECT 1 FROM "
                                "ledger_entries c WHERE c.clinic_id = w.clinic_id AND c.related_sequence = w.sequence "
                                "AND c.kind = 'correction')",
                                {clinic_id, draw_sequence}));
  return Micrograms{rows.empty() ? 0 : rows[0].Int(0)};
}

// The entry columns prefixed with the alias "e.".
const std::string& PrefixedEntryColumns() {
  static const std::string columns = [] {
    std::string in(kLedgerEntryColumns), out = "e.";
    for (char c : in) {
      out += c;
      if (c == ' ') out += "e.";
    }
    return out;
  }();
  return columns;
}
constexpr size_t kEntryColumnCount = 22;

std::string EntryViewSelect() {
  return fmt::format(
      "SELECT {}, u.username, l.lot_number, p.drug_name, p.strength_ug_per_ml, loc.name, tl.name, w1.username, "
      "w2.username, (SELECT MIN(c.sequence) FROM ledger_entries c WHERE c.clinic_id = e.clinic_id AND "
      "c.related_sequence = e.sequence AND c.kind = 'correction') "
      "FROM ledger_entries e JOIN users u ON u.id = e.recorded_by "
      "LEFT JOIN ledger_lots l ON l.id = e.lot_id LEFT JOIN ledger_products p ON p.id = l.product_id "
      "LEFT JOIN ledger_locations loc ON loc.id = e.location_id LEFT JOIN ledger_locations tl ON tl.id = "
      "e.to_location_id LEFT JOIN users w1 ON w1.id = e.witness1_user_id LEFT JOIN users w2 ON w2.id = "
      "e.witness2_user_id",
      PrefixedEntryColumns());
}

Json EntryView(const SqlRow& row) {
  const LedgerEntry e = LedgerEntryFromRow(row);
  const size_t k = kEntryColumnCount;
  Json witnesses = Json::array();
  if (!row.IsNull(k + 6)) witnesses.push_back(row.Text(k + 6));
  if (!row.IsNull(k + 7)) witnesses.push_back(row.Text(k + 7));
  Json view = {
      {"sequence", e.sequence},
      {"kind", std::string(ledger::EventKindName(e.kind))},
      {"occurred_at", e.occurred_at},
      {"recorded_at", e.recorded_at},
      {"recorded_by", row.Text(k)},
      {"lot_id", OptInt(e.lot_id)},
      {"lot_number", OptText(row.OptionalText(k + 1))},
      {"drug_name", OptText(row.OptionalText(k + 2))},
      {"location_id", OptInt(e.location_id)},
      {"location", OptText(row.OptionalText(k + 4))},
      {"to_location_id", OptInt(e.to_location_id)},
      {"to_location", OptText(row.OptionalText(k + 5))},
      {"quantity_mg", Mg(e.quantity.value)},
      {"quantity_ml", nullptr},
      {"drawn_mg", OptMg(e.drawn_ug)},
      {"administered_mg", OptMg(e.administered_ug)},
      {"from_draw", e.from_draw},
      {"reverses_kind", OptText(e.reverses_kind)},
      {"patient_id", OptInt(e.patient_id)},
      {"dosing_session_id", OptInt(e.dosing_session_id)},
      {"related_sequence", OptInt(e.related_sequence)},
      {"witnesses", witnesses},
      {"details", e.details},
      {"corrected_by_sequence", OptInt(row.OptionalInt(k + 8))},
      {"hash", e.hash},
  };
  if (!row.IsNull(k + 3)) {
    view["quantity_ml"] =
        ledger::FormatMillilitres(ledger::VolumeForDrug(MicrogramsPerMillilitre{row.Int(k + 3)}, e.quantity));
  }
  return view;
}

Result<Json> LoadEntryView(Transaction& txn, int64_t clinic_id, int64_t sequence) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(EntryViewSelect() + " WHERE e.clinic_id = ? AND e.sequence = ?",
                                              {clinic_id, sequence}));
  if (rows.empty()) return NotFound("no such ledger entry in this clinic");
  return EntryView(rows[0]);
}

Result<Json> QueryEntries(Transaction& txn, int64_t clinic_id, const LedgerEntryQuery& query) {
  std::string sql = EntryViewSelect() + " WHERE e.clinic_id = ?";
  SqlParams params{clinic_id};
  if (query.lot_id) {
    sql += " AND e.lot_id = ?";
    params.emplace_back(*query.lot_id);
  }
  if (query.patient_id) {
    sql += " AND e.patient_id = ?";
    params.emplace_back(*query.patient_id);
  }
  if (query.kind) {
    sql += " AND e.kind = ?";
    params.emplace_back(*query.kind);
  }
  if (query.before_sequence) {
    sql += " AND e.sequence < ?";
    params.emplace_back(*query.before_sequence);
  }
  sql += " ORDER BY e.sequence DESC LIMIT ?";
  params.emplace_back(int64_t{query.limit + 1});
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(sql, params));
  Json out = {{"items", Json::array()}, {"next_before_sequence", nullptr}};
  for (const SqlRow& row : rows) {
    if (static_cast<int>(out["items"].size()) == query.limit) {
      out["next_before_sequence"] = out["items"].back()["sequence"];
      break;
    }
    out["items"].push_back(EntryView(row));
  }
  return out;
}

std::string BalanceSelect() {
  return "SELECT b.lot_id, l.lot_number, l.expiry_date, p.id, p.drug_name, p.strength_ug_per_ml, "
         "p.container_volume_ul, b.location_id, loc.name, b.balance_ug, b.last_sequence, p.ndc "
         "FROM ledger_balances b JOIN ledger_lots l ON l.id = b.lot_id JOIN ledger_products p ON p.id = "
         "l.product_id JOIN ledger_locations loc ON loc.id = b.location_id";
}

Json BalanceView(const SqlRow& row, const std::string& today) {
  const MicrogramsPerMillilitre strength{row.Int(5)};
  const Micrograms balance{row.Int(9)};
  const Microlitres container{row.Int(6)};
  const auto per_container = ledger::DrugInVolume(strength, container);
  Json view = {{"lot_id", row.Int(0)},
               {"lot_number", row.Text(1)},
               {"expiry_date", row.Text(2)},
               {"expired", row.Text(2) < today},
               {"product_id", row.Int(3)},
               {"drug_name", row.Text(4)},
               {"ndc", row.Text(11)},
               {"strength_mg_per_ml", Mg(strength.value)},
               {"location_id", row.Int(7)},
               {"location", row.Text(8)},
               {"balance_mg", ledger::FormatMilligrams(balance)},
               {"balance_ml", ledger::FormatMillilitres(ledger::VolumeForDrug(strength, balance))},
               {"last_sequence", row.Int(10)},
               {"estimate_allowed", ledger::EstimatedCountAllowed(container)}};
  if (per_container && per_container->value > 0) {
    view["full_containers"] = balance.value / per_container->value;
  }
  return view;
}

Json ProductView(const SqlRow& row) {
  return {{"id", row.Int(0)},
          {"drug_name", row.Text(1)},
          {"finished_form", row.Text(2)},
          {"strength_mg_per_ml", Mg(row.Int(3))},
          {"container_volume_ml", Mg(row.Int(4))},
          {"container_content_mg", OptMg([&]() -> std::optional<int64_t> {
             auto q = ledger::DrugInVolume({row.Int(3)}, {row.Int(4)});
             return q ? std::optional<int64_t>(q->value) : std::nullopt;
           }())},
          {"ndc", row.Text(5)},
          {"schedule", row.Text(6)},
          {"created_at", row.Text(7)}};
}

Json DiscrepancyView(const SqlRow& row) {
  return {{"id", row.Int(0)},
          {"cause", row.Text(1)},
          {"lot_id", row.Int(2)},
          {"lot_number", row.Text(3)},
          {"location_id", row.Int(4)},
          {"location", row.Text(5)},
          {"opened_by_sequence", row.Int(6)},
          {"expected_mg", Mg(row.Int(7))},
          {"counted_mg", Mg(row.Int(8))},
          {"difference_mg", Mg(row.Int(8) - row.Int(7))},
          {"opened_at", row.Text(9)},
          {"status", row.IsNull(10) ? "open" : "resolved"},
          {"resolved_by_sequence", OptInt(row.OptionalInt(10))},
          {"resolved_at", OptText(row.OptionalText(11))},
          {"resolution_reason", OptText(row.OptionalText(12))}};
}

constexpr std::string_view kDiscrepancySelect =
    "SELECT d.id, d.cause, d.lot_id, l.lot_number, d.location_id, loc.name, d.opened_by_sequence, d.expected_ug, "
    "d.counted_ug, d.opened_at, d.resolved_by_sequence, d.resolved_at, d.resolution_reason FROM "
    "ledger_discrepancies d JOIN ledger_lots l ON l.id = d.lot_id JOIN ledger_locations loc ON loc.id = "
    "d.location_id";

Result<int64_t> OpenDiscrepancy(Transaction& txn, int64_t clinic_id, const std::string& cause, const StockKey& key,
                                int64_t opened_by_sequence, Micrograms expected, Micrograms counted,
                                const std::string& now_text) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query("INSERT INTO ledger_discrepancies (clinic_id, cause, lot_id, location_id, "
                                "opened_by_sequence, expected_ug, counted_ug, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                                "RETURNING id",
                                {clinic_id, cause, key.lot_id, key.location_id, opened_by_sequence, expected.value,
                                 counted.value, now_text}));
  return rows.at(0).Int(0);
}

// Supplier fields of a receipt or return (21 CFR 1304.22(c): name, address, DEA number).
void ReadSupplier(JsonObjectReader& reader, Json& details) {
  auto name = reader.RequiredString("supplier_name", {1, 200});
  auto address = reader.RequiredString("supplier_address", {1, 400});
  auto dea = reader.RequiredString("supplier_dea_number", {1, 20});
  if (name) details["supplier_name"] = *name;
  if (address) details["supplier_address"] = *address;
  if (dea) {
    auto normalized = ledger::NormalizeDeaRegistration(*dea);
    if (!normalized) {
      reader.Fail(InvalidInput(reader.FieldPath("supplier_dea_number"),
                               "must be a DEA registration number: 2 letters (or a letter and 9) then 7 digits"));
    } else {
      details["supplier_dea_number"] = *normalized;
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Inventory set-up

Result<Json> LedgerService::CreateProduct(const Actor& actor, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kLedgerSetup,
                                       LedgerAudit("ledger.product.create", "ledger_product", "")));
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto drug = reader.RequiredString("drug_name", {1, 120});
  auto form = reader.RequiredString("finished_form", {1, 120});
  auto strength = ReadThousandths(reader, body, "strength_mg_per_ml", true, false);
  auto volume = ReadThousandths(reader, body, "container_volume_ml", true, false);
  auto ndc_text = reader.RequiredString("ndc", {1, 20});
  std::optional<std::string> ndc;
  if (ndc_text) {
    ndc = ledger::NormalizeNdc(*ndc_text);
    if (!ndc) {
      reader.Fail(InvalidInput("ndc", "must be an NDC as 4-4-2, 5-3-2 or 5-4-1 digits with hyphens, or 11 digits "
                                      "(5-4-2)"));
    }
  }
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!ledger::DrugInVolume({*strength}, {*volume})) {
    return InvalidInput("container_volume_ml", "strength × volume must be a whole number of micrograms");
  }
  const TimePoint now = context_.clock.Now();
  const std::string now_text = FormatTimestamp(now);
  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    auto inserted = txn.Query(
        "INSERT INTO ledger_products (clinic_id, drug_name, finished_form, strength_ug_per_ml, container_volume_ul, "
        "ndc, schedule, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 'III', ?, ?) RETURNING id, drug_name, "
        "finished_form, strength_ug_per_ml, container_volume_ul, ndc, schedule, created_at",
        {actor.clinic_id, *drug, *form, *strength, *volume, *ndc, now_text,
         actor.user_id ? SqlValue(actor.user_id) : SqlNull()});
    if (!inserted.ok()) {
      if (inserted.error().code == ErrorCode::kConflict) {
        return Conflict("this clinic already has a product with this NDC", "ndc");
      }
      return inserted.error();
    }
    Json product = ProductView(inserted.value().at(0));
    KC_RETURN_IF_ERROR(AppendAuditEvent(
        txn, actor, LedgerAudit("ledger.product.create", "ledger_product", std::to_string(product["id"].get<int64_t>())),
        now));
    return product;
  });
}

Result<Json> LedgerService::CreateLocation(const Actor& actor, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kLedgerSetup,
                                       LedgerAudit("ledger.location.create", "ledger_location", "")));
  if (!body.is_object()) return InvalidInput("", "the body must be a JSON object");
  JsonObjectReader reader(body);
  auto name = reader.RequiredString("name", {1, 120});
  auto description = reader.OptionalString("description", {0, 400});
  KC_RETURN_IF_ERROR(reader.Finish());
  const TimePoint now = context_.clock.Now();
  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    auto inserted = txn.Query(
        "INSERT INTO ledger_locations (clinic_id, name, description, created_at, created_by) VALUES (?, ?, ?, ?, ?) "
        "RETURNING id",
        {actor.clinic_id, *name, description.value_or(""), FormatTimestamp(now),
         actor.user_id ? SqlValue(actor.user_id) : SqlNull()});
    if (!inserted.ok()) {
      if (inserted.error().code == ErrorCode::kConflict) {
        return Conflict("this clinic already has a storage location with this name", "name");
      }
      return inserted.error();
    }
    const int64_t id = inserted.value().at(0).Int(0);
    KC_RETURN_IF_ERROR(
        AppendAuditEvent(txn, actor, LedgerAudit("ledger.location.create", "ledger_location", std::to_string(id)), now));
    return Json{{"id", id}, {"name", *name}, {"description", description.value_or("")}};
  });
}

// ---------------------------------------------------------------------------
// Reads

namespace {

// A read: permission, the read-only work, then its durable audit event.
Result<Json> AuditedRead(ServiceContext& context, const Actor& actor, const AuditEntry& audit,
                         const std::function<Result<Json>(Transaction&)>& work) {
  KC_RETURN_IF_ERROR(RequirePermission(context, actor, Permission::kLedgerRead, audit));
  const TimePoint now = context.clock.Now();
  auto result = context.database.Run<Json>(TransactionMode::kReadOnly, work);
  if (!result.ok()) return result;
  KC_RETURN_IF_ERROR(RecordReadAudit(context, actor, audit, now));
  return result;
}

}  // namespace

Result<Json> LedgerService::ListProducts(const Actor& actor) {
  return AuditedRead(context_, actor, LedgerAudit("ledger.product.list", "ledger_product", ""),
                     [&](Transaction& txn) -> Result<Json> {
                       KC_ASSIGN_OR_RETURN(SqlRows rows,
                                           txn.Query("SELECT id, drug_name, finished_form, strength_ug_per_ml, "
                                                     "container_volume_ul, ndc, schedule, created_at FROM "
                                                     "ledger_products WHERE clinic_id = ? ORDER BY drug_name, id",
                                                     {actor.clinic_id}));
                       Json items = Json::array();
                       for (const SqlRow& row : rows) items.push_back(ProductView(row));
                       return Json{{"items", items}};
                     });
}

Result<Json> LedgerService::ListLocations(const Actor& actor) {
  return AuditedRead(context_, actor, LedgerAudit("ledger.location.list", "ledger_location", ""),
                     [&](Transaction& txn) -> Result<Json> {
                       KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT id, name, description FROM ledger_locations "
                                                                   "WHERE clinic_id = ? ORDER BY name, id",
                                                                   {actor.clinic_id}));
                       Json items = Json::array();
                       for (const SqlRow& row : rows) {
                         items.push_back({{"id", row.Int(0)}, {"name", row.Text(1)}, {"description", row.Text(2)}});
                       }
                       return Json{{"items", items}};
                     });
}

Result<Json> LedgerService::ListLots(const Actor& actor) {
  const std::string today = FormatDate(context_.clock.Now());
  return AuditedRead(
      context_, actor, LedgerAudit("ledger.lot.list", "ledger_lot", ""), [&](Transaction& txn) -> Result<Json> {
        KC_ASSIGN_OR_RETURN(SqlRows rows,
                            txn.Query("SELECT l.id, l.lot_number, l.expiry_date, p.id, p.drug_name, p.ndc, "
                                      "p.strength_ug_per_ml, COALESCE((SELECT SUM(b.balance_ug) FROM ledger_balances b "
                                      "WHERE b.lot_id = l.id), 0) FROM ledger_lots l JOIN ledger_products p ON p.id = "
                                      "l.product_id WHERE l.clinic_id = ? ORDER BY l.expiry_date, l.id",
                                      {actor.clinic_id}));
        Json items = Json::array();
        for (const SqlRow& row : rows) {
          const Micrograms total{row.Int(7)};
          items.push_back({{"id", row.Int(0)},
                           {"lot_number", row.Text(1)},
                           {"expiry_date", row.Text(2)},
                           {"expired", row.Text(2) < today},
                           {"product_id", row.Int(3)},
                           {"drug_name", row.Text(4)},
                           {"ndc", row.Text(5)},
                           {"strength_mg_per_ml", Mg(row.Int(6))},
                           {"balance_mg", ledger::FormatMilligrams(total)},
                           {"balance_ml", ledger::FormatMillilitres(ledger::VolumeForDrug({row.Int(6)}, total))}});
        }
        return Json{{"items", items}};
      });
}

Result<Json> LedgerService::GetLot(const Actor& actor, int64_t lot_id, const LedgerEntryQuery& page) {
  const std::string today = FormatDate(context_.clock.Now());
  return AuditedRead(
      context_, actor, LedgerAudit("ledger.lot.read", "ledger_lot", std::to_string(lot_id)),
      [&](Transaction& txn) -> Result<Json> {
        KC_ASSIGN_OR_RETURN(SqlRows lot, txn.Query("SELECT l.id, l.lot_number, l.expiry_date, p.id, p.drug_name, "
                                                   "p.ndc, p.strength_ug_per_ml, p.container_volume_ul, p.finished_form "
                                                   "FROM ledger_lots l JOIN ledger_products p ON p.id = l.product_id "
                                                   "WHERE l.id = ? AND l.clinic_id = ?",
                                                   {lot_id, actor.clinic_id}));
        if (lot.empty()) return NotFound("no such lot in this clinic");
        Json out = {{"id", lot[0].Int(0)},
                    {"lot_number", lot[0].Text(1)},
                    {"expiry_date", lot[0].Text(2)},
                    {"expired", lot[0].Text(2) < today},
                    {"product_id", lot[0].Int(3)},
                    {"drug_name", lot[0].Text(4)},
                    {"ndc", lot[0].Text(5)},
                    {"strength_mg_per_ml", Mg(lot[0].Int(6))},
                    {"container_volume_ml", Mg(lot[0].Int(7))},
                    {"finished_form", lot[0].Text(8)}};
        KC_ASSIGN_OR_RETURN(SqlRows balances,
                            txn.Query(BalanceSelect() + " WHERE b.lot_id = ? ORDER BY loc.name", {lot_id}));
        out["balances"] = Json::array();
        for (const SqlRow& row : balances) out["balances"].push_back(BalanceView(row, today));
        LedgerEntryQuery query = page;
        query.lot_id = lot_id;
        KC_ASSIGN_OR_RETURN(out["entries"], QueryEntries(txn, actor.clinic_id, query));
        return out;
      });
}

Result<Json> LedgerService::ListEntries(const Actor& actor, const LedgerEntryQuery& query) {
  if (query.limit < 1 || query.limit > kMaxPageSize) {
    return InvalidInput("limit", fmt::format("must be between 1 and {}", kMaxPageSize));
  }
  if (query.kind && !ledger::ParseEventKind(*query.kind)) return InvalidInput("kind", "is not a ledger event kind");
  AuditEntry audit = LedgerAudit("ledger.entry.list", "ledger_entry", "", query.patient_id);
  return AuditedRead(context_, actor, audit, [&](Transaction& txn) -> Result<Json> {
    if (query.patient_id) KC_RETURN_IF_ERROR(RequirePatient(txn, actor.clinic_id, *query.patient_id));
    return QueryEntries(txn, actor.clinic_id, query);
  });
}

Result<Json> LedgerService::Balances(const Actor& actor) {
  const std::string today = FormatDate(context_.clock.Now());
  return AuditedRead(context_, actor, LedgerAudit("ledger.balance.list", "ledger_balance", ""),
                     [&](Transaction& txn) -> Result<Json> {
                       KC_ASSIGN_OR_RETURN(SqlRows rows,
                                           txn.Query(BalanceSelect() + " WHERE b.clinic_id = ? ORDER BY p.drug_name, "
                                                                       "l.expiry_date, loc.name LIMIT 5000",
                                                     {actor.clinic_id}));
                       Json items = Json::array();
                       for (const SqlRow& row : rows) items.push_back(BalanceView(row, today));
                       return Json{{"items", items}};
                     });
}

Result<Json> LedgerService::CountSheet(const Actor& actor) {
  const std::string today = FormatDate(context_.clock.Now());
  return AuditedRead(
      context_, actor, LedgerAudit("ledger.count_sheet.read", "ledger_count", ""), [&](Transaction& txn) -> Result<Json> {
        KC_ASSIGN_OR_RETURN(SqlRows rows,
                            txn.Query(BalanceSelect() + " WHERE b.clinic_id = ? AND (b.balance_ug > 0 OR EXISTS "
                                                        "(SELECT 1 FROM ledger_entries e WHERE e.clinic_id = b.clinic_id "
                                                        "AND e.lot_id = b.lot_id AND e.kind = 'receive')) ORDER BY "
                                                        "loc.name, p.drug_name, l.expiry_date LIMIT 5000",
                                      {actor.clinic_id}));
        Json lines = Json::array();
        for (const SqlRow& row : rows) {
          Json view = BalanceView(row, today);
          view["expected_mg"] = view["balance_mg"];
          lines.push_back(std::move(view));
        }
        // The last full inventory (initial or biennial) sets when the next is due.
        KC_ASSIGN_OR_RETURN(SqlRows last, txn.Query("SELECT MAX(taken_at) FROM ledger_full_inventories WHERE "
                                                    "clinic_id = ?",
                                                    {actor.clinic_id}));
        Json out = {{"lines", lines}, {"last_inventory_at", nullptr}, {"biennial_inventory_due", nullptr}};
        if (!last.empty() && !last[0].IsNull(0)) {
          const std::string at = last[0].Text(0);
          out["last_inventory_at"] = at;
          if (auto due = ledger::BiennialInventoryDue(at.substr(0, 10))) {
            out["biennial_inventory_due"] = *due;
            out["biennial_inventory_overdue"] = *due < today;
          }
        }
        return out;
      });
}

Result<Json> LedgerService::ListDiscrepancies(const Actor& actor, bool open_only) {
  return AuditedRead(context_, actor, LedgerAudit("ledger.discrepancy.list", "ledger_discrepancy", ""),
                     [&](Transaction& txn) -> Result<Json> {
                       std::string sql = std::string(kDiscrepancySelect) + " WHERE d.clinic_id = ?";
                       if (open_only) sql += " AND d.resolved_by_sequence IS NULL";
                       sql += " ORDER BY d.id DESC LIMIT 1000";
                       KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(sql, {actor.clinic_id}));
                       Json items = Json::array();
                       for (const SqlRow& row : rows) items.push_back(DiscrepancyView(row));
                       return Json{{"items", items}};
                     });
}

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
  if (kind == EventKind::kAdminister) {
    entry.drawn_ug = quantity_ug;
    entry.administered_ug = administered_ug;
    KC_RETURN_IF_ERROR(ledger::CheckDrawAccounting(Micrograms{*quantity_ug}, Micrograms{*administered_ug}, {0}, {0}));
  }

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

  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
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
