// ledger_bench: the controlled-substance ledger at scale, with a named peer
// measured in the same run and the ratio printed for each figure.
//
//   ledger_bench [--entries N] [--dir DIR] [--pg URL] [--threads T] [--seconds S]
//                [--stores both|sqlite|postgresql]
//
// (--entries 0 skips part 1.)
// Part 1 (SQLite, DIR/ledger.db, default /tmp/ketachart-ledger-bench): one
// clinic with 1,000 patients (PatientService), 10 storage locations and 200
// lots, then N ledger entries (default 1,000,000) appended through the real
// chain code (AppendLedgerEntry: hash chain, stock check, running balances)
// in transactions of 10,000 — a mix of receipts, administrations, wastes from
// draws, transfers and counts spread over five years. Then each query runs
// 25 times through LedgerService (permission check, read transaction, audit
// event committed before returning, as a request would) and the median and
// p95 are printed:
//   balances of every stock, one lot's page of entries, a patient's history,
//   the inventory report, one week's 21 CFR 1304.22(c) dispensing record.
// Peer: recomputing one stock's balance from its entries (SUM over the
// indexed ledger_entries rows, what a ledger without running balances does)
// against reading the running balance; ratio = peer / ours.
//
// Part 2 (write throughput; SQLite and, with --pg, PostgreSQL on a fresh
// database of that cluster): T threads (default 16) record `administer`
// events for S seconds (default 10) through LedgerService::RecordEvent —
// each one serializable transaction with the stock check, the chained entry,
// the balance and its audit event. Peer in the same run: the foundation's
// audited clinical write, PatientService::RecordMeasurement (a weight), with
// the same threads and time; ratio = ledger / peer. --stores limits part 2
// to one store (default both; postgresql needs --pg).
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/crypto.h"
#include "services/clinic_setup.h"
#include "services/ledger_chain.h"
#include "services/ledger_service.h"
#include "services/patient_service.h"
#include "services/user_service.h"
#include "store/database.h"

namespace ketachart {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int64_t entries = 1'000'000;
  std::string dir = "/tmp/ketachart-ledger-bench";
  std::string pg_url;
  int threads = 16;
  int seconds = 10;
  std::string stores = "both";
};

[[noreturn]] void Die(const std::string& what, const Error& error) {
  std::cerr << "ledger_bench: " << what << ": " << error.message << "\n";
  std::exit(1);
}
template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.error());
  return std::move(r).value();
}
void Must(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what, s.error());
}

struct Clinic {
  int64_t clinic_id = 0;
  Actor nurse, admin;
  std::vector<int64_t> patients, locations, lots;
  int64_t product_id = 0;
};

// A clinic with staff, patients, locations and a product (through the services).
Clinic SetUpClinic(ServiceContext& context, int patients, int locations) {
  Clinic c;
  const TimePoint now = context.clock.Now();
  const std::string hash = HashPassword("bench-password-1", context.security.password_hash_cost);
  Must(context.database.Run(TransactionMode::kReadWrite,
                            [&](Transaction& txn) -> Status {
                              KC_ASSIGN_OR_RETURN(c.clinic_id, CreateClinic(txn, {"LBN", "Ledger Bench", "UTC"}, now));
                              KC_ASSIGN_OR_RETURN(int64_t nurse, InsertUser(txn, "bench.nurse", "Bench Nurse", hash, now));
                              KC_ASSIGN_OR_RETURN(int64_t admin, InsertUser(txn, "bench.admin", "Bench Admin", hash, now));
                              KC_RETURN_IF_ERROR(GrantRole(txn, nurse, c.clinic_id, Role::kNurse, now));
                              KC_RETURN_IF_ERROR(GrantRole(txn, admin, c.clinic_id, Role::kAdmin, now));
                              c.nurse = Actor{nurse, "bench.nurse", c.clinic_id, {Role::kNurse}, "bench"};
                              c.admin = Actor{admin, "bench.admin", c.clinic_id, {Role::kAdmin}, "bench"};
                              return Status::Ok();
                            }),
       "set up clinic");
  PatientService patient_service(context);
  for (int i = 0; i < patients; ++i) {
    Json p = Must(patient_service.RegisterPatient(c.nurse, {{"family_name", fmt::format("Bench{}", i)},
                                                            {"given_names", "Pat"},
                                                            {"birth_date", "1980-01-01"},
                                                            {"sex", i % 2 ? "female" : "male"}}),
                  "register patient");
    c.patients.push_back(p["id"]);
  }
  LedgerService ledger(context);
  Json product = Must(ledger.CreateProduct(c.admin, {{"drug_name", "Ketamine hydrochloride"},
                                                     {"finished_form", "injection solution, vial"},
                                                     {"strength_mg_per_ml", "50"},
                                                     {"container_volume_ml", "10"},
                                                     {"ndc", "99999-050-10"}}),
                      "create product");
  c.product_id = product["id"];
  for (int i = 0; i < locations; ++i) {
    Json l = Must(ledger.CreateLocation(c.admin, {{"name", fmt::format("Location {}", i)}}), "create location");
    c.locations.push_back(l["id"]);
  }
  return c;
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Timing {
  double median_ms, p95_ms;
};
template <typename F>
Timing Time(int runs, F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    f();
    ms.push_back(Ms(Clock::now() - start));
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 95 / 100)]};
}

