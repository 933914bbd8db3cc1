// measure_scoring_bench: responses scored per second on one core by the
// compiled instrument engine (clinical/instruments/instrument_scoring.h)
// against a named peer measured in the same run: a straightforward scorer
// that reads the same data files with nlohmann-json at scoring time (looks
// items up by linkId, walks the JSON terms, bands, cut-offs and alert rules
// for every response), the way one would write it without a compile step.
//
//   measure_scoring_bench [--responses N] [--rounds R] [--seed S]
//
// The workload is N (default 200,000) random valid responses, a mix of
// PHQ-9, GAD-7, PCL-5 and QIDS-SR16 (sum and max-of-group scoring, range
// bands, cut-offs, item alerts), generated before timing. Each scorer makes
// R (default 5) passes over all of them; both must agree on every total,
// band, cut-off set and alert set, or the bench fails. Prints the best pass
// of each and the ratio. Single-threaded; pin it with taskset for one core.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "clinical/instruments/instrument_catalog.h"
#include "clinical/instruments/instrument_scoring.h"

namespace {

using ketachart::CompiledInstrument;
using ketachart::Json;

struct Response {
  const CompiledInstrument* instrument;
  std::vector<int16_t> answers;
};

struct Summary {
  int total = 0;
  int band = -1;
  uint32_t cutoffs = 0;
  uint32_t alerts = 0;
  bool ok = true;
};

// The peer: everything from the JSON definition, per response.
Summary NaiveJsonScore(const Json& definition, const std::vector<int16_t>& answers) {
  Summary s;
  const Json& items = definition["item"];
  const Json& k = definition["ketachart"];
  auto value_of = [&](const std::string& link_id, int& value) {
    int position = 0;
    for (const Json& item : items) {
      if (item["type"] == "display") continue;
      if (item["linkId"] == link_id) {
        value = answers[position];
        int lo = 1 << 30, hi = -(1 << 30);
        for (const Json& option : item["answerOption"]) {
          const int ordinal = static_cast<int>(option["extension"][0]["valueDecimal"].get<double>());
          lo = std::min(lo, ordinal);
          hi = std::max(hi, ordinal);
        }
        return value >= lo && value <= hi;
      }
      ++position;
    }
    return false;
  };
  int total = 0;
  for (const Json& term : k["scoring"]["total"]["terms"]) {
    const bool is_sum = term.contains("sum");
    int part = is_sum ? 0 : -(1 << 30);
    for (const Json& ref : is_sum ? term["sum"] : term["max"]) {
      int v = 0;
      if (!value_of(ref.get<std::string>(), v)) {
        s.ok = false;
        return s;
      }
      part = is_sum ? part + v : std::max(part, v);
    }
    total += part;
  }
  s.total = total;
  int index = 0;
  for (const Json& band : k["bands"]) {
    if (total >= band["min"].get<int>() && total <= band["max"].get<int>()) {
      s.band = index;
      break;
    }
    ++index;
  }
  index = 0;
  for (const Json& cutoff : k["cutoffs"]) {
    if (total >= cutoff["at_least"].get<int>()) s.cutoffs |= 1u << index;
    ++index;
  }
  index = 0;
  for (const Json& alert : k["alerts"]) {
    for (const Json& cond : alert["when"]["any"]) {
      int v = 0;
      value_of(cond["item"].get<std::string>(), v);
      if (v >= cond["at_least"].get<int>()) s.alerts |= 1u << index;
    }
    ++index;
  }
  return s;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  size_t count = 200'000;
  int rounds = 5;
  unsigned seed = 20260310;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--responses")) count = std::strtoul(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--rounds")) rounds = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seed")) seed = static_cast<unsigned>(std::strtoul(argv[i + 1], nullptr, 10));
  }
  const auto& catalog = ketachart::InstrumentCatalog::Builtin();
  std::vector<const CompiledInstrument*> mix;
  for (const char* key : {"phq9", "gad7", "pcl5", "qids_sr16"}) mix.push_back(catalog.Find(key));

  std::mt19937 random(seed);
  std::vector<Response> responses(count);
  for (size_t i = 0; i < count; ++i) {
    const CompiledInstrument* instrument = mix[i % mix.size()];
    responses[i].instrument = instrument;
    for (int item = 0; item < instrument->item_count; ++item) {
      std::uniform_int_distribution<int> value(instrument->items[item].min, instrument->items[item].max);
      responses[i].answers.push_back(static_cast<int16_t>(value(random)));
    }
  }

  // Agreement first: the two scorers must give the same result on every response.
  std::vector<Summary> expected(count);
  for (size_t i = 0; i < count; ++i) {
    ketachart::ScoreOutcome outcome;
    ketachart::ScoreResponse(*responses[i].instrument, responses[i].answers, outcome);
    const Summary naive = NaiveJsonScore(responses[i].instrument->definition, responses[i].answers);
    if (!outcome.ok() || !naive.ok || naive.total != outcome.total || naive.band != outcome.band ||
        naive.cutoffs != outcome.cutoffs_met || naive.alerts != outcome.alerts_raised) {
      std::fprintf(stderr, "measure_scoring_bench: scorers disagree on response %zu (%s)\n", i,
                   responses[i].instrument->key.c_str());
      return 1;
    }
  }

  double best_engine = 1e30, best_naive = 1e30;
  long long checksum = 0;
  for (int round = 0; round < rounds; ++round) {
    auto start = std::chrono::steady_clock::now();
    ketachart::ScoreOutcome outcome;
    for (const Response& r : responses) {
      ketachart::ScoreResponse(*r.instrument, r.answers, outcome);
      checksum += outcome.total + outcome.band + static_cast<long long>(outcome.alerts_raised);
    }
    best_engine = std::min(best_engine, Seconds(start));
    start = std::chrono::steady_clock::now();
    for (const Response& r : responses) {
      const Summary s = NaiveJsonScore(r.instrument->definition, r.answers);
      checksum -= s.total + s.band + static_cast<long long>(s.alerts);
    }
    best_naive = std::min(best_naive, Seconds(start));
  }
  if (checksum != 0) {
    std::fprintf(stderr, "measure_scoring_bench: checksum mismatch\n");
    return 1;
  }
  const double engine_rate = count / best_engine;
  const double naive_rate = count / best_naive;
  std::printf("responses: %zu (PHQ-9, GAD-7, PCL-5, QIDS-SR16 mix), rounds: %d, best pass of each\n", count, rounds);
  std::printf("compiled engine (ScoreResponse):     %12.0f responses/s  (%.1f ns each)\n", engine_rate,
              1e9 * best_engine / count);
  std::printf("peer: JSON-driven scorer (nlohmann): %12.0f responses/s  (%.1f ns each)\n", naive_rate,
              1e9 * best_naive / count);
  std::printf("ratio engine/peer: %.1fx; target >= 1,000,000 responses/s: %s\n", engine_rate / naive_rate,
              engine_rate >= 1e6 ? "met" : "NOT met");
  return 0;
}
