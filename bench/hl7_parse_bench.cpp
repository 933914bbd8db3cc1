// hl7_parse_bench: HL7 v2 parser throughput against python3-hl7 (Debian's
// python3-hl7, `hl7.parse`) on the same messages, in the same run.
//
//   hl7_parse_bench [--corpus DIR] [--seconds S] [--rounds N] [--python PATH]
//
// Messages: every DIR/*.hl7 (default tests/hl7-corpus: Philips-, GE-,
// Mindray-, Nihon-Kohden-style and legacy-gateway PCD-01 ORU^R01), segment
// ends normalised to CR because python-hl7 splits segments on CR only. Both
// sides parse the same bytes (python gets them as str, decoded from the
// declared character set before timing starts).
//
// What is timed, each as messages per second over the message mix, best of N
// (default 5) rounds of about S seconds (default 1); the rounds of the four
// measurements are interleaved (python, ours, python, ours ...) so a change
// in the shared machine's load hits both sides alike:
//   python3-hl7   hl7.parse(message): builds the whole tree eagerly
//                 (segments, fields, repetitions, components, subcomponents).
//   KetaChart parse
//                 Message::Parse: segments and fields split, MSH-18 applied;
//                 components are read on demand.
//   KetaChart parse + walk
//                 Message::Parse, then every repetition, component and
//                 subcomponent of every field located (the work python-hl7
//                 does eagerly). This is the like-for-like ratio.
//   KetaChart PCD-01
//                 Message::Parse + ReadPcd01Report (MDC->LOINC/UCUM, device
//                 identity, timestamps, exact numbers): more work than python.
// The ratio printed is KetaChart / python3-hl7 for each.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "interop/hl7v2/hl7_message.h"
#include "interop/hl7v2/pcd01_report.h"

namespace {

using namespace ketachart::hl7v2;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string corpus = "tests/hl7-corpus";
  double seconds = 1.0;
  std::string python = "/usr/bin/python3";
  int rounds = 5;
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string NormaliseSegmentEnds(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i] == '\n' ? '\r' : text[i]);
  }
  while (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
}

volatile size_t g_sink = 0;

