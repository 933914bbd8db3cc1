// Scoring of every shipped instrument against clinical-reference.md section D
// (and C2/C5 for the modified Aldrete score and MOAA/S): every band edge,
// cut-off, skip rule, symptom rule, alert and missing-item rule.
#include "clinical/instruments/instrument_scoring.h"

#include <gtest/gtest.h>

#include <vector>

#include "clinical/instruments/instrument_catalog.h"
#include "clinical/instruments/instrument_compiler.h"

namespace ketachart {
namespace {

const CompiledInstrument& Get(std::string_view key) {
  const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(key);
  EXPECT_NE(instrument, nullptr) << key;
  return *instrument;
}

ScoreOutcome Score(const CompiledInstrument& c, const std::vector<int16_t>& answers) {
  ScoreOutcome outcome;
  ScoreResponse(c, answers, outcome);
  return outcome;
}

// Answers of a sum-scored instrument adding up to `total`, filled from item 1.
std::vector<int16_t> AnswersWithTotal(const CompiledInstrument& c, int total) {
  std::vector<int16_t> answers;
  for (int i = 0; i < c.item_count; ++i) {
    const int v = std::min<int>(c.items[i].max, total);
    answers.push_back(static_cast<int16_t>(v));
    total -= v;
  }
  EXPECT_EQ(total, 0);
  return answers;
}

std::string BandAt(const CompiledInstrument& c, int total) {
  const ScoreOutcome outcome = Score(c, AnswersWithTotal(c, total));
  EXPECT_TRUE(outcome.ok()) << c.key << " total " << total;
  EXPECT_EQ(outcome.total, total);
  return outcome.band >= 0 ? c.bands[outcome.band].code : "<none>";
}

std::vector<std::string> Alerts(const CompiledInstrument& c, const ScoreOutcome& outcome) {
  std::vector<std::string> codes;
  for (int a = 0; a < c.alert_count; ++a) {
    if ((outcome.alerts_raised >> a) & 1u) codes.push_back(c.alerts[a].code);
  }
  return codes;
}

bool CutoffMet(const CompiledInstrument& c, const ScoreOutcome& outcome, std::string_view code) {
  for (int k = 0; k < c.cutoff_count; ++k) {
    if (c.cutoffs[k].code == code) return (outcome.cutoffs_met >> k) & 1u;
  }
  ADD_FAILURE() << "no cut-off " << code;
  return false;
}

constexpr int16_t N = kNotAnswered;

TEST(InstrumentCatalogTest, ShipsEveryInstrumentOfIssue3) {
  const auto& catalog = InstrumentCatalog::Builtin();
  for (const char* key : {"phq9", "gad7", "pcl5", "cssrs", "qids_sr16", "moaas", "aldrete", "madrs", "cadss",
                          "bprs_positive"}) {
    EXPECT_NE(catalog.Find(key), nullptr) << key;
  }
  EXPECT_EQ(catalog.instruments().size(), 10u);
  EXPECT_EQ(catalog.Find("phq-9"), catalog.Find("phq9"));
  EXPECT_EQ(catalog.Find("PHQ9"), nullptr);
}

TEST(InstrumentCatalogTest, ItemTextShipsOnlyForFreeInstruments) {
  // D1/D2: PHQ-9, GAD-7 free; Aldrete criteria from C2. Licensed or unconfirmed: no text.
  for (const auto& c : InstrumentCatalog::Builtin().instruments()) {
    bool any_text = false;
    for (const Json& item : c.definition["item"]) {
      if (item.contains("text") && item.value("type", "") != "display") any_text = true;
    }
    EXPECT_EQ(any_text, c.item_text_shipped) << c.key;
  }
  EXPECT_TRUE(Get("phq9").item_text_shipped);
  EXPECT_TRUE(Get("gad7").item_text_shipped);
  for (const char* key : {"madrs", "cadss", "bprs_positive", "cssrs", "qids_sr16"}) {
    EXPECT_FALSE(Get(key).item_text_shipped) << key;
  }
}

TEST(Phq9ScoringTest, BandEdgesFromKroenke2001) {
  const auto& c = Get("phq9");
  EXPECT_EQ(BandAt(c, 0), "minimal");
  EXPECT_EQ(BandAt(c, 4), "minimal");
  EXPECT_EQ(BandAt(c, 5), "mild");
  EXPECT_EQ(BandAt(c, 9), "mild");
  EXPECT_EQ(BandAt(c, 10), "moderate");
  EXPECT_EQ(BandAt(c, 14), "moderate");
  EXPECT_EQ(BandAt(c, 15), "moderately_severe");
  EXPECT_EQ(BandAt(c, 19), "moderately_severe");
  EXPECT_EQ(BandAt(c, 20), "severe");
  EXPECT_EQ(BandAt(c, 27), "severe");
}

TEST(Phq9ScoringTest, ScreenCutoffAtTen) {
  const auto& c = Get("phq9");
  EXPECT_FALSE(CutoffMet(c, Score(c, AnswersWithTotal(c, 9)), "major_depression_screen"));
  EXPECT_TRUE(CutoffMet(c, Score(c, AnswersWithTotal(c, 10)), "major_depression_screen"));
}

TEST(Phq9ScoringTest, ItemNineAboveZeroAlertsWhateverTheTotal) {
  const auto& c = Get("phq9");
  auto outcome = Score(c, {0, 0, 0, 0, 0, 0, 0, 0, 1});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome.total, 1);
  EXPECT_EQ(c.bands[outcome.band].code, "minimal");
  EXPECT_EQ(Alerts(c, outcome), std::vector<std::string>{"phq9_item9_positive"});
  EXPECT_TRUE(Alerts(c, Score(c, {3, 3, 3, 3, 3, 3, 3, 3, 0})).empty());
  EXPECT_EQ(Alerts(c, Score(c, {0, 0, 0, 0, 0, 0, 0, 0, 3})).size(), 1u);
}

TEST(Phq9ScoringTest, EveryItemIsRequiredAndRangeChecked) {
  const auto& c = Get("phq9");
  auto missing = Score(c, {1, 1, 1, N, 1, 1, 1, 1, 1});
  EXPECT_EQ(missing.problem, ScoreProblem::kMissingItem);
  EXPECT_EQ(missing.item, 3);
  auto high = Score(c, {1, 1, 1, 1, 1, 1, 1, 1, 4});
  EXPECT_EQ(high.problem, ScoreProblem::kOutOfRange);
  EXPECT_EQ(high.item, 8);
  EXPECT_EQ(Score(c, {1, 1, 1, 1, 1, 1, 1, 1, -1}).problem, ScoreProblem::kOutOfRange);
  EXPECT_EQ(Score(c, {1, 1, 1, 1, 1, 1, 1, 1}).problem, ScoreProblem::kWrongAnswerCount);
  EXPECT_EQ(Score(c, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}).problem, ScoreProblem::kWrongAnswerCount);
  const Error error = DescribeScoreProblem(c, high, 9);
  EXPECT_EQ(error.field, "answers[8]");
  EXPECT_EQ(error.message, "item 9 must be between 0 and 3");
}

