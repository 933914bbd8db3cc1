// HL7 v2 text rules: the MSH-18 character sets KetaChart accepts and their
// conversion to UTF-8, and the escape sequences of HL7 v2.x chapter 2
// (\F\ \S\ \T\ \R\ \E\ \X..\ \H\ \N\ \.br\ and others) in both directions.
// Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "interop/hl7v2/hl7_message.h"

namespace ketachart::hl7v2 {

// MSH-18 value -> character set. Accepts "" / "ASCII" / "ISO IR6" (ASCII),
// "8859/1" / "ISO IR100" (Latin-1) and "UNICODE UTF-8"; nullopt for others.
std::optional<CharacterSet> CharacterSetFromMsh18(std::string_view value);

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view bytes);
// Latin-1 bytes -> UTF-8.
std::string Latin1ToUtf8(std::string_view bytes);
// Invalid UTF-8 sequences replaced by U+FFFD.
std::string RepairUtf8(std::string_view bytes);

// Decodes the escape sequences of `raw` (a field, component or subcomponent
// value). \X..\ hex bytes are in `charset` and converted to UTF-8; the
// \.br\ command becomes a line feed; highlighting (\H\ \N\), other formatting commands and
// character-set switches (\C..\ \M..\) are dropped; an unknown or unterminated
// sequence is kept literally. `raw` is already UTF-8.
std::string DecodeEscapes(std::string_view raw, const Delimiters& delimiters, CharacterSet charset);

// Escapes every delimiter in `text` (for values written into ACKs).
std::string EncodeEscapes(std::string_view text, const Delimiters& delimiters);

}  // namespace ketachart::hl7v2
