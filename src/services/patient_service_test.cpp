// Patients: registration with clinic MRNs, finding the right chart, edits that
// keep history, exact weights for dosing, clinic isolation and the audit of
// every read.
#include "services/patient_service.h"

#include <gtest/gtest.h>

#include <set>

#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using namespace std::chrono_literals;
using test_support::FailsWith;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

Json NewPatient(const std::string& family, const std::string& given, const std::string& birth_date = "1984-03-09",
                const std::string& sex = "female") {
  return {{"family_name", family}, {"given_names", given}, {"birth_date", birth_date}, {"sex", sex}};
}

// The chart a read serves (JSON text), parsed.
Json Chart(Result<JsonText> chart) { return Json::parse(Must(std::move(chart), "read chart").text); }

class PatientServiceTest : public ServiceTest {
 protected:
  PatientServiceTest() : patients_(context()) {
    north_ = AddClinic("NRK");
    harbor_ = AddClinic("HMC");
    desk_ = AddStaff("desk.priya", north_, {Role::kFrontDesk});
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
    therapist_ = AddStaff("therapist.jordan", north_, {Role::kTherapist});
    auditor_ = AddStaff("auditor.helen", north_, {Role::kAuditor});
    harbor_nurse_ = AddStaff("nurse.tomasz", harbor_, {Role::kNurse});
  }

  Json Register(const Json& body, const Actor* actor = nullptr) {
    return Must(patients_.RegisterPatient(actor ? *actor : desk_.actor, body), "register " + body.dump());
  }
  int64_t RegisterId(const std::string& family, const std::string& given, const std::string& birth = "1984-03-09") {
    return Register(NewPatient(family, given, birth))["id"].get<int64_t>();
  }
  // The chart as an edit form would send it back: document fields plus version and reason.
  static Json EditOf(const Json& chart, const std::string& reason) {
    Json body = chart;
    for (const char* generated : {"id", "clinic_id", "created_at", "updated_at", "measurements", "latest_weight",
                                  "latest_height"}) {
      body.erase(generated);
    }
    body["change_reason"] = reason;
    return body;
  }
  Json Search(const std::string& query, int limit = 50, const std::string& cursor = "",
              const Actor* actor = nullptr) {
    return Must(patients_.SearchPatients(actor ? *actor : nurse_.actor, {query, limit, cursor}), "search " + query);
  }
  static std::vector<std::string> Names(const Json& page) {
    std::vector<std::string> names;
    for (const auto& item : page["items"]) {
      names.push_back(item["family_name"].get<std::string>() + ", " + item["given_names"].get<std::string>());
    }
    return names;
  }
  Result<Json> Weigh(int64_t patient_id, Json weight_kg, const std::string& measured_on) {
    return patients_.RecordMeasurement(nurse_.actor, patient_id,
                                       {{"kind", "weight"}, {"weight_kg", weight_kg}, {"measured_on", measured_on}});
  }
  int64_t PatientDataRows() {
    return CountRows("SELECT (SELECT COUNT(*) FROM patients) + (SELECT COUNT(*) FROM patient_versions) + "
                     "(SELECT COUNT(*) FROM patient_body_measurements)");
  }

  PatientService patients_;
  int64_t north_ = 0, harbor_ = 0;
  Staff desk_, nurse_, therapist_, auditor_, harbor_nurse_;
};

TEST_F(PatientServiceTest, RegisterReturnsTheNewChart) {
  Json body = NewPatient("Okafor", "Adaeze Grace");
  body["allergies"] = {{{"substance", "penicillin"}}};
  Json chart = Register(body);
  EXPECT_GT(chart["id"].get<int64_t>(), 0);
  EXPECT_EQ(chart["clinic_id"], north_);
  EXPECT_EQ(chart["version"], 1);
  EXPECT_EQ(chart["family_name"], "Okafor");
  EXPECT_EQ(chart["allergies"][0]["severity"], "unknown");
  EXPECT_EQ(chart["created_at"], Now());
  EXPECT_EQ(chart["updated_at"], Now());
  EXPECT_EQ(chart["measurements"], Json::array());
  EXPECT_TRUE(chart["latest_weight"].is_null());
  EXPECT_EQ(CountAudit("patient.create", "success"), 1);
}

