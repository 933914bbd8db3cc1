// Tests of HL7 v2 escape sequences and character-set conversion.
#include "interop/hl7v2/hl7_text.h"

#include <gtest/gtest.h>

namespace ketachart::hl7v2 {
namespace {

const Delimiters kStandard{};

TEST(Hl7Escapes, DecodesTheDelimiterEscapes) {
  EXPECT_EQ(DecodeEscapes("a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f", kStandard, CharacterSet::kAscii), "a|b^c&d~e\\f");
  EXPECT_EQ(DecodeEscapes("no escapes here", kStandard, CharacterSet::kAscii), "no escapes here");
  EXPECT_EQ(DecodeEscapes("", kStandard, CharacterSet::kAscii), "");
}

TEST(Hl7Escapes, DecodesHexInTheMessageCharacterSet) {
  EXPECT_EQ(DecodeEscapes("\\X41\\", kStandard, CharacterSet::kAscii), "A");
  EXPECT_EQ(DecodeEscapes("M\\XFC\\ller", kStandard, CharacterSet::kLatin1), "M\xC3\xBCller");
  EXPECT_EQ(DecodeEscapes("M\\XC3BC\\ller", kStandard, CharacterSet::kUtf8), "M\xC3\xBCller");
  EXPECT_EQ(DecodeEscapes("\\XFF\\", kStandard, CharacterSet::kUtf8), "\xEF\xBF\xBD");  // U+FFFD
  // Odd digit count or non-hex: kept literally.
  EXPECT_EQ(DecodeEscapes("\\X4\\", kStandard, CharacterSet::kAscii), "\\X4\\");
  EXPECT_EQ(DecodeEscapes("\\XZZ\\", kStandard, CharacterSet::kAscii), "\\XZZ\\");
}

TEST(Hl7Escapes, FormattingHighlightingAndCharsetSwitches) {
  EXPECT_EQ(DecodeEscapes("line1\\.br\\line2", kStandard, CharacterSet::kAscii), "line1\nline2");
  EXPECT_EQ(DecodeEscapes("\\H\\alarm\\N\\ text", kStandard, CharacterSet::kAscii), "alarm text");
  EXPECT_EQ(DecodeEscapes("a\\.sp2\\b", kStandard, CharacterSet::kAscii), "ab");
  EXPECT_EQ(DecodeEscapes("a\\C2842\\b\\M2442\\c", kStandard, CharacterSet::kAscii), "abc");
  EXPECT_EQ(DecodeEscapes("a\\Zvendor\\b", kStandard, CharacterSet::kAscii), "ab");
}

TEST(Hl7Escapes, KeepsUnknownAndUnterminatedSequences) {
  EXPECT_EQ(DecodeEscapes("a\\Q\\b", kStandard, CharacterSet::kAscii), "a\\Q\\b");
  EXPECT_EQ(DecodeEscapes("C:\\temp", kStandard, CharacterSet::kAscii), "C:\\temp");
  EXPECT_EQ(DecodeEscapes("a\\\\b", kStandard, CharacterSet::kAscii), "a\\\\b");
}

TEST(Hl7Escapes, UsesTheMessageDelimiters) {
  const Delimiters custom{'#', '$', '*', '@', '%'};
  EXPECT_EQ(DecodeEscapes("a@F@b@S@c@T@d@R@e@E@", custom, CharacterSet::kAscii), "a#b$c%d*e@");
  EXPECT_EQ(EncodeEscapes("a#b$c%d*e@", custom), "a@F@b@S@c@T@d@R@e@E@");
}

TEST(Hl7Escapes, EncodeThenDecodeIsIdentity) {
  const std::string text = "BP 140/90 | cuff ^ left & right ~ \\ done\nnext line";
  EXPECT_EQ(DecodeEscapes(EncodeEscapes(text, kStandard), kStandard, CharacterSet::kUtf8), text);
  EXPECT_EQ(EncodeEscapes("a|b", kStandard), "a\\F\\b");
}

TEST(Hl7CharacterSets, Msh18Names) {
  EXPECT_EQ(CharacterSetFromMsh18(""), CharacterSet::kAscii);
  EXPECT_EQ(CharacterSetFromMsh18("ASCII"), CharacterSet::kAscii);
  EXPECT_EQ(CharacterSetFromMsh18("8859/1"), CharacterSet::kLatin1);
  EXPECT_EQ(CharacterSetFromMsh18("UNICODE UTF-8"), CharacterSet::kUtf8);
  EXPECT_FALSE(CharacterSetFromMsh18("8859/2").has_value());
  EXPECT_FALSE(CharacterSetFromMsh18("UNICODE").has_value());
}

TEST(Hl7CharacterSets, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xC3\xBC\xE2\x82\xAC\xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFC"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_EQ(Latin1ToUtf8("\xDF\xE9"), "\xC3\x9F\xC3\xA9");
  EXPECT_EQ(RepairUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
}

}  // namespace
}  // namespace ketachart::hl7v2
