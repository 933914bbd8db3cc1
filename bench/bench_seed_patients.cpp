// bench_seed_patients: bulk-loads a benchmark clinic into a SQLite data
// directory, for bench/foundation_bench.sh.
//
//   bench_seed_patients --data-dir DIR --password PASS [--patients N] [--batch ROWS] [--seed S]
//   bench_seed_patients --print-prefixes
//
// Creates DIR/ketachart.db with the migrations applied, one clinic (code BEN),
// one account `bench.nurse` (role nurse, argon2id hash of PASS at the server's
// interactive cost) and N patients (default 1,000,000) with realistic, varied
// names: family names are a popularity-weighted list of real surnames (about a
// third of patients) or built from syllables (the long tail), given names a
// weighted list plus generated ones, a third with a middle name. So a 3-letter
// prefix matches from under 0.1% to about 5% of patients, as in a real
// register. Every patient gets the row the service would write (canonical
// document, both search keys from clinical/patient_record.h, MRN BEN-NNNNNN)
// and its version-1 row in patient_versions; about 40% get one weight.
//
// Rows go straight into the store (Database::Run, one transaction per batch of
// 50,000 patients, statements prepared once per connection), not through the
// HTTP API or PatientService, whose one audited, fsync'd transaction per
// registration would be far too slow for a million. The patients name and
// birth-date indexes are dropped first and rebuilt at the end with the
// migration's own CREATE INDEX statements (same schema, much faster). The
// trail gets one event recording the bulk load. The first 2,000 documents
// are checked against ValidatePatientDocument so the stored form is exactly
// what the service would store.
//
// --print-prefixes prints ~100 realistic 3-letter search prefixes (from the
// most common names in the lists below), one per line, and exits.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/json_input.h"
#include "clinical/patient_record.h"
#include "services/audit_trail.h"
#include "services/clinic_setup.h"
#include "services/user_service.h"
#include "store/database.h"

