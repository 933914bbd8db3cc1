// The strict protocol loader: the shipped documents load; every kind of
// broken edit an admin could make is refused with the JSON path named.
#include "clinical/protocols/protocol.h"

#include <gtest/gtest.h>

#include "clinical/protocols/protocol_catalog.h"

namespace ketachart {
namespace {

std::shared_ptr<const Protocol> Shipped(std::string_view id) {
  auto catalog = ProtocolCatalog::LoadEmbedded();
  EXPECT_TRUE(catalog.ok()) << catalog.error().field << ": " << catalog.error().message;
  return catalog.ok() ? catalog->Find(id) : nullptr;
}

Json ShippedDocument() { return Shipped("iv-racemic-ketamine")->document; }

// The field named by the load error, or "<ok>".
std::string ErrorField(const Json& document) {
  auto result = LoadProtocolDocument(document);
  if (result.ok()) return "<ok>";
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput);
  return result.error().field;
}

std::string ErrorMessage(const Json& document) {
  auto result = LoadProtocolDocument(document);
  return result.ok() ? "<ok>" : result.error().message;
}

TEST(ProtocolCatalogTest, ShipsTheFourProtocolsAndEachLoads) {
  auto catalog = ProtocolCatalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok()) << catalog.error().field << ": " << catalog.error().message;
  std::vector<std::string> ids;
  for (const auto& protocol : catalog->protocols()) ids.push_back(protocol->id);
  EXPECT_EQ(ids, (std::vector<std::string>{"im-racemic-ketamine", "intranasal-esketamine",
                                           "iv-racemic-ketamine", "kap-oral-sublingual-ketamine"}));
  for (const auto& protocol : catalog->protocols()) {
    EXPECT_EQ(protocol->schema_version, kProtocolSchemaVersion);
    EXPECT_GE(protocol->version, 1);
    EXPECT_EQ(protocol->digest.size(), 64u);
    EXPECT_FALSE(protocol->eligibility_rules.empty()) << protocol->id;
    EXPECT_FALSE(protocol->monitoring_intervals.empty()) << protocol->id;
    EXPECT_FALSE(protocol->discharge_criteria.empty()) << protocol->id;
    EXPECT_FALSE(protocol->after_care.empty()) << protocol->id;
  }
  EXPECT_EQ(catalog->Find("no-such-protocol"), nullptr);
}

TEST(ProtocolCatalogTest, IvProtocolCarriesTheCitedStandardDose) {
  auto iv = Shipped("iv-racemic-ketamine");
  ASSERT_NE(iv, nullptr);
  const ProtocolQuantity& dose = iv->dosing_parameters.front();
  EXPECT_EQ(dose.id, "default_dose");
  EXPECT_DOUBLE_EQ(*dose.value, 0.5);
  EXPECT_EQ(dose.unit, "mg/kg");
  EXPECT_NE(iv->FindSource(dose.source)->citation.find("Zanos"), std::string::npos);
  EXPECT_FALSE(dose.unconfirmed);
}

TEST(ProtocolCatalogTest, UnconfirmedThresholdsAreFlagged) {
  auto iv = Shipped("iv-racemic-ketamine");
  std::vector<std::string> unconfirmed;
  for (const auto* q : iv->UnconfirmedQuantities()) unconfirmed.push_back(q->id);
  // C1: IV BP/HR stop thresholds UNCONFIRMED; RR limits UNCONFIRMED; B: titration to 1.0 mg/kg
  // UNCONFIRMED.
  for (const char* id : {"systolic_max", "diastolic_max", "heart_rate_max", "respiratory_rate_min",
                         "titration_max"}) {
    EXPECT_NE(std::find(unconfirmed.begin(), unconfirmed.end(), id), unconfirmed.end()) << id;
  }
  // C1/C2: SpO2 >92% (Aldrete) is cited, not unconfirmed.
  EXPECT_EQ(std::find(unconfirmed.begin(), unconfirmed.end(), "spo2_min"), unconfirmed.end());
}

