// The REMS Patient Monitoring Form's pre-fill: each suggestion appears only
// when the session holds its fact, and follows the protocol's and the
// instrument's numbers; the deadline is the session date plus the days given.
#include "clinical/session/rems_form.h"

#include <gtest/gtest.h>

namespace ketachart {
namespace {

Json Value(const std::vector<RemsFormField>& form, const std::string& id) {
  for (const auto& f : form) {
    if (f.id == id) return f.value;
  }
  throw std::runtime_error("no field " + id);
}

TEST(RemsFormTest, AnEmptySessionPrefillsOnlyTheMedicationQuestions) {
  const auto form = PrefillRemsForm({});
  EXPECT_EQ(form.size(), 14u);
  EXPECT_EQ(Value(form, "concomitant_benzodiazepines"), false);
  for (const char* id : {"dose", "lot_number", "total_minutes", "ready_to_leave_minutes",
                         "vitals_acceptable_before_dosing", "sedation", "dissociation", "respiratory_depression",
                         "serious_adverse_events", "vitals_acceptable_at_completion"}) {
    EXPECT_TRUE(Value(form, id).is_null()) << id;
  }
}

TEST(RemsFormTest, SuggestionsFollowTheRecordedFacts) {
  RemsSessionFacts f;
  f.benzodiazepine = true;
  f.dose_mg = 84;
  f.lot_number = "L2345";
  f.first_device_ms = 0;
  f.ready_to_leave_ms = 125 * 60'000;
  f.monitoring_end_ms = 131 * 60'000 + 59'000;
  f.pre_dose_vitals_acceptable = true;
  f.lowest_moaas = 4;
  f.highest_cadss = 0;
  f.lowest_spo2 = 93;
  f.spo2_alarm_min = 92;
  const auto form = PrefillRemsForm(f);
  EXPECT_EQ(Value(form, "concomitant_benzodiazepines"), true);
  EXPECT_EQ(Value(form, "concomitant_maois"), false);
  EXPECT_EQ(Value(form, "dose"), "84 mg");
  EXPECT_EQ(Value(form, "lot_number"), "L2345");
  EXPECT_EQ(Value(form, "total_minutes"), 131);
  EXPECT_EQ(Value(form, "ready_to_leave_minutes"), 125);
  EXPECT_EQ(Value(form, "sedation"), true);          // 4 < 5
  EXPECT_EQ(Value(form, "dissociation"), false);     // CADSS 0
  EXPECT_EQ(Value(form, "respiratory_depression"), false);  // 93 > 92
  EXPECT_EQ(Value(form, "serious_adverse_events"), false);
  EXPECT_TRUE(Value(form, "vitals_acceptable_at_completion").is_null());  // staff answer it

  f.dose_mg = 70;
  f.lowest_moaas = 5;
  f.highest_cadss = 3;
  f.lowest_spo2 = 92;  // at the alarm level counts
  f.serious_adverse_event = true;
  const auto other = PrefillRemsForm(f);
  EXPECT_EQ(Value(other, "dose"), "other: 70 mg");
  EXPECT_EQ(Value(other, "sedation"), false);
  EXPECT_EQ(Value(other, "dissociation"), true);
  EXPECT_EQ(Value(other, "respiratory_depression"), true);
  EXPECT_EQ(Value(other, "serious_adverse_events"), true);
}

TEST(RemsFormTest, UnansweredFieldsAndTheDueDate) {
  Json answers = Json::object();
  for (const auto& field : PrefillRemsForm({})) answers[field.id] = field.value;
  const auto open = UnansweredRemsFields(answers);
  EXPECT_EQ(open.size(), 10u);
  EXPECT_EQ(open.front(), "dose");
  for (const auto& id : open) answers[id] = "answered";
  answers["lot_number"] = "";
  EXPECT_EQ(UnansweredRemsFields(answers), std::vector<std::string>{"lot_number"});
  EXPECT_EQ(RemsDueDate("2026-12-28", 7), "2027-01-04");
  EXPECT_EQ(RemsDueDate("2028-02-25", 7), "2028-03-03");  // leap year
}

}  // namespace
}  // namespace ketachart