TEST(Gad7ScoringTest, BandEdgesFromSpitzer2006) {
  const auto& c = Get("gad7");
  EXPECT_EQ(BandAt(c, 0), "minimal");
  EXPECT_EQ(BandAt(c, 4), "minimal");
  EXPECT_EQ(BandAt(c, 5), "mild");
  EXPECT_EQ(BandAt(c, 9), "mild");
  EXPECT_EQ(BandAt(c, 10), "moderate");
  EXPECT_EQ(BandAt(c, 14), "moderate");
  EXPECT_EQ(BandAt(c, 15), "severe");
  EXPECT_EQ(BandAt(c, 21), "severe");
  EXPECT_FALSE(CutoffMet(c, Score(c, AnswersWithTotal(c, 7)), "iapt_caseness"));
  EXPECT_TRUE(CutoffMet(c, Score(c, AnswersWithTotal(c, 8)), "iapt_caseness"));
  EXPECT_FALSE(CutoffMet(c, Score(c, AnswersWithTotal(c, 9)), "anxiety_disorder_screen"));
  EXPECT_TRUE(CutoffMet(c, Score(c, AnswersWithTotal(c, 10)), "anxiety_disorder_screen"));
}

TEST(Pcl5ScoringTest, ClusterSubscoresBCDE) {
  const auto& c = Get("pcl5");
  // Item n answered n % 5: B = 1+2+3+4+0, C = 1+2, D = 3+4+0+1+2+3+4, E = 0+1+2+3+4+0.
  std::vector<int16_t> answers;
  for (int n = 1; n <= 20; ++n) answers.push_back(static_cast<int16_t>(n % 5));
  auto outcome = Score(c, answers);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome.total, 40);
  ASSERT_EQ(c.subscale_count, 4);
  EXPECT_EQ(c.subscales[0].code, "B");
  EXPECT_EQ(outcome.subscales[0], 10);
  EXPECT_EQ(outcome.subscales[1], 3);
  EXPECT_EQ(outcome.subscales[2], 17);
  EXPECT_EQ(outcome.subscales[3], 10);
  EXPECT_EQ(outcome.subscales_present, 0b1111);
  EXPECT_EQ(outcome.band, -1);  // D1 gives PCL-5 no severity bands
}

