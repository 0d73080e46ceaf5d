#pragma once
// Small text codecs with no library behind them, the one place each is written: UTF-8
// (validating decoder, encoder, counting), XML/HTML character references, and base64
// (RFC 4648, standard alphabet with padding) for audio sent inside JSON.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc {

// Code points in UTF-8 text (continuation bytes are not counted); the length a reader sees,
// closer than bytes for CJK, Thai and Arabic.
std::size_t utf8_length(std::string_view text) noexcept;

// Length of the valid UTF-8 sequence at text[i], or 0 when it is invalid (overlong forms,
// surrogates and code points above U+10FFFF are invalid too).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept;

// The code points of UTF-8 text; each invalid byte becomes U+FFFD.
std::vector<char32_t> code_points(std::string_view text);

// Appends `c` as UTF-8; a value that is not a Unicode scalar (0, a surrogate, above
// U+10FFFF) becomes U+FFFD.
void append_utf8(std::string& out, char32_t c);

// Decodes &amp; &lt; &gt; &quot; &apos; &nbsp; &lrm; &rlm; and numeric references (&#233;
// &#xE9;); anything else, including a lone '&', stays as written.
std::string decode_entities(std::string_view text);

std::string base64_encode(std::string_view bytes);
// Throws InputError for characters outside the alphabet or a length that is not a multiple
// of four; `what` names the data in the message.
std::string base64_decode(std::string_view text, std::string_view what = "base64 data");

}  // namespace dramaloc
