// Tests of the HL7 v2 message structure: delimiters, segment ends,
// components/repetitions/subcomponents, character sets and malformed input.
#include "interop/hl7v2/hl7_message.h"

#include <gtest/gtest.h>

namespace ketachart::hl7v2 {
namespace {

Message ParseOk(std::string text) {
  auto parsed = Message::Parse(std::move(text));
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().field + ": " + parsed.error().message);
  return std::move(parsed).value();
}

Error ParseError(std::string text) {
  auto parsed = Message::Parse(std::move(text));
  EXPECT_FALSE(parsed.ok());
  return parsed.ok() ? Error{} : parsed.error();
}

TEST(Hl7Message, SplitsSegmentsFieldsComponentsRepetitionsAndSubcomponents) {
  const Message m = ParseOk(
      "MSH|^~\\&|APP^0011223344556677^EUI-64|FAC|||20261122091500||ORU^R01^ORU_R01|42|P|2.6\r"
      "PID|||A1^^^H&1.2.3&ISO~B2^^^X||Doe^Jane\r"
      "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.1|97|262688^MDC_DIM_PERCENT^MDC\r");
  ASSERT_EQ(m.segment_count(), 3u);
  const Segment msh = m.header();
  EXPECT_EQ(msh.id(), "MSH");
  EXPECT_EQ(msh.Field(1), "|");
  EXPECT_EQ(msh.Field(2), "^~\\&");
  EXPECT_EQ(msh.Value(2), "^~\\&");  // never split
  EXPECT_EQ(msh.Value(3, 2), "0011223344556677");
  EXPECT_EQ(msh.Value(9, 1), "ORU");
  EXPECT_EQ(msh.Value(9, 3), "ORU_R01");
  EXPECT_EQ(msh.Value(10), "42");
  EXPECT_EQ(msh.Value(12), "2.6");
  EXPECT_EQ(msh.field_count(), 12u);

  const Segment pid = m.segment(1);
  EXPECT_EQ(pid.position(), 2u);
  EXPECT_EQ(pid.RepetitionCount(3), 2u);
  EXPECT_EQ(pid.Value(3, 1, 1, 0), "A1");
  EXPECT_EQ(pid.Value(3, 4, 1, 0), "H");
  EXPECT_EQ(pid.Value(3, 4, 2, 0), "1.2.3");
  EXPECT_EQ(pid.Value(3, 4, 3, 0), "ISO");
  EXPECT_EQ(pid.Value(3, 1, 1, 1), "B2");
  EXPECT_EQ(pid.Value(3, 4, 1, 1), "X");
  EXPECT_EQ(pid.Value(3, 1, 1, 2), "");   // no third repetition
  EXPECT_EQ(pid.Value(5, 2), "Jane");
  EXPECT_EQ(pid.Value(5, 7), "");
  EXPECT_EQ(pid.Field(40), "");

  const std::vector<Segment> obx = m.SegmentsWithId("OBX");
  ASSERT_EQ(obx.size(), 1u);
  EXPECT_EQ(obx[0].Value(3, 2), "MDC_PULS_OXIM_SAT_O2");
  EXPECT_EQ(obx[0].FieldName(5), "OBX-5");
}

TEST(Hl7Message, AcceptsCrLfAndCrLfSegmentEndsBlankLinesAndTrailingSeparators) {
  for (const std::string end : {"\r", "\n", "\r\n"}) {
    const Message m = ParseOk("\xEF\xBB\xBF" "\r\nMSH|^~\\&|A|B|||20261122||ORU^R01|1|P|2.6||" + end + end +
                              "OBX||NM|147842^HR^MDC||80|||||" + end + "   " + end);
    ASSERT_EQ(m.segment_count(), 2u) << "segment end " << end.size();
    EXPECT_EQ(m.header().field_count(), 12u);
    EXPECT_EQ(m.segment(1).field_count(), 5u);  // trailing empty fields dropped
    EXPECT_EQ(m.segment(1).Value(1), "");     // missing OBX-1 set id
    EXPECT_EQ(m.segment(1).Value(5), "80");
  }
}

TEST(Hl7Message, TakesDelimitersFromMsh1AndMsh2) {
  const Message m = ParseOk("MSH#$*@%#APP#FAC#####ORU$R01#7#P#2.6\rOBX#1#ST#X$Y#1#a@F@b$c%d*e\r");
  EXPECT_EQ(m.delimiters().field, '#');
  EXPECT_EQ(m.delimiters().component, '$');
  EXPECT_EQ(m.delimiters().repetition, '*');
  EXPECT_EQ(m.delimiters().escape, '@');
  EXPECT_EQ(m.delimiters().subcomponent, '%');
  EXPECT_EQ(m.header().Value(9, 2), "R01");
  const Segment obx = m.segment(1);
  EXPECT_EQ(obx.Text(5, 1), "a#b");  // @F@ is the field separator '#'
  EXPECT_EQ(obx.Value(5, 2, 2), "d");
  EXPECT_EQ(obx.Value(5, 1, 1, 1), "e");
}

TEST(Hl7Message, ShortEncodingCharactersLeaveTheRestUnsplit) {
  const Message m = ParseOk("MSH|^~|A|B|||||ORU^R01|1|P|2.6\rNTE|1||a\\b&c~d\r");
  EXPECT_EQ(m.delimiters().escape, '\0');
  EXPECT_EQ(m.delimiters().subcomponent, '\0');
  EXPECT_EQ(m.segment(1).Text(3), "a\\b&c");
  EXPECT_EQ(m.segment(1).Value(3, 1, 1, 1), "d");
}

TEST(Hl7Message, ConvertsLatin1ToUtf8WhenMsh18Says8859_1) {
  const Message m = ParseOk("MSH|^~\\&|A|B|||||ORU^R01|1|P|2.5||||||8859/1\rPID|||1||M\xFCller^J\xFCrgen\r");
  EXPECT_EQ(m.character_set(), CharacterSet::kLatin1);
  EXPECT_EQ(m.segment(1).Text(5, 1), "M\xC3\xBCller");
  EXPECT_EQ(m.segment(1).Text(5, 2), "J\xC3\xBCrgen");
}

TEST(Hl7Message, KeepsUtf8AndReadsUndeclaredLatin1) {
  const Message utf8 = ParseOk("MSH|^~\\&|A|B|||||ORU^R01|1|P|2.6||||||UNICODE UTF-8\rPID|||1||Bront\xC3\xAB\r");
  EXPECT_EQ(utf8.segment(1).Text(5), "Bront\xC3\xAB");
  const Message undeclared_utf8 = ParseOk("MSH|^~\\&|A|B|||||ORU^R01|1|P|2.6\rPID|||1||Bront\xC3\xAB\r");
  EXPECT_EQ(undeclared_utf8.segment(1).Text(5), "Bront\xC3\xAB");
  const Message undeclared_latin1 = ParseOk("MSH|^~\\&|A|B|||||ORU^R01|1|P|2.6||||||ASCII\rPID|||1||Bront\xEB\r");
  EXPECT_EQ(undeclared_latin1.segment(1).Text(5), "Bront\xC3\xAB");
}

TEST(Hl7Message, RejectsUtf8DeclarationWithOtherBytesAndUnknownCharacterSets) {
  Error bad_utf8 = ParseError("MSH|^~\\&|A|B|||||ORU^R01|1|P|2.6||||||UNICODE UTF-8\rPID|||1||Bront\xEB\r");
  EXPECT_EQ(bad_utf8.field, "MSH-18");
  Error unknown = ParseError("MSH|^~\\&|A|B|||||ORU^R01|1|P|2.6||||||ISO IR87\r");
  EXPECT_EQ(unknown.field, "MSH-18");
  EXPECT_NE(unknown.message.find("ISO IR87"), std::string::npos);
}

TEST(Hl7Message, NamesTheSegmentOrFieldOfMalformedMessages) {
  EXPECT_EQ(ParseError("").field, "MSH");
  EXPECT_EQ(ParseError("\r\n\r\n").field, "MSH");
  EXPECT_EQ(ParseError("PID|1\r").field, "MSH");
  EXPECT_EQ(ParseError("BHS|^~\\&\rMSH|^~\\&|A\r").field, "MSH");
  EXPECT_EQ(ParseError("MSH").field, "MSH-1");
  EXPECT_EQ(ParseError("MSHA^~\\&|").field, "MSH-1");
  EXPECT_EQ(ParseError("MSH||A|B").field, "MSH-2");
  EXPECT_EQ(ParseError("MSH|^^\\&|A").field, "MSH-2");
  EXPECT_EQ(ParseError("MSH|^~\\&#!|A").field, "MSH-2");
  const Error bad_segment = ParseError("MSH|^~\\&|A|B|||||ORU^R01|1|P|2.6\rPID|1\rob|2\r");
  EXPECT_EQ(bad_segment.field, "segment 3");
  EXPECT_NE(bad_segment.message.find("'ob|2'"), std::string::npos) << bad_segment.message;
  EXPECT_EQ(ParseError("MSH|^~\\&|A\rOBXX|1\r").field, "segment 2");
  EXPECT_EQ(ParseError("MSH|^~\\&|A\rMSH|^~\\&|B\r").field, "segment 2");
}

TEST(Hl7Message, SurvivesCopyAndMoveWithShortText) {
  Message original = ParseOk("MSH|^~\\&|A");
  Message copy = original;
  Message moved = std::move(original);
  EXPECT_EQ(copy.header().Value(3), "A");
  EXPECT_EQ(moved.header().Value(3), "A");
}

TEST(Hl7Message, SegmentWithOnlyAnIdHasNoFields) {
  const Message m = ParseOk("MSH|^~\\&|A\rPV1\rZXY|1\r");
  ASSERT_EQ(m.segment_count(), 3u);
  EXPECT_EQ(m.segment(1).id(), "PV1");
  EXPECT_EQ(m.segment(1).field_count(), 0u);
  EXPECT_EQ(m.segment(2).id(), "ZXY");  // Z segments are allowed
}

TEST(Hl7Pieces, NthPieceAndPieceCount) {
  EXPECT_EQ(NthPiece("a^b^^d", '^', 1), "a");
  EXPECT_EQ(NthPiece("a^b^^d", '^', 3), "");
  EXPECT_EQ(NthPiece("a^b^^d", '^', 4), "d");
  EXPECT_EQ(NthPiece("a^b^^d", '^', 5), "");
  EXPECT_EQ(NthPiece("a^b", '^', 0), "");
  EXPECT_EQ(NthPiece(std::string_view(), '^', 1), "");  // found by the fuzzer: null data
  EXPECT_EQ(NthPiece("a^b", '\0', 1), "a^b");
  EXPECT_EQ(PieceCount("", '~'), 0u);
  EXPECT_EQ(PieceCount("x", '~'), 1u);
  EXPECT_EQ(PieceCount("x~~y", '~'), 3u);
}

}  // namespace
}  // namespace ketachart::hl7v2
