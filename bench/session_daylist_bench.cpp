// session_daylist_bench: how long the day list / chair board takes to serve
// (issue 7 target: "Day list and chair board p99 < 20 ms with 10,000
// patients and 100,000 past sessions"), against a named peer in the same
// run: python3's sqlite3 module running the day's session query and each
// session's timeline query on the same file and building the same kind of
// JSON (phase from the last phase-changing event), with none of KetaChart's
// work (permission, protocol rules, what is due, the durable read audit).
//
//   session_daylist_bench [--patients N] [--past N] [--chairs N] [--runs R]
//
// Builds a fresh SQLite data directory under /tmp (removed at the end): one
// clinic, N (default 10,000) patients registered through PatientService, a
// treatment course each, P (default 100,000) past sessions of six events
// each written straight into the tables (bench data: check-in, start,
// vitals, stop, ready for discharge, discharge), then today's sessions, one
// per chair (default 40), checked in through SessionService and left in
// different phases. Times R (default 200) calls of SessionService::DayList
// (today) plus the JSON text the HTTP layer sends, after checkpointing the
// seed's WAL and 10 warm-up calls; each call's read-audit event is committed
// on its own (no group commit). Prints p50/p99/max, the
// peer's p50 and the ratio.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "services/clinic_setup.h"
#include "services/patient_service.h"
#include "services/session_service.h"
#include "services/user_service.h"
#include "store/database.h"

using namespace ketachart;

