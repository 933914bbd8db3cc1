// The audit trail: gap-free hash-chained events, tamper detection that names
// the first bad event, and queries/pages that show every event exactly once.
#include "services/audit_trail.h"

#include <gtest/gtest.h>

#include <set>

#include "services/audit_service.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using namespace std::chrono_literals;
using test_support::ServiceTest;
using test_support::Staff;

constexpr std::string_view kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

class AuditTrailTest : public ServiceTest {
 protected:
  void SetUp() override {
    north_ = AddClinic("NRK");
    harbor_ = AddClinic("HMC");
    nurse_ = AddStaff("nurse.ada", north_, {Role::kNurse});
    auditor_ = AddStaff("auditor.helen", north_, {Role::kAuditor});
    front_desk_ = AddStaff("desk.priya", north_, {Role::kFrontDesk});
    other_nurse_ = AddStaff("nurse.tomasz", harbor_, {Role::kNurse});
  }

  void Append(const Actor& actor, const std::string& action, std::optional<int64_t> patient_id = std::nullopt,
              const std::string& detail = "") {
    AuditEntry entry{action, "patient", patient_id ? std::to_string(*patient_id) : "", patient_id,
                     AuditOutcome::kSuccess, detail};
    KC_ASSERT_OK(RecordAuditEventAlone(database(), actor, entry, clock().Now()));
  }
  void AppendMany(int count) {
    for (int i = 0; i < count; ++i) {
      Append(nurse_.actor, "patient.read", 100 + i);
      clock().Advance(1s);
    }
  }
  AuditVerification Verify() { return test_support::Must(VerifyAuditChain(database()), "verify"); }
  AuditPage Page(const AuditQuery& query) {
    return test_support::Must(database().Run<AuditPage>(TransactionMode::kReadOnly,
                                                        [&](Transaction& txn) { return QueryAuditEvents(txn, query); }),
                              "query");
  }
  static std::vector<int64_t> Ids(const AuditPage& page) {
    std::vector<int64_t> ids;
    for (const auto& event : page.items) ids.push_back(event.id);
    return ids;
  }

  int64_t north_ = 0, harbor_ = 0;
  Staff nurse_, auditor_, front_desk_, other_nurse_;
};

TEST_F(AuditTrailTest, EventsFormAGapFreeHashChain) {
  AppendMany(5);
  const SqlRows rows = Query("SELECT id, previous_hash, hash FROM audit_events ORDER BY id");
  ASSERT_EQ(rows.size(), 5u);
  std::string previous(kGenesis);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].Int(0), static_cast<int64_t>(i + 1)) << "ids must be gap-free from 1";
    EXPECT_EQ(rows[i].Text(1), previous) << "event " << i + 1 << " must link to its predecessor";
    EXPECT_EQ(rows[i].Text(2).size(), 64u);
    EXPECT_NE(rows[i].Text(2), previous);
    previous = rows[i].Text(2);
  }
  const SqlRows head = Query("SELECT last_event_id, last_hash FROM audit_chain_head WHERE id = 1");
  EXPECT_EQ(head.at(0).Int(0), 5);
  EXPECT_EQ(head.at(0).Text(1), previous);
}

TEST_F(AuditTrailTest, EventRecordsWhoWhatWhenAndWhere) {
  Append(nurse_.actor, "patient.read", 42, "chart opened");
  KC_ASSERT_OK(RecordAuditEventAlone(database(), Actor{}, {"session.login", "user", "", std::nullopt,
                                                           AuditOutcome::kFailed, "unknown username"},
                                     clock().Now()));
  const auto events = AuditEvents();
  ASSERT_EQ(events.size(), 2u);
  const AuditEventView& read = events[0];
  EXPECT_EQ(read.occurred_at, "2026-03-10T15:00:00.000Z");
  EXPECT_EQ(read.user_id, nurse_.id);
  EXPECT_EQ(read.username, "nurse.ada");
  EXPECT_EQ(read.clinic_id, north_);
  EXPECT_EQ(read.action, "patient.read");
  EXPECT_EQ(read.resource_id, "42");
  EXPECT_EQ(read.patient_id, 42);
  EXPECT_EQ(read.outcome, "success");
  EXPECT_EQ(read.client_address, "203.0.113.7");
  EXPECT_EQ(read.detail, "chart opened");

  const AuditEventView& anonymous = events[1];
  EXPECT_FALSE(anonymous.user_id.has_value());
  EXPECT_FALSE(anonymous.clinic_id.has_value());
  EXPECT_FALSE(anonymous.patient_id.has_value());
  EXPECT_EQ(anonymous.username, "anonymous");
  EXPECT_EQ(anonymous.outcome, "failed");
}

TEST_F(AuditTrailTest, TriggersRefuseUpdateAndDelete) {
  AppendMany(2);
  auto update = database().Run(TransactionMode::kReadWrite, [](Transaction& txn) {
    return txn.Execute("UPDATE audit_events SET detail = 'edited' WHERE id = 1").status();
  });
  EXPECT_FALSE(update.ok());
  auto remove = database().Run(TransactionMode::kReadWrite, [](Transaction& txn) {
    return txn.Execute("DELETE FROM audit_events WHERE id = 2").status();
  });
  EXPECT_FALSE(remove.ok());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events"), 2);
}

