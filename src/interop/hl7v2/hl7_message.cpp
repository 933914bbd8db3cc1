// HL7 v2 message structure (see hl7_message.h).
#include "interop/hl7v2/hl7_message.h"

#include <fmt/format.h>

#include <cstring>
#include <limits>

#include "interop/hl7v2/hl7_text.h"

namespace ketachart::hl7v2 {
namespace {

constexpr uint32_t kMsh18 = 18;

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool IsSegmentEnd(char c) { return c == '\r' || c == '\n'; }

// Position of the first CR or LF at or after `from` (text.size() if none):
// two vectorised memchr scans instead of a byte loop.
size_t SegmentEnd(std::string_view text, size_t from) {
  const char* begin = text.data() + from;
  const size_t length = text.size() - from;
  const void* cr = std::memchr(begin, '\r', length);
  const size_t cr_at = cr == nullptr ? length : static_cast<size_t>(static_cast<const char*>(cr) - begin);
  const void* lf = std::memchr(begin, '\n', cr_at);
  const size_t lf_at = lf == nullptr ? cr_at : static_cast<size_t>(static_cast<const char*>(lf) - begin);
  return from + lf_at;
}

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\f' && c != '\v') return false;
  }
  return true;
}

bool IsSegmentIdChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool IsAscii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 12)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F) {
      out += fmt::format("\\x{:02X}", u);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Error Malformed(std::string field, std::string message) {
  return InvalidInput(std::move(field), std::move(message));
}

// Reads MSH-1 and MSH-2 from the start of the message.
Result<Delimiters> ReadDelimiters(std::string_view text) {
  if (text.size() < 4) return Malformed("MSH-1", "the MSH segment ends before its field separator");
  Delimiters d;
  d.field = text[3];
  const auto bad_separator = [](char c) {
    return IsAsciiAlnum(c) || IsSegmentEnd(c) || static_cast<unsigned char>(c) < 0x20 ||
           static_cast<unsigned char>(c) >= 0x7F || c == ' ';
  };
  if (bad_separator(d.field)) {
    return Malformed("MSH-1", fmt::format("field separator '{}' must be a printable ASCII symbol",
                                          Printable(text.substr(3, 1))));
  }
  size_t end = 4;
  while (end < text.size() && text[end] != d.field && !IsSegmentEnd(text[end])) ++end;
  const std::string_view encoding = text.substr(4, end - 4);
  if (encoding.empty()) return Malformed("MSH-2", "the encoding characters are missing");
  // v2.7 adds a fifth (truncation) character; it has no meaning for a receiver.
  if (encoding.size() > 5) {
    return Malformed("MSH-2", fmt::format("'{}' has more than the four encoding characters "
                                          "(component, repetition, escape, subcomponent)",
                                          Printable(encoding)));
  }
  char* targets[] = {&d.component, &d.repetition, &d.escape, &d.subcomponent};
  d.repetition = d.escape = d.subcomponent = '\0';
  for (size_t i = 0; i < encoding.size() && i < 4; ++i) {
    const char c = encoding[i];
    if (bad_separator(c) || c == d.field) {
      return Malformed("MSH-2", fmt::format("encoding character '{}' must be a printable ASCII symbol "
                                            "other than the field separator",
                                            Printable(encoding.substr(i, 1))));
    }
    for (size_t j = 0; j < i; ++j) {
      if (encoding[j] == c) {
        return Malformed("MSH-2", fmt::format("encoding characters '{}' repeat '{}'",
                                              Printable(encoding), Printable(encoding.substr(i, 1))));
      }
    }
    *targets[i] = c;
  }
  return d;
}

// MSH-18 (first repetition, first component) read from the raw first segment.
std::string_view RawMsh18(std::string_view text, const Delimiters& d) {
  size_t end = 0;
  while (end < text.size() && !IsSegmentEnd(text[end])) ++end;
  const std::string_view msh = text.substr(0, end);
  // Piece 1 is "MSH", piece 2 the encoding characters (MSH-2): MSH-n is piece n.
  std::string_view value = NthPiece(msh, d.field, kMsh18);
  value = NthPiece(value, d.repetition, 1);
  return NthPiece(value, d.component, 1);
}

}  // namespace

