// The read-audit group commit: under many concurrent readers every event is
// stored exactly once and the chain stays intact; a read's data is released
// only after its event is durable, whether the caller blocks (Record) or hands over what to
// do next (Submit, PatientService::ReadChartWithoutWaiting); a failed commit
// releases nothing; a chart read the event loop cannot finish without
// blocking writes nothing and is left to the blocking path.
#include "services/read_audit_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>
#include <vector>

#include "services/patient_service.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::Must;
using test_support::ServiceTest;
using test_support::Staff;

AuditEntry ReadOf(int64_t patient_id) {
  return {"patient.read", "patient", std::to_string(patient_id), patient_id, AuditOutcome::kSuccess, ""};
}

class ReadAuditLogTest : public ServiceTest {
 protected:
  ReadAuditLogTest() {
    clinic_ = AddClinic("NRK");
    nurse_ = AddStaff("nurse.ada", clinic_, {Role::kNurse});
    desk_ = AddStaff("desk.priya", clinic_, {Role::kFrontDesk});
    auditor_ = AddStaff("auditor.helen", clinic_, {Role::kAuditor});
  }
  // Events in the trail for this patient id (any action).
  int64_t EventsFor(int64_t patient_id) {
    return CountRows("SELECT COUNT(*) FROM audit_events WHERE patient_id = ?", {patient_id});
  }
  // Makes every later audit append fail, as a full disk or a broken database would.
  void RefuseAuditAppends() {
    ExecuteScript(
        "CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'the test refuses audit events'); END;");
  }

  int64_t clinic_ = 0;
  Staff nurse_, desk_, auditor_;
};

TEST_F(ReadAuditLogTest, EveryConcurrentReadIsRecordedOnceAndTheChainHolds) {
  ReadAuditLog log(database());
  constexpr int kThreads = 8;
  constexpr int kReadsPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kReadsPerThread; ++i) {
        const int64_t patient = t * 1000 + i + 1;
        if (!log.Record(nurse_.actor, ReadOf(patient), clock().Now()).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);

  std::set<int64_t> patients;
  for (const AuditEventView& event : AuditEvents()) {
    if (event.action == "patient.read") patients.insert(event.patient_id.value_or(0));
  }
  EXPECT_EQ(patients.size(), static_cast<size_t>(kThreads * kReadsPerThread));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events WHERE action = 'patient.read'"), kThreads * kReadsPerThread);

  auto verification = VerifyAuditChain(database());
  ASSERT_TRUE(verification.ok());
  EXPECT_TRUE(verification.value().intact) << verification.value().problem;
}

TEST_F(ReadAuditLogTest, RecordReadAuditWithoutALogCommitsAlone) {
  ASSERT_EQ(context().read_audit, nullptr);
  ASSERT_TRUE(RecordReadAudit(context(), nurse_.actor, ReadOf(7), clock().Now()).ok());
  EXPECT_EQ(EventsFor(7), 1);
}

TEST_F(ReadAuditLogTest, ASubmittedEventIsInTheTrailWhenItsCompletionRuns) {
  ReadAuditLog log(database());
  constexpr int kThreads = 4, kPerThread = 25;
  std::atomic<int> completed{0}, missing_when_completed{0}, failed{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < kThreads; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int64_t patient_id = 1000 + t * kPerThread + i;
        log.Submit(nurse_.actor, ReadOf(patient_id), clock().Now(), [&, patient_id](const Status& status) {
          if (!status.ok()) ++failed;
          // The completion may release the data only if the event is already durable.
          if (EventsFor(patient_id) != 1) ++missing_when_completed;
          ++completed;
        });
      }
    });
  }
  for (auto& reader : readers) reader.join();
  log.WaitUntilIdle();
  EXPECT_EQ(completed.load(), kThreads * kPerThread);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(missing_when_completed.load(), 0);
  EXPECT_EQ(CountAudit("patient.read", "success"), kThreads * kPerThread);
  EXPECT_TRUE(Must(VerifyAuditChain(database())).intact);
}

TEST_F(ReadAuditLogTest, RecordBlocksUntilTheEventIsCommitted) {
  ReadAuditLog log(database());
  KC_ASSERT_OK(log.Record(nurse_.actor, ReadOf(7), clock().Now()));
  EXPECT_EQ(EventsFor(7), 1);
}