TEST_F(AuditTrailTest, VerifyFindsAFreshTrailIntact) {
  AuditVerification empty = Verify();
  EXPECT_TRUE(empty.intact);
  EXPECT_EQ(empty.events_checked, 0);

  AppendMany(7);
  AuditVerification result = Verify();
  EXPECT_TRUE(result.intact) << result.problem;
  EXPECT_EQ(result.events_checked, 7);
  EXPECT_FALSE(result.first_bad_event_id.has_value());
}

TEST_F(AuditTrailTest, VerifyDetectsAnAlteredRow) {
  AppendMany(6);
  ExecuteScript("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET detail = 'nothing to see' WHERE id = 4");
  AuditVerification result = Verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_bad_event_id, 4);
  EXPECT_EQ(result.events_checked, 3);
  EXPECT_NE(result.problem.find("altered"), std::string::npos) << result.problem;
}

TEST_F(AuditTrailTest, VerifyDetectsAReattributedEvent) {
  AppendMany(3);
  // Changing who did something is an alteration like any other.
  ExecuteScript("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET username = 'desk.priya' WHERE id = 2");
  AuditVerification result = Verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_bad_event_id, 2);
}

TEST_F(AuditTrailTest, VerifyDetectsABrokenLink) {
  AppendMany(4);
  ExecuteScript("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET previous_hash = '" +
                std::string(kGenesis) + "' WHERE id = 3");
  AuditVerification result = Verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_bad_event_id, 3);
}

TEST_F(AuditTrailTest, VerifyDetectsADeletedMiddleRow) {
  AppendMany(6);
  ExecuteScript("DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE id = 3");
  AuditVerification result = Verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_bad_event_id, 3);
  EXPECT_EQ(result.events_checked, 2);
  EXPECT_NE(result.problem.find("missing"), std::string::npos) << result.problem;
}

TEST_F(AuditTrailTest, VerifyDetectsTheFirstRowDeleted) {
  AppendMany(3);
  ExecuteScript("DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE id = 1");
  AuditVerification result = Verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_bad_event_id, 1);
}

TEST_F(AuditTrailTest, VerifyDetectsRowsDeletedFromTheEnd) {
  AppendMany(6);
  ExecuteScript("DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE id >= 5");
  AuditVerification result = Verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.events_checked, 4);
  EXPECT_EQ(result.first_bad_event_id, 5) << "the first missing event";
  EXPECT_NE(result.problem.find("head"), std::string::npos) << result.problem;
}

TEST_F(AuditTrailTest, VerifyDetectsTheWholeTrailDeleted) {
  AppendMany(3);
  ExecuteScript("DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events");
  AuditVerification result = Verify();
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_bad_event_id, 1);
}

TEST_F(AuditTrailTest, AppendingContinuesTheChainAfterVerification) {
  AppendMany(3);
  ASSERT_TRUE(Verify().intact);
  AppendMany(2);
  AuditVerification result = Verify();
  EXPECT_TRUE(result.intact) << result.problem;
  EXPECT_EQ(result.events_checked, 5);
}

TEST_F(AuditTrailTest, QueryFiltersByClinicPatientUsernameAndTime) {
  // 15:00 nurse reads 10; 15:01 nurse reads 11; 15:02 other clinic reads 10;
  // 15:03 auditor (no patient); 15:04 nurse reads 10.
  Append(nurse_.actor, "patient.read", 10);
  clock().Advance(1min);
  Append(nurse_.actor, "patient.read", 11);
  clock().Advance(1min);
  Append(other_nurse_.actor, "patient.read", 10);
  clock().Advance(1min);
  Append(auditor_.actor, "audit.query");
  clock().Advance(1min);
  Append(nurse_.actor, "patient.read", 10);

  AuditQuery by_clinic;
  by_clinic.clinic_id = north_;
  EXPECT_EQ(Ids(Page(by_clinic)), (std::vector<int64_t>{5, 4, 2, 1})) << "newest first, other clinic excluded";

  AuditQuery by_patient;
  by_patient.patient_id = 10;
  EXPECT_EQ(Ids(Page(by_patient)), (std::vector<int64_t>{5, 3, 1}));
  by_patient.clinic_id = north_;
  EXPECT_EQ(Ids(Page(by_patient)), (std::vector<int64_t>{5, 1}));

  AuditQuery by_user;
  by_user.username = "nurse.ada";
  EXPECT_EQ(Ids(Page(by_user)), (std::vector<int64_t>{5, 2, 1}));
  by_user.username = "nobody";
  EXPECT_TRUE(Page(by_user).items.empty());

  AuditQuery by_time;  // from inclusive, to exclusive, on exact event times
  by_time.from = "2026-03-10T15:01:00.000Z";
  by_time.to = "2026-03-10T15:03:00.000Z";
  EXPECT_EQ(Ids(Page(by_time)), (std::vector<int64_t>{3, 2}));
  by_time.to.reset();
  EXPECT_EQ(Ids(Page(by_time)), (std::vector<int64_t>{5, 4, 3, 2}));
  by_time.from.reset();
  by_time.to = "2026-03-10T15:01:00.000Z";
  EXPECT_EQ(Ids(Page(by_time)), (std::vector<int64_t>{1}));

  AuditQuery combined;
  combined.clinic_id = north_;
  combined.patient_id = 10;
  combined.username = "nurse.ada";
  combined.from = "2026-03-10T15:02:00.000Z";
  EXPECT_EQ(Ids(Page(combined)), (std::vector<int64_t>{5}));
}

