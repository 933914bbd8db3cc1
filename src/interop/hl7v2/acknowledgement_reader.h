// Reads an HL7 v2 acknowledgement (ACK) as a sender receives it: MSA-1 (AA,
// AE, AR, or the enhanced-mode CA/CE/CR), MSA-2 (the control id it answers)
// and the reason from the first ERR segment (ERR-8, else ERR-3's text, else
// MSA-3). The sending side of acknowledgement.h, used by
// `ketachart monitor-sim`. Pure.
#pragma once

#include <string>

#include "base/result.h"

namespace ketachart::hl7v2 {

struct AcknowledgementReply {
  std::string code;        // MSA-1 "AA"
  std::string control_id;  // MSA-2
  std::string reason;      // empty for AA
  // AA or CA: the message was accepted (stored, for KetaChart).
  bool accepted() const { return code == "AA" || code == "CA"; }
};

// kInvalidInput naming "MSA" when the reply has no MSA segment or no MSA-1,
// or the parser's error when it is not an HL7 message.
Result<AcknowledgementReply> ReadAcknowledgement(std::string text);

}  // namespace ketachart::hl7v2