std::string_view NthPiece(std::string_view value, char separator, uint32_t index) {
  if (index == 0 || value.empty()) return {};
  if (separator == '\0') return index == 1 ? value : std::string_view();
  size_t begin = 0;
  for (uint32_t piece = 1; piece < index; ++piece) {
    const void* hit = std::memchr(value.data() + begin, separator, value.size() - begin);
    if (hit == nullptr) return {};
    begin = static_cast<size_t>(static_cast<const char*>(hit) - value.data()) + 1;
  }
  const void* hit = std::memchr(value.data() + begin, separator, value.size() - begin);
  const size_t end = hit == nullptr ? value.size() : static_cast<size_t>(static_cast<const char*>(hit) - value.data());
  return value.substr(begin, end - begin);
}

uint32_t PieceCount(std::string_view value, char separator) {
  if (value.empty()) return 0;
  if (separator == '\0') return 1;
  uint32_t count = 1;
  for (char c : value) count += c == separator ? 1 : 0;
  return count;
}

std::string_view Segment::id() const { return message_->SpanText(first_span_); }

std::string_view Segment::Field(uint32_t n) const {
  if (n >= span_count_) return {};
  return message_->SpanText(first_span_ + n);
}

std::string_view Segment::Value(uint32_t field, uint32_t component, uint32_t subcomponent,
                                uint32_t repetition) const {
  const std::string_view raw = Field(field);
  // MSH-1 and MSH-2 are the delimiters themselves, never split.
  if (index_ == 0 && field <= 2) return (component == 1 && subcomponent == 1 && repetition == 0) ? raw : std::string_view();
  const Delimiters& d = message_->delimiters_;
  std::string_view value = NthPiece(raw, d.repetition, repetition + 1);
  value = NthPiece(value, d.component, component);
  return NthPiece(value, d.subcomponent, subcomponent);
}

std::string Segment::Text(uint32_t field, uint32_t component, uint32_t subcomponent,
                          uint32_t repetition) const {
  const std::string_view raw = Value(field, component, subcomponent, repetition);
  if (index_ == 0 && field <= 2) return std::string(raw);
  return message_->Decode(raw);
}

uint32_t Segment::RepetitionCount(uint32_t field) const {
  if (index_ == 0 && field <= 2) return Field(field).empty() ? 0 : 1;
  return PieceCount(Field(field), message_->delimiters_.repetition);
}

std::string Segment::FieldName(uint32_t field) const { return fmt::format("{}-{}", id(), field); }

Segment Message::segment(uint32_t index) const {
  const SegmentSpans& s = segments_.at(index);
  return Segment(this, s.first_span, s.span_count, index);
}

std::vector<Segment> Message::SegmentsWithId(std::string_view id) const {
  std::vector<Segment> out;
  for (uint32_t i = 0; i < segments_.size(); ++i) {
    if (SpanText(segments_[i].first_span) == id) out.push_back(segment(i));
  }
  return out;
}

std::string Message::Decode(std::string_view raw) const {
  return DecodeEscapes(raw, delimiters_, character_set_);
}

