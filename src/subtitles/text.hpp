#pragma once
// Unicode text helpers for subtitles (ICU). Everything here takes and returns UTF-8.
//
// "Characters" in subtitle rules are user-perceived characters (extended grapheme
// clusters): "é" written as e + combining accent is one, a Thai consonant with its
// vowel and tone marks is one, an emoji family is one, a CJK ideograph is one.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc::subtitles {

// Rejects text that is not subtitles: NUL bytes (a binary file) or invalid UTF-8.
// Throws InputError "<source>:<line>: ..." naming the first bad line and saying how to
// fix it. Linear, no allocation: 10 MB of garbage is rejected in milliseconds.
void require_utf8_text(std::string_view text, std::string_view source_name);

bool is_valid_utf8(std::string_view text) noexcept;

// Replaces every invalid UTF-8 sequence with U+FFFD (for text from engines we do not control).
std::string repair_utf8(std::string_view text);

// Unicode NFC, so that equal-looking text compares and counts equal.
std::string to_nfc(std::string_view utf8);

// User-perceived characters in `utf8` (see above).
std::size_t grapheme_count(std::string_view utf8);

// Why `text`, as a person typed it, cannot be one subtitle line, or "" when it can: it must be
// valid UTF-8; hold no control character (C0, C1, DEL, NUL) and no line or paragraph
// separator (U+2028, U+2029, U+0085); not be blank (only spaces and invisible format
// characters such as U+200B); and have at most `max_chars` characters (graphemes) and
// 16 × `max_chars` bytes.
std::string line_text_problem(std::string_view text, std::size_t max_chars);

// Byte offsets p (0 < p < utf8.size()) where a line may be broken, i.e. where a new
// line may start, per the Unicode line breaking algorithm (UAX #14) tailored for the
// language's locale: spaces in Latin text, between ideographs in CJK but never before
// closing punctuation, dictionary word boundaries in Thai. Ascending.
std::vector<std::size_t> line_break_opportunities(std::string_view utf8, std::string_view language);

// Chinese, Japanese, Korean (ScriptClass::Cjk).
bool is_cjk_language(std::string_view language);

// True when words of the language are written with spaces between them, so that
// words joined into a line need a separator (not Chinese, Japanese or Thai).
bool language_uses_spaces(std::string_view language);

// Han ideographs, kana, Hangul syllables and CJK punctuation.
bool is_cjk_codepoint(char32_t c) noexcept;

// Right-to-left lines in plain-text formats (SRT, WebVTT, ASS).
// Players that pick the paragraph direction from the first strong character, or that
// always assume left-to-right, show "مرحبا!" as "!مرحبا" and misplace leading digits
// and dashes. We follow the convention of Subtitle Edit's "Fix RTL via Unicode control
// characters" (used for Netflix/broadcast Arabic and Hebrew deliveries): each display
// line is wrapped in RIGHT-TO-LEFT EMBEDDING U+202B ... POP DIRECTIONAL FORMATTING
// U+202C. This works whether the renderer's base direction is LTR or auto.
std::string wrap_rtl_line(std::string_view line);

// Removes the wrapping added by wrap_rtl_line (if present) so that reading a file we
// wrote gives back the original text.
std::string unwrap_rtl_line(std::string_view line);

// Trims ASCII whitespace and U+00A0 at both ends.
std::string_view trim(std::string_view s) noexcept;

}  // namespace dramaloc::subtitles