TEST_F(ReadAuditLogTest, EventsSubmittedBeforeTheLogGoesAreCommitted) {
  std::atomic<int> completed{0};
  {
    ReadAuditLog log(database());
    for (int i = 0; i < 20; ++i) {
      log.Submit(nurse_.actor, ReadOf(500 + i), clock().Now(), [&](const Status& status) {
        if (status.ok()) ++completed;
      });
    }
  }
  EXPECT_EQ(completed.load(), 20);
  EXPECT_EQ(CountAudit("patient.read", "success"), 20);
}

TEST_F(ReadAuditLogTest, AFailedCommitIsReportedToEveryCallerInTheBatch) {
  ReadAuditLog log(database());
  RefuseAuditAppends();
  std::atomic<int> failed{0};
  for (int i = 0; i < 5; ++i) {
    log.Submit(nurse_.actor, ReadOf(900 + i), clock().Now(), [&](const Status& status) {
      if (!status.ok()) ++failed;
    });
  }
  log.WaitUntilIdle();
  EXPECT_EQ(failed.load(), 5);
  EXPECT_FALSE(log.Record(nurse_.actor, ReadOf(950), clock().Now()).ok());
  EXPECT_EQ(CountAudit("patient.read"), 0);
}

class ChartReadWithoutWaitingTest : public ReadAuditLogTest {
 protected:
  ChartReadWithoutWaitingTest() : log_(database()) {
    context().read_audit = &log_;
    patient_id_ = RegisterSamplePatient(desk_.actor);
  }
  // Starts the read; the chart (or error) once its completion has run.
  std::optional<Result<JsonText>> ReadChart(const Actor& actor, int64_t patient_id, bool& taken) {
    std::promise<Result<JsonText>> delivered;
    auto future = delivered.get_future();
    taken = PatientService(context()).ReadChartWithoutWaiting(actor, patient_id, [&](Result<JsonText> chart) {
      reads_audited_at_delivery_ = CountRows(
          "SELECT COUNT(*) FROM audit_events WHERE action = 'patient.read' AND patient_id = ?", {patient_id});
      delivered.set_value(std::move(chart));
    });
    if (!taken) return std::nullopt;
    return future.get();
  }

  ReadAuditLog log_;
  int64_t patient_id_ = 0;
  int64_t reads_audited_at_delivery_ = -1;
};

TEST_F(ChartReadWithoutWaitingTest, DeliversTheSameChartAsGetPatientAfterItsReadIsAudited) {
  bool taken = false;
  auto chart = ReadChart(nurse_.actor, patient_id_, taken);
  ASSERT_TRUE(taken);
  ASSERT_TRUE(chart.has_value());
  const std::string text = Must(std::move(*chart), "chart read without waiting").text;
  EXPECT_EQ(reads_audited_at_delivery_, 1);  // durable before the chart was handed on
  EXPECT_EQ(text, Must(PatientService(context()).GetPatient(nurse_.actor, patient_id_), "GetPatient").text);
  const auto reads = AuditEvents("patient.read", "success");
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[0].patient_id, patient_id_);
  EXPECT_EQ(reads[0].username, "nurse.ada");
  EXPECT_EQ(reads[0].clinic_id, clinic_);
}

TEST_F(ChartReadWithoutWaitingTest, AFailedAuditCommitReleasesNoChart) {
  RefuseAuditAppends();
  bool taken = false;
  auto chart = ReadChart(nurse_.actor, patient_id_, taken);
  ASSERT_TRUE(taken);
  ASSERT_TRUE(chart.has_value());
  EXPECT_FALSE(chart->ok());
}

TEST_F(ChartReadWithoutWaitingTest, LeavesRefusalsAndMissesToTheBlockingPathWritingNothing) {
  const int64_t events_before = CountRows("SELECT COUNT(*) FROM audit_events");
  bool taken = true;
  // The auditor may read the trail, not charts: the blocking path audits the denial.
  EXPECT_FALSE(ReadChart(auditor_.actor, patient_id_, taken).has_value());
  EXPECT_FALSE(taken);
  // No such patient in this clinic: the blocking path audits the miss.
  EXPECT_FALSE(ReadChart(nurse_.actor, patient_id_ + 1000, taken).has_value());
  EXPECT_FALSE(taken);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events"), events_before);
}

TEST_F(ChartReadWithoutWaitingTest, WithoutAGroupCommitLogItIsLeftToTheBlockingPath) {
  context().read_audit = nullptr;
  bool taken = true;
  EXPECT_FALSE(ReadChart(nurse_.actor, patient_id_, taken).has_value());
  EXPECT_FALSE(taken);
}

}  // namespace
}  // namespace ketachart
