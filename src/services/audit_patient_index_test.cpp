// The audit trail's by-patient lookup (audit_patient_index.h): an event not
// yet indexed is still found by patient, the indexer catches up in batches,
// resumes from its mark after a restart, the background thread keeps up, a
// page boundary across indexed and unindexed events shows each event once,
// and `audit verify` notices an index that disagrees with the trail.
#include "services/audit_patient_index.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "services/audit_trail.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using namespace std::chrono_literals;
using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

class AuditPatientIndexTest : public ServiceTest {
 protected:
  void SetUp() override {
    north_ = AddClinic("NRK");
    harbor_ = AddClinic("HMC");
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
    other_nurse_ = AddStaff("nurse.tomasz", harbor_, {Role::kNurse});
  }

  // Appends one event; returns its id.
  int64_t Append(const Actor& actor, std::optional<int64_t> patient_id, const std::string& action = "patient.read") {
    AuditEntry entry{action, "patient", patient_id ? std::to_string(*patient_id) : "", patient_id,
                     AuditOutcome::kSuccess, ""};
    KC_EXPECT_OK(RecordAuditEventAlone(database(), actor, entry, clock().Now()));
    clock().Advance(1s);
    return CountRows("SELECT last_event_id FROM audit_chain_head WHERE id = 1");
  }
  AuditPage Page(const AuditQuery& query) {
    return Must(database().Run<AuditPage>(TransactionMode::kReadOnly,
                                          [&](Transaction& txn) { return QueryAuditEvents(txn, query); }),
                "query");
  }
  std::vector<int64_t> PatientIds(int64_t patient_id, int limit = 200) {
    AuditQuery query;
    query.patient_id = patient_id;
    query.limit = limit;
    std::vector<int64_t> ids;
    for (const auto& event : Page(query).items) ids.push_back(event.id);
    return ids;
  }
  int64_t Mark() {
    return Must(database().Run<int64_t>(TransactionMode::kReadOnly,
                                        [](Transaction& txn) { return AuditPatientIndexMark(txn); }),
                "mark");
  }
  int64_t IndexRows(int64_t patient_id) {
    return CountRows("SELECT COUNT(*) FROM audit_patient_index WHERE patient_id = ?", {patient_id});
  }
  AuditVerification Verify() { return Must(VerifyAuditChain(database()), "verify"); }

  int64_t north_ = 0, harbor_ = 0;
  Staff nurse_, other_nurse_;
};

TEST_F(AuditPatientIndexTest, AnEventNotYetIndexedIsFoundByPatient) {
  const int64_t first = Append(nurse_.actor, 7);
  Append(nurse_.actor, 8);
  const int64_t second = Append(other_nurse_.actor, 7);
  Append(nurse_.actor, std::nullopt, "audit.query");

  EXPECT_EQ(IndexRows(7), 0) << "nothing has run the indexer";
  EXPECT_LT(Mark(), first);
  EXPECT_EQ(PatientIds(7), (std::vector<int64_t>{second, first}));
  AuditQuery in_north;
  in_north.patient_id = 7;
  in_north.clinic_id = north_;
  ASSERT_EQ(Page(in_north).items.size(), 1u);
  EXPECT_EQ(Page(in_north).items[0].id, first);
  EXPECT_EQ(Page(in_north).items[0].username, "nurse.ada");
}