// Appends `total` entries in batches through AppendLedgerEntry; lots are
// created on the way (one receipt of 1,000 vials each).
void SeedEntries(Database& database, Clinic& c, int64_t total, TimePoint now) {
  std::mt19937_64 random(20261122);
  constexpr int64_t kBatch = 10'000, kLots = 200;
  const int64_t span_ms = int64_t{5} * 365 * 24 * 3600 * 1000;
  int64_t written = 0;
  std::vector<int64_t> draws;  // sequences of recent administrations (for wastes)
  const auto start = Clock::now();
  while (written < total) {
    Must(database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      draws.clear();
      const int64_t stop = std::min(total, written + kBatch);
      for (int64_t i = written; i < stop; ++i) {
        LedgerEntry e;
        e.clinic_id = c.clinic_id;
        e.recorded_by = c.nurse.user_id;
        e.occurred_at = FormatTimestamp(now - std::chrono::milliseconds(span_ms - span_ms * i / total));
        const int64_t roll = static_cast<int64_t>(random() % 100);
        if (static_cast<int64_t>(c.lots.size()) < kLots && (c.lots.empty() || roll == 0)) {
          const std::string now_text = FormatTimestamp(now);
          KC_ASSIGN_OR_RETURN(SqlRows lot,
                              txn.Query("INSERT INTO ledger_lots (clinic_id, product_id, lot_number, expiry_date, "
                                        "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                        {c.clinic_id, c.product_id, fmt::format("BL{:05}", c.lots.size()),
                                         "2031-12-31", now_text}));
          c.lots.push_back(lot.at(0).Int(0));
          e.kind = ledger::EventKind::kReceive;
          e.lot_id = c.lots.back();
          e.location_id = c.locations[c.lots.size() % c.locations.size()];
          e.quantity = ledger::Micrograms{int64_t{1000} * 500'000};
          e.details = {{"supplier_name", "Bench Supply"}, {"supplier_address", "1 Bench Rd"},
                       {"supplier_dea_number", "RB1234563"}, {"invoice_number", fmt::format("B{}", i)}};
        } else {
          const size_t lot_index = random() % c.lots.size();
          e.lot_id = c.lots[lot_index];
          e.location_id = c.locations[(lot_index + 1) % c.locations.size()];
          if (roll < 70) {
            e.kind = ledger::EventKind::kAdminister;
            e.patient_id = c.patients[random() % c.patients.size()];
            e.drawn_ug = 40'000;
            e.administered_ug = 35'000;
            e.quantity = ledger::Micrograms{40'000};
          } else if (roll < 90 && !draws.empty()) {
            e.kind = ledger::EventKind::kWaste;
            e.from_draw = true;
            e.related_sequence = draws.back();
            draws.pop_back();
            e.quantity = ledger::Micrograms{5'000};
            e.witness1_user_id = c.admin.user_id;
            e.details = {{"manner", "waste container"}};
          } else if (roll < 95) {
            e.kind = ledger::EventKind::kCount;
            KC_ASSIGN_OR_RETURN(ledger::Micrograms b, StockBalance(txn, {*e.lot_id, *e.location_id}));
            e.quantity = b;
            e.details = {{"count_kind", "routine"}, {"expected_ug", b.value}, {"estimated", false}};
          } else {
            e.kind = ledger::EventKind::kAdminister;
            e.patient_id = c.patients[random() % c.patients.size()];
            e.drawn_ug = 20'000;
            e.administered_ug = 20'000;
            e.quantity = ledger::Micrograms{20'000};
          }
        }
        auto stored = AppendLedgerEntry(txn, std::move(e), FormatTimestamp(now));
        if (!stored.ok()) {
          if (stored.error().code == ErrorCode::kConflict) continue;  // that stock ran out: skip
          return stored.error();
        }
        if (stored->kind == ledger::EventKind::kAdminister && stored->drawn_ug != stored->administered_ug) {
          draws.push_back(stored->sequence);
        }
      }
      written = stop;
      return Status::Ok();
    }),
         "seed entries");
    if (written % 100'000 == 0) {
      std::cerr << fmt::format("  {} entries ({:.0f} s)\n", written,
                               std::chrono::duration<double>(Clock::now() - start).count());
    }
  }
}

void QueryPart(const Options& o) {
  std::filesystem::create_directories(o.dir);
  const std::string file = o.dir + "/ledger.db";
  const bool fresh = !std::filesystem::exists(file);
  DatabaseOptions options;
  options.location = file;
  auto database = Must(Database::Open(options), "open SQLite");
  Must(database->Migrate().status(), "migrate");
  SystemClock clock;
  SecuritySettings security;
  security.password_hash_cost = PasswordHashCost::Minimum();
  ServiceContext context{*database, clock, security};
  Clinic c;
  if (fresh) {
    c = SetUpClinic(context, 1000, 10);
    const auto start = Clock::now();
    SeedEntries(*database, c, o.entries, clock.Now());
    std::cout << fmt::format("seeded {} ledger entries in {:.1f} s\n", o.entries,
                             std::chrono::duration<double>(Clock::now() - start).count());
  } else {
    // Reuse the cached database (delete DIR after changing this program).
    SqlRows rows = Must(database->Run<SqlRows>(TransactionMode::kReadOnly, [](Transaction& txn) {
      return txn.Query("SELECT c.id, n.id, a.id FROM clinics c, users n, users a WHERE c.code = 'LBN' AND n.username "
                       "= 'bench.nurse' AND a.username = 'bench.admin'");
    }), "load clinic");
    c.clinic_id = rows.at(0).Int(0);
    c.nurse = Actor{rows[0].Int(1), "bench.nurse", c.clinic_id, {Role::kNurse}, "bench"};
    c.admin = Actor{rows[0].Int(2), "bench.admin", c.clinic_id, {Role::kAdmin}, "bench"};
    SqlRows ids = Must(database->Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
      return txn.Query("SELECT id FROM ledger_products WHERE clinic_id = ?", {c.clinic_id});
    }), "load product");
    c.product_id = ids.at(0).Int(0);
    SqlRows patients = Must(database->Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
      return txn.Query("SELECT id FROM patients WHERE clinic_id = ? ORDER BY id", {c.clinic_id});
    }), "load patients");
    for (const SqlRow& r : patients) c.patients.push_back(r.Int(0));
  }
  SqlRows stats = Must(database->Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
    return txn.Query("SELECT COUNT(*), MIN(occurred_at), MAX(occurred_at) FROM ledger_entries WHERE clinic_id = ?",
                     {c.clinic_id});
  }), "count");
  SqlRows busiest = Must(database->Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
    return txn.Query("SELECT lot_id, location_id, COUNT(*) FROM ledger_entries WHERE clinic_id = ? AND lot_id IS NOT "
                     "NULL GROUP BY lot_id, location_id ORDER BY 3 DESC LIMIT 1",
                     {c.clinic_id});
  }), "busiest stock");
  const int64_t lot = busiest.at(0).Int(0), location = busiest[0].Int(1);
  std::cout << fmt::format("ledger: {} entries from {} to {}; busiest stock lot {} at location {} has {} entries\n",
                           stats.at(0).Int(0), stats[0].Text(1), stats[0].Text(2), lot, location, busiest[0].Int(2));

  LedgerService ledger(context);
  constexpr int kRuns = 25;
  const std::string last_day = stats[0].Text(2).substr(0, 10);
  const std::string week_start = FormatDate(*ParseTimestamp(last_day + "T00:00:00Z") - std::chrono::hours(24 * 6));
  size_t rows_seen = 0;
  struct Row {
    std::string name;
    Timing t;
  };
  std::vector<Row> rows;
  rows.push_back({"balances of every stock (GET /ledger/balances)",
                  Time(kRuns, [&] { rows_seen = Must(ledger.Balances(c.nurse), "balances")["items"].size(); })});
  rows.push_back({"one lot: balances + 50 newest entries (GET /ledger/lots/{id})",
                  Time(kRuns, [&] { Must(ledger.GetLot(c.nurse, lot, {}), "lot"); })});
  rows.push_back({"a patient's 50 newest administrations", Time(kRuns, [&] {
                    LedgerEntryQuery q;
                    q.patient_id = c.patients[7];
                    Must(ledger.ListEntries(c.nurse, q), "patient history");
                  })});
  rows.push_back({"count sheet (expected balance of every stock)",
                  Time(kRuns, [&] { Must(ledger.CountSheet(c.nurse), "count sheet"); })});
  size_t report_rows = 0;
  rows.push_back({"inventory report (CSV)", Time(kRuns, [&] {
                    RenderCsv(Must(ledger.InventoryReport(c.nurse), "inventory report"));
                  })});
  rows.push_back({fmt::format("dispensing record {}..{} (CSV)", week_start, last_day), Time(kRuns, [&] {
                    TabularReport r = Must(ledger.DispensingRecord(c.nurse, c.product_id, week_start, last_day), "dispensing");
                    report_rows = r.rows.size();
                    RenderCsv(r);
                  })});
  std::cout << fmt::format("\nqueries through LedgerService ({} runs each; {} stocks; dispensing week = {} rows)\n",
                           kRuns, rows_seen, report_rows);
  for (const Row& r : rows) {
    std::cout << fmt::format("  {:<62} median {:7.2f} ms  p95 {:7.2f} ms\n", r.name, r.t.median_ms, r.t.p95_ms);
  }

  // The peer: one stock's balance recomputed from its entries vs the running balance.
  const std::string recompute =
      "SELECT COALESCE(SUM(CASE WHEN kind = 'receive' THEN quantity_ug WHEN kind IN ('administer', 'return', "
      "'destruction', 'loss') THEN -quantity_ug WHEN kind = 'waste' AND from_draw = 0 THEN -quantity_ug "
      "WHEN kind = 'transfer' THEN -quantity_ug ELSE 0 END), 0) FROM ledger_entries WHERE clinic_id = ? AND "
      "lot_id = ? AND location_id = ?";
  int64_t peer_value = 0, ours_value = 0;
  Timing peer = Time(kRuns, [&] {
    peer_value = Must(database->Run<SqlRows>(TransactionMode::kReadOnly, [&](Transaction& txn) {
                        return txn.Query(recompute, {c.clinic_id, lot, location});
                      }), "recompute").at(0).Int(0);
  });
  Timing ours = Time(kRuns, [&] {
    ours_value = Must(database->Run<ledger::Micrograms>(TransactionMode::kReadOnly, [&](Transaction& txn) {
                        return StockBalance(txn, {lot, location});
                      }), "balance").value;
  });
  std::cout << fmt::format(
      "\none stock's balance: running balance {:.3f} ms vs peer (recompute SUM over its {} entries) {:.3f} ms; "
      "ratio peer/ours = {:.1f}x{}\n",
      ours.median_ms, busiest[0].Int(2), peer.median_ms, peer.median_ms / ours.median_ms,
      // Transfers into this stock are not in the peer's simple SUM; say so if they differ.
      peer_value == ours_value ? "" : " (values differ: the peer ignores incoming transfers)");
}