TEST(Pcl5ScoringTest, DsmSymptomRuleNeedsOneBOneCTwoDTwoE) {
  const auto& c = Get("pcl5");
  // Exactly the minimum: item 1 (B), 6 (C), 8 and 9 (D), 15 and 16 (E) rated 2.
  std::vector<int16_t> minimum(20, 1);
  for (int n : {1, 6, 8, 9, 15, 16}) minimum[n - 1] = 2;
  auto met = Score(c, minimum);
  ASSERT_TRUE(met.ok());
  EXPECT_EQ(met.symptom_rules_met, 1u);
  // Remove one endorsement from each cluster in turn: the rule fails.
  for (int n : {1, 6, 9, 16}) {
    auto fewer = minimum;
    fewer[n - 1] = 1;
    EXPECT_EQ(Score(c, fewer).symptom_rules_met, 0u) << "item " << n;
  }
  // Rated 1 ("a little bit") does not count as endorsed even when the total is high.
  std::vector<int16_t> all_ones(20, 1);
  all_ones[0] = 4;
  EXPECT_EQ(Score(c, all_ones).symptom_rules_met, 0u);
}

TEST(Pcl5ScoringTest, CutoffIsReportedSeparatelyAndConfigurableWithin31To33) {
  const auto& c = Get("pcl5");
  EXPECT_FALSE(CutoffMet(c, Score(c, AnswersWithTotal(c, 32)), "provisional_ptsd"));
  EXPECT_TRUE(CutoffMet(c, Score(c, AnswersWithTotal(c, 33)), "provisional_ptsd"));
  auto at31 = ApplyInstrumentSettings(c, {{"cutoff.provisional_ptsd", 31}});
  ASSERT_TRUE(at31.ok());
  EXPECT_FALSE(CutoffMet(*at31, Score(*at31, AnswersWithTotal(c, 30)), "provisional_ptsd"));
  EXPECT_TRUE(CutoffMet(*at31, Score(*at31, AnswersWithTotal(c, 31)), "provisional_ptsd"));
  // The superseded 38 and anything outside 31–33 are refused.
  EXPECT_FALSE(ApplyInstrumentSettings(c, {{"cutoff.provisional_ptsd", 38}}).ok());
  EXPECT_FALSE(ApplyInstrumentSettings(c, {{"cutoff.provisional_ptsd", 30}}).ok());
  EXPECT_FALSE(ApplyInstrumentSettings(c, {{"cutoff.nonexistent", 31}}).ok());
  EXPECT_FALSE(ApplyInstrumentSettings(Get("phq9"), {{"cutoff.major_depression_screen", 11}}).ok());
}

