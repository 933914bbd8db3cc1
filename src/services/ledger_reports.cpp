// Controlled-substance reports (see ledger_service.h): the 21 CFR 1304.22(c)
// dispensing record, the inventory report and a patient's administration
// history, as TabularReport for CSV/PDF rendering. Each is read in one
// read-only transaction and audited before it is returned.
#include <fmt/format.h>

#include "clinical/ledger/ledger_rules.h"
#include "services/guard.h"
#include "services/ledger_chain.h"
#include "services/ledger_queries.h"
#include "services/ledger_service.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

using ledger::Micrograms;
using ledger::MicrogramsPerMillilitre;

// At most this many rows per report; a longer period is split by the user.
constexpr int64_t kMaxReportRows = 100000;

std::string Mg(int64_t ug) { return ledger::FormatThousandths(ug); }
std::string Ml(int64_t strength_ug_per_ml, int64_t ug) {
  return ledger::FormatMillilitres(ledger::VolumeForDrug(MicrogramsPerMillilitre{strength_ug_per_ml}, Micrograms{ug}));
}
std::string DetailText(const Json& details, const char* key) {
  auto it = details.find(key);
  if (it == details.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}
// "Jane Doe" -> "JD" (the dispenser's initials, 1304.22(c)).
std::string Initials(const std::string& name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (c == ' ' || c == '-' || c == '.' || c == '(') {
      start = true;
    } else if (start) {
      if (static_cast<unsigned char>(c) < 0x80 && std::isalpha(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(c));
      start = false;
    }
  }
  return out;
}

Result<std::string> ClinicName(Transaction& txn, int64_t clinic_id) {
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT name, code FROM clinics WHERE id = ?", {clinic_id}));
  if (rows.empty()) return NotFound("the active clinic no longer exists");
  return fmt::format("{} ({})", rows[0].Text(0), rows[0].Text(1));
}

Result<TabularReport> AuditedReport(ServiceContext& context, const Actor& actor, const AuditEntry& audit,
                                    const std::function<Result<TabularReport>(Transaction&)>& work) {
  KC_RETURN_IF_ERROR(RequirePermission(context, actor, Permission::kLedgerRead, audit));
  const TimePoint now = context.clock.Now();
  auto report = context.database.Run<TabularReport>(TransactionMode::kReadOnly, work);
  if (!report.ok()) return report;
  KC_RETURN_IF_ERROR(RecordReadAudit(context, actor, audit, now));
  return report;
}

}  // namespace

