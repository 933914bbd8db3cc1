// Tests of MLLP framing: chunking, several frames per read, noise between
// frames, a missing trailing CR, and the size cap.
#include "interop/hl7v2/mllp_framing.h"

#include <gtest/gtest.h>

#include <vector>

namespace ketachart::hl7v2 {
namespace {

std::vector<MllpFrame> Drain(MllpFrameReader& reader) {
  std::vector<MllpFrame> frames;
  while (auto frame = reader.Next()) frames.push_back(std::move(*frame));
  return frames;
}

TEST(MllpFraming, FramesAndUnframesOneMessage) {
  const std::string framed = FrameMllp("MSH|^~\\&|A\rPID|1");
  EXPECT_EQ(framed, std::string("\x0bMSH|^~\\&|A\rPID|1\x1c\r"));
  MllpFrameReader reader(1024);
  reader.Append(framed);
  const auto frames = Drain(reader);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].message, "MSH|^~\\&|A\rPID|1");
  EXPECT_FALSE(frames[0].oversized);
  EXPECT_FALSE(reader.InFrame());
}

TEST(MllpFraming, ReassemblesByteByByteAndSplitsSeveralPerRead) {
  const std::string stream = FrameMllp("first") + "\r\n" + FrameMllp("second") + FrameMllp("third");
  MllpFrameReader byte_by_byte(1024);
  std::vector<std::string> messages;
  for (char c : stream) {
    byte_by_byte.Append(std::string_view(&c, 1));
    for (const auto& frame : Drain(byte_by_byte)) messages.push_back(frame.message);
  }
  EXPECT_EQ(messages, (std::vector<std::string>{"first", "second", "third"}));

  MllpFrameReader at_once(1024);
  at_once.Append(stream);
  const auto frames = Drain(at_once);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[2].message, "third");
}

TEST(MllpFraming, SkipsNoiseAndToleratesAMissingCarriageReturn) {
  MllpFrameReader reader(1024);
  reader.Append(std::string("junk\r\n\x0b" "a\x1c" "\x0b" "b\x1c\r", 13));
  const auto frames = Drain(reader);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].message, "a");
  EXPECT_EQ(frames[1].message, "b");
}

TEST(MllpFraming, PartialFrameWaitsForMore) {
  MllpFrameReader reader(1024);
  reader.Append("\x0bMSH|^~\\&|A");
  EXPECT_FALSE(reader.Next().has_value());
  EXPECT_TRUE(reader.InFrame());
  reader.Append("\rPID|1\x1c\r");
  auto frame = reader.Next();
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->message, "MSH|^~\\&|A\rPID|1");
}

TEST(MllpFraming, OversizedFramesAreReportedDiscardedAndTheNextOneIsRead) {
  MllpFrameReader reader(10);
  reader.Append("\x0b" + std::string(6, 'x'));
  EXPECT_FALSE(reader.Next().has_value());
  reader.Append(std::string(20, 'y'));
  EXPECT_FALSE(reader.Next().has_value());
  reader.Append(std::string(4, 'z') + "\x1c\r" + FrameMllp("ok"));
  auto big = reader.Next();
  ASSERT_TRUE(big.has_value());
  EXPECT_TRUE(big->oversized);
  EXPECT_EQ(big->message, "");
  EXPECT_EQ(big->size_bytes, 30u);
  auto next = reader.Next();
  ASSERT_TRUE(next.has_value());
  EXPECT_FALSE(next->oversized);
  EXPECT_EQ(next->message, "ok");

  MllpFrameReader exact(2);
  exact.Append(FrameMllp("ab") + FrameMllp("abc"));
  EXPECT_FALSE(exact.Next()->oversized);
  EXPECT_TRUE(exact.Next()->oversized);
}

}  // namespace
}  // namespace ketachart::hl7v2