// Events per second from `threads` threads running `work` for `seconds`.
template <typename F>
double Throughput(int threads, int seconds, F&& work) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> done{0}, failed{0};
  std::vector<std::thread> pool;
  const auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      int64_t i = 0;
      while (!stop.load()) {
        if (work(t, i++)) {
          ++done;
        } else {
          ++failed;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  if (failed.load() > 0) std::cerr << "  (" << failed.load() << " failed)\n";
  return static_cast<double>(done.load()) / std::chrono::duration<double>(Clock::now() - start).count();
}

void WritePart(const std::string& label, const std::string& location, const Options& o) {
  DatabaseOptions options;
  options.location = location;
  options.max_connections = static_cast<size_t>(o.threads) + 2;
  auto database = Must(Database::Open(options), "open " + label);
  Must(database->Migrate().status(), "migrate " + label);
  database->SerializeWritersOn("audit_chain_head");  // as `ketachart serve` does
  SystemClock clock;
  SecuritySettings security;
  security.password_hash_cost = PasswordHashCost::Minimum();
  ServiceContext context{*database, clock, security};
  Clinic c = SetUpClinic(context, 50, 2);
  LedgerService ledger(context);
  PatientService patients(context);
  Json receipt = Must(ledger.RecordEvent(c.nurse, {{"kind", "receive"},
                                                   {"product_id", c.product_id},
                                                   {"lot_number", "W1"},
                                                   {"expiry_date", "2031-12-31"},
                                                   {"location_id", c.locations[0]},
                                                   {"containers", 100000},
                                                   {"supplier_name", "Bench"},
                                                   {"supplier_address", "1 Bench Rd"},
                                                   {"supplier_dea_number", "RB1234563"},
                                                   {"invoice_number", "W"}}),
                      "receive");
  const int64_t lot = receipt["lot_id"];
  const double ours = Throughput(o.threads, o.seconds, [&](int t, int64_t i) {
    return ledger
        .RecordEvent(c.nurse, {{"kind", "administer"},
                               {"lot_id", lot},
                               {"location_id", c.locations[0]},
                               {"patient_id", c.patients[static_cast<size_t>(t * 7 + i) % c.patients.size()]},
                               {"drawn_mg", "40"},
                               {"administered_mg", "35"}})
        .ok();
  });
  const double peer = Throughput(o.threads, o.seconds, [&](int t, int64_t i) {
    return patients
        .RecordMeasurement(c.nurse, c.patients[static_cast<size_t>(t * 7 + i) % c.patients.size()],
                           {{"kind", "weight"}, {"weight_kg", 70.5}, {"measured_on", "2026-01-01"}, {"note", ""}})
        .ok();
  });
  const WriteGroupCounters grouped = database->GroupedWriteCounters();
  auto verified = Must(VerifyLedgerChains(*database), "verify");
  std::cout << fmt::format(
      "{}: administer events {:.0f}/s vs peer (audited weight, PatientService::RecordMeasurement) {:.0f}/s; "
      "ratio {:.2f}; {} threads, {} s each; {:.1f} events per commit ({} groups replayed); ledger verify: {} ({} "
      "entries)\n",
      label, ours, peer, ours / peer, o.threads, o.seconds,
      grouped.groups ? static_cast<double>(grouped.works) / static_cast<double>(grouped.groups) : 0.0,
      grouped.replayed, verified.intact ? "intact" : verified.problem, verified.entries_checked);
}

}  // namespace
}  // namespace ketachart

int main(int argc, char** argv) {
  using namespace ketachart;
  InitCrypto();
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--entries") o.entries = std::stoll(value);
    else if (flag == "--dir") o.dir = value;
    else if (flag == "--pg") o.pg_url = value;
    else if (flag == "--threads") o.threads = std::stoi(value);
    else if (flag == "--seconds") o.seconds = std::stoi(value);
    else if (flag == "--stores" && (value == "both" || value == "sqlite" || value == "postgresql")) o.stores = value;
    else {
      std::cerr << "usage: ledger_bench [--entries N] [--dir DIR] [--pg URL] [--threads T] [--seconds S] "
                   "[--stores both|sqlite|postgresql]\n";
      return 2;
    }
  }
  if (o.entries > 0) QueryPart(o);
  std::cout << "\nwrite throughput\n";
  const std::string write_file = o.dir + "/writes.db";
  std::filesystem::remove(write_file);
  std::filesystem::remove(write_file + "-wal");
  std::filesystem::remove(write_file + "-shm");
  if (o.stores != "postgresql") WritePart("SQLite", write_file, o);
  if (!o.pg_url.empty() && o.stores != "sqlite") WritePart("PostgreSQL", o.pg_url, o);
  return 0;
}
