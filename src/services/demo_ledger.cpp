// Demo controlled-substance ledger (see demo_ledger.h).
#include "services/demo_ledger.h"

#include <fmt/format.h>

#include "services/demo_clinic.h"
#include "services/ledger_service.h"

namespace ketachart {
namespace {

std::string Ago(TimePoint now, int days, int hours = 0) {
  return FormatTimestamp(now - std::chrono::hours(24 * days + hours));
}

// Exact decimal mg text for a whole number of micrograms.
std::string MgText(int64_t ug) {
  std::string out = std::to_string(ug / 1000);
  if (ug % 1000) {
    std::string frac = fmt::format("{:03}", ug % 1000);
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out;
}

}  // namespace

Status SeedDemoLedger(ServiceContext& context, const DemoLedgerStaff& staff) {
  const TimePoint now = context.clock.Now();
  LedgerService ledger(context);
  const Actor admin{staff.admin_id, "demo.admin", staff.clinic_id, {Role::kAdmin}, "demo-seed"};
  const Actor prescriber{staff.prescriber_id, "demo.prescriber", staff.clinic_id, {Role::kPrescriber}, "demo-seed"};
  const Actor nurse{staff.nurse_id, "demo.nurse", staff.clinic_id, {Role::kNurse}, "demo-seed"};
  const Json prescriber_witness = {{"username", "demo.prescriber"}, {"password", std::string(kDemoPassword)}};

  // An invented NDC in a valid 5-3-2 layout (no real product uses labeler 99999 here).
  KC_ASSIGN_OR_RETURN(Json product, ledger.CreateProduct(admin, {{"drug_name", "Ketamine hydrochloride"},
                                                                 {"finished_form", "injection solution, vial"},
                                                                 {"strength_mg_per_ml", "50"},
                                                                 {"container_volume_ml", "10"},
                                                                 {"ndc", "99999-050-10"}}));
  KC_ASSIGN_OR_RETURN(Json safe, ledger.CreateLocation(admin, {{"name", "Medication room safe"},
                                                               {"description", "double-locked cabinet"}}));
  KC_ASSIGN_OR_RETURN(Json room, ledger.CreateLocation(admin, {{"name", "Infusion suite lockbox"}}));
  const int64_t product_id = product["id"], safe_id = safe["id"], room_id = room["id"];

  auto receive = [&](const std::string& lot, const std::string& expiry, int containers, int days_ago) {
    return ledger.RecordEvent(nurse, {{"kind", "receive"},
                                      {"product_id", product_id},
                                      {"lot_number", lot},
                                      {"expiry_date", expiry},
                                      {"location_id", safe_id},
                                      {"containers", containers},
                                      {"occurred_at", Ago(now, days_ago)},
                                      {"supplier_name", "Demo Pharmaceutical Distribution Co."},
                                      {"supplier_address", "400 Warehouse Way, Springfield, IL 62701"},
                                      {"supplier_dea_number", "RD9876543"},
                                      {"invoice_number", fmt::format("INV-{}", 7000 + days_ago)}});
  };
  KC_ASSIGN_OR_RETURN(Json first, receive("KD24017", "2027-03-31", 10, 60));
  const int64_t lot_a = first["lot_id"];
  KC_RETURN_IF_ERROR(ledger
                         .RecordCount(nurse, {{"count_kind", "initial"},
                                              {"occurred_at", Ago(now, 60, -1)},
                                              {"lines", {{{"lot_id", lot_a}, {"location_id", safe_id},
                                                          {"counted_mg", "5000"}}}}})
                         .status());
  KC_RETURN_IF_ERROR(ledger
                         .RecordEvent(nurse, {{"kind", "transfer"},
                                              {"lot_id", lot_a},
                                              {"location_id", safe_id},
                                              {"to_location_id", room_id},
                                              {"quantity_mg", "1000"},
                                              {"occurred_at", Ago(now, 59)}})
                         .status());
  int64_t lot_b = 0;  // received once the first lot's lockbox stock has been used for eight sessions

  // Administrations to the first demo patients with a recorded weight:
  // 0.5 mg/kg (the "standard dose" of IV racemic ketamine, clinical-reference.md
  // section G: Sanacora, JAMA Psychiatry 2017;74(9):971), drawn up to the next
  // whole 5 mg; the undelivered rest is wasted with a witness.
  KC_ASSIGN_OR_RETURN(SqlRows weights,
                      context.database.Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
                        return txn.Query(
                            "SELECT p.id, (SELECT m.value FROM patient_body_measurements m WHERE m.patient_id = p.id "
                            "AND m.kind = 'weight' ORDER BY m.measured_on DESC, m.id DESC LIMIT 1) FROM patients p "
                            "WHERE p.clinic_id = ? ORDER BY p.id LIMIT 12",
                            {staff.clinic_id});
                      }));
  int n = 0;
  for (const SqlRow& row : weights) {
    if (row.IsNull(1)) continue;
    const int64_t administered_ug = row.Int(1) / 2;  // grams × 0.5 µg/g = 0.5 mg/kg
    const int64_t drawn_ug = (administered_ug + 4999) / 5000 * 5000;
    const int days_ago = 55 - n * 4;
    const Actor& recorder = n % 2 == 0 ? nurse : prescriber;
    if (n == 8) {
      KC_ASSIGN_OR_RETURN(Json second, receive("KD24121", "2027-09-30", 5, days_ago + 1));
      lot_b = second["lot_id"];
    }
    KC_ASSIGN_OR_RETURN(Json draw, ledger.RecordEvent(recorder, {{"kind", "administer"},
                                                                 {"lot_id", n < 8 ? lot_a : lot_b},
                                                                 {"location_id", n < 8 ? room_id : safe_id},
                                                                 {"patient_id", row.Int(0)},
                                                                 {"drawn_mg", MgText(drawn_ug)},
                                                                 {"administered_mg", MgText(administered_ug)},
                                                                 {"route", "intravenous infusion"},
                                                                 {"occurred_at", Ago(now, days_ago)}}));
    if (drawn_ug > administered_ug) {
      const Json witness = n % 2 == 0 ? prescriber_witness
                                       : Json{{"username", "demo.nurse"}, {"password", std::string(kDemoPassword)}};
      KC_RETURN_IF_ERROR(ledger
                             .RecordEvent(n % 2 == 0 ? nurse : prescriber,
                                          {{"kind", "waste"},
                                           {"draw_sequence", draw["sequence"]},
                                           {"quantity_mg", MgText(drawn_ug - administered_ug)},
                                           {"manner", "expelled into the pharmaceutical-waste container"},
                                           {"witness", witness},
                                           {"occurred_at", Ago(now, days_ago, -1)}})
                             .status());
    }
    ++n;
  }

