// calendar_bench: how long a clinic day's calendar takes to serve (issue 6
// target: "the calendar for a clinic day with 40 chairs < 20 ms"), against a
// named peer in the same run: python3's sqlite3 module running the same
// calendar query on the same file and building the same JSON (grouped by
// chair, times converted to the clinic's zone with zoneinfo), with none of
// KetaChart's work (permission, chair list, the durable read-audit event).
//
//   calendar_bench [--chairs N] [--past N] [--runs R]
//
// Builds a fresh SQLite data directory under /tmp (removed at the end): one
// clinic in America/Chicago, N (default 40) chairs and as many nurses with
// weekday hours, 400 patients, P (default 100,000) past appointments written
// straight into the tables in one transaction (the service refuses bookings
// in the past), then a full day a week ahead booked through
// SchedulingService::BookAppointment (four two-hour sessions per chair), and
// times R (default 200) calls of SchedulingService::Calendar(day, 1) plus the
// JSON text the HTTP layer would send. Prints p50/p99/max, the peer's p50 and
// the ratio. Each call's read-audit event is committed on its own (no group
// commit), so the figure includes one durable transaction.
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
#include "base/time_zone.h"
#include "services/clinic_setup.h"
#include "services/patient_service.h"
#include "services/schedule_store.h"
#include "services/scheduling_service.h"
#include "services/user_service.h"
#include "store/database.h"

using namespace ketachart;