namespace ketachart {
namespace {

// Roughly in order of frequency (US, UK, European, Latin American, African,
// Asian registers mixed); the weighting below makes earlier names commoner.
const std::vector<std::string> kFamilyNames = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
    "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
    "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
    "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
    "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
    "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes",
    "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham",
    "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson",
    "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens",
    "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen",
    "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter",
    "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks",
    "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox",
    "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens",
    "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins",
    "Okafor", "Lindgren", "Nakamura", "O'Brien", "Haddad", "Kowalski", "Mensah", "Fischer", "Dubois", "Novak",
    "Ibrahim", "Sato", "Rossi", "Andersen", "Johansson", "Moreau", "Adeyemi", "Walsh", "Bauer", "Costa",
    "Okonkwo", "Mwangi", "Tanaka", "Suzuki", "Yamamoto", "Wang", "Zhang", "Liu", "Huang", "Singh",
    "Kumar", "Shah", "Ali", "Hussain", "Khan", "Cohen", "Levy", "Friedman", "Nowak", "Wojcik",
    "Kaminski", "Lewandowski", "Horvath", "Varga", "Popescu", "Ionescu", "Petrov", "Ivanov", "Smirnov", "Kuznetsov",
    "Papadopoulos", "Demir", "Yilmaz", "Kaya", "Jensen", "Nielsen", "Hansen", "Larsen", "Berg", "Lund",
};

const std::vector<std::string> kGivenNames = {
    "James", "Mary", "Michael", "Patricia", "John", "Jennifer", "Robert", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen",
    "Charles", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret",
    "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle",
    "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie",
    "George", "Rebecca", "Jason", "Sharon", "Edward", "Laura", "Jeffrey", "Cynthia", "Ryan", "Dorothy",
    "Jacob", "Amy", "Nicholas", "Kathleen", "Gary", "Angela", "Eric", "Shirley", "Jonathan", "Emma",
    "Stephen", "Brenda", "Larry", "Pamela", "Justin", "Nicole", "Scott", "Anna", "Brandon", "Samantha",
    "Benjamin", "Katherine", "Samuel", "Christine", "Gregory", "Debra", "Alexander", "Rachel", "Patrick", "Carolyn",
    "Frank", "Janet", "Raymond", "Maria", "Jack", "Olivia", "Dennis", "Heather", "Jerry", "Helen",
    "Tyler", "Catherine", "Aaron", "Diane", "Jose", "Julie", "Adam", "Victoria", "Nathan", "Joyce",
    "Henry", "Lauren", "Zachary", "Kelly", "Douglas", "Christina", "Peter", "Ruth", "Kyle", "Joan",
    "Noah", "Virginia", "Ethan", "Judith", "Jeremy", "Evelyn", "Christian", "Hannah", "Walter", "Andrea",
    "Keith", "Megan", "Austin", "Cheryl", "Roger", "Jacqueline", "Terry", "Madison", "Sean", "Teresa",
    "Gerald", "Abigail", "Carl", "Sophia", "Dylan", "Martha", "Harold", "Sara", "Jordan", "Gloria",
    "Adaeze", "Erik", "Lucia", "Hiro", "Siobhan", "Karim", "Agnieszka", "Kwame", "Lena", "Camille",
    "Mateo", "Petra", "Amina", "Yuki", "Declan", "Giulia", "Freya", "Wei", "Anjali", "Nils",
    "Elodie", "Tunde", "Ciara", "Min-jun", "Rafael", "Greta", "Linh", "Owen", "Beatriz", "Jonas",
    "Priya", "Arjun", "Fatima", "Omar", "Aisha", "Mohammed", "Chloe", "Lucas", "Mia", "Liam",
};

// Syllables for the long tail of surnames and given names.
const std::vector<std::string> kSurnameOnsets = {
    "Al", "Bar", "Bel", "Ber", "Bro", "Car", "Cas", "Dal", "Dor", "Du", "El", "Fer", "Fal", "Gal", "Gor",
    "Gra", "Har", "Hol", "Ka", "Kel", "Kra", "Lan", "Lor", "Mac", "Mal", "Mor", "Nor", "Ol", "Pe", "Pra",
    "Ra", "Ros", "Sa", "Stan", "Sil", "Ta", "Tor", "Va", "Vel", "Wal", "Wen", "Ya", "Zam", "Ost", "Ib",
    "Ha", "Ko", "Mu", "Ne", "Qui", "Ri", "Sto", "Tre", "Ur", "Wi", "Chi", "Dra", "Fo", "Lu", "Pin"};
const std::vector<std::string> kSurnameMiddles = {"", "", "", "ba", "de", "ri", "lo", "na", "ve", "min",
                                                   "ter", "gan", "dol", "ko", "sa", "tel", "ran", "mo"};
const std::vector<std::string> kSurnameEndings = {"son", "sen", "ski", "ez", "ov", "ova", "ini", "elli", "ey",
                                                   "ton", "berg", "man", "ford", "ley", "ard", "ic", "ak", "o",
                                                   "a", "es", "ner", "well", "ado", "ura", "ian", "ek", "stad",
                                                   "ing", "wood", "more"};
const std::vector<std::string> kGivenOnsets = {"A", "Ka", "Le", "Ma", "Ri", "Sa", "Ta", "Ja", "Na", "E", "O",
                                               "Zo", "Li", "Mi", "Da", "Be", "Cy", "Fe", "Ha", "Io", "Ke",
                                               "Lu", "No", "Ro", "Si", "Ty", "Va", "Wy", "Xa", "Yu"};
const std::vector<std::string> kGivenEndings = {"la", "ri", "na", "den", "lyn", "son", "mar", "ra", "el", "ia",
                                                "an", "o", "ette", "ley", "ric", "vin", "dra", "mon", "ya", "ton"};

const std::pair<const char*, const char*> kDiagnoses[] = {
    {"F43.10", "Post-traumatic stress disorder, unspecified"},
    {"F43.12", "Post-traumatic stress disorder, chronic"},
    {"F33.1", "Major depressive disorder, recurrent, moderate"},
    {"F33.2", "Major depressive disorder, recurrent, severe without psychotic features"},
    {"F32.1", "Major depressive disorder, single episode, moderate"},
    {"F33.9", "Major depressive disorder, recurrent, unspecified"},
    {"F41.1", "Generalized anxiety disorder"},
    {"F31.81", "Bipolar II disorder"},
};
const std::pair<const char*, const char*> kMedications[] = {
    {"sertraline 100 mg by mouth daily", "312940"},    {"escitalopram 10 mg by mouth daily", "349332"},
    {"bupropion XL 300 mg by mouth daily", ""},        {"venlafaxine XR 150 mg by mouth daily", ""},
    {"prazosin 2 mg by mouth at bedtime", ""},         {"trazodone 50 mg by mouth at bedtime", "856377"},
    {"lamotrigine 100 mg by mouth daily", ""},         {"lisinopril 10 mg by mouth daily", "314076"},
    {"atorvastatin 20 mg by mouth daily", "617310"},   {"levothyroxine 50 mcg by mouth daily", ""}};
const std::pair<const char*, const char*> kAllergies[] = {{"penicillin", "rash"},
                                                          {"sulfonamides", "hives"},
                                                          {"latex", "contact dermatitis"},
                                                          {"codeine", "nausea"},
                                                          {"peanuts", "anaphylaxis"}};
const char* kReferrers[] = {"Dr. Ruth Abernathy", "Dr. Felix Moran", "Dr. Imani Cole", "Dr. Oskar Berg",
                            "Dr. Lena Voss", "Dr. Marcus Ode"};
const char* kOrganisations[] = {"Community Psychiatry", "Riverside Family Medicine", "Veterans Health Clinic",
                                "University Behavioral Health"};
const char* kStreets[] = {"Oak St", "Maple Ave", "Cedar Ln", "Main St", "River Rd", "Hillcrest Dr", "Park Blvd",
                          "Lakeview Ct"};
const char* kCities[] = {"Springfield, IL 62704", "Madison, WI 53703", "Columbus, OH 43215", "Austin, TX 78701",
                         "Portland, OR 97205", "Denver, CO 80203"};

// Picks index r with probability proportional to 1 / (r + 1)^exponent.
class ZipfPicker {
 public:
  ZipfPicker(size_t n, double exponent) {
    double sum = 0;
    for (size_t r = 0; r < n; ++r) {
      sum += 1.0 / std::pow(static_cast<double>(r + 1), exponent);
      cumulative_.push_back(sum);
    }
    for (double& c : cumulative_) c /= sum;
  }
  template <typename Random>
  size_t operator()(Random& random) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(random);
    return std::min(static_cast<size_t>(std::lower_bound(cumulative_.begin(), cumulative_.end(), u) -
                                        cumulative_.begin()),
                    cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

struct Options {
  std::string data_dir;
  std::string password;
  int64_t patients = 1'000'000;
  int64_t batch = 50'000;
  uint64_t seed = 20260101;
  bool print_prefixes = false;
};

[[noreturn]] void Usage(const std::string& problem) {
  std::cerr << "bench_seed_patients: " << problem << "\n"
            << "usage: bench_seed_patients --data-dir DIR --password PASS [--patients N] [--batch ROWS] [--seed S]\n"
            << "       bench_seed_patients --print-prefixes\n";
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(arg + " needs a value");
      return argv[++i];
    };
    auto number = [&]() -> int64_t {
      const std::string text = value();
      char* end = nullptr;
      const long long n = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || n < 1) Usage(arg + " needs a positive integer");
      return n;
    };
    if (arg == "--data-dir") options.data_dir = value();
    else if (arg == "--password") options.password = value();
    else if (arg == "--patients") options.patients = number();
    else if (arg == "--batch") options.batch = number();
    else if (arg == "--seed") options.seed = static_cast<uint64_t>(number());
    else if (arg == "--print-prefixes") options.print_prefixes = true;
    else Usage("unknown argument " + arg);
  }
  if (!options.print_prefixes) {
    if (options.data_dir.empty()) Usage("--data-dir is required");
    if (options.password.size() < 12) Usage("--password is required (at least 12 characters, as the server asks)");
  }
  return options;
}

