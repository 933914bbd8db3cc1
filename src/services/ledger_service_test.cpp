// Service tests of the controlled-substance ledger: permissions, each event
// kind, the invariants (no negative stock, administered + wasted ≤ drawn,
// distinct authenticated witnesses), corrections, counts and discrepancy
// cases, the hash chain and its tamper detection, and concurrent writers.
#include "services/ledger_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "services/ledger_administration.h"
#include "services/ledger_chain.h"
#include "services/ledger_memo.h"
#include "services/patient_service.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

class LedgerServiceTest : public ServiceTest {
 protected:
  LedgerServiceTest() : ledger_(context()), patients_(context()) {
    clinic_ = AddClinic("KET");
    admin_ = AddStaff("admin", clinic_, {Role::kAdmin});
    nurse_ = AddStaff("nurse.nia", clinic_, {Role::kNurse});
    prescriber_ = AddStaff("dr.pat", clinic_, {Role::kPrescriber});
    auditor_ = AddStaff("auditor", clinic_, {Role::kAuditor});
    therapist_ = AddStaff("therapist", clinic_, {Role::kTherapist});
    product_ = Must(ledger_.CreateProduct(admin_.actor, {{"drug_name", "Ketamine HCl"},
                                                          {"finished_form", "injection solution, multi-dose vial"},
                                                          {"strength_mg_per_ml", "50"},
                                                          {"container_volume_ml", "10"},
                                                          {"ndc", "12345-678-90"}}))["id"];
    vault_ = Must(ledger_.CreateLocation(admin_.actor, {{"name", "Safe A"}}))["id"];
    room_ = Must(ledger_.CreateLocation(admin_.actor, {{"name", "Infusion room 1"}}))["id"];
    patient_ = Must(patients_.RegisterPatient(
        nurse_.actor, {{"family_name", "Doe"}, {"given_names", "Jane"}, {"birth_date", "1980-01-02"}, {"sex", "female"}}))["id"];
  }

  Json Receive(int containers = 2, const std::string& lot = "L001") {
    return Must(ledger_.RecordEvent(nurse_.actor, {{"kind", "receive"},
                                                   {"product_id", product_},
                                                   {"lot_number", lot},
                                                   {"expiry_date", "2027-06-30"},
                                                   {"location_id", vault_},
                                                   {"containers", containers},
                                                   {"supplier_name", "Acme Pharma Distribution"},
                                                   {"supplier_address", "1 Depot Rd, Springfield"},
                                                   {"supplier_dea_number", "RA1234563"},
                                                   {"invoice_number", "INV-77"}}),
                "receive");
  }
  Json Administer(int64_t lot_id, const std::string& drawn, const std::string& given) {
    return Must(ledger_.RecordEvent(nurse_.actor, {{"kind", "administer"},
                                                   {"lot_id", lot_id},
                                                   {"location_id", vault_},
                                                   {"patient_id", patient_},
                                                   {"drawn_mg", drawn},
                                                   {"administered_mg", given}}),
                "administer");
  }
  Json WasteBody(int64_t draw, const std::string& mg, const Staff& witness, const std::string& password = "") {
    return {{"kind", "waste"},
            {"draw_sequence", draw},
            {"quantity_mg", mg},
            {"manner", "into the drug-disposal container"},
            {"witness", {{"username", witness.username}, {"password", password.empty() ? witness.password : password}}}};
  }
  std::string Balance(int64_t lot_id, int64_t location_id) {
    Json balances = Must(ledger_.Balances(auditor_.actor));
    for (const Json& b : balances["items"]) {
      if (b["lot_id"] == lot_id && b["location_id"] == location_id) return b["balance_mg"];
    }
    return "none";
  }

  LedgerService ledger_;
  PatientService patients_;
  int64_t clinic_ = 0;
  Staff admin_, nurse_, prescriber_, auditor_, therapist_;
  int64_t product_ = 0, vault_ = 0, room_ = 0, patient_ = 0;
};

