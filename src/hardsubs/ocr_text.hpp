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

// Code points of a UTF-8 string (invalid bytes become U+FFFD).
std::vector<char32_t> code_points(std::string_view text);

// Levenshtein distance between two code-point sequences.
std::size_t edit_distance(const std::vector<char32_t>& a, const std::vector<char32_t>& b);

// 1 - distance / longer length, over code points without spaces; 1 for two empty strings.
double text_similarity(std::string_view a, std::string_view b);

}  // namespace dramaloc::hardsubs