TEST_F(AuditPatientIndexTest, TheIndexerCatchesUpAndQueriesAreUnchanged) {
  std::vector<int64_t> expected;
  for (int i = 0; i < 40; ++i) {
    const int64_t id = Append(i % 3 == 0 ? other_nurse_.actor : nurse_.actor, i % 4 == 3 ? std::nullopt
                                                                                          : std::optional<int64_t>(i % 5));
    if (i % 4 != 3 && i % 5 == 2) expected.insert(expected.begin(), id);
  }
  const std::vector<int64_t> before = PatientIds(2);
  EXPECT_EQ(before, expected);

  AuditIndexBatch batch = Must(CatchUpAuditPatientIndex(database(), 7), "catch up");
  const int64_t head = CountRows("SELECT last_event_id FROM audit_chain_head WHERE id = 1");
  EXPECT_EQ(batch.indexed_through, head);
  EXPECT_EQ(Mark(), head);
  EXPECT_EQ(batch.rows_added, CountRows("SELECT COUNT(*) FROM audit_events WHERE patient_id IS NOT NULL"));
  EXPECT_EQ(IndexRows(2), static_cast<int64_t>(expected.size()));
  EXPECT_EQ(PatientIds(2), before) << "the same events, now through the index";

  // Nothing left: a further batch covers nothing and adds nothing.
  AuditIndexBatch again = Must(IndexAuditEventsByPatient(database(), 100), "batch");
  EXPECT_EQ(again.events_covered, 0);
  EXPECT_EQ(again.rows_added, 0);
  EXPECT_EQ(again.indexed_through, head);

  // New events join the tail and are listed before the indexed ones.
  const int64_t newer = Append(nurse_.actor, 2);
  EXPECT_EQ(PatientIds(2).front(), newer);
  EXPECT_EQ(PatientIds(2).size(), expected.size() + 1);
  AuditVerification verified = Verify();
  EXPECT_TRUE(verified.intact) << verified.problem;
  EXPECT_EQ(verified.patient_index_rows_checked, batch.rows_added);
}

TEST_F(AuditPatientIndexTest, PagesAcrossTheMarkShowEveryEventOnceNewestFirst) {
  for (int i = 0; i < 11; ++i) Append(nurse_.actor, 5);
  Must(IndexAuditEventsByPatient(database(), 6), "index part");  // the first 6 events indexed
  for (int i = 0; i < 9; ++i) Append(i % 2 ? nurse_.actor : other_nurse_.actor, 5);
  Append(nurse_.actor, 6);
  for (int limit : {1, 3, 4, 7, 20, 50}) {
    SCOPED_TRACE(limit);
    AuditQuery query;
    query.patient_id = 5;
    query.limit = limit;
    std::vector<int64_t> seen;
    for (int pages = 0;; ++pages) {
      ASSERT_LT(pages, 100) << "pagination does not end";
      AuditPage page = Page(query);
      for (const auto& event : page.items) {
        EXPECT_EQ(event.patient_id, 5);
        seen.push_back(event.id);
      }
      if (!page.next_before_id) break;
      query.before_id = page.next_before_id;
    }
    EXPECT_EQ(seen.size(), 20u);
    EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 20u) << "no event twice";
    EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend())) << "newest first across pages";
  }
}

