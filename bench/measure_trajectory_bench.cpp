// measure_trajectory_bench: how long a patient's trajectory of 500 measures
// takes to serve (issue 3 target: < 20 ms), against a named peer in the same
// run: python3's sqlite3 module reading the same 500 rows with the same query
// and decoding their JSON columns, with none of KetaChart's work (permission,
// clinic check, baselines, change against the baseline, alerts, the durable
// read-audit event).
//
//   measure_trajectory_bench [--measures N] [--runs R]
//
// Builds a fresh SQLite data directory under /tmp (removed at the end): one
// clinic, one nurse, one patient, N (default 500) PHQ-9 measures entered
// through MeasureService (one a day, answers varying, some with item 9
// positive so alerts exist), then times R (default 50) calls of
// MeasureService::ListMeasures(limit N) plus the JSON text the HTTP layer
// would send, and prints p50/p95/max, the peer's
// p50 and the ratio. The read-audit event of each call is committed on its
// own (no group commit), so the figure includes one durable transaction.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/crypto.h"
#include "services/clinic_setup.h"
#include "services/measure_service.h"
#include "services/patient_service.h"
#include "services/user_service.h"
#include "store/database.h"

using namespace ketachart;

namespace {

template <typename T>
T Must(Result<T> result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "measure_trajectory_bench: %s: %s\n", what, result.error().message.c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * (values.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  int count = 500;
  int runs = 50;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--measures")) count = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
  }
  InitCrypto();
  std::string dir_pattern = (std::filesystem::temp_directory_path() / "ketachart-trajectory-XXXXXX").string();
  if (!mkdtemp(dir_pattern.data())) return 1;
  const std::filesystem::path dir = dir_pattern;
  const std::string db_path = (dir / "ketachart.db").string();
  {
    DatabaseOptions options;
    options.location = db_path;
    auto database = Must(Database::Open(options), "open");
    Must(database->Migrate(), "migrate");
    SystemClock clock;
    ServiceContext context{*database, clock, SecuritySettings{}};
    const TimePoint now = clock.Now();
    const int64_t clinic = Must(database->Run<int64_t>(TransactionMode::kReadWrite, [&](Transaction& txn) {
      return CreateClinic(txn, ClinicSpec{"BEN", "Bench Clinic", "UTC"}, now);
    }), "clinic");
    const std::string hash = HashPassword("bench-password-123", PasswordHashCost::Minimum());
    const int64_t user = Must(database->Run<int64_t>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<int64_t> {
      KC_ASSIGN_OR_RETURN(int64_t id, InsertUser(txn, "bench.nurse", "Bench Nurse", hash, now));
      KC_RETURN_IF_ERROR(GrantRole(txn, id, clinic, Role::kNurse, now));
      return id;
    }), "user");
    const Actor nurse{user, "bench.nurse", clinic, {Role::kNurse}, "127.0.0.1"};
    PatientService patients(context);
    MeasureService measures(context);
    const int64_t patient = Must(patients.RegisterPatient(nurse, {{"family_name", "Bench"},
                                                                  {"given_names", "Trajectory"},
                                                                  {"birth_date", "1980-01-01"},
                                                                  {"sex", "female"}}),
                                 "patient")["id"]
                                .get<int64_t>();
    std::mt19937 random(7);
    std::uniform_int_distribution<int> value(0, 3);
    const TimePoint first_day = now - std::chrono::hours(24 * (count + 1));
    for (int m = 0; m < count; ++m) {
      std::vector<int> answers;
      for (int item = 0; item < 8; ++item) answers.push_back(value(random));
      answers.push_back(m % 25 == 0 ? 1 : 0);
      Json body = {{"instrument", "phq9"},
                   {"answers", answers},
                   {"administered_at", FormatTimestamp(first_day + std::chrono::hours(24 * m))}};
      Must(measures.RecordMeasure(nurse, patient, body), "record");
    }

    std::vector<double> millis;
    size_t items = 0;
    size_t bytes = 0;
    for (int r = 0; r < runs; ++r) {
      const auto start = std::chrono::steady_clock::now();
      Json page = Must(measures.ListMeasures(nurse, patient, MeasureQuery{"", count, ""}), "list");
      const std::string body = page.dump();  // the HTTP layer sends this
      bytes = body.size();
      millis.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      items = page["items"].size();
      if (!page["next_cursor"].is_null()) return 1;
    }
    // The peer reads the same rows with the same query, decoding the JSON columns.
    const std::string peer =
        "import json, sqlite3, sys, time\n"
        "db = sqlite3.connect(sys.argv[1])\n"
        "sql = ('SELECT m.id, m.instrument, m.instrument_version, m.administered_at, m.answers, m.total, m.band, '\n"
        "       'm.result, m.recorded_at, u.username, m.note FROM patient_measures m JOIN users u ON u.id = '\n"
        "       'm.recorded_by WHERE m.patient_id = ? AND m.clinic_id = ? ORDER BY m.administered_at, m.id LIMIT ?')\n"
        "times = []\n"
        "for _ in range(int(sys.argv[5])):\n"
        "    t = time.perf_counter()\n"
        "    rows = db.execute(sql, (int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) + 1)).fetchall()\n"
        "    out = json.dumps([dict(id=r[0], answers=json.loads(r[4]), total=r[5], band=r[6], score=json.loads(r[7]))"
        " for r in rows])\n"
        "    times.append((time.perf_counter() - t) * 1000)\n"
        "times.sort()\n"
        "print(len(rows), times[len(times) // 2])\n";
    const std::string script_path = (dir / "peer.py").string();
    if (FILE* f = std::fopen(script_path.c_str(), "w")) {
      std::fputs(peer.c_str(), f);
      std::fclose(f);
    }
    const std::string command = "python3 " + script_path + " " + db_path + " " + std::to_string(patient) + " " +
                                std::to_string(clinic) + " " + std::to_string(count) + " " + std::to_string(runs);
    double peer_p50 = -1;
    size_t peer_rows = 0;
    if (FILE* pipe = popen(command.c_str(), "r")) {
      if (std::fscanf(pipe, "%zu %lf", &peer_rows, &peer_p50) != 2) peer_p50 = -1;
      pclose(pipe);
    }
    const double p50 = Percentile(millis, 0.5);
    std::printf("trajectory of %zu PHQ-9 measures (%zu bytes of JSON), %d runs\n", items, bytes, runs);
    std::printf("MeasureService::ListMeasures + JSON text (incl. durable read audit): p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
                p50, Percentile(millis, 0.95), Percentile(millis, 1.0));
    if (peer_p50 > 0 && peer_rows == items) {
      std::printf("peer: python3 sqlite3, same query + JSON decode, no audit: p50 %.2f ms\n", peer_p50);
      std::printf("ratio KetaChart/peer time: %.2f; target p50 < 20 ms: %s\n", p50 / peer_p50,
                  p50 < 20 ? "met" : "NOT met");
    } else {
      std::printf("peer: python3 did not run (%zu rows)\n", peer_rows);
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
