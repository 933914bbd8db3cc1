// Strict request-body reading: every broken rule names its field.
#include "base/json_input.h"

#include <gtest/gtest.h>

namespace ketachart {
namespace {

TEST(JsonInputTest, MalformedJsonIsInvalidInput) {
  auto parsed = ParseJsonBody("{\"a\":");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidInput);
}

TEST(JsonInputTest, NamesTheMissingField) {
  Json body = Json::parse(R"({"given_names":"Ada"})");
  JsonObjectReader reader(body);
  reader.RequiredString("family_name");
  reader.RequiredString("given_names");
  Status status = reader.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "family_name");
  EXPECT_EQ(status.error().message, "is required");
}

TEST(JsonInputTest, RejectsUnknownFields) {
  Json body = Json::parse(R"({"family_name":"Okafor","familyname":"x"})");
  JsonObjectReader reader(body);
  reader.RequiredString("family_name");
  Status status = reader.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "familyname");
}

TEST(JsonInputTest, RejectsWrongTypesAndImpossibleDates) {
  Json body = Json::parse(R"({"birth_date":"1990-02-30","count":"3"})");
  JsonObjectReader reader(body);
  reader.RequiredDate("birth_date");
  Status status = reader.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "birth_date");

  JsonObjectReader second(body);
  second.OptionalDate("birth_date");
  second.Fail(InvalidInput("x", "y"));
  EXPECT_EQ(second.Finish().error().field, "birth_date");

  Json numbers = Json::parse(R"({"count":"3"})");
  JsonObjectReader third(numbers);
  third.RequiredInteger("count", 0, 10);
  EXPECT_EQ(third.Finish().error().message, "must be a whole number");
}

TEST(JsonInputTest, NestedPathsAppearInErrors) {
  Json body = Json::parse(R"({"phone":5})");
  JsonObjectReader reader(body, "emergency_contact");
  reader.OptionalString("phone");
  EXPECT_EQ(reader.Finish().error().field, "emergency_contact.phone");
}

TEST(JsonInputTest, TrimsAndBoundsStrings) {
  Json body = Json::parse(R"({"name":"  Okafor  ","long":"abcdef"})");
  JsonObjectReader reader(body);
  EXPECT_EQ(reader.RequiredString("name").value(), "Okafor");
  reader.OptionalString("long", {0, 3});
  EXPECT_EQ(reader.Finish().error().message, "must be at most 3 characters");
}

}  // namespace
}  // namespace ketachart