TEST_F(LedgerServiceTest, ProductValidatesNdcAndIsAdminOnly) {
  EXPECT_TRUE(FailsWith(ledger_.CreateProduct(admin_.actor, {{"drug_name", "Ketamine"},
                                                             {"finished_form", "vial"},
                                                             {"strength_mg_per_ml", "100"},
                                                             {"container_volume_ml", "5"},
                                                             {"ndc", "123-4567-890"}}),
                        ErrorCode::kInvalidInput, "ndc"));
  EXPECT_TRUE(FailsWith(ledger_.CreateProduct(nurse_.actor, {{"drug_name", "Ketamine"}}), ErrorCode::kForbidden));
  Json products = Must(ledger_.ListProducts(auditor_.actor));
  ASSERT_EQ(products["items"].size(), 1u);
  EXPECT_EQ(products["items"][0]["container_content_mg"], "500");
  EXPECT_EQ(products["items"][0]["strength_mg_per_ml"], "50");
}

TEST_F(LedgerServiceTest, ReceiveCreatesTheLotAndTheBalance) {
  Json receipt = Receive(2);
  EXPECT_EQ(receipt["kind"], "receive");
  EXPECT_EQ(receipt["quantity_mg"], "1000");
  EXPECT_EQ(receipt["quantity_ml"], "20");
  EXPECT_EQ(receipt["details"]["supplier_dea_number"], "RA1234563");
  EXPECT_EQ(receipt["sequence"], 1);
  EXPECT_EQ(Balance(receipt["lot_id"], vault_), "1000");
  EXPECT_EQ(CountAudit("ledger.event.receive", "success"), 1);
  // A second receipt of the same lot with another expiry is refused.
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, {{"kind", "receive"},
                                                           {"product_id", product_},
                                                           {"lot_number", "L001"},
                                                           {"expiry_date", "2028-01-01"},
                                                           {"location_id", vault_},
                                                           {"quantity_mg", "10"},
                                                           {"supplier_name", "Acme"},
                                                           {"supplier_address", "1 Depot Rd"},
                                                           {"supplier_dea_number", "RA1234563"},
                                                           {"invoice_number", "INV-78"}}),
                        ErrorCode::kConflict, "expiry_date"));
}

TEST_F(LedgerServiceTest, BadSupplierDeaNumberNamesTheField) {
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, {{"kind", "receive"},
                                                           {"product_id", product_},
                                                           {"lot_number", "L9"},
                                                           {"expiry_date", "2027-01-01"},
                                                           {"location_id", vault_},
                                                           {"quantity_mg", "10"},
                                                           {"supplier_name", "Acme"},
                                                           {"supplier_address", "1 Depot Rd"},
                                                           {"supplier_dea_number", "12345"},
                                                           {"invoice_number", "INV-1"}}),
                        ErrorCode::kInvalidInput, "supplier_dea_number"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM ledger_entries"), 0);
}

TEST_F(LedgerServiceTest, OnlyPrescribersAndNursesRecordAndAuditorsRead) {
  Json receipt = Receive();
  const int64_t lot = receipt["lot_id"];
  Json body = {{"kind", "administer"}, {"lot_id", lot},         {"location_id", vault_},
               {"patient_id", patient_}, {"drawn_mg", "35"}, {"administered_mg", "35"}};
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(auditor_.actor, body), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(admin_.actor, body), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(therapist_.actor, body), ErrorCode::kForbidden));
  EXPECT_TRUE(test_support::IsOk(ledger_.RecordEvent(prescriber_.actor, body)));
  EXPECT_TRUE(FailsWith(ledger_.Balances(therapist_.actor), ErrorCode::kForbidden));
  EXPECT_TRUE(test_support::IsOk(ledger_.ListEntries(auditor_.actor, {})));
  EXPECT_EQ(CountAudit("ledger.event.administer", "denied"), 3);
}

