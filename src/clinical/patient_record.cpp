// Patient demographic record rules (see patient_record.h).
#include "clinical/patient_record.h"

#include <regex>

#include "clinical/name_folding.h"

namespace ketachart {
namespace {

const std::vector<std::string> kSexValues = {"female", "male", "intersex", "unknown"};
const std::vector<std::string> kAllergySeverities = {"mild", "moderate", "severe", "unknown"};

bool Matches(const std::string& text, const std::regex& pattern) { return std::regex_match(text, pattern); }

void SetIfPresent(Json& out, const std::string& name, const std::optional<std::string>& value) {
  if (value && !value->empty()) out[name] = *value;
}

std::optional<std::string> ReadPhone(JsonObjectReader& reader, const std::string& name) {
  static const std::regex phone(R"(^\+?[0-9 ()./-]{5,30}$)");
  auto value = reader.OptionalString(name, {0, 30});
  if (value && !value->empty() && !Matches(*value, phone)) {
    reader.Fail(InvalidInput(reader.FieldPath(name), "must be a phone number: digits, spaces, + ( ) . / -"));
    return std::nullopt;
  }
  return value;
}

Json ReadContact(JsonObjectReader& parent, const std::string& name, bool with_relationship) {
  const Json* object = parent.OptionalObject(name);
  if (!object) return nullptr;
  JsonObjectReader reader(*object, parent.FieldPath(name));
  Json out = Json::object();
  SetIfPresent(out, "name", reader.RequiredString("name", {1, 200}));
  if (with_relationship) {
    SetIfPresent(out, "relationship", reader.OptionalString("relationship", {0, 100}));
  } else {
    SetIfPresent(out, "organization", reader.OptionalString("organization", {0, 200}));
  }
  SetIfPresent(out, "phone", ReadPhone(reader, "phone"));
  Status status = reader.Finish();
  if (!status.ok()) parent.Fail(status.error());
  return out;
}

template <typename ReadItem>
Json ReadList(JsonObjectReader& parent, const std::string& name, size_t max_items, ReadItem read_item) {
  Json out = Json::array();
  const Json* array = parent.OptionalArray(name, max_items);
  if (!array) return out;
  for (size_t i = 0; i < array->size(); ++i) {
    JsonObjectReader reader((*array)[i], parent.FieldPath(name) + "[" + std::to_string(i) + "]");
    Json item = read_item(reader);
    Status status = reader.Finish();
    if (!status.ok()) {
      parent.Fail(status.error());
      return out;
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

bool LooksLikeIcd10CmCode(std::string_view code) {
  // ICD-10-CM uses every letter, U included (U07.1 COVID-19, U09.9 post-COVID condition).
  static const std::regex pattern("^[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?$");
  return std::regex_match(std::string(code), pattern);
}

Result<Json> ValidatePatientDocument(const Json& body, const PatientRecordRules& rules,
                                     const std::vector<std::string>& extra_fields) {
  static const std::regex mrn_pattern("^[A-Za-z0-9][A-Za-z0-9-]{0,31}$");
  static const std::regex email_pattern(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
  static const std::regex rxnorm_pattern("^[0-9]{1,10}$");

  JsonObjectReader reader(body);
  for (const auto& extra : extra_fields) reader.Allow(extra);
  Json out = Json::object();

  auto mrn = rules.mrn_required ? reader.RequiredString("mrn", {1, 32}) : reader.OptionalString("mrn", {0, 32});
  if (mrn && !mrn->empty() && !Matches(*mrn, mrn_pattern)) {
    reader.Fail(InvalidInput("mrn", "must be 1-32 letters, digits or '-', starting with a letter or digit"));
  }
  SetIfPresent(out, "mrn", mrn);
  SetIfPresent(out, "family_name", reader.RequiredString("family_name", {1, 100}));
  SetIfPresent(out, "given_names", reader.RequiredString("given_names", {1, 100}));
  auto birth_date = reader.RequiredDate("birth_date");
  if (birth_date) {
    if (*birth_date > rules.today) {
      reader.Fail(InvalidInput("birth_date", "must not be in the future"));
    } else if (*birth_date < rules.earliest_birth_date) {
      reader.Fail(InvalidInput("birth_date", "must be on or after " + rules.earliest_birth_date));
    }
    out["birth_date"] = *birth_date;
  }
  SetIfPresent(out, "sex", reader.RequiredEnum("sex", kSexValues));
  SetIfPresent(out, "gender_identity", reader.OptionalString("gender_identity", {0, 100}));
  SetIfPresent(out, "pronouns", reader.OptionalString("pronouns", {0, 50}));
  SetIfPresent(out, "phone", ReadPhone(reader, "phone"));
  auto email = reader.OptionalString("email", {0, 200});
  if (email && !email->empty() && !Matches(*email, email_pattern)) {
    reader.Fail(InvalidInput("email", "must be an e-mail address like name@example.org"));
  }
  SetIfPresent(out, "email", email);
  SetIfPresent(out, "address", reader.OptionalString("address", {0, 300}));

  Json emergency = ReadContact(reader, "emergency_contact", true);
  if (!emergency.is_null()) out["emergency_contact"] = std::move(emergency);
  Json referrer = ReadContact(reader, "referring_provider", false);
  if (!referrer.is_null()) out["referring_provider"] = std::move(referrer);

  out["allergies"] = ReadList(reader, "allergies", 50, [](JsonObjectReader& item) {
    Json a = Json::object();
    SetIfPresent(a, "substance", item.RequiredString("substance", {1, 100}));
    SetIfPresent(a, "reaction", item.OptionalString("reaction", {0, 200}));
    auto severity = item.OptionalEnum("severity", kAllergySeverities);
    a["severity"] = severity && !severity->empty() ? *severity : "unknown";
    return a;
  });
  out["medications"] = ReadList(reader, "medications", 100, [&](JsonObjectReader& item) {
    Json m = Json::object();
    SetIfPresent(m, "name", item.RequiredString("name", {1, 200}));
    auto code = item.OptionalString("rxnorm_code", {0, 10});
    if (code && !code->empty() && !Matches(*code, rxnorm_pattern)) {
      item.Fail(InvalidInput(item.FieldPath("rxnorm_code"), "must be an RxNorm concept id (digits only)"));
    }
    SetIfPresent(m, "rxnorm_code", code);
    return m;
  });
  out["diagnoses"] = ReadList(reader, "diagnoses", 50, [](JsonObjectReader& item) {
    Json d = Json::object();
    auto code = item.RequiredString("icd10_code", {1, 8});
    if (code && !LooksLikeIcd10CmCode(*code)) {
      item.Fail(InvalidInput(item.FieldPath("icd10_code"),
                             "must be an ICD-10-CM code such as F43.10 (capital letter, two characters, "
                             "optional '.' and up to 4 more)"));
    }
    SetIfPresent(d, "icd10_code", code);
    SetIfPresent(d, "description", item.OptionalString("description", {0, 200}));
    return d;
  });

  KC_RETURN_IF_ERROR(reader.Finish());
  return out;
}

std::string NormaliseNameKey(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == ',' || c == '\t' || c == '\n') {
      pending_space = !out.empty();
      ++i;
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    if (c < 0x80) {
      out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
      ++i;
      continue;
    }
    // Two-byte UTF-8 covers every letter the folding table knows (U+0080-U+07FF).
    if ((c & 0xE0) == 0xC0 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      const char32_t code_point = ((c & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      if (const char* folded = FoldedLetter(code_point)) {
        out += folded;
      } else {
        out.append(text.substr(i, 2));
      }
      i += 2;
      continue;
    }
    out.push_back(static_cast<char>(c));
    ++i;
  }
  return out;
}

std::string FamilyFirstKey(std::string_view family_name, std::string_view given_names) {
  return NormaliseNameKey(std::string(family_name) + " " + std::string(given_names));
}

std::string GivenFirstKey(std::string_view family_name, std::string_view given_names) {
  return NormaliseNameKey(std::string(given_names) + " " + std::string(family_name));
}

}  // namespace ketachart
