// HL7 v2 acknowledgements (see acknowledgement.h).
#include "interop/hl7v2/acknowledgement.h"

#include <fmt/format.h>

#include "interop/hl7v2/hl7_text.h"
#include "interop/hl7v2/hl7_timestamp.h"

namespace ketachart::hl7v2 {
namespace {

const Delimiters kAckDelimiters{};  // |^~\&

// A value that may hold components joined by '^' (MSH-3 etc. as read by
// ReadMessageHeader): each component escaped, the '^' kept.
std::string EscapeComponents(std::string_view value) {
  std::string out;
  size_t begin = 0;
  while (true) {
    const size_t caret = value.find('^', begin);
    out += EncodeEscapes(value.substr(begin, caret == std::string_view::npos ? std::string_view::npos : caret - begin),
                         kAckDelimiters);
    if (caret == std::string_view::npos) break;
    out.push_back('^');
    begin = caret + 1;
  }
  return out;
}

std::string Escape(std::string_view value) { return EncodeEscapes(value, kAckDelimiters); }

bool IsStructuralField(std::string_view field) {
  return field == "MSH" || field == "MSH-1" || field == "MSH-2" || field.rfind("segment ", 0) == 0;
}

// ERR-2 (ERL): "OBX-5" -> "OBX^^5"; empty when the field is not SEG-n.
std::string ErrorLocation(std::string_view field) {
  const size_t dash = field.find('-');
  if (field.size() < 5 || dash != 3) return {};
  const std::string_view number = field.substr(4);
  for (char c : number) {
    if (c < '0' || c > '9') return {};
  }
  return fmt::format("{}^^{}", field.substr(0, 3), number);
}

}  // namespace

std::string_view AckCodeText(AckCode code) {
  switch (code) {
    case AckCode::kAccept: return "AA";
    case AckCode::kError: return "AE";
    case AckCode::kReject: return "AR";
  }
  return "AR";
}

Rejection RejectionFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kUnavailable:
    case ErrorCode::kInternal:
    case ErrorCode::kSerializationFailure:
    case ErrorCode::kPayloadTooLarge:
    case ErrorCode::kTooManyRequests:
      return {AckCode::kReject, 207, "Application internal error"};
    default:
      break;
  }
  if (error.field == "MSH-9") return {AckCode::kReject, 200, "Unsupported message type"};
  if (error.field == "MSH-11") return {AckCode::kReject, 202, "Unsupported processing id"};
  if (error.field == "MSH-12") return {AckCode::kReject, 203, "Unsupported version id"};
  if (IsStructuralField(error.field)) return {AckCode::kReject, 100, "Segment sequence error"};
  if (error.message.rfind("required", 0) == 0 || error.message.find("): required") != std::string::npos) {
    return {AckCode::kError, 101, "Required field missing"};
  }
  return {AckCode::kError, 102, "Data type error"};
}

std::string BuildAcknowledgement(const MessageHeader& received, const AckContext& context, const Error* error) {
  const std::string trigger = received.trigger_event.empty() ? "R01" : received.trigger_event;
  const std::string version = received.version.empty() ? "2.6" : received.version;
  const std::string processing = received.processing_id.empty() ? "P" : received.processing_id;
  std::string ack = fmt::format("MSH|^~\\&|{}|{}|{}|{}|{}||ACK^{}^ACK|{}|{}|{}|||NE|NE||UNICODE UTF-8\r",
                                Escape(context.receiving_application), EscapeComponents(received.receiving_facility),
                                EscapeComponents(received.sending_application),
                                EscapeComponents(received.sending_facility), FormatHl7Timestamp(context.now),
                                Escape(trigger), Escape(context.ack_control_id), Escape(processing), Escape(version));
  if (error == nullptr) {
    ack += fmt::format("MSA|AA|{}\r", Escape(received.control_id));
    return ack;
  }
  const Rejection rejection = RejectionFor(*error);
  ack += fmt::format("MSA|{}|{}\r", AckCodeText(rejection.ack), Escape(received.control_id));
  // ERR-2 location, ERR-3 HL7 error code (CWE, table 0357), ERR-4 severity,
  // ERR-8 user message.
  const std::string text = error->field.empty() ? error->message : fmt::format("{}: {}", error->field, error->message);
  ack += fmt::format("ERR||{}|{}^{}^HL70357|E||||{}\r", ErrorLocation(error->field), rejection.hl7_error_code,
                     rejection.error_text, Escape(RepairUtf8(text.substr(0, 400))));
  return ack;
}

}  // namespace ketachart::hl7v2
