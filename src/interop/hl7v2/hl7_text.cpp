// HL7 v2 character sets and escape sequences (see hl7_text.h).
#include "interop/hl7v2/hl7_text.h"

#include <cstdint>
#include <cstring>

namespace ketachart::hl7v2 {
namespace {

void AppendUtf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// Length of the well-formed UTF-8 sequence at `i`, or 0 when it is not one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t length;
  unsigned char low = 0x80, high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;   // no overlongs
    if (b0 == 0xED) high = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;  // <= U+10FFFF
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// \Xhh..\ : hex bytes in the message's character set -> UTF-8 appended to out.
bool AppendHexBytes(std::string_view hex, CharacterSet charset, std::string& out) {
  if (hex.empty() || hex.size() % 2 != 0) return false;
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int high = HexDigit(hex[i]), low = HexDigit(hex[i + 1]);
    if (high < 0 || low < 0) return false;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  if (charset == CharacterSet::kLatin1 || (charset == CharacterSet::kAscii && !IsValidUtf8(bytes))) {
    out += Latin1ToUtf8(bytes);
  } else {
    out += RepairUtf8(bytes);
  }
  return true;
}

}  // namespace

std::optional<CharacterSet> CharacterSetFromMsh18(std::string_view value) {
  if (value.empty() || value == "ASCII" || value == "ISO IR6") return CharacterSet::kAscii;
  if (value == "8859/1" || value == "ISO IR100") return CharacterSet::kLatin1;
  if (value == "UNICODE UTF-8") return CharacterSet::kUtf8;
  return std::nullopt;
}

bool IsValidUtf8(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size();) {
    // Runs of ASCII (the usual case) eight bytes at a time.
    uint64_t eight;
    if (i + 8 <= bytes.size() && (std::memcpy(&eight, bytes.data() + i, 8), (eight & 0x8080808080808080ULL) == 0)) {
      i += 8;
      continue;
    }
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t length = Utf8SequenceLength(bytes, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string Latin1ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) AppendUtf8(out, static_cast<unsigned char>(c));
  return out;
}

std::string RepairUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const size_t length = Utf8SequenceLength(bytes, i);
    if (length == 0) {
      AppendUtf8(out, 0xFFFD);
      ++i;
    } else {
      out.append(bytes.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string DecodeEscapes(std::string_view raw, const Delimiters& d, CharacterSet charset) {
  if (d.escape == '\0' || raw.find(d.escape) == std::string_view::npos) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  size_t i = 0;
  while (i < raw.size()) {
    const char c = raw[i];
    if (c != d.escape) {
      out.push_back(c);
      ++i;
      continue;
    }
    const size_t close = raw.find(d.escape, i + 1);
    if (close == std::string_view::npos) {  // unterminated: keep the rest as sent
      out.append(raw.substr(i));
      break;
    }
    const std::string_view body = raw.substr(i + 1, close - i - 1);
    bool known = true;
    if (body == "F") {
      out.push_back(d.field);
    } else if (body == "S") {
      out.push_back(d.component);
    } else if (body == "T") {
      if (d.subcomponent != '\0') out.push_back(d.subcomponent);
    } else if (body == "R") {
      out.push_back(d.repetition);
    } else if (body == "E") {
      out.push_back(d.escape);
    } else if (body == "P") {  // truncation character (v2.7); no meaning in a value
    } else if (body == "H" || body == "N") {  // start/end highlighting: dropped
    } else if (body == ".br") {
      out.push_back('\n');
    } else if (!body.empty() && body[0] == '.') {  // other formatting commands
    } else if (!body.empty() && (body[0] == 'C' || body[0] == 'M')) {  // charset switches
    } else if (!body.empty() && body[0] == 'Z') {  // locally defined: no meaning here
    } else if (!body.empty() && body[0] == 'X') {
      known = AppendHexBytes(body.substr(1), charset, out);
    } else {
      known = false;
    }
    if (!known) out.append(raw.substr(i, close - i + 1));
    i = close + 1;
  }
  return out;
}

std::string EncodeEscapes(std::string_view text, const Delimiters& d) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == d.escape) {
      out += {d.escape, 'E', d.escape};
    } else if (c == d.field) {
      out += {d.escape, 'F', d.escape};
    } else if (c == d.component) {
      out += {d.escape, 'S', d.escape};
    } else if (c == d.repetition) {
      out += {d.escape, 'R', d.escape};
    } else if (d.subcomponent != '\0' && c == d.subcomponent) {
      out += {d.escape, 'T', d.escape};
    } else if (c == '\r' || c == '\n') {
      out += {d.escape, '.', 'b', 'r', d.escape};
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace ketachart::hl7v2