TEST_F(LedgerServiceTest, AdministerDrawsFromStockAndNeverBelowZero) {
  const int64_t lot = Receive(1)["lot_id"];  // 500 mg
  Json draw = Administer(lot, "35", "30");
  EXPECT_EQ(draw["drawn_mg"], "35");
  EXPECT_EQ(draw["administered_mg"], "30");
  EXPECT_EQ(draw["patient_id"], patient_);
  EXPECT_EQ(Balance(lot, vault_), "465");
  auto too_much = ledger_.RecordEvent(nurse_.actor, {{"kind", "administer"},
                                                     {"lot_id", lot},
                                                     {"location_id", vault_},
                                                     {"patient_id", patient_},
                                                     {"drawn_mg", "465.001"},
                                                     {"administered_mg", "1"}});
  EXPECT_TRUE(FailsWith(too_much, ErrorCode::kConflict, "quantity_mg"));
  EXPECT_EQ(Balance(lot, vault_), "465");
  // Administered above drawn is refused before anything is written.
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, {{"kind", "administer"},
                                                           {"lot_id", lot},
                                                           {"location_id", vault_},
                                                           {"patient_id", patient_},
                                                           {"drawn_mg", "10"},
                                                           {"administered_mg", "10.5"}}),
                        ErrorCode::kInvalidInput, "administered_mg"));
  // Exactly what is left can be drawn.
  Administer(lot, "465", "465");
  EXPECT_EQ(Balance(lot, vault_), "0");
}

// The administration builds its answer without reading the entry back: it
// must be exactly what the ledger's entry list shows for it.
TEST_F(LedgerServiceTest, AnAdministrationAnswersWithTheEntryTheLedgerLists) {
  const int64_t lot = Receive(1)["lot_id"];
  Json draw = Must(ledger_.RecordEvent(nurse_.actor, {{"kind", "administer"},
                                                      {"lot_id", lot},
                                                      {"location_id", vault_},
                                                      {"patient_id", patient_},
                                                      {"drawn_mg", "12.5"},
                                                      {"administered_mg", "12"},
                                                      {"route", "IV"},
                                                      {"note", "second infusion"}}),
                   "administer");
  EXPECT_EQ(draw["recorded_by"], "nurse.nia");
  EXPECT_EQ(draw["lot_number"], "L001");
  EXPECT_EQ(draw["drug_name"], "Ketamine HCl");
  EXPECT_EQ(draw["location"], "Safe A");
  EXPECT_FALSE(draw["quantity_ml"].is_null());
  LedgerEntryQuery query;
  query.lot_id = lot;
  Json listed = Must(ledger_.ListEntries(auditor_.actor, query));
  ASSERT_FALSE(listed["items"].empty());
  EXPECT_EQ(listed["items"][0]["sequence"], draw["sequence"]);
  EXPECT_EQ(listed["items"][0], draw);
  // The one query's refusals are those of the single checks, and write nothing.
  Json body = {{"kind", "administer"}, {"lot_id", lot},         {"location_id", vault_},
               {"patient_id", patient_}, {"drawn_mg", "1"}, {"administered_mg", "1"}};
  const std::vector<std::pair<std::string, std::string>> refusals = {
      {"lot_id", "no such lot"}, {"location_id", "no such storage location"}, {"patient_id", "no such patient"}};
  for (const auto& [field, message] : refusals) {
    Json bad = body;
    bad[field] = 999999;
    auto refused = ledger_.RecordEvent(nurse_.actor, bad);
    ASSERT_TRUE(FailsWith(refused, ErrorCode::kNotFound)) << field;
    EXPECT_NE(refused.error().message.find(message), std::string::npos) << refused.error().message;
  }
  EXPECT_EQ(Must(ledger_.ListEntries(auditor_.actor, query))["items"].size(), 2u);  // receipt + the one draw
  EXPECT_EQ(Balance(lot, vault_), "487.5");
}

