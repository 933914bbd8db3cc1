// The instrument compiler refuses inconsistent data files and names the place:
// ranges that do not match the items, gaps between bands, unknown references.
#include "clinical/instruments/instrument_compiler.h"

#include <gtest/gtest.h>

#include "clinical/instruments/instrument_catalog.h"

namespace ketachart {
namespace {

Json Phq9() { return InstrumentCatalog::Builtin().Find("phq9")->definition; }

std::string FirstErrorField(const Json& definition) {
  auto compiled = CompileInstrument(definition);
  return compiled.ok() ? "<ok>" : compiled.error().field;
}

TEST(InstrumentCompilerTest, AcceptsTheShippedFile) { EXPECT_EQ(FirstErrorField(Phq9()), "<ok>"); }

TEST(InstrumentCompilerTest, TotalRangeMustMatchTheItems) {
  Json d = Phq9();
  d["ketachart"]["scoring"]["total"]["range"] = {0, 26};
  EXPECT_EQ(FirstErrorField(d), "ketachart.scoring.total.range");
}

TEST(InstrumentCompilerTest, BandsMustBeContiguous) {
  Json d = Phq9();
  d["ketachart"]["bands"][1]["min"] = 6;
  EXPECT_EQ(FirstErrorField(d), "ketachart.bands[1].min");
  d = Phq9();
  d["ketachart"]["bands"][4]["max"] = 28;
  EXPECT_EQ(FirstErrorField(d), "ketachart.bands[4].max");
}

TEST(InstrumentCompilerTest, ReferencesMustResolve) {
  Json d = Phq9();
  d["ketachart"]["scoring"]["total"]["terms"][0]["sum"][0] = "99";
  EXPECT_EQ(FirstErrorField(d), "ketachart.scoring.total.terms[0]");
  d = Phq9();
  d["ketachart"]["alerts"][0]["when"] = {{"band", {"catastrophic"}}};
  EXPECT_EQ(FirstErrorField(d), "ketachart.alerts[0].when.band");
  d = Phq9();
  d["ketachart"]["alerts"][0]["when"]["any"][0]["at_least"] = 4;
  EXPECT_EQ(FirstErrorField(d), "ketachart.alerts[0].when.any");
}

TEST(InstrumentCompilerTest, AnswerOptionsMustBeOrdinal) {
  Json d = Phq9();
  d["item"][1]["answerOption"][2]["extension"][0]["valueDecimal"] = 5;
  EXPECT_EQ(FirstErrorField(d), "item[1].answerOption[2]");
  d = Phq9();
  d["item"][1]["answerOption"][0].erase("extension");
  EXPECT_EQ(FirstErrorField(d), "item[1].answerOption[0]");
}

TEST(InstrumentCompilerTest, MissingItemRuleAndCutoffRange) {
  Json d = Phq9();
  d["ketachart"]["scoring"]["missing_items"]["rule"] = "prorate";
  EXPECT_EQ(FirstErrorField(d), "ketachart.scoring.missing_items.rule");
  d = Phq9();
  d["ketachart"]["cutoffs"][0]["configurable"] = {{"min", 11}, {"max", 12}};
  EXPECT_EQ(FirstErrorField(d), "ketachart.cutoffs[0].at_least");
}

TEST(InstrumentCompilerTest, BrokenFileInACatalogIsNamed) {
  const std::string broken = R"({"resourceType": "Questionnaire"})";
  const EmbeddedFile files[] = {{"broken.json", broken}};
  auto catalog = InstrumentCatalog::FromFiles(files);
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.error().field, "broken.json: id");
}

}  // namespace
}  // namespace ketachart