// C-SSRS screener items in order: 1, 2, 3, 4, 5, 6 (lifetime), 6b (past 3 months).
TEST(CssrsScoringTest, SkipLogicQ2NoGoesToQ6) {
  const auto& c = Get("cssrs");
  auto negative = Score(c, {0, 0, N, N, N, 0, N});
  ASSERT_TRUE(negative.ok());
  EXPECT_FALSE(negative.has_total);
  EXPECT_EQ(c.bands[negative.band].code, "negative");
  EXPECT_TRUE(Alerts(c, negative).empty());
  // Q3–Q5 are not asked after Q2 = no; answering them is an error, not data.
  auto not_asked = Score(c, {0, 0, 0, N, N, 0, N});
  EXPECT_EQ(not_asked.problem, ScoreProblem::kNotAsked);
  EXPECT_EQ(not_asked.item, 2);
  // After Q2 = yes, Q3–Q5 are required.
  auto missing = Score(c, {1, 1, 0, N, 0, 0, N});
  EXPECT_EQ(missing.problem, ScoreProblem::kMissingItem);
  EXPECT_EQ(missing.item, 3);
  // Q6 = yes asks "within the past 3 months?".
  EXPECT_EQ(Score(c, {0, 0, N, N, N, 1, N}).problem, ScoreProblem::kMissingItem);
  EXPECT_EQ(Score(c, {0, 0, N, N, N, 0, 0}).problem, ScoreProblem::kNotAsked);
  EXPECT_EQ(Score(c, {2, 0, N, N, N, 0, N}).problem, ScoreProblem::kOutOfRange);
}

TEST(CssrsScoringTest, HighRiskOnQ4OrQ5OrRecentBehaviour) {
  const auto& c = Get("cssrs");
  for (const auto& answers : std::vector<std::vector<int16_t>>{
           {1, 1, 0, 1, 0, 0, N}, {1, 1, 0, 0, 1, 0, N}, {0, 0, N, N, N, 1, 1}, {1, 1, 1, 1, 1, 1, 1}}) {
    auto outcome = Score(c, answers);
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(c.bands[outcome.band].code, "high_risk");
    EXPECT_FALSE(c.bands[outcome.band].unconfirmed);
    EXPECT_EQ(Alerts(c, outcome), std::vector<std::string>{"cssrs_high_risk"});
  }
}

TEST(CssrsScoringTest, OtherPositivesAreReferralsInUnconfirmedTiers) {
  const auto& c = Get("cssrs");
  auto q3 = Score(c, {1, 1, 1, 0, 0, 0, N});
  EXPECT_EQ(c.bands[q3.band].code, "moderate_risk");
  EXPECT_TRUE(c.bands[q3.band].unconfirmed);
  auto old_behaviour = Score(c, {0, 0, N, N, N, 1, 0});
  EXPECT_EQ(c.bands[old_behaviour.band].code, "moderate_risk");
  auto wish = Score(c, {1, 0, N, N, N, 0, N});
  EXPECT_EQ(c.bands[wish.band].code, "low_risk");
  auto thoughts = Score(c, {0, 1, 0, 0, 0, 0, N});
  EXPECT_EQ(c.bands[thoughts.band].code, "low_risk");
  for (const auto& outcome : {q3, old_behaviour, wish, thoughts}) {
    EXPECT_EQ(Alerts(c, outcome), std::vector<std::string>{"cssrs_positive_referral"});
  }
}