TEST_F(AuditPatientIndexTest, TheBackgroundIndexerKeepsUpAndStops) {
  for (int i = 0; i < 25; ++i) Append(nurse_.actor, 100 + i % 3);
  {
    AuditPatientIndexer indexer(database(), 20ms);
    const int64_t head = CountRows("SELECT last_event_id FROM audit_chain_head WHERE id = 1");
    for (int i = 0; i < 500 && Mark() < head; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(Mark(), head) << "caught up at start";
    for (int i = 0; i < 5; ++i) Append(nurse_.actor, 101);
    const int64_t later = CountRows("SELECT last_event_id FROM audit_chain_head WHERE id = 1");
    for (int i = 0; i < 500 && Mark() < later; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(Mark(), later) << "events appended while it runs are indexed within a few periods";
    indexer.Stop();
    indexer.Stop();  // idempotent
  }
  const int64_t stopped_at = Mark();
  Append(nurse_.actor, 101);
  std::this_thread::sleep_for(80ms);
  EXPECT_EQ(Mark(), stopped_at) << "a stopped indexer writes nothing";
  EXPECT_EQ(IndexRows(101), 13);
  EXPECT_EQ(PatientIds(101).size(), 14u) << "the unindexed event is still listed";
}

TEST_F(AuditPatientIndexTest, VerifyNoticesAnIndexThatDisagreesWithTheTrail) {
  for (int i = 0; i < 6; ++i) Append(nurse_.actor, 40 + i % 2);
  Must(CatchUpAuditPatientIndex(database()), "catch up");
  ASSERT_TRUE(Verify().intact);

  // A row removed: an event would vanish from the patient's audit list.
  ExecuteScript("DROP TRIGGER audit_patient_index_no_delete; "
                "DELETE FROM audit_patient_index WHERE event_id = (SELECT MAX(event_id) FROM audit_patient_index)");
  AuditVerification missing = Verify();
  EXPECT_FALSE(missing.intact);
  EXPECT_FALSE(missing.first_bad_event_id.has_value()) << "the chain itself is intact";
  EXPECT_NE(missing.problem.find("patient index holds"), std::string::npos) << missing.problem;
}

TEST_F(AuditPatientIndexTest, VerifyNoticesAnIndexRowUnderTheWrongPatient) {
  const int64_t id = Append(nurse_.actor, 40);
  Append(nurse_.actor, 41);
  Must(CatchUpAuditPatientIndex(database()), "catch up");
  ExecuteScript("DROP TRIGGER audit_patient_index_no_update; UPDATE audit_patient_index SET patient_id = 99 WHERE "
                "event_id = " +
                std::to_string(id));
  AuditVerification moved = Verify();
  EXPECT_FALSE(moved.intact);
  EXPECT_NE(moved.problem.find("(patient 99, event " + std::to_string(id) + ")"), std::string::npos)
      << moved.problem;
}

TEST_F(AuditPatientIndexTest, TheIndexAndItsMarkRefuseChangesBackwards) {
  Append(nurse_.actor, 40);
  Must(CatchUpAuditPatientIndex(database()), "catch up");
  for (const char* sql : {"DELETE FROM audit_patient_index", "UPDATE audit_patient_index SET patient_id = 1",
                          "UPDATE audit_patient_index_mark SET indexed_through = 0", "DELETE FROM audit_patient_index_mark"}) {
    SCOPED_TRACE(sql);
    auto changed = database().Run(TransactionMode::kReadWrite, [&](Transaction& txn) {
      return txn.Execute(sql).status();
    });
    EXPECT_FALSE(changed.ok());
  }
  EXPECT_EQ(IndexRows(40), 1);
  EXPECT_GT(Mark(), 0);
}

TEST(AuditPatientIndexRestartTest, BatchesResumeFromTheMarkAfterTheDatabaseIsReopened) {
  InitCrypto();
  test_support::TempDir dir;
  DatabaseOptions options;
  options.location = (dir.path() / "ketachart.db").string();
  const Actor nurse{3, "nurse.ada", 1, {Role::kNurse}, "203.0.113.7"};
  auto append = [&](Database& database, int count) {
    for (int i = 0; i < count; ++i) {
      AuditEntry entry{"patient.read", "patient", std::to_string(i % 4), int64_t{i % 4}, AuditOutcome::kSuccess, ""};
      KC_ASSERT_OK(RecordAuditEventAlone(database, nurse, entry, test_support::At("2026-03-10T15:00:00Z")));
    }
  };
  {
    auto database = Must(Database::Open(options), "open");
    Must(database->Migrate().status(), "migrate");
    append(*database, 12);
    AuditIndexBatch first = Must(IndexAuditEventsByPatient(*database, 5), "first batch");
    EXPECT_EQ(first.events_covered, 5);
    EXPECT_EQ(first.indexed_through, 5);
    append(*database, 3);
  }  // the server stops with 10 events not indexed
  auto database = Must(Database::Open(options), "reopen");
  EXPECT_EQ(Must(database->Migrate(), "migrate again"), 0);
  AuditIndexBatch rest = Must(CatchUpAuditPatientIndex(*database, 4), "catch up");
  EXPECT_EQ(rest.events_covered, 10) << "only the events after the mark";
  EXPECT_EQ(rest.indexed_through, 15);
  auto count = database->Run<SqlRows>(TransactionMode::kReadOnly, [](Transaction& txn) {
    return txn.Query("SELECT COUNT(*), COUNT(DISTINCT event_id) FROM audit_patient_index");
  });
  KC_ASSERT_OK(count);
  EXPECT_EQ(count.value()[0].Int(0), 15);
  EXPECT_EQ(count.value()[0].Int(1), 15);
  AuditVerification verified = Must(VerifyAuditChain(*database), "verify");
  EXPECT_TRUE(verified.intact) << verified.problem;
  EXPECT_EQ(verified.events_checked, 15);
  EXPECT_EQ(verified.patient_index_rows_checked, 15);
}

}  // namespace
}  // namespace ketachart