std::string Lower(std::string text) {
  for (char& c : text) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return text;
}

// Prefixes a receptionist would type: the first three letters of the most
// common family and given names, plus a few from the long tail.
std::vector<std::string> SearchPrefixes() {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& name) {
    std::string p = Lower(name.substr(0, 3));
    if (p.size() == 3 && p.find_first_of("'- ") == std::string::npos && seen.insert(p).second) out.push_back(p);
  };
  for (size_t i = 0; i < 70 && i < kFamilyNames.size(); ++i) add(kFamilyNames[i]);
  for (size_t i = 0; i < 40 && i < kGivenNames.size(); ++i) add(kGivenNames[i]);
  for (size_t i = 200; i < kFamilyNames.size() && out.size() < 95; i += 3) add(kFamilyNames[i]);
  for (const auto& onset : kSurnameOnsets) {
    if (out.size() >= 100) break;
    if (onset.size() == 3) add(onset);
  }
  return out;
}

class PatientGenerator {
 public:
  PatientGenerator(uint64_t seed, TimePoint now)
      : random_(seed), family_pick_(kFamilyNames.size(), 0.6), given_pick_(kGivenNames.size(), 0.6), now_(now) {
    const std::string today = FormatDate(now);
    current_year_ = std::stoi(today.substr(0, 4));
  }