Result<TabularReport> LedgerService::DispensingRecord(const Actor& actor, int64_t product_id,
                                                      const std::string& from_date, const std::string& to_date) {
  if (!IsValidDate(from_date)) return InvalidInput("from", "must be a date YYYY-MM-DD");
  if (!IsValidDate(to_date)) return InvalidInput("to", "must be a date YYYY-MM-DD");
  if (to_date < from_date) return InvalidInput("to", "must not be before from");
  const TimePoint now = context_.clock.Now();
  AuditEntry audit{"ledger.report.dispensing", "ledger_product", std::to_string(product_id), std::nullopt,
                   AuditOutcome::kSuccess, fmt::format("{} to {}", from_date, to_date)};
  return AuditedReport(context_, actor, audit, [&](Transaction& txn) -> Result<TabularReport> {
    KC_ASSIGN_OR_RETURN(SqlRows product, txn.Query("SELECT drug_name, finished_form, strength_ug_per_ml, "
                                                   "container_volume_ul, ndc FROM ledger_products WHERE id = ? AND "
                                                   "clinic_id = ?",
                                                   {product_id, actor.clinic_id}));
    if (product.empty()) return NotFound("no such controlled-substance product in this clinic");
    const int64_t strength = product[0].Int(2);
    KC_ASSIGN_OR_RETURN(std::string clinic, ClinicName(txn, actor.clinic_id));
    TabularReport report;
    report.title = "Controlled substance dispensing record (21 CFR 1304.22(c))";
    report.file_stem = fmt::format("dispensing-record-{}-{}", from_date, to_date);
    report.heading_lines = {
        clinic,
        fmt::format("Substance and finished form: {}, {}; {} mg/mL; {} mL per container; NDC {}; Schedule III",
                    product[0].Text(0), product[0].Text(1), Mg(strength), Mg(product[0].Int(3)), product[0].Text(4)),
        fmt::format("Period {} to {} (UTC dates); generated {} by {}", from_date, to_date, FormatTimestamp(now),
                    actor.username)};
    report.columns = {{"Date (UTC)", 1.3}, {"Entry", 0.5},   {"Event", 0.8},           {"Lot", 0.8},
                      {"Quantity mg", 0.7}, {"Quantity mL", 0.7}, {"Supplier name", 1.2}, {"Supplier address", 1.5},
                      {"Supplier DEA no.", 0.9}, {"Recipient name", 1.2}, {"Recipient address", 1.5},
                      {"Dispenser", 1.0}, {"Initials", 0.5}, {"Manner of disposal", 1.4}, {"Witnesses", 1.1}};
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query(fmt::format(
                      "SELECT {}, l.lot_number, u.display_name, pt.family_name, pt.given_names, pt.document, "
                      "w1.display_name, w2.display_name FROM ledger_entries e JOIN ledger_lots l ON l.id = e.lot_id "
                      "JOIN users u ON u.id = e.recorded_by LEFT JOIN patients pt ON pt.id = e.patient_id "
                      "LEFT JOIN users w1 ON w1.id = e.witness1_user_id LEFT JOIN users w2 ON w2.id = "
                      "e.witness2_user_id WHERE e.clinic_id = ? AND l.product_id = ? AND e.occurred_at >= ? AND "
                      "e.occurred_at < ? AND e.kind NOT IN ('count', 'resolution') ORDER BY e.sequence LIMIT ?",
                      ledger_internal::PrefixedEntryColumns()),
                  {actor.clinic_id, product_id, from_date, to_date + "T99", kMaxReportRows + 1}));
    if (static_cast<int64_t>(rows.size()) > kMaxReportRows) {
      return InvalidInput("to", fmt::format("the period holds more than {} entries; choose a shorter one",
                                            kMaxReportRows));
    }
    constexpr size_t k = ledger_internal::kEntryColumnCount;
    for (const SqlRow& row : rows) {
      const LedgerEntry e = LedgerEntryFromRow(row);
      std::string recipient, address, manner;
      if (!row.IsNull(k + 2)) {
        recipient = fmt::format("{}, {}", row.Text(k + 2), row.Text(k + 3));
        Json document = Json::parse(row.Text(k + 4), nullptr, false);
        if (document.is_object()) address = DetailText(document, "address");
      }
      std::string event(ledger::EventKindName(e.kind));
      switch (e.kind) {
        case ledger::EventKind::kWaste: manner = "wastage: " + DetailText(e.details, "manner"); break;
        case ledger::EventKind::kDestruction:
          manner = fmt::format("destroyed (DEA Form 41): {} at {}", DetailText(e.details, "form_41_method"),
                               DetailText(e.details, "form_41_place"));
          break;
        case ledger::EventKind::kReturn: manner = "returned to supplier: " + DetailText(e.details, "reason"); break;
        case ledger::EventKind::kLoss:
          manner = fmt::format("{} (DEA Form 106): {}", DetailText(e.details, "form_106_loss_kind"),
                               DetailText(e.details, "form_106_circumstances"));
          break;
        case ledger::EventKind::kTransfer: manner = "transfer between storage locations"; break;
        case ledger::EventKind::kCorrection:
          event = "correction of " + e.reverses_kind.value_or("");
          manner = fmt::format("reverses entry {}: {}", e.related_sequence.value_or(0), DetailText(e.details, "reason"));
          break;
        default: break;
      }
      std::string quantity = Mg(e.quantity.value);
      if (e.kind == ledger::EventKind::kAdminister) {
        quantity = fmt::format("{} (drawn {})", Mg(e.administered_ug.value_or(0)), Mg(e.drawn_ug.value_or(0)));
      }
      std::string witnesses = row.Text(k + 5);
      if (!row.IsNull(k + 6)) witnesses += "; " + row.Text(k + 6);
      report.rows.push_back({e.occurred_at, std::to_string(e.sequence), event, row.Text(k), quantity,
                             Ml(strength, e.kind == ledger::EventKind::kAdminister ? e.administered_ug.value_or(0)
                                                                                     : e.quantity.value),
                             DetailText(e.details, "supplier_name"), DetailText(e.details, "supplier_address"),
                             DetailText(e.details, "supplier_dea_number"), recipient, address, row.Text(k + 1),
                             Initials(row.Text(k + 1)), manner, witnesses});
    }
    return report;
  });
}

