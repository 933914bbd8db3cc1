// Booster signals on PHQ-9 trajectories: loss of response fires only after a
// response was met, reliable deterioration only past the instrument's
// Jacobson-Truax threshold from the lowest total; neither fires on one measure.
#include "clinical/course/booster_suggestion.h"

#include <gtest/gtest.h>

#include "clinical/instruments/instrument_catalog.h"

namespace ketachart {
namespace {

std::vector<TotalAt> Totals(std::vector<int> values) {
  std::vector<TotalAt> out;
  for (size_t i = 0; i < values.size(); ++i) out.push_back({"2026-03-" + std::to_string(10 + i) + "T09:00:00.000Z", values[i]});
  return out;
}

const CompiledInstrument& Phq9() { return *InstrumentCatalog::Builtin().Find("phq9"); }

TEST(BoosterSuggestionTest, LossOfResponseAfterAResponse) {
  EXPECT_TRUE(BoosterSignals(Phq9(), Totals({20})).empty());
  EXPECT_TRUE(BoosterSignals(Phq9(), Totals({20, 9})).empty());      // responding now
  EXPECT_TRUE(BoosterSignals(Phq9(), Totals({20, 14, 12})).empty());  // never responded: not a relapse
  const auto signals = BoosterSignals(Phq9(), Totals({20, 8, 11}));
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(signals[0].rule, "loss_of_response");
  EXPECT_EQ(signals[0].message, "Patient Health Questionnaire-9 (PHQ-9) 11 on 2026-03-12: response lost (baseline 20; 45% reduction now, response needs ≥50%)");
  EXPECT_TRUE(BoosterSignals(Phq9(), Totals({20, 8, 10})).empty());  // exactly 50%: still a response
}

TEST(BoosterSuggestionTest, ReliableDeteriorationFromTheLowestTotal) {
  // PHQ-9's reliable change is 5.1 points (clinical-reference.md D4): 4 to 9 is not, 4 to 10 is.
  auto signals = BoosterSignals(Phq9(), Totals({12, 4, 9}));
  for (const auto& s : signals) EXPECT_NE(s.rule, "reliable_deterioration");
  signals = BoosterSignals(Phq9(), Totals({12, 4, 6, 10}));
  bool found = false;
  for (const auto& s : signals) {
    if (s.rule == "reliable_deterioration") {
      found = true;
      EXPECT_NE(s.message.find("rose from 4 (2026-03-11) to 10 (2026-03-13)"), std::string::npos) << s.message;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace ketachart
