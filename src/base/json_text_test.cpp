// Tests for merging serialised JSON objects.
#include "base/json_text.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ketachart {
namespace {

TEST(MergeJsonObjects, PutsTheMembersOfBothInOneObject) {
  auto merged = MergeJsonObjects(R"({"id":7,"mrn":"NRK-000007"})", R"({"family_name":"Okafor","allergies":[]})");
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged.value().text, R"({"id":7,"mrn":"NRK-000007","family_name":"Okafor","allergies":[]})");
  const auto parsed = nlohmann::json::parse(merged.value().text);
  EXPECT_EQ(parsed["id"], 7);
  EXPECT_EQ(parsed["family_name"], "Okafor");
}

TEST(MergeJsonObjects, HandlesEmptyObjectsAndWhitespace) {
  EXPECT_EQ(MergeJsonObjects("{}", R"({"a":1})").value().text, R"({"a":1})");
  EXPECT_EQ(MergeJsonObjects(R"({"a":1})", " { } ").value().text, R"({"a":1})");
  EXPECT_EQ(MergeJsonObjects("{}", "{}").value().text, "{}");
  EXPECT_EQ(MergeJsonObjects(" {\"a\":1}\n", "{\"b\":\"}\"}").value().text, R"({"a":1,"b":"}"})");
}

TEST(MergeJsonObjects, RefusesWhatIsNotAnObject) {
  EXPECT_FALSE(MergeJsonObjects("[1]", "{}").ok());
  EXPECT_FALSE(MergeJsonObjects("{}", "\"text\"").ok());
  EXPECT_FALSE(MergeJsonObjects("", "{}").ok());
  EXPECT_FALSE(MergeJsonObjects("{", "{}").ok());
}

}  // namespace
}  // namespace ketachart
