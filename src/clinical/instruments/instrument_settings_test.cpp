// The configurable settings each shipped instrument offers (its data file's
// defaults, ranges and citations) and the validation of a clinic's choice:
// field named, rule and citation in the message, unnamed settings kept.
#include "clinical/instruments/instrument_settings.h"

#include <gtest/gtest.h>

#include "clinical/instruments/instrument_catalog.h"

namespace ketachart {
namespace {

const CompiledInstrument& Get(std::string_view key) {
  const CompiledInstrument* instrument = InstrumentCatalog::Builtin().Find(key);
  EXPECT_NE(instrument, nullptr) << key;
  return *instrument;
}

TEST(InstrumentSettingsTest, Pcl5OffersItsCutoffWithinTheCitedRange) {
  const auto settings = ConfigurableSettings(Get("pcl5"));
  ASSERT_EQ(settings.size(), 1u);
  EXPECT_EQ(settings[0].name, "cutoff.provisional_ptsd");
  EXPECT_EQ(settings[0].default_value, 33);
  EXPECT_EQ(settings[0].min, 31);
  EXPECT_EQ(settings[0].max, 33);
  EXPECT_NE(settings[0].source.find("31–33"), std::string::npos) << settings[0].source;
}

TEST(InstrumentSettingsTest, MadrsOffersTheSevereCutoffAndTheRemissionThreshold) {
  const auto settings = ConfigurableSettings(Get("madrs"));
  ASSERT_EQ(settings.size(), 2u);
  EXPECT_EQ(settings[0].name, "cutoff.severe");
  EXPECT_EQ(settings[0].default_value, 35);
  EXPECT_EQ(settings[0].min, 31);
  EXPECT_EQ(settings[0].max, 35);
  EXPECT_NE(settings[0].source.find("Müller 2003"), std::string::npos);
  EXPECT_EQ(settings[1].name, "remission_at_most");
  EXPECT_EQ(settings[1].default_value, 12);
  EXPECT_EQ(settings[1].min, 10);
  EXPECT_EQ(settings[1].max, 12);
  EXPECT_NE(settings[1].source.find("PMC7894501"), std::string::npos);
}

TEST(InstrumentSettingsTest, InstrumentsWithoutARangeInTheirDataFileOfferNothing) {
  int without = 0;
  for (const CompiledInstrument& instrument : InstrumentCatalog::Builtin().instruments()) {
    if (instrument.key == "pcl5" || instrument.key == "madrs") continue;
    EXPECT_TRUE(ConfigurableSettings(instrument).empty()) << instrument.key;
    ++without;
  }
  EXPECT_EQ(without, 8);
  EXPECT_FALSE(ValidateInstrumentSettings(Get("phq9"), {{"remission_at_most", 4}}, {}).ok());
}

TEST(InstrumentSettingsTest, AChoiceInRangeFillsEveryOtherSettingFromTheCurrentOnes) {
  auto chosen = ValidateInstrumentSettings(Get("madrs"), {{"remission_at_most", 10}}, {{"cutoff.severe", 31}});
  ASSERT_TRUE(chosen.ok()) << chosen.error().message;
  EXPECT_EQ(chosen.value(), (std::map<std::string, int>{{"cutoff.severe", 31}, {"remission_at_most", 10}}));
  auto defaults = ValidateInstrumentSettings(Get("madrs"), {{"cutoff.severe", 33}}, {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults.value().at("remission_at_most"), 12);
}

TEST(InstrumentSettingsTest, BadChoicesNameTheSettingAndTheCitedRule) {
  const auto& pcl5 = Get("pcl5");
  auto superseded = ValidateInstrumentSettings(pcl5, {{"cutoff.provisional_ptsd", 38}}, {});
  ASSERT_FALSE(superseded.ok());
  EXPECT_EQ(superseded.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(superseded.error().field, "settings.cutoff.provisional_ptsd");
  EXPECT_NE(superseded.error().message.find("between 31 and 33"), std::string::npos) << superseded.error().message;
  EXPECT_NE(superseded.error().message.find("clinical-reference.md D1"), std::string::npos);

  auto unknown = ValidateInstrumentSettings(pcl5, {{"cutoff.nonexistent", 31}}, {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "settings.cutoff.nonexistent");
  auto fraction = ValidateInstrumentSettings(pcl5, {{"cutoff.provisional_ptsd", 31.5}}, {});
  ASSERT_FALSE(fraction.ok());
  EXPECT_EQ(fraction.error().field, "settings.cutoff.provisional_ptsd");
  auto empty = ValidateInstrumentSettings(pcl5, Json::object(), {});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().field, "settings");
  EXPECT_FALSE(ValidateInstrumentSettings(pcl5, Json::array(), {}).ok());
}

TEST(InstrumentSettingsTest, StoredSettingsRoundTrip) {
  const std::map<std::string, int> values = {{"cutoff.severe", 31}, {"remission_at_most", 10}};
  auto parsed = ParseStoredSettings(SettingsJson(values).dump());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value(), values);
  EXPECT_FALSE(ParseStoredSettings("[1]").ok());
  EXPECT_FALSE(ParseStoredSettings("{\"cutoff.severe\": \"31\"}").ok());
}

}  // namespace
}  // namespace ketachart