  struct Patient {
    std::string family, given, birth_date;
    Json body;             // as a client would send it (kept only when asked, for validation)
    std::string document;  // canonical stored form, serialised
    std::string created_at;
    std::optional<int64_t> weight_grams;
    std::string weight_measured_on;
  };

  Patient Next(bool keep_body) {
    Patient p;
    p.family = Family();
    p.given = Given();
    if (Pick(3) == 0) p.given.append(1, ' ').append(Given());
    const int year = current_year_ - 18 - Pick(70);
    const int month = 1 + Pick(12);
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int days = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
    p.birth_date = fmt::format("{:04}-{:02}-{:02}", year, month, 1 + Pick(days));

    Json& body = p.body;
    body = Json::object();
    body["family_name"] = p.family;
    body["given_names"] = p.given;
    body["birth_date"] = p.birth_date;
    const int sex = Pick(100);
    body["sex"] = sex < 51 ? "female" : sex < 99 ? "male" : sex == 99 ? "unknown" : "intersex";
    if (Pick(3) == 0) body["pronouns"] = Pick(4) == 0 ? "they/them" : (sex < 51 ? "she/her" : "he/him");
    body["phone"] = fmt::format("+1 555 {:03} {:04}", Pick(1000), Pick(10000));
    if (Pick(2) == 0) {
      body["email"] = fmt::format("{}.{}{}@example.org", Lower(FirstWord(p.given)), Lower(Ascii(p.family)),
                                  Pick(100));
    }
    if (Pick(4) != 0) {
      body["address"] = fmt::format("{} {}, {}", 1 + Pick(9999), kStreets[Pick(std::size(kStreets))],
                                    kCities[Pick(std::size(kCities))]);
    }
    body["emergency_contact"] = {{"name", Given() + " " + p.family},
                                 {"relationship", Pick(3) == 0 ? "sibling" : Pick(2) ? "spouse" : "parent"},
                                 {"phone", fmt::format("+1 555 {:03} {:04}", Pick(1000), Pick(10000))}};
    body["referring_provider"] = {{"name", kReferrers[Pick(std::size(kReferrers))]},
                                  {"organization", kOrganisations[Pick(std::size(kOrganisations))]},
                                  {"phone", fmt::format("+1 555 {:03} {:04}", Pick(1000), Pick(10000))}};
    const auto& diagnosis = kDiagnoses[Pick(std::size(kDiagnoses))];
    body["diagnoses"] = Json::array({{{"icd10_code", diagnosis.first}, {"description", diagnosis.second}}});
    if (Pick(4) == 0) {
      const auto& second = kDiagnoses[Pick(std::size(kDiagnoses))];
      if (second.first != diagnosis.first) {
        body["diagnoses"].push_back({{"icd10_code", second.first}, {"description", second.second}});
      }
    }
    body["medications"] = Json::array();
    for (int m = 0, n = Pick(4); m < n; ++m) {
      const auto& medication = kMedications[Pick(std::size(kMedications))];
      Json item = {{"name", medication.first}};
      if (*medication.second) item["rxnorm_code"] = medication.second;
      body["medications"].push_back(std::move(item));
    }
    body["allergies"] = Json::array();
    if (Pick(3) == 0) {
      const auto& allergy = kAllergies[Pick(std::size(kAllergies))];
      body["allergies"].push_back(
          {{"substance", allergy.first}, {"reaction", allergy.second}, {"severity", Pick(2) ? "moderate" : "mild"}});
    }
    // Canonical form: what ValidatePatientDocument returns for this body
    // (every optional field here is non-empty; the lists are always present).
    p.document = body.dump();
    if (!keep_body) body = Json();

    const auto registered = now_ - std::chrono::hours(24 * (1 + Pick(3650))) - std::chrono::minutes(Pick(1440));
    p.created_at = FormatTimestamp(std::chrono::time_point_cast<std::chrono::milliseconds>(registered));
    if (Pick(10) < 4) {
      p.weight_grams = 45'000 + Pick(90'000);
      p.weight_measured_on =
          FormatDate(std::chrono::time_point_cast<std::chrono::milliseconds>(registered + std::chrono::hours(24)));
      if (p.weight_measured_on > FormatDate(now_)) p.weight_measured_on = FormatDate(now_);
    }
    return p;
  }

 private:
  int Pick(size_t n) { return static_cast<int>(random_() % n); }

  static std::string FirstWord(const std::string& text) { return text.substr(0, text.find(' ')); }
  static std::string Ascii(std::string text) {
    text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == '\'' || c == ' '; }), text.end());
    return text;
  }

  std::string Family() {
    // A third of a real register shares a few hundred common surnames; the
    // rest is a long tail.
    if (Pick(100) < 35) return kFamilyNames[family_pick_(random_)];
    std::string name = kSurnameOnsets[Pick(kSurnameOnsets.size())] + kSurnameMiddles[Pick(kSurnameMiddles.size())] +
                       kSurnameEndings[Pick(kSurnameEndings.size())];
    if (Pick(40) == 0) name += "-" + kFamilyNames[family_pick_(random_)];  // double-barrelled
    return name;
  }

  std::string Given() {
    if (Pick(100) < 70) return kGivenNames[given_pick_(random_)];
    return kGivenOnsets[Pick(kGivenOnsets.size())] + kGivenEndings[Pick(kGivenEndings.size())];
  }

  std::mt19937_64 random_;
  ZipfPicker family_pick_;
  ZipfPicker given_pick_;
  TimePoint now_;
  int current_year_ = 2026;
};

