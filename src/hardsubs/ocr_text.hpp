#pragma once
// What OCR returns, cleaned into subtitle text, and how alike two results are.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engines/ocr.hpp"

namespace dramaloc::hardsubs {

// Joins the recognised lines and removes the spaces tesseract puts between CJK characters
// (and between CJK and its punctuation); keeps single spaces between Latin words. Lines of
// a CJK text are joined without a space.
std::string normalize_ocr_text(std::string_view text);

// The text of a reading of Chinese subtitles, from the engine's characters: a Latin letter or
// digit inside Han text stays only when the engine was sure of it (the picture really shows
// one: "VIP", "8"), otherwise it becomes the engine's best Han candidate for that place, or
// goes; ASCII punctuation next to Han becomes full-width, a stray '.', ',' or '-' closing a
// line after Han becomes '。', and straight quotes become “ ”. Then normalize_ocr_text.
// Without symbols (a backend that gives none), normalize_ocr_text of `text`.
std::string chinese_ocr_text(const std::vector<engines::OcrSymbol>& symbols, std::string_view text);

// The mean confidence of the symbols (or `fallback` when there are none): how sure the engine
// was of the reading as a whole.
float mean_symbol_confidence(const std::vector<engines::OcrSymbol>& symbols, float fallback);
// The confidence of the least sure symbol (or `fallback`): one misread character spoils a line,
// so this decides whether to try another preparation, and which reading to keep.
float weakest_symbol_confidence(const std::vector<engines::OcrSymbol>& symbols, float fallback);

// True when the text has no letter or ideograph at all (specks read as "、" or "-").
bool is_ocr_noise(std::string_view text);

// Share of the letters that are Han characters (0 when the text has letters but no Han, 1
// when it has no letter at all): a Chinese reading with a low share was read as Latin.
double han_share(std::string_view text);

// 1 - distance / longer length, over code points without spaces; 1 for two empty strings.
double text_similarity(std::string_view a, std::string_view b);

}  // namespace dramaloc::hardsubs
