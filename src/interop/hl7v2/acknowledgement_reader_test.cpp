// Tests of the ACK reader against the ACKs KetaChart itself builds
// (acknowledgement.h), an older-style ACK with only MSA-3, and non-ACKs.
#include "interop/hl7v2/acknowledgement_reader.h"

#include <gtest/gtest.h>

#include "interop/hl7v2/acknowledgement.h"

namespace ketachart::hl7v2 {
namespace {

MessageHeader Received() {
  MessageHeader h;
  h.sending_application = "KETACHART_SIM^024B43A1B2C30001^EUI-64";
  h.message_type = "ORU";
  h.trigger_event = "R01";
  h.control_id = "SIM1-X-1";
  return h;
}

AckContext Context() {
  AckContext c;
  c.now = *ParseTimestamp("2026-11-22T08:15:02.042Z");
  c.ack_control_id = "KC-1";
  return c;
}

TEST(SimAcknowledgementReader, ReadsKetachartsOwnAcks) {
  auto accepted = ReadAcknowledgement(BuildAcknowledgement(Received(), Context()));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_EQ(accepted->code, "AA");
  EXPECT_TRUE(accepted->accepted());
  EXPECT_EQ(accepted->control_id, "SIM1-X-1");
  EXPECT_EQ(accepted->reason, "");

  const Error bad = InvalidInput("OBX-5", "segment 7 (OBX): 'ninety' is not a number but OBX-2 says NM");
  auto rejected = ReadAcknowledgement(BuildAcknowledgement(Received(), Context(), &bad));
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->code, "AE");
  EXPECT_FALSE(rejected->accepted());
  EXPECT_EQ(rejected->reason, "OBX-5: segment 7 (OBX): 'ninety' is not a number but OBX-2 says NM");

  const Error busy{ErrorCode::kUnavailable, "the message could not be stored now; resend it", {}};
  auto retry = ReadAcknowledgement(BuildAcknowledgement(Received(), Context(), &busy));
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->code, "AR");
}

TEST(SimAcknowledgementReader, OlderAcksAndNonAcks) {
  auto old = ReadAcknowledgement("MSH|^~\\&|GW|F|||20261122||ACK|9|P|2.3\rMSA|AE|C7|Bad value\r");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->reason, "Bad value");
  auto none = ReadAcknowledgement("MSH|^~\\&|GW|F|||20261122||ACK|9|P|2.3\r");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().field, "MSA");
  EXPECT_FALSE(ReadAcknowledgement("hello").ok());
  auto empty_code = ReadAcknowledgement("MSH|^~\\&|GW|F|||20261122||ACK|9|P|2.3\rMSA||C7\r");
  ASSERT_FALSE(empty_code.ok());
  EXPECT_EQ(empty_code.error().field, "MSA-1");
}

}  // namespace
}  // namespace ketachart::hl7v2
