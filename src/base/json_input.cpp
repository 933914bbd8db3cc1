// Strict JSON body reading (see json_input.h).
#include "base/json_input.h"

#include <cmath>
#include <fmt/format.h>

#include "base/clock.h"

namespace ketachart {

Result<Json> ParseJsonBody(std::string_view body) {
  try {
    return Json::parse(body);
  } catch (const Json::parse_error& error) {
    return InvalidInput("", fmt::format("request body is not valid JSON (at byte {})", error.byte));
  }
}

JsonObjectReader::JsonObjectReader(const Json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) {
    error_ = InvalidInput(path_, path_.empty() ? "request body must be a JSON object"
                                               : "must be a JSON object");
  }
}

std::string JsonObjectReader::FieldPath(const std::string& name) const {
  return path_.empty() ? name : path_ + "." + name;
}

void JsonObjectReader::Fail(Error error) {
  if (!error_) error_ = std::move(error);
}

void JsonObjectReader::TypeError(const std::string& name, const char* expected) {
  Fail(InvalidInput(FieldPath(name), fmt::format("must be {}", expected)));
}

const Json* JsonObjectReader::Find(const std::string& name, bool required) {
  if (error_) return nullptr;
  consumed_.insert(name);
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) {
    if (required) Fail(InvalidInput(FieldPath(name), "is required"));
    return nullptr;
  }
  return &*it;
}

static std::optional<std::string> ReadString(JsonObjectReader& reader, const Json* value,
                                              const std::string& field, StringRule rule) {
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    reader.Fail(InvalidInput(field, "must be a string"));
    return std::nullopt;
  }
  std::string text = value->get<std::string>();
  // Trim surrounding whitespace: "  Smith " is the same name as "Smith".
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  text = first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
  if (text.size() < rule.min_length) {
    reader.Fail(InvalidInput(field, rule.min_length == 1
                                        ? "must not be empty"
                                        : fmt::format("must be at least {} characters", rule.min_length)));
    return std::nullopt;
  }
  if (text.size() > rule.max_length) {
    reader.Fail(InvalidInput(field, fmt::format("must be at most {} characters", rule.max_length)));
    return std::nullopt;
  }
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\n' && c != '\t') {
      reader.Fail(InvalidInput(field, "must not contain control characters"));
      return std::nullopt;
    }
  }
  return text;
}

std::optional<std::string> JsonObjectReader::RequiredString(const std::string& name, StringRule rule) {
  if (rule.min_length == 0) rule.min_length = 1;
  return ReadString(*this, Find(name, true), FieldPath(name), rule);
}

std::optional<std::string> JsonObjectReader::OptionalString(const std::string& name, StringRule rule) {
  return ReadString(*this, Find(name, false), FieldPath(name), rule);
}

std::optional<std::string> JsonObjectReader::RequiredDate(const std::string& name) {
  auto text = ReadString(*this, Find(name, true), FieldPath(name), {1, 10});
  if (text && !IsValidDate(*text)) {
    Fail(InvalidInput(FieldPath(name), "must be a real calendar date in the form YYYY-MM-DD"));
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> JsonObjectReader::OptionalDate(const std::string& name) {
  auto text = ReadString(*this, Find(name, false), FieldPath(name), {0, 10});
  if (text && !IsValidDate(*text)) {
    Fail(InvalidInput(FieldPath(name), "must be a real calendar date in the form YYYY-MM-DD"));
    return std::nullopt;
  }
  return text;
}

static std::optional<std::string> CheckEnum(JsonObjectReader& reader, std::optional<std::string> text,
                                            const std::string& field, const std::vector<std::string>& allowed) {
  if (!text) return std::nullopt;
  for (const auto& option : allowed) {
    if (option == *text) return text;
  }
  reader.Fail(InvalidInput(field, fmt::format("must be one of: {}", fmt::join(allowed, ", "))));
  return std::nullopt;
}

std::optional<std::string> JsonObjectReader::RequiredEnum(const std::string& name,
                                                          const std::vector<std::string>& allowed) {
  return CheckEnum(*this, RequiredString(name, {1, 100}), FieldPath(name), allowed);
}

std::optional<std::string> JsonObjectReader::OptionalEnum(const std::string& name,
                                                          const std::vector<std::string>& allowed) {
  return CheckEnum(*this, OptionalString(name, {0, 100}), FieldPath(name), allowed);
}

static std::optional<int64_t> ReadInteger(JsonObjectReader& reader, const Json* value,
                                          const std::string& field, int64_t min, int64_t max) {
  if (!value) return std::nullopt;
  if (!value->is_number_integer()) {
    reader.Fail(InvalidInput(field, "must be a whole number"));
    return std::nullopt;
  }
  const int64_t number = value->is_number_unsigned() && value->get<uint64_t>() > INT64_MAX
                             ? INT64_MAX
                             : value->get<int64_t>();
  if (number < min || number > max) {
    reader.Fail(InvalidInput(field, fmt::format("must be between {} and {}", min, max)));
    return std::nullopt;
  }
  return number;
}

std::optional<int64_t> JsonObjectReader::RequiredInteger(const std::string& name, int64_t min, int64_t max) {
  return ReadInteger(*this, Find(name, true), FieldPath(name), min, max);
}

std::optional<int64_t> JsonObjectReader::OptionalInteger(const std::string& name, int64_t min, int64_t max) {
  return ReadInteger(*this, Find(name, false), FieldPath(name), min, max);
}

std::optional<double> JsonObjectReader::OptionalNumber(const std::string& name, double min, double max) {
  const Json* value = Find(name, false);
  if (!value) return std::nullopt;
  if (!value->is_number()) {
    TypeError(name, "a number");
    return std::nullopt;
  }
  const double number = value->get<double>();
  if (!std::isfinite(number) || number < min || number > max) {
    Fail(InvalidInput(FieldPath(name), fmt::format("must be between {} and {}", min, max)));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> JsonObjectReader::OptionalBool(const std::string& name) {
  const Json* value = Find(name, false);
  if (!value) return std::nullopt;
  if (!value->is_boolean()) {
    TypeError(name, "true or false");
    return std::nullopt;
  }
  return value->get<bool>();
}

const Json* JsonObjectReader::OptionalObject(const std::string& name) {
  const Json* value = Find(name, false);
  if (value && !value->is_object()) {
    TypeError(name, "a JSON object");
    return nullptr;
  }
  return value;
}

const Json* JsonObjectReader::OptionalArray(const std::string& name, size_t max_items) {
  const Json* value = Find(name, false);
  if (!value) return nullptr;
  if (!value->is_array()) {
    TypeError(name, "a JSON array");
    return nullptr;
  }
  if (value->size() > max_items) {
    Fail(InvalidInput(FieldPath(name), fmt::format("must have at most {} entries", max_items)));
    return nullptr;
  }
  return value;
}

Status JsonObjectReader::Finish() {
  if (error_) return *error_;
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (!consumed_.count(it.key())) {
      return InvalidInput(FieldPath(it.key()), "is not a known field");
    }
  }
  return Status::Ok();
}

}  // namespace ketachart