TEST(ProtocolCatalogTest, EsketamineObservationAndBloodPressureSchedule) {
  auto esketamine = Shipped("intranasal-esketamine");
  ASSERT_NE(esketamine, nullptr);
  EXPECT_EQ(esketamine->monitoring_intervals[0].id, "observation_min");
  EXPECT_DOUBLE_EQ(*esketamine->monitoring_intervals[0].value, 2);
  EXPECT_EQ(esketamine->monitoring_intervals[0].unit, "h");
  EXPECT_DOUBLE_EQ(*esketamine->monitoring_intervals[1].value, 40);
}

TEST(ProtocolCatalogTest, AnInvalidFileNamesTheFile) {
  const EmbeddedFile files[] = {{"broken.json", R"({"schema_version": 1})"}};
  auto catalog = ProtocolCatalog::Load(files);
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.error().field, "broken.json: id");
}

TEST(ProtocolCatalogTest, TheSameVersionShippedTwiceIsRefused) {
  const std::string text = ShippedDocument().dump();
  const EmbeddedFile files[] = {{"a.json", text}, {"b.json", text}};
  EXPECT_FALSE(ProtocolCatalog::Load(files).ok());
}

TEST(ProtocolCatalogTest, TheHighestShippedVersionOfAProtocolWins) {
  Json second = ShippedDocument();
  second["version"] = 2;
  const std::string v1 = ShippedDocument().dump();
  const std::string v2 = second.dump();
  const EmbeddedFile files[] = {{"v2.json", v2}, {"v1.json", v1}};
  auto catalog = ProtocolCatalog::Load(files);
  ASSERT_TRUE(catalog.ok());
  ASSERT_EQ(catalog->protocols().size(), 1u);
  EXPECT_EQ(catalog->Find("iv-racemic-ketamine")->version, 2);
}

TEST(ProtocolLoaderTest, UnknownFieldsAreNamedByPath) {
  Json document = ShippedDocument();
  document["colour"] = "blue";
  EXPECT_EQ(ErrorField(document), "colour");
  document = ShippedDocument();
  document["eligibility"][2]["overridable"] = true;
  EXPECT_EQ(ErrorField(document), "eligibility[2].overridable");
  document = ShippedDocument();
  document["monitoring"]["alarm_thresholds"][0]["maximum"] = 200;
  EXPECT_EQ(ErrorField(document), "monitoring.alarm_thresholds[0].maximum");
}

TEST(ProtocolLoaderTest, WrongTypesAreNamedByPath) {
  Json document = ShippedDocument();
  document["dosing"]["parameters"][0]["value"] = "0.5";
  EXPECT_EQ(ErrorField(document), "dosing.parameters[0].value");
  document = ShippedDocument();
  document["version"] = "1";
  EXPECT_EQ(ErrorField(document), "version");
  document = ShippedDocument();
  document["preparation"] = Json::object();
  EXPECT_EQ(ErrorField(document), "preparation");
}

TEST(ProtocolLoaderTest, ANumberWithoutACitationIsRefused) {
  Json document = ShippedDocument();
  document["dosing"]["parameters"][0].erase("source");
  EXPECT_EQ(ErrorField(document), "dosing.parameters[0].source");
  document = ShippedDocument();
  document["preparation"][0]["quantities"][0]["source"] = "my_memory";
  EXPECT_EQ(ErrorField(document), "preparation[0].quantities[0].source");
  EXPECT_NE(ErrorMessage(document).find("not listed in sources"), std::string::npos);
  document = ShippedDocument();
  document["eligibility"][4]["baseline_blood_pressure_above"]["systolic"].erase("source");
  EXPECT_EQ(ErrorField(document), "eligibility[4].baseline_blood_pressure_above.systolic.source");
}