Result<Message> Message::Parse(std::string input) {
  if (input.size() >= std::numeric_limits<uint32_t>::max()) {
    return Error{ErrorCode::kPayloadTooLarge, "the message is larger than 4 GiB", "MSH"};
  }
  // Leading byte-order mark and blank lines are not part of the message.
  size_t start = 0;
  if (input.compare(0, 3, "\xEF\xBB\xBF") == 0) start = 3;
  while (start < input.size() && (IsSegmentEnd(input[start]) || input[start] == ' ' || input[start] == '\t')) {
    ++start;
  }
  const std::string_view raw = std::string_view(input).substr(start);
  if (raw.empty()) return Malformed("MSH", "the message is empty");
  if (raw.compare(0, 3, "MSH") != 0) {
    if (raw.compare(0, 3, "FHS") == 0 || raw.compare(0, 3, "BHS") == 0) {
      return Malformed("MSH", "batch files (FHS/BHS) are not accepted: send one message per frame");
    }
    return Malformed("MSH", fmt::format("the message must begin with an MSH segment, not '{}'",
                                        Printable(raw.substr(0, 3))));
  }
  KC_ASSIGN_OR_RETURN(const Delimiters delimiters, ReadDelimiters(raw));

  const std::string_view msh18 = RawMsh18(raw, delimiters);
  const std::optional<CharacterSet> declared = CharacterSetFromMsh18(msh18);
  if (!declared) {
    return Malformed("MSH-18", fmt::format("character set '{}' is not supported "
                                           "(supported: ASCII, 8859/1, UNICODE UTF-8)",
                                           Printable(msh18)));
  }

  Message message;
  message.delimiters_ = delimiters;
  message.character_set_ = *declared;
  switch (*declared) {
    case CharacterSet::kUtf8:
      if (!IsValidUtf8(raw)) {
        return Malformed("MSH-18", "the message declares UNICODE UTF-8 but contains bytes that are not UTF-8");
      }
      break;
    case CharacterSet::kLatin1:
      if (!IsAscii(raw)) message.text_ = Latin1ToUtf8(raw);
      break;
    case CharacterSet::kAscii:
      // Senders that declare nothing (or ASCII) still send accented names:
      // UTF-8 when it is well-formed, otherwise Latin-1, the common default.
      if (!IsValidUtf8(raw)) message.text_ = Latin1ToUtf8(raw);
      break;
  }
  if (message.text_.empty()) {
    if (start == 0) {
      message.text_ = std::move(input);
    } else {
      message.text_.assign(raw);
    }
  }

  const std::string_view text = message.text_;
  const char field_separator = delimiters.field;
  message.spans_.reserve(text.size() / 6);
  message.segments_.reserve(text.size() / 48);
  size_t line_begin = 0;
  while (line_begin < text.size()) {
    const size_t line_end = SegmentEnd(text, line_begin);
    const std::string_view line = text.substr(line_begin, line_end - line_begin);
    const size_t next = line_end + 1;
    if (IsBlank(line)) {
      line_begin = next;
      continue;
    }
    const uint32_t index = static_cast<uint32_t>(message.segments_.size());
    const auto segment_name = [index] { return fmt::format("segment {}", index + 1); };
    if (line.size() < 3 || !IsSegmentIdChar(line[0]) || !IsSegmentIdChar(line[1]) ||
        !IsSegmentIdChar(line[2]) || (line.size() > 3 && line[3] != field_separator)) {
      return Malformed(segment_name(),
                       fmt::format("segment {} starts with '{}', which is not a segment id "
                                   "(three upper-case letters or digits followed by '{}')",
                                   index + 1, Printable(line.substr(0, 4)), field_separator));
    }
    const bool is_header = line.compare(0, 3, "MSH") == 0;
    if (is_header && index != 0) {
      return Malformed(segment_name(), fmt::format("segment {} is a second MSH: send one message per frame", index + 1));
    }
    const auto offset = static_cast<uint32_t>(line_begin);
    const uint32_t first_span = static_cast<uint32_t>(message.spans_.size());
    message.spans_.push_back({offset, offset + 3});
    size_t field_begin = 4;
    if (is_header) {
      message.spans_.push_back({offset + 3, offset + 4});  // MSH-1
      size_t encoding_end = 4;
      while (encoding_end < line.size() && line[encoding_end] != field_separator) ++encoding_end;
      message.spans_.push_back({offset + 4, offset + static_cast<uint32_t>(encoding_end)});  // MSH-2
      field_begin = encoding_end + 1;
    }
    if (line.size() > 3 && field_begin <= line.size()) {
      while (true) {
        const void* hit = std::memchr(line.data() + field_begin, field_separator, line.size() - field_begin);
        const size_t field_end =
            hit == nullptr ? line.size() : static_cast<size_t>(static_cast<const char*>(hit) - line.data());
        message.spans_.push_back({offset + static_cast<uint32_t>(field_begin), offset + static_cast<uint32_t>(field_end)});
        if (hit == nullptr) break;
        field_begin = field_end + 1;
      }
    }
    // Trailing empty fields ("OBX|1|NM|...|||") carry nothing.
    uint32_t span_end = static_cast<uint32_t>(message.spans_.size());
    const uint32_t minimum = first_span + (is_header ? 3 : 1);
    while (span_end > minimum && message.spans_[span_end - 1].begin == message.spans_[span_end - 1].end) --span_end;
    message.spans_.resize(span_end);
    message.segments_.push_back({first_span, span_end - first_span});
    line_begin = next;
  }
  return message;
}

}  // namespace ketachart::hl7v2
