// HL7 v2 acknowledgement reader (see acknowledgement_reader.h).
#include "interop/hl7v2/acknowledgement_reader.h"

#include "interop/hl7v2/hl7_message.h"

namespace ketachart::hl7v2 {

Result<AcknowledgementReply> ReadAcknowledgement(std::string text) {
  KC_ASSIGN_OR_RETURN(const Message message, Message::Parse(std::move(text)));
  const std::vector<Segment> msa = message.SegmentsWithId("MSA");
  if (msa.empty()) return InvalidInput("MSA", "the reply has no MSA segment: it is not an acknowledgement");
  AcknowledgementReply reply;
  reply.code = msa[0].Text(1);
  reply.control_id = msa[0].Text(2);
  if (reply.code.empty()) return InvalidInput("MSA-1", "required: the acknowledgement code is missing");
  const std::vector<Segment> err = message.SegmentsWithId("ERR");
  if (!err.empty()) {
    reply.reason = err[0].Text(8);
    if (reply.reason.empty()) reply.reason = err[0].Text(3, 2);
  }
  if (reply.reason.empty()) reply.reason = msa[0].Text(3);
  return reply;
}

}  // namespace ketachart::hl7v2