// A read serves the stored document merged as text with the record's fields
// and measurements: it must be exactly the chart the write returned, one key
// each (no duplicated "id", no lost document field).
TEST_F(PatientServiceTest, ReadServesTheSameChartAsTheWriteReturned) {
  Json body = NewPatient("Okafor", "Adaeze Grace");
  body["allergies"] = {{{"substance", "penicillin"}}};
  body["pronouns"] = "she/her";
  Json written = Register(body);
  const int64_t id = written["id"];
  KC_ASSERT_OK(patients_.RecordMeasurement(nurse_.actor, id,
                                           {{"kind", "weight"}, {"weight_kg", 72.5}, {"measured_on", "2026-03-09"}}));
  const std::string text = Must(patients_.GetPatient(nurse_.actor, id)).text;
  Json read = Json::parse(text);
  EXPECT_EQ(read["latest_weight"]["weight_kg"], 72.5);
  EXPECT_EQ(read["measurements"].size(), 1u);
  read.erase("measurements");
  read.erase("latest_weight");
  written.erase("measurements");
  written.erase("latest_weight");
  EXPECT_EQ(read, written);
  // nlohmann keeps the last of duplicated keys silently: count them while parsing.
  size_t top_level_keys = 0;
  (void)Json::parse(text, [&](int depth, Json::parse_event_t event, Json&) {
    if (depth == 1 && event == Json::parse_event_t::key) ++top_level_keys;
    return true;
  });
  EXPECT_EQ(top_level_keys, Json::parse(text).size()) << text;
}

TEST_F(PatientServiceTest, MrnsAreGeneratedPerClinicWithTheClinicCode) {
  EXPECT_EQ(Register(NewPatient("Okafor", "Adaeze"))["mrn"], "NRK-000001");
  EXPECT_EQ(Register(NewPatient("Lindgren", "Erik"))["mrn"], "NRK-000002");
  EXPECT_EQ(Register(NewPatient("Alvarez", "Lucia"), &harbor_nurse_.actor)["mrn"], "HMC-000001");
  EXPECT_EQ(Register(NewPatient("Nakamura", "Hiro"))["mrn"], "NRK-000003");
}

TEST_F(PatientServiceTest, DuplicateMrnInTheSameClinicIsAConflictOnMrn) {
  Json body = NewPatient("Okafor", "Adaeze");
  body["mrn"] = "EXT-4711";
  Register(body);
  const int64_t before = PatientDataRows();
  Json twin = NewPatient("Haddad", "Karim");
  twin["mrn"] = "EXT-4711";
  EXPECT_TRUE(FailsWith(patients_.RegisterPatient(desk_.actor, twin), ErrorCode::kConflict, "mrn"));
  EXPECT_EQ(PatientDataRows(), before);
  // Another clinic may use the same MRN.
  KC_EXPECT_OK(patients_.RegisterPatient(harbor_nurse_.actor, twin));
}

TEST_F(PatientServiceTest, GeneratedMrnSkipsAnMrnAlreadyEnteredByHand) {
  // A patient registered with an MRN that happens to look like the clinic's
  // next generated one (e.g. carried over from a previous system).
  Json imported = NewPatient("Okafor", "Adaeze");
  imported["mrn"] = "NRK-000001";
  Register(imported);
  // Registering without an MRN must still work, every time, with unused MRNs.
  std::set<std::string> mrns = {"NRK-000001"};
  for (const char* family : {"Lindgren", "Alvarez", "Nakamura"}) {
    SCOPED_TRACE(family);
    auto registered = patients_.RegisterPatient(desk_.actor, NewPatient(family, "Sam"));
    KC_EXPECT_OK(registered);
    if (registered.ok()) {
      EXPECT_TRUE(mrns.insert(registered.value()["mrn"].get<std::string>()).second);
    }
  }
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM patients"), 4);
}

