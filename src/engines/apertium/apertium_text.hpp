#pragma once
// The text side of the apertium backend: how lines are framed for apertium and how its
// output is turned back into clean display text. Pure functions, unit-testable without
// apertium installed.
//
// Framing: each line becomes one HTML paragraph and apertium runs with `-f html`. Its
// HTML deformatter treats <p> as a block boundary, so no transfer rule can move words
// across lines and every paragraph comes back as exactly one paragraph; the count is
// checked, never trusted.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc::engines::apertium {

// "<p>line</p>\n" per line; &, <, > escaped; CR/LF inside a line become spaces.
std::string to_html_paragraphs(const std::vector<std::string>& lines);

// The contents of the <p>…</p> paragraphs of apertium's output, in order (entities still
// escaped); nullopt unless there are exactly `expected` of them.
std::optional<std::vector<std::string>> split_html_paragraphs(std::string_view html, std::size_t expected);

// Display text from one translated paragraph: entities decoded, apertium's word marks
// (* unknown, # generation error, @ transfer error) removed where they start a word,
// whitespace collapsed and trimmed, and spaces apertium leaves inside "quotes" removed.
std::string clean_translation(std::string_view paragraph);

// True when `text` has nothing to translate (empty or only whitespace).
bool is_blank(std::string_view text);

}  // namespace dramaloc::engines::apertium
