// Dosing plans and their text form (see dosing_plan.h).
#include "clinical/pk/dosing_plan.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <sstream>

namespace ketachart::pk {
namespace {

constexpr double kMaxMinutes = 7 * 24 * 60;
constexpr double kMaxMilligrams = 10000;

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream in{std::string(text)};
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

bool ParseNumber(const std::string& word, double& out) {
  const char* begin = word.data();
  const char* end = begin + word.size();
  auto [ptr, ec] = std::from_chars(begin, end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

// Reads "<number> min" at words[i], advancing i.
bool ReadMinutes(const std::vector<std::string>& w, size_t& i, double& out) {
  if (i + 2 > w.size() || !ParseNumber(w[i], out) || (w[i + 1] != "min" && w[i + 1] != "minutes")) return false;
  i += 2;
  return out >= 0 && out <= kMaxMinutes;
}

// Reads "<number> mg" or "<number> mg/kg", advancing i.
bool ReadAmount(const std::vector<std::string>& w, size_t& i, Kilograms weight, double& mg) {
  double number = 0;
  if (i + 2 > w.size() || !ParseNumber(w[i], number) || number <= 0) return false;
  if (w[i + 1] == "mg") {
    mg = number;
  } else if (w[i + 1] == "mg/kg") {
    mg = (MilligramsPerKilogram(number) * weight).value();
  } else {
    return false;
  }
  i += 2;
  return mg > 0 && mg <= kMaxMilligrams;
}

// Optional trailing "at <number> min".
bool ReadStart(const std::vector<std::string>& w, size_t& i, double& start) {
  start = 0;
  if (i == w.size()) return true;
  if (w[i] != "at") return false;
  ++i;
  return ReadMinutes(w, i, start) && i == w.size();
}

Error Malformed(const std::string& field, std::string_view text, const char* form) {
  return InvalidInput(field, fmt::format("\"{}\" is not of the form \"{}\"", text, form));
}

}  // namespace

Status DosingPlan::Validate() const {
  auto time_ok = [](Minutes t) { return t.value() >= 0 && t.value() <= kMaxMinutes; };
  for (const auto& b : boluses) {
    if (!time_ok(b.at) || !(b.amount.value() > 0) || b.amount.value() > kMaxMilligrams) {
      return InvalidInput("bolus", "time must be 0-10080 min and amount 0-10000 mg");
    }
  }
  for (const auto& f : infusions) {
    if (!time_ok(f.start) || !(f.duration.value() > 0) || f.duration.value() > kMaxMinutes ||
        !(f.amount.value() > 0) || f.amount.value() > kMaxMilligrams) {
      return InvalidInput("infuse", "start must be 0-10080 min, duration > 0 and amount 0-10000 mg");
    }
  }
  for (const auto& p : pauses) {
    if (!time_ok(p.start) || !(p.duration.value() > 0) || p.duration.value() > kMaxMinutes) {
      return InvalidInput("pause", "start must be 0-10080 min and duration > 0");
    }
  }
  for (const auto& d : intranasal) {
    if (!time_ok(d.at) || d.devices < 1 || d.devices > 4) {
      return InvalidInput("intranasal", "time must be 0-10080 min and 1-4 devices per dose");
    }
  }
  return Status::Ok();
}

std::vector<RunningInterval> RunningIntervals(const Infusion& infusion, const std::vector<Pause>& pauses) {
  std::vector<Pause> sorted = pauses;
  std::sort(sorted.begin(), sorted.end(), [](const Pause& a, const Pause& b) { return a.start < b.start; });
  std::vector<RunningInterval> intervals;
  double t = infusion.start.value();
  double remaining = infusion.duration.value();
  for (const Pause& pause : sorted) {
    if (remaining <= 0) break;
    const double p0 = pause.start.value();
    const double p1 = p0 + pause.duration.value();
    if (p1 <= t) continue;  // over before we are
    if (p0 <= t) {          // we are inside the pause: wait for its end
      t = p1;
      continue;
    }
    const double run = std::min(remaining, p0 - t);
    intervals.push_back({Minutes(t), Minutes(t + run)});
    remaining -= run;
    t = p1;
  }
  if (remaining > 0) intervals.push_back({Minutes(t), Minutes(t + remaining)});
  return intervals;
}

Result<Infusion> ParseInfusionText(std::string_view text, Kilograms weight, const std::string& field) {
  const auto w = Words(text);
  size_t i = 0;
  double mg = 0, duration = 0, start = 0;
  constexpr const char* kForm = "<dose> mg|mg/kg over <minutes> min [at <minutes> min]";
  if (!ReadAmount(w, i, weight, mg) || i >= w.size() || w[i++] != "over" || !ReadMinutes(w, i, duration) ||
      duration <= 0 || !ReadStart(w, i, start)) {
    return Malformed(field, text, kForm);
  }
  return Infusion{Minutes(start), Milligrams(mg), Minutes(duration)};
}

Result<Bolus> ParseBolusText(std::string_view text, Kilograms weight, const std::string& field) {
  const auto w = Words(text);
  size_t i = 0;
  double mg = 0, start = 0;
  if (!ReadAmount(w, i, weight, mg) || !ReadStart(w, i, start)) {
    return Malformed(field, text, "<dose> mg|mg/kg [at <minutes> min]");
  }
  return Bolus{Minutes(start), Milligrams(mg)};
}

Result<Pause> ParsePauseText(std::string_view text, const std::string& field) {
  const auto w = Words(text);
  size_t i = 0;
  double duration = 0, start = 0;
  if (!ReadMinutes(w, i, duration) || duration <= 0 || i == w.size() || !ReadStart(w, i, start)) {
    return Malformed(field, text, "<minutes> min at <minutes> min");
  }
  return Pause{Minutes(start), Minutes(duration)};
}

Result<IntranasalDose> ParseIntranasalText(std::string_view text, Milligrams per_device, const std::string& field) {
  const auto w = Words(text);
  size_t i = 0;
  double number = 0, start = 0;
  constexpr const char* kForm = "<mg> mg|<n> devices [at <minutes> min]";
  if (w.size() < 2 || !ParseNumber(w[0], number) || number <= 0) return Malformed(field, text, kForm);
  int devices = 0;
  if (w[1] == "mg") {
    const double count = number / per_device.value();
    if (std::fabs(count - std::round(count)) > 1e-9) {
      return InvalidInput(field, fmt::format("{:g} mg is not a whole number of {:g} mg devices", number,
                                             per_device.value()));
    }
    devices = static_cast<int>(std::round(count));
  } else if (w[1] == "devices" || w[1] == "device") {
    if (number != std::floor(number)) return Malformed(field, text, kForm);
    devices = static_cast<int>(number);
  } else {
    return Malformed(field, text, kForm);
  }
  i = 2;
  if (!ReadStart(w, i, start)) return Malformed(field, text, kForm);
  if (devices < 1 || devices > 4) return InvalidInput(field, "a dose is 1 to 4 devices");
  return IntranasalDose{Minutes(start), devices};
}

Result<std::vector<Minutes>> ParseTimesText(std::string_view text, const std::string& field) {
  std::vector<Minutes> times;
  const std::string s(text);
  constexpr size_t kMaxPoints = 100000;
  if (std::count(s.begin(), s.end(), ':') == 2) {
    const size_t a = s.find(':'), b = s.find(':', a + 1);
    double first = 0, last = 0, step = 0;
    if (!ParseNumber(s.substr(0, a), first) || !ParseNumber(s.substr(a + 1, b - a - 1), last) ||
        !ParseNumber(s.substr(b + 1), step) || step <= 0 || first < 0 || last < first || last > kMaxMinutes) {
      return InvalidInput(field, fmt::format("\"{}\" is not first:last:step in minutes (0 <= first <= last <= 10080, step > 0)", text));
    }
    const double count = std::floor((last - first) / step + 1e-9) + 1;
    if (count > kMaxPoints) return InvalidInput(field, "at most 100000 time points");
    for (size_t k = 0; k < static_cast<size_t>(count); ++k) times.push_back(Minutes(first + static_cast<double>(k) * step));
    return times;
  }
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    double t = 0;
    if (!ParseNumber(item, t) || t < 0 || t > kMaxMinutes) {
      return InvalidInput(field, fmt::format("\"{}\" is not a time in minutes (0-10080)", item));
    }
    if (!times.empty() && t <= times.back().value()) return InvalidInput(field, "times must increase");
    times.push_back(Minutes(t));
    if (times.size() > kMaxPoints) return InvalidInput(field, "at most 100000 time points");
  }
  if (times.empty()) return InvalidInput(field, "no times given");
  return times;
}

}  // namespace ketachart::pk