// Balances and facts are remembered between writes (ledger_memo.h). Another
// writer on the same database file (another process) moves the chain head,
// so what this server remembered is no longer trusted.
TEST_F(LedgerServiceTest, RememberedBalancesYieldToAnotherProcessDrawingFromTheLot) {
  const int64_t lot = Receive(1)["lot_id"];  // 500 mg
  Administer(lot, "100", "100");
  Administer(lot, "100", "100");  // the facts and the balance are remembered now
  const std::string file = Must(database().Run<SqlRows>(TransactionMode::kReadOnly, [](Transaction& txn) {
                                  return txn.Query("SELECT file FROM pragma_database_list WHERE name = 'main'");
                                }),
                                "database file")
                               .at(0)
                               .Text(0);
  DatabaseOptions options;
  options.location = file;
  auto other_process = Must(Database::Open(options), "open the file again");
  ServiceContext other_context{*other_process, clock(), security()};
  LedgerService other_ledger(other_context);
  Must(other_ledger.RecordEvent(nurse_.actor, {{"kind", "administer"},
                                               {"lot_id", lot},
                                               {"location_id", vault_},
                                               {"patient_id", patient_},
                                               {"drawn_mg", "250"},
                                               {"administered_mg", "250"}}),
       "administer elsewhere");
  EXPECT_EQ(Balance(lot, vault_), "50");
  auto too_much = ledger_.RecordEvent(nurse_.actor, {{"kind", "administer"},
                                                     {"lot_id", lot},
                                                     {"location_id", vault_},
                                                     {"patient_id", patient_},
                                                     {"drawn_mg", "100"},
                                                     {"administered_mg", "100"}});
  EXPECT_TRUE(FailsWith(too_much, ErrorCode::kConflict, "quantity_mg"));
  Administer(lot, "50", "50");
  EXPECT_EQ(Balance(lot, vault_), "0");
  EXPECT_TRUE(Must(VerifyLedgerChains(database()), "verify").intact);
}

// An administration whose transaction is rolled back after its append moved
// the remembered balance: the next one must see the stock as committed.
TEST_F(LedgerServiceTest, AnAdministrationRolledBackLeavesItsDrawUnremembered) {
  const int64_t lot = Receive(1)["lot_id"];  // 500 mg
  Administer(lot, "10", "10");
  Administer(lot, "10", "10");
  Status rolled_back = database().Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(AppendLedgerAdministration(
        txn, nurse_.actor,
        LedgerAdministration{lot, vault_, patient_, std::nullopt, 400000, 400000, Now(), "", ""}, clock().Now())
                           .status());
    return InvalidInput("note", "refused after the append, so the transaction rolls back");
  });
  EXPECT_FALSE(rolled_back.ok());
  EXPECT_EQ(Balance(lot, vault_), "480");
  Administer(lot, "480", "480");  // refused if the rolled-back 400 mg were remembered
  EXPECT_EQ(Balance(lot, vault_), "0");
  EXPECT_TRUE(Must(VerifyLedgerChains(database()), "verify").intact);
}

TEST(LedgerMemoTest, BalancesHoldOnlyForTheHeadTheyWereRememberedAt) {
  LedgerMemo memo;
  const ledger::StockKey stock{7, 3};
  const ChainHead h1{1, "a"}, h2{2, "b"}, other{2, "c"};
  EXPECT_FALSE(memo.Balance(1, h1, stock));  // nothing yet; now as of h1
  memo.Appended(1, h1, h2, {{stock, ledger::Micrograms{400}}});
  ASSERT_TRUE(memo.Balance(1, h2, stock));
  EXPECT_EQ(memo.Balance(1, h2, stock)->value, 400);
  EXPECT_FALSE(memo.Balance(2, h2, stock));     // another clinic's chain
  EXPECT_FALSE(memo.Balance(1, other, stock));  // same sequence, different entry: forgotten
  EXPECT_FALSE(memo.Balance(1, h2, stock));     // and stays forgotten
  memo.Appended(1, h1, h2, {{stock, ledger::Micrograms{1}}});  // from a head it is not at
  EXPECT_FALSE(memo.Balance(1, h2, stock));
}

