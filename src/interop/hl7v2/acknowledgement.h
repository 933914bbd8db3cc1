// HL7 v2 original-mode acknowledgements (ACK) for messages from monitors:
// MSA-1 AA when the message was stored, AE (application error: its content
// broke a rule) or AR (application reject: message type/version not accepted,
// or KetaChart could not store it now; the sender should resend) with an ERR
// segment naming the HL7 table 0357 error code, the location and the reason.
// This is the one place KetaChart's Error values are translated to HL7.
// Pure: the time and the ACK's own control id are passed in.
#pragma once

#include <string>

#include "base/clock.h"
#include "base/error.h"
#include "interop/hl7v2/pcd01_report.h"

namespace ketachart::hl7v2 {

enum class AckCode { kAccept, kError, kReject };  // AA, AE, AR
std::string_view AckCodeText(AckCode code);

struct Rejection {
  AckCode ack = AckCode::kError;
  int hl7_error_code = 207;      // HL7 table 0357
  std::string_view error_text;   // its name in table 0357
};

// Error from parsing/reading/storing -> AE or AR and the table 0357 code:
// MSH-9 -> AR 200 "Unsupported message type"; MSH-11 -> AR 202; MSH-12 ->
// AR 203; an unreadable message (MSH, MSH-1, MSH-2, "segment N") -> AR 100
// "Segment sequence error"; a missing required field (message starts with
// "required") -> AE 101; any other field rule -> AE 102 "Data type error";
// kUnavailable and kInternal -> AR 207 "Application internal error" (resend);
// kPayloadTooLarge -> AR 207.
Rejection RejectionFor(const Error& error);

struct AckContext {
  TimePoint now;
  std::string ack_control_id;         // MSH-10 of the ACK
  std::string receiving_application = "KETACHART";
};

// The ACK for `received` (header may be partial when parsing failed: the
// fields it lacks are left empty). `error` absent: AA. Segments end in CR.
std::string BuildAcknowledgement(const MessageHeader& received, const AckContext& context,
                                 const Error* error = nullptr);

}  // namespace ketachart::hl7v2
