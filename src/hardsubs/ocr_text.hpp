#pragma once
// What OCR returns, cleaned into subtitle text, and how alike two results are.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc::hardsubs {

// Joins the recognised lines and removes the spaces tesseract puts between CJK characters
// (and between CJK and its punctuation); keeps single spaces between Latin words. Lines of
// a CJK text are joined without a space.
std::string normalize_ocr_text(std::string_view text);

// True when the text has no letter or ideograph at all (specks read as "、" or "-").
bool is_ocr_noise(std::string_view text);

// Share of the letters that are Han characters (0 when the text has letters but no Han, 1
// when it has no letter at all): a Chinese reading with a low share was read as Latin.
double han_share(std::string_view text);

// 1 - distance / longer length, over code points without spaces; 1 for two empty strings.
double text_similarity(std::string_view a, std::string_view b);

}  // namespace dramaloc::hardsubs