TEST_F(LedgerServiceTest, WasteNeedsADistinctAuthenticatedWitness) {
  const int64_t lot = Receive(1)["lot_id"];
  const int64_t draw = Administer(lot, "35", "30")["sequence"];
  // The recorder cannot witness their own waste.
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, WasteBody(draw, "5", nurse_)), ErrorCode::kInvalidInput,
                        "witness"));
  // A wrong witness password is refused and audited.
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, WasteBody(draw, "5", prescriber_, "not the password")),
                        ErrorCode::kInvalidInput, "witness"));
  EXPECT_EQ(CountAudit("ledger.witness", "failed"), 1);
  // A user without ledger.record cannot witness.
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, WasteBody(draw, "5", auditor_)), ErrorCode::kInvalidInput,
                        "witness"));
  // No witness at all.
  Json no_witness = WasteBody(draw, "5", prescriber_);
  no_witness.erase("witness");
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, no_witness), ErrorCode::kInvalidInput, "witness"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'waste'"), 0);

  Json waste = Must(ledger_.RecordEvent(nurse_.actor, WasteBody(draw, "5", prescriber_)));
  EXPECT_EQ(waste["witnesses"], Json::array({"dr.pat"}));
  EXPECT_EQ(waste["patient_id"], patient_);
  EXPECT_EQ(waste["related_sequence"], draw);
  // The rest of a draw already left stock: the balance does not move again.
  EXPECT_EQ(Balance(lot, vault_), "465");
  // administered 30 + wasted 5 = drawn 35: nothing more can be wasted.
  EXPECT_TRUE(
      FailsWith(ledger_.RecordEvent(nurse_.actor, WasteBody(draw, "0.001", prescriber_)), ErrorCode::kConflict));
}

TEST_F(LedgerServiceTest, WitnessPasswordGuessesLockTheWitnessAccount) {
  const int64_t lot = Receive(1)["lot_id"];
  const int64_t draw = Administer(lot, "35", "30")["sequence"];
  for (int i = 0; i < security().max_failed_logins; ++i) {
    EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, WasteBody(draw, "5", prescriber_, "guess")),
                          ErrorCode::kInvalidInput, "witness"));
  }
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, WasteBody(draw, "5", prescriber_)), ErrorCode::kLocked));
}

TEST_F(LedgerServiceTest, PartialVialRemainderWasteLeavesStock) {
  const int64_t lot = Receive(1)["lot_id"];
  Json waste = Must(ledger_.RecordEvent(nurse_.actor, {{"kind", "waste"},
                                                       {"lot_id", lot},
                                                       {"location_id", vault_},
                                                       {"quantity_mg", "15"},
                                                       {"manner", "expired opened vial remainder"},
                                                       {"witness", {{"username", "dr.pat"}, {"password", kPassword}}}}));
  EXPECT_FALSE(waste["from_draw"].get<bool>());
  EXPECT_EQ(Balance(lot, vault_), "485");
}

TEST_F(LedgerServiceTest, DestructionNeedsTwoDifferentWitnesses) {
  const int64_t lot = Receive(1)["lot_id"];
  Staff second_nurse = AddStaff("nurse.sam", clinic_, {Role::kNurse});
  Json body = {{"kind", "destruction"},
               {"lot_id", lot},
               {"location_id", vault_},
               {"quantity_mg", "500"},
               {"method", "reverse distributor incineration"},
               {"place", "clinic pharmacy"},
               {"witnesses",
                {{{"username", "dr.pat"}, {"password", kPassword}}, {{"username", "dr.pat"}, {"password", kPassword}}}}};
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, body), ErrorCode::kInvalidInput, "witnesses"));
  body["witnesses"][1]["username"] = "nurse.sam";
  Json destroyed = Must(ledger_.RecordEvent(nurse_.actor, body));
  EXPECT_EQ(destroyed["witnesses"].size(), 2u);
  EXPECT_EQ(destroyed["details"]["form_41_method"], "reverse distributor incineration");
  EXPECT_EQ(Balance(lot, vault_), "0");
}