// A page of one user's events reads that user's rows through the index on
// (username, id), in id order, instead of walking the trail back from its
// newest event (what an auditor asking about a rarely seen user would wait for).
TEST_F(AuditTrailTest, ByUserPagesReadTheUsernameIndex) {
  AuditQuery by_user;
  by_user.clinic_id = north_;
  by_user.username = "nurse.ada";
  by_user.before_id = 1000;
  SqlParams params;
  const std::string sql = AuditEventsPageSql(by_user, params);
  auto plan = database().Run<std::string>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<std::string> {
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("EXPLAIN QUERY PLAN " + sql, params));
    std::string out;
    for (const SqlRow& row : rows) out += row.Text(3) + "\n";
    return out;
  });
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_NE(plan.value().find("USING INDEX audit_events_username (username=? AND id<?)"), std::string::npos)
      << plan.value();
  EXPECT_EQ(plan.value().find("TEMP B-TREE"), std::string::npos) << "the page is sorted after reading: " << plan.value();
}

TEST_F(AuditTrailTest, PagesReturnEveryEventExactlyOnce) {
  // 23 events in the north clinic, interleaved with 10 in the other clinic.
  for (int i = 0; i < 23; ++i) {
    Append(nurse_.actor, "patient.read", i);
    if (i % 2 == 0 && i < 20) Append(other_nurse_.actor, "patient.read", i);
    clock().Advance(1s);
  }
  for (int limit : {1, 5, 7, 23, 50}) {
    SCOPED_TRACE(limit);
    AuditQuery query;
    query.clinic_id = north_;
    query.limit = limit;
    std::vector<int64_t> seen;
    int pages = 0;
    for (;;) {
      AuditPage page = Page(query);
      ASSERT_LE(static_cast<int>(page.items.size()), limit);
      for (const auto& event : page.items) {
        EXPECT_EQ(event.clinic_id, north_);
        seen.push_back(event.id);
      }
      ++pages;
      ASSERT_LT(pages, 100) << "pagination does not end";
      if (!page.next_before_id) break;
      EXPECT_EQ(*page.next_before_id, page.items.back().id);
      query.before_id = page.next_before_id;
    }
    EXPECT_EQ(seen.size(), 23u);
    EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 23u) << "no event twice";
    EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend())) << "newest first across pages";
    EXPECT_EQ(pages, (23 + limit - 1) / limit) << "no empty trailing page";
  }
}

TEST_F(AuditTrailTest, ReadAuditTrailIsLimitedToTheActorsClinicAndAudited) {
  Append(nurse_.actor, "patient.read", 10);
  Append(other_nurse_.actor, "patient.read", 10);
  AuditQuery query;
  query.clinic_id = harbor_;  // ignored: the actor's active clinic is used
  auto page = ReadAuditTrail(context(), auditor_.actor, query);
  KC_ASSERT_OK(page);
  ASSERT_EQ(page.value().items.size(), 1u);
  EXPECT_EQ(page.value().items[0].clinic_id, north_);
  const auto reads = AuditEvents("audit.query", "success");
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].username, "auditor.helen");
  EXPECT_EQ(reads[0].detail, "results=1");
}

TEST_F(AuditTrailTest, ReadAuditTrailIsDeniedToFrontDeskAndTheDenialIsAudited) {
  Append(nurse_.actor, "patient.read", 10);
  auto page = ReadAuditTrail(context(), front_desk_.actor, {});
  EXPECT_TRUE(test_support::FailsWith(page, ErrorCode::kForbidden));
  const auto denied = AuditEvents("audit.query", "denied");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].username, "desk.priya");
  EXPECT_EQ(denied[0].detail, "missing permission audit.read");
}

TEST_F(AuditTrailTest, ReadAuditTrailRejectsAnOutOfRangeLimit) {
  AuditQuery query;
  query.limit = 0;
  EXPECT_TRUE(test_support::FailsWith(ReadAuditTrail(context(), auditor_.actor, query), ErrorCode::kInvalidInput,
                                      "limit"));
  query.limit = 201;
  EXPECT_TRUE(test_support::FailsWith(ReadAuditTrail(context(), auditor_.actor, query), ErrorCode::kInvalidInput,
                                      "limit"));
}

}  // namespace
}  // namespace ketachart