  // A routine count of every stock; the lockbox is found 0.5 mg short, which
  // opens a case that the prescriber resolves with a reason.
  KC_ASSIGN_OR_RETURN(Json sheet, ledger.CountSheet(nurse));
  Json lines = Json::array();
  for (const Json& line : sheet["lines"]) {
    std::string counted = line["expected_mg"];
    if (line["location_id"] == room_id && line["lot_id"] == lot_a) {
      const int64_t expected_ug = static_cast<int64_t>(std::llround(std::stod(counted) * 1000));
      counted = MgText(expected_ug >= 500 ? expected_ug - 500 : expected_ug);
    }
    lines.push_back({{"lot_id", line["lot_id"]}, {"location_id", line["location_id"]}, {"counted_mg", counted}});
  }
  KC_ASSIGN_OR_RETURN(Json count, ledger.RecordCount(nurse, {{"count_kind", "routine"},
                                                             {"occurred_at", Ago(now, 1)},
                                                             {"lines", lines}}));
  for (const Json& opened : count["discrepancies"]) {
    KC_RETURN_IF_ERROR(ledger
                           .ResolveDiscrepancy(prescriber, opened["id"],
                                               {{"reason", "0.5 mg lost as spill during draw-up on the last session; "
                                                           "incident report filed and witnessed"}})
                           .status());
  }
  return Status::Ok();
}

}  // namespace ketachart