TEST_F(PatientServiceTest, InvalidDocumentIsRejectedBeforeAnythingIsWritten) {
  Json body = NewPatient("Okafor", "Adaeze");
  body["emergency_contact"] = {{"name", "Chidi"}, {"phone", "call me"}};
  EXPECT_TRUE(FailsWith(patients_.RegisterPatient(desk_.actor, body), ErrorCode::kInvalidInput,
                        "emergency_contact.phone"));
  body = NewPatient("Okafor", "Adaeze", "2026-03-12");  // in the future in every time zone
  EXPECT_TRUE(FailsWith(patients_.RegisterPatient(desk_.actor, body), ErrorCode::kInvalidInput, "birth_date"));
  EXPECT_EQ(PatientDataRows(), 0);
  EXPECT_EQ(Register(NewPatient("Okafor", "Adaeze"))["mrn"], "NRK-000001") << "no MRN was used up";
}

class PatientSearchTest : public PatientServiceTest {
 protected:
  PatientSearchTest() {
    okafor_ = RegisterId("Okafor", "Adaeze Grace", "1984-03-09");
    RegisterId("Okafor", "Chidi", "1979-11-02");
    obrien_ = RegisterId("O'Brien", "Siobhan", "1990-07-21");
    RegisterId("Smith", "John Paul", "1984-03-09");
    RegisterId("Smithson", "Anna", "1988-11-30");
    RegisterId("Nakamura", "Hiro", "1972-05-05");
  }
  int64_t okafor_ = 0, obrien_ = 0;
};

TEST_F(PatientSearchTest, ByMrnExactly) {
  Json page = Search("NRK-000003");
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["id"], obrien_);
  EXPECT_EQ(page["items"][0]["mrn"], "NRK-000003");
  EXPECT_EQ(page["items"][0]["birth_date"], "1990-07-21");
  EXPECT_EQ(page["items"][0]["sex"], "female");
  EXPECT_TRUE(page["next_cursor"].is_null());
}

TEST_F(PatientSearchTest, ByBirthDateExactly) {
  EXPECT_EQ(Names(Search("1984-03-09")), (std::vector<std::string>{"Okafor, Adaeze Grace", "Smith, John Paul"}));
  EXPECT_TRUE(Search("1984-03-10")["items"].empty());
}

TEST_F(PatientSearchTest, ByFamilyNamePrefix) {
  EXPECT_EQ(Names(Search("oka")), (std::vector<std::string>{"Okafor, Adaeze Grace", "Okafor, Chidi"}));
  EXPECT_EQ(Names(Search("smith")), (std::vector<std::string>{"Smith, John Paul", "Smithson, Anna"}));
  EXPECT_EQ(Names(Search("o'b")), std::vector<std::string>{"O'Brien, Siobhan"});
}

TEST_F(PatientSearchTest, ByGivenNameFirstPrefix) {
  EXPECT_EQ(Names(Search("siob")), std::vector<std::string>{"O'Brien, Siobhan"});
  EXPECT_EQ(Names(Search("john paul sm")), std::vector<std::string>{"Smith, John Paul"});
  EXPECT_EQ(Names(Search("chidi okafor")), std::vector<std::string>{"Okafor, Chidi"});
}

TEST_F(PatientSearchTest, ByTwoWordsFamilyFirst) {
  EXPECT_EQ(Names(Search("smith jo")), std::vector<std::string>{"Smith, John Paul"});
  EXPECT_EQ(Names(Search("Smith, John")), std::vector<std::string>{"Smith, John Paul"});
  EXPECT_EQ(Names(Search("okafor a")), std::vector<std::string>{"Okafor, Adaeze Grace"});
}

TEST_F(PatientSearchTest, IsCaseInsensitiveAndIgnoresExtraSpaces) {
  EXPECT_EQ(Names(Search("OKAFOR")), Names(Search("okafor")));
  EXPECT_EQ(Names(Search("  O'BRIEN ,  siobhan ")), std::vector<std::string>{"O'Brien, Siobhan"});
  EXPECT_EQ(Names(Search("SIOBHAN O'Brien")), std::vector<std::string>{"O'Brien, Siobhan"});
}