TEST(QidsSr16ScoringTest, TakesTheHighestItemOfEachGroup) {
  const auto& c = Get("qids_sr16");
  // max(3,0,1,2) + 2 + max(0,1,3,0) + (1+1+1+1+1) + max(2,0) = 3 + 2 + 3 + 5 + 2.
  auto outcome = Score(c, {3, 0, 1, 2, 2, 0, 1, 3, 0, 1, 1, 1, 1, 1, 2, 0});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome.total, 15);
  EXPECT_EQ(c.bands[outcome.band].code, "moderate");
  // All items at 3: 3 + 3 + 3 + 15 + 3 = 27, the top of the range.
  EXPECT_EQ(Score(c, std::vector<int16_t>(16, 3)).total, 27);
}

TEST(QidsSr16ScoringTest, BandEdges) {
  const auto& c = Get("qids_sr16");
  // Total t from the five single items 5, 10–14 (each 0–3) and group maxima.
  auto with_total = [&](int total) {
    std::vector<int16_t> answers(16, 0);
    for (int index : {4, 9, 10, 11, 12, 13, 0, 5, 14}) {  // items 5, 10–14, 1, 6, 15
      const int v = std::min(3, total);
      answers[index] = static_cast<int16_t>(v);
      total -= v;
    }
    EXPECT_EQ(total, 0);
    auto outcome = Score(c, answers);
    EXPECT_TRUE(outcome.ok());
    return c.bands[outcome.band].code;
  };
  EXPECT_EQ(with_total(0), "none");
  EXPECT_EQ(with_total(5), "none");
  EXPECT_EQ(with_total(6), "mild");
  EXPECT_EQ(with_total(10), "mild");
  EXPECT_EQ(with_total(11), "moderate");
  EXPECT_EQ(with_total(15), "moderate");
  EXPECT_EQ(with_total(16), "severe");
  EXPECT_EQ(with_total(20), "severe");
  EXPECT_EQ(with_total(21), "very_severe");
  EXPECT_EQ(with_total(27), "very_severe");
}

TEST(ModifiedAldreteScoringTest, DischargeAtNineOrMore) {
  const auto& c = Get("aldrete");
  EXPECT_EQ(c.item_count, 5);
  auto eight = Score(c, {2, 2, 2, 1, 1});
  ASSERT_TRUE(eight.ok());
  EXPECT_EQ(eight.total, 8);
  EXPECT_FALSE(CutoffMet(c, eight, "discharge_ready"));
  EXPECT_TRUE(CutoffMet(c, Score(c, {2, 2, 2, 2, 1}), "discharge_ready"));
  EXPECT_EQ(Score(c, {2, 2, 2, 2, 3}).problem, ScoreProblem::kOutOfRange);
}

TEST(MoaasScoringTest, ZeroIsLossOfConsciousness) {
  const auto& c = Get("moaas");
  auto zero = Score(c, {0});
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(c.bands[zero.band].code, "loss_of_consciousness");
  EXPECT_EQ(Alerts(c, zero), std::vector<std::string>{"moaas_loss_of_consciousness"});
  auto three = Score(c, {3});
  EXPECT_EQ(three.band, -1);
  EXPECT_TRUE(Alerts(c, three).empty());
  EXPECT_TRUE(c.range_unconfirmed);
  EXPECT_EQ(Score(c, {6}).problem, ScoreProblem::kOutOfRange);
}

TEST(MadrsScoringTest, EnteredTotalWithSnaithBands) {
  const auto& c = Get("madrs");
  auto band = [&](int16_t total) {
    auto outcome = Score(c, {total});
    EXPECT_TRUE(outcome.ok()) << total;
    return c.bands[outcome.band].code;
  };
  EXPECT_EQ(band(0), "normal");
  EXPECT_EQ(band(6), "normal");
  EXPECT_EQ(band(7), "mild");
  EXPECT_EQ(band(19), "mild");
  EXPECT_EQ(band(20), "moderate");
  EXPECT_EQ(band(34), "moderate");
  EXPECT_EQ(band(35), "severe");
  EXPECT_EQ(band(60), "severe");
  EXPECT_EQ(Score(c, {61}).problem, ScoreProblem::kOutOfRange);
  EXPECT_EQ(Score(c, {-1}).problem, ScoreProblem::kOutOfRange);
}