TEST_F(LedgerServiceTest, TransferReturnAndLoss) {
  const int64_t lot = Receive(2)["lot_id"];
  Must(ledger_.RecordEvent(nurse_.actor, {{"kind", "transfer"},
                                          {"lot_id", lot},
                                          {"location_id", vault_},
                                          {"to_location_id", room_},
                                          {"quantity_mg", "500"}}));
  EXPECT_EQ(Balance(lot, vault_), "500");
  EXPECT_EQ(Balance(lot, room_), "500");
  Must(ledger_.RecordEvent(prescriber_.actor, {{"kind", "return"},
                                               {"lot_id", lot},
                                               {"location_id", vault_},
                                               {"quantity_mg", "500"},
                                               {"supplier_name", "Acme"},
                                               {"supplier_address", "1 Depot Rd"},
                                               {"supplier_dea_number", "RA1234563"},
                                               {"reason", "recalled lot"}}));
  EXPECT_EQ(Balance(lot, vault_), "0");
  Json loss = Must(ledger_.RecordEvent(nurse_.actor, {{"kind", "loss"},
                                                      {"lot_id", lot},
                                                      {"location_id", room_},
                                                      {"quantity_mg", "100"},
                                                      {"loss_kind", "theft"},
                                                      {"discovered_on", "2026-03-10"},
                                                      {"circumstances", "vial missing from locked drawer"}}));
  EXPECT_EQ(Balance(lot, room_), "400");
  Json open = Must(ledger_.ListDiscrepancies(auditor_.actor, true));
  ASSERT_EQ(open["items"].size(), 1u);
  EXPECT_EQ(open["items"][0]["cause"], "loss");
  EXPECT_EQ(open["items"][0]["id"], loss["discrepancy_id"]);
  EXPECT_EQ(open["items"][0]["difference_mg"], "-100");
}

TEST_F(LedgerServiceTest, CorrectionsReverseAndNeverEdit) {
  const int64_t lot = Receive(1)["lot_id"];
  const int64_t draw = Administer(lot, "35", "35")["sequence"];
  Json correction = Must(ledger_.RecordEvent(
      nurse_.actor, {{"kind", "correction"}, {"corrects_sequence", draw}, {"reason", "wrong patient selected"}}));
  EXPECT_EQ(correction["reverses_kind"], "administer");
  EXPECT_EQ(Balance(lot, vault_), "500");
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, {{"kind", "correction"},
                                                           {"corrects_sequence", draw},
                                                           {"reason", "again"}}),
                        ErrorCode::kConflict, "corrects_sequence"));
  Json entries = Must(ledger_.ListEntries(auditor_.actor, {}));
  // Newest first: the correction, the draw (marked corrected), the receipt.
  EXPECT_EQ(entries["items"][1]["corrected_by_sequence"], correction["sequence"]);
  // Reversing a receipt whose drug has been used would take stock negative.
  Administer(lot, "400", "400");
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(nurse_.actor, {{"kind", "correction"},
                                                           {"corrects_sequence", 1},
                                                           {"reason", "entered twice"}}),
                        ErrorCode::kConflict, "quantity_mg"));
  // The database refuses edits outright.
  EXPECT_FALSE(database()
                   .Run(TransactionMode::kReadWrite,
                        [](Transaction& txn) {
                          return txn.Execute("UPDATE ledger_entries SET quantity_ug = 1 WHERE sequence = 1").status();
                        })
                   .ok());
}

