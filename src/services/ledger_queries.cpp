// Shared pieces of the ledger service (see ledger_queries.h).
#include "services/ledger_queries.h"

#include <fmt/format.h>

#include "services/ledger_memo.h"

namespace ketachart::ledger_internal {

using ledger::Micrograms;
using ledger::Microlitres;
using ledger::MicrogramsPerMillilitre;
using ledger::StockKey;

AuditEntry LedgerAudit(std::string action, std::string resource_type, std::string resource_id,
                       std::optional<int64_t> patient_id, std::string detail) {
  return AuditEntry{std::move(action), std::move(resource_type), std::move(resource_id), patient_id,
                    AuditOutcome::kSuccess, std::move(detail)};
}

std::string Mg(int64_t ug) { return ledger::FormatThousandths(ug); }
Json OptMg(const std::optional<int64_t>& ug) { return ug ? Json(Mg(*ug)) : Json(nullptr); }
Json OptInt(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
Json OptText(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }


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

Result<AdministrationTargets> LoadAdministrationTargets(Transaction& txn, int64_t clinic_id, int64_t user_id,
                                                        int64_t lot_id, int64_t location_id, int64_t patient_id) {
  // Remembered facts first (they never change once committed; ledger_memo.h).
  LedgerMemo& memo = txn.memo().Get<LedgerMemo>();
  std::optional<LedgerMemo::Lot> lot = memo.FindLot(lot_id);
  std::optional<LedgerMemo::Location> location = memo.FindLocation(location_id);
  std::optional<std::string> username = memo.Username(user_id);
  if (lot && location && username && memo.PatientIn(clinic_id, patient_id)) {
    if (lot->clinic_id != clinic_id) return NotFound("no such lot in this clinic");
    if (location->clinic_id != clinic_id) return NotFound("no such storage location in this clinic");
    AdministrationTargets targets;
    targets.names.recorded_by = *username;
    targets.names.lot_number = lot->lot_number;
    targets.names.drug_name = lot->drug_name;
    targets.names.strength_ug_per_ml = lot->strength_ug_per_ml;
    targets.names.location = location->name;
    return targets;  // the balance comes from the memo or is read by the append
  }
  KC_ASSIGN_OR_RETURN(
      SqlRows rows,
      txn.Query("SELECT l.id, l.lot_number, p.drug_name, p.strength_ug_per_ml, (SELECT name FROM ledger_locations "
                "WHERE id = ? AND clinic_id = ?), (SELECT 1 FROM patients WHERE id = ? AND clinic_id = ?), "
                "(SELECT balance_ug FROM ledger_balances WHERE lot_id = ? AND location_id = ?), (SELECT username "
                "FROM users WHERE id = ?) FROM (SELECT 1 AS one) o LEFT JOIN ledger_lots l ON l.id = ? AND "
                "l.clinic_id = ? LEFT JOIN ledger_products p ON p.id = l.product_id",
                {location_id, clinic_id, patient_id, clinic_id, lot_id, location_id, user_id, lot_id, clinic_id}));
  if (rows.empty() || rows[0].IsNull(0) || rows[0].IsNull(2)) return NotFound("no such lot in this clinic");
  const SqlRow& row = rows[0];
  if (row.IsNull(4)) return NotFound("no such storage location in this clinic");
  if (row.IsNull(5)) return NotFound("no such patient in this clinic");
  AdministrationTargets targets;
  targets.balance = Micrograms{row.IsNull(6) ? 0 : row.Int(6)};
  targets.names.recorded_by = row.Text(7);
  targets.names.lot_number = row.Text(1);
  targets.names.drug_name = row.Text(2);
  targets.names.strength_ug_per_ml = row.Int(3);
  targets.names.location = row.Text(4);
  txn.AfterCommit([&memo, lot_id, location_id, clinic_id, patient_id, user_id, names = targets.names] {
    memo.Remember(lot_id, LedgerMemo::Lot{clinic_id, *names.lot_number, *names.drug_name, *names.strength_ug_per_ml},
                  location_id, LedgerMemo::Location{clinic_id, *names.location}, clinic_id, patient_id, user_id,
                  names.recorded_by);
  });
  return targets;
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
  const size_t k = kEntryColumnCount;
  EntryNames names;
  names.recorded_by = row.Text(k);
  names.lot_number = row.OptionalText(k + 1);
  names.drug_name = row.OptionalText(k + 2);
  names.strength_ug_per_ml = row.OptionalInt(k + 3);
  names.location = row.OptionalText(k + 4);
  names.to_location = row.OptionalText(k + 5);
  if (!row.IsNull(k + 6)) names.witnesses.push_back(row.Text(k + 6));
  if (!row.IsNull(k + 7)) names.witnesses.push_back(row.Text(k + 7));
  names.corrected_by_sequence = row.OptionalInt(k + 8);
  return EntryViewOf(LedgerEntryFromRow(row), names);
}

Json EntryViewOf(const LedgerEntry& e, const EntryNames& names) {
  Json witnesses = Json::array();
  for (const std::string& w : names.witnesses) witnesses.push_back(w);
  Json view = {
      {"sequence", e.sequence},
      {"kind", std::string(ledger::EventKindName(e.kind))},
      {"occurred_at", e.occurred_at},
      {"recorded_at", e.recorded_at},
      {"recorded_by", names.recorded_by},
      {"lot_id", OptInt(e.lot_id)},
      {"lot_number", OptText(names.lot_number)},
      {"drug_name", OptText(names.drug_name)},
      {"location_id", OptInt(e.location_id)},
      {"location", OptText(names.location)},
      {"to_location_id", OptInt(e.to_location_id)},
      {"to_location", OptText(names.to_location)},
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
      {"corrected_by_sequence", OptInt(names.corrected_by_sequence)},
      {"hash", e.hash},
  };
  if (names.strength_ug_per_ml) {
    view["quantity_ml"] =
        ledger::FormatMillilitres(ledger::VolumeForDrug(MicrogramsPerMillilitre{*names.strength_ug_per_ml}, e.quantity));
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

}  // namespace ketachart::ledger_internal