TEST_F(PatientSearchTest, NoMatchAndEmptyQuery) {
  EXPECT_TRUE(Search("zzz")["items"].empty());
  EXPECT_TRUE(Search("adaeze grace okafor x")["items"].empty());
  EXPECT_EQ(Names(Search("")), (std::vector<std::string>{"Nakamura, Hiro", "O'Brien, Siobhan", "Okafor, Adaeze Grace",
                                                         "Okafor, Chidi", "Smith, John Paul", "Smithson, Anna"}))
      << "everyone, in family-name order";
}

TEST_F(PatientSearchTest, SearchIsAuditedWithoutTheSearchText) {
  Search("okafor");
  const auto events = AuditEvents("patient.search", "success");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].detail, "results=2");
  EXPECT_EQ(events[0].detail.find("okafor"), std::string::npos);
  EXPECT_EQ(events[0].username, "nurse.ada");
}

TEST_F(PatientSearchTest, RejectsBadLimitsAndCursors) {
  EXPECT_TRUE(FailsWith(patients_.SearchPatients(nurse_.actor, {"", 0, ""}), ErrorCode::kInvalidInput, "limit"));
  EXPECT_TRUE(FailsWith(patients_.SearchPatients(nurse_.actor, {"", 201, ""}), ErrorCode::kInvalidInput, "limit"));
  EXPECT_TRUE(FailsWith(patients_.SearchPatients(nurse_.actor, {"", 10, "!!not a cursor!!"}),
                        ErrorCode::kInvalidInput, "cursor"));
  EXPECT_TRUE(FailsWith(patients_.SearchPatients(nurse_.actor, {std::string(101, 'a'), 10, ""}),
                        ErrorCode::kInvalidInput, "q"));
}

TEST_F(PatientServiceTest, PagesCoverEveryPatientExactlyOnce) {
  // 25 patients; several share a name so the id tie-break matters.
  const std::vector<std::string> families = {"Adeyemi", "Bauer", "Lee", "Lee", "Lee", "Lee", "Lee", "Lee", "Chen",
                                             "Costa", "Dubois", "Fischer", "Haddad", "Hughes", "Ibrahim", "Kim",
                                             "Kowalski", "Lee", "Mensah", "Moreau", "Murphy", "Novak", "Patel",
                                             "Rossi", "Sato"};
  std::set<int64_t> registered;
  for (const auto& family : families) registered.insert(RegisterId(family, "Sam"));
  ASSERT_EQ(registered.size(), 25u);

  for (const std::string& query : {std::string(), std::string("lee")}) {
    SCOPED_TRACE("query '" + query + "'");
    std::vector<int64_t> seen;
    std::vector<std::string> keys;
    std::string cursor;
    int pages = 0;
    do {
      Json page = Search(query, 7, cursor);
      EXPECT_LE(page["items"].size(), 7u);
      for (const auto& item : page["items"]) {
        seen.push_back(item["id"].get<int64_t>());
        keys.push_back(item["family_name"].get<std::string>());
      }
      cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
      ASSERT_LT(++pages, 20) << "pagination does not end";
    } while (!cursor.empty());
    const size_t expected = query.empty() ? 25u : 7u;
    EXPECT_EQ(seen.size(), expected);
    EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), expected) << "no patient twice";
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end())) << "name order across pages";
    EXPECT_EQ(pages, static_cast<int>((expected + 6) / 7));
  }
}