TEST_F(LedgerServiceTest, CountMismatchOpensACaseResolvedOnlyWithAReason) {
  const int64_t lot = Receive(1)["lot_id"];
  Administer(lot, "35", "35");
  Json sheet = Must(ledger_.CountSheet(nurse_.actor));
  ASSERT_EQ(sheet["lines"].size(), 1u);
  EXPECT_EQ(sheet["lines"][0]["expected_mg"], "465");
  EXPECT_TRUE(sheet["lines"][0]["estimate_allowed"].get<bool>());
  EXPECT_TRUE(sheet["last_inventory_at"].is_null());

  Json counted = Must(ledger_.RecordCount(
      nurse_.actor, {{"count_kind", "biennial"},
                     {"lines", {{{"lot_id", lot}, {"location_id", vault_}, {"counted_mg", "460"}, {"estimated", true}}}}}));
  ASSERT_EQ(counted["discrepancies"].size(), 1u);
  const int64_t case_id = counted["discrepancies"][0]["id"];
  // Counting moves nothing.
  EXPECT_EQ(Balance(lot, vault_), "465");
  sheet = Must(ledger_.CountSheet(nurse_.actor));
  EXPECT_EQ(sheet["biennial_inventory_due"], "2028-03-10");

  EXPECT_TRUE(FailsWith(ledger_.ResolveDiscrepancy(nurse_.actor, case_id, Json::object()), ErrorCode::kInvalidInput,
                        "reason"));
  Json resolved = Must(ledger_.ResolveDiscrepancy(nurse_.actor, case_id, {{"reason", "5 mg spilled, see incident 12"}}));
  EXPECT_EQ(resolved["status"], "resolved");
  EXPECT_TRUE(FailsWith(ledger_.ResolveDiscrepancy(nurse_.actor, case_id, {{"reason", "again"}}),
                        ErrorCode::kConflict));
  EXPECT_EQ(Must(ledger_.ListDiscrepancies(auditor_.actor, true))["items"].size(), 0u);
}

TEST_F(LedgerServiceTest, ChainVerifiesAndDetectsTampering) {
  const int64_t lot = Receive(2)["lot_id"];
  const int64_t draw = Administer(lot, "35", "30")["sequence"];
  Must(ledger_.RecordEvent(nurse_.actor, WasteBody(draw, "5", prescriber_)));
  LedgerVerification ok = Must(VerifyLedgerChains(database()));
  EXPECT_TRUE(ok.intact) << ok.problem;
  EXPECT_EQ(ok.entries_checked, 3);

  ExecuteScript(
      "DROP TRIGGER ledger_entries_no_update; UPDATE ledger_entries SET administered_ug = 35000 WHERE sequence = 2;");
  LedgerVerification bad = Must(VerifyLedgerChains(database()));
  EXPECT_FALSE(bad.intact);
  EXPECT_EQ(bad.first_bad_sequence, 2);
}

TEST_F(LedgerServiceTest, VerifyDetectsAlteredBalances) {
  const int64_t lot = Receive(2)["lot_id"];
  ExecuteScript("UPDATE ledger_balances SET balance_ug = balance_ug + 1000");
  LedgerVerification bad = Must(VerifyLedgerChains(database()));
  EXPECT_FALSE(bad.intact);
  EXPECT_NE(bad.problem.find(std::to_string(lot)), std::string::npos) << bad.problem;
}