namespace {

template <typename T>
T Must(Result<T> result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "calendar_bench: %s: %s\n", what, result.error().message.c_str());
    std::exit(1);
  }
  return std::move(result).value();
}
void Must(const Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "calendar_bench: %s: %s\n", what, status.error().message.c_str());
    std::exit(1);
  }
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * (values.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  int chairs = 40;
  int past = 100000;
  int runs = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--chairs")) chairs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--past")) past = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
  }
  InitCrypto();
  std::string dir_pattern = (std::filesystem::temp_directory_path() / "ketachart-calendar-XXXXXX").string();
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
    const ClinicTimeZone zone = Must(ClinicTimeZone::Find("America/Chicago"), "zone");
    const int64_t clinic = Must(database->Run<int64_t>(TransactionMode::kReadWrite, [&](Transaction& txn) {
      return CreateClinic(txn, ClinicSpec{"BEN", "Bench Clinic", "America/Chicago"}, now);
    }), "clinic");
    const std::string hash = HashPassword("bench-password-123", PasswordHashCost::Minimum());
    std::vector<int64_t> nurses;
    int64_t admin_id = 0;
    Must(database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      KC_ASSIGN_OR_RETURN(admin_id, InsertUser(txn, "bench.admin", "Bench Admin", hash, now));
      KC_RETURN_IF_ERROR(GrantRole(txn, admin_id, clinic, Role::kAdmin, now));
      KC_RETURN_IF_ERROR(GrantRole(txn, admin_id, clinic, Role::kFrontDesk, now));
      for (int n = 0; n < chairs; ++n) {
        KC_ASSIGN_OR_RETURN(int64_t id, InsertUser(txn, fmt::format("bench.nurse{}", n), fmt::format("Nurse {}", n),
                                                   hash, now));
        KC_RETURN_IF_ERROR(GrantRole(txn, id, clinic, Role::kNurse, now));
        nurses.push_back(id);
      }
      return Status::Ok();
    }), "staff");
    const Actor admin{admin_id, "bench.admin", clinic, {Role::kAdmin, Role::kFrontDesk}, "127.0.0.1"};
    SchedulingService schedule(context);
    PatientService patients(context);
    std::vector<int64_t> chair_ids;
    for (int c = 0; c < chairs; ++c) {
      chair_ids.push_back(Must(schedule.CreateChair(admin, {{"name", fmt::format("Chair {:02}", c + 1)},
                                                            {"room", fmt::format("Room {}", c / 10 + 1)}}),
                               "chair")["id"]);
    }
    const Json weekday = Json::array({{{"start", "07:00"}, {"end", "19:00"}}});
    const Json hours = {{"monday", weekday}, {"tuesday", weekday}, {"wednesday", weekday}, {"thursday", weekday},
                        {"friday", weekday}, {"saturday", weekday}, {"sunday", weekday}};
    for (int64_t nurse : nurses) Must(schedule.SetWorkingHours(admin, nurse, {{"hours", hours}}).status(), "hours");
    std::vector<int64_t> patient_ids;
    for (int p = 0; p < 400; ++p) {
      patient_ids.push_back(Must(patients.RegisterPatient(admin, {{"family_name", fmt::format("Bench{}", p)},
                                                                  {"given_names", "Calendar"},
                                                                  {"birth_date", "1980-01-01"},
                                                                  {"sex", "female"}}),
                                 "patient")["id"]);
    }
    // The past: P appointments before today, written directly (bench data only).
    Must(database->Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      for (int a = 0; a < past; ++a) {
        const TimePoint start = now - std::chrono::hours(24 + (a / chairs) * 3);
        const int64_t chair = chair_ids[static_cast<size_t>(a % chairs)];
        const int64_t nurse = nurses[static_cast<size_t>(a % chairs)];
        const int64_t patient = patient_ids[static_cast<size_t>(a % patient_ids.size())];
        KC_ASSIGN_OR_RETURN(SqlRows row,
                            txn.Query("INSERT INTO appointments (clinic_id, patient_id, course_id, kind, "
                                      "series_position, note, booked_at, booked_by) VALUES (?, ?, NULL, 'dosing', "
                                      "NULL, '', ?, ?) RETURNING id",
                                      {clinic, patient, FormatTimestamp(start - std::chrono::hours(240)), admin_id}));
        KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO appointment_events (clinic_id, appointment_id, sequence, action, "
                                       "status, chair_id, staff_user_id, patient_id, starts_at, ends_at, reason, at, "
                                       "by_user) VALUES (?, ?, 1, 'book', 'booked', ?, ?, ?, ?, ?, '', ?, ?)",
                                       {clinic, row.at(0).Int(0), chair, nurse, patient, FormatTimestamp(start),
                                        FormatTimestamp(start + std::chrono::hours(2)),
                                        FormatTimestamp(start - std::chrono::hours(240)), admin_id})
                               .status());
      }
      return Status::Ok();
    }), "past appointments");
    // The day: a week ahead, four two-hour sessions per chair, booked through the service.
    const int64_t day = zone.ToLocal(now).day() + 7;
    const std::string date = FormatLocalDate(day);
    const int starts[] = {8 * 60, 10 * 60, 13 * 60, 15 * 60};
    size_t next_patient = 0;
    for (int s = 0; s < 4; ++s) {
      for (int c = 0; c < chairs; ++c) {
        Must(schedule.BookAppointment(admin, {{"patient_id", patient_ids[next_patient++ % patient_ids.size()]},
                                              {"kind", "dosing"},
                                              {"chair_id", chair_ids[static_cast<size_t>(c)]},
                                              {"staff_user_id", nurses[static_cast<size_t>(c)]},
                                              {"start", FormatLocalDateTime({day * kMinutesPerDay + starts[s]})},
                                              {"duration_minutes", 120}}),
             "book the day");
      }
    }

    std::vector<double> millis;
    size_t appointments = 0, bytes = 0;
    for (int r = 0; r < runs; ++r) {
      const auto start = std::chrono::steady_clock::now();
      Json calendar = Must(schedule.Calendar(admin, date, 1), "calendar");
      const std::string body = calendar.dump();  // the HTTP layer sends this
      millis.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      bytes = body.size();
      appointments = 0;
      for (const Json& chair : calendar["chairs"]) appointments += chair["appointments"].size();
    }
    // The peer: the same query and the same JSON shape, in python3.
    const TimePoint from = *zone.ToUtc({day * kMinutesPerDay});
    const TimePoint to = *zone.ToUtc({(day + 1) * kMinutesPerDay});
    const std::string sql = std::string(kCurrentAppointmentSelect) +
                            " AND e.clinic_id = ? AND e.starts_at >= ? AND e.starts_at < ? AND e.ends_at > ? "
                            "ORDER BY e.starts_at, a.id";
    const std::string peer =
        "import json, sqlite3, sys, time\n"
        "from datetime import datetime\n"
        "from zoneinfo import ZoneInfo\n"
        "zone = ZoneInfo('America/Chicago')\n"
        "db = sqlite3.connect(sys.argv[1])\n"
        "sql = open(sys.argv[2]).read()\n"
        "args = (int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6])\n"
        "def local(t):\n"
        "    return datetime.fromisoformat(t.replace('Z', '+00:00')).astimezone(zone).strftime('%Y-%m-%dT%H:%M')\n"
        "times = []\n"
        "for _ in range(int(sys.argv[7])):\n"
        "    t = time.perf_counter()\n"
        "    rows = db.execute(sql, args).fetchall()\n"
        "    chairs = {}\n"
        "    for r in rows:\n"
        "        chairs.setdefault(r[10], []).append(dict(id=r[0], patient=dict(id=r[1], mrn=r[17], family_name=r[18],"
        " given_names=r[19]), course_id=r[2], kind=r[3], status=r[9], chair=dict(id=r[10], name=r[11], room=r[12]),"
        " staff=dict(id=r[13], display_name=r[14]), start=local(r[15]), end=local(r[16]), starts_at=r[15],"
        " ends_at=r[16], reminder_sent=r[21] > 0))\n"
        "    out = json.dumps(dict(chairs=[dict(id=k, appointments=v) for k, v in chairs.items()]))\n"
        "    times.append((time.perf_counter() - t) * 1000)\n"
        "times.sort()\n"
        "print(len(rows), times[len(times) // 2])\n";
    const std::string script_path = (dir / "peer.py").string(), sql_path = (dir / "calendar.sql").string();
    if (FILE* f = std::fopen(script_path.c_str(), "w")) {
      std::fputs(peer.c_str(), f);
      std::fclose(f);
    }
    if (FILE* f = std::fopen(sql_path.c_str(), "w")) {
      std::fputs(sql.c_str(), f);
      std::fclose(f);
    }
    const std::string command =
        fmt::format("python3 {} {} {} {} {} {} {} {}", script_path, db_path, sql_path, clinic,
                    FormatTimestamp(from - std::chrono::hours(12)), FormatTimestamp(to), FormatTimestamp(from), runs);
    double peer_p50 = -1;
    size_t peer_rows = 0;
    if (FILE* pipe = popen(command.c_str(), "r")) {
      if (std::fscanf(pipe, "%zu %lf", &peer_rows, &peer_p50) != 2) peer_p50 = -1;
      pclose(pipe);
    }
    const double p50 = Percentile(millis, 0.5);
    std::printf("calendar of %s: %d chairs, %zu appointments (%zu bytes of JSON), %d past appointments, %d runs\n",
                date.c_str(), chairs, appointments, bytes, past, runs);
    std::printf("SchedulingService::Calendar + JSON text (incl. durable read audit): p50 %.2f ms, p99 %.2f ms, "
                "max %.2f ms\n",
                p50, Percentile(millis, 0.99), Percentile(millis, 1.0));
    if (peer_p50 > 0 && peer_rows == appointments) {
      std::printf("peer: python3 sqlite3, same query + same JSON, no audit: p50 %.2f ms\n", peer_p50);
      std::printf("ratio KetaChart/peer time: %.2f; target p50 < 20 ms: %s\n", p50 / peer_p50,
                  p50 < 20 ? "met" : "NOT met");
    } else {
      std::printf("peer: python3 did not run or disagreed (%zu rows)\n", peer_rows);
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