TEST_F(PatientServiceTest, AnotherClinicsPatientIsNotFound) {
  Json chart = Register(NewPatient("Okafor", "Adaeze"));
  const int64_t id = chart["id"];
  const Actor& outsider = harbor_nurse_.actor;
  const int64_t before = PatientDataRows();

  EXPECT_TRUE(FailsWith(patients_.GetPatient(outsider, id), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(patients_.ListVersions(outsider, id), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(patients_.GetVersion(outsider, id, 1), ErrorCode::kNotFound));
  Json edit = EditOf(chart, "trying");
  edit["family_name"] = "Changed";
  EXPECT_TRUE(FailsWith(patients_.UpdatePatient(outsider, id, edit), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(patients_.RecordMeasurement(outsider, id, {{"kind", "weight"}, {"weight_kg", 70},
                                                                    {"measured_on", "2026-03-10"}}),
                        ErrorCode::kNotFound));
  EXPECT_EQ(PatientDataRows(), before);

  EXPECT_TRUE(Search("", 50, "", &outsider)["items"].empty());
  EXPECT_TRUE(Search("okafor", 50, "", &outsider)["items"].empty());
  EXPECT_TRUE(Search("NRK-000001", 50, "", &outsider)["items"].empty());
  EXPECT_TRUE(Search("1984-03-09", 50, "", &outsider)["items"].empty());
  EXPECT_EQ(Chart(patients_.GetPatient(nurse_.actor, id))["family_name"], "Okafor");
}

TEST_F(PatientServiceTest, UpdateCreatesANewVersionAndKeepsTheOldOneReadable) {
  Json chart = Register(NewPatient("Okafr", "Adaeze"));
  const int64_t id = chart["id"];
  clock().Advance(2h);
  Json edit = EditOf(chart, "family name misspelt at registration");
  edit["family_name"] = "Okafor";
  auto updated = patients_.UpdatePatient(nurse_.actor, id, edit);
  KC_ASSERT_OK(updated);
  EXPECT_EQ(updated.value()["version"], 2);
  EXPECT_EQ(updated.value()["family_name"], "Okafor");
  EXPECT_EQ(updated.value()["mrn"], "NRK-000001");
  EXPECT_EQ(updated.value()["updated_at"], Now());
  EXPECT_EQ(updated.value()["created_at"], chart["created_at"]);
  EXPECT_EQ(Names(Search("okafor")), std::vector<std::string>{"Okafor, Adaeze"}) << "search sees the new name";

  Json versions = Must(patients_.ListVersions(nurse_.actor, id));
  ASSERT_EQ(versions["items"].size(), 2u);
  EXPECT_EQ(versions["items"][0]["version"], 2);
  EXPECT_EQ(versions["items"][0]["recorded_by"], "nurse.ada");
  EXPECT_EQ(versions["items"][0]["change_reason"], "family name misspelt at registration");
  EXPECT_EQ(versions["items"][1]["version"], 1);
  EXPECT_EQ(versions["items"][1]["recorded_by"], "desk.priya");
  EXPECT_EQ(versions["items"][1]["change_reason"], "registered");

  Json original = Must(patients_.GetVersion(nurse_.actor, id, 1));
  EXPECT_EQ(original["family_name"], "Okafr");
  EXPECT_EQ(original["recorded_by"], "desk.priya");
  EXPECT_EQ(original["change_reason"], "registered");
  EXPECT_EQ(original["recorded_at"], chart["created_at"]);
  EXPECT_TRUE(FailsWith(patients_.GetVersion(nurse_.actor, id, 3), ErrorCode::kNotFound));
}

TEST_F(PatientServiceTest, StaleVersionIsAConflictAndChangesNothing) {
  Json chart = Register(NewPatient("Okafor", "Adaeze"));
  const int64_t id = chart["id"];
  Json first = EditOf(chart, "new phone");
  first["phone"] = "+1 555 0100";
  KC_ASSERT_OK(patients_.UpdatePatient(nurse_.actor, id, first));

  Json stale = EditOf(chart, "old form still open");  // still says version 1
  stale["given_names"] = "Overwritten";
  EXPECT_TRUE(FailsWith(patients_.UpdatePatient(desk_.actor, id, stale), ErrorCode::kConflict, "version"));

  Json current = Chart(patients_.GetPatient(nurse_.actor, id));
  EXPECT_EQ(current["version"], 2);
  EXPECT_EQ(current["given_names"], "Adaeze");
  EXPECT_EQ(current["phone"], "+1 555 0100");
  EXPECT_EQ(Must(patients_.ListVersions(nurse_.actor, id))["items"].size(), 2u);
  EXPECT_EQ(CountAudit("patient.update", "success"), 1);
}

TEST_F(PatientServiceTest, UpdateNeedsVersionReasonAndMrn) {
  Json chart = Register(NewPatient("Okafor", "Adaeze"));
  const int64_t id = chart["id"];
  Json edit = EditOf(chart, "x");
  edit.erase("change_reason");
  EXPECT_TRUE(FailsWith(patients_.UpdatePatient(nurse_.actor, id, edit), ErrorCode::kInvalidInput, "change_reason"));
  edit = EditOf(chart, "x");
  edit.erase("version");
  EXPECT_TRUE(FailsWith(patients_.UpdatePatient(nurse_.actor, id, edit), ErrorCode::kInvalidInput, "version"));
  edit = EditOf(chart, "x");
  edit.erase("mrn");
  EXPECT_TRUE(FailsWith(patients_.UpdatePatient(nurse_.actor, id, edit), ErrorCode::kInvalidInput, "mrn"));
  edit = EditOf(chart, "x");
  edit["nickname"] = "Ada";
  EXPECT_TRUE(FailsWith(patients_.UpdatePatient(nurse_.actor, id, edit), ErrorCode::kInvalidInput, "nickname"));
  EXPECT_EQ(Chart(patients_.GetPatient(nurse_.actor, id))["version"], 1);
}

TEST_F(PatientServiceTest, UpdateCannotTakeAnotherPatientsMrn) {
  Json first = Register(NewPatient("Okafor", "Adaeze"));
  Json second = Register(NewPatient("Lindgren", "Erik"));
  Json edit = EditOf(second, "merge attempt");
  edit["mrn"] = first["mrn"];
  EXPECT_TRUE(FailsWith(patients_.UpdatePatient(nurse_.actor, second["id"], edit), ErrorCode::kConflict, "mrn"));
}

TEST_F(PatientServiceTest, WeightIsStoredExactly) {
  const int64_t id = RegisterId("Okafor", "Adaeze");
  auto chart = Weigh(id, 72.5, "2026-03-10");
  KC_ASSERT_OK(chart);
  ASSERT_EQ(chart.value()["measurements"].size(), 1u);
  EXPECT_EQ(chart.value()["measurements"][0]["weight_kg"].get<double>(), 72.5);
  EXPECT_EQ(chart.value()["measurements"][0]["recorded_by"], "nurse.ada");
  EXPECT_EQ(CountRows("SELECT value FROM patient_body_measurements WHERE patient_id = ?", {id}), 72500)
      << "integer grams";
  EXPECT_EQ(Chart(patients_.GetPatient(nurse_.actor, id))["latest_weight"]["weight_kg"].get<double>(), 72.5);

  // Three decimals (grams) round-trip exactly too.
  auto grams = Weigh(id, 68.123, "2026-03-10");
  KC_ASSERT_OK(grams);
  EXPECT_EQ(grams.value()["latest_weight"]["weight_kg"].get<double>(), 68.123);
}

TEST_F(PatientServiceTest, WeightWithMoreThanGramPrecisionIsRejected) {
  const int64_t id = RegisterId("Okafor", "Adaeze");
  EXPECT_TRUE(FailsWith(Weigh(id, 72.1234, "2026-03-10"), ErrorCode::kInvalidInput, "weight_kg"));
  EXPECT_TRUE(FailsWith(Weigh(id, 1.5, "2026-03-10"), ErrorCode::kInvalidInput, "weight_kg")) << "below 2 kg";
  EXPECT_TRUE(FailsWith(Weigh(id, 501, "2026-03-10"), ErrorCode::kInvalidInput, "weight_kg"));
  EXPECT_TRUE(FailsWith(Weigh(id, "72.5", "2026-03-10"), ErrorCode::kInvalidInput, "weight_kg"));
  EXPECT_TRUE(FailsWith(patients_.RecordMeasurement(nurse_.actor, id, {{"kind", "weight"}, {"measured_on", "2026-03-10"}}),
                        ErrorCode::kInvalidInput, "weight_kg"));
  EXPECT_TRUE(FailsWith(patients_.RecordMeasurement(nurse_.actor, id, {{"kind", "weight"}, {"height_cm", 170},
                                                                       {"measured_on", "2026-03-10"}}),
                        ErrorCode::kInvalidInput));
  EXPECT_TRUE(FailsWith(patients_.RecordMeasurement(nurse_.actor, id, {{"kind", "mass"}, {"weight_kg", 70},
                                                                       {"measured_on", "2026-03-10"}}),
                        ErrorCode::kInvalidInput, "kind"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM patient_body_measurements"), 0);
}

TEST_F(PatientServiceTest, HeightIsStoredToTheMillimetre) {
  const int64_t id = RegisterId("Okafor", "Adaeze");
  auto chart = patients_.RecordMeasurement(nurse_.actor, id,
                                           {{"kind", "height"}, {"height_cm", 175.5}, {"measured_on", "2026-03-01"}});
  KC_ASSERT_OK(chart);
  EXPECT_EQ(chart.value()["latest_height"]["height_cm"].get<double>(), 175.5);
  EXPECT_TRUE(chart.value()["latest_weight"].is_null());
  EXPECT_TRUE(FailsWith(patients_.RecordMeasurement(nurse_.actor, id, {{"kind", "height"}, {"height_cm", 175.25},
                                                                       {"measured_on", "2026-03-01"}}),
                        ErrorCode::kInvalidInput, "height_cm"));
}

TEST_F(PatientServiceTest, MeasurementCannotBeDatedInTheFuture) {
  const int64_t id = RegisterId("Okafor", "Adaeze");
  // The fake clock reads 2026-03-10T15:00Z: already 11 March east of UTC+9,
  // so the 11th is accepted (a clinic in Auckland records its today), the
  // 12th is in the future everywhere on Earth.
  EXPECT_TRUE(FailsWith(Weigh(id, 72.5, "2026-03-12"), ErrorCode::kInvalidInput, "measured_on"));
  EXPECT_TRUE(FailsWith(Weigh(id, 72.5, "2026-02-30"), ErrorCode::kInvalidInput, "measured_on"));
  KC_EXPECT_OK(Weigh(id, 72.5, "2026-03-10"));  // today is fine
  KC_EXPECT_OK(Weigh(id, 72.5, "2026-03-11"));  // today in UTC+14
  clock().Advance(24h);
  KC_EXPECT_OK(Weigh(id, 72.5, "2026-03-12"));  // and the 12th once it is today somewhere
}

TEST_F(PatientServiceTest, LatestWeightIsTheMostRecentlyMeasuredNotTheMostRecentlyRecorded) {
  const int64_t id = RegisterId("Okafor", "Adaeze");
  KC_ASSERT_OK(Weigh(id, 80.0, "2026-03-01"));
  auto chart = Weigh(id, 78.25, "2026-02-01");  // an older paper record entered late
  KC_ASSERT_OK(chart);
  EXPECT_EQ(chart.value()["latest_weight"], (Json{{"weight_kg", 80.0}, {"measured_on", "2026-03-01"}}));
  EXPECT_EQ(chart.value()["measurements"][0]["measured_on"], "2026-03-01") << "newest measured first";
  chart = Weigh(id, 79.0, "2026-03-05");
  KC_ASSERT_OK(chart);
  EXPECT_EQ(chart.value()["latest_weight"], (Json{{"weight_kg", 79.0}, {"measured_on", "2026-03-05"}}));
  EXPECT_EQ(chart.value()["measurements"].size(), 3u);
}

TEST_F(PatientServiceTest, ReadsAreAuditedWithThePatientId) {
  const int64_t id = RegisterId("Okafor", "Adaeze");
  KC_ASSERT_OK(patients_.GetPatient(therapist_.actor, id));
  KC_ASSERT_OK(patients_.ListVersions(therapist_.actor, id));
  KC_ASSERT_OK(patients_.GetVersion(therapist_.actor, id, 1));
  for (const char* action : {"patient.read", "patient.versions", "patient.read_version"}) {
    SCOPED_TRACE(action);
    const auto events = AuditEvents(action, "success");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].patient_id, id);
    EXPECT_EQ(events[0].resource_type, "patient");
    EXPECT_EQ(events[0].resource_id, std::to_string(id));
    EXPECT_EQ(events[0].username, "therapist.jordan");
    EXPECT_EQ(events[0].clinic_id, north_);
  }
  const auto created = AuditEvents("patient.create", "success");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].patient_id, id);
  EXPECT_TRUE(Must(VerifyAuditChain(database())).intact);
}

TEST_F(PatientServiceTest, PermissionDenialWritesNoPatientDataButADeniedAuditEvent) {
  // The auditor may not register or read; the therapist may read but not write.
  EXPECT_TRUE(FailsWith(patients_.RegisterPatient(auditor_.actor, NewPatient("Okafor", "Adaeze")),
                        ErrorCode::kForbidden));
  EXPECT_EQ(PatientDataRows(), 0);
  ASSERT_EQ(CountAudit("patient.create", "denied"), 1);
  EXPECT_EQ(AuditEvents("patient.create", "denied")[0].detail, "missing permission patient.write");

  Json chart = Register(NewPatient("Okafor", "Adaeze"));
  const int64_t id = chart["id"];
  EXPECT_EQ(chart["mrn"], "NRK-000001") << "the denied registration used no MRN";
  const int64_t before = PatientDataRows();

  EXPECT_TRUE(FailsWith(patients_.GetPatient(auditor_.actor, id), ErrorCode::kForbidden));
  const auto denied_read = AuditEvents("patient.read", "denied");
  ASSERT_EQ(denied_read.size(), 1u);
  EXPECT_EQ(denied_read[0].patient_id, id);
  EXPECT_EQ(denied_read[0].username, "auditor.helen");
  EXPECT_TRUE(FailsWith(patients_.SearchPatients(auditor_.actor, {"okafor", 10, ""}), ErrorCode::kForbidden));

  Json edit = EditOf(chart, "therapist edit");
  edit["family_name"] = "Changed";
  EXPECT_TRUE(FailsWith(patients_.UpdatePatient(therapist_.actor, id, edit), ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(patients_.RecordMeasurement(therapist_.actor, id, {{"kind", "weight"}, {"weight_kg", 70},
                                                                           {"measured_on", "2026-03-10"}}),
                        ErrorCode::kForbidden));
  EXPECT_EQ(PatientDataRows(), before);
  EXPECT_EQ(Chart(patients_.GetPatient(nurse_.actor, id))["family_name"], "Okafor");
  EXPECT_EQ(CountAudit("patient.update", "denied"), 1);
  EXPECT_EQ(CountAudit("patient.measurement", "denied"), 1);
  EXPECT_EQ(AuditEvents("patient.measurement", "denied")[0].patient_id, id);
}

}  // namespace
}  // namespace ketachart

namespace ketachart {
namespace {

// Probing another clinic's patient ids through any endpoint leaves a trace.
TEST_F(PatientServiceTest, ProbingAnotherClinicsPatientIsAuditedAsAFailedAttemptEverywhere) {
  const int64_t id = RegisterId("Okafor", "Adaeze");
  const Actor& outsider = harbor_nurse_.actor;
  EXPECT_TRUE(FailsWith(patients_.GetPatient(outsider, id), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(patients_.ListVersions(outsider, id), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(patients_.GetVersion(outsider, id, 1), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(patients_.RecordMeasurement(outsider, id,
                                                    {{"kind", "weight"}, {"weight_kg", 70}, {"measured_on", "2026-03-01"}}),
                        ErrorCode::kNotFound));
  const int64_t failed = CountRows(
      "SELECT COUNT(*) FROM audit_events WHERE outcome = 'failed' AND resource_id = ? AND username = 'nurse.tomasz' "
      "AND patient_id IS NULL",
      {std::to_string(id)});
  EXPECT_EQ(failed, 4);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM patient_body_measurements WHERE patient_id = ?", {id}), 0);
}

}  // namespace
}  // namespace ketachart