TEST_F(LedgerServiceTest, ConcurrentDrawsFromOneLotNeverGoNegativeAndNoneIsLost) {
  const int64_t lot = Receive(1)["lot_id"];  // 500 mg: room for exactly 50 draws of 10 mg
  constexpr int kThreads = 8, kPerThread = 10;
  std::atomic<int> succeeded{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = ledger_.RecordEvent(nurse_.actor, {{"kind", "administer"},
                                                    {"lot_id", lot},
                                                    {"location_id", vault_},
                                                    {"patient_id", patient_},
                                                    {"drawn_mg", "10"},
                                                    {"administered_mg", "10"}});
        if (r.ok()) {
          ++succeeded;
        } else if (r.error().code == ErrorCode::kConflict) {
          ++refused;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(succeeded.load(), 50);
  EXPECT_EQ(refused.load(), kThreads * kPerThread - 50);
  EXPECT_EQ(Balance(lot, vault_), "0");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'administer'"), 50);
  EXPECT_TRUE(Must(VerifyLedgerChains(database())).intact);
}

TEST_F(LedgerServiceTest, DispensingRecordFollows1304_22cLayout) {
  const int64_t lot = Receive(1)["lot_id"];
  const int64_t draw = Administer(lot, "35", "30")["sequence"];
  Must(ledger_.RecordEvent(nurse_.actor, WasteBody(draw, "5", prescriber_)));
  TabularReport report = Must(ledger_.DispensingRecord(auditor_.actor, product_, "2026-03-01", std::string(test_support::kToday)));
  ASSERT_EQ(report.rows.size(), 3u);
  auto column = [&](const std::string& heading) {
    for (size_t i = 0; i < report.columns.size(); ++i) {
      if (report.columns[i].heading == heading) return i;
    }
    ADD_FAILURE() << "no column " << heading;
    return size_t{0};
  };
  EXPECT_EQ(report.rows[0][column("Supplier DEA no.")], "RA1234563");
  EXPECT_EQ(report.rows[0][column("Supplier name")], "Acme Pharma Distribution");
  EXPECT_EQ(report.rows[1][column("Recipient name")], "Doe, Jane");
  EXPECT_EQ(report.rows[1][column("Quantity mg")], "30 (drawn 35)");
  EXPECT_EQ(report.rows[1][column("Dispenser")], "nurse.nia (test)");
  EXPECT_EQ(report.rows[2][column("Manner of disposal")], "wastage: into the drug-disposal container");
  EXPECT_EQ(report.rows[2][column("Witnesses")], "dr.pat (test)");
  EXPECT_NE(RenderCsv(report).find("RA1234563"), std::string::npos);
  // Outside the period: nothing.
  EXPECT_TRUE(Must(ledger_.DispensingRecord(auditor_.actor, product_, "2026-01-01", "2026-02-28")).rows.empty());
  EXPECT_TRUE(FailsWith(ledger_.DispensingRecord(auditor_.actor, product_, "2026-03-10", "2026-03-01"),
                        ErrorCode::kInvalidInput, "to"));
  EXPECT_EQ(CountAudit("ledger.report.dispensing", "success"), 2);

  TabularReport history = Must(ledger_.PatientAdministrationReport(nurse_.actor, patient_));
  ASSERT_EQ(history.rows.size(), 2u);
  TabularReport inventory = Must(ledger_.InventoryReport(auditor_.actor));
  ASSERT_EQ(inventory.rows.size(), 1u);
  EXPECT_EQ(inventory.rows[0][7], "465");
}

TEST_F(LedgerServiceTest, OtherClinicsSeeNothing) {
  const int64_t lot = Receive(1)["lot_id"];
  const int64_t other = AddClinic("OTH");
  Staff other_nurse = AddStaff("nurse.other", other, {Role::kNurse});
  EXPECT_TRUE(FailsWith(ledger_.RecordEvent(other_nurse.actor, {{"kind", "administer"},
                                                                {"lot_id", lot},
                                                                {"location_id", vault_},
                                                                {"patient_id", patient_},
                                                                {"drawn_mg", "1"},
                                                                {"administered_mg", "1"}}),
                        ErrorCode::kNotFound));
  EXPECT_EQ(Must(ledger_.Balances(other_nurse.actor))["items"].size(), 0u);
  EXPECT_TRUE(FailsWith(ledger_.GetLot(other_nurse.actor, lot, {}), ErrorCode::kNotFound));
}

}  // namespace
}  // namespace ketachart