// Calls `visit` with each piece of `value` split on `separator`, in order.
template <typename Visit>
void ForEachPiece(std::string_view value, char separator, Visit visit) {
  if (separator == '\0') {
    visit(value);
    return;
  }
  size_t begin = 0;
  while (true) {
    const size_t end = value.find(separator, begin);
    visit(value.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    if (end == std::string_view::npos) return;
    begin = end + 1;
  }
}

size_t Walk(const Message& m) {
  size_t touched = 0;
  const Delimiters& d = m.delimiters();
  for (uint32_t s = 0; s < m.segment_count(); ++s) {
    const Segment segment = m.segment(s);
    for (uint32_t f = 1; f <= segment.field_count(); ++f) {
      const std::string_view field = segment.Field(f);
      if (s == 0 && f <= 2) {
        touched += field.size();
        continue;
      }
      ForEachPiece(field, d.repetition, [&](std::string_view repetition) {
        ForEachPiece(repetition, d.component, [&](std::string_view component) {
          ForEachPiece(component, d.subcomponent, [&](std::string_view sub) { touched += sub.size() + 1; });
        });
      });
    }
  }
  return touched;
}

// One timed round of `work` over the message mix: messages per second.
template <typename Work>
double MessagesPerSecond(const std::vector<std::string>& messages, double seconds, Work work) {
  size_t done = 0;
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  do {
    for (const std::string& message : messages) g_sink = g_sink + work(message);
    done += messages.size();
  } while (Clock::now() < until);
  return static_cast<double>(done) / std::chrono::duration<double>(Clock::now() - start).count();
}

// python3-hl7 in a child process that times one round of hl7.parse over the
// same messages each time it reads "round" on stdin, so its rounds can be
// interleaved with ours (the machine's load changes from second to second).
class PythonPeer {
 public:
  bool Start(const Options& options, const std::filesystem::path& listing) {
    std::string script = R"PY(
import hl7, sys, time
messages = []
for path, charset in (line.rstrip("\n").split("\t") for line in open(LISTING)):
    raw = open(path, "rb").read()
    messages.append(raw.decode("latin-1" if charset == "latin-1" else "utf-8"))
for m in messages:
    assert len(hl7.parse(m)) > 0
for command in sys.stdin:
    if command.strip() != "round":
        break
    done = 0
    start = time.perf_counter()
    while True:
        for m in messages:
            hl7.parse(m)
        done += len(messages)
        if time.perf_counter() - start >= SECONDS:
            break
    print("%.1f" % (done / (time.perf_counter() - start)), flush=True)
)PY";
    script.insert(0, fmt::format("LISTING = '{}'\nSECONDS = {}\n", listing.string(), options.seconds));
    const std::filesystem::path script_path = listing.parent_path() / "hl7_parse_bench.py";
    std::ofstream(script_path) << script;
    int to_child[2], from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) return false;
    pid_ = fork();
    if (pid_ < 0) return false;
    if (pid_ == 0) {
      dup2(to_child[0], 0);
      dup2(from_child[1], 1);
      close(to_child[1]);
      close(from_child[0]);
      execl(options.python.c_str(), options.python.c_str(), script_path.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    to_ = fdopen(to_child[1], "w");
    from_ = fdopen(from_child[0], "r");
    return to_ != nullptr && from_ != nullptr;
  }

  double Round() {
    if (to_ == nullptr || std::fputs("round\n", to_) < 0 || std::fflush(to_) != 0) return 0;
    char line[64] = {};
    if (std::fgets(line, sizeof line, from_) == nullptr) return 0;
    return std::atof(line);
  }

  ~PythonPeer() {
    if (to_ != nullptr) std::fclose(to_);
    if (from_ != nullptr) std::fclose(from_);
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
  }

 private:
  pid_t pid_ = -1;
  FILE* to_ = nullptr;
  FILE* from_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--corpus") {
      options.corpus = argv[i + 1];
    } else if (flag == "--seconds") {
      options.seconds = std::stod(argv[i + 1]);
    } else if (flag == "--rounds") {
      options.rounds = std::max(1, std::stoi(argv[i + 1]));
    } else if (flag == "--python") {
      options.python = argv[i + 1];
    } else {
      std::cerr << "hl7_parse_bench: unknown option " << flag << "\n";
      return 2;
    }
  }

  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(options.corpus)) {
    if (entry.path().extension() == ".hl7") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "hl7_parse_bench: no .hl7 files in " << options.corpus << "\n";
    return 1;
  }

  const std::filesystem::path work = std::filesystem::temp_directory_path() /
                                     fmt::format("ketachart-hl7-bench-{}", static_cast<long>(getpid()));
  std::filesystem::create_directories(work);
  std::vector<std::string> messages;
  size_t bytes = 0;
  {
    std::ofstream listing(work / "messages.tsv");
    for (const auto& file : files) {
      std::string text = NormaliseSegmentEnds(ReadFile(file));
      auto parsed = Message::Parse(text);
      if (!parsed.ok()) {
        std::cerr << "hl7_parse_bench: " << file << ": " << parsed.error().message << "\n";
        return 1;
      }
      const std::filesystem::path normalised = work / file.filename();
      std::ofstream(normalised, std::ios::binary) << text;
      listing << normalised.string() << '\t'
              << (parsed->character_set() == CharacterSet::kUtf8 || parsed->text() == text ? "utf-8" : "latin-1")
              << '\n';
      bytes += text.size();
      messages.push_back(std::move(text));
    }
  }

  const Pcd01Options pcd01;
  const auto parse_only = [](const std::string& m) {
    auto parsed = Message::Parse(m);
    return parsed.ok() ? size_t{parsed->segment_count()} : size_t{0};
  };
  const auto parse_and_walk = [](const std::string& m) {
    auto parsed = Message::Parse(m);
    return parsed.ok() ? Walk(*parsed) : size_t{0};
  };
  const auto read_report = [&](const std::string& m) {
    auto parsed = Message::Parse(m);
    if (!parsed.ok()) return size_t{0};
    auto read = ReadPcd01Report(*parsed, pcd01);
    return read.ok() ? read->observations.size() : size_t{0};
  };
  PythonPeer peer;
  const bool peer_started = peer.Start(options, work / "messages.tsv");
  double python = 0, parse = 0, walk = 0, report = 0;
  for (int round = 0; round < options.rounds; ++round) {
    if (peer_started) python = std::max(python, peer.Round());
    parse = std::max(parse, MessagesPerSecond(messages, options.seconds, parse_only));
    walk = std::max(walk, MessagesPerSecond(messages, options.seconds, parse_and_walk));
    report = std::max(report, MessagesPerSecond(messages, options.seconds, read_report));
  }
  std::filesystem::remove_all(work);

  fmt::print("HL7 v2 parse throughput: {} messages ({} bytes, mean {} bytes); best of {} interleaved rounds of {} s\n",
             messages.size(), bytes, bytes / messages.size(), options.rounds, options.seconds);
  fmt::print("{:<28} {:>14}  {:>8}\n", "", "messages/s", "ratio");
  if (python <= 0) {
    fmt::print("python3-hl7 (hl7.parse) did not run ({}); no ratio\n", options.python);
    fmt::print("{:<28} {:>14.0f}\n{:<28} {:>14.0f}\n{:<28} {:>14.0f}\n", "KetaChart parse", parse,
               "KetaChart parse + walk", walk, "KetaChart PCD-01 read", report);
    return 1;
  }
  fmt::print("{:<28} {:>14.0f}  {:>8}\n", "python3-hl7 hl7.parse", python, "1.0x");
  fmt::print("{:<28} {:>14.0f}  {:>7.1f}x\n", "KetaChart parse", parse, parse / python);
  fmt::print("{:<28} {:>14.0f}  {:>7.1f}x\n", "KetaChart parse + walk", walk, walk / python);
  fmt::print("{:<28} {:>14.0f}  {:>7.1f}x\n", "KetaChart PCD-01 read", report, report / python);
  return 0;
}
