// Strict reading of JSON request bodies. A JsonObjectReader takes fields one by
// one with their rules; the first broken rule is kept as an invalid_input Error
// naming the field (dotted path, e.g. "emergency_contact.phone") and the rule.
// Finish() also rejects fields the caller never asked for, so a typo in a field
// name is an error instead of silently ignored data. Not thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"

namespace ketachart {

using Json = nlohmann::json;

// Parses a body; malformed JSON is invalid_input with field "" and the byte position.
Result<Json> ParseJsonBody(std::string_view body);

struct StringRule {
  size_t min_length = 0;
  size_t max_length = 200;
};

class JsonObjectReader {
 public:
  // `path` prefixes field names in errors ("" for the top level).
  JsonObjectReader(const Json& object, std::string path = {});

  std::optional<std::string> RequiredString(const std::string& name, StringRule rule = {});
  std::optional<std::string> OptionalString(const std::string& name, StringRule rule = {});
  // A real calendar date "YYYY-MM-DD".
  std::optional<std::string> RequiredDate(const std::string& name);
  std::optional<std::string> OptionalDate(const std::string& name);
  // One of `allowed`.
  std::optional<std::string> RequiredEnum(const std::string& name, const std::vector<std::string>& allowed);
  std::optional<std::string> OptionalEnum(const std::string& name, const std::vector<std::string>& allowed);
  std::optional<int64_t> RequiredInteger(const std::string& name, int64_t min, int64_t max);
  std::optional<int64_t> OptionalInteger(const std::string& name, int64_t min, int64_t max);
  std::optional<double> OptionalNumber(const std::string& name, double min, double max);
  std::optional<bool> OptionalBool(const std::string& name);
  // Returns the nested value (object or array) for the caller to read with its own reader.
  const Json* OptionalObject(const std::string& name);
  const Json* OptionalArray(const std::string& name, size_t max_items);

  // Accepts a field the caller reads elsewhere, so Finish() does not call it unknown.
  void Allow(const std::string& name) { consumed_.insert(name); }
  // Records a failure found by the caller (e.g. a nested reader's error).
  void Fail(Error error);
  bool ok() const { return !error_.has_value(); }
  std::string FieldPath(const std::string& name) const;
  // Reports the first error, or an unknown field.
  Status Finish();

 private:
  const Json* Find(const std::string& name, bool required);
  void TypeError(const std::string& name, const char* expected);

  const Json& object_;
  std::string path_;
  std::set<std::string> consumed_;
  std::optional<Error> error_;
};

}  // namespace ketachart
