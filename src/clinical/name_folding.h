// Folding of letters for name search keys, so "elodie", "ÉLODIE" and
// "Élodie" find the same patient and "muller" finds "Müller": a table of
// Latin, Greek and Cyrillic letters to their lower-case, unaccented form
// (name_folding_table.cpp). Pure, immutable data; thread-safe.
#pragma once

namespace ketachart {

// The folded UTF-8 spelling of `code_point`, or nullptr when it folds to itself.
const char* FoldedLetter(char32_t code_point);

}  // namespace ketachart