Result<TabularReport> LedgerService::InventoryReport(const Actor& actor) {
  const TimePoint now = context_.clock.Now();
  const std::string today = FormatDate(now);
  AuditEntry audit{"ledger.report.inventory", "ledger_balance", "", std::nullopt, AuditOutcome::kSuccess, ""};
  return AuditedReport(context_, actor, audit, [&](Transaction& txn) -> Result<TabularReport> {
    KC_ASSIGN_OR_RETURN(std::string clinic, ClinicName(txn, actor.clinic_id));
    TabularReport report;
    report.title = "Controlled substance inventory";
    report.file_stem = "inventory-" + today;
    report.heading_lines = {clinic, fmt::format("Balances as recorded at {}; generated by {}", FormatTimestamp(now),
                                                actor.username)};
    report.columns = {{"Substance", 1.3}, {"Form", 1.3},        {"Strength mg/mL", 0.7}, {"NDC", 0.9},
                      {"Lot", 0.8},       {"Expiry", 0.7},      {"Location", 1.0},       {"Balance mg", 0.8},
                      {"Balance mL", 0.7}, {"Last count (UTC)", 1.2}, {"Counted mg", 0.7}, {"Estimated", 0.5}};
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query("SELECT p.drug_name, p.finished_form, p.strength_ug_per_ml, p.ndc, l.lot_number, l.expiry_date, "
                  "loc.name, b.balance_ug, (SELECT MAX(c.sequence) FROM ledger_entries c WHERE c.clinic_id = "
                  "b.clinic_id AND c.lot_id = b.lot_id AND c.location_id = b.location_id AND c.kind = 'count') "
                  "FROM ledger_balances b JOIN ledger_lots l ON l.id = b.lot_id JOIN ledger_products p ON p.id = "
                  "l.product_id JOIN ledger_locations loc ON loc.id = b.location_id WHERE b.clinic_id = ? ORDER BY "
                  "p.drug_name, l.expiry_date, loc.name LIMIT 100000",
                  {actor.clinic_id}));
    for (const SqlRow& row : rows) {
      std::string counted_at, counted, estimated;
      if (!row.IsNull(8)) {
        KC_ASSIGN_OR_RETURN(SqlRows count, txn.Query("SELECT occurred_at, quantity_ug, details FROM ledger_entries "
                                                     "WHERE clinic_id = ? AND sequence = ?",
                                                     {actor.clinic_id, row.Int(8)}));
        if (!count.empty()) {
          counted_at = count[0].Text(0);
          counted = Mg(count[0].Int(1));
          Json details = Json::parse(count[0].Text(2), nullptr, false);
          estimated = details.is_object() && details.value("estimated", false) ? "yes" : "no";
        }
      }
      std::string expiry = row.Text(5);
      if (expiry < today) expiry += " (expired)";
      report.rows.push_back({row.Text(0), row.Text(1), Mg(row.Int(2)), row.Text(3), row.Text(4), expiry, row.Text(6),
                             Mg(row.Int(7)), Ml(row.Int(2), row.Int(7)), counted_at, counted, estimated});
    }
    return report;
  });
}

