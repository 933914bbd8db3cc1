// Tests for the ledger's exact quantities, identifiers and invariants.
#include "clinical/ledger/ledger_rules.h"

#include <gtest/gtest.h>

#include "clinical/ledger/identifiers.h"
#include "clinical/ledger/quantity.h"

namespace ketachart::ledger {
namespace {

TEST(LedgerQuantity, ParsesMilligramsExactly) {
  EXPECT_EQ(ParseMilligrams("12.5"), Micrograms{12500});
  EXPECT_EQ(ParseMilligrams("0.001"), Micrograms{1});
  EXPECT_EQ(ParseMilligrams("500"), Micrograms{500000});
  EXPECT_EQ(ParseMilligrams("0.1"), Micrograms{100});
  EXPECT_FALSE(ParseMilligrams("0.0001"));
  EXPECT_FALSE(ParseMilligrams("-1"));
  EXPECT_FALSE(ParseMilligrams("1e3"));
  EXPECT_FALSE(ParseMilligrams("."));
  EXPECT_FALSE(ParseMilligrams("5."));
  EXPECT_FALSE(ParseMilligrams(""));
  EXPECT_FALSE(ParseMilligrams("1000000001"));  // above 1,000,000 g
}

TEST(LedgerQuantity, TenthsNeverDrift) {
  // 0.1 + 0.2 in floating point is not 0.3; in micrograms it is.
  Micrograms sum = *ParseMilligrams("0.1") + *ParseMilligrams("0.2");
  EXPECT_EQ(sum, *ParseMilligrams("0.3"));
  Micrograms total{0};
  for (int i = 0; i < 10000; ++i) total += *ParseMilligrams("0.1");
  EXPECT_EQ(FormatMilligrams(total), "1000");
}

TEST(LedgerQuantity, FormatsWithoutTrailingZeros) {
  EXPECT_EQ(FormatMilligrams(Micrograms{12500}), "12.5");
  EXPECT_EQ(FormatMilligrams(Micrograms{12000}), "12");
  EXPECT_EQ(FormatMilligrams(Micrograms{1}), "0.001");
  EXPECT_EQ(FormatMilligrams(Micrograms{-250}), "-0.25");
  EXPECT_EQ(FormatMillilitres(Microlitres{10000}), "10");
}

TEST(LedgerQuantity, DrugInVolume) {
  // 50 mg/mL × 10 mL = 500 mg.
  EXPECT_EQ(DrugInVolume({50000}, {10000}), Micrograms{500000});
  // 100 mg/mL × 0.35 mL = 35 mg.
  EXPECT_EQ(DrugInVolume({100000}, {350}), Micrograms{35000});
  // 0.333 mg/mL × 0.001 mL is not a whole microgram.
  EXPECT_FALSE(DrugInVolume({333}, {1}));
  EXPECT_EQ(VolumeForDrug({50000}, Micrograms{35000}), Microlitres{700});
}

TEST(LedgerIdentifiers, NdcSegmentLayouts) {
  EXPECT_EQ(NormalizeNdc("1234-5678-90"), "1234-5678-90");
  EXPECT_EQ(NormalizeNdc("12345-6789-0"), "12345-6789-0");
  EXPECT_EQ(NormalizeNdc("12345-678-90"), "12345-678-90");
  EXPECT_EQ(NormalizeNdc("12345-6789-01"), "12345-6789-01");
  EXPECT_EQ(NormalizeNdc("12345678901"), "12345-6789-01");
  EXPECT_FALSE(NormalizeNdc("1234567890"));  // 10 digits without hyphens is ambiguous
  EXPECT_FALSE(NormalizeNdc("123-45678-90"));
  EXPECT_FALSE(NormalizeNdc("1234-5678-9a"));
  EXPECT_FALSE(NormalizeNdc("1234--5678"));
}

TEST(LedgerIdentifiers, DeaRegistrationFormatOnly) {
  EXPECT_EQ(NormalizeDeaRegistration("ab1234563"), "AB1234563");
  EXPECT_EQ(NormalizeDeaRegistration("F91234563"), "F91234563");
  // No check digit is enforced (the reference documents none).
  EXPECT_EQ(NormalizeDeaRegistration("AB1234560"), "AB1234560");
  EXPECT_FALSE(NormalizeDeaRegistration("A11234563"));
  EXPECT_FALSE(NormalizeDeaRegistration("AB123456"));
  EXPECT_FALSE(NormalizeDeaRegistration("AB12345678"));
  EXPECT_FALSE(NormalizeDeaRegistration("1B1234563"));
}

TEST(LedgerRules, EventKindNamesRoundTrip) {
  for (auto kind : {EventKind::kReceive, EventKind::kAdminister, EventKind::kWaste, EventKind::kReturn,
                    EventKind::kTransfer, EventKind::kDestruction, EventKind::kLoss, EventKind::kCount,
                    EventKind::kCorrection, EventKind::kResolution}) {
    EXPECT_EQ(ParseEventKind(EventKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseEventKind("edit"));
  EXPECT_EQ(ParseCountKind("biennial"), CountKind::kBiennial);
}

TEST(LedgerRules, Movements) {
  const StockKey vault{1, 10};
  auto received = MovementsOf({EventKind::kReceive, vault, std::nullopt, Micrograms{500000}});
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].delta, Micrograms{500000});
  auto drawn = MovementsOf({EventKind::kAdminister, vault, std::nullopt, Micrograms{35000}});
  EXPECT_EQ(drawn[0].delta, Micrograms{-35000});
  EXPECT_TRUE(MovementsOf({EventKind::kWaste, vault, std::nullopt, Micrograms{1000}, true}).empty());
  EXPECT_EQ(MovementsOf({EventKind::kWaste, vault, std::nullopt, Micrograms{1000}, false})[0].delta,
            Micrograms{-1000});
  auto moved = MovementsOf({EventKind::kTransfer, vault, 11, Micrograms{2000}});
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_EQ(moved[1].key, (StockKey{1, 11}));
  EXPECT_EQ(moved[1].delta, Micrograms{2000});
  EXPECT_TRUE(MovementsOf({EventKind::kCount, vault, std::nullopt, Micrograms{1}}).empty());
  auto undone = Reversal(moved);
  EXPECT_EQ(undone[0].delta, Micrograms{2000});
  EXPECT_EQ(undone[1].delta, Micrograms{-2000});
}

TEST(LedgerRules, NoNegativeBalance) {
  const StockKey vault{1, 10};
  std::map<StockKey, Micrograms> balances{{vault, Micrograms{1000}}};
  EXPECT_TRUE(CheckNoNegativeBalance(balances, {{vault, Micrograms{-1000}}}).ok());
  Status short_by_one = CheckNoNegativeBalance(balances, {{vault, Micrograms{-1001}}});
  ASSERT_FALSE(short_by_one.ok());
  EXPECT_EQ(short_by_one.error().code, ErrorCode::kConflict);
  EXPECT_EQ(short_by_one.error().field, "quantity_mg");
  // An unknown stock is zero.
  EXPECT_FALSE(CheckNoNegativeBalance(balances, {{StockKey{2, 10}, Micrograms{-1}}}).ok());
  // Movements on the same stock add up before the check.
  EXPECT_FALSE(CheckNoNegativeBalance(balances, {{vault, Micrograms{-600}}, {vault, Micrograms{-600}}}).ok());
}

TEST(LedgerRules, DrawAccounting) {
  EXPECT_TRUE(CheckDrawAccounting({35000}, {30000}, {0}, {5000}).ok());
  EXPECT_TRUE(CheckDrawAccounting({35000}, {30000}, {2000}, {3000}).ok());
  EXPECT_FALSE(CheckDrawAccounting({35000}, {30000}, {2000}, {3001}).ok());
  EXPECT_FALSE(CheckDrawAccounting({35000}, {35001}, {0}, {0}).ok());
  EXPECT_FALSE(CheckDrawAccounting({0}, {0}, {0}, {0}).ok());
}

TEST(LedgerRules, WitnessesAreDistinct) {
  EXPECT_EQ(RequiredWitnesses(EventKind::kWaste), 1u);
  EXPECT_EQ(RequiredWitnesses(EventKind::kDestruction), 2u);
  EXPECT_EQ(RequiredWitnesses(EventKind::kAdminister), 0u);
  EXPECT_TRUE(CheckWitnesses(1, {2}, 1).ok());
  EXPECT_FALSE(CheckWitnesses(1, {1}, 1).ok());
  EXPECT_FALSE(CheckWitnesses(1, {}, 1).ok());
  EXPECT_TRUE(CheckWitnesses(1, {2, 3}, 2).ok());
  EXPECT_FALSE(CheckWitnesses(1, {2, 2}, 2).ok());
  EXPECT_FALSE(CheckWitnesses(1, {2, 1}, 2).ok());
  EXPECT_EQ(CheckWitnesses(1, {1}, 1).error().field, "witnesses");
}

TEST(LedgerRules, EstimatedCountsOnlyForSmallContainers) {
  EXPECT_TRUE(EstimatedCountAllowed(Microlitres{10000}));       // 10 mL vial
  EXPECT_TRUE(EstimatedCountAllowed(Microlitres{1000000}));     // exactly 1,000 units
  EXPECT_FALSE(EstimatedCountAllowed(Microlitres{1000001}));    // above 1,000 units
}

TEST(LedgerRules, BiennialInventoryDue) {
  EXPECT_EQ(BiennialInventoryDue("2026-03-10"), "2028-03-10");
  EXPECT_EQ(BiennialInventoryDue("2024-02-29"), "2026-02-28");
  EXPECT_FALSE(BiennialInventoryDue("2026-13-01"));
}

}  // namespace
}  // namespace ketachart::ledger