// Every quantity (an object with a unit) in every shipped protocol: removing
// its source must be refused at exactly that path.
void CollectQuantityPaths(const Json& node, const std::string& path,
                          std::vector<std::string>& out) {
  if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) {
      CollectQuantityPaths(node[i], path + "[" + std::to_string(i) + "]", out);
    }
  } else if (node.is_object()) {
    if (node.contains("unit")) out.push_back(path);  // a Quantity, with or without its value
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (path.empty() && it.key() == "sources") continue;
      CollectQuantityPaths(*it, path.empty() ? it.key() : path + "." + it.key(), out);
    }
  }
}

TEST(ProtocolLoaderTest, EveryShippedNumberIsRefusedWithoutItsSource) {
  auto catalog = ProtocolCatalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  size_t checked = 0;
  for (const auto& protocol : catalog->protocols()) {
    std::vector<std::string> paths;
    CollectQuantityPaths(protocol->document, "", paths);
    for (const auto& path : paths) {
      Json document = protocol->document;
      document[Json::json_pointer("/" +
                                  [&] {
                                    std::string pointer = path;
                                    for (auto& c : pointer) {
                                      if (c == '.' || c == '[') c = '/';
                                    }
                                    std::erase(pointer, ']');
                                    return pointer;
                                  }())]
          .erase("source");
      EXPECT_EQ(ErrorField(document), path + ".source") << protocol->id;
      ++checked;
    }
  }
  EXPECT_GE(checked, 100u);
}

TEST(ProtocolLoaderTest, OnlyAnUnconfirmedQuantityMayLeaveItsValueToTheClinic) {
  Json document = ShippedDocument();
  document["dosing"]["parameters"][0].erase("value");
  EXPECT_EQ(ErrorField(document), "dosing.parameters[0].value");
  document["dosing"]["parameters"][0]["unconfirmed"] = true;
  EXPECT_EQ(ErrorField(document), "<ok>");
}

TEST(ProtocolLoaderTest, RulesNeedKnownVocabularyUnitsAndExactlyOneTrigger) {
  Json document = ShippedDocument();
  document["eligibility"][0]["hypersensitivity_any"][0] = "peanuts";
  EXPECT_EQ(ErrorField(document), "eligibility[0].hypersensitivity_any[0]");
  document = ShippedDocument();
  document["eligibility"][0]["condition_any"] = Json::array({"pregnancy"});
  EXPECT_EQ(ErrorField(document), "eligibility[0]");
  document = ShippedDocument();
  document["eligibility"][0].erase("hypersensitivity_any");
  EXPECT_EQ(ErrorField(document), "eligibility[0]");
  document = ShippedDocument();
  document["eligibility"][4]["baseline_blood_pressure_above"]["systolic"]["unit"] = "bpm";
  EXPECT_EQ(ErrorField(document), "eligibility[4].baseline_blood_pressure_above.systolic.unit");
  document = ShippedDocument();
  document["eligibility"][4]["baseline_blood_pressure_above"]["systolic"]["value"] = 180.5;
  EXPECT_EQ(ErrorField(document), "eligibility[4].baseline_blood_pressure_above.systolic.value");
  document = ShippedDocument();
  document["eligibility"][1]["severity"] = "fatal";
  EXPECT_EQ(ErrorField(document), "eligibility[1].severity");
  document = ShippedDocument();
  document["eligibility"][1]["id"] = document["eligibility"][0]["id"];
  EXPECT_EQ(ErrorField(document), "eligibility[1].id");
}

TEST(ProtocolLoaderTest, SchemaVersionMustBeThisServers) {
  Json document = ShippedDocument();
  document["schema_version"] = 2;
  EXPECT_EQ(ErrorField(document), "schema_version");
  EXPECT_FALSE(LoadProtocolText("{not json").ok());
}

TEST(ProtocolLoaderTest, DigestFollowsTheContentNotTheFormatting) {
  auto a = LoadProtocolText(ShippedDocument().dump());
  auto b = LoadProtocolText(ShippedDocument().dump(2));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->digest, (*b)->digest);
  Json changed = ShippedDocument();
  changed["version"] = 2;
  EXPECT_NE((*LoadProtocolDocument(changed))->digest, (*a)->digest);
}

}  // namespace
}  // namespace ketachart