Result<TabularReport> LedgerService::PatientAdministrationReport(const Actor& actor, int64_t patient_id) {
  const TimePoint now = context_.clock.Now();
  AuditEntry audit{"ledger.report.patient", "patient", std::to_string(patient_id), patient_id,
                   AuditOutcome::kSuccess, ""};
  return AuditedReport(context_, actor, audit, [&](Transaction& txn) -> Result<TabularReport> {
    KC_ASSIGN_OR_RETURN(SqlRows patient, txn.Query("SELECT family_name, given_names, mrn, birth_date FROM patients "
                                                   "WHERE id = ? AND clinic_id = ?",
                                                   {patient_id, actor.clinic_id}));
    if (patient.empty()) return NotFound("no such patient in this clinic");
    KC_ASSIGN_OR_RETURN(std::string clinic, ClinicName(txn, actor.clinic_id));
    TabularReport report;
    report.title = "Controlled substance administration history";
    report.file_stem = "administrations-" + patient[0].Text(2);
    report.heading_lines = {clinic,
                            fmt::format("Patient {}, {} (MRN {}, born {})", patient[0].Text(0), patient[0].Text(1),
                                        patient[0].Text(2), patient[0].Text(3)),
                            fmt::format("Generated {} by {}", FormatTimestamp(now), actor.username)};
    report.columns = {{"Date (UTC)", 1.3}, {"Entry", 0.5},  {"Event", 1.0},         {"Substance", 1.2},
                      {"Lot", 0.8},        {"Drawn mg", 0.6}, {"Administered mg", 0.8}, {"Wasted mg", 0.6},
                      {"Recorded by", 1.0}, {"Witness", 1.0}, {"Dosing session", 0.6}, {"Corrected by entry", 0.7}};
    KC_ASSIGN_OR_RETURN(
        SqlRows rows,
        txn.Query("SELECT e.occurred_at, e.sequence, e.kind, p.drug_name, l.lot_number, e.drawn_ug, e.administered_ug, "
                  "e.quantity_ug, u.display_name, w.display_name, e.dosing_session_id, (SELECT MIN(c.sequence) FROM "
                  "ledger_entries c WHERE c.clinic_id = e.clinic_id AND c.related_sequence = e.sequence AND c.kind = "
                  "'correction'), e.reverses_kind FROM ledger_entries e JOIN ledger_lots l ON l.id = e.lot_id JOIN "
                  "ledger_products p ON p.id = l.product_id JOIN users u ON u.id = e.recorded_by LEFT JOIN users w ON "
                  "w.id = e.witness1_user_id WHERE e.clinic_id = ? AND e.patient_id = ? ORDER BY e.sequence LIMIT "
                  "100000",
                  {actor.clinic_id, patient_id}));
    for (const SqlRow& row : rows) {
      const std::string kind = row.Text(2);
      const bool waste = kind == "waste" || row.Text(12) == "waste";
      const bool administer = kind == "administer" || row.Text(12) == "administer";
      std::string event = kind == "correction" ? "correction of " + row.Text(12) : kind;
      report.rows.push_back({row.Text(0), std::to_string(row.Int(1)), event, row.Text(3), row.Text(4),
                             administer && !row.IsNull(5) ? Mg(row.Int(5)) : "",
                             administer && !row.IsNull(6) ? Mg(row.Int(6)) : "", waste ? Mg(row.Int(7)) : "",
                             row.Text(8), row.Text(9), row.IsNull(10) ? "" : std::to_string(row.Int(10)),
                             row.IsNull(11) ? "" : std::to_string(row.Int(11))});
    }
    return report;
  });
}

}  // namespace ketachart