TEST(MadrsScoringTest, OptionalItemValuesAreCheckedAgainstTheTotal) {
  const auto& c = Get("madrs");
  // Total slot empty, all ten items: total is their sum.
  auto from_items = Score(c, {N, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3});
  ASSERT_TRUE(from_items.ok());
  EXPECT_EQ(from_items.total, 30);
  EXPECT_TRUE(Score(c, {30, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}).ok());
  EXPECT_EQ(Score(c, {31, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}).problem, ScoreProblem::kTotalMismatch);
  // Some items with the total: kept and range-checked; without a total: refused.
  EXPECT_TRUE(Score(c, {25, 3, N, N, N, N, N, N, N, N, 6}).ok());
  EXPECT_EQ(Score(c, {25, 7, N, N, N, N, N, N, N, N, N}).problem, ScoreProblem::kOutOfRange);
  EXPECT_EQ(Score(c, {N, 3, N, N, N, N, N, N, N, N, N}).problem, ScoreProblem::kMissingItem);
  EXPECT_EQ(Score(c, {N}).problem, ScoreProblem::kMissingItem);
  EXPECT_EQ(Score(c, {1, 2}).problem, ScoreProblem::kWrongAnswerCount);
}

TEST(MadrsScoringTest, SevereCutoffAndRemissionAreClinicSettings) {
  const auto& c = Get("madrs");
  EXPECT_TRUE(CutoffMet(c, Score(c, {35}), "severe"));
  EXPECT_FALSE(CutoffMet(c, Score(c, {34}), "severe"));
  auto mueller2003 = ApplyInstrumentSettings(c, {{"cutoff.severe", 31}});
  ASSERT_TRUE(mueller2003.ok());
  EXPECT_TRUE(CutoffMet(*mueller2003, Score(*mueller2003, {31}), "severe"));
  EXPECT_TRUE(ApplyInstrumentSettings(c, {{"remission_at_most", 10}}).ok());
  EXPECT_FALSE(ApplyInstrumentSettings(c, {{"remission_at_most", 9}}).ok());
  EXPECT_FALSE(ApplyInstrumentSettings(Get("phq9"), {{"remission_at_most", 5}}).ok());
}

TEST(CadssScoringTest, Cadss6SubscaleOnlyFromItemValues) {
  const auto& c = Get("cadss");
  auto total_only = Score(c, {12});
  ASSERT_TRUE(total_only.ok());
  EXPECT_EQ(total_only.subscales_present, 0);
  EXPECT_EQ(total_only.band, -1);
  EXPECT_TRUE(c.range_unconfirmed);
  std::vector<int16_t> answers(24, 0);
  answers[0] = N;
  for (int item : {1, 2, 6, 7, 15, 22}) answers[item] = 2;  // slot n holds item n
  answers[3] = 4;
  auto items = Score(c, answers);
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(items.total, 16);
  EXPECT_EQ(items.subscales[0], 12);
  EXPECT_EQ(Score(c, {93}).problem, ScoreProblem::kOutOfRange);
}

TEST(BprsPositiveScoringTest, ItemsRunOneToSeven) {
  const auto& c = Get("bprs_positive");
  EXPECT_TRUE(Score(c, {4}).ok());
  EXPECT_EQ(Score(c, {3}).problem, ScoreProblem::kOutOfRange);
  EXPECT_EQ(Score(c, {N, 1, 7, 2, 3}).total, 13);
  EXPECT_EQ(Score(c, {N, 0, 7, 2, 3}).problem, ScoreProblem::kOutOfRange);
}

}  // namespace
}  // namespace ketachart
