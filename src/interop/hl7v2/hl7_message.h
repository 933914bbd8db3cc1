// HL7 v2 message structure: splits one message (as received from a monitor or
// gateway, without MLLP framing) into segments and fields, with the
// delimiters taken from MSH-1/MSH-2 and the text converted to UTF-8 from the
// MSH-18 character set. Pure: no I/O.
//
// The parsed Message owns one UTF-8 copy of the text (none when the input is
// already ASCII/UTF-8 and moved in) and keeps only offsets into it, so fields,
// components and subcomponents are string_views without allocation. Values
// are returned raw (still escaped); Text() decodes escape sequences.
//
// Tolerant of what real senders do: CR, LF or CRLF segment ends, blank lines,
// a UTF-8 byte-order mark, trailing field separators, undeclared Latin-1
// bytes in a message that declares ASCII (or nothing). Malformed structure is
// an kInvalidInput error whose `field` names the segment or field
// ("MSH-2", "segment 4").
//
// Thread-safety: a Message is an immutable value after parsing; share it
// freely between threads for reading.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ketachart::hl7v2 {

// The five separators of one message (MSH-1 and MSH-2). An absent escape or
// subcomponent character is '\0' (MSH-2 may be shorter than four).
struct Delimiters {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
};

// MSH-18 character sets KetaChart reads. Text is always UTF-8 after parsing.
enum class CharacterSet { kAscii, kLatin1, kUtf8 };

class Message;

// One segment of a parsed message: a cheap view, valid while its Message lives.
// Field numbers are HL7's: MSH-1 is the field separator, MSH-2 the encoding
// characters; for other segments field 1 is the first after the segment id.
class Segment {
 public:
  Segment(const Message* message, uint32_t first_span, uint32_t span_count, uint32_t index)
      : message_(message), first_span_(first_span), span_count_(span_count), index_(index) {}

  std::string_view id() const;
  // 1-based position of the segment in the message (MSH is 1).
  uint32_t position() const { return index_ + 1; }
  // The highest field number present (trailing empty fields included).
  uint32_t field_count() const { return span_count_ == 0 ? 0 : span_count_ - 1; }

  // Raw text of field `n` (all repetitions, still escaped); empty if absent.
  std::string_view Field(uint32_t n) const;
  // Raw text of one component/subcomponent (1-based) of the first repetition
  // of field `n` (or of repetition `repetition`, 0-based).
  std::string_view Value(uint32_t field, uint32_t component = 1, uint32_t subcomponent = 1,
                         uint32_t repetition = 0) const;
  // Value() with escape sequences decoded; UTF-8.
  std::string Text(uint32_t field, uint32_t component = 1, uint32_t subcomponent = 1,
                   uint32_t repetition = 0) const;
  // Number of repetitions of field `n` (0 when empty).
  uint32_t RepetitionCount(uint32_t field) const;

  // "OBX-5" for error messages and ERR segments.
  std::string FieldName(uint32_t field) const;

  const Message& message() const { return *message_; }

 private:
  const Message* message_;
  uint32_t first_span_;
  uint32_t span_count_;
  uint32_t index_;
};

class Message {
 public:
  // Parses `text` (one message, MLLP framing already removed). Errors name the
  // segment or field that broke the rule.
  static Result<Message> Parse(std::string text);

  Message(const Message&) = default;
  Message(Message&&) = default;
  Message& operator=(const Message&) = default;
  Message& operator=(Message&&) = default;

  const Delimiters& delimiters() const { return delimiters_; }
  CharacterSet character_set() const { return character_set_; }
  // The message as UTF-8 (segments separated as received).
  const std::string& text() const { return text_; }

  uint32_t segment_count() const { return static_cast<uint32_t>(segments_.size()); }
  Segment segment(uint32_t index) const;  // 0-based; 0 is MSH
  Segment header() const { return segment(0); }
  // All segments with this id, in message order.
  std::vector<Segment> SegmentsWithId(std::string_view id) const;

  // Decodes escape sequences in a raw value of this message.
  std::string Decode(std::string_view raw) const;

 private:
  friend class Segment;
  struct Span {
    uint32_t begin;
    uint32_t end;
  };
  struct SegmentSpans {
    uint32_t first_span;
    uint32_t span_count;
  };

  Message() = default;
  std::string_view SpanText(uint32_t span) const {
    return std::string_view(text_).substr(spans_[span].begin, spans_[span].end - spans_[span].begin);
  }

  std::string text_;
  Delimiters delimiters_;
  CharacterSet character_set_ = CharacterSet::kAscii;
  std::vector<Span> spans_;  // per segment: id, then fields 1..n
  std::vector<SegmentSpans> segments_;
};

// Splits `value` on `separator` and returns the 1-based `index`th piece
// (empty when absent). A '\0' separator means "not split".
std::string_view NthPiece(std::string_view value, char separator, uint32_t index);
// Number of pieces `value` has when split on `separator` (0 for empty).
uint32_t PieceCount(std::string_view value, char separator);

}  // namespace ketachart::hl7v2