namespace {

template <typename T>
T Must(Result<T> result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "session_daylist_bench: %s: %s\n", what, result.error().message.c_str());
    std::exit(1);
  }
  return std::move(result).value();
}
void Must(const Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "session_daylist_bench: %s: %s\n", what, status.error().message.c_str());
    std::exit(1);
  }
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * (values.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  int patients_count = 10000, past = 100000, chairs = 40, runs = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--patients")) patients_count = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--past")) past = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--chairs")) chairs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
  }
  if (patients_count < chairs || past < 1 || runs < 1) {
    std::fprintf(stderr, "session_daylist_bench: need patients >= chairs, past >= 1, runs >= 1\n");
    return 1;
  }
  InitCrypto();
  std::string dir_pattern = (std::filesystem::temp_directory_path() / "ketachart-daylist-XXXXXX").string();
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
    int64_t nurse_id = 0;
    Must(database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      KC_ASSIGN_OR_RETURN(nurse_id, InsertUser(txn, "bench.nurse", "Bench Nurse", hash, now));
      return GrantRole(txn, nurse_id, clinic, Role::kNurse, now);
    }), "staff");
    const Actor nurse{nurse_id, "bench.nurse", clinic, {Role::kNurse}, "127.0.0.1"};
    PatientService patients(context);
    std::vector<int64_t> patient_ids;
    for (int p = 0; p < patients_count; ++p) {
      patient_ids.push_back(Must(patients.RegisterPatient(nurse, {{"family_name", fmt::format("Bench{}", p)},
                                                                  {"given_names", "Daylist"},
                                                                  {"birth_date", "1980-01-01"},
                                                                  {"sex", "female"}}),
                                 "patient")["id"]);
    }
    // A course in induction for every patient, then the past sessions (bench data, written directly).
    std::vector<int64_t> course_ids;
    Must(database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      const std::string at = FormatTimestamp(now - std::chrono::hours(24 * 800));
      for (int64_t patient : patient_ids) {
        KC_ASSIGN_OR_RETURN(SqlRows row, txn.Query("INSERT INTO treatment_courses (clinic_id, patient_id, "
                                                   "protocol_id, goal, created_at, created_by) VALUES (?, ?, "
                                                   "'iv-racemic-ketamine', '', ?, ?) RETURNING id",
                                                   {clinic, patient, at, nurse_id}));
        const int64_t course = row.at(0).Int(0);
        course_ids.push_back(course);
        KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO course_transitions (clinic_id, course_id, sequence, from_state, "
                                       "to_state, reason, protocol_version, at, by_user) VALUES (?, ?, 1, NULL, "
                                       "'evaluation', '', 1, ?, ?), (?, ?, 2, 'evaluation', 'induction', '', 1, ?, ?)",
                                       {clinic, course, at, nurse_id, clinic, course, at, nurse_id})
                               .status());
      }
      const char* kinds[] = {"check_in", "start", "vitals", "stop", "ready_for_discharge", "discharge"};
      const char* data[] = {"{\"chair\":\"Chair 1\"}", "{}", "{\"systolic_mmhg\":130,\"source\":\"manual\"}",
                            "{\"completed\":true}", "{}", "{\"escort_name\":\"x\",\"instructions_given\":true}"};
      for (int s = 0; s < past; ++s) {
        const size_t p = static_cast<size_t>(s) % patient_ids.size();
        const TimePoint start = now - std::chrono::hours(24 + (s / chairs) * 6);
        KC_ASSIGN_OR_RETURN(SqlRows row,
                            txn.Query("INSERT INTO dosing_sessions (clinic_id, patient_id, course_id, protocol_id, "
                                      "protocol_version, appointment_id, chair, checked_in_at, checked_in_by) VALUES "
                                      "(?, ?, ?, 'iv-racemic-ketamine', 1, NULL, ?, ?, ?) RETURNING id",
                                      {clinic, patient_ids[p], course_ids[p], fmt::format("Chair {:02}", s % chairs + 1),
                                       FormatTimestamp(start), nurse_id}));
        const int64_t session = row.at(0).Int(0);
        for (int e = 0; e < 6; ++e) {
          const std::string at = FormatTimestamp(start + std::chrono::minutes(20 * e));
          KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO session_events (clinic_id, session_id, sequence, kind, "
                                         "occurred_at, data, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                         {clinic, session, int64_t{e + 1}, std::string(kinds[e]), at,
                                          std::string(data[e]), at, nurse_id})
                                 .status());
        }
      }
      return Status::Ok();
    }), "past sessions");
    // Today: one session per chair, checked in through the service, in different phases.
    SessionService sessions(context);
    for (int c = 0; c < chairs; ++c) {
      const size_t p = static_cast<size_t>(c) * (patient_ids.size() / static_cast<size_t>(chairs));
      const int64_t id = Must(sessions.CheckIn(nurse, {{"course_id", course_ids[p]},
                                                       {"chair", fmt::format("Chair {:02}", c + 1)}}),
                              "check in")["id"];
      Must(database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
        const char* kinds[] = {"start", "vitals", "stop", "vitals"};
        for (int e = 0; e < c % 5; ++e) {
          const std::string at = FormatTimestamp(clock.Now());
          KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO session_events (clinic_id, session_id, sequence, kind, "
                                         "occurred_at, data, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                         {clinic, id, int64_t{e + 2}, std::string(kinds[e]), at,
                                          std::string(e % 2 ? "{\"systolic_mmhg\":128,\"source\":\"manual\"}" : "{}"),
                                          at, nurse_id})
                                 .status());
        }
        return Status::Ok();
      }), "today's events");
    }
    const std::string today = FormatDate(clock.Now());
    // A clinic's history was written long ago: checkpoint the seed's WAL (600,000
    // events in one transaction) before timing, and warm up with 10 calls.
    const std::string checkpoint = fmt::format(
        "python3 -c \"import sqlite3; sqlite3.connect('{}').execute('PRAGMA wal_checkpoint(TRUNCATE)')\"", db_path);
    if (std::system(checkpoint.c_str()) != 0) std::fprintf(stderr, "session_daylist_bench: checkpoint failed\n");
    for (int w = 0; w < 10; ++w) Must(sessions.DayList(nurse, today), "warm-up");
    std::vector<double> millis;
    size_t listed = 0, bytes = 0;
    for (int r = 0; r < runs; ++r) {
      const auto start = std::chrono::steady_clock::now();
      Json day = Must(sessions.DayList(nurse, today), "day list");
      const std::string body = day.dump();  // the HTTP layer sends this
      millis.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      listed = day["items"].size();
      bytes = body.size();
    }
    const std::string peer =
        "import json, sqlite3, sys, time\n"
        "db = sqlite3.connect(sys.argv[1])\n"
        "clinic, day, next_day, runs = int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])\n"
        "phase_of = {'check_in': 'checked_in', 'start': 'dosing', 'pause': 'paused', 'resume': 'dosing',\n"
        "            'stop': 'recovery', 'ready_for_discharge': 'ready_for_discharge', 'discharge': 'discharged',\n"
        "            'cancel': 'cancelled'}\n"
        "times = []\n"
        "for _ in range(runs):\n"
        "    t = time.perf_counter()\n"
        "    items = []\n"
        "    for sid, pid, chair, checked, mrn, doc in db.execute(\n"
        "            'SELECT s.id, s.patient_id, s.chair, s.checked_in_at, p.mrn, p.document FROM dosing_sessions s '\n"
        "            'JOIN patients p ON p.id = s.patient_id WHERE s.clinic_id = ? AND s.checked_in_at >= ? '\n"
        "            'AND s.checked_in_at < ? ORDER BY s.chair, s.id', (clinic, day, next_day)).fetchall():\n"
        "        phase, since = 'checked_in', checked\n"
        "        for kind, at, data in db.execute('SELECT kind, occurred_at, data FROM session_events '\n"
        "                                         'WHERE session_id = ? ORDER BY sequence', (sid,)):\n"
        "            json.loads(data)\n"
        "            if kind in phase_of:\n"
        "                phase, since = phase_of[kind], at\n"
        "        d = json.loads(doc)\n"
        "        items.append(dict(id=sid, patient=dict(id=pid, mrn=mrn, family_name=d.get('family_name'),\n"
        "                          given_names=d.get('given_names')), chair=chair, phase=phase,\n"
        "                          phase_started_at=since, checked_in_at=checked))\n"
        "    out = json.dumps(dict(date=day, items=items))\n"
        "    times.append((time.perf_counter() - t) * 1000)\n"
        "times.sort()\n"
        "print(len(items), times[len(times) // 2], times[int(0.99 * (len(times) - 1))])\n";
    const std::string script_path = (dir / "peer.py").string();
    if (FILE* f = std::fopen(script_path.c_str(), "w")) {
      std::fputs(peer.c_str(), f);
      std::fclose(f);
    }
    const std::string command = fmt::format("python3 {} {} {} {} {} {}", script_path, db_path, clinic, today,
                                            DateFromDays(*DateToDays(today) + 1), runs);
    double peer_p50 = -1, peer_p99 = -1;
    size_t peer_rows = 0;
    if (FILE* pipe = popen(command.c_str(), "r")) {
      if (std::fscanf(pipe, "%zu %lf %lf", &peer_rows, &peer_p50, &peer_p99) != 3) peer_p50 = -1;
      pclose(pipe);
    }
    const double p50 = Percentile(millis, 0.5), p99 = Percentile(millis, 0.99);
    std::printf("day list of %s: %zu sessions (%zu bytes of JSON); %d patients, %d past sessions (%d events), %d runs\n",
                today.c_str(), listed, bytes, patients_count, past, past * 6, runs);
    std::printf("SessionService::DayList + JSON text (incl. durable read audit): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                p50, p99, Percentile(millis, 1.0));
    if (peer_p50 > 0 && peer_rows == listed) {
      std::printf("peer: python3 sqlite3, same queries + phase + JSON, no audit or rules: p50 %.2f ms, p99 %.2f ms\n",
                  peer_p50, peer_p99);
      std::printf("ratio KetaChart/peer time (p50): %.2f; target p99 < 20 ms: %s\n", p50 / peer_p50,
                  p99 < 20 ? "met" : "NOT met");
    } else {
      std::printf("peer: python3 did not run or disagreed (%zu rows)\n", peer_rows);
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
