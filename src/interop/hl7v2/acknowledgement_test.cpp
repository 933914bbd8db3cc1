// Tests of HL7 v2 acknowledgements: AA/AE/AR, the ERR segment, escaping, and
// that every ACK parses back with our own parser.
#include "interop/hl7v2/acknowledgement.h"

#include <gtest/gtest.h>

#include "interop/hl7v2/hl7_message.h"

namespace ketachart::hl7v2 {
namespace {

MessageHeader Received() {
  MessageHeader h;
  h.sending_application = "PIC_IX^00091BFFFE000101^EUI-64";
  h.sending_facility = "Philips";
  h.receiving_application = "KETACHART";
  h.receiving_facility = "CLINIC";
  h.message_type = "ORU";
  h.trigger_event = "R01";
  h.control_id = "PHX-000123";
  h.processing_id = "P";
  h.version = "2.6";
  return h;
}

AckContext Context() {
  AckContext c;
  c.now = *ParseTimestamp("2026-11-22T08:15:02.042Z");
  c.ack_control_id = "KC-1";
  return c;
}

TEST(Acknowledgement, AcceptEchoesTheControlIdAndSwapsSenderAndReceiver) {
  const std::string ack = BuildAcknowledgement(Received(), Context());
  EXPECT_EQ(ack,
            "MSH|^~\\&|KETACHART|CLINIC|PIC_IX^00091BFFFE000101^EUI-64|Philips|20261122081502.042+0000||"
            "ACK^R01^ACK|KC-1|P|2.6|||NE|NE||UNICODE UTF-8\r"
            "MSA|AA|PHX-000123\r");
  auto parsed = Message::Parse(ack);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->SegmentsWithId("MSA").at(0).Value(1), "AA");
  EXPECT_EQ(parsed->header().Value(5, 2), "00091BFFFE000101");
}

TEST(Acknowledgement, ApplicationErrorCarriesAnErrSegment) {
  const Error error = InvalidInput("OBX-5", "segment 7 (OBX): 'ninety' is not a number but OBX-2 says NM");
  const std::string ack = BuildAcknowledgement(Received(), Context(), &error);
  auto parsed = Message::Parse(ack);
  ASSERT_TRUE(parsed.ok());
  const Segment msa = parsed->SegmentsWithId("MSA").at(0);
  EXPECT_EQ(msa.Value(1), "AE");
  EXPECT_EQ(msa.Value(2), "PHX-000123");
  const Segment err = parsed->SegmentsWithId("ERR").at(0);
  EXPECT_EQ(err.Value(2, 1), "OBX");
  EXPECT_EQ(err.Value(2, 3), "5");
  EXPECT_EQ(err.Value(3, 1), "102");
  EXPECT_EQ(err.Value(3, 3), "HL70357");
  EXPECT_EQ(err.Value(4), "E");
  EXPECT_EQ(err.Text(8), "OBX-5: segment 7 (OBX): 'ninety' is not a number but OBX-2 says NM");
}

TEST(Acknowledgement, RejectionCodesFollowTable0357) {
  const auto classify = [](Error e) {
    const Rejection r = RejectionFor(e);
    return std::string(AckCodeText(r.ack)) + std::to_string(r.hl7_error_code);
  };
  EXPECT_EQ(classify(InvalidInput("MSH-9", "message type ADT^A01 is not accepted")), "AR200");
  EXPECT_EQ(classify(InvalidInput("MSH-11", "x")), "AR202");
  EXPECT_EQ(classify(InvalidInput("MSH-12", "x")), "AR203");
  EXPECT_EQ(classify(InvalidInput("MSH-2", "x")), "AR100");
  EXPECT_EQ(classify(InvalidInput("segment 3", "x")), "AR100");
  EXPECT_EQ(classify(InvalidInput("MSH-10", "required: the message control id is missing")), "AE101");
  EXPECT_EQ(classify(InvalidInput("OBX-18", "segment 2 (OBX): required: no device identity")), "AE101");
  EXPECT_EQ(classify(InvalidInput("OBX-14", "segment 2 (OBX): bad time")), "AE102");
  EXPECT_EQ(classify(Error{ErrorCode::kUnavailable, "database busy", {}}), "AR207");
  EXPECT_EQ(classify(Error{ErrorCode::kPayloadTooLarge, "too big", {}}), "AR207");
}

TEST(Acknowledgement, EscapesDelimitersInEchoedValuesAndErrorText) {
  MessageHeader h = Received();
  h.control_id = "A|B";
  h.sending_facility = "Ward&Co";
  const Error error = InvalidInput("MSH-9", "type X^Y|Z is not accepted");
  const std::string ack = BuildAcknowledgement(h, Context(), &error);
  auto parsed = Message::Parse(ack);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->SegmentsWithId("MSA").at(0).Text(2), "A|B");
  EXPECT_EQ(parsed->SegmentsWithId("MSA").at(0).Value(1), "AR");
  EXPECT_EQ(parsed->header().Text(6), "Ward&Co");
  EXPECT_EQ(parsed->SegmentsWithId("ERR").at(0).Text(8), "MSH-9: type X^Y|Z is not accepted");
}

TEST(Acknowledgement, PartialHeaderWhenTheMessageCouldNotBeParsed) {
  const Error error = InvalidInput("MSH-2", "the encoding characters are missing");
  const std::string ack = BuildAcknowledgement(MessageHeader{}, Context(), &error);
  auto parsed = Message::Parse(ack);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->header().Value(9, 2), "R01");
  EXPECT_EQ(parsed->header().Value(12), "2.6");
  EXPECT_EQ(parsed->SegmentsWithId("MSA").at(0).Value(1), "AR");
  EXPECT_EQ(parsed->SegmentsWithId("MSA").at(0).Value(2), "");
}

}  // namespace
}  // namespace ketachart::hl7v2
