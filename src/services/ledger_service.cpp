// The controlled-substance ledger service: inventory set-up and reads (see
// ledger_service.h; events are in ledger_events.cpp, reports in
// ledger_reports.cpp).
#include "services/ledger_service.h"

#include <fmt/format.h>

#include "clinical/ledger/identifiers.h"
#include "clinical/ledger/ledger_rules.h"
#include "services/audit_trail.h"
#include "services/guard.h"
#include "services/ledger_input.h"
#include "services/ledger_queries.h"
#include "services/read_audit_log.h"

namespace ketachart {

using namespace ledger_internal;
using ledger::Micrograms;

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

}  // namespace ketachart
