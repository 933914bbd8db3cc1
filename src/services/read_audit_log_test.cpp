// Group-committed read audit events: under many concurrent readers every
// event is stored exactly once, the chain stays intact, and events share
// transactions (fewer commits than events).
#include "services/read_audit_log.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using namespace test_support;

class ReadAuditLogTest : public ServiceTest {};

TEST_F(ReadAuditLogTest, EveryConcurrentReadIsRecordedOnceAndTheChainHolds) {
  const int64_t clinic = AddClinic("NRK");
  const Staff nurse = AddStaff("nurse.maria", clinic, {Role::kNurse});
  ReadAuditLog log(database());
  constexpr int kThreads = 8;
  constexpr int kReadsPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kReadsPerThread; ++i) {
        const int64_t patient = t * 1000 + i + 1;
        AuditEntry entry{"patient.read", "patient", std::to_string(patient), patient, AuditOutcome::kSuccess, ""};
        if (!log.Record(nurse.actor, entry, clock().Now()).ok()) ++failures;
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
  const int64_t clinic = AddClinic("NRK");
  const Staff nurse = AddStaff("nurse.maria", clinic, {Role::kNurse});
  ASSERT_EQ(context().read_audit, nullptr);
  AuditEntry entry{"patient.read", "patient", "7", int64_t{7}, AuditOutcome::kSuccess, ""};
  ASSERT_TRUE(RecordReadAudit(context(), nurse.actor, entry, clock().Now()).ok());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events WHERE patient_id = 7"), 1);
}

}  // namespace
}  // namespace ketachart
