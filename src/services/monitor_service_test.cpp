// Tests of storing monitor reports: one transaction per message, idempotent on
// MSH-10 per clinic, audited, append-only; the unassigned queue's permission,
// clinic isolation and pagination; resolving the monitors' clinic.
#include "services/monitor_service.h"

#include <atomic>
#include <thread>

#include "interop/hl7v2/hl7_message.h"
#include "services/testing/service_fixture.h"

namespace ketachart {
namespace {

using test_support::FailsWith;
using test_support::IsOk;
using test_support::Must;

hl7v2::MonitorReport Report(const std::string& control_id, const std::string& spo2 = "97") {
  const std::string text =
      "MSH|^~\\&|GW^0011223344556677^EUI-64|F|||20261122100000+0000||ORU^R01|" + control_id +
      "|P|2.6\r"
      "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.1.1|" + spo2 + "|262688^MDC_DIM_PERCENT^MDC|||||R\r"
      "OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1|-1|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R\r";
  auto message = Must(hl7v2::Message::Parse(text), "parse");
  return Must(hl7v2::ReadPcd01Report(message, {}), "read");
}

class MonitorServiceTest : public test_support::ServiceTest {};

TEST_F(MonitorServiceTest, StoresOnceAndAuditsEachMessage) {
  const int64_t clinic = AddClinic("NRK");
  auto first = StoreMonitorReport(context(), clinic, Report("M1"), "127.0.0.1:5000");
  ASSERT_TRUE(IsOk(first));
  EXPECT_FALSE(first->duplicate);
  EXPECT_EQ(first->observations_stored, 2u);
  auto resent = StoreMonitorReport(context(), clinic, Report("M1", "88"), "127.0.0.1:5001");
  ASSERT_TRUE(IsOk(resent));
  EXPECT_TRUE(resent->duplicate);
  EXPECT_EQ(resent->message_id, first->message_id);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM monitor_observations"), 2);
  EXPECT_EQ(Query("SELECT value, state, unit, loinc FROM monitor_observations ORDER BY id").at(0).Text(0), "97");
  const SqlRow hr = Query("SELECT value, state FROM monitor_observations ORDER BY id").at(1);
  EXPECT_TRUE(hr.IsNull(0));
  EXPECT_EQ(hr.Text(1), "no_sensor");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM monitor_devices WHERE device_id = '0011223344556677'"), 1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events WHERE action = 'monitor.message.receive'"), 1);
  // The same control id from another clinic is another message.
  const int64_t other = AddClinic("HMC");
  auto elsewhere = StoreMonitorReport(context(), other, Report("M1"), "127.0.0.1:5002");
  ASSERT_TRUE(IsOk(elsewhere));
  EXPECT_FALSE(elsewhere->duplicate);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM monitor_observations"), 4);
}

TEST_F(MonitorServiceTest, GroupCommitStoresConcurrentReportsOnceEach) {
  const int64_t clinic = AddClinic("NRK");
  MonitorStoreGroup group(context(), clinic);
  constexpr int kThreads = 12, kPerThread = 10;
  std::vector<hl7v2::MonitorReport> reports;
  for (int i = 0; i < kThreads * kPerThread; ++i) reports.push_back(Report("G" + std::to_string(i % 60)));
  std::atomic<int> stored{0}, duplicates{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < kPerThread; ++k) {
        auto outcome = group.Store(reports[static_cast<size_t>(t * kPerThread + k)], "peer");
        if (!outcome.ok()) {
          ++failed;
        } else if (outcome->duplicate) {
          ++duplicates;
        } else {
          ++stored;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(stored.load(), 60);      // each of the 60 control ids once
  EXPECT_EQ(duplicates.load(), 60);  // the other copy, in the same batch or a later one
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM monitor_messages"), 60);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM monitor_observations"), 120);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM audit_events WHERE action = 'monitor.message.receive'"), 60);
}

TEST_F(MonitorServiceTest, ObservationsAreAppendOnly) {
  const int64_t clinic = AddClinic("NRK");
  ASSERT_TRUE(IsOk(StoreMonitorReport(context(), clinic, Report("M1"), "peer")));
  auto update = database().Run(TransactionMode::kReadWrite, [](Transaction& txn) -> Status {
    return txn.Execute("UPDATE monitor_observations SET value = '99'").status();
  });
  EXPECT_FALSE(update.ok());
  auto remove = database().Run(TransactionMode::kReadWrite, [](Transaction& txn) -> Status {
    return txn.Execute("DELETE FROM monitor_messages").status();
  });
  EXPECT_FALSE(remove.ok());
}

TEST_F(MonitorServiceTest, UnassignedQueueNeedsMonitorReadAndStaysInTheClinic) {
  const int64_t clinic = AddClinic("NRK");
  const int64_t other = AddClinic("HMC");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(IsOk(StoreMonitorReport(context(), clinic, Report("M" + std::to_string(i)), "peer")));
  }
  ASSERT_TRUE(IsOk(StoreMonitorReport(context(), other, Report("X"), "peer")));
  const auto nurse = AddStaff("nurse", clinic, {Role::kNurse});
  auto first = ListUnassignedObservations(context(), nurse.actor, std::nullopt, 4);
  ASSERT_TRUE(IsOk(first));
  ASSERT_EQ(first->items.size(), 4u);
  ASSERT_TRUE(first->next_after_id.has_value());
  EXPECT_EQ(first->items[0].value, std::optional<std::string>("97"));
  EXPECT_EQ(first->items[0].unit, std::optional<std::string>("%"));
  EXPECT_EQ(first->items[0].device_id, "0011223344556677");
  EXPECT_EQ(first->items[0].observed_at, "2026-11-22T10:00:00.000Z");
  auto second = ListUnassignedObservations(context(), nurse.actor, first->next_after_id, 4);
  ASSERT_TRUE(IsOk(second));
  EXPECT_EQ(second->items.size(), 2u);  // 6 in this clinic; the other clinic's 2 are not listed
  EXPECT_FALSE(second->next_after_id.has_value());

  const auto therapist = AddStaff("therapist", clinic, {Role::kTherapist});
  EXPECT_TRUE(FailsWith(ListUnassignedObservations(context(), therapist.actor, std::nullopt, 10),
                        ErrorCode::kForbidden));
  EXPECT_TRUE(FailsWith(ListUnassignedObservations(context(), nurse.actor, std::nullopt, 0), ErrorCode::kInvalidInput,
                        "limit"));
}

TEST_F(MonitorServiceTest, ResolvesTheMonitorsClinic) {
  EXPECT_TRUE(FailsWith(ResolveMonitorClinic(database(), ""), ErrorCode::kInvalidInput, "--mllp-clinic"));
  const int64_t clinic = AddClinic("NRK");
  EXPECT_EQ(Must(ResolveMonitorClinic(database(), "")), clinic);
  AddClinic("HMC");
  EXPECT_TRUE(FailsWith(ResolveMonitorClinic(database(), ""), ErrorCode::kInvalidInput, "--mllp-clinic"));
  EXPECT_EQ(Must(ResolveMonitorClinic(database(), "NRK")), clinic);
  EXPECT_TRUE(FailsWith(ResolveMonitorClinic(database(), "ZZZ"), ErrorCode::kInvalidInput, "--mllp-clinic"));
}

}  // namespace
}  // namespace ketachart