int Fail(const std::string& what, const Error& error) {
  std::cerr << "bench_seed_patients: " << what << ": " << (error.field.empty() ? "" : error.field + " ")
            << error.message << "\n";
  return 1;
}

int Main(int argc, char** argv) {
  const Options options = ParseOptions(argc, argv);
  if (options.print_prefixes) {
    for (const auto& prefix : SearchPrefixes()) std::cout << prefix << "\n";
    return 0;
  }
  InitCrypto();
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  std::filesystem::permissions(options.data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  DatabaseOptions database_options;
  database_options.location = (std::filesystem::path(options.data_dir) / "ketachart.db").string();
  auto opened = Database::Open(database_options);
  if (!opened.ok()) return Fail("open", opened.error());
  Database& database = *opened.value();
  auto migrated = database.Migrate();
  if (!migrated.ok()) return Fail("migrate", migrated.error());

  SystemClock clock;
  const TimePoint now = clock.Now();
  const std::string now_text = FormatTimestamp(now);
  const std::string password_hash = HashPassword(options.password, PasswordHashCost::Interactive());

  int64_t clinic_id = 0, user_id = 0;
  std::vector<std::string> deferred_indexes;
  Status setup = database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_ASSIGN_OR_RETURN(SqlRows existing, txn.Query("SELECT COUNT(*) FROM patients"));
    if (existing.at(0).Int(0) > 0) return Conflict("the database already has patients; seed an empty data dir", "");
    KC_ASSIGN_OR_RETURN(clinic_id, CreateClinic(txn, {"BEN", "Benchmark Clinic", "America/Chicago"}, now));
    KC_ASSIGN_OR_RETURN(user_id, InsertUser(txn, "bench.nurse", "Bench Nurse, RN", password_hash, now));
    KC_RETURN_IF_ERROR(GrantRole(txn, user_id, clinic_id, Role::kNurse, now));
    // Later registrations continue the MRN sequence after the loaded patients.
    KC_RETURN_IF_ERROR(txn.Execute("UPDATE clinics SET next_mrn = ? WHERE id = ?",
                                   {int64_t{options.patients + 1}, clinic_id}));
    // Bulk-load practice: the name and birth-date indexes are dropped here and
    // rebuilt by CREATE INDEX (one sort each) after the load, with the exact
    // statements the migration created, instead of a million random-order
    // B-tree inserts each. The MRN and primary-key indexes stay (their keys
    // arrive in order).
    KC_ASSIGN_OR_RETURN(SqlRows indexes,
                        txn.Query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'patients' "
                                  "AND sql IS NOT NULL ORDER BY name"));
    deferred_indexes.clear();
    for (const SqlRow& row : indexes) {
      deferred_indexes.push_back(row.Text(1));
      KC_RETURN_IF_ERROR(txn.Execute("DROP INDEX " + row.Text(0)));
    }
    Actor local{0, "cli:bench_seed_patients", clinic_id, {Role::kAdmin}, "cli"};
    return AppendAuditEvent(txn, local,
                            {"bench.seed", "clinic", std::to_string(clinic_id), std::nullopt, AuditOutcome::kSuccess,
                             fmt::format("bulk load of {} synthetic patients", options.patients)},
                            now);
  });
  if (!setup.ok()) return Fail("setup", setup.error());

  PatientGenerator generator(options.seed, now);
  const PatientRecordRules rules{FormatDate(now)};
  constexpr int64_t kValidatedRows = 2000;
  const auto started = std::chrono::steady_clock::now();
  int64_t inserted = 0, weights = 0;
  double generate_wait_seconds = 0, insert_seconds = 0;
  // Batch k+1 is generated on a second thread while batch k is inserted.
  using Batch = std::vector<PatientGenerator::Patient>;
  auto generate = [&](int64_t first, int64_t count) -> Result<Batch> {
    // Generated outside the transaction: Run may retry the work function.
    Batch batch;
    batch.reserve(count);
    for (int64_t i = 0; i < count; ++i) {
      const bool validate = first + i < kValidatedRows;
      batch.push_back(generator.Next(validate));
      if (validate) {
        auto canonical = ValidatePatientDocument(batch.back().body, rules);
        if (!canonical.ok()) return canonical.error();
        if (canonical.value().dump() != batch.back().document) {
          return Internal("generated document differs from its canonical form:\n" + batch.back().document +
                          "\n" + canonical.value().dump());
        }
        batch.back().body = Json();
      }
    }
    return batch;
  };
  auto batch_size = [&](int64_t first) { return std::min(options.batch, options.patients - first); };
  std::future<Result<Batch>> next = std::async(std::launch::async, generate, 0, batch_size(0));
  while (inserted < options.patients) {
    const int64_t count = batch_size(inserted);
    const auto wait_started = std::chrono::steady_clock::now();
    Result<Batch> generated = next.get();
    if (!generated.ok()) return Fail("generated document", generated.error());
    const Batch batch = std::move(generated).value();
    if (inserted + count < options.patients) {
      next = std::async(std::launch::async, generate, inserted + count, batch_size(inserted + count));
    }
    int64_t batch_weights = 0;
    const auto insert_started = std::chrono::steady_clock::now();
    generate_wait_seconds += std::chrono::duration<double>(insert_started - wait_started).count();
    Status status = database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
      batch_weights = 0;
      // A large page cache keeps the random-order index inserts in memory.
      KC_RETURN_IF_ERROR(txn.Query("PRAGMA cache_size = -262144"));
      for (int64_t i = 0; i < count; ++i) {
        const auto& p = batch[i];
        const int64_t id = inserted + i + 1;
        const std::string mrn = fmt::format("BEN-{:06}", id);
        const std::string& document = p.document;
        KC_RETURN_IF_ERROR(txn.Execute(
            "INSERT INTO patients (id, clinic_id, mrn, family_name, given_names, search_family_first, "
            "search_given_first, birth_date, version, document, created_at, created_by, updated_at, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
            {id, clinic_id, mrn, p.family, p.given, FamilyFirstKey(p.family, p.given),
             GivenFirstKey(p.family, p.given), p.birth_date, document, p.created_at, user_id, p.created_at,
             user_id}));
        KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO patient_versions (patient_id, version, document, recorded_at, "
                                       "recorded_by, change_reason) VALUES (?, 1, ?, ?, ?, ?)",
                                       {id, document, p.created_at, user_id, std::string("registered")}));
        if (p.weight_grams) {
          KC_RETURN_IF_ERROR(txn.Execute(
              "INSERT INTO patient_body_measurements (patient_id, clinic_id, kind, value, measured_on, "
              "recorded_at, recorded_by, note) VALUES (?, ?, 'weight', ?, ?, ?, ?, ?)",
              {id, clinic_id, *p.weight_grams, p.weight_measured_on, p.created_at, user_id,
               std::string("intake")}));
          ++batch_weights;
        }
      }
      return Status::Ok();
    });
    if (!status.ok()) return Fail("insert", status.error());
    insert_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - insert_started).count();
    inserted += count;
    weights += batch_weights;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cerr << fmt::format("\r{} / {} patients, {:.0f} rows/s   ", inserted, options.patients,
                             static_cast<double>(inserted) / seconds)
              << std::flush;
  }
  const auto index_started = std::chrono::steady_clock::now();
  Status indexed = database.Run(TransactionMode::kReadWrite, [&](Transaction& txn) -> Status {
    KC_RETURN_IF_ERROR(txn.Query("PRAGMA cache_size = -262144"));
    for (const std::string& sql : deferred_indexes) KC_RETURN_IF_ERROR(txn.Execute(sql));
    return Status::Ok();
  });
  if (!indexed.ok()) return Fail("create indexes", indexed.error());
  const double index_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - index_started).count();
  const auto close_started = std::chrono::steady_clock::now();
  opened.value().reset();  // closes the connections (SQLite checkpoints the WAL into the file)
  const double close_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - close_started).count();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << "\n";
  std::cout << fmt::format(
      "seeded {} patients ({} weights, {} patient_versions rows) into {} in {:.1f} s: {:.0f} patients/s "
      "(waiting for generation {:.1f} s, inserting {:.1f} s, indexing {:.1f} s, closing {:.1f} s)\n",
      inserted, weights, inserted, database_options.location, seconds, static_cast<double>(inserted) / seconds,
      generate_wait_seconds, insert_seconds, index_seconds, close_seconds);
  return 0;
}

}  // namespace
}  // namespace ketachart

int main(int argc, char** argv) { return ketachart::Main(argc, argv); }
