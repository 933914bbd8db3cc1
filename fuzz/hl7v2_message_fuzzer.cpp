// libFuzzer target for the HL7 v2 parser, the PCD-01 reader and the ACK
// builder. Besides "no crash, no sanitizer report" it checks properties that
// must hold for every input: every decoded value is valid UTF-8, and the ACK
// built for the input (accepted or rejected) parses with our own parser,
// echoes the control id and is valid UTF-8. The same bytes, read as an MLLP
// stream in two chunks, never yield a frame over the cap or one holding 0x1C.
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "interop/hl7v2/acknowledgement.h"
#include "interop/hl7v2/hl7_message.h"
#include "interop/hl7v2/hl7_text.h"
#include "interop/hl7v2/mllp_framing.h"
#include "interop/hl7v2/pcd01_report.h"

namespace {

using namespace ketachart;
using namespace ketachart::hl7v2;

void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

void CheckAcknowledgement(const MessageHeader& header, const Error* error) {
  AckContext context;
  context.now = TimePoint(std::chrono::milliseconds(1795000000000));
  context.ack_control_id = "FUZZ-1";
  const std::string ack = BuildAcknowledgement(header, context, error);
  Require(IsValidUtf8(ack), "ACK is valid UTF-8");
  auto parsed = Message::Parse(ack);
  Require(parsed.ok(), "ACK parses");
  const std::vector<Segment> msa = parsed->SegmentsWithId("MSA");
  Require(msa.size() == 1, "ACK has one MSA");
  const std::string expected_code(AckCodeText(error == nullptr ? AckCode::kAccept : RejectionFor(*error).ack));
  Require(msa[0].Text(1) == expected_code, "MSA-1 is the acknowledgement code");
  if (header.control_id.find_first_of("\r\n") == std::string::npos) {
    Require(msa[0].Text(2) == header.control_id, "MSA-2 echoes MSH-10");
  }
  Require((error != nullptr) == !parsed->SegmentsWithId("ERR").empty(), "ERR present exactly on rejection");
}

}  // namespace

void CheckFraming(std::string_view bytes) {
  constexpr size_t kCap = 64;
  MllpFrameReader reader(kCap);
  reader.Append(bytes.substr(0, bytes.size() / 2));
  reader.Append(bytes.substr(bytes.size() / 2));
  while (auto frame = reader.Next()) {
    Require(frame->oversized || frame->message.size() <= kCap, "frames within the cap");
    Require(frame->oversized == (frame->size_bytes > kCap), "oversized exactly above the cap");
    Require(frame->message.find(kMllpEnd) == std::string::npos, "no end byte inside a frame");
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckFraming(std::string_view(reinterpret_cast<const char*>(data), size));
  auto parsed = Message::Parse(std::string(reinterpret_cast<const char*>(data), size));
  if (!parsed.ok()) {
    CheckAcknowledgement(MessageHeader{}, &parsed.error());
    return 0;
  }
  const Message& message = *parsed;
  Require(IsValidUtf8(message.text()), "message text is UTF-8");
  for (uint32_t s = 0; s < message.segment_count(); ++s) {
    const Segment segment = message.segment(s);
    for (uint32_t f = 1; f <= segment.field_count() && f <= 40; ++f) {
      const uint32_t repetitions = segment.RepetitionCount(f);
      for (uint32_t r = 0; r < repetitions && r < 4; ++r) {
        for (uint32_t c = 1; c <= 4; ++c) {
          for (uint32_t sc = 1; sc <= 2; ++sc) {
            Require(IsValidUtf8(segment.Text(f, c, sc, r)), "decoded value is UTF-8");
          }
        }
      }
    }
  }
  Pcd01Options options;
  options.assumed_utc_offset = std::chrono::minutes(-300);
  auto report = ReadPcd01Report(message, options);
  if (report.ok()) {
    for (const MonitorObservation& o : report->observations) {
      Require(!o.device_id.empty(), "every observation has a device");
      Require(!o.value.has_value() || o.state == ObservationState::kMeasured, "values only for measurements");
      Require(o.loinc.empty() || o.vital_sign != nullptr, "LOINC only for mapped vital signs");
    }
    CheckAcknowledgement(report->header, nullptr);
  } else {
    auto header = ReadMessageHeader(message);
    CheckAcknowledgement(header.ok() ? *header : MessageHeader{}, &report.error());
  }
  return 0;
}
